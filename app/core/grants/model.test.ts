/**
 * Model test: random schedules and random sequences of actions (valid and not) on the grant
 * machine, with every entry it plans written to the in-memory reference ledger. After every step
 * the grant's invariants hold, the ledger agrees with the grant, each fund and year conserves, and
 * the trial balance is zero. A refused action changes nothing. The ledger refusing an entry the
 * machine planned fails the test.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { invariants, ledgerAgreement } from "./invariants";
import type { GrantAction } from "./machine";
import type { GrantState } from "./state";
import { World, YEARS, budgetsOf, schedule, schemeOf } from "./test-world";
import { sharesFromWeights } from "../ledger/builders";

const instalmentArb = fc.record({
  pence: fc.oneof(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 200_000 })),
  year: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 2 }), weight: 1 }),
  afterMonitoring: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
});
const scheduleArb = fc
  .tuple(instalmentArb, fc.array(instalmentArb, { maxLength: 4 }))
  .map(([first, rest]) => schedule([{ ...first, year: 0 }, ...rest]));

/** Each kind of step with its weight: the rare ones end a grant's life early. */
const ACTION_WEIGHTS = {
  "accept-offer": 8,
  "decline-offer": 1,
  withdraw: 1,
  "commit-part": 4,
  "request-payment": 12,
  "confirm-payment": 10,
  "fail-payment": 3,
  "reverse-request": 2,
  "reverse-confirmation": 2,
  "request-monitoring": 3,
  "accept-report": 3,
  "raise-clawback": 3,
  "receive-clawback": 3,
  "write-off-clawback": 2,
  "withdraw-part": 1,
  close: 3,
  advance: 4,
} as const;
const ACTION_KINDS = Object.keys(ACTION_WEIGHTS) as (keyof typeof ACTION_WEIGHTS)[];

const stepArb = fc.record({
  kind: fc.oneof(...ACTION_KINDS.map((kind) => ({ arbitrary: fc.constant(kind), weight: ACTION_WEIGHTS[kind] }))),
  pick: fc.nat(1000),
  amount: fc.nat(300_000),
  flag: fc.boolean(),
  days: fc.integer({ min: 1, max: 400 }),
});
type Step = typeof stepArb extends fc.Arbitrary<infer T> ? T : never;

const at = <T>(items: readonly T[], pick: number): T | undefined =>
  items.length ? items[pick % items.length] : undefined;

/** Turns a random step into an action on the current state (or null to move the clock on). */
function actionFor(world: World, step: Step): GrantAction | null {
  const state = world.state;
  // Mostly pick something the action can work on, sometimes anything, so refusals are tried too.
  const likely = step.pick % 4 !== 0;
  const prefer = <T>(all: readonly T[], good: (item: T) => boolean): T | undefined => {
    const fitting = all.filter(good);
    return at(likely && fitting.length ? fitting : all, step.pick);
  };
  const wantedRequest = step.kind === "reverse-confirmation" ? "confirmed" : "open";
  const request = prefer(state.requests, (r) => r.state === wantedRequest);
  const requestId = request?.requestId ?? "no-such-request";
  const fy =
    prefer(state.parts, (p) =>
      step.kind === "commit-part" ? p.status === "pending" : p.balances.paid + p.balances.recoverable > 0,
    )?.fy ?? YEARS[0];
  const part = state.parts.find((p) => p.fy === fy)!;
  switch (step.kind) {
    case "advance":
      return null;
    case "accept-offer":
      return { type: "accept-offer" };
    case "decline-offer":
      return { type: "decline-offer", reason: step.flag ? "We no longer need it" : " " };
    case "withdraw":
      return { type: "withdraw", reason: "Project cancelled" };
    case "commit-part": {
      const total = step.flag ? part.amountPence : Math.max(1, step.amount);
      const sources = sharesFromWeights(
        total,
        budgetsOf(fy).map((budgetId) => ({ budgetId, weight: 1 + (step.pick % 3) })),
      );
      return { type: "commit-part", fy, scheme: schemeOf(fy), sources, today: world.today };
    }
    case "request-payment": {
      const instalment = prefer(state.instalments, (i) => i.state === "unpaid");
      const whole = instalment?.amountPence ?? 1;
      const pence = step.flag ? whole : 1 + (step.amount % (whole + 1));
      return {
        type: "request-payment",
        requestId: world.nextId("req"),
        seq: instalment?.seq ?? 99,
        pence,
        today: world.today,
        splitReason: step.pick % 2 ? "Paid in two parts" : null,
      };
    }
    case "confirm-payment":
      return { type: "confirm-payment", requestId, confirmId: world.nextId("conf"), paymentRef: `BACS-${step.pick}` };
    case "fail-payment":
      return { type: "fail-payment", requestId, reason: "Bank rejected the payment" };
    case "reverse-request":
      return { type: "reverse-request", requestId, reason: "Keyed in error" };
    case "reverse-confirmation":
      return { type: "reverse-confirmation", requestId, reason: "Recorded in error" };
    case "request-monitoring":
      return { type: "request-monitoring" };
    case "accept-report":
      return { type: "accept-report" };
    case "raise-clawback":
      return {
        type: "raise-clawback",
        fy,
        pence: step.flag ? part.balances.paid : 1 + (step.amount % (part.balances.paid + 2)),
        reason: "Underspend",
        invoiceRef: `INV-${step.pick}`,
      };
    case "receive-clawback":
      return {
        type: "receive-clawback",
        fy,
        pence: step.flag ? part.balances.recoverable : 1 + (step.amount % (part.balances.recoverable + 2)),
        destination: step.pick % 2 ? "returned" : { budgetId: budgetsOf(fy)[0]! },
      };
    case "write-off-clawback":
      return {
        type: "write-off-clawback",
        fy,
        pence: 1 + (step.amount % (part.balances.recoverable + 2)),
        reason: "Not worth pursuing",
      };
    case "withdraw-part":
      return { type: "withdraw-part", fy, reason: "No longer needed" };
    case "close":
      return { type: "close" };
  }
}

function checkWorld(world: World) {
  expect(invariants(world.state)).toEqual([]);
  expect(ledgerAgreement([world.state], world.ledger.totals())).toEqual([]);
  const conservation = world.ledger.conservation(world.scopeOf);
  expect(conservation.rows.filter((r) => !r.holds)).toEqual([]);
  expect(conservation.holds).toBe(true);
  expect(world.ledger.trialBalance().netPence).toBe(0);
}

function runSteps(
  instalments: ReturnType<typeof schedule>,
  kind: GrantState["kind"],
  steps: readonly Step[],
  seen: Map<string, number> | null,
) {
  const world = new World(instalments, { kind });
  checkWorld(world);
  for (const step of steps) {
    const action = actionFor(world, step);
    if (action === null) {
      world.advance(step.days);
      continue;
    }
    const before = JSON.stringify(world.state);
    const result = world.try(action);
    if (result.ok) {
      seen?.set(action.type, (seen.get(action.type) ?? 0) + 1);
      seen?.set(`status:${world.state.status}`, 1);
    } else {
      expect(result.reason.length).toBeGreaterThan(10);
      expect(JSON.stringify(world.state)).toBe(before);
    }
    checkWorld(world);
  }
}

const kindArb = fc.constantFrom<GrantState["kind"]>("ward-budget", "pb-round");
const stepsArb = fc.array(stepArb, { minLength: 20, maxLength: 80 });

describe("grant machine model test", () => {
  it("keeps every invariant, and the ledger with it, over random action sequences", () => {
    fc.assert(
      fc.property(scheduleArb, kindArb, stepsArb, (instalments, kind, steps) =>
        runSteps(instalments, kind, steps, null),
      ),
      { numRuns: 120 },
    );
  });

  it("reaches every kind of step and every status (fixed seed), keeping the invariants throughout", () => {
    const seen = new Map<string, number>();
    fc.assert(
      fc.property(scheduleArb, kindArb, stepsArb, (instalments, kind, steps) =>
        runSteps(instalments, kind, steps, seen),
      ),
      { numRuns: 250, seed: 20261203 },
    );
    for (const kind of ACTION_KINDS.filter((k) => k !== "advance"))
      expect(seen.get(kind) ?? 0, kind).toBeGreaterThan(0);
    for (const status of ["won", "approved", "offer-accepted", "paid", "monitoring-due", "closed", "withdrawn"])
      expect(seen.has(`status:${status}`), status).toBe(true);
  });
});
