/**
 * Model-based property test of the ledger's storage: random sequences of business commands are
 * applied to a real, migrated SQLite file through `postEntry` and, side by side, to `ModelLedger`
 * (the in-memory reference ledger of app/core/ledger) plus the few rules the model leaves to the
 * storage layer: open years, closed accounts, approvals and idempotent retries.
 *
 * Commands: set a budget, commit a grant (with or without its approval, from one or two budgets),
 * decommit, request a payment, confirm or fail a request (the right one, one already resolved, or
 * with the wrong amount), raise and receive a clawback, reverse any earlier entry, retry an
 * earlier request unchanged or changed, and close the financial year.
 *
 * After every command: the outcome (created, existing, 409, 422 with an expected code) matches
 * the prediction; the trial balance is zero; money is conserved in every fund and year; the cached
 * account totals equal the totals recomputed from the postings and equal the model's; no
 * non-negative account is below zero; and `verifyLedger` passes. At the end of each run an audit
 * pack is exported and the standalone verifier accepts it, and the pack's trial balance and the
 * ledger CSV reconcile with the model.
 *
 * Seeded and small (fast-check, a dozen runs of up to 40 commands after three opening budgets) so the suite stays
 * quick; set
 * LEDGER_MODEL_RUNS (and LEDGER_MODEL_SEED) to run more.
 */
import path from "node:path";
import fc from "fast-check";
import { parse } from "csv-parse/sync";
import { afterAll, describe, expect, it } from "vitest";
import {
  budgetSet,
  checkConservation,
  clawbackRaise,
  clawbackReceived,
  commit,
  decommit,
  entryNeedsApproval,
  financialYearOf,
  GRANT_KINDS,
  ModelLedger,
  payConfirm,
  payFailed,
  payRequest,
  reversal,
  scopeResolver,
  type EntryDraft,
  type LedgerErrorCode,
  type ModelEntry,
  type Scope,
} from "~/core/ledger";
import type { Db } from "~/db/client.server";
import { exportAuditPack } from "~/models/audit-pack.server";
import { streamLedgerCsv } from "~/models/ledger-csv.server";
import { closeFinancialYear, LedgerRefusal, postEntry, type PostRequest } from "~/models/ledger.server";
import { verifyLedger } from "~/models/ledger-verify.server";
import { createTestDatabase } from "../support/database";
import { accountBalances, addApproval, addFund, addGrant, FINANCE } from "../support/ledger-world";
import { readPackFile, removeTempDirs, runVerifier, tempDir } from "../support/ledger-tools";

afterAll(() => removeTempDirs());

// ---------------------------------------------------------------------------------------------
// The world: two funds (2026/27 and 2027/28), their budgets and grants.

const FUNDS = [
  { id: "F26", fy: "2026/27", budgets: ["F26-a", "F26-b"], grants: ["g0", "g1", "g2"] },
  { id: "F27", fy: "2027/28", budgets: ["F27-a"], grants: ["g3", "g4"] },
] as const;
const GRANTS = FUNDS.flatMap((f) => f.grants.map((grantId) => ({ grantId, fund: f })));
const DATES = ["2026-05-10", "2026-11-20", "2027-03-31", "2027-05-10", "2027-08-01"] as const;
const MEMOS = [null, "Ward 3, phase 1", 'Said "yes"', "=SUM(A1)", "Café\nline two", "e\u0301te\u0301"] as const;

const scopeOf = scopeResolver({
  budgets: new Map<string, Scope>(FUNDS.flatMap((f) => f.budgets.map((b) => [b, { scheme: f.id, fy: f.fy }] as const))),
  grants: new Map<string, Scope>(FUNDS.flatMap((f) => f.grants.map((g) => [g, { scheme: f.id, fy: f.fy }] as const))),
});

function buildWorld(database: Db): void {
  for (const fund of FUNDS) {
    addFund(database, { id: fund.id, fy: fund.fy, budgetIds: fund.budgets });
    for (const grantId of fund.grants) addGrant(database, { id: grantId, fundId: fund.id });
  }
}

// ---------------------------------------------------------------------------------------------
// Commands, as generated data

const pence = fc.integer({ min: 1, max: 40_000 });
/** A share of the balance the command draws on, in percent: up to 120, so some ask for too much. */
const share = fc.integer({ min: 1, max: 120 });
const date = fc.constantFrom(...DATES);
const pick = fc.nat({ max: 1_000 });
const memo = fc.constantFrom(...MEMOS);

type Command =
  | { kind: "setBudget"; fund: number; budget: number; pence: number; date: string; memo: string | null }
  | {
      kind: "commit";
      grant: number;
      pence: number;
      joint: boolean;
      approved: boolean;
      date: string;
      memo: string | null;
    }
  | { kind: "decommit"; grant: number; budget: number; share: number; date: string }
  | { kind: "payRequest"; grant: number; share: number; date: string }
  | { kind: "payConfirm"; grant: number; pick: number; wrongAmount: boolean; date: string }
  | { kind: "payFailed"; grant: number; pick: number; date: string }
  | { kind: "clawbackRaise"; grant: number; share: number; date: string }
  | { kind: "clawbackReceived"; grant: number; share: number; toBudget: boolean; date: string }
  | { kind: "reverse"; pick: number; approved: boolean; date: string }
  | { kind: "retry"; pick: number; changed: boolean }
  | { kind: "closeYear" };

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant("setBudget" as const),
      fund: fc.nat({ max: 1 }),
      budget: fc.nat({ max: 1 }),
      pence: fc.integer({ min: 1, max: 100_000 }),
      date,
      memo,
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("commit" as const),
      grant: pick,
      pence,
      joint: fc.boolean(),
      approved: fc.constantFrom(true, true, true, true, false),
      date,
      memo,
    }),
    weight: 8,
  },
  {
    arbitrary: fc.record({ kind: fc.constant("decommit" as const), grant: pick, budget: pick, share, date }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant("payRequest" as const), grant: pick, share, date }), weight: 6 },
  {
    arbitrary: fc.record({
      kind: fc.constant("payConfirm" as const),
      grant: pick,
      pick,
      wrongAmount: fc.constantFrom(false, false, false, true),
      date,
    }),
    weight: 6,
  },
  { arbitrary: fc.record({ kind: fc.constant("payFailed" as const), grant: pick, pick, date }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("clawbackRaise" as const), grant: pick, share, date }), weight: 3 },
  {
    arbitrary: fc.record({
      kind: fc.constant("clawbackReceived" as const),
      grant: pick,
      share,
      toBudget: fc.boolean(),
      date,
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("reverse" as const),
      pick,
      approved: fc.constantFrom(true, true, true, false),
      date,
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ kind: fc.constant("retry" as const), pick, changed: fc.boolean() }), weight: 4 },
  { arbitrary: fc.constant({ kind: "closeYear" as const }), weight: 1 },
);

// ---------------------------------------------------------------------------------------------
// The harness: the real ledger and the reference, side by side

type Outcome = { status: "created" | "existing"; entryId: string } | { status: 409 | 422; code: string };
type Expected =
  { status: "created" } | { status: "existing"; entryId: string } | { status: 409 | 422; codes: LedgerErrorCode[] };

interface Sent {
  request: PostRequest;
  fingerprint: string;
}

class Harness {
  readonly model = new ModelLedger();
  private readonly keys = new Map<
    string,
    { fingerprint: string; outcome: "accepted" | "rejected"; entryId?: string }
  >();
  readonly sent: Sent[] = [];
  private readonly closedYears = new Set<string>();
  private readonly closedAccounts = new Set<string>();
  private n = 0;
  log: string[] = [];

  constructor(readonly db: Db) {}

  private grant(index: number) {
    return GRANTS[index % GRANTS.length]!;
  }

  /** A grant with money in its `kind` account when there is one (else any grant), so commands find work. */
  private grantHolding(kind: "COMMITTED" | "PAYABLE" | "PAID" | "RECOVERABLE", index: number) {
    const holding = GRANTS.filter((g) => this.model.balance(`${kind}:${g.grantId}`) > 0);
    return holding.length > 0 ? holding[index % holding.length]! : this.grant(index);
  }

  /** `percent` of an account's current balance in the reference (at least 1p; 1-5,000p when it is empty). */
  private scaled(account: string, percent: number): number {
    const balance = this.model.balance(account);
    return balance > 0 ? Math.max(1, Math.round((balance * percent) / 100)) : 1 + ((percent * 41) % 5_000);
  }

  private entriesWhere(test: (entry: ModelEntry) => boolean): ModelEntry[] {
    return this.model.entries.filter(test);
  }

  /** Turns a generated command into a request (or a year close), using the state so far. */
  run(c: Command): void {
    if (c.kind === "closeYear") return this.closeYear();
    if (c.kind === "retry") {
      const earlier = this.sent[c.pick % Math.max(1, this.sent.length)];
      if (!earlier) return;
      const request = c.changed
        ? {
            ...earlier.request,
            draft: { ...earlier.request.draft, memo: `${earlier.request.draft.memo ?? ""} (changed)` },
          }
        : earlier.request;
      return this.post(request);
    }
    const draft = this.draftFor(c);
    if (!draft) return;
    const approvalId = this.approvalFor(c, draft);
    this.n += 1;
    this.post({
      draft,
      idempotencyKey: `cmd-${this.n}`,
      actor: FINANCE,
      effectiveDate: c.date,
      approvalId,
      now: new Date(Date.UTC(2026, 3, 1) + this.n * 60_000),
    });
  }

  private draftFor(c: Exclude<Command, { kind: "closeYear" } | { kind: "retry" }>): EntryDraft | null {
    switch (c.kind) {
      case "setBudget": {
        const fund = FUNDS[c.fund]!;
        return budgetSet({
          scheme: fund.id,
          fy: fund.fy,
          allocations: [{ budgetId: fund.budgets[c.budget % fund.budgets.length]!, pence: c.pence }],
          memo: c.memo,
        });
      }
      case "commit": {
        const { grantId, fund } = this.grant(c.grant);
        const [first, second] = fund.budgets;
        const sources =
          c.joint && second && c.pence > 1
            ? [
                { budgetId: first, pence: Math.ceil(c.pence / 2) },
                { budgetId: second, pence: Math.floor(c.pence / 2) },
              ]
            : [{ budgetId: first, pence: c.pence }];
        return commit({ grantId, sources, memo: c.memo });
      }
      case "decommit": {
        const { grantId, fund } = this.grantHolding("COMMITTED", c.grant);
        return decommit({
          grantId,
          returns: [
            {
              budgetId: fund.budgets[c.budget % fund.budgets.length]!,
              pence: this.scaled(`COMMITTED:${grantId}`, c.share),
            },
          ],
          reason: "Award reduced",
        });
      }
      case "payRequest": {
        const { grantId } = this.grantHolding("COMMITTED", c.grant);
        return payRequest({ grantId, pence: this.scaled(`COMMITTED:${grantId}`, c.share) });
      }
      case "payConfirm":
      case "payFailed": {
        const { grantId } = this.grantHolding("PAYABLE", c.grant);
        const requests = this.entriesWhere(
          (e) => e.type === "PAY_REQUEST" && e.postings.some((p) => p.account === `PAYABLE:${grantId}`),
        );
        const target = requests[c.pick % Math.max(1, requests.length)];
        if (!target) return null;
        const amount = target.postings[0]!.pence;
        return c.kind === "payConfirm"
          ? payConfirm({
              grantId,
              payRequestEntryId: target.entryId,
              pence: c.wrongAmount ? amount + 1 : amount,
              paymentRef: `AP-${this.n + 1}`,
            })
          : payFailed({ grantId, payRequestEntryId: target.entryId, pence: amount, reason: "Bank details rejected" });
      }
      case "clawbackRaise": {
        const { grantId } = this.grantHolding("PAID", c.grant);
        return clawbackRaise({
          grantId,
          pence: this.scaled(`PAID:${grantId}`, c.share),
          reason: "Condition not met",
          debtorInvoiceRef: `INV-${this.n + 1}`,
        });
      }
      case "clawbackReceived": {
        const { grantId, fund } = this.grantHolding("RECOVERABLE", c.grant);
        return clawbackReceived({
          grantId,
          pence: this.scaled(`RECOVERABLE:${grantId}`, c.share),
          destination: c.toBudget ? { budgetId: fund.budgets[0] } : { returnedTo: { scheme: fund.id, fy: fund.fy } },
        });
      }
      case "reverse": {
        const original = this.model.entries[c.pick % Math.max(1, this.model.entries.length)];
        if (!original) return null;
        return reversal({
          original: { entryId: original.entryId, postings: original.postings },
          reason: "Recorded in error",
        });
      }
    }
  }

  private approvalFor(c: Command, draft: EntryDraft): string | null {
    if (!entryNeedsApproval(draft.type)) return null;
    if ((c.kind === "commit" || c.kind === "reverse") && !c.approved) return null;
    const grantId =
      draft.type === "COMMIT"
        ? draft.postings.find((p) => p.account.startsWith("COMMITTED:"))!.account.slice("COMMITTED:".length)
        : null;
    return addApproval(this.db, { entryType: draft.type, grantId, amountPence: 1 });
  }

  /** What the reference predicts for a request, given everything so far. */
  private expect(request: PostRequest, fingerprint: string): Expected {
    const previous = this.keys.get(request.idempotencyKey);
    if (previous) {
      if (previous.fingerprint !== fingerprint) return { status: 409, codes: ["IDEMPOTENCY_CONFLICT"] };
      return previous.outcome === "accepted"
        ? { status: "existing", entryId: previous.entryId! }
        : { status: 422, codes: ["PREVIOUSLY_REJECTED"] };
    }
    const { draft } = request;
    const codes: LedgerErrorCode[] = this.model.check(`probe-${this.model.entries.length}`, draft).map((i) => i.code);
    if (this.closedYears.has(financialYearOf(request.effectiveDate))) codes.push("YEAR_NOT_OPEN");
    if (entryNeedsApproval(draft.type) && !request.approvalId) codes.push("APPROVAL_REQUIRED");
    if (draft.postings.some((p) => this.closedAccounts.has(p.account))) codes.push("YEAR_NOT_OPEN");
    return codes.length > 0 ? { status: 422, codes } : { status: "created" };
  }

  private post(request: PostRequest): void {
    const fingerprint = JSON.stringify([request.draft, request.effectiveDate, request.approvalId ?? null]);
    const expected = this.expect(request, fingerprint);
    let outcome: Outcome;
    try {
      const posted = postEntry(request, this.db);
      outcome = { status: posted.status, entryId: posted.entryId };
    } catch (error) {
      if (!(error instanceof LedgerRefusal)) throw error;
      outcome = { status: error.status, code: error.code };
    }
    this.log.push(
      `${request.idempotencyKey} ${request.draft.type} ${request.effectiveDate}: expected ` +
        `${JSON.stringify(expected)}, got ${JSON.stringify(outcome)}`,
    );
    this.sent.push({ request, fingerprint });
    if (expected.status === "created") {
      expect(outcome.status, this.log.join("\n")).toBe("created");
      const entryId = (outcome as { entryId: string }).entryId;
      expect(this.model.apply(entryId, request.draft).ok).toBe(true);
      this.keys.set(request.idempotencyKey, { fingerprint, outcome: "accepted", entryId });
    } else if (expected.status === "existing") {
      expect(outcome, this.log.join("\n")).toEqual({ status: "existing", entryId: expected.entryId });
    } else {
      expect(outcome.status, this.log.join("\n")).toBe(expected.status);
      expect(expected.codes, this.log.join("\n")).toContain((outcome as { code: string }).code);
      if (expected.status === 422 && !this.keys.has(request.idempotencyKey))
        this.keys.set(request.idempotencyKey, { fingerprint, outcome: "rejected" });
    }
  }

  private closeYear(): void {
    const fy = FUNDS[0].fy;
    if (this.closedYears.has(fy)) {
      expect(() => closeFinancialYear(FINANCE, fy, new Date(), this.db)).toThrow(
        expect.objectContaining({ code: "YEAR_NOT_OPEN" }),
      );
      return;
    }
    closeFinancialYear(FINANCE, fy, new Date(), this.db);
    this.log.push(`close ${fy}`);
    this.closedYears.add(fy);
    // Closing stamps the year's scheme accounts and its funds' budgets; grant accounts stay open,
    // so a commitment from that year can still be paid in the next. Only accounts that exist now.
    for (const account of this.model.totals().keys()) {
      if (!GRANT_KINDS.some((kind) => account.startsWith(`${kind}:`)) && scopeOf(account)?.fy === fy)
        this.closedAccounts.add(account);
    }
  }

  /** Every invariant, on the database and against the reference. */
  checkInvariants(): void {
    const client = this.db.$client;
    const context = this.log.join("\n");
    const sums = client
      .prepare(
        "select coalesce(sum(debits_posted), 0) as d, coalesce(sum(credits_posted), 0) as c from ledger_accounts",
      )
      .get() as { d: number; c: number };
    expect(sums.d, context).toBe(sums.c);
    const stale = client
      .prepare(
        `select a.key from ledger_accounts a
          where a.debits_posted <> coalesce((select sum(amount_pence) from journal_postings p where p.account_id = a.id
            and p.dc = 'D'), 0)
             or a.credits_posted <> coalesce((select sum(amount_pence) from journal_postings p where p.account_id =
               a.id and p.dc = 'C'), 0)`,
      )
      .all();
    expect(stale, context).toEqual([]);
    expect(
      client
        .prepare("select key from ledger_accounts where non_negative = 1 and credits_posted - debits_posted < 0")
        .all(),
      context,
    ).toEqual([]);
    const actual = [...accountBalances(this.db)].map(([key, t]) => [key, t.debits, t.credits]).sort();
    const reference = [...this.model.totals()].map(([key, t]) => [key, t.debitsPence, t.creditsPence]).sort();
    expect(actual, context).toEqual(reference);
    expect(this.model.trialBalance().netPence).toBe(0);
    const conservation = checkConservation(this.model.entries, scopeOf);
    expect(conservation.holds, JSON.stringify(conservation)).toBe(true);
    expect(client.prepare("select count(*) as n from ledger_log").get(), context).toEqual({
      n: this.model.entries.length,
    });
    const verified = verifyLedger(this.db);
    expect(verified.problems, context).toEqual([]);
    expect(verified.ok).toBe(true);
  }

  /** Exports the pack and checks it with the standalone verifier; reconciles it and the CSV with the reference. */
  async checkExports(): Promise<void> {
    const dir = path.join(tempDir(), "pack");
    const pack = exportAuditPack(dir, { actor: FINANCE, reason: "model run" }, this.db);
    expect(pack.entryCount).toBe(this.model.entries.length);
    const verdict = runVerifier(dir, "--expect-head", `${pack.head.seq}:${pack.head.hash}`);
    expect(verdict.stderr, this.log.join("\n")).toBe("");
    expect(verdict.status).toBe(0);

    const trial = (parse(readPackFile(dir, "trial_balance.csv"), { columns: true }) as Record<string, string>[]).map(
      (r) => [r.account, Number(r.debits_pence), Number(r.credits_pence)],
    );
    expect(trial).toEqual(this.model.trialBalance().rows.map((r) => [r.account, r.debitsPence, r.creditsPence]));

    const chunks: Buffer[] = [];
    for await (const chunk of streamLedgerCsv({}, { database: this.db })) chunks.push(Buffer.from(chunk));
    const csv = parse(Buffer.concat(chunks).toString("utf8"), { columns: true }) as Record<string, string>[];
    const expectedLines = this.model.entries.flatMap((e, i) =>
      e.postings.map((p) => [String(i + 1), e.entryId, p.account, p.dc, String(p.pence)]),
    );
    expect(csv.map((r) => [r.seq, r.entry_id, r.account, r.dc, r.pence])).toEqual(expectedLines);
  }
}

/** Every run starts with money in each budget, so most commands have something to work on. */
const OPENING_BUDGETS: Command[] = [
  { kind: "setBudget", fund: 0, budget: 0, pence: 150_000, date: "2026-04-01", memo: "Opening budget" },
  { kind: "setBudget", fund: 0, budget: 1, pence: 100_000, date: "2026-04-01", memo: null },
  { kind: "setBudget", fund: 1, budget: 0, pence: 100_000, date: "2027-04-01", memo: null },
];

const RUNS = Number(process.env.LEDGER_MODEL_RUNS ?? 12);
const SEED = Number(process.env.LEDGER_MODEL_SEED ?? 20_260_401);

describe("the SQLite ledger against the reference model", () => {
  it("agrees on every outcome and keeps every invariant over random command sequences", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 10, maxLength: 40, size: "medium" }), async (commands) => {
        const t = await createTestDatabase();
        try {
          buildWorld(t.db);
          const harness = new Harness(t.db);
          for (const c of [...OPENING_BUDGETS, ...commands]) {
            harness.run(c);
            harness.checkInvariants();
          }
          await harness.checkExports();
        } finally {
          t.close();
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  });
});

describe("after a year is closed", () => {
  it(
    "refuses, as a remembered 422, an entry that would post to one of the year's closed accounts, and still pays " +
      "its commitments",
    async () => {
      const t = await createTestDatabase();
      try {
        buildWorld(t.db);
        const post = (draft: EntryDraft, key: string, effectiveDate: string, approvalId: string | null = null) =>
          postEntry({ draft, idempotencyKey: key, actor: FINANCE, effectiveDate, approvalId }, t.db);
        post(
          budgetSet({ scheme: "F26", fy: "2026/27", allocations: [{ budgetId: "F26-a", pence: 10_000 }] }),
          "budget",
          "2026-04-01",
        );
        post(
          commit({ grantId: "g0", sources: [{ budgetId: "F26-a", pence: 6_000 }] }),
          "commit",
          "2026-06-01",
          addApproval(t.db, { entryType: "COMMIT", grantId: "g0", amountPence: 6_000 }),
        );
        closeFinancialYear(FINANCE, "2026/27", new Date("2027-04-02T09:00:00.000Z"), t.db);

        // Returning money to the closed budget after year end: refused with a clear code, and remembered.
        const late = () =>
          post(
            decommit({
              grantId: "g0",
              returns: [{ budgetId: "F26-a", pence: 1_000 }],
              reason: "Reduced after year end",
            }),
            "late-decommit",
            "2027-05-01",
          );
        expect(late).toThrow(
          expect.objectContaining({
            status: 422,
            code: "YEAR_NOT_OPEN",
            message: expect.stringMatching(/AVAILABLE:F26-a was closed/),
          }),
        );
        expect(late).toThrow(expect.objectContaining({ status: 422, code: "PREVIOUSLY_REJECTED" }));
        // The commitment itself (grant accounts) is still paid in the new year.
        expect(post(payRequest({ grantId: "g0", pence: 6_000 }), "pay", "2027-05-01")).toMatchObject({
          status: "created",
          seq: 3,
        });
        expect(verifyLedger(t.db)).toMatchObject({ ok: true, count: 3 });
      } finally {
        t.close();
      }
    },
  );
});
