import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SERVICE_COOKIES } from "~/core/public-pages/cookies";
import { formatDate, formatMoney, monthName } from "~/core/locale-format";
import { pickLocalised } from "~/core/localised";
import { accountClosures, auditEvents, councilSettings, groupMembers, outbox, sessions, users } from "~/db/schema";
import { findUserByEmail, registerResident } from "~/models/accounts.server";
import { recordAudit } from "~/models/audit.server";
import {
  AccountClosureRefused,
  closeAccount,
  CLOSED_ACCOUNT_NAME,
  collectPersonalData,
  personalDataRows,
} from "~/models/personal-data.server";
import { getPublicPage, markdownTree, savePublicPage } from "~/models/public-pages.server";
import { notifyUsers } from "~/models/notifications.server";
import { queueMail } from "~/utils/mail.server";
import { env } from "~/utils/env.server";
import { offeredLanguages, requestLanguage } from "~/utils/i18n.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { userId } from "../factories";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase({ seed: "people" });
});
afterAll(() => t.close());

describe("the language of a request", () => {
  const req = (url: string, headers: Record<string, string> = {}) => new Request(`http://localhost${url}`, { headers });

  it("follows ?lng=, then the cookie, then Accept-Language, among the languages the council offers", async () => {
    expect(offeredLanguages()).toEqual(["cy", "en"]);
    expect(await requestLanguage(req("/", { "Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5" }))).toBe("cy");
    expect(await requestLanguage(req("/", { "Accept-Language": "en-GB" }))).toBe("en");
    expect(await requestLanguage(req("/?lng=cy", { "Accept-Language": "en-GB" }))).toBe("cy");
    // The cookie is the one the server set (Remix's signed-free base64 JSON encoding).
    const cookie = `wardfund_lng=${encodeURIComponent(Buffer.from(JSON.stringify("cy")).toString("base64"))}`;
    expect(await requestLanguage(req("/", { Cookie: cookie, "Accept-Language": "en" }))).toBe("cy");
    expect(await requestLanguage(req("/?lng=fr"))).toBe("en");
  });

  it("offers English only when the council chooses English only", async () => {
    t.db.update(councilSettings).set({ languages: "en" }).run();
    try {
      expect(offeredLanguages()).toEqual(["en"]);
      expect(await requestLanguage(req("/?lng=cy", { "Accept-Language": "cy" }))).toBe("en");
    } finally {
      t.db.update(councilSettings).set({ languages: "cy,en" }).run();
    }
  });
});

describe("mail in the recipient's language", () => {
  it("is written from the catalogue in each recipient's language, and its links open in that language", () => {
    const welsh = findUserByEmail("finance@eastbrook.example")!;
    const english = findUserByEmail("admin@eastbrook.example")!;
    t.db.update(users).set({ language: "cy" }).where(eq(users.id, welsh.id)).run();
    const ids = notifyUsers(t.db, {
      userIds: [welsh.id, english.id],
      topic: "essential",
      subject: (tr) => tr("mail:bankDetailsChanged.subject", { group: "Clwb Ieuenctid" }),
      body: (tr) =>
        tr("mail:bankDetailsChanged.body", {
          person: "Ann",
          group: "Clwb",
          version: 2,
          verified: 1,
          path: "/admin/groups/7",
        }),
    });
    const sent = ids.map((id) => t.db.select().from(outbox).where(eq(outbox.id, id)).get()!);
    const toWelsh = sent.find((m) => m.toAddress === welsh.email)!;
    const toEnglish = sent.find((m) => m.toAddress === english.email)!;
    expect(toWelsh.subject).toBe("Clwb Ieuenctid: manylion banc wedi newid, dilysu wedi'i dynnu'n ôl");
    expect(toWelsh.body).toMatch(/^Annwyl /);
    expect(toWelsh.body).toMatch(/\/admin\/groups\/7\?lng=cy\./);
    expect(toEnglish.body).toMatch(/^Dear /);
    expect(toEnglish.body).toMatch(/\/admin\/groups\/7\?lng=en\./);
    t.db.update(users).set({ language: "en" }).where(eq(users.id, welsh.id)).run();
  });
});

describe("locale formatting and council content", () => {
  it("writes Welsh month names and the same money in both languages", () => {
    expect(formatDate("2026-03-01", "cy")).toBe("1 Mawrth 2026");
    expect(formatDate("2026-03-01", "en")).toBe("1 March 2026");
    expect(monthName(12, "cy")).toBe("Rhagfyr");
    expect(formatMoney(150050, "cy")).toBe("£1,500.50");
    expect(formatMoney(-5, "en")).toBe("-£0.05");
  });

  it("shows the reader's language and says when the other is shown instead", () => {
    expect(pickLocalised({ en: "Brookside", cy: "Glan y Nant" }, "cy")).toEqual({
      text: "Glan y Nant",
      language: "cy",
    });
    expect(pickLocalised({ en: "Brookside", cy: null }, "cy")).toEqual({ text: "Brookside", language: "en" });
    expect(pickLocalised({ en: "", cy: "Glan y Nant" }, "en")).toEqual({ text: "Glan y Nant", language: "cy" });
  });

  it("seeds the demo council with its wards in Welsh", () => {
    const names = t.db.$client.prepare("select name, name_cy from wards order by name").all() as {
      name: string;
      name_cy: string | null;
    }[];
    expect(names.every((w) => w.name_cy && w.name_cy !== w.name)).toBe(true);
  });
});

describe("the pages a council must publish", () => {
  it("have defaults in both languages that state the retention settings", () => {
    const en = getPublicPage("privacy", "en");
    const cy = getPublicPage("privacy", "cy");
    expect(en.isDefault).toBe(true);
    expect(en.markdown).toContain(`${env().RETENTION_MAIL_BODY_DAYS} days after they are sent`);
    expect(cy.markdown).toContain(`${env().RETENTION_MAIL_BODY_DAYS} diwrnod ar ôl eu hanfon`);
    expect(en.markdown).toContain("special category");
    expect(cy.markdown).toContain("categori arbennig");
    const statement = getPublicPage("accessibility", "en").markdown;
    for (const heading of [
      "## How accessible this website is",
      "## Feedback and contact information",
      "## Enforcement procedure",
      "### Compliance status",
      "### Non-accessible content",
      "## Preparation of this accessibility statement",
    ])
      expect(statement).toContain(heading);
  });

  it("list every cookie the code sets", () => {
    const sources = [
      "app/utils/auth.server.ts",
      "app/utils/vote-code-cookie.server.ts",
      "app/utils/i18n.server.ts",
    ].map((f) => fs.readFileSync(path.join(process.cwd(), f), "utf8"));
    const setInCode = new Set(sources.flatMap((s) => [...s.matchAll(/"(wardfund_[a-z_]+)"/g)].map((m) => m[1]!)));
    const appFiles = fs.readdirSync(path.join(process.cwd(), "app"), { recursive: true }) as string[];
    const cookieWriters = appFiles.filter(
      (f) =>
        /\.(ts|tsx)$/.test(f) &&
        /createCookie\(|Set-Cookie/.test(fs.readFileSync(path.join(process.cwd(), "app", f), "utf8")),
    );
    expect(cookieWriters.length).toBeGreaterThan(0);
    expect(new Set(SERVICE_COOKIES.map((c) => c.name))).toEqual(setInCode);
  });

  it("save an administrator's text with an audit event, and go back to the default", () => {
    const admin = findUserByEmail("admin@eastbrook.example")!;
    savePublicPage(admin, "cookies", "cy", "# Cwcis\n\nTestun y cyngor.");
    expect(getPublicPage("cookies", "cy")).toMatchObject({ isDefault: false, markdown: "# Cwcis\n\nTestun y cyngor." });
    expect(getPublicPage("cookies", "en").isDefault).toBe(true);
    savePublicPage(admin, "cookies", "cy", "  ");
    expect(getPublicPage("cookies", "cy").isDefault).toBe(true);
    const events = t.db.select().from(auditEvents).where(eq(auditEvents.entityId, "cookies:cy")).all();
    expect(events.map((e) => e.action)).toEqual(["public-page.saved", "public-page.reset"]);
  });

  it("render Markdown without passing raw HTML through", () => {
    const tree = markdownTree("# Hi\n\n<script>alert(1)</script>");
    expect(tree.children[0]?.type).toBe("heading");
    expect(tree.children[1]).toMatchObject({ type: "html", value: "<script>alert(1)</script>" });
  });
});

describe("a resident's data", () => {
  let residentId: string;
  beforeAll(async () => {
    const registered = await registerResident(
      { name: "Siân Prydderch", email: "sian@example.org", password: "a long enough password", postcode: "EB1 1AA" },
      { clientAddress: "203.0.113.7", linkFor: (token) => `https://grants.example/confirm-email/${token}` },
    );
    expect(registered.ok).toBe(true);
    residentId = userId(t.db, "sian@example.org");
    const groupId = t.db.$client.prepare("select id from community_groups limit 1").get() as { id: number } | undefined;
    if (groupId) t.db.insert(groupMembers).values({ groupId: groupId.id, userId: residentId }).run();
    t.db.$client.prepare("update users set date_of_birth = '1990-05-04' where id = ?").run(residentId);
    recordAudit(t.db, { actor: { id: residentId, name: "Siân Prydderch" }, action: "bid.drafted", entityType: "bid" });
    queueMail(t.db, { to: "sian@example.org", subject: "Croeso", body: "Helo Siân" });
  });

  it("is all in the download: account, postcode, date of birth, memberships and audit events", () => {
    const data = collectPersonalData(residentId)!;
    expect(data.account).toMatchObject({ name: "Siân Prydderch", postcode: "EB1 1AA", dateOfBirth: "1990-05-04" });
    expect(data.auditEvents.map((e) => e.action)).toEqual(["account.register", "bid.drafted"]);
    expect(data.auditEvents[1]!.asActor).toBe(true);
    expect(JSON.stringify(data)).not.toMatch(/ranking|ballot/i);
    const rows = personalDataRows(data);
    expect(rows).toContainEqual({ section: "account", field: "dateOfBirth", value: "1990-05-04" });
  });

  it("is erased when the account is closed, leaving a pseudonymous id in the audit trail", () => {
    closeAccount(residentId);
    const user = t.db.select().from(users).where(eq(users.id, residentId)).get()!;
    expect(user).toMatchObject({ name: CLOSED_ACCOUNT_NAME, postcode: null, dateOfBirth: null, passwordHash: null });
    expect(user.email).not.toContain("sian");
    expect(t.db.select().from(sessions).where(eq(sessions.userId, residentId)).all()).toEqual([]);
    expect(t.db.select().from(groupMembers).where(eq(groupMembers.userId, residentId)).all()).toEqual([]);
    expect(t.db.select().from(accountClosures).where(eq(accountClosures.userId, residentId)).get()).toBeTruthy();
    const mail = t.db.select().from(outbox).where(eq(outbox.subject, "Croeso")).get()!;
    expect(mail.toAddress).not.toContain("sian");
    expect(mail.body).not.toContain("Siân");
    const events = t.db.select().from(auditEvents).where(eq(auditEvents.actorUserId, residentId)).all();
    expect(events.map((e) => e.action).sort()).toEqual(["account.register", "bid.drafted"]);
    expect(events.every((e) => e.actorName === CLOSED_ACCOUNT_NAME)).toBe(true);
    const registered = t.db.select().from(auditEvents).where(eq(auditEvents.action, "account.register")).all();
    const own = registered.find((e) => e.entityId === residentId)!;
    expect(own.after).toBe(JSON.stringify("[erased]"));
    expect(JSON.stringify(t.db.select().from(auditEvents).all())).not.toContain("Prydderch");
    expect(findUserByEmail("sian@example.org")).toBeUndefined();
  });

  it("keeps the audit trail append-only for everything else", () => {
    expect(() => t.db.$client.prepare("update audit_events set actor_name = 'x' where id = 1").run()).toThrow(
      /append-only/,
    );
    const closedRow = t.db.select().from(auditEvents).where(eq(auditEvents.actorUserId, residentId)).get()!;
    expect(() =>
      t.db.$client.prepare("update audit_events set action = 'other' where id = ?").run(closedRow.id),
    ).toThrow(/append-only/);
    expect(() => t.db.$client.prepare("delete from account_closures").run()).toThrow(/append-only/);
  });

  it("refuses to close a staff account", () => {
    const councillor = findUserByEmail("councillor@eastbrook.example")!;
    expect(() => closeAccount(councillor.id)).toThrow(AccountClosureRefused);
  });
});
