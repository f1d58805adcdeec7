/**
 * A small world for the grant machine's tests: funds and budgets for three financial years in the
 * ledger's in-memory model, a grant awarded from them, and a `step` that runs one action and
 * writes its entries to the model ledger, which applies every rule the real ledger does.
 */
import { addDays, planTranches, type PlannedInstalment } from "../bids";
import { budgetSet, sharesFromWeights } from "../ledger/builders";
import type { Scope } from "../ledger/balances";
import { parseAccountKey } from "../ledger/accounts";
import { ModelLedger } from "../ledger/model-ledger";
import { awardGrant, transition, type GrantAction, type PlannedEntry, type TransitionResult } from "./machine";
import type { GrantState } from "./state";

export const YEARS = ["2025/26", "2026/27", "2027/28"] as const;
export const schemeOf = (fy: string) => `WB-${fy.replace("/", "-")}`;
export const budgetsOf = (fy: string) => [`${schemeOf(fy)}-ward-a`, `${schemeOf(fy)}-ward-b`];
export const GRANT_ID = "WB-2025-26-G001";

export class World {
  readonly ledger = new ModelLedger();
  state: GrantState;
  today = "2025-06-02";
  private counter = 0;
  readonly refusals: string[] = [];

  constructor(instalments: readonly PlannedInstalment[], options: { kind?: GrantState["kind"] } = {}) {
    for (const fy of YEARS) {
      this.write({
        id: null,
        draft: budgetSet({
          scheme: schemeOf(fy),
          fy,
          allocations: budgetsOf(fy).map((budgetId) => ({ budgetId, pence: 50_000_000 })),
        }),
      });
    }
    const awardFy = YEARS[0];
    const awardPart = planTranches(instalments).find((t) => t.fy === awardFy)!.amountPence;
    const { state, postings } = awardGrant({
      grantId: GRANT_ID,
      kind: options.kind ?? "ward-budget",
      scheme: schemeOf(awardFy),
      awardFy,
      status: options.kind === "pb-round" ? "won" : "approved",
      instalments,
      sources: sharesFromWeights(
        awardPart,
        budgetsOf(awardFy).map((budgetId) => ({ budgetId, weight: 1 })),
      ),
    });
    postings.forEach((p) => this.write(p));
    this.state = state;
  }

  nextId(prefix = "e"): string {
    this.counter += 1;
    return `${prefix}-${this.counter}`;
  }

  /** Writes one planned entry; throws when the ledger refuses it (the machine must never plan that). */
  write(planned: PlannedEntry): string {
    const id = planned.id ?? this.nextId();
    const applied = this.ledger.apply(id, planned.draft);
    if (!applied.ok)
      throw new Error(`ledger refused ${planned.draft.type}: ${applied.issues.map((i) => i.message).join("; ")}`);
    return id;
  }

  /** Runs an action: on success writes its entries and keeps the new state. */
  try(action: GrantAction): TransitionResult {
    const result = transition(this.state, action);
    if (result.ok) {
      result.postings.forEach((p) => this.write(p));
      this.state = result.state;
    } else {
      this.refusals.push(result.reason);
    }
    return result;
  }

  /** Runs an action that must succeed. */
  do(action: GrantAction): PlannedEntry[] {
    const result = this.try(action);
    if (!result.ok) throw new Error(`${action.type} refused: ${result.reason}`);
    return result.postings;
  }

  /** Runs an action that must be refused; returns the reason. */
  refused(action: GrantAction): string {
    const before = JSON.stringify(this.state);
    const result = transition(this.state, action);
    if (result.ok) throw new Error(`${action.type} was allowed`);
    if (JSON.stringify(this.state) !== before) throw new Error("a refused transition changed the state");
    return result.reason;
  }

  balance(kind: string, grantId = GRANT_ID): number {
    return this.ledger.balance(`${kind}:${grantId}`);
  }

  advance(days: number): void {
    this.today = addDays(this.today, days);
  }

  /** Scheme-year of every budget and grant account, for the conservation check. */
  scopeOf = (account: string): Scope | null => {
    const ref = parseAccountKey(account);
    if (ref === null) return null;
    if ("scheme" in ref) return { scheme: ref.scheme, fy: ref.fy };
    if (ref.kind === "AVAILABLE") {
      const fy = YEARS.find((y) => budgetsOf(y).includes(ref.budgetId));
      return fy ? { scheme: schemeOf(fy), fy } : null;
    }
    const part = this.state.parts.find((p) => p.grantId === ref.grantId);
    return part ? { scheme: schemeOf(part.fy), fy: part.fy } : null;
  };
}

/** Instalments for a test: amounts with their year index (0 = award year) and monitoring flag. */
export function schedule(
  items: readonly { pence: number; year?: number; afterMonitoring?: boolean }[],
): PlannedInstalment[] {
  return items.map((item, index) => {
    const fy = YEARS[item.year ?? 0]!;
    return {
      seq: index + 1,
      amountPence: item.pence,
      dueOn: `${fy.slice(0, 4)}-0${4 + index}-15`,
      fy,
      afterMonitoring: item.afterMonitoring ?? false,
    };
  });
}
