import { describe, expect, it } from "vitest";
import { ExportDataError } from "./format";
import { COMPANY, PERSON, PUBLISHER, UNREGISTERED, award } from "./test-support";
import { isVcseAward, VCSE_COLUMNS, vcseRecord, vcseRows } from "./vcse";

const cell = (record: string[], column: (typeof VCSE_COLUMNS)[number]) => record[VCSE_COLUMNS.indexOf(column)];

describe("VCSE register", () => {
  it("has the reference columns in order", () => {
    expect(VCSE_COLUMNS.join(",")).toBe(
      "Date Awarded,Grant Period Start,Grant Period End,Department,Beneficiary,Beneficiary Registration " +
        "Number,Purpose,Amount Awarded,Grant Identifier,Scheme,Ward,Ward Code",
    );
  });

  it("maps an award to the reference example row", () => {
    expect(
      vcseRecord(
        { ...PUBLISHER, prefix: "exampleshire" },
        award({
          grant: { id: "WB-2025-0042", title: "Beds", summary: "Raised accessible growing beds for disabled members" },
        }),
      ),
    ).toEqual([
      "12/06/2025",
      "01/07/2025",
      "31/03/2026",
      "Communities and Neighbourhoods",
      "Riverside Allotment Society",
      "1123456",
      "Raised accessible growing beds for disabled members",
      "1500.00",
      "360G-exampleshire-WB-2025-0042",
      "Councillor Ward Budgets 2025/26",
      "Riverside",
      "E05012345",
    ]);
  });

  it("writes the net committed amount, with pence", () => {
    expect(cell(vcseRecord(PUBLISHER, award({ awardedPence: 95_050 })), "Amount Awarded")).toBe("950.50");
  });

  it("leaves grant period and ward blank when unknown", () => {
    const record = vcseRecord(PUBLISHER, award({ plannedStart: null, plannedEnd: null, ward: null }));
    expect(cell(record, "Grant Period Start")).toBe("");
    expect(cell(record, "Grant Period End")).toBe("");
    expect(cell(record, "Ward")).toBe("");
    expect(cell(record, "Ward Code")).toBe("");
  });

  it("keeps a company number's leading zero and leaves an unregistered group's number blank", () => {
    expect(cell(vcseRecord(PUBLISHER, award({ recipient: COMPANY })), "Beneficiary Registration Number")).toBe(
      "01234567",
    );
    expect(cell(vcseRecord(PUBLISHER, award({ recipient: UNREGISTERED })), "Beneficiary Registration Number")).toBe("");
  });

  it("leaves out awards withdrawn in full and grants to individuals", () => {
    const rows = [
      award({ grant: { id: "G1", title: "a", summary: "a" } }),
      award({ grant: { id: "G2", title: "b", summary: "b" }, awardedPence: 0 }),
      award({ grant: { id: "G3", title: "c", summary: "c" }, recipient: PERSON }),
      award({ grant: { id: "G4", title: "d", summary: "d" }, recipient: COMPANY }),
    ];
    expect(rows.map(isVcseAward)).toEqual([true, false, false, true]);
    expect([...vcseRows(PUBLISHER, rows)].map((r) => cell(r, "Grant Identifier"))).toEqual([
      "360G-GB-LAE-EXB-G1",
      "360G-GB-LAE-EXB-G4",
    ]);
  });

  it("guards the purpose and beneficiary against formulas", () => {
    const record = vcseRecord(
      PUBLISHER,
      award({ recipient: { ...UNREGISTERED, name: "=1+1" }, grant: { id: "G1", title: "t", summary: "@risk" } }),
    );
    expect(cell(record, "Beneficiary")).toBe("'=1+1");
    expect(cell(record, "Purpose")).toBe("'@risk");
  });

  it("refuses a malformed award date rather than publishing it", () => {
    expect(() => vcseRecord(PUBLISHER, award({ awardDate: "12/06/2025" }))).toThrow(ExportDataError);
  });
});
