import { describe, expect, it } from "vitest";
import { ExportDataError } from "./format";
import { REDACTED } from "./sources";
import { DEFAULT_SPEND_THRESHOLD_PENCE, exceedsThreshold, SPEND_COLUMNS, spendRecord, spendRows } from "./spend";
import { COMPANY, PB_FUND, PERSON, PUBLISHER, UNREGISTERED, payment } from "./test-support";

const cell = (record: string[], column: (typeof SPEND_COLUMNS)[number]) => record[SPEND_COLUMNS.indexOf(column)];

describe("spend file columns", () => {
  it("are the Transparency Code columns, in the reference order", () => {
    expect(SPEND_COLUMNS.join(",")).toBe(
      "Body Name,Body,Payment Date,Transaction Number,Department,Service / Expense Area,Beneficiary,Beneficiary " +
        "Registration Number,Summary of Purpose,Amount,Irrecoverable VAT,Merchant / Procurement Category,Expense " +
        "Type,Expense Code,Capital / Revenue,VCSE Grant (Y/N),Ledger Entry Ref",
    );
  });
});

describe("spendRecord", () => {
  it("maps a confirmed payment to the reference example row", () => {
    expect(spendRecord(PUBLISHER, payment())).toEqual([
      "Exampleshire Borough Council",
      "GB-LAE-EXB",
      "14/07/2025",
      "AP-2025-118834",
      "Communities and Neighbourhoods",
      "Ward Budgets - Riverside",
      "Riverside Allotment Society",
      "1123456",
      "Grant towards two raised accessible growing beds",
      "1500.00",
      "0.00",
      "Grants to voluntary organisations",
      "Grants and subscriptions",
      "",
      "Revenue",
      "Y",
      "01JZ3K7Q8M6T2V9XW4R5N0B1CD#412",
    ]);
  });

  it("has one cell per column", () => {
    expect(spendRecord(PUBLISHER, payment())).toHaveLength(SPEND_COLUMNS.length);
  });

  it("writes a reversal of a confirmed payment as a negative line carrying the payment's reference", () => {
    const record = spendRecord(
      PUBLISHER,
      payment({ reversal: true, entryId: "rev-1", seq: 500, paymentDate: "2025-08-02" }),
    );
    expect(cell(record, "Amount")).toBe("-1500.00");
    expect(cell(record, "Transaction Number")).toBe("AP-2025-118834");
    expect(cell(record, "Payment Date")).toBe("02/08/2025");
    expect(cell(record, "Ledger Entry Ref")).toBe("rev-1#500");
    expect(cell(record, "Summary of Purpose")).toBe(
      "Reversal of payment: Grant towards two raised accessible growing beds",
    );
    expect(cell(record, "Irrecoverable VAT")).toBe("0.00");
  });

  it("keeps a company number's leading zero", () => {
    expect(cell(spendRecord(PUBLISHER, payment({ recipient: COMPANY })), "Beneficiary Registration Number")).toBe(
      "01234567",
    );
  });

  it("leaves the registration number blank for an unregistered group", () => {
    expect(cell(spendRecord(PUBLISHER, payment({ recipient: UNREGISTERED })), "Beneficiary Registration Number")).toBe(
      "",
    );
  });

  it("names a PB round's service area after the fund, and a ward budget without a ward likewise", () => {
    expect(cell(spendRecord(PUBLISHER, payment({ fund: PB_FUND })), "Service / Expense Area")).toBe(
      "Riverside Participatory Budgeting Round 2",
    );
    expect(cell(spendRecord(PUBLISHER, payment({ ward: null })), "Service / Expense Area")).toBe(
      "Councillor Ward Budgets 2025/26",
    );
  });

  it("redacts an individual: no name, no number, not a VCSE grant", () => {
    const record = spendRecord(PUBLISHER, payment({ recipient: { ...PERSON, companyNumber: "01234567" } }));
    expect(cell(record, "Beneficiary")).toBe(REDACTED);
    expect(cell(record, "Beneficiary Registration Number")).toBe("");
    expect(cell(record, "VCSE Grant (Y/N)")).toBe("N");
    expect(cell(record, "Merchant / Procurement Category")).toBe("Grants to individuals");
    expect(record.join("|")).not.toContain("Jane Smith");
  });

  it("guards descriptive text against formulas but never the amount", () => {
    const record = spendRecord(
      PUBLISHER,
      payment({
        reversal: true,
        paymentRef: "=cmd|'/C calc'!A0",
        recipient: { ...UNREGISTERED, name: "@Home Group" },
        grant: { id: "G1", title: "t", summary: "+ raised beds" },
      }),
    );
    expect(cell(record, "Transaction Number")).toBe("'=cmd|'/C calc'!A0");
    expect(cell(record, "Beneficiary")).toBe("'@Home Group");
    expect(cell(record, "Amount")).toBe("-1500.00");
    expect(spendRecord(PUBLISHER, payment({ grant: { id: "G1", title: "t", summary: "-2+3" } }))[8]).toBe("'-2+3");
  });

  it("leaves a missing payment reference blank", () => {
    expect(cell(spendRecord(PUBLISHER, payment({ paymentRef: null })), "Transaction Number")).toBe("");
  });

  it("refuses a payment that is not a positive number of pence", () => {
    expect(() => spendRecord(PUBLISHER, payment({ pence: 0 }))).toThrow(ExportDataError);
    expect(() => spendRecord(PUBLISHER, payment({ pence: -5 }))).toThrow(ExportDataError);
    expect(() => spendRecord(PUBLISHER, payment({ pence: 10.5 }))).toThrow(ExportDataError);
  });

  it("refuses an impossible payment date", () => {
    expect(() => spendRecord(PUBLISHER, payment({ paymentDate: "2025-02-30" }))).toThrow(/payment date/);
  });
});

describe("spendRows threshold", () => {
  const rows = [
    payment({ entryId: "a", pence: 49_999 }),
    payment({ entryId: "b", pence: 50_000 }),
    payment({ entryId: "c", pence: 50_001 }),
    payment({ entryId: "d", pence: 150_000 }),
    payment({ entryId: "e", pence: 50_000, reversal: true }),
    payment({ entryId: "f", pence: 150_000, reversal: true }),
  ];
  const refs = (records: string[][]) => records.map((r) => cell(r, "Ledger Entry Ref")!.split("#")[0]);

  it("defaults to items over £500: exactly £500 is not over", () => {
    expect(DEFAULT_SPEND_THRESHOLD_PENCE).toBe(50_000);
    expect(refs([...spendRows(PUBLISHER, rows)])).toEqual(["c", "d", "f"]);
  });

  it("applies a configured threshold", () => {
    expect(refs([...spendRows(PUBLISHER, rows, { thresholdPence: 25_000 })])).toEqual(["a", "b", "c", "d", "e", "f"]);
    expect(refs([...spendRows(PUBLISHER, rows, { thresholdPence: 100_000 })])).toEqual(["d", "f"]);
    expect(refs([...spendRows(PUBLISHER, rows, { thresholdPence: 0 })])).toHaveLength(6);
  });

  it("keeps a reversal line exactly when its payment's line is kept", () => {
    for (const threshold of [0, 49_999, 50_000, 149_999, 150_000]) {
      const kept = refs([...spendRows(PUBLISHER, rows, { thresholdPence: threshold })]);
      expect(kept.includes("b")).toBe(kept.includes("e"));
      expect(kept.includes("d")).toBe(kept.includes("f"));
    }
    expect(exceedsThreshold(-150_000, 100_000)).toBe(true);
  });

  it("sums to the net spend: a reversed payment cancels out", () => {
    const records = [
      ...spendRows(PUBLISHER, [
        payment({ entryId: "p" }),
        payment({ entryId: "r", reversal: true }),
        payment({ entryId: "q", pence: 60_000 }),
      ]),
    ];
    const total = records.reduce((sum, r) => sum + Math.round(Number(cell(r, "Amount")) * 100), 0);
    expect(total).toBe(60_000);
  });

  it("refuses a negative or fractional threshold", () => {
    expect(() => [...spendRows(PUBLISHER, rows, { thresholdPence: -1 })]).toThrow(ExportDataError);
    expect(() => [...spendRows(PUBLISHER, rows, { thresholdPence: 0.5 })]).toThrow(ExportDataError);
  });

  it("is lazy: it reads only as many rows as are asked for", () => {
    let read = 0;
    function* source() {
      for (let i = 0; i < 1_000_000; i += 1) {
        read += 1;
        yield payment({ entryId: `p${i}` });
      }
    }
    const iterator = spendRows(PUBLISHER, source());
    iterator.next();
    iterator.next();
    expect(read).toBe(2);
  });
});
