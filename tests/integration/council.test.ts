import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, postcodes, roleGrants } from "~/db/schema";
import { findUserByEmail } from "~/models/accounts.server";
import {
  createWard,
  importPostcodes,
  listWards,
  setWardCouncillors,
  updateWard,
  wardForPostcode,
} from "~/models/council.server";
import { readPostcodeCsv } from "~/models/postcode-csv.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { Refusal } from "~/utils/refusal";
import { messageText } from "~/utils/message-text";

let t: TestDatabase;
const actor = { id: "admin-test", name: "Test Admin" };
beforeAll(async () => {
  t = await createTestDatabase({ seed: true });
});
afterAll(() => t.close());

function auditFor(entityType: string, entityId: string) {
  return t.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.entityId, entityId))
    .all()
    .filter((e) => e.entityType === entityType);
}

describe("wards", () => {
  it("creates a ward and audits it in the same transaction", () => {
    const ward = createWard(actor, { name: "Kingsmead", gssCode: "E05990011", population: 9000 });
    const events = auditFor("ward", String(ward.id));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "ward.created", actorName: "Test Admin" });
    expect(JSON.parse(events[0]!.after!)).toEqual({ name: "Kingsmead", gssCode: "E05990011", population: 9000 });
  });

  it("refuses a duplicate GSS code and writes nothing", () => {
    const before = t.db.select().from(auditEvents).all().length;
    expect(() => createWard(actor, { name: "Elsewhere", gssCode: "E05990011", population: 1 })).toThrow(Refusal);
    expect(t.db.select().from(auditEvents).all().length).toBe(before);
  });

  it("records before and after when a ward changes, and moves its postcodes with a new code", () => {
    const ward = listWards().find((w) => w.name === "Abbey Fields")!;
    updateWard(actor, ward.id, { name: "Abbey Fields", gssCode: "E05990099", population: 11300 });
    const event = auditFor("ward", String(ward.id)).find((e) => e.action === "ward.updated")!;
    expect(JSON.parse(event.before!)).toMatchObject({ gssCode: "E05990001", population: 11240 });
    expect(JSON.parse(event.after!)).toMatchObject({ gssCode: "E05990099", population: 11300 });
    expect(wardForPostcode("EB1 1AA")?.gssCode).toBe("E05990099");
  });

  it("sets a ward's councillors and audits the change", () => {
    const ward = listWards().find((w) => w.name === "Brookside")!;
    const newcomer = findUserByEmail("resident@eastbrook.example")!;
    setWardCouncillors(actor, ward.id, [...ward.councillors.map((c) => c.id), newcomer.id]);
    const grants = t.db.select().from(roleGrants).where(eq(roleGrants.userId, newcomer.id)).all();
    expect(grants.some((g) => g.role === "councillor" && g.wardId === ward.id)).toBe(true);
    expect(auditFor("ward", String(ward.id)).map((e) => e.action)).toContain("ward.councillors-changed");
  });
});

describe("postcode import", () => {
  it("imports thousands of rows in one transaction and reports bad rows by line", () => {
    const header = "pcd,pcd2,pcds,dointr,osward,oslaua\n";
    const lines: string[] = [];
    for (let i = 0; i < 5000; i += 1) {
      const sector = i % 10;
      const unit =
        String.fromCharCode(65 + (Math.floor(i / 10) % 26)) + String.fromCharCode(65 + (Math.floor(i / 260) % 26));
      lines.push(`x,x,"ZZ9 ${sector}${unit}",202401,E05990002,E06000001`);
    }
    lines.push('x,x,"not a postcode",202401,E05990002,E06000001');
    lines.push('x,x,"ZZ8 1AA",202401,E05000000,E06000001');
    const csv = "\uFEFF" + header + lines.join("\r\n") + "\r\n";
    const wardCodes = new Set(listWards().map((w) => w.gssCode));
    const read = readPostcodeCsv(csv, wardCodes);
    expect(read.problems.map((p) => ({ line: p.line, message: messageText(p.message, "en") }))).toEqual([
      { line: 5002, message: "“not a postcode” is not a UK postcode" },
      { line: 5003, message: "ward E05000000 is not one of this council’s wards" },
    ]);
    const summary = importPostcodes(actor, "onspd.csv", read.rows, read.problems);
    expect(summary.imported).toBe(read.rows.length);
    expect(read.rows.length).toBeGreaterThan(2500);
    expect(
      t.db.select().from(postcodes).where(eq(postcodes.wardGssCode, "E05990002")).all().length,
    ).toBeGreaterThanOrEqual(read.rows.length);
    expect(auditFor("postcodes", "onspd.csv")[0]).toMatchObject({ action: "postcodes.imported" });
  });
});
