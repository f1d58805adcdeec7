/** Plain source rows for the export unit tests. */
import type { AwardSourceRow, Publisher, RecipientSource, SpendSourceRow } from "./sources";

export const PUBLISHER: Publisher = {
  name: "Exampleshire Borough Council",
  orgIdentifier: "GB-LAE-EXB",
  prefix: "GB-LAE-EXB",
};

export const FUND = {
  id: "WB-2025-26",
  kind: "ward-budget",
  name: "Councillor Ward Budgets 2025/26",
  department: "Communities and Neighbourhoods",
};
export const PB_FUND = {
  id: "PB-2025-26-R2",
  kind: "pb-round",
  name: "Riverside Participatory Budgeting Round 2",
  department: "Communities and Neighbourhoods",
};
export const WARD = { name: "Riverside", gssCode: "E05012345" };

export const CHARITY: RecipientSource = {
  id: 7,
  name: "Riverside Allotment Society",
  organisationType: "registered-charity",
  charityNumber: "1123456",
  companyNumber: null,
  postcode: "EX1 2AB",
};

export const COMPANY: RecipientSource = {
  id: 8,
  name: "Granary Arts CIC",
  organisationType: "cic",
  charityNumber: null,
  companyNumber: "01234567",
  postcode: "EX2 3CD",
};

export const UNREGISTERED: RecipientSource = {
  id: 9,
  name: "Abbey Fields Residents' Association",
  organisationType: "constituted-group",
  charityNumber: null,
  companyNumber: null,
  postcode: "EX3 4EF",
};

export const PERSON: RecipientSource = {
  id: 10,
  name: "Jane Smith",
  organisationType: "individual",
  charityNumber: null,
  companyNumber: null,
  postcode: "EX4 5GH",
};

export function payment(overrides: Partial<SpendSourceRow> = {}): SpendSourceRow {
  return {
    entryId: "01JZ3K7Q8M6T2V9XW4R5N0B1CD",
    seq: 412,
    reversal: false,
    paymentDate: "2025-07-14",
    paymentRef: "AP-2025-118834",
    pence: 150_000,
    grant: {
      id: "WB-2025-26-G042",
      title: "Accessible raised growing beds",
      summary: "Grant towards two raised accessible growing beds",
    },
    fund: FUND,
    ward: WARD,
    recipient: CHARITY,
    ...overrides,
  };
}

export function award(overrides: Partial<AwardSourceRow> = {}): AwardSourceRow {
  return {
    grant: {
      id: "WB-2025-26-G042",
      title: "Accessible raised growing beds",
      summary: "Two raised beds so members who use wheelchairs can garden.",
    },
    awardDate: "2025-06-12",
    awardedPence: 150_000,
    appliedForPence: 160_000,
    disbursedPence: 150_000,
    plannedStart: "2025-07-01",
    plannedEnd: "2026-03-31",
    lastModified: "2025-07-14T09:30:00.000Z",
    fund: FUND,
    ward: WARD,
    recipient: CHARITY,
    ...overrides,
  };
}
