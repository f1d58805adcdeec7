/**
 * The publication exports against the seeded demo council, through the route actions with real
 * requests: header rows, one spend line per confirmed payment with its finance reference, a
 * negative line for a reversed payment, VCSE totals equal to the ledger's net commitments,
 * 360Giving required fields and unique identifiers, the JSON package's structure, the BOM option,
 * the checkpoint and audit event each export writes, and who may export.
 */
import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  checkThreeSixtyGivingPackage,
  SPEND_COLUMNS,
  THREE_SIXTY_GIVING_COLUMNS,
  THREE_SIXTY_GIVING_REQUIRED,
  VCSE_COLUMNS,
} from "~/core/exports";
import {
  commit,
  decommit,
  financialYearOf,
  londonDateOf,
  payConfirm,
  payRequest,
  reversal,
  type Posting,
} from "~/core/ledger";
import { migrateDatabase, openDatabase } from "~/db/client.server";
import { seedDemoCouncil } from "../../scripts/seed/council";
import { approvals, communityGroups } from "~/db/schema";
import { streamExport } from "~/models/exports.server";
import { postEntry } from "~/models/ledger.server";
import { languageCookie } from "~/utils/i18n.server";
import * as spendRoute from "~/routes/finance.exports.spend[.csv]";
import * as vcseRoute from "~/routes/finance.exports.vcse-grants[.csv]";
import * as g360CsvRoute from "~/routes/finance.exports.360giving[.csv]";
import * as g360JsonRoute from "~/routes/finance.exports.360giving[.json]";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { formRequest, getRequest, responseOf, sessionCookieFor } from "../support/requests";

interface RouteModule {
  loader: (args: LoaderFunctionArgs) => Promise<Response>;
  action: (args: ActionFunctionArgs) => Promise<Response>;
}

const ROUTES: Record<string, { mod: RouteModule; path: string; kind: string }> = {
  spend: { mod: spendRoute as RouteModule, path: "/finance/exports/spend.csv", kind: "spend" },
  vcse: { mod: vcseRoute as RouteModule, path: "/finance/exports/vcse-grants.csv", kind: "vcse-grants" },
  g360csv: { mod: g360CsvRoute as RouteModule, path: "/finance/exports/360giving.csv", kind: "360giving-csv" },
  g360json: { mod: g360JsonRoute as RouteModule, path: "/finance/exports/360giving.json", kind: "360giving-json" },
};
type RouteName = keyof typeof ROUTES;

let t: TestDatabase;
let financeCookie: string;
let today: string;
let fy: string;
const PREFIX = "360G-GB-LAE-EBK";
let keyNumber = 0;
const key = () => `exports-test-${(keyNumber += 1)}`;
const officer = { id: "officer-exports-1", name: "Officer One" };
const payer = { id: "officer-exports-2", name: "Officer Two" };

/** The extra group: a company whose number starts with 0, with a name a spreadsheet would run. */
const TENANTS = "+Riverside Tenants Co-operative";
let tenantsGroupId: number;
const TENANTS_GRANT = "WB-EXPORTS-T1";
const TENANTS_REF = "AP-TEST-0001";

function q<T>(sql: string, ...params: unknown[]): T[] {
  return t.db.$client.prepare(sql).all(...params) as T[];
}

function one<T>(sql: string, ...params: unknown[]): T {
  return t.db.$client.prepare(sql).get(...params) as T;
}

function insertApproval(input: {
  entryType: string;
  grantId?: string;
  subjectEntryId?: string;
  pence: number;
}): string {
  const id = randomUUID();
  t.db
    .insert(approvals)
    .values({
      id,
      entryType: input.entryType,
      grantId: input.grantId ?? null,
      subjectEntryId: input.subjectEntryId ?? null,
      requesterId: "exports-requester",
      approverId: "exports-approver",
      decidedAt: `${today}T09:00:00.000Z`,
      amountPence: input.pence,
      noInterestDeclared: true,
    })
    .run();
  return id;
}

function postingsOf(entryId: string): Posting[] {
  return q<{ account: string; dc: "D" | "C"; pence: number }>(
    "select a.key as account, p.dc, p.amount_pence as pence from journal_postings p join ledger_accounts a on a.id " +
      "= p.account_id where p.entry_id = ? order by p.line_no",
    entryId,
  );
}

/** The AVAILABLE budget a grant's COMMIT drew on. */
function budgetOfGrant(grantId: string): string {
  const row = one<{ key: string }>(
    `select a.key from journal_entries e join journal_postings p on p.entry_id = e.id join ledger_accounts a on a.id =
      p.account_id
     where e.type = 'COMMIT' and a.kind = 'AVAILABLE' and e.id in (select p2.entry_id from journal_postings p2 join
       ledger_accounts a2 on a2.id = p2.account_id where a2.key = ?)`,
    `COMMITTED:${grantId}`,
  );
  return row.key.slice("AVAILABLE:".length);
}

beforeAll(async () => {
  t = await createTestDatabase({ seed: true });
  financeCookie = await sessionCookieFor("finance@eastbrook.example");
  today = londonDateOf(new Date());
  fy = financialYearOf(today);
  const fundId = `WB-${fy.replace("/", "-")}`;

  // A company with a leading-zero number gets a grant that is paid, and the payment is reversed.
  tenantsGroupId = t.db
    .insert(communityGroups)
    .values({
      name: TENANTS,
      organisationType: "company-limited-by-guarantee",
      companyNumber: "01234567",
      address: "1 River Road, Eastbrook",
      postcode: "EB1 1AA",
      contactEmail: "hello@tenants.example",
    })
    .returning()
    .get().id;
  const wardId = one<{ id: number }>("select id from wards order by gss_code limit 1").id;
  t.db.$client
    .prepare(
      "insert into grants (id, fund_id, group_id, ward_id, title, summary, amount_requested_pence, " +
        "amount_awarded_pence, award_date, planned_start, planned_end) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .run(
      TENANTS_GRANT,
      fundId,
      tenantsGroupId,
      wardId,
      '=HYPERLINK("http://evil.example","Click")',
      "@SUM(1) new entrance ramp for the community room",
      70_000,
      70_000,
      today,
      today,
      today,
    );
  const budgetId = one<{ id: string }>("select id from budgets where fund_id = ? and ward_id = ?", fundId, wardId).id;
  const approvalId = insertApproval({ entryType: "COMMIT", grantId: TENANTS_GRANT, pence: 70_000 });
  postEntry({
    draft: commit({ grantId: TENANTS_GRANT, sources: [{ budgetId, pence: 70_000 }] }),
    idempotencyKey: key(),
    actor: officer,
    effectiveDate: today,
    approvalId,
  });
  const requested = postEntry({
    draft: payRequest({ grantId: TENANTS_GRANT, pence: 70_000 }),
    idempotencyKey: key(),
    actor: officer,
    effectiveDate: today,
  });
  const confirmed = postEntry({
    draft: payConfirm({
      grantId: TENANTS_GRANT,
      payRequestEntryId: requested.entryId,
      pence: 70_000,
      paymentRef: TENANTS_REF,
    }),
    idempotencyKey: key(),
    actor: payer,
    effectiveDate: today,
  });
  const reversalApproval = insertApproval({ entryType: "REVERSAL", subjectEntryId: confirmed.entryId, pence: 70_000 });
  postEntry({
    draft: reversal({
      original: { entryId: confirmed.entryId, postings: postingsOf(confirmed.entryId) },
      reason: "Payment confirmed against the wrong grant",
    }),
    idempotencyKey: key(),
    actor: officer,
    effectiveDate: today,
    approvalId: reversalApproval,
  });

  // The unpaid mural award is reduced by £300 before payment.
  const mural = one<{ id: string }>(
    "select g.id from grants g join community_groups c on c.id = g.group_id where c.name = 'Granary Quarter Arts CIC'",
  ).id;
  postEntry({
    draft: decommit({
      grantId: mural,
      returns: [{ budgetId: budgetOfGrant(mural), pence: 30_000 }],
      reason: "Smaller wall than planned",
    }),
    idempotencyKey: key(),
    actor: officer,
    effectiveDate: today,
  });
});
afterAll(() => t.close());

async function exportResponse(
  name: RouteName,
  fields: Record<string, string> = {},
  cookie = financeCookie,
): Promise<Response> {
  const route = ROUTES[name]!;
  const result = await responseOf(() =>
    route.mod.action({ request: formRequest(route.path, fields, { cookie }), params: {}, context: {} }),
  );
  if (!(result instanceof Response)) throw new Error(`${name} did not return a Response`);
  return result;
}

async function download(
  name: RouteName,
  fields: Record<string, string> = {},
): Promise<{ response: Response; bytes: Uint8Array; text: string }> {
  const response = await exportResponse(name, fields);
  expect(response.status).toBe(200);
  const bytes = new Uint8Array(await response.arrayBuffer());
  return { response, bytes, text: new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes) };
}

async function csv(
  name: RouteName,
  fields: Record<string, string> = {},
): Promise<{ header: string[]; rows: Record<string, string>[]; text: string }> {
  const { text } = await download(name, fields);
  const records = parse(text, { bom: true, relax_column_count: false }) as string[][];
  const [header, ...body] = records;
  return { header: header!, rows: body.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!]))), text };
}

const pence = (amount: string) => {
  expect(amount).toMatch(/^-?\d+\.\d{2}$/);
  return Math.round(Number(amount) * 100);
};

/** The oracle: confirmed payments and reversals of them, straight from the journal. */
function confirmedPayments() {
  return q<{ id: string; seq: number; ref: string; pence: number }>(
    `select e.id, e.seq, e.external_ref as ref, p.amount_pence as pence from journal_entries e
     join journal_postings p on p.entry_id = e.id and p.dc = 'C' where e.type = 'PAY_CONFIRM' order by e.seq`,
  );
}

function reversedPayments() {
  return q<{ id: string; seq: number; ref: string; pence: number }>(
    `select r.id, r.seq, o.external_ref as ref, p.amount_pence as pence from journal_entries r
     join journal_entries o on o.id = r.reverses_id and o.type = 'PAY_CONFIRM'
     join journal_postings p on p.entry_id = r.id and p.dc = 'D' order by r.seq`,
  );
}

/** Net committed per grant: COMMIT credits to COMMITTED less DECOMMIT debits (no reversals in play). */
function netCommitted(): Map<string, number> {
  const rows = q<{ grantId: string; net: number }>(
    `select a.grant_id as grantId, sum(case when e.type = 'COMMIT' then p.amount_pence else -p.amount_pence end) as net
     from journal_entries e join journal_postings p on p.entry_id = e.id join ledger_accounts a on a.id = p.account_id
     where a.kind = 'COMMITTED' and ((e.type = 'COMMIT' and p.dc = 'C') or (e.type = 'DECOMMIT' and p.dc = 'D'))
     group by a.grant_id`,
  );
  return new Map(rows.map((r) => [r.grantId, r.net]));
}

describe("the spend file", () => {
  it("is a CSV attachment with exactly the Transparency Code header and no BOM by default", async () => {
    const { response, bytes } = await download("spend");
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="spend-all-years-${today}.csv"`);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect([...bytes.slice(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    const { header, text } = await csv("spend");
    expect(header).toEqual([...SPEND_COLUMNS]);
    expect(text.split("\r\n")[0]).toBe(
      "Body Name,Body,Payment Date,Transaction Number,Department,Service / Expense Area,Beneficiary,Beneficiary " +
        "Registration Number,Summary of Purpose,Amount,Irrecoverable VAT,Merchant / Procurement Category,Expense " +
        "Type,Expense Code,Capital / Revenue,VCSE Grant (Y/N),Ledger Entry Ref",
    );
  });

  it("has one line per confirmed payment over £500, with its finance-system reference and ledger entry", async () => {
    const { rows } = await csv("spend");
    const positive = rows.filter((r) => !r.Amount!.startsWith("-"));
    const expected = confirmedPayments().filter((p) => p.pence > 50_000);
    expect(expected.length).toBeGreaterThanOrEqual(4);
    expect(positive.map((r) => [r["Transaction Number"], r["Ledger Entry Ref"], pence(r.Amount!)])).toEqual(
      expected.map((p) => [p.ref, `${p.id}#${p.seq}`, p.pence]),
    );
    for (const row of rows) {
      expect(row["Body Name"]).toBe("Eastbrook Borough Council");
      expect(row.Body).toBe("GB-LAE-EBK");
      expect(row["Payment Date"]).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
      expect(row["Irrecoverable VAT"]).toBe("0.00");
      expect(row.Department).toBe("Communities and Neighbourhoods");
      expect(row["Service / Expense Area"]).toMatch(/^Ward Budgets - /);
      expect(row["Capital / Revenue"]).toBe("Revenue");
      expect(row["VCSE Grant (Y/N)"]).toBe("Y");
    }
  });

  it("writes the reversed payment as a negative line carrying the original reference", async () => {
    const { rows } = await csv("spend");
    const reversed = reversedPayments();
    expect(reversed).toHaveLength(1);
    const negative = rows.filter((r) => r.Amount!.startsWith("-"));
    expect(negative).toHaveLength(1);
    expect(negative[0]).toMatchObject({
      "Transaction Number": TENANTS_REF,
      Amount: "-700.00",
      "Ledger Entry Ref": `${reversed[0]!.id}#${reversed[0]!.seq}`,
    });
    expect(negative[0]!["Summary of Purpose"]).toMatch(/^Reversal of payment: /);
    const paid = rows.filter((r) => r["Transaction Number"] === TENANTS_REF);
    expect(paid.map((r) => r.Amount).sort()).toEqual(["-700.00", "700.00"]);
    const total = rows.reduce((sum, r) => sum + pence(r.Amount!), 0);
    const expectedTotal =
      confirmedPayments()
        .filter((p) => p.pence > 50_000)
        .reduce((s, p) => s + p.pence, 0) - reversed.reduce((s, p) => s + p.pence, 0);
    expect(total).toBe(expectedTotal);
  });

  it("keeps a company number's leading zero and guards descriptive text, never amounts", async () => {
    const { rows } = await csv("spend");
    const tenants = rows.filter((r) => r["Transaction Number"] === TENANTS_REF);
    for (const row of tenants) {
      expect(row.Beneficiary).toBe(`'${TENANTS}`);
      expect(row["Beneficiary Registration Number"]).toBe("01234567");
    }
    expect(tenants.find((r) => r.Amount === "700.00")!["Summary of Purpose"]).toBe(
      "'@SUM(1) new entrance ramp for the community room",
    );
  });

  it("applies the threshold from the form, in pounds or pence", async () => {
    const over1000 = (await csv("spend", { threshold: "1000" })).rows;
    expect(over1000.map((r) => r["Transaction Number"])).toEqual(
      confirmedPayments()
        .filter((p) => p.pence > 100_000)
        .map((p) => p.ref),
    );
    const all = (await csv("spend", { thresholdPence: "0" })).rows;
    expect(all.filter((r) => !r.Amount!.startsWith("-"))).toHaveLength(confirmedPayments().length);
  });

  it("filters by financial year", async () => {
    expect((await csv("spend", { fy })).rows.length).toBe((await csv("spend")).rows.length);
    const { rows, header } = await csv("spend", { fy: "2001/02" });
    expect(header).toEqual([...SPEND_COLUMNS]);
    expect(rows).toEqual([]);
    const response = await exportResponse("spend", { fy: "2001-02" });
    expect(response.headers.get("Content-Disposition")).toContain("spend-2001-02-");
    await response.body?.cancel();
  });
});

describe("headings in the reader's language", () => {
  it("keep the standards' column names and give Wardfund's own columns in Welsh", async () => {
    const welsh = `${financeCookie}; ${(await languageCookie().serialize("cy")).split(";")[0]}`;
    const headerOf = async (name: RouteName) => {
      const response = await exportResponse(name, {}, welsh);
      expect(response.status).toBe(200);
      return (parse(await response.text(), { bom: true }) as string[][])[0]!;
    };
    const spend = await headerOf("spend");
    expect(spend.slice(0, -1)).toEqual(SPEND_COLUMNS.slice(0, -1));
    expect(spend.at(-1)).toBe("Cyfeirnod Cofnod y Cyfriflyfr");
    const vcse = await headerOf("vcse");
    expect(vcse.slice(0, 8)).toEqual(VCSE_COLUMNS.slice(0, 8));
    expect(vcse.slice(8)).toEqual(["Dynodydd y Grant", "Cynllun", "Ward", "Cod y Ward"]);
    // The 360Giving file is the standard's own through and through.
    const { header } = await csv("g360csv");
    expect((parse(await (await exportResponse("g360csv", {}, welsh)).text(), { bom: true }) as string[][])[0]).toEqual(
      header,
    );
  });
});

describe("the VCSE grants register", () => {
  it("has exactly the register header", async () => {
    const { header, text } = await csv("vcse");
    expect(header).toEqual([...VCSE_COLUMNS]);
    expect(text.split("\r\n")[0]).toBe(
      "Date Awarded,Grant Period Start,Grant Period End,Department,Beneficiary,Beneficiary Registration " +
        "Number,Purpose,Amount Awarded,Grant Identifier,Scheme,Ward,Ward Code",
    );
  });

  it("lists each award at its net committed amount, and the totals agree with the ledger", async () => {
    const { rows } = await csv("vcse");
    const committed = netCommitted();
    expect(rows).toHaveLength(committed.size);
    for (const row of rows) {
      const grantId = row["Grant Identifier"]!.slice(`${PREFIX}-`.length);
      expect(row["Grant Identifier"]!.startsWith(`${PREFIX}-`)).toBe(true);
      expect(pence(row["Amount Awarded"]!), grantId).toBe(committed.get(grantId));
      expect(row["Date Awarded"]).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
      expect(row["Ward Code"]).toMatch(/^E05\d{6}$/);
    }
    const total = rows.reduce((sum, r) => sum + pence(r["Amount Awarded"]!), 0);
    expect(total).toBe([...committed.values()].reduce((a, b) => a + b, 0));
    expect(rows.find((r) => r.Beneficiary === "Granary Quarter Arts CIC")!["Amount Awarded"]).toBe("1500.00");
  });

  it("gives registration numbers with leading zeros, and blank for unregistered groups", async () => {
    const { rows } = await csv("vcse");
    expect(rows.find((r) => r.Beneficiary === `'${TENANTS}`)!["Beneficiary Registration Number"]).toBe("01234567");
    expect(rows.find((r) => r.Beneficiary === "Brookside Community Larder")!["Beneficiary Registration Number"]).toBe(
      "1187654",
    );
    expect(
      rows.find((r) => r.Beneficiary === "Abbey Fields Allotment Society")!["Beneficiary Registration Number"],
    ).toBe("");
  });
});

describe("360Giving CSV", () => {
  it("has exactly the standard's column titles", async () => {
    const { header } = await csv("g360csv");
    expect(header).toEqual([...THREE_SIXTY_GIVING_COLUMNS]);
  });

  it("fills every required field on every row and keeps identifiers unique", async () => {
    const { rows } = await csv("g360csv");
    expect(rows).toHaveLength(netCommitted().size);
    for (const row of rows) {
      for (const column of THREE_SIXTY_GIVING_REQUIRED) expect(row[column], `${row.Identifier} ${column}`).not.toBe("");
      expect(row.Identifier).toMatch(/^360G-GB-LAE-EBK-[A-Za-z0-9._-]+$/);
      expect(row.Currency).toBe("GBP");
      expect(row["Award Date"]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(row["Last modified"]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(row["Beneficiary Location:Geographic Code"]).toMatch(/^E05\d{6}$/);
      expect(row["Beneficiary Location:Geographic Code Type"]).toBe("WD");
      expect(row["Funding Org:Identifier"]).toBe("GB-LAE-EBK");
    }
    expect(new Set(rows.map((r) => r.Identifier)).size).toBe(rows.length);
  });

  it("uses org ids from the registers, leading zeros kept, and local ids for unregistered groups", async () => {
    const { rows } = await csv("g360csv");
    const byName = (name: string) => rows.find((r) => r["Recipient Org:Name"] === name)!;
    expect(byName("Brookside Community Larder")["Recipient Org:Identifier"]).toBe("GB-CHC-1187654");
    expect(byName("Granary Quarter Arts CIC")["Recipient Org:Identifier"]).toBe("GB-COH-12345678");
    expect(byName(`'${TENANTS}`)["Recipient Org:Identifier"]).toBe("GB-COH-01234567");
    expect(byName(`'${TENANTS}`)["Recipient Org:Company Number"]).toBe("01234567");
    const abbey = one<{ id: number }>("select id from community_groups where name = 'Abbey Fields Allotment Society'");
    expect(byName("Abbey Fields Allotment Society")["Recipient Org:Identifier"]).toBe(`${PREFIX}-ORG-${abbey.id}`);
    expect(byName("Abbey Fields Allotment Society")["Recipient Org:Postal Code"]).toBe("");
  });

  it("reports disbursed amounts net of reversals and clawbacks received", async () => {
    const { rows } = await csv("g360csv");
    const byName = (name: string) => rows.find((r) => r["Recipient Org:Name"] === name)!;
    expect(byName("Dyers Green Residents' Association")["Amount Disbursed"]).toBe("475.00");
    expect(byName("Brookside Community Larder")["Amount Disbursed"]).toBe("850.00");
    expect(byName(`'${TENANTS}`)["Amount Disbursed"]).toBe("0.00");
    expect(byName("Granary Quarter Arts CIC")["Amount Awarded"]).toBe("1500.00");
    expect(byName("Granary Quarter Arts CIC")["Amount Applied For"]).toBe("1800.00");
  });
});

describe("360Giving JSON", () => {
  it("is a JSON attachment that validates structurally", async () => {
    const { response, text } = await download("g360json");
    expect(response.headers.get("Content-Type")).toBe("application/json");
    expect(response.headers.get("Content-Disposition")).toBe(
      `attachment; filename="360giving-grants-all-years-${today}.json"`,
    );
    const pkg = JSON.parse(text) as { grants: Record<string, unknown>[]; publisher: unknown; license: string };
    expect(checkThreeSixtyGivingPackage(pkg)).toEqual([]);
    expect(pkg.publisher).toEqual({ identifier: "GB-LAE-EBK", name: "Eastbrook Borough Council" });
    expect(pkg.grants).toHaveLength(netCommitted().size);
    for (const grant of pkg.grants) {
      for (const k of [
        "id",
        "title",
        "description",
        "currency",
        "amountAwarded",
        "awardDate",
        "fundingOrganization",
        "recipientOrganization",
      ])
        expect(grant, k).toHaveProperty(k);
      expect(typeof grant.amountAwarded).toBe("number");
    }
  });

  it("describes the same grants as the CSV", async () => {
    const pkg = JSON.parse((await download("g360json")).text) as {
      grants: { id: string; amountAwarded: number; recipientOrganization: { id: string }[] }[];
    };
    const { rows } = await csv("g360csv");
    expect(pkg.grants.map((g) => [g.id, Math.round(g.amountAwarded * 100), g.recipientOrganization[0]!.id])).toEqual(
      rows.map((r) => [r.Identifier, pence(r["Amount Awarded"]!), r["Recipient Org:Identifier"]]),
    );
  });
});

describe("the BOM option", () => {
  it.each(["spend", "vcse", "g360csv"] as const)(
    "%s starts with a UTF-8 byte order mark only when asked",
    async (name) => {
      const withBom = await download(name, { bom: "yes" });
      expect([...withBom.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      expect(
        withBom.text
          .slice(1)
          .startsWith(name === "g360csv" ? "Identifier," : name === "spend" ? "Body Name," : "Date Awarded,"),
      ).toBe(true);
      const without = await download(name, {});
      expect([...without.bytes.slice(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    },
  );

  it("never puts a BOM in JSON", async () => {
    const { bytes } = await download("g360json", { bom: "yes" });
    expect(bytes[0]).toBe("{".charCodeAt(0));
  });
});

describe("recording each export", () => {
  it.each(Object.keys(ROUTES) as RouteName[])(
    "%s writes one checkpoint of the head and one audit event",
    async (name) => {
      const checkpoints = one<{ n: number }>("select count(*) n from ledger_checkpoints").n;
      const events = one<{ n: number }>("select count(*) n from audit_events where entity_type = 'export'").n;
      const head = one<{ seq: number; hash: string }>("select seq, hash from ledger_log order by seq desc limit 1");
      const response = await exportResponse(name, { fy });
      await response.arrayBuffer();
      expect(one<{ n: number }>("select count(*) n from ledger_checkpoints").n).toBe(checkpoints + 1);
      expect(one<{ n: number }>("select count(*) n from audit_events where entity_type = 'export'").n).toBe(events + 1);
      const finance = one<{ id: string }>("select id from users where email = 'finance@eastbrook.example'");
      const checkpoint = one<{ seq: number; hash: string; reason: string; actor_id: string }>(
        "select seq, hash, reason, actor_id from ledger_checkpoints order by id desc limit 1",
      );
      expect(checkpoint).toEqual({
        seq: head.seq,
        hash: head.hash,
        reason: `export: ${ROUTES[name]!.kind}`,
        actor_id: finance.id,
      });
      const event = one<{ action: string; actor_user_id: string; entity_id: string; after: string }>(
        "select action, actor_user_id, entity_id, after from audit_events where entity_type = 'export' order by id " +
          "desc limit 1",
      );
      expect(event).toMatchObject({
        action: `export.${ROUTES[name]!.kind}`,
        actor_user_id: finance.id,
        entity_id: ROUTES[name]!.kind,
      });
      expect(JSON.parse(event.after)).toMatchObject({ fy, checkpoint: { seq: head.seq, hash: head.hash } });
      expect(response.headers.get("X-Ledger-Checkpoint")).toBe(`${head.seq} ${head.hash}`);
    },
  );

  it("reads only entries up to the export's checkpoint", async () => {
    const first = confirmedPayments()[0]!;
    const chunks: string[] = [];
    for await (const chunk of streamExport("spend", { upToSeq: first.seq, thresholdPence: 0 }, t.db))
      chunks.push(String(chunk));
    const rows = (parse(chunks.join(""), { columns: true }) as Record<string, string>[]).map(
      (r) => r["Ledger Entry Ref"],
    );
    expect(rows).toEqual([`${first.id}#${first.seq}`]);
  });

  it("refuses invalid options with a 400 and records nothing", async () => {
    const checkpoints = one<{ n: number }>("select count(*) n from ledger_checkpoints").n;
    for (const [name, fields] of [
      ["spend", { threshold: "-5" }],
      ["spend", { threshold: "five hundred" }],
      ["spend", { thresholdPence: "12.5" }],
      ["spend", { threshold: "500", thresholdPence: "50000" }],
      ["vcse", { fy: "2026" }],
      ["g360json", { fy: "banana" }],
    ] as [RouteName, Record<string, string>][]) {
      const response = await exportResponse(name, fields);
      expect(response.status, JSON.stringify(fields)).toBe(400);
      const body = (await response.json()) as { ok: boolean; errors: Record<string, string> };
      expect(body.ok).toBe(false);
      expect(Object.keys(body.errors).length).toBeGreaterThan(0);
    }
    expect(one<{ n: number }>("select count(*) n from ledger_checkpoints").n).toBe(checkpoints);
  });
});

describe("who may export", () => {
  it.each(Object.keys(ROUTES) as RouteName[])(
    "%s refuses councillors, residents and administrators with a 403",
    async (name) => {
      for (const email of [
        "councillor@eastbrook.example",
        "yusuf.osman@residents.example",
        "admin@eastbrook.example",
      ]) {
        const response = await exportResponse(name, {}, await sessionCookieFor(email));
        expect(response.status, email).toBe(403);
      }
    },
  );

  it.each(Object.keys(ROUTES) as RouteName[])(
    "%s sends anonymous posts to sign in and refuses other origins",
    async (name) => {
      const route = ROUTES[name]!;
      const anonymous = await responseOf(() =>
        route.mod.action({ request: formRequest(route.path, {}), params: {}, context: {} }),
      );
      expect(
        anonymous instanceof Response &&
          anonymous.status === 302 &&
          anonymous.headers.get("Location")!.startsWith("/login"),
      ).toBe(true);
      const crossSite = await responseOf(() =>
        route.mod.action({
          request: formRequest(route.path, {}, { cookie: financeCookie, origin: "http://evil.example" }),
          params: {},
          context: {},
        }),
      );
      expect(crossSite instanceof Response && crossSite.status).toBe(403);
    },
  );

  it.each(Object.keys(ROUTES) as RouteName[])(
    "%s sends a GET back to the exports page, for finance only",
    async (name) => {
      const route = ROUTES[name]!;
      const finance = await responseOf(() =>
        route.mod.loader({ request: getRequest(route.path, financeCookie), params: {}, context: {} }),
      );
      expect(finance instanceof Response && finance.status).toBe(302);
      expect((finance as Response).headers.get("Location")).toBe("/finance/exports");
      const residentCookie = await sessionCookieFor("yusuf.osman@residents.example");
      const resident = await responseOf(() =>
        route.mod.loader({ request: getRequest(route.path, residentCookie), params: {}, context: {} }),
      );
      expect(resident instanceof Response && resident.status).toBe(403);
    },
  );
});

describe("an export that cannot or need not finish", () => {
  it("is refused with a 409, writing nothing, while the council settings are missing", async () => {
    const settings = one<Record<string, unknown>>("select * from council_settings where id = 1");
    const checkpoints = one<{ n: number }>("select count(*) n from ledger_checkpoints").n;
    t.db.$client.prepare("delete from council_settings").run();
    try {
      const response = await exportResponse("g360csv");
      expect(response.status).toBe(409);
      expect(((await response.json()) as { formError: string }).formError).toMatch(/council settings/);
      expect(one<{ n: number }>("select count(*) n from ledger_checkpoints").n).toBe(checkpoints);
    } finally {
      const columns = Object.keys(settings);
      t.db.$client
        .prepare(
          `insert into council_settings (${columns.join(", ")}) values (${columns.map((c) => `@${c}`).join(", ")})`,
        )
        .run(settings);
    }
  });

  it("closes its read transaction when the download is cancelled", async () => {
    let writes = 0;
    const checkpointAfterWrite = () => {
      writes += 1;
      t.db.$client.prepare("create table if not exists export_test_writes (n integer)").run();
      t.db.$client.prepare("insert into export_test_writes values (?)").run(writes);
      return t.db.$client.pragma("wal_checkpoint(PASSIVE)") as { busy: number; log: number; checkpointed: number }[];
    };
    // Long descriptions, so the file is far bigger than the stream buffers and cannot finish unread.
    const summaries = q<{ id: string; summary: string }>("select id, summary from grants");
    const setSummary = t.db.$client.prepare("update grants set summary = ? where id = ?");
    for (const g of summaries) setSummary.run(`${g.summary} ${"More detail. ".repeat(2_000)}`, g.id);
    try {
      const response = await exportResponse("g360json");
      const reader = response.body!.getReader();
      expect((await reader.read()).done).toBe(false);
      // While the download is open, its snapshot keeps newer pages out of the main file.
      const [open] = checkpointAfterWrite();
      expect(open!.checkpointed).toBeLessThan(open!.log);
      await reader.cancel();
      await new Promise((resolve) => setTimeout(resolve, 20));
      const [closed] = checkpointAfterWrite();
      expect(closed!.checkpointed).toBe(closed!.log);
    } finally {
      for (const g of summaries) setSummary.run(g.summary, g.id);
      t.db.$client.prepare("drop table if exists export_test_writes").run();
    }
  });
});

describe("an in-memory database", () => {
  it("exports the same rows, read in one transaction on the shared handle", async () => {
    const memory = openDatabase(":memory:");
    try {
      migrateDatabase(memory);
      await seedDemoCouncil(memory, { today });
      let text = "";
      for await (const chunk of streamExport("vcse-grants", {}, memory)) text += String(chunk);
      const rows = parse(text, { columns: true }) as Record<string, string>[];
      // Every grant committed by an approved decision (ward budgets and ratified PB winners) is listed once.
      const committed = memory.$client
        .prepare("select count(distinct grant_id) as n from approvals where entry_type = 'COMMIT'")
        .get() as { n: number };
      expect(committed.n).toBeGreaterThan(9);
      expect(rows.map((r) => r.Beneficiary)).toHaveLength(committed.n);
      expect(rows.every((r) => r["Grant Identifier"]!.startsWith(`${PREFIX}-`))).toBe(true);
    } finally {
      memory.$client.close();
    }
  });
});
