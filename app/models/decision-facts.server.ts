/**
 * What a decision on a ward-budget bid is made from: the bid's latest frozen version, its wards
 * and their councillors, the interest declarations, who may decide (`standing`), the budgets a
 * decider draws on and what is available in them. Shared by models/decisions.server.ts (the
 * decision as a whole) and models/ward-decisions.server.ts (each ward's own decision on its share).
 */
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { needsDesignatedDecisionMaker } from "~/core/access/duties";
import type { BidStatus, DecisionOutcomeName, PlannedTranche, ScheduleKind } from "~/core/bids";
import { db, type Db } from "~/db/client.server";
import {
  attachments,
  bidBudgetLines,
  bidInterestDeclarations,
  bids,
  bidVersions,
  bidWards,
  budgets,
  communityGroups,
  councilSettings,
  funds,
  grants,
  ledgerAccounts,
  roleGrants,
  users,
  wards,
} from "~/db/schema";
import type { TFunction } from "i18next";
import type { Language } from "~/i18n";
import type { Actor } from "~/models/audit.server";
import type { Principal } from "~/utils/auth.server";

export interface BudgetLine {
  lineNo: number;
  description: string;
  amountPence: number;
}

/** What the latest frozen version of a bid says (falls back to the working copy for older fields). */
export interface BidVersionView {
  version: number;
  title: string;
  summary: string;
  description: string;
  amountPence: number;
  beneficiaries: string;
  beneficiaryCount: number | null;
  startOn: string | null;
  endOn: string | null;
  budgetLines: BudgetLine[];
  submittedBy: string;
  submittedAt: string;
}

export const actorOf = (user: { id: string; name: string }): Actor => ({ id: user.id, name: user.name });

/** The latest submitted version of a bid: the frozen snapshot, filled in from the working copy. */
export function latestVersion(tx: Db, bidId: number): BidVersionView | null {
  const bid = tx.select().from(bids).where(eq(bids.id, bidId)).get();
  if (!bid) return null;
  const row = tx
    .select()
    .from(bidVersions)
    .where(eq(bidVersions.bidId, bidId))
    .orderBy(desc(bidVersions.version))
    .limit(1)
    .get();
  if (!row) return null;
  let snap: Record<string, unknown> = {};
  try {
    snap = JSON.parse(row.snapshot) as Record<string, unknown>;
  } catch {
    snap = {};
  }
  const text = (key: string, fallback: string) => (typeof snap[key] === "string" ? (snap[key] as string) : fallback);
  const lines = Array.isArray(snap.budgetLines)
    ? (snap.budgetLines as Record<string, unknown>[]).map((l, i) => ({
        lineNo: Number(l.lineNo ?? i + 1),
        description: String(l.description ?? ""),
        amountPence: Number(l.amountPence ?? 0),
      }))
    : tx.select().from(bidBudgetLines).where(eq(bidBudgetLines.bidId, bidId)).orderBy(asc(bidBudgetLines.lineNo)).all();
  const amount =
    typeof snap.amountPence === "number"
      ? snap.amountPence
      : (bid.amountPence ?? lines.reduce((s, l) => s + l.amountPence, 0));
  return {
    version: row.version,
    title: text("title", bid.title),
    summary: text("summary", bid.summary),
    description: text("description", bid.description),
    amountPence: amount,
    beneficiaries: text("beneficiaries", bid.beneficiaries),
    beneficiaryCount: typeof snap.beneficiaryCount === "number" ? snap.beneficiaryCount : bid.beneficiaryCount,
    startOn: typeof snap.startOn === "string" ? snap.startOn : bid.startOn,
    endOn: typeof snap.endOn === "string" ? snap.endOn : bid.endOn,
    budgetLines: lines.map((l) => ({ lineNo: l.lineNo, description: l.description, amountPence: l.amountPence })),
    submittedBy: row.submittedBy,
    submittedAt: row.submittedAt,
  };
}

function councillorsOfWards(tx: Db, wardIds: readonly number[]): { id: string; name: string; wardId: number }[] {
  if (wardIds.length === 0) return [];
  return tx
    .select({ id: users.id, name: users.name, wardId: roleGrants.wardId })
    .from(roleGrants)
    .innerJoin(users, eq(users.id, roleGrants.userId))
    .where(and(eq(roleGrants.role, "councillor"), inArray(roleGrants.wardId, [...wardIds])))
    .orderBy(asc(users.name))
    .all() as { id: string; name: string; wardId: number }[];
}

export function designatedDecisionMakerId(tx: Db): string | null {
  return tx.select({ id: councilSettings.designatedDecisionMakerId }).from(councilSettings).get()?.id ?? null;
}

export function bidFacts(tx: Db, bidId: number) {
  const bid = tx.select().from(bids).where(eq(bids.id, bidId)).get();
  if (!bid) return null;
  const fund = tx.select().from(funds).where(eq(funds.id, bid.fundId)).get()!;
  const group = tx.select().from(communityGroups).where(eq(communityGroups.id, bid.groupId)).get()!;
  const wardRows = tx
    .select({ id: wards.id, name: wards.name, nameCy: wards.nameCy, gssCode: wards.gssCode })
    .from(bidWards)
    .innerJoin(wards, eq(wards.id, bidWards.wardId))
    .where(eq(bidWards.bidId, bidId))
    .orderBy(asc(wards.name))
    .all();
  const wardIds = wardRows.map((w) => w.id);
  const councillors = councillorsOfWards(tx, wardIds);
  const declarations = tx.select().from(bidInterestDeclarations).where(eq(bidInterestDeclarations.bidId, bidId)).all();
  const declaredInterestIds = declarations.filter((d) => d.hasInterest).map((d) => d.userId);
  const allConflicted = needsDesignatedDecisionMaker([...new Set(councillors.map((c) => c.id))], declaredInterestIds);
  return {
    bid,
    fund,
    group,
    wards: wardRows,
    wardIds,
    councillors,
    declarations,
    declaredInterestIds,
    allConflicted,
    ddmId: designatedDecisionMakerId(tx),
  };
}
export type BidFacts = NonNullable<ReturnType<typeof bidFacts>>;

/**
 * How `user` stands to a ward-budget bid: a councillor of its ward, the designated decision-maker it was referred to,
 * or neither.
 */
export function standing(user: Principal, facts: BidFacts): "ward-councillor" | "designated" | null {
  if (user.roles.includes("councillor") && facts.wardIds.some((w) => user.councillorWardIds.includes(w)))
    return "ward-councillor";
  if (facts.ddmId === user.id && facts.allConflicted) return "designated";
  return null;
}

/**
 * The budgets a decision by `user` draws on: the budgets of the decider's own wards among the
 * bid's wards (every ward's, for the designated decision-maker), or the decider's own budget.
 */
export function sourceBudgets(
  tx: Db,
  facts: BidFacts,
  user: { id: string; councillorWardIds?: readonly number[] },
  asDesignated: boolean,
) {
  const all = tx.select().from(budgets).where(eq(budgets.fundId, facts.fund.id)).all();
  if (facts.fund.budgetMode === "per-councillor") {
    if (!asDesignated) return all.filter((b) => b.councillorId === user.id);
    const wardCouncillors = new Set(facts.councillors.map((c) => c.id));
    return all.filter((b) => b.councillorId && wardCouncillors.has(b.councillorId)).slice(0, 1);
  }
  const paying = asDesignated ? facts.wardIds : facts.wardIds.filter((w) => (user.councillorWardIds ?? []).includes(w));
  return all.filter((b) => b.wardId !== null && paying.includes(b.wardId)).sort((a, b) => a.id.localeCompare(b.id));
}

export function availableByBudget(tx: Db, budgetIds: readonly string[]) {
  return budgetIds.map((id) => {
    const budget = tx
      .select({ name: budgets.name, wardName: wards.name })
      .from(budgets)
      .leftJoin(wards, eq(wards.id, budgets.wardId))
      .where(eq(budgets.id, id))
      .get();
    const row = tx
      .select({ b: sql<number>`credits_posted - debits_posted` })
      .from(ledgerAccounts)
      .where(eq(ledgerAccounts.key, `AVAILABLE:${id}`))
      .get();
    return { budgetId: id, name: budget?.name ?? id, wardName: budget?.wardName ?? null, availablePence: row?.b ?? 0 };
  });
}

export function nextGrantId(tx: Db, fundId: string): string {
  const rows = tx.select({ id: grants.id }).from(grants).where(eq(grants.fundId, fundId)).all();
  const prefix = `${fundId}-G`;
  const highest = rows
    .map((r) => (r.id.startsWith(prefix) ? Number(r.id.slice(prefix.length)) : 0))
    .filter(Number.isFinite)
    .reduce((a, b) => Math.max(a, b), 0);
  return `${prefix}${String(highest + 1).padStart(3, "0")}`;
}

export interface DecideInput {
  bidId: number;
  hasInterest: boolean;
  interestDetails?: string | null;
  outcome?: DecisionOutcomeName | null;
  amountPence?: number | null;
  reason?: string | null;
  schedule?: ScheduleKind;
  /** Approving a project that has already ended: the decider confirms it, with a reason. */
  retrospectiveOverride?: boolean;
  retrospectiveReason?: string | null;
  idempotencyKey: string;
}

export type DecideResult =
  | { kind: "interest-declared"; referred: boolean }
  | {
      kind: "decided";
      outcome: DecisionOutcomeName;
      status: BidStatus;
      grantId: string | null;
      awaitingQuorum: boolean;
      awaitingWards?: string[];
    };

export const OUTCOME_WORDS: Record<DecisionOutcomeName, string> = {
  approve: "approved",
  "part-approve": "approved in part",
  reject: "not approved",
  "request-changes": "sent back for changes",
};

export function earmarkedPence(tx: Db, grantId: string): number {
  return (
    tx
      .select({ b: sql<number>`credits_posted - debits_posted` })
      .from(ledgerAccounts)
      .where(eq(ledgerAccounts.key, `EARMARKED:${grantId}`))
      .get()?.b ?? 0
  );
}

/** Everything one decision is made from, loaded once at its start. */
export interface DecisionCtx {
  tx: Db;
  user: Principal;
  input: DecideInput;
  facts: BidFacts;
  role: "ward-councillor" | "designated";
  asDesignated: boolean;
  version: BidVersionView;
  actor: Actor;
  decidedAt: string;
  today: string;
}

/** What a decision did with the money, for the decision row, the bid, the audit and the mail. */
export interface MoneyMoved {
  entryId: string | null;
  grantId: string | null;
  /** The bid's new status, or null when it stays as it is (waiting for a quorum or other wards). */
  newStatus: BidStatus | null;
  /** The grant id the bid should carry afterwards. */
  bidGrantId: string | null;
  awaitingQuorum: boolean;
  awarded: number;
  plan: { tranches: PlannedTranche[] } | null;
  /** For a ward's own decision on a multi-ward bid: what it approved and who still has to decide. */
  wards?: { approvedPence: number; awaitingWards: string[]; summary: WardSummary };
}

/** What the wards of a multi-ward bid decided, written for a reader in their language (for the group's mail). */
export type WardSummary = (t: TFunction, language: Language) => string;

/** A ward's budget in the bid's fund (per-ward budgets). */
export function wardBudgetId(tx: Db, facts: BidFacts, wardId: number): string | null {
  return (
    tx
      .select({ id: budgets.id })
      .from(budgets)
      .where(and(eq(budgets.fundId, facts.fund.id), eq(budgets.wardId, wardId)))
      .get()?.id ?? null
  );
}

/** A file the group attached to the version being decided (quotes, plans, photos). */
export interface DecisionFile {
  id: string;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  uploadedAt: string;
}

/**
 * The files of the bid's latest submitted version: those its snapshot names, or (for a version
 * frozen before snapshots named files) the bid's live files. Monitoring photos are not among them.
 */
export function decisionFiles(bidId: number, tx: Db = db()): DecisionFile[] {
  const row = tx
    .select({ snapshot: bidVersions.snapshot })
    .from(bidVersions)
    .where(eq(bidVersions.bidId, bidId))
    .orderBy(desc(bidVersions.version))
    .limit(1)
    .get();
  let named: string[] | null = null;
  try {
    const snap = row ? (JSON.parse(row.snapshot) as { files?: { id?: unknown }[] }) : null;
    if (snap && Array.isArray(snap.files)) named = snap.files.map((f) => String(f.id ?? ""));
  } catch {
    named = null;
  }
  const columns = {
    id: attachments.id,
    fileName: attachments.fileName,
    contentType: attachments.contentType,
    sizeBytes: attachments.sizeBytes,
    uploadedAt: attachments.uploadedAt,
  };
  const ofBid = and(eq(attachments.bidId, bidId), eq(attachments.purpose, "bid"));
  if (named !== null) {
    if (named.length === 0) return [];
    return tx
      .select(columns)
      .from(attachments)
      .where(and(ofBid, inArray(attachments.id, named)))
      .orderBy(asc(attachments.uploadedAt), asc(attachments.id))
      .all();
  }
  return tx
    .select(columns)
    .from(attachments)
    .where(and(ofBid, isNull(attachments.removedAt)))
    .orderBy(asc(attachments.uploadedAt), asc(attachments.id))
    .all();
}

/**
 * One of the files of a bid for the person deciding it: a councillor of one of the bid's wards, or
 * the designated decision-maker it was referred to. Null when the bid, the file or the right is missing
 * (the page answers 404 either way, so nobody learns which files exist).
 */
export function decisionFileFor(
  user: Principal,
  bidId: number,
  fileId: string,
  tx: Db = db(),
): (DecisionFile & { storageKey: string }) | null {
  const facts = bidFacts(tx, bidId);
  if (!facts || facts.fund.kind !== "ward-budget" || facts.bid.status === "draft") return null;
  if (!standing(user, facts)) return null;
  const file = decisionFiles(bidId, tx).find((f) => f.id === fileId);
  if (!file) return null;
  const row = tx
    .select({ storageKey: attachments.storageKey })
    .from(attachments)
    .where(eq(attachments.id, fileId))
    .get();
  return row ? { ...file, storageKey: row.storageKey } : null;
}

/** The stored grant rules of a fund (JSON text), or null. */
export function fundGrantRulesText(fundId: string, tx: Db = db()): string | null {
  return tx.select({ grantRules: funds.grantRules }).from(funds).where(eq(funds.id, fundId)).get()?.grantRules ?? null;
}
