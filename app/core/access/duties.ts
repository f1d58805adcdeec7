/**
 * Separation of duties, as a rule of the domain rather than of the user interface.
 *
 * - A bid is decided only by a councillor of one of its wards (or, when every one of them has
 *   declared an interest, by the council's designated decision-maker).
 * - Nobody decides, reviews or pays a bid of a group they belong to.
 * - A finance officer never approves a bid, and the person who approved a grant never pays it.
 * - The person who requested a payment does not confirm it.
 * - A later year's tranche of a grant is committed (or withdrawn) by a finance officer or
 *   administrator who did not approve the grant: the decision is the approval, someone else moves
 *   the money.
 *
 * Pure: the caller passes who is acting and what they act on; the answer says why not.
 */

export type Duty = "decide-bid" | "review-bid" | "request-payment" | "confirm-payment" | "commit-tranche";

/** The person whose duties are checked: their roles, wards and groups (not the audit trail's actor). */
export interface DutyHolder {
  id: string;
  roles: readonly string[];
  councillorWardIds: readonly number[];
  groupIds: readonly number[];
  isDesignatedDecisionMaker?: boolean;
}

export interface Subject {
  groupId: number;
  wardIds: readonly number[];
  /** Councillors of the bid's wards who have declared an interest in it. */
  declaredInterestIds?: readonly string[];
  approverIds?: readonly string[];
  paymentRequesterId?: string | null;
}

/** A refusal's reason is a message key (payments:duty.*), shown in the reader's language. */
export type DutyCheck = { allowed: true } | { allowed: false; reason: string };

const allow: DutyCheck = { allowed: true };
const refuse = (reason: string): DutyCheck => ({ allowed: false, reason });

export function checkDuty(duty: Duty, actor: DutyHolder, subject: Subject): DutyCheck {
  if (actor.groupIds.includes(subject.groupId)) {
    return refuse("payments:duty.ownGroup");
  }
  switch (duty) {
    case "decide-bid":
      return checkDecide(actor, subject);
    case "review-bid":
      return actor.roles.includes("admin") ? allow : refuse("payments:duty.reviewOfficers");
    case "request-payment":
    case "confirm-payment":
      return checkPay(duty, actor, subject);
    case "commit-tranche":
      return checkCommitTranche(actor, subject);
  }
}

function checkDecide(actor: DutyHolder, subject: Subject): DutyCheck {
  if (actor.roles.includes("finance")) return refuse("payments:duty.financeNoApprove");
  const declared = new Set(subject.declaredInterestIds ?? []);
  if (declared.has(actor.id)) return refuse("payments:duty.declaredInterest");
  const isWardCouncillor =
    actor.roles.includes("councillor") && subject.wardIds.some((w) => actor.councillorWardIds.includes(w));
  if (isWardCouncillor) return allow;
  if (actor.isDesignatedDecisionMaker) return allow;
  return refuse("payments:duty.wardCouncillor");
}

function checkPay(duty: Duty, actor: DutyHolder, subject: Subject): DutyCheck {
  if (!actor.roles.includes("finance")) return refuse("payments:duty.financeOnly");
  if ((subject.approverIds ?? []).includes(actor.id)) return refuse("payments:duty.approverPays");
  if (duty === "confirm-payment" && subject.paymentRequesterId === actor.id) {
    return refuse("payments:duty.requesterConfirms");
  }
  return allow;
}

function checkCommitTranche(actor: DutyHolder, subject: Subject): DutyCheck {
  if (!actor.roles.includes("finance") && !actor.roles.includes("admin"))
    return refuse("payments:duty.trancheOfficers");
  if ((subject.approverIds ?? []).includes(actor.id)) return refuse("payments:duty.approverTranche");
  return allow;
}

/** The decision-maker of last resort is needed when every councillor of the ward has declared an interest. */
export function needsDesignatedDecisionMaker(
  wardCouncillorIds: readonly string[],
  declaredInterestIds: readonly string[],
): boolean {
  const declared = new Set(declaredInterestIds);
  return wardCouncillorIds.length > 0 && wardCouncillorIds.every((id) => declared.has(id));
}
