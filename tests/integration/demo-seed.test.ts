import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyLedger } from "~/models/ledger-verify.server";
import { searchPostcodes } from "~/models/postcode-csv.server";
import { loader as bidHistoryLoader } from "~/routes/bids.$bidId.history";
import { matchRegister } from "~/models/voting/register.server";
import { DEMO_REGISTER } from "../../scripts/seed/register";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { getRequest, responseOf, sessionCookieFor } from "../support/requests";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase({ seed: true });
});
afterAll(() => t.close());

describe("the README's demo sign-ins and postcodes", () => {
  const readme = fs.readFileSync(path.join(__dirname, "../../README.md"), "utf8");
  const signIns = [...readme.matchAll(/^\| (.+?) \| ([a-z0-9.]+@[a-z0-9.]+) \| (\/[a-z]*) \|$/gm)].map((m) => ({
    role: m[1]!,
    email: m[2]!,
    home: m[3]!,
  }));

  it("lists every demo sign-in, each an account of the demo with that role", () => {
    expect(signIns.map((s) => s.email)).toEqual(
      expect.arrayContaining([
        "admin@eastbrook.example",
        "admin2@eastbrook.example",
        "finance2@eastbrook.example",
        "cabinet@eastbrook.example",
        "olivia.price@residents.example",
      ]),
    );
    for (const signIn of signIns) {
      const user = t.db.$client.prepare("select id from users where email = ?").get(signIn.email) as
        { id: string } | undefined;
      expect(user, signIn.email).toBeDefined();
      const roles = (
        t.db.$client.prepare("select role from role_grants where user_id = ?").all(user!.id) as { role: string }[]
      ).map((r) => r.role);
      if (signIn.home === "/admin") expect(roles).toContain("admin");
      if (signIn.home === "/finance") expect(roles).toContain("finance");
      if (signIn.home === "/councillor") expect(roles).toContain("councillor");
      if (signIn.home === "/groups")
        expect(t.db.$client.prepare("select 1 from group_members where user_id = ?").get(user!.id)).toBeDefined();
    }
  });

  it("has the group member listed with a grant awaiting its monitoring report", () => {
    const waiting = t.db.$client
      .prepare(
        `select b.status from bids b join group_members m on m.group_id = b.group_id join users u on u.id = m.user_id
          where u.email = 'olivia.price@residents.example' and b.status = 'monitoring-due'`,
      )
      .all();
    expect(waiting.length).toBeGreaterThan(0);
  });

  it("lists each ward's postcodes, and the postcode search finds them by ward name or by postcode", () => {
    const wards = t.db.$client.prepare("select name, gss_code from wards").all() as {
      name: string;
      gss_code: string;
    }[];
    for (const ward of wards) {
      const row = new RegExp(`^\\| ${ward.name} \\| (EB\\d+) 1AA to EB\\d+ 5AN \\|$`, "m").exec(readme);
      expect(row, ward.name).not.toBeNull();
      const found = searchPostcodes(`${row![1]} 1AA`, 50, t.db);
      expect(found[0]).toMatchObject({ postcode: `${row![1]} 1AA`, wardName: ward.name });
    }
    const byWard = searchPostcodes("abbey", 100, t.db);
    expect(byWard).toHaveLength(50);
    expect(new Set(byWard.map((r) => r.wardName))).toEqual(new Set(["Abbey Fields"]));
  });
});

describe("the demo council", () => {
  it("has ten wards with two or three councillors each, twelve groups with members, and postcodes", () => {
    const q = (sql: string) => t.db.$client.prepare(sql).all();
    expect(q("select count(*) n from wards")).toEqual([{ n: 10 }]);
    const perWard = q("select count(*) n from role_grants where role = 'councillor' group by ward_id") as {
      n: number;
    }[];
    expect(perWard).toHaveLength(10);
    expect(perWard.every((r) => r.n >= 2 && r.n <= 3)).toBe(true);
    expect(q("select count(*) n from community_groups")).toEqual([{ n: 12 }]);
    expect(q("select count(distinct group_id) n from group_members")).toEqual([{ n: 12 }]);
    expect((q("select count(*) n from postcodes") as { n: number }[])[0]!.n).toBe(500);
  });

  it("splits this year's ward budgets to the penny and has a ledger that verifies", () => {
    const budgetSet = t.db.$client
      .prepare(
        "select sum(p.amount_pence) total from journal_postings p join journal_entries e on e.id = p.entry_id join " +
          "ledger_accounts a on a.id = p.account_id where e.type = 'BUDGET_SET' and p.dc = 'C' and a.key like " +
          "'AVAILABLE:WB-%'",
      )
      .get() as { total: number };
    expect(budgetSet.total).toBe(25_000_000);
    const types = (t.db.$client.prepare("select distinct type from journal_entries").all() as { type: string }[])
      .map((r) => r.type)
      .sort();
    expect(types).toEqual([
      "BUDGET_SET",
      "CLAWBACK_RAISE",
      "CLAWBACK_RECEIVED",
      "COMMIT",
      "EARMARK",
      "PAY_CONFIRM",
      "PAY_FAILED",
      "PAY_REQUEST",
      "REVERSAL",
    ]);
    const result = verifyLedger(t.db);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
  });

  it("has ward-budget bids in every state, each grant made from a bid", () => {
    const statuses = (
      t.db.$client
        .prepare("select distinct b.status from bids b join funds f on f.id = b.fund_id where f.kind = 'ward-budget'")
        .all() as { status: string }[]
    )
      .map((r) => r.status)
      .sort();
    expect(statuses).toEqual([
      "approved",
      "changes-requested",
      "closed",
      "draft",
      "monitoring-due",
      "offer-accepted",
      "paid",
      "part-approved",
      "rejected",
      "submitted",
      "withdrawn",
    ]);
    const orphans = t.db.$client
      .prepare(
        "select count(*) n from grants g where not exists (select 1 from bids b where b.grant_id = " +
          "coalesce(g.parent_grant_id, g.id))",
      )
      .get() as { n: number };
    expect(orphans.n).toBe(0);
    const group1Waiting = t.db.$client
      .prepare(
        "select count(*) n from bids b join funds f on f.id = b.fund_id where f.kind = 'ward-budget' and b.group_id " +
          "= 1 and b.status = 'submitted'",
      )
      .get() as { n: number };
    // Two single-ward bids and two across Abbey Fields and Brookside, waiting for each ward's decision.
    expect(group1Waiting.n).toBe(4);
  });

  it("has a grant running into next financial year: this year's part committed and paid, next year's pending", () => {
    const rows = t.db.$client
      .prepare(
        `select t.fy, t.amount_pence as pence, t.status, t.grant_id as grantId, o.amount_pence as award, o.grant_id as
          awardGrantId
           from grant_tranches t join grant_offers o on o.id = t.offer_id join bids b on b.id = o.bid_id
          where b.title = 'Woodwork mentoring over two seasons' order by t.fy`,
      )
      .all() as {
      fy: string;
      pence: number;
      status: string;
      grantId: string | null;
      award: number;
      awardGrantId: string;
    }[];
    expect(rows.map((r) => r.status)).toEqual(["committed", "pending"]);
    expect(rows[0]!.pence + rows[1]!.pence).toBe(rows[0]!.award);
    expect(rows[1]!.grantId).toBeNull();
    const balance = (key: string) =>
      (
        t.db.$client
          .prepare("select credits_posted - debits_posted as b from ledger_accounts where key = ?")
          .get(key) as { b: number }
      ).b;
    expect(balance(`PAID:${rows[0]!.awardGrantId}`)).toBe(rows[0]!.pence);
    expect(balance(`COMMITTED:${rows[0]!.awardGrantId}`)).toBe(0);
  });

  it(
    "has a PB round in voting with a few hundred ballots and a finished round whose published count recounts " +
      "exactly",
    () => {
      const client = t.db.$client;
      const voting = client
        .prepare("select id from pb_rounds where phase = 'voting' and voter_rule = 'account'")
        .all() as { id: number }[];
      expect(voting).toHaveLength(1);
      // Online and code ballots are sealed while voting (only paper is plain); each has a receipt.
      const count = (sql: string) => client.prepare(sql).pluck().get(voting[0]!.id) as number;
      const sealed = count("select count(*) from pb_sealed_ballots where round_id = ?");
      const plain = count("select count(*) from pb_ballots where round_id = ?");
      expect(sealed + plain).toBeGreaterThanOrEqual(200);
      expect(sealed).toBeGreaterThan(plain);
      expect(count("select count(*) from pb_receipts where round_id = ?")).toBe(sealed);
      expect(count("select count(*) from pb_participation where round_id = ?")).toBe(sealed);
      const unusedCodes = client
        .prepare("select count(*) n from pb_vote_codes where round_id = ? and used_on is null and revoked_at is null")
        .get(voting[0]!.id) as { n: number };
      expect(unusedCodes.n).toBeGreaterThan(0);
      const finished = client
        .prepare(
          "select r.id, c.ballot_file as ballotFile, c.report, c.rule from pb_rounds r join pb_counts c on c.round_id " +
            "= r.id where r.phase = 'results' and c.status = 'ratified'",
        )
        .all() as { id: number; ballotFile: string; report: string; rule: string }[];
      expect(finished).toHaveLength(1);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wardfund-demo-recount-"));
      try {
        const file = path.join(dir, "ballots.json");
        fs.writeFileSync(file, finished[0]!.ballotFile);
        const printed = execFileSync(
          process.execPath,
          [
            "--import",
            "tsx",
            "scripts/count.ts",
            file,
            "--format",
            "json",
            "--rule",
            finished[0]!.rule,
            "--tie",
            "project-id",
          ],
          { encoding: "utf8" },
        );
        expect(printed).toBe(finished[0]!.report);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it("has a round open for voting that only residents on its register of 30 can vote in online, as README says", async () => {
    const round = t.db.$client
      .prepare("select id, voter_rule as rule from pb_rounds where name = 'Brookside Residents Decide'")
      .get() as { id: number; rule: string };
    expect(round.rule).toBe("register");
    expect(t.db.$client.prepare("select count(*) from pb_register_rows where round_id = ?").pluck().get(round.id)).toBe(
      30,
    );
    const readme = fs.readFileSync("README.md", "utf8");
    const row = DEMO_REGISTER.find((r) => readme.includes(r.reference))!;
    expect(readme).toContain(`${row.postcode}, date of birth ${row.dateOfBirth}, surname ${row.surname}`);
    const resident = (email: string) => {
      const u = t.db.$client.prepare("select id, name from users where email = ?").get(email) as {
        id: string;
        name: string;
      };
      return u;
    };
    const first = resident("yusuf.osman@residents.example");
    expect(
      matchRegister(first, round.id, { postcode: row.postcode, dateOfBirth: row.dateOfBirth, surname: row.surname }),
    ).toBe(true);
    expect(() => matchRegister(resident("resident@eastbrook.example"), round.id, { reference: row.reference })).toThrow(
      /already used by another account/,
    );
  });

  it("freezes complete versions of its bids, so every seeded bid's history page has its data", async () => {
    const versions = t.db.$client.prepare("select bid_id as bidId, snapshot from bid_versions").all() as {
      bidId: number;
      snapshot: string;
    }[];
    expect(versions.length).toBeGreaterThan(30);
    for (const v of versions) {
      const snapshot = JSON.parse(v.snapshot) as Record<string, unknown>;
      expect(Object.keys(snapshot).sort(), `bid ${v.bidId}`).toEqual([
        "amountPence",
        "beneficiaries",
        "beneficiaryCount",
        "budgetLines",
        "description",
        "endOn",
        "files",
        "startOn",
        "summary",
        "title",
        "wards",
      ]);
      expect((snapshot.wards as unknown[]).length, `bid ${v.bidId}`).toBeGreaterThan(0);
    }
    const sentBack = t.db.$client
      .prepare("select id, reference from bids where title = 'Delivery van hire for the winter'")
      .get() as { id: number; reference: string };
    const pbBid = t.db.$client.prepare("select id from bids where title = 'Riverside path benches'").get() as {
      id: number;
    };
    const cookie = await sessionCookieFor("admin@eastbrook.example");
    for (const bidId of [sentBack.id, pbBid.id]) {
      const response = await responseOf(() =>
        bidHistoryLoader({
          request: getRequest(`/bids/${bidId}/history`, cookie),
          params: { bidId: String(bidId) },
          context: {},
        }),
      );
      expect(response).toBeInstanceOf(Response);
      const page = response as Response;
      expect(page.status).toBe(200);
      const data = (await page.json()) as {
        versions: { version: number; snapshot: { wards: { name: string }[]; files: unknown[] } }[];
      };
      expect(data.versions.length).toBeGreaterThan(0);
      for (const v of data.versions) {
        expect(v.snapshot.wards.map((w) => w.name).join(", ")).not.toBe("");
        expect(v.snapshot.files).toEqual([]);
      }
    }
    const riverside = await responseOf(() =>
      bidHistoryLoader({
        request: getRequest(`/bids/${pbBid.id}/history`, cookie),
        params: { bidId: String(pbBid.id) },
        context: {},
      }),
    );
    const wardsNamed = (
      (await (riverside as Response).json()) as { versions: { snapshot: { wards: { name: string }[] } }[] }
    ).versions[0]!.snapshot.wards;
    expect(wardsNamed.map((w) => w.name)).toEqual(["Ferry Lane", "Granary Quarter"]);
  });
});
