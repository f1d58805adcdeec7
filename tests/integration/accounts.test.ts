import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, outbox, passwordTokens, signInFailures, users } from "~/db/schema";
import {
  checkPasswordToken,
  findUserByEmail,
  registerResident,
  requestPasswordReset,
  setPasswordWithToken,
  signInWithPassword,
} from "~/models/accounts.server";
import { verifyPassword } from "~/utils/auth.server";
import { registerConfirmed } from "../support/accounts";
import { createTestDatabase, type TestDatabase } from "../support/database";

const mailOptions = (linkFor: (token: string) => string = () => "link", now?: number) => ({
  clientAddress: "198.51.100.1",
  linkFor,
  now,
});

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

describe("registration", () => {
  it("creates an unconfirmed resident with an argon2id hash and an audit event", async () => {
    const result = await registerResident(
      { name: "Ann Example", email: " Ann@Example.org ", password: "correct horse battery", postcode: "EB1 1AA" },
      mailOptions(),
    );
    expect(result).toMatchObject({ ok: true });
    const id = findUserByEmail("ann@example.org")!.id;
    const user = t.db.select().from(users).where(eq(users.id, id)).get()!;
    expect(user.emailVerifiedAt).toBeNull();
    expect(user.email).toBe("ann@example.org");
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user.passwordHash!, "correct horse battery")).toBe(true);
    const events = t.db.select().from(auditEvents).where(eq(auditEvents.entityId, id)).all();
    expect(events.map((e) => e.action)).toContain("account.register");
  });

  it("makes no second account with the same email, whatever its case, and mails the holder instead", async () => {
    const result = await registerResident(
      { name: "Dup", email: "ANN@example.org", password: "another long password", postcode: null },
      mailOptions(),
    );
    expect(result).toMatchObject({ ok: true });
    expect(t.db.select().from(users).where(eq(users.email, "ann@example.org")).all()).toHaveLength(1);
    const note = t.db
      .select()
      .from(outbox)
      .where(eq(outbox.id, (result as { mailId: number }).mailId))
      .get()!;
    expect(note.subject).toBe("You already have a Wardfund account");
  });
});

describe("sign-in and rate limiting", () => {
  it("accepts the right password and refuses a wrong one", async () => {
    await registerConfirmed({ name: "Bea", email: "bea@example.org", password: "bea's long password", postcode: null });
    expect(await signInWithPassword("bea@example.org", "bea's long password", "10.0.0.1")).toMatchObject({ ok: true });
    expect(await signInWithPassword("bea@example.org", "wrong", "10.0.0.1")).toEqual({ ok: false, reason: "invalid" });
    expect(await signInWithPassword("nobody@example.org", "wrong", "10.0.0.1")).toEqual({
      ok: false,
      reason: "invalid",
    });
  });

  it("locks an account after five failures, even with the right password, until the window passes", async () => {
    await registerConfirmed({ name: "Cal", email: "cal@example.org", password: "cal's long password", postcode: null });
    const now = Date.now();
    for (let i = 0; i < 5; i += 1) {
      expect(await signInWithPassword("cal@example.org", `wrong ${i}`, `10.0.1.${i}`, now)).toEqual({
        ok: false,
        reason: "invalid",
      });
    }
    const locked = await signInWithPassword("cal@example.org", "cal's long password", "10.0.1.99", now);
    expect(locked).toMatchObject({ ok: false, reason: "locked", scope: "account" });
    const later = now + 16 * 60_000;
    expect(await signInWithPassword("cal@example.org", "cal's long password", "10.0.1.99", later)).toMatchObject({
      ok: true,
    });
  });

  it("limits an address that tries many accounts, and never stores the raw address", async () => {
    const now = Date.now();
    for (let i = 0; i < 20; i += 1) await signInWithPassword(`spray${i}@example.org`, "guess", "192.0.2.7", now);
    const result = await signInWithPassword("bea@example.org", "bea's long password", "192.0.2.7", now);
    expect(result).toMatchObject({ ok: false, reason: "locked", scope: "address" });
    const stored = t.db.select().from(signInFailures).all();
    expect(stored.some((row) => row.ip.includes("192.0.2.7"))).toBe(false);
  });
});

describe("password reset tokens", () => {
  it("mails a link whose token works once and is stored only as a hash", async () => {
    let link = "";
    const result = requestPasswordReset(
      "bea@example.org",
      mailOptions((token) => (link = `http://localhost/reset-password/${token}`)),
    );
    const mailId = result.ok ? result.mailId : null;
    expect(mailId).not.toBeNull();
    const mail = t.db.select().from(outbox).where(eq(outbox.id, mailId!)).get()!;
    expect(mail.body).toContain(link);
    const token = link.split("/").pop()!;
    expect(
      t.db
        .select()
        .from(passwordTokens)
        .all()
        .some((row) => row.tokenHash === token),
    ).toBe(false);

    expect(checkPasswordToken(token)).toMatchObject({ ok: true, purpose: "reset" });
    expect(await setPasswordWithToken(token, "a brand new password")).toMatchObject({ ok: true });
    expect(await setPasswordWithToken(token, "yet another password")).toMatchObject({
      ok: false,
      message: "account:link.used",
    });
    const user = findUserByEmail("bea@example.org")!;
    expect(await verifyPassword(user.passwordHash!, "a brand new password")).toBe(true);
  });

  it("refuses an expired token and an unknown one", async () => {
    let token = "";
    const issuedAt = Date.now() - 2 * 60 * 60_000;
    requestPasswordReset(
      "bea@example.org",
      mailOptions((value) => (token = value), issuedAt),
    );
    expect(checkPasswordToken(token)).toMatchObject({ ok: false, message: "account:link.expired" });
    expect(checkPasswordToken("not-a-token")).toMatchObject({ ok: false });
  });

  it("sends nothing to an address without an account, and answers the same", () => {
    expect(requestPasswordReset("stranger@example.org", mailOptions())).toEqual({ ok: true, mailId: null });
  });
});

describe("the audit trail is append-only", () => {
  it("refuses UPDATE and DELETE", () => {
    expect(() => t.db.$client.prepare("update audit_events set action = 'edited'").run()).toThrow(/append-only/);
    expect(() => t.db.$client.prepare("delete from audit_events").run()).toThrow(/append-only/);
  });
});

describe("sessions", () => {
  it("ends the session a request came with when a new one starts (no fixation)", async () => {
    const { startSession, getAuth } = await import("~/utils/auth.server");
    const user = findUserByEmail("bea@example.org")!;
    const first = (await startSession(new Request("http://localhost/login"), user.id)).split(";")[0]!;
    const withFirst = new Request("http://localhost/login", { headers: { Cookie: first } });
    expect((await getAuth(withFirst)).user?.id).toBe(user.id);
    const second = (await startSession(withFirst, user.id)).split(";")[0]!;
    expect(second).not.toBe(first);
    expect((await getAuth(new Request("http://localhost/", { headers: { Cookie: first } }))).user).toBeNull();
    expect((await getAuth(new Request("http://localhost/", { headers: { Cookie: second } }))).user?.id).toBe(user.id);
  });
});
