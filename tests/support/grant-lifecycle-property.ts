/**
 * Money follows the decision, under any sequence of actions: a model-based property test that runs
 * random sequences of 50–200 actions (bids over one to three wards, decisions and part-approvals,
 * interest declarations that refer a bid to the designated decision-maker, offers accepted or
 * declined, payments requested, confirmed, failed and reversed, clawbacks, withdrawals, monitoring
 * reports, later years' tranches, budget changes, a year closed, and retries of an answered request)
 * by the real model functions on a real SQLite file, copied per sequence from one seeded template.
 *
 * Each action picks its arguments from the state it finds, including wrong ones (another ward's
 * councillor, an amount that fits no instalment, the requester confirming their own payment). A
 * refusal is a fine outcome; any other thrown error fails the property. After every step the
 * ledger and grant invariants of tests/support/grant-invariants.ts must hold, and two that need
 * the step itself:
 * - W1 no ward's AVAILABLE falls without a decision for that ward: a decision by one of its own
 *   councillors (or the designated decision-maker, deciding for every ward of a referred bid), a
 *   budget change to it, or a later year's tranche of a grant its own councillor approved;
 * - S6 nothing is paid out on a bid after it was withdrawn;
 * - R1 a retry with the same idempotency key (a double click) answers what the first attempt did.
 * The cheap checks (chain links, totals, conservation, trial balance) run after every step; the
 * full `verifyLedger` (hashes and rows against payloads) at the end of each sequence.
 *
 * GRANT_PROPERTY_RUNS sets the number of sequences (default 1,000, split between the two test files),
 * GRANT_PROPERTY_SEED and GRANT_PROPERTY_PATH replay a reported failure (run the file that reported
 * it), GRANT_PROPERTY_SHRINK_RUNS bounds the shrinking (default 100 replays),
 * GRANT_PROPERTY_SKIP leaves rules out ("R1,W1") to look past a known defect at the others.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScheduleKind } from "~/core/bids";
import type { Db } from "~/db/client.server";
import { submitBid, withdrawBid } from "~/models/bids.server";
import { decideBudgetChange, requestBudgetAdjust } from "~/models/budget-changes.server";
import { decideBid } from "~/models/decisions.server";
import {
  closeYear,
  confirmPayment,
  decideReversal,
  failPayment,
  raiseClawback,
  receiveClawback,
  requestPayment,
  requestReversal,
} from "~/models/finance.server";
import { verifyLedger } from "~/models/ledger-verify.server";
import { openDueMonitoring, submitMonitoringReport } from "~/models/monitoring.server";
import { respondToOffer } from "~/models/offers.server";
import { commitTranche } from "~/models/tranches.server";
import { loadPrincipal, type Principal } from "~/utils/auth.server";
import { submittedBid } from "../factories";
import { allViolations, availableByBudget, changesSoFar, type Violation } from "./grant-invariants";
import { createGrantTemplate, NEXT_FY, openTemplateCopy, THIS_FY, type GrantTemplate } from "./grant-world";

/** A refusal: what a model throws when the rules say no (today several classes, soon one `Refusal`). */
export function isRefusal(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { status?: unknown }).status;
  if (typeof status === "number" && status < 500) return true;
  return /(Refusal|Incomplete)$/.test(error.constructor.name);
}

const RUNS = Number(process.env.GRANT_PROPERTY_RUNS ?? 1_000);
const SEED = process.env.GRANT_PROPERTY_SEED ? Number(process.env.GRANT_PROPERTY_SEED) : undefined;
const PATH = process.env.GRANT_PROPERTY_PATH || undefined;
const SHRINK_RUNS = Number(process.env.GRANT_PROPERTY_SHRINK_RUNS ?? 100);
/** Rules to leave out, e.g. "R1,W1", to look past a known defect at the others. */
const SKIP = new Set(
  (process.env.GRANT_PROPERTY_SKIP ?? "")
    .split(",")
    .map((r) => r.trim())
    .filter(Boolean),
);
const skipped = (rule: string) => SKIP.has(rule.split(" ")[0]!);

const KINDS = [
  "bid",
  "decide",
  "refer",
  "resubmit",
  "respond",
  "request-payment",
  "confirm",
  "fail",
  "reverse",
  "clawback",
  "withdraw",
  "monitoring",
  "tranche",
  "adjust",
  "close-year",
  "retry",
] as const;
type Kind = (typeof KINDS)[number];
const WEIGHTS: Record<Kind, number> = {
  bid: 6,
  decide: 10,
  refer: 2,
  resubmit: 1,
  respond: 6,
  "request-payment": 10,
  confirm: 8,
  fail: 2,
  reverse: 3,
  clawback: 2,
  withdraw: 3,
  monitoring: 2,
  tranche: 3,
  adjust: 2,
  "close-year": 1,
  retry: 4,
};

/** One action: its kind and some numbers it turns into arguments against the state it finds. */
export interface Action {
  kind: Kind;
  a: number;
  b: number;
  c: number;
  d: number;
}

const actionArb: fc.Arbitrary<Action> = fc.record({
  kind: fc.oneof(...KINDS.map((k) => ({ arbitrary: fc.constant(k), weight: WEIGHTS[k] }))),
  a: fc.nat(1_000),
  b: fc.nat(1_000),
  c: fc.nat(1_000),
  d: fc.nat(1_000),
});

const pick = <T>(list: readonly T[], n: number): T | undefined => (list.length ? list[n % list.length] : undefined);

interface People {
  finance: Principal[];
  admin: Principal;
  ddm: Principal;
  councillorsByWard: Map<number, Principal[]>;
  leads: { groupId: number; name: string; lead: Principal }[];
  wardIds: number[];
}

function loadPeople(database: Db): People {
  const q = <T>(sql: string, ...args: unknown[]) => database.$client.prepare(sql).all(...args) as T[];
  const p = (id: string) => loadPrincipal(id, database)!;
  const finance = q<{ id: string }>(
    `select distinct user_id as id from role_grants where role = 'finance' order by user_id`,
  ).map((r) => p(r.id));
  const admin = p(q<{ id: string }>(`select id from users where email = 'admin@eastbrook.example'`)[0]!.id);
  const ddm = p(q<{ id: string }>(`select designated_decision_maker_id as id from council_settings`)[0]!.id);
  const councillorsByWard = new Map<number, Principal[]>();
  for (const r of q<{ userId: string; wardId: number }>(
    `select user_id as userId, ward_id as wardId from role_grants where role = 'councillor' order by ward_id, user_id`,
  )) {
    councillorsByWard.set(r.wardId, [...(councillorsByWard.get(r.wardId) ?? []), p(r.userId)]);
  }
  const leads = q<{ groupId: number; name: string; userId: string }>(
    `select g.id as groupId, g.name as name, m.user_id as userId from community_groups g
       join group_members m on m.group_id = g.id and m.member_role = 'lead' order by g.id`,
  ).map((r) => ({ groupId: r.groupId, name: r.name, lead: p(r.userId) }));
  return { finance, admin, ddm, councillorsByWard, leads, wardIds: [...councillorsByWard.keys()] };
}

interface Outcome {
  ok: boolean;
  detail: string;
  /** Budgets whose AVAILABLE this action may lower: by budget id, or by ward (with the fund kind). */
  mayLowerWards?: number[];
  mayLowerBudgets?: string[];
  retry?: () => unknown;
  result?: unknown;
}

class Sequence {
  readonly q: <T>(sql: string, ...args: unknown[]) => T[];
  /** Wards whose councillors (or the designated decision-maker) approved each bid. */
  readonly decidingWards = new Map<number, Set<number>>();
  readonly paidOutAtWithdrawal = new Map<number, number>();
  lastRetry: { label: string; run: () => unknown; result: unknown } | null = null;
  counter = 0;
  /** The ledger log is checked link by link up to here. */
  checkedSeq = 0;

  constructor(
    readonly database: Db,
    readonly people: People,
    readonly fundIds: { thisYear: string; nextYear: string },
  ) {
    this.q = <T>(sql: string, ...args: unknown[]) => database.$client.prepare(sql).all(...args) as T[];
  }

  key(): string {
    this.counter += 1;
    return `prop-${this.counter}`;
  }

  bids(where = "1 = 1") {
    return this.q<{ id: number; status: string; groupId: number; amount: number }>(
      `select id, status, group_id as groupId, amount_pence as amount from bids where ${where} order by id`,
    );
  }

  wardsOf(bidId: number): number[] {
    return this.q<{ w: number }>(`select ward_id as w from bid_wards where bid_id = ? order by ward_id`, bidId).map(
      (r) => r.w,
    );
  }

  leadOf(groupId: number): Principal {
    return this.people.leads.find((l) => l.groupId === groupId)!.lead;
  }

  officer(n: number): Principal {
    return pick(this.people.finance, n)!;
  }

  run(action: Action): Outcome {
    const { a, b, c, d } = action;
    const db = this.database;
    switch (action.kind) {
      case "bid": {
        if (this.bids().length >= 10) return { ok: false, detail: "enough bids" };
        const group = pick(this.people.leads, a)!;
        const first = pick(this.people.wardIds, b)!;
        const count = 1 + (c % 3);
        const wards = [
          ...new Set(Array.from({ length: count }, (_, i) => pick(this.people.wardIds, b + i * (1 + (d % 7)))!)),
        ];
        if (!wards.includes(first)) wards.unshift(first);
        const pence = 1_000 + (d % 30) * 10_000 + (a % 100);
        const endOn = pick([null, `${THIS_FY.slice(0, 4)}-12-31`, `${Number(THIS_FY.slice(0, 4)) + 1}-09-30`], c)!;
        const names = this.q<{ name: string; id: number }>(`select name, id from wards`);
        const id = submittedBid(db, {
          group: group.name,
          wards: wards.map((w) => names.find((n) => n.id === w)!.name),
          pence,
          endOn,
          title: `Project ${this.counter++}`,
        });
        return {
          ok: true,
          detail: `bid ${id} by ${group.name} in wards ${wards.join(",")} for ${pence}p ending ${endOn}`,
        };
      }
      case "decide": {
        const bid = pick(this.bids("status in ('submitted','approved','changes-requested')"), a);
        if (!bid) return { ok: false, detail: "no bid to decide" };
        const wards = this.wardsOf(bid.id);
        const own = wards.flatMap((w) => this.people.councillorsByWard.get(w) ?? []);
        const other = [...this.people.councillorsByWard.entries()]
          .filter(([w]) => !wards.includes(w))
          .flatMap(([, list]) => list);
        const candidates = [...own, ...own, ...own, pick(other, c)!, this.people.ddm, this.officer(c)];
        const decider = pick(candidates, b)!;
        const outcome = pick(["approve", "approve", "part-approve", "reject", "request-changes"] as const, c)!;
        const amountPence =
          outcome === "part-approve"
            ? d % 4 === 0
              ? bid.amount + 100
              : Math.max(1, Math.floor((bid.amount * (1 + (d % 9))) / 10))
            : null;
        const schedule = pick<ScheduleKind>(["single", "staged", "by-year"], d)!;
        const input = {
          bidId: bid.id,
          hasInterest: false,
          outcome,
          amountPence,
          reason: "Decided in a property test",
          schedule,
          idempotencyKey: this.key(),
        };
        const now = new Date();
        const run = () => decideBid(decider, input, now, db);
        const result = run();
        const deciding = this.decidingWards.get(bid.id) ?? new Set<number>();
        const asDesignated =
          decider.id === this.people.ddm.id && !decider.councillorWardIds.some((w) => wards.includes(w));
        for (const w of asDesignated ? wards : decider.councillorWardIds) deciding.add(w);
        this.decidingWards.set(bid.id, deciding);
        this.lastRetry = { label: `decideBid ${JSON.stringify(input)}`, run, result };
        return {
          ok: true,
          detail: `${decider.name} (wards ${decider.councillorWardIds.join(",") || "-"}) ${outcome} bid ${
            bid.id
          } (wards ${wards.join(",")}) ${amountPence ?? ""} ${schedule}`,
          mayLowerWards: asDesignated ? wards : decider.councillorWardIds,
        };
      }
      case "refer": {
        const bid = pick(this.bids("status = 'submitted'"), a);
        if (!bid) return { ok: false, detail: "no bid to refer" };
        const own = this.wardsOf(bid.id).flatMap((w) => this.people.councillorsByWard.get(w) ?? []);
        // Every councillor of the bid's wards declares an interest (b odd), or just one of them.
        const who = b % 2 === 1 ? own : [pick(own, c)!];
        for (const councillor of who)
          decideBid(
            councillor,
            {
              bidId: bid.id,
              hasInterest: true,
              interestDetails: "Sits on the group's committee",
              idempotencyKey: this.key(),
            },
            new Date(),
            db,
          );
        return { ok: true, detail: `${who.length} councillor(s) declared an interest in bid ${bid.id}` };
      }
      case "resubmit": {
        const bid = pick(this.bids("status = 'changes-requested'"), a);
        if (!bid) return { ok: false, detail: "no bid to resubmit" };
        submitBid(this.leadOf(bid.groupId), bid.id, {}, db);
        return { ok: true, detail: `bid ${bid.id} resubmitted` };
      }
      case "respond": {
        const bid = pick(this.bids("status in ('approved','part-approved')"), a);
        if (!bid) return { ok: false, detail: "no offer to answer" };
        const user = b % 5 === 0 ? pick(this.people.leads, c)!.lead : this.leadOf(bid.groupId);
        const accept = c % 4 !== 0;
        respondToOffer(user, { bidId: bid.id, accept }, new Date(), db);
        return { ok: true, detail: `${user.name} ${accept ? "accepted" : "declined"} the offer on bid ${bid.id}` };
      }
      case "request-payment": {
        const grants = this.q<{ id: string; committed: number }>(
          `select g.id as id, coalesce((select credits_posted - debits_posted from ledger_accounts
             where key = 'COMMITTED:' || g.id), 0) as committed from grants g order by g.id`,
        );
        const grant = pick(
          grants.filter((g) => g.committed > 0 || b % 7 === 0),
          a,
        );
        if (!grant) return { ok: false, detail: "no grant to pay" };
        const next = this.q<{ amount: number }>(
          `select i.amount_pence as amount from grant_instalments i join grant_offers o on o.id = i.offer_id
             left join grant_tranches t on t.offer_id = o.id and t.fy = i.fy
            where coalesce(t.grant_id, o.grant_id) = ? and i.paid_at is null
              and i.pay_request_entry_id is null order by i.seq limit 1`,
          grant.id,
        )[0];
        // The form refuses a zero or negative amount before the model sees it, so every amount here is positive.
        const pence = Math.max(
          1,
          pick(
            [
              next?.amount ?? grant.committed,
              next?.amount ?? grant.committed,
              grant.committed,
              100,
              grant.committed + 1,
            ],
            b,
          )!,
        );
        const officer = this.officer(c);
        const input = { grantId: grant.id, pence, idempotencyKey: this.key() };
        const posted = requestPayment(officer, input, db);
        this.lastRetry = {
          label: `requestPayment ${JSON.stringify(input)}`,
          run: () => requestPayment(officer, input, db),
          result: posted,
        };
        return {
          ok: true,
          detail: `${officer.name} requested ${pence}p on ${grant.id} (committed ${grant.committed}p, next instalment ${
            next?.amount ?? "none"
          })`,
        };
      }
      case "confirm":
      case "fail": {
        const requests = this.q<{ id: string; actor: string }>(
          `select e.id as id, e.actor_id as actor from journal_entries e where e.type = 'PAY_REQUEST'
             and not exists (select 1 from journal_entries r where r.resolves_id = e.id) and not exists (select 1
               from journal_entries r where r.reverses_id = e.id) order by e.seq`,
        );
        const request = pick(requests, a);
        if (!request) return { ok: false, detail: "no open payment request" };
        const officer = b % 6 === 0 ? this.people.finance.find((f) => f.id === request.actor)! : this.officer(c);
        if (action.kind === "fail") {
          failPayment(
            officer,
            { payRequestEntryId: request.id, reason: "The bank returned it", idempotencyKey: this.key() },
            db,
          );
          return { ok: true, detail: `${officer.name} failed payment request ${request.id}` };
        }
        const input = { payRequestEntryId: request.id, paymentRef: `AP-${this.counter}`, idempotencyKey: this.key() };
        const now = new Date();
        const run = () => confirmPayment(officer, input, db, now);
        const result = run();
        this.lastRetry = { label: `confirmPayment ${JSON.stringify(input)}`, run, result };
        return { ok: true, detail: `${officer.name} confirmed payment request ${request.id}` };
      }
      case "reverse": {
        const entries = this.q<{ id: string; type: string }>(
          `select id, type from journal_entries
             where type in ('PAY_REQUEST','PAY_CONFIRM','CLAWBACK_RAISE','CLAWBACK_RECEIVED')
             and not exists (select 1 from journal_entries r where r.reverses_id = journal_entries.id) order by seq`,
        );
        const entry = pick(entries, a);
        if (!entry) return { ok: false, detail: "nothing to reverse" };
        const asker = this.officer(b);
        const approver = c % 5 === 0 ? asker : this.officer(b + 1 + (c % 2));
        requestReversal(asker, { entryId: entry.id, reason: "Recorded against the wrong grant" }, db);
        const input = { entryId: entry.id, approve: true, idempotencyKey: this.key() };
        const result = decideReversal(approver, input, db);
        this.lastRetry = {
          label: `decideReversal ${JSON.stringify(input)}`,
          run: () => decideReversal(approver, input, db),
          result,
        };
        return {
          ok: true,
          detail: `${asker.name} asked and ${approver.name} approved reversing ${entry.type} ${entry.id}`,
          mayLowerBudgets: entry.type === "CLAWBACK_RECEIVED" ? ["*"] : [],
        };
      }
      case "clawback": {
        const grants = this.q<{ id: string; paid: number }>(
          `select grant_id as id, credits_posted - debits_posted as paid from ledger_accounts where kind = 'PAID'
             and credits_posted > debits_posted order by key`,
        );
        const grant = pick(grants, a);
        if (!grant) return { ok: false, detail: "nothing paid to claw back" };
        const pence = pick([grant.paid, Math.max(1, Math.floor(grant.paid / 3)), grant.paid + 1], b)!;
        const officer = this.officer(c);
        raiseClawback(
          officer,
          {
            grantId: grant.id,
            pence,
            reason: "Unspent money",
            invoiceRef: `SI-${this.counter}`,
            idempotencyKey: this.key(),
          },
          db,
        );
        if (d % 3 !== 0)
          receiveClawback(
            officer,
            { grantId: grant.id, pence, receiptRef: `RC-${this.counter}`, idempotencyKey: this.key() },
            db,
          );
        return { ok: true, detail: `${officer.name} clawed back ${pence}p of ${grant.id}` };
      }
      case "withdraw": {
        const bid = pick(this.bids("status not in ('withdrawn','closed','rejected')"), a);
        if (!bid) return { ok: false, detail: "no bid to withdraw" };
        withdrawBid(this.leadOf(bid.groupId), bid.id, "The group no longer needs the money", db);
        return { ok: true, detail: `bid ${bid.id} (${bid.status}) withdrawn` };
      }
      case "monitoring": {
        openDueMonitoring(new Date(`${Number(NEXT_FY.slice(0, 4)) + 1}-01-01T12:00:00Z`), db);
        const bid = pick(this.bids("status = 'monitoring-due'"), a);
        if (!bid) return { ok: false, detail: "no report due" };
        const status = submitMonitoringReport(
          this.leadOf(bid.groupId),
          bid.id,
          { whatWasDone: "Everything we said", peopleReached: 40, spend: [{ lineNo: 1, actualPence: bid.amount }] },
          new Date(),
          db,
        );
        return { ok: true, detail: `monitoring report on bid ${bid.id}: ${status}` };
      }
      case "tranche": {
        const tranches = this.q<{ id: number; bidId: number }>(
          `select t.id as id, o.bid_id as bidId from grant_tranches t join grant_offers o on o.id = t.offer_id
             where t.status = ${b % 5 === 0 ? "t.status" : "'pending'"} order by t.id`,
        );
        const tranche = pick(tranches, a);
        if (!tranche) return { ok: false, detail: "no tranche" };
        const officer = this.officer(c);
        commitTranche(officer, { trancheId: tranche.id, idempotencyKey: this.key() }, new Date(), db);
        return {
          ok: true,
          detail: `${officer.name} committed tranche ${tranche.id} of bid ${tranche.bidId}`,
          mayLowerWards: [...(this.decidingWards.get(tranche.bidId) ?? [])],
        };
      }
      case "adjust": {
        const budgets = this.q<{ id: string; fundId: string }>(`select id, fund_id as fundId from budgets order by id`);
        const budget = pick(budgets, a)!;
        const change = (b % 2 === 0 ? 1 : -1) * (1 + (c % 5)) * 50_000;
        const asker = this.officer(d);
        const approver = d % 7 === 0 ? asker : pick([this.people.admin, this.officer(d + 1)], c)!;
        const requestId = requestBudgetAdjust(
          asker,
          { fundId: budget.fundId, budgetId: budget.id, changePence: change, reason: "Budget correction" },
          new Date(),
          db,
        );
        const input = { requestId, approve: true, idempotencyKey: this.key() };
        const now = new Date();
        const result = decideBudgetChange(approver, input, now, db);
        this.lastRetry = {
          label: `decideBudgetChange ${JSON.stringify(input)}`,
          run: () => decideBudgetChange(approver, input, now, db),
          result,
        };
        return { ok: true, detail: `${budget.id} changed by ${change}p`, mayLowerBudgets: [budget.id] };
      }
      case "close-year": {
        const fy = b % 3 === 0 ? NEXT_FY : THIS_FY;
        closeYear(this.officer(a), fy, db);
        return { ok: true, detail: `${fy} closed` };
      }
      case "retry": {
        const last = this.lastRetry;
        if (!last || skipped("R1")) return { ok: false, detail: "nothing to retry" };
        let again: unknown;
        try {
          again = last.run();
        } catch (error) {
          throw new InvariantBroken([
            {
              rule: "R1 retry",
              message: `retrying ${last.label} with the same key threw ${(error as Error).constructor.name}: ${
                (error as Error).message
              }`,
            },
          ]);
        }
        if (JSON.stringify(again) !== JSON.stringify(last.result)) {
          throw new InvariantBroken([
            {
              rule: "R1 retry",
              message: `retrying ${last.label} answered ${JSON.stringify(again)}, first ${JSON.stringify(last.result)}`,
            },
          ]);
        }
        return { ok: true, detail: `retried ${last.label}` };
      }
    }
  }
}

class InvariantBroken extends Error {
  constructor(readonly violations: Violation[]) {
    super(violations.map((v) => `${v.rule}: ${v.message}`).join("\n"));
  }
}

function stepChecks(
  seq: Sequence,
  before: ReturnType<typeof availableByBudget>,
  after: ReturnType<typeof availableByBudget>,
  outcome: Outcome,
): Violation[] {
  const db = seq.database;
  const { violations: out, paidOutByBid: paidOut } = allViolations(db, { fromSeq: seq.checkedSeq });
  seq.checkedSeq = (db.$client.prepare("select coalesce(max(seq), 0) as n from ledger_log").get() as { n: number }).n;
  for (const [budgetId, now] of after) {
    const was = before.get(budgetId)?.pence ?? 0;
    if (now.pence >= was) continue;
    const byWard = now.wardId !== null && (outcome.mayLowerWards ?? []).includes(now.wardId);
    const byBudget = (outcome.mayLowerBudgets ?? []).some((id) => id === budgetId || id === "*");
    if (!byWard && !byBudget)
      out.push({
        rule: "W1 ward budget",
        message:
          `AVAILABLE:${budgetId} (ward ${now.wardId}) fell from ${was}p to ${now.pence}p with no decision ` +
          `for that ward`,
      });
  }
  const withdrawn = seq.q<{ id: number }>(`select id from bids where status = 'withdrawn'`).map((r) => r.id);
  for (const id of withdrawn) {
    const at = seq.paidOutAtWithdrawal.get(id) ?? paidOut.get(id) ?? 0;
    if (!seq.paidOutAtWithdrawal.has(id)) seq.paidOutAtWithdrawal.set(id, at);
    if ((paidOut.get(id) ?? 0) > at)
      out.push({
        rule: "S6 paid after withdrawal",
        message: `bid ${id} had ${at}p paid out when withdrawn, now ${paidOut.get(id)}p`,
      });
  }
  return out.filter((v) => !skipped(v.rule));
}

let template: GrantTemplate;
let people: People | undefined;
let shrinkBudget = SHRINK_RUNS;
let failedOnce = false;

function runSequence(actions: Action[]): void {
  if (failedOnce && shrinkBudget-- <= 0) return; // shrinking is bounded: stop replaying, keep the smallest found
  const world = openTemplateCopy(template);
  const log: string[] = [];
  try {
    // Every copy has the template's people, so they are read once.
    people ??= loadPeople(world.db);
    const seq = new Sequence(world.db, people, { thisYear: template.thisFundId, nextYear: template.nextFundId });
    let before = availableByBudget(world.db);
    let changes = changesSoFar(world.db);
    actions.forEach((action, index) => {
      let outcome: Outcome;
      try {
        outcome = seq.run(action);
      } catch (error) {
        if (error instanceof InvariantBroken) {
          log.push(`${index + 1}. ${action.kind}: BROKE`);
          throw error;
        }
        if (!isRefusal(error)) {
          log.push(
            `${index + 1}. ${action.kind}: threw ${(error as Error).constructor?.name}: ${(error as Error).message}`,
          );
          throw new InvariantBroken([
            {
              rule: "E1 no unexpected error",
              message: `${action.kind} threw ${(error as Error)?.stack ?? String(error)}`,
            },
          ]);
        }
        outcome = { ok: false, detail: `refused (${(error as Error).constructor.name}): ${(error as Error).message}` };
      }
      log.push(`${index + 1}. ${action.kind}: ${outcome.detail}`);
      // Every rule is about what is stored: a step that wrote nothing cannot break one.
      const changesNow = changesSoFar(world.db);
      if (changesNow === changes) return;
      changes = changesNow;
      const after = availableByBudget(world.db);
      const violations = stepChecks(seq, before, after, outcome);
      before = after;
      if (violations.length) throw new InvariantBroken(violations);
    });
    const verified = verifyLedger(world.db);
    if (!verified.ok)
      throw new InvariantBroken(
        verified.problems.map((p) => ({ rule: `V1 verifyLedger ${p.check}`, message: `seq ${p.seq}: ${p.message}` })),
      );
  } catch (error) {
    failedOnce = true;
    const steps = log.filter((line) => !/: (no |nothing|enough bids)/.test(line) || line === log[log.length - 1]);
    throw new Error(
      `${(error as Error).message}\n--- steps (refusals of missing targets left out) ---\n${steps.join("\n")}`,
    );
  } finally {
    world.close();
  }
}

/**
 * Declares the property over this shard's share of GRANT_PROPERTY_RUNS: the runs are split
 * between two test files so that vitest runs them on both cores at once.
 */
export function describeGrantLifecycleProperty(shard: number, shards: number): void {
  const runs = Math.ceil(RUNS / shards);
  beforeAll(async () => {
    template = await createGrantTemplate();
  }, 120_000);
  afterAll(() => template?.dispose());

  describe(`grants, instalments and the ledger under any sequence of actions (part ${shard} of ${shards})`, () => {
    it(`stay consistent over ${runs} random sequences of 50–200 actions`, async () => {
      const started = Date.now();
      const cpu = process.cpuUsage();
      // Each sequence runs synchronously; yielding between them keeps the test worker answering its runner.
      await fc.assert(
        fc.asyncProperty(fc.array(actionArb, { minLength: 50, maxLength: 200, size: "max" }), async (actions) => {
          await new Promise((resolve) => setImmediate(resolve));
          return runSequence(actions);
        }),
        { numRuns: runs, seed: SEED, path: PATH },
      );
      const used = process.cpuUsage(cpu);
      const seconds = (Date.now() - started) / 1000;
      expect(seconds).toBeGreaterThan(0);
      console.info(
        `${runs} sequences in ${seconds.toFixed(1)} s (${((used.user + used.system) / 1e6).toFixed(1)} s of CPU)`,
      );
    }, 600_000);
  });
}
