/**
 * What must hold of a grant after any sequence of transitions, and of a set of grants against the
 * ledger. `invariants(state)` checks one grant on its own; `ledgerAgreement` checks that the
 * ledger's grant accounts hold what the grants say, that no money sits in PAYABLE on a withdrawn
 * grant, and (with the ledger's own `checkConservation`) that each fund and year conserves.
 *
 * Each answer is a list of problems in words; an empty list means the rule holds.
 */
import { committedAccount, paidAccount, payableAccount, recoverableAccount, type AccountKey } from "../ledger/accounts";
import { normalBalance, type AccountTotals } from "../ledger/balances";
import { grossPaid, type GrantState, type YearPart } from "./state";

const sum = (values: readonly number[]) => values.reduce((s, v) => s + v, 0);

function partProblems(state: GrantState, part: YearPart): string[] {
  const problems: string[] = [];
  const b = part.balances;
  const at = `${part.fy} (${part.grantId})`;
  for (const [name, value] of Object.entries(b)) {
    if (!Number.isSafeInteger(value) || value < 0) problems.push(`${at}: ${name} is ${value}p`);
  }
  const inYear = state.instalments.filter((i) => i.fy === part.fy);
  const live = inYear.filter((i) => i.state !== "split");
  if (sum(live.map((i) => i.amountPence)) !== part.amountPence)
    problems.push(`${at}: instalments add up to ${sum(live.map((i) => i.amountPence))}p, not ${part.amountPence}p`);
  const held = b.committed + b.payable + grossPaid(b) + b.decommitted;
  const expected = part.status === "committed" || part.status === "decommitted" ? part.amountPence : 0;
  if (held !== expected)
    problems.push(`${at}: the part's accounts hold ${held}p in all, not the ${expected}p committed`);
  const open = state.requests.filter((r) => r.fy === part.fy && r.state === "open");
  if (b.payable !== sum(open.map((r) => r.pence)))
    problems.push(`${at}: PAYABLE is ${b.payable}p but open requests total ${sum(open.map((r) => r.pence))}p`);
  const paid = sum(inYear.filter((i) => i.state === "paid").map((i) => i.amountPence));
  if (paid !== grossPaid(b))
    problems.push(
      `${at}: paid instalments total ${paid}p but the ledger shows ${grossPaid(b)}p paid (before clawbacks)`,
    );
  const unpaid = sum(inYear.filter((i) => i.state === "unpaid").map((i) => i.amountPence));
  const waiting = part.status === "committed" ? unpaid : 0;
  if (b.committed !== waiting)
    problems.push(`${at}: COMMITTED is ${b.committed}p but unpaid instalments total ${waiting}p`);
  if (part.status === "pending" && inYear.some((i) => i.state !== "unpaid"))
    problems.push(`${at}: a pending part has an instalment that is not unpaid`);
  if (
    (part.status === "cancelled" || part.status === "decommitted") &&
    inYear.some((i) => i.state === "unpaid" || i.state === "requested")
  ) {
    problems.push(`${at}: a withdrawn part still has instalments waiting`);
  }
  return problems;
}

function instalmentProblems(state: GrantState): string[] {
  const problems: string[] = [];
  const seqs = new Set<number>();
  for (const i of state.instalments) {
    if (seqs.has(i.seq)) problems.push(`instalment ${i.seq} appears twice`);
    seqs.add(i.seq);
    if (!Number.isSafeInteger(i.amountPence) || i.amountPence <= 0)
      problems.push(`instalment ${i.seq} is ${i.amountPence}p`);
    const requests = state.requests.filter((r) => r.seq === i.seq && (r.state === "open" || r.state === "confirmed"));
    const expected = i.state === "requested" ? "open" : i.state === "paid" ? "confirmed" : null;
    if (
      expected === null
        ? requests.length > 0
        : requests.length !== 1 || requests[0]!.state !== expected || requests[0]!.requestId !== i.requestId
    ) {
      problems.push(`instalment ${i.seq} is ${i.state} but its requests do not say so`);
    }
    if (requests.some((r) => r.pence !== i.amountPence))
      problems.push(`instalment ${i.seq} is ${i.amountPence}p but was requested for another amount`);
    if (i.afterMonitoring && (i.state === "requested" || i.state === "paid") && !state.reportAccepted) {
      problems.push(`instalment ${i.seq} waits for the monitoring report but was requested before it was accepted`);
    }
  }
  for (const split of state.splits) {
    const whole = state.instalments.find((i) => i.seq === split.seq);
    const parts = split.intoSeqs.map((seq) => state.instalments.find((i) => i.seq === seq));
    if (!whole || whole.state !== "split" || parts.some((p) => !p || p.splitFrom !== split.seq))
      problems.push(`the split of instalment ${split.seq} is not recorded whole`);
    else if (sum(parts.map((p) => p!.amountPence)) !== whole.amountPence)
      problems.push(`the parts of instalment ${split.seq} do not add up to it`);
  }
  if (state.instalments.some((i) => i.state === "split" && !state.splits.some((s) => s.seq === i.seq)))
    problems.push("an instalment was split without a record");
  return problems;
}

/** The bid's status agrees with the offer, the instalments and the balances. */
function statusProblems(state: GrantState): string[] {
  const problems: string[] = [];
  const paidCount = state.instalments.filter((i) => i.state === "paid").length;
  const gross = sum(state.parts.map((p) => grossPaid(p.balances)));
  const payable = sum(state.parts.map((p) => p.balances.payable));
  const open = state.requests.filter((r) => r.state === "open");
  switch (state.status) {
    case "approved":
    case "part-approved":
    case "won":
      if (state.offer !== "made") problems.push(`a ${state.status} grant's offer is ${state.offer}`);
      if (state.requests.some((r) => r.state === "open" || r.state === "confirmed"))
        problems.push("a grant whose offer is not accepted has payment requests");
      break;
    case "offer-accepted":
      if (state.offer !== "accepted") problems.push("offer-accepted, but the offer is not accepted");
      if (paidCount > 0 || gross > 0) problems.push("offer-accepted, but something is paid");
      break;
    case "paid":
    case "monitoring-due":
    case "closed":
      if (state.offer !== "accepted") problems.push(`${state.status}, but the offer is not accepted`);
      if (paidCount === 0 || gross === 0) problems.push(`${state.status}, but no instalment is paid`);
      if (state.status === "monitoring-due" && !state.monitoringRequested)
        problems.push("monitoring-due, but no report was asked for");
      if (state.status === "closed") {
        if (open.length > 0 || state.instalments.some((i) => i.state === "unpaid"))
          problems.push("closed with payments still open or due");
        if (!state.reportAccepted) problems.push("closed without an accepted monitoring report");
        if (state.parts.some((p) => p.status === "pending" || p.balances.committed > 0))
          problems.push("closed with money still committed");
      }
      break;
    case "withdrawn":
      if (payable > 0 || open.length > 0)
        problems.push(`withdrawn${state.offer === "declined" ? " (declined)" : ""} with ${payable}p PAYABLE`);
      if (state.parts.some((p) => p.status === "pending" || p.status === "committed" || p.balances.committed > 0))
        problems.push("withdrawn with money still committed");
      if (gross > 0) problems.push("withdrawn after payment");
      break;
  }
  if (state.offer === "declined" && state.status !== "withdrawn")
    problems.push("the offer was declined but the bid is not withdrawn");
  if (state.reportAccepted && !state.monitoringRequested)
    problems.push("a report was accepted before it was asked for");
  return problems;
}

/** Every rule one grant breaks; empty when it is consistent. */
export function invariants(state: GrantState): string[] {
  return [
    ...state.parts.flatMap((part) => partProblems(state, part)),
    ...instalmentProblems(state),
    ...statusProblems(state),
  ];
}

/**
 * Compares the grants with the ledger's account totals: each part's COMMITTED, PAYABLE, PAID and
 * RECOVERABLE are what its grant says, and a withdrawn grant has nothing PAYABLE.
 */
export function ledgerAgreement(
  grants: readonly GrantState[],
  totals: ReadonlyMap<AccountKey, AccountTotals>,
): string[] {
  const problems: string[] = [];
  const balance = (key: AccountKey) => {
    const t = totals.get(key);
    return t ? normalBalance(key, t) : 0;
  };
  for (const grant of grants) {
    for (const part of grant.parts) {
      const checks: [string, AccountKey, number][] = [
        ["COMMITTED", committedAccount(part.grantId), part.balances.committed],
        ["PAYABLE", payableAccount(part.grantId), part.balances.payable],
        ["PAID", paidAccount(part.grantId), part.balances.paid],
        ["RECOVERABLE", recoverableAccount(part.grantId), part.balances.recoverable],
      ];
      for (const [name, key, expected] of checks) {
        const actual = balance(key);
        if (actual !== expected)
          problems.push(`${part.grantId}: ledger ${name} is ${actual}p, the grant says ${expected}p`);
      }
      if (grant.status === "withdrawn" && balance(payableAccount(part.grantId)) !== 0)
        problems.push(`${part.grantId}: PAYABLE on a withdrawn grant`);
    }
  }
  return problems;
}
