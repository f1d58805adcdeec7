/**
 * Bank details are versioned: verification records the version the administrator saw and is refused if
 * it changed meanwhile, payments go only to the verified version, and a change after verification
 * withdraws it and tells finance. Against a real SQLite file, through the real routes and models.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { budgetSet, commit } from "~/core/ledger";
import { openDatabase } from "~/db/client.server";
import { findUserByEmail } from "~/models/accounts.server";
import { confirmPayment, requestPayment } from "~/models/finance.server";
import {
  BANK_DETAILS_CHANGED_DURING_REVIEW,
  getGroup,
  registerGroup,
  setBankDetails,
  verifyGroup,
} from "~/models/groups.server";
import { postEntry } from "~/models/ledger.server";
import { action as adminGroupAction, loader as adminGroupLoader } from "~/routes/admin.groups.$groupId";
import { loadPrincipal, type Principal } from "~/utils/auth.server";
import { Refusal } from "~/utils/refusal";
import { messageText } from "~/utils/message-text";
import { addMemberByConsent } from "../support/accounts";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { exited, forkTsx } from "../support/ledger-tools";
import { createApproval, createFund, createGrant } from "../support/ledger-fixtures";
import { formRequest, getRequest, sessionCookieFor } from "../support/requests";
import { translatorFor } from "~/utils/translate";

/** The refusal `run` throws, as an English reader sees it (models refuse with catalogue keys). */
function refusalText(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return messageText((error as Error).message, "en");
  }
  throw new Error("expected a refusal");
}

let t: TestDatabase;
let lead: Principal;
let member: Principal;
let admin: Principal;
let finance: Principal;
let finance2: Principal;
const principal = (email: string) => loadPrincipal(findUserByEmail(email)!.id)!;

beforeAll(async () => {
  t = await createTestDatabase({ seed: "people" });
  lead = principal("yusuf.osman@residents.example");
  member = principal("resident@eastbrook.example");
  admin = principal("admin@eastbrook.example");
  finance = principal("finance@eastbrook.example");
  finance2 = principal("finance2@eastbrook.example");
});
afterAll(() => t.close());

function newGroup(name: string): number {
  const groupId = registerGroup(lead, {
    name,
    organisationType: "constituted-group",
    charityNumber: null,
    companyNumber: null,
    address: "1 Mill Lane, Eastbrook",
    postcode: "EB1 1AB",
    contactEmail: `${name.toLowerCase().replace(/\W+/g, "-")}@groups.example`,
    contactPhone: null,
  });
  addMemberByConsent(lead, groupId, member.email);
  return groupId;
}

const account = (n: number) => ({
  accountName: "Mill Lane Gardeners",
  sortCode: "20-00-00",
  accountNumber: String(40_000_000 + n),
});
const rows = (sql: string, ...params: unknown[]) =>
  t.db.$client.prepare(sql).all(...params) as Record<string, unknown>[];
const auditOf = (groupId: number) =>
  rows(
    "select action, before, after, reason from audit_events where entity_type = 'group' and entity_id = ? order by id",
    String(groupId),
  );

async function adminPage(groupId: number, cookie: string) {
  const response = (await adminGroupLoader({
    request: getRequest(`/admin/groups/${groupId}`, cookie),
    params: { groupId: String(groupId) },
    context: {},
  })) as Response;
  return (await response.json()) as NonNullable<ReturnType<typeof getGroup>>;
}

describe("verification is tied to the bank details the administrator saw", () => {
  let groupId: number;
  let cookie: string;

  beforeAll(async () => {
    groupId = newGroup("Mill Lane Gardeners");
    cookie = await sessionCookieFor(admin.email);
  });

  it(
    "refuses the verification when a member changed the details between the admin loading the page and " + "submitting",
    async () => {
      expect(setBankDetails(lead, groupId, account(1))).toEqual({ reverificationNeeded: false, version: 1 });
      const seen = await adminPage(groupId, cookie);
      expect(seen.bank).toMatchObject({ version: 1, accountNumber: "****0001" });
      expect(seen.verification).toBeNull();

      // While the administrator reads the page, a member puts a different account in.
      expect(setBankDetails(member, groupId, account(2))).toEqual({ reverificationNeeded: false, version: 2 });

      const fields = {
        bankDetailsId: String(seen.bank!.id),
        evidence: "Constitution, accounts and a bank statement checked",
      };
      const refused = (await adminGroupAction({
        request: formRequest(`/admin/groups/${groupId}`, fields, { cookie }),
        params: { groupId: String(groupId) },
        context: {},
      })) as Response;
      expect(refused.status).toBe(409);
      const body = (await refused.json()) as { errors: Record<string, string>; values: Record<string, string> };
      expect(body.errors.evidence).toBe(BANK_DETAILS_CHANGED_DURING_REVIEW);
      expect(body.values.evidence).toBe(fields.evidence);
      expect(getGroup(groupId)!.group.verifiedAt).toBeNull();
      expect(auditOf(groupId).map((e) => e.action)).not.toContain("group.verified");
    },
  );

  it("records the version the administrator verified, once they have seen the new details", async () => {
    const seen = await adminPage(groupId, cookie);
    expect(seen.bank).toMatchObject({ version: 2, accountNumber: "****0002" });
    const fields = { bankDetailsId: String(seen.bank!.id), evidence: "Bank statement for the new account checked" };
    const answer = (await adminGroupAction({
      request: formRequest(`/admin/groups/${groupId}`, fields, { cookie }),
      params: { groupId: String(groupId) },
      context: {},
    })) as Response;
    expect(answer.status).toBe(302);
    const after = getGroup(groupId)!;
    expect(after.group.verifiedBankDetailsId).toBe(seen.bank!.id);
    expect(after.verification).toMatchObject({
      version: 2,
      verifiedByName: admin.name,
      isCurrent: true,
      note: fields.evidence,
    });
    const verified = auditOf(groupId).find((e) => e.action === "group.verified")!;
    expect(JSON.parse(String(verified.after))).toMatchObject({ bankDetailsVersion: 2, accountNumber: "****0002" });
  });

  it("answers a missing or malformed version with an error beside the form, not a 500", async () => {
    const answer = (await adminGroupAction({
      request: formRequest(
        `/admin/groups/${groupId}`,
        { bankDetailsId: "", evidence: "Constitution and accounts checked" },
        { cookie },
      ),
      params: { groupId: String(groupId) },
      context: {},
    })) as Response;
    expect(answer.status).toBe(400);
    // The message is a catalogue key, shown in the reader's language.
    const message = ((await answer.json()) as { errors: Record<string, string> }).errors.bankDetailsId!;
    expect(translatorFor("en")(message)).toMatch(/reload the page/);
  });
});

describe("payments go only to the verified version", () => {
  let groupId: number;
  let firstRequest: string;

  beforeAll(() => {
    groupId = newGroup("Brook Street Youth Club");
    const [budgetId] = createFund(t.db, { id: "BANK-2026-27", fy: "2026/27", wardIds: [1] }) as [string];
    postEntry({
      draft: budgetSet({ scheme: "BANK-2026-27", fy: "2026/27", allocations: [{ budgetId, pence: 100_000 }] }),
      idempotencyKey: "bank-1",
      actor: finance,
      effectiveDate: "2026-05-01",
    });
    createGrant(t.db, { id: "BANK-G1", fundId: "BANK-2026-27", amountPence: 20_000, groupId });
    const approvalId = createApproval(t.db, { grantId: "BANK-G1", amountPence: 20_000 });
    postEntry({
      draft: commit({ grantId: "BANK-G1", sources: [{ budgetId, pence: 20_000 }] }),
      idempotencyKey: "bank-2",
      actor: finance,
      effectiveDate: "2026-05-02",
      approvalId,
    });
    const { version } = setBankDetails(lead, groupId, account(10));
    expect(version).toBe(1);
    verifyGroup(admin, groupId, "Constitution and bank statement checked", getGroup(groupId)!.bank!.id);
  });

  it("pays the verified version", () => {
    const posted = requestPayment(finance, { grantId: "BANK-G1", pence: 5_000, idempotencyKey: "bank-3" });
    expect(posted.status).toBe("created");
    firstRequest = posted.entryId;
  });

  it("withdraws verification when the details change after it, and mails every finance officer", () => {
    const mailBefore = (rows("select max(id) as id from outbox")[0]!.id as number | null) ?? 0;
    expect(setBankDetails(member, groupId, account(11))).toEqual({ reverificationNeeded: true, version: 2 });
    const after = getGroup(groupId)!;
    expect(after.group).toMatchObject({ verifiedAt: null, verifiedBy: null, verifiedBankDetailsId: null });
    expect(after.verification).toBeNull();
    expect(after.bank).toMatchObject({ version: 2 });
    const actions = auditOf(groupId).map((e) => e.action);
    expect(actions.slice(-2)).toEqual(["group.bank-details-changed", "group.verification-withdrawn"]);
    const withdrawn = auditOf(groupId).at(-1)!;
    expect(JSON.parse(String(withdrawn.before))).toMatchObject({ verifiedVersion: 1 });
    expect(withdrawn.reason).toMatch(/version 2 after version 1 was verified/);

    const mail = rows("select to_address as toAddress, subject, body from outbox where id > ? order by id", mailBefore);
    const financeEmails = rows(
      "select distinct u.email as email from role_grants r join users u on u.id = r.user_id where r.role = 'finance'",
    ).map((r) => r.email);
    expect(financeEmails).toEqual(expect.arrayContaining([finance.email, finance2.email]));
    expect(mail.map((m) => m.toAddress).sort()).toEqual([...financeEmails].sort());
    for (const m of mail) {
      expect(m.subject).toBe("Brook Street Youth Club: bank details changed, verification withdrawn");
      expect(String(m.body)).toContain(`/admin/groups/${groupId}`);
      expect(String(m.body)).not.toContain("40000011");
    }
  });

  it("refuses to request or confirm a payment while the current details are unverified", () => {
    expect(
      refusalText(() => requestPayment(finance, { grantId: "BANK-G1", pence: 5_000, idempotencyKey: "bank-4" })),
    ).toMatch(/version 2\) are not verified/);
    expect(
      refusalText(() =>
        confirmPayment(finance2, { payRequestEntryId: firstRequest, paymentRef: "BACS-1", idempotencyKey: "bank-5" }),
      ),
    ).toMatch(/version 2\) are not verified/);
    const paid = rows(
      "select credits_posted - debits_posted as pence from ledger_accounts where key = 'PAID:BANK-G1'",
    )[0];
    expect(paid?.pence ?? 0).toBe(0);
  });

  it("pays again once the new version is verified", () => {
    verifyGroup(admin, groupId, "New bank statement checked", getGroup(groupId)!.bank!.id);
    expect(getGroup(groupId)!.verification).toMatchObject({ version: 2, isCurrent: true });
    expect(
      confirmPayment(finance2, { payRequestEntryId: firstRequest, paymentRef: "BACS-1", idempotencyKey: "bank-6" })
        .status,
    ).toBe("created");
  });

  it("refuses a group with no bank details at all", () => {
    const bare = newGroup("No Account Yet Club");
    expect(refusalText(() => verifyGroup(admin, bare, "Constitution checked", 0))).toMatch(
      /not given its bank details/,
    );
  });
});

describe("versions stay consistent", () => {
  it("numbers two members' simultaneous changes 1, 2, 3… with no gap and no repeat", async () => {
    const groupId = newGroup("Race Lane Residents");
    const perWorker = 6;
    const workers = [lead, member].map((p, i) =>
      forkTsx("tests/support/bank-details-worker.ts", [
        t.file,
        p.id,
        String(groupId),
        String(perWorker),
        String(i + 1),
      ]),
    );
    const stderr: string[] = [];
    let readyCount = 0;
    const results = workers.map(
      (child) =>
        new Promise<{ version?: number; error?: string }[]>((resolve, reject) => {
          child.stderr!.on("data", (chunk) => stderr.push(String(chunk)));
          child.on("message", (message: { type: string; results?: { version?: number; error?: string }[] }) => {
            if (message.type === "ready") readyCount += 1;
            if (message.type === "results") resolve(message.results!);
          });
          child.once("exit", (code) =>
            code === 0 ? undefined : reject(new Error(`worker exited ${code}: ${stderr.join("")}`)),
          );
        }),
    );
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (readyCount >= workers.length) {
          clearInterval(check);
          resolve();
        }
      }, 10);
    });
    for (const w of workers) w.send({ type: "go" });
    const answered = (await Promise.all(results)).flat();
    await Promise.all(workers.map(exited));
    expect(answered.filter((r) => r.error)).toEqual([]);
    const versions = answered.map((r) => r.version!).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 2 * perWorker }, (_, i) => i + 1));
    const stored = rows("select version from group_bank_details where group_id = ? order by id", groupId).map(
      (r) => r.version,
    );
    expect(stored).toEqual(Array.from({ length: 2 * perWorker }, (_, i) => i + 1));
    expect(getGroup(groupId)!.bank!.version).toBe(2 * perWorker);
  }, 60_000);

  it("never edits or removes a version, and refuses one that is not the next number", () => {
    const groupId = newGroup("Append Only Allotments");
    setBankDetails(lead, groupId, account(20));
    expect(() =>
      t.db.$client.prepare("update group_bank_details set account_number = '99999999' where group_id = ?").run(groupId),
    ).toThrow(/append-only/);
    expect(() => t.db.$client.prepare("delete from group_bank_details where group_id = ?").run(groupId)).toThrow(
      /append-only/,
    );
    expect(() =>
      t.db.$client
        .prepare(
          "insert into group_bank_details (group_id, version, account_name, sort_code, account_number, entered_by) " +
            "values (?, 5, 'x', '200000', '12345678', ?)",
        )
        .run(groupId, lead.id),
    ).toThrow(/next number/);
    expect(() => setBankDetails(lead, 999_999, account(21))).toThrow(Refusal);
  });
});

describe("the migration", () => {
  it("carries today's rows over as versions, and a verified group's current details as the verified version", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wardfund-bank-migration-"));
    try {
      const before = path.join(dir, "drizzle");
      fs.mkdirSync(path.join(before, "meta"), { recursive: true });
      const journal = JSON.parse(fs.readFileSync("drizzle/meta/_journal.json", "utf8")) as {
        entries: { tag: string }[];
      };
      const upTo = journal.entries.findIndex((e) => e.tag.endsWith("_group_bank_detail_versions"));
      expect(upTo).toBeGreaterThan(0);
      journal.entries = journal.entries.slice(0, upTo);
      for (const e of journal.entries) fs.copyFileSync(`drizzle/${e.tag}.sql`, path.join(before, `${e.tag}.sql`));
      fs.writeFileSync(path.join(before, "meta/_journal.json"), JSON.stringify(journal));

      const old = openDatabase(path.join(dir, "old.db"));
      migrate(old, { migrationsFolder: before });
      const c = old.$client;
      c.prepare("insert into users (id, email, name, password_hash) values ('u1', 'a@example.org', 'A', 'x')").run();
      const group = c.prepare(
        "insert into community_groups (name, organisation_type, address, postcode, contact_email, verified_at, " +
          "verified_by) values (?, 'cic', 'a', 'EB1 1AB', 'e@example.org', ?, ?)",
      );
      const verified = Number(group.run("Verified", "2026-04-15T10:00:00.000Z", "u1").lastInsertRowid);
      const unverified = Number(group.run("Unverified", null, null).lastInsertRowid);
      const bank = c.prepare(
        "insert into group_bank_details (group_id, account_name, sort_code, account_number, entered_by) values (?, " +
          "'n', '200000', ?, 'u1')",
      );
      bank.run(verified, "11111111");
      bank.run(unverified, "22222222");
      const latest = Number(bank.run(verified, "33333333").lastInsertRowid);

      migrate(old, { migrationsFolder: "drizzle" });
      expect(
        c.prepare("select group_id as groupId, account_number as n, version from group_bank_details order by id").all(),
      ).toEqual([
        { groupId: verified, n: "11111111", version: 1 },
        { groupId: unverified, n: "22222222", version: 1 },
        { groupId: verified, n: "33333333", version: 2 },
      ]);
      expect(c.prepare("select id, verified_bank_details_id as seen from community_groups order by id").all()).toEqual([
        { id: verified, seen: latest },
        { id: unverified, seen: null },
      ]);
      c.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
