import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, monthName } from "./locale-format";

describe("Welsh dates", () => {
  it("are written the same as Intl's full Welsh data writes them, without needing it", () => {
    const full = new Intl.DateTimeFormat("cy", { dateStyle: "long", timeZone: "Europe/London" });
    for (const iso of ["2026-01-05", "2026-03-31", "2026-12-17", "2027-07-01"]) {
      expect(formatDate(iso, "cy")).toBe(full.format(new Date(`${iso}T12:00:00Z`)));
    }
    expect(formatDate("2026-12-17", "cy")).toBe("17 Rhagfyr 2026");
    expect(formatDate("2026-12-17", "en")).toBe("17 December 2026");
  });

  it("give the UK time, on summer time too, and Welsh month names", () => {
    expect(formatDateTime("2026-07-01T13:05:00Z", "cy")).toBe("1 Gorffennaf 2026, 2:05yh");
    expect(formatDateTime("2026-12-03T09:00:00Z", "cy")).toBe("3 Rhagfyr 2026, 9yb");
    expect(formatDateTime("2026-07-01T13:05:00Z", "en")).toBe("1 July 2026, 2:05pm");
    expect(monthName(3, "cy")).toBe("Mawrth");
    expect(monthName(3, "en")).toBe("March");
  });
});
