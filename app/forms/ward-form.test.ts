import { describe, expect, it } from "vitest";
import { wardSchema } from "./ward-form";

const ward = (population: string) => wardSchema.safeParse({ name: "Abbey Fields", gssCode: "E05990001", population });

describe("the ward form", () => {
  it("accepts a population written with thousands separators", () => {
    expect(ward("10,250").data?.population).toBe(10_250);
    expect(ward("1,234,567").data?.population).toBe(1_234_567);
    expect(ward("10 250").data?.population).toBe(10_250);
    expect(ward(" 9800 ").data?.population).toBe(9_800);
  });

  it("refuses what is not a whole number", () => {
    for (const bad of ["", "ten", "10.5", "1,0250", "-3"]) expect(ward(bad).success, bad).toBe(false);
    expect(ward("").error!.issues[0]!.message).toBe("forms:ward.populationWhole");
  });
});
