import { describe, expect, it } from "vitest";
import { ExportDataError } from "./format";
import {
  defaultThreeSixtyGivingPrefix,
  geoCodeTypeOf,
  grantIdentifier,
  individualIdentifier,
  isRegistered,
  isThreeSixtyGivingPrefix,
  normaliseCompanyNumber,
  parseCharityNumber,
  recipientOrgIdentifier,
  registeredNumbers,
  registrationNumber,
  unregisteredOrgIdentifier,
} from "./identifiers";

const PREFIX = "GB-LAE-EXB";

describe("grant identifiers", () => {
  it("are 360G-{prefix}-{grant id}", () => {
    expect(grantIdentifier(PREFIX, "WB-2025-26-G042")).toBe("360G-GB-LAE-EXB-WB-2025-26-G042");
    expect(grantIdentifier("exampleshire", "PB-R2.007")).toBe("360G-exampleshire-PB-R2.007");
  });

  it.each(["WB/2025/26", "WB\\2025", "has space", "", "x".repeat(101)])("refuse grant id %j", (id) => {
    expect(() => grantIdentifier(PREFIX, id)).toThrow(ExportDataError);
  });

  it("refuse a prefix that would break the identifier", () => {
    expect(isThreeSixtyGivingPrefix("GB-LAE-EXB")).toBe(true);
    expect(isThreeSixtyGivingPrefix("-bad")).toBe(false);
    expect(isThreeSixtyGivingPrefix("bad-")).toBe(false);
    expect(isThreeSixtyGivingPrefix("a/b")).toBe(false);
    expect(() => grantIdentifier("a b", "G1")).toThrow(ExportDataError);
  });

  it("default the prefix to the council's org id", () => {
    expect(defaultThreeSixtyGivingPrefix(" GB-LAE-EBK ")).toBe("GB-LAE-EBK");
  });
});

describe("charity numbers", () => {
  it("read England and Wales, Scotland and Northern Ireland numbers", () => {
    expect(parseCharityNumber("1123456")).toEqual({ register: "GB-CHC", number: "1123456", idPart: "1123456" });
    expect(parseCharityNumber(" 1123 456 ")).toEqual({ register: "GB-CHC", number: "1123456", idPart: "1123456" });
    expect(parseCharityNumber("1123456-1")).toEqual({ register: "GB-CHC", number: "1123456-1", idPart: "1123456" });
    expect(parseCharityNumber("sc012345")).toEqual({ register: "GB-SC", number: "SC012345", idPart: "SC012345" });
    expect(parseCharityNumber("NIC100002")).toEqual({ register: "GB-NIC", number: "NIC100002", idPart: "100002" });
    expect(parseCharityNumber("NI100002")).toEqual({ register: "GB-NIC", number: "NIC100002", idPart: "100002" });
  });

  it.each([null, "", "  ", "pending", "12", "SC12345", "=1+1"])("ignore %j", (raw) => {
    expect(parseCharityNumber(raw)).toBeNull();
  });
});

describe("company numbers", () => {
  it("keep leading zeros", () => {
    expect(normaliseCompanyNumber("01234567")).toBe("01234567");
    expect(normaliseCompanyNumber("00012345")).toBe("00012345");
  });

  it("put back leading zeros a spreadsheet dropped", () => {
    expect(normaliseCompanyNumber("1234567")).toBe("01234567");
    expect(normaliseCompanyNumber("12345")).toBe("00012345");
  });

  it("keep Scottish, Northern Irish and LLP prefixes", () => {
    expect(normaliseCompanyNumber("sc123456")).toBe("SC123456");
    expect(normaliseCompanyNumber("NI 012345")).toBe("NI012345");
    expect(normaliseCompanyNumber("OC301234")).toBe("OC301234");
  });

  it.each([null, "", "00000000", "123456789", "SC12345", "ABC", "12-345"])("ignore %j", (raw) => {
    expect(normaliseCompanyNumber(raw)).toBeNull();
  });
});

describe("recipient organisation identifiers", () => {
  it("use GB-CHC for an England and Wales charity", () => {
    expect(recipientOrgIdentifier(PREFIX, { id: 1, charityNumber: "1123456", companyNumber: null })).toBe(
      "GB-CHC-1123456",
    );
    expect(recipientOrgIdentifier(PREFIX, { id: 1, charityNumber: "1123456-2", companyNumber: null })).toBe(
      "GB-CHC-1123456",
    );
  });

  it("use GB-SC and GB-NIC for Scottish and Northern Irish charities", () => {
    expect(recipientOrgIdentifier(PREFIX, { id: 1, charityNumber: "SC012345", companyNumber: null })).toBe(
      "GB-SC-SC012345",
    );
    expect(recipientOrgIdentifier(PREFIX, { id: 1, charityNumber: "NIC100002", companyNumber: null })).toBe(
      "GB-NIC-100002",
    );
  });

  it("use GB-COH with all 8 characters, leading zeros kept", () => {
    expect(recipientOrgIdentifier(PREFIX, { id: 1, charityNumber: null, companyNumber: "01234567" })).toBe(
      "GB-COH-01234567",
    );
    expect(recipientOrgIdentifier(PREFIX, { id: 1, charityNumber: null, companyNumber: "1234567" })).toBe(
      "GB-COH-01234567",
    );
    expect(recipientOrgIdentifier(PREFIX, { id: 1, charityNumber: null, companyNumber: "SC123456" })).toBe(
      "GB-COH-SC123456",
    );
  });

  it("prefer the charity number for a charitable company", () => {
    expect(recipientOrgIdentifier(PREFIX, { id: 1, charityNumber: "1143210", companyNumber: "08765432" })).toBe(
      "GB-CHC-1143210",
    );
  });

  it("give an unregistered group a 360G-{prefix}-ORG-{id} identifier", () => {
    expect(recipientOrgIdentifier(PREFIX, { id: 12, charityNumber: null, companyNumber: null })).toBe(
      "360G-GB-LAE-EXB-ORG-12",
    );
    expect(recipientOrgIdentifier(PREFIX, { id: 12, charityNumber: "pending", companyNumber: "" })).toBe(
      "360G-GB-LAE-EXB-ORG-12",
    );
    expect(unregisteredOrgIdentifier("exampleshire", 3)).toBe("360G-exampleshire-ORG-3");
  });

  it("give an individual a 360G-{prefix}-IND-{id} identifier", () => {
    expect(individualIdentifier(PREFIX, 44)).toBe("360G-GB-LAE-EXB-IND-44");
  });
});

describe("registration numbers for the Transparency Code files", () => {
  it("give the charity number, else the company number, else blank", () => {
    expect(registrationNumber({ charityNumber: "1143210", companyNumber: "08765432" })).toBe("1143210");
    expect(registrationNumber({ charityNumber: null, companyNumber: "08765432" })).toBe("08765432");
    expect(registrationNumber({ charityNumber: null, companyNumber: "8765432" })).toBe("08765432");
    expect(registrationNumber({ charityNumber: null, companyNumber: null })).toBe("");
  });

  it("normalise both bare numbers and say whether the organisation is registered", () => {
    expect(registeredNumbers({ charityNumber: " 1143210 ", companyNumber: "8765432" })).toEqual({
      charityNumber: "1143210",
      companyNumber: "08765432",
    });
    expect(isRegistered({ charityNumber: null, companyNumber: "01234567" })).toBe(true);
    expect(isRegistered({ charityNumber: "", companyNumber: null })).toBe(false);
  });
});

describe("geographic code type", () => {
  it("is WD for a ward GSS code in any UK nation", () => {
    for (const code of ["E05012345", "W05000001", "S13002516", "N08000101"]) expect(geoCodeTypeOf(code)).toBe("WD");
  });

  it("is blank for anything else", () => {
    for (const code of ["E06000001", "E0501234", "", null]) expect(geoCodeTypeOf(code)).toBe("");
  });
});
