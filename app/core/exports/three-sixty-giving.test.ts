import { describe, expect, it } from "vitest";
import { ExportDataError } from "./format";
import { REDACTED } from "./sources";
import { checkThreeSixtyGivingGrant, checkThreeSixtyGivingPackage } from "./three-sixty-giving-check";
import {
  OPEN_GOVERNMENT_LICENCE,
  THREE_SIXTY_GIVING_COLUMNS,
  THREE_SIXTY_GIVING_REQUIRED,
  threeSixtyGivingGrant,
  threeSixtyGivingPackage,
  threeSixtyGivingPackageChunks,
  threeSixtyGivingRecord,
  threeSixtyGivingRows,
} from "./three-sixty-giving";
import { CHARITY, COMPANY, PB_FUND, PERSON, PUBLISHER, UNREGISTERED, award } from "./test-support";

type Column = (typeof THREE_SIXTY_GIVING_COLUMNS)[number];
const asObject = (record: string[]) =>
  Object.fromEntries(THREE_SIXTY_GIVING_COLUMNS.map((c, i) => [c, record[i]])) as Record<Column, string>;
const META = { modified: "2025-08-01T12:00:00.000Z" };

describe("360Giving columns", () => {
  it("use the standard's exact titles, in the template's order", () => {
    expect(THREE_SIXTY_GIVING_COLUMNS.join(",")).toBe(
      "Identifier,Title,Description,Currency,Amount Applied For,Amount Awarded,Amount Disbursed,Award Date,Planned " +
        "Dates:Start Date,Planned Dates:End Date,Recipient Org:Identifier,Recipient Org:Name,Recipient Org:Charity " +
        "Number,Recipient Org:Company Number,Recipient Org:Postal Code,Recipient Ind:Identifier,Recipient " +
        "Ind:Name,Beneficiary Location:Name,Beneficiary Location:Country Code,Beneficiary Location:Geographic " +
        "Code,Beneficiary Location:Geographic Code Type,Funding Org:Identifier,Funding Org:Name,Funding " +
        "Org:Department,Grant Programme:Code,Grant Programme:Title,From an open call?,Last modified",
    );
  });

  it("include the ten required fields", () => {
    expect(THREE_SIXTY_GIVING_REQUIRED).toHaveLength(10);
    for (const column of THREE_SIXTY_GIVING_REQUIRED) expect(THREE_SIXTY_GIVING_COLUMNS).toContain(column);
  });
});

describe("threeSixtyGivingRecord", () => {
  it("maps a grant to a charity like the reference example", () => {
    const record = asObject(
      threeSixtyGivingRecord(
        { ...PUBLISHER, prefix: "exampleshire" },
        award({ grant: { id: "WB-2025-0042", title: "Accessible raised growing beds", summary: "Two raised beds." } }),
      ),
    );
    expect(record).toEqual({
      Identifier: "360G-exampleshire-WB-2025-0042",
      Title: "Accessible raised growing beds",
      Description: "Two raised beds.",
      Currency: "GBP",
      "Amount Applied For": "1600.00",
      "Amount Awarded": "1500.00",
      "Amount Disbursed": "1500.00",
      "Award Date": "2025-06-12",
      "Planned Dates:Start Date": "2025-07-01",
      "Planned Dates:End Date": "2026-03-31",
      "Recipient Org:Identifier": "GB-CHC-1123456",
      "Recipient Org:Name": "Riverside Allotment Society",
      "Recipient Org:Charity Number": "1123456",
      "Recipient Org:Company Number": "",
      "Recipient Org:Postal Code": "EX1 2AB",
      "Recipient Ind:Identifier": "",
      "Recipient Ind:Name": "",
      "Beneficiary Location:Name": "Riverside",
      "Beneficiary Location:Country Code": "GB",
      "Beneficiary Location:Geographic Code": "E05012345",
      "Beneficiary Location:Geographic Code Type": "WD",
      "Funding Org:Identifier": "GB-LAE-EXB",
      "Funding Org:Name": "Exampleshire Borough Council",
      "Funding Org:Department": "Communities and Neighbourhoods",
      "Grant Programme:Code": "WB-2025-26",
      "Grant Programme:Title": "Councillor Ward Budgets 2025/26",
      "From an open call?": "Yes",
      "Last modified": "2025-07-14T09:30:00Z",
    });
  });

  it("uses GB-COH with the leading zero for a company", () => {
    const record = asObject(threeSixtyGivingRecord(PUBLISHER, award({ recipient: COMPANY })));
    expect(record["Recipient Org:Identifier"]).toBe("GB-COH-01234567");
    expect(record["Recipient Org:Company Number"]).toBe("01234567");
    expect(record["Recipient Org:Charity Number"]).toBe("");
  });

  it("gives an unregistered group a local identifier and does not publish its postcode", () => {
    const record = asObject(threeSixtyGivingRecord(PUBLISHER, award({ recipient: UNREGISTERED })));
    expect(record["Recipient Org:Identifier"]).toBe("360G-GB-LAE-EXB-ORG-9");
    expect(record["Recipient Org:Name"]).toBe("Abbey Fields Residents' Association");
    expect(record["Recipient Org:Postal Code"]).toBe("");
  });

  it("puts an individual in the Recipient Ind columns, redacted, with no location", () => {
    const record = asObject(threeSixtyGivingRecord(PUBLISHER, award({ recipient: PERSON })));
    expect(record["Recipient Org:Identifier"]).toBe("");
    expect(record["Recipient Org:Name"]).toBe("");
    expect(record["Recipient Ind:Identifier"]).toBe("360G-GB-LAE-EXB-IND-10");
    expect(record["Recipient Ind:Name"]).toBe(REDACTED);
    expect(record["Recipient Org:Postal Code"]).toBe("");
    expect(record["Beneficiary Location:Name"]).toBe("");
    expect(record["Beneficiary Location:Geographic Code"]).toBe("");
    expect(Object.values(record).join("|")).not.toMatch(/Jane Smith|EX4 5GH/);
  });

  it("leaves optional amounts and dates blank when unknown, and omits a ward it does not have", () => {
    const record = asObject(
      threeSixtyGivingRecord(
        PUBLISHER,
        award({ appliedForPence: null, plannedStart: null, plannedEnd: null, ward: null, disbursedPence: 0 }),
      ),
    );
    expect(record["Amount Applied For"]).toBe("");
    expect(record["Amount Disbursed"]).toBe("0.00");
    expect(record["Planned Dates:Start Date"]).toBe("");
    expect(record["Beneficiary Location:Country Code"]).toBe("");
    expect(record["Beneficiary Location:Geographic Code Type"]).toBe("");
  });

  it("does not call a non-ward GSS code a ward", () => {
    const record = asObject(
      threeSixtyGivingRecord(PUBLISHER, award({ ward: { name: "Somewhere", gssCode: "E06000001" } })),
    );
    expect(record["Beneficiary Location:Geographic Code Type"]).toBe("");
  });

  it("names the PB round as the grant programme", () => {
    const record = asObject(threeSixtyGivingRecord(PUBLISHER, award({ fund: PB_FUND })));
    expect(record["Grant Programme:Code"]).toBe("PB-2025-26-R2");
    expect(record["Grant Programme:Title"]).toBe("Riverside Participatory Budgeting Round 2");
    expect(record["From an open call?"]).toBe("Yes");
  });

  it("guards titles and names against formulas, never amounts or identifiers", () => {
    const record = asObject(
      threeSixtyGivingRecord(
        PUBLISHER,
        award({
          grant: { id: "G1", title: "=HYPERLINK(1)", summary: "+1" },
          recipient: { ...UNREGISTERED, name: "@x" },
        }),
      ),
    );
    expect(record.Title).toBe("'=HYPERLINK(1)");
    expect(record.Description).toBe("'+1");
    expect(record["Recipient Org:Name"]).toBe("'@x");
    expect(record["Amount Awarded"]).toBe("1500.00");
    expect(record.Identifier).toBe("360G-GB-LAE-EXB-G1");
  });

  it("refuses a malformed last-modified time", () => {
    expect(() => threeSixtyGivingRecord(PUBLISHER, award({ lastModified: "last Tuesday" }))).toThrow(ExportDataError);
  });

  it("fills every required field on every row and keeps identifiers unique", () => {
    const rows = [CHARITY, COMPANY, UNREGISTERED].map((recipient, i) =>
      award({ recipient, grant: { id: `G${i}`, title: `T${i}`, summary: `S${i}` } }),
    );
    const records = [...threeSixtyGivingRows(PUBLISHER, rows)].map(asObject);
    for (const record of records)
      for (const column of THREE_SIXTY_GIVING_REQUIRED) expect(record[column], column).not.toBe("");
    expect(new Set(records.map((r) => r.Identifier)).size).toBe(3);
  });

  it("leaves out awards withdrawn in full", () => {
    expect([...threeSixtyGivingRows(PUBLISHER, [award({ awardedPence: 0 }), award()])]).toHaveLength(1);
  });
});

describe("threeSixtyGivingGrant (JSON)", () => {
  it("builds the schema's shape with numbers for amounts and arrays for organisations", () => {
    expect(threeSixtyGivingGrant(PUBLISHER, award({ awardedPence: 95_050 }))).toEqual({
      id: "360G-GB-LAE-EXB-WB-2025-26-G042",
      title: "Accessible raised growing beds",
      description: "Two raised beds so members who use wheelchairs can garden.",
      currency: "GBP",
      amountAppliedFor: 1600,
      amountAwarded: 950.5,
      amountDisbursed: 1500,
      awardDate: "2025-06-12",
      plannedDates: [{ startDate: "2025-07-01", endDate: "2026-03-31" }],
      recipientOrganization: [
        { id: "GB-CHC-1123456", name: "Riverside Allotment Society", charityNumber: "1123456", postalCode: "EX1 2AB" },
      ],
      beneficiaryLocation: [{ name: "Riverside", countryCode: "GB", geoCode: "E05012345", geoCodeType: "WD" }],
      fundingOrganization: [
        { id: "GB-LAE-EXB", name: "Exampleshire Borough Council", department: "Communities and Neighbourhoods" },
      ],
      grantProgramme: [{ code: "WB-2025-26", title: "Councillor Ward Budgets 2025/26" }],
      fromOpenCall: "Yes",
      dateModified: "2025-07-14T09:30:00Z",
    });
  });

  it("keeps a company number as text with its leading zero", () => {
    const grant = threeSixtyGivingGrant(PUBLISHER, award({ recipient: COMPANY }));
    expect(grant.recipientOrganization).toEqual([
      { id: "GB-COH-01234567", name: "Granary Arts CIC", companyNumber: "01234567", postalCode: "EX2 3CD" },
    ]);
    expect(JSON.stringify(grant)).toContain('"companyNumber":"01234567"');
  });

  it("gives an individual a recipientIndividual, never a recipientOrganization", () => {
    const grant = threeSixtyGivingGrant(PUBLISHER, award({ recipient: PERSON }));
    expect(grant.recipientIndividual).toEqual({ id: "360G-GB-LAE-EXB-IND-10", name: REDACTED });
    expect(grant.recipientOrganization).toBeUndefined();
    expect(grant.beneficiaryLocation).toBeUndefined();
    expect(checkThreeSixtyGivingGrant(grant)).toEqual([]);
  });

  it("does not formula-guard JSON text", () => {
    expect(threeSixtyGivingGrant(PUBLISHER, award({ grant: { id: "G1", title: "=x", summary: "+y" } }))).toMatchObject({
      title: "=x",
      description: "+y",
    });
  });

  it("omits optional parts it does not have", () => {
    const grant = threeSixtyGivingGrant(
      PUBLISHER,
      award({ appliedForPence: null, plannedStart: null, plannedEnd: "2026-03-31", ward: null }),
    );
    expect(grant).not.toHaveProperty("amountAppliedFor");
    expect(grant).not.toHaveProperty("beneficiaryLocation");
    expect(grant.plannedDates).toEqual([{ endDate: "2026-03-31" }]);
    expect(threeSixtyGivingGrant(PUBLISHER, award({ plannedStart: null, plannedEnd: null }))).not.toHaveProperty(
      "plannedDates",
    );
  });
});

describe("the JSON package", () => {
  const rows = [
    award(),
    award({ grant: { id: "G2", title: "Two", summary: "Second" }, recipient: COMPANY }),
    award({ grant: { id: "G3", title: "Three", summary: "Gone" }, awardedPence: 0 }),
    award({ grant: { id: "G4", title: "Four", summary: "Person" }, recipient: PERSON }),
  ];

  it("wraps the grants with licence and publisher", () => {
    const pkg = threeSixtyGivingPackage(PUBLISHER, rows, META);
    expect(pkg.license).toBe(OPEN_GOVERNMENT_LICENCE);
    expect(pkg.publisher).toEqual({ identifier: "GB-LAE-EXB", name: "Exampleshire Borough Council" });
    expect(pkg.modified).toBe("2025-08-01T12:00:00Z");
    expect(pkg.grants.map((g) => g.id)).toEqual([
      "360G-GB-LAE-EXB-WB-2025-26-G042",
      "360G-GB-LAE-EXB-G2",
      "360G-GB-LAE-EXB-G4",
    ]);
    expect(checkThreeSixtyGivingPackage(pkg)).toEqual([]);
  });

  it("streams to text that parses to the same package", () => {
    const text = [...threeSixtyGivingPackageChunks(PUBLISHER, rows, META)].join("");
    expect(JSON.parse(text)).toEqual(threeSixtyGivingPackage(PUBLISHER, rows, META));
  });

  it("streams an empty package as valid JSON", () => {
    const text = [...threeSixtyGivingPackageChunks(PUBLISHER, [], META)].join("");
    expect(JSON.parse(text)).toMatchObject({ grants: [] });
  });

  it("streams one grant per piece", () => {
    const pieces = [...threeSixtyGivingPackageChunks(PUBLISHER, rows, META)];
    expect(pieces).toHaveLength(1 + 3 + 1);
  });
});

describe("checkThreeSixtyGivingPackage", () => {
  const good = () =>
    threeSixtyGivingPackage(PUBLISHER, [award()], META) as unknown as { grants: Record<string, unknown>[] };

  it("reports each missing required field", () => {
    for (const key of ["id", "title", "description", "currency", "amountAwarded", "awardDate", "fundingOrganization"]) {
      const pkg = good();
      delete pkg.grants[0]![key];
      expect(checkThreeSixtyGivingPackage(pkg).join("\n"), key).toMatch(new RegExp(key));
    }
  });

  it("reports a grant with both or neither recipient", () => {
    const neither = good();
    delete neither.grants[0]!.recipientOrganization;
    expect(checkThreeSixtyGivingPackage(neither)).toEqual([expect.stringMatching(/exactly one/)]);
    const both = good();
    both.grants[0]!.recipientIndividual = { id: "x", name: "y" };
    expect(checkThreeSixtyGivingPackage(both)).toEqual([expect.stringMatching(/exactly one/)]);
  });

  it("reports amounts as text, bad dates, organisations without names and duplicate ids", () => {
    const pkg = good();
    pkg.grants[0]!.amountAwarded = "1500.00";
    pkg.grants[0]!.awardDate = "12/06/2025";
    pkg.grants[0]!.recipientOrganization = [{ id: "GB-CHC-1" }];
    pkg.grants.push({ ...threeSixtyGivingGrant(PUBLISHER, award()) });
    const problems = checkThreeSixtyGivingPackage(pkg).join("\n");
    expect(problems).toMatch(/amountAwarded must be a number/);
    expect(problems).toMatch(/awardDate/);
    expect(problems).toMatch(/recipientOrganization\[0\]\.name is required/);
    expect(problems).toMatch(/appears more than once/);
  });

  it("refuses something that is not a package", () => {
    expect(checkThreeSixtyGivingPackage([])).not.toEqual([]);
    expect(checkThreeSixtyGivingPackage({})).not.toEqual([]);
  });
});
