/**
 * A community group's bids, from the first draft to submission, resubmission after changes were
 * requested, and withdrawal; their frozen versions and their files.
 *
 * Who may do what: only members of the bid's group create, edit, submit or withdraw it, and only
 * they see it while it is a draft. Once submitted, the councillors of its wards, finance officers and
 * administrators may read it too. Every status change goes through the state machine in core/bids
 * and is audited in the same transaction.
 *
 * Files live outside `public/`, under ATTACHMENTS_DIR (default `data/attachments`), named by a
 * random id; the database keeps their name, sniffed type, size and SHA-256.
 */
import { DEFAULT_LANGUAGE, isLanguage, type Language } from "~/i18n";
import { translatorFor } from "~/utils/translate";
import { messageKey, withWelsh } from "~/core/messages/message-key";
import { randomUUID } from "node:crypto";
import { and, asc, desc, eq, inArray, isNull, like } from "drizzle-orm";
import {
  bidIssues,
  bidReference,
  checkUpload,
  diffSnapshots,
  fundRefusal,
  isEditable,
  transition,
  type BidChange,
  type BidContent,
  type BidIssue,
  type BidKind,
  type BidSnapshot,
  type BidStatus,
  type FundGrantRules,
  type FundTerms,
} from "~/core/bids";
import { londonDateOf } from "~/core/ledger";
import { db, writeTransaction, type Db } from "~/db/client.server";
import {
  attachments,
  bidBudgetLines,
  bidDecisions,
  bids,
  bidVersions,
  bidWards,
  budgets,
  communityGroups,
  funds,
  groupMembers,
  pbProjects,
  pbRounds,
  pbRoundWards,
  roleGrants,
  users,
  wards,
} from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import { grantStateOfBid, transitionOrRefuse } from "~/models/grant-state.server";
import { releaseTranches } from "~/models/tranches.server";
import { releaseWardShares } from "~/models/ward-decisions.server";
import type { Principal } from "~/utils/auth.server";
import { queueMail } from "~/utils/mail.server";
import { storedFilePath, storeUpload, type Upload } from "~/models/attachment-files.server";
import { Refusal } from "~/utils/refusal";

/** Submission refused because the bid is incomplete: every problem, each tied to its step and field. */
export class BidIncomplete extends Refusal {
  constructor(readonly issues: BidIssue[]) {
    super(`The bid cannot be submitted yet: ${issues.length} problem(s).`, { code: "incomplete" });
  }
}

const actorOf = (user: Principal): Actor => ({ id: user.id, name: user.name });
const today = () => londonDateOf(new Date());

const forbidden = (message = "bids:refusal.forbidden") => Refusal.forbidden(message);
const notFound = () => Refusal.notFound("bids:refusal.notFound");

// ---------------------------------------------------------------------------------------------
// Funds open for bids

function parseJson<T>(text: string | null): T | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

export type FundForBids = FundTerms & {
  fundId: string;
  criteria: string | null;
  criteriaCy: string | null;
  roundId: number | null;
};

/** What a fund asks of a bid: limits, wards, dates or phase, grant rules. Null for an unknown fund. */
export function fundTerms(fundId: string, database: Db = db()): FundForBids | null {
  const fund = database.select().from(funds).where(eq(funds.id, fundId)).get();
  if (!fund) return null;
  const eligibleTypes = parseJson<string[]>(fund.eligibleTypes);
  if (fund.kind === "pb-round") {
    const round = database.select().from(pbRounds).where(eq(pbRounds.fundId, fundId)).get();
    const wardIds = round
      ? database
          .select({ wardId: pbRoundWards.wardId })
          .from(pbRoundWards)
          .where(eq(pbRoundWards.roundId, round.id))
          .all()
          .map((r) => r.wardId)
      : [];
    return {
      fundId,
      kind: "pb-round",
      name: round?.name ?? fund.name,
      nameCy: round ? round.nameCy : fund.nameCy,
      minPence: round?.minBidPence ?? null,
      maxPence: round?.maxBidPence ?? null,
      wardIds,
      eligibleTypes,
      rules: {},
      opensOn: null,
      closesOn: null,
      // A fund of kind pb-round with no round row is not taking bids.
      phase: round?.phase ?? null,
      criteria: round?.description ?? fund.criteria,
      criteriaCy: round ? round.descriptionCy : fund.criteriaCy,
      roundId: round?.id ?? null,
    };
  }
  const wardIds = database
    .selectDistinct({ wardId: budgets.wardId })
    .from(budgets)
    .where(eq(budgets.fundId, fundId))
    .all()
    .map((r) => r.wardId)
    .filter((id): id is number => id !== null);
  const rules = parseJson<FundGrantRules>(fund.grantRules) ?? {};
  return {
    fundId,
    kind: "ward-budget",
    name: fund.name,
    nameCy: fund.nameCy,
    minPence: fund.minGrantPence,
    maxPence: fund.maxGrantPence,
    wardIds,
    eligibleTypes,
    rules: {
      noRetrospectiveCosts: Boolean(rules.noRetrospectiveCosts),
      quotesAbovePence: rules.quotesAbovePence ?? null,
      matchFundingPercent: rules.matchFundingPercent ?? null,
    },
    opensOn: fund.opensOn,
    closesOn: fund.closesOn,
    phase: null,
    criteria: fund.criteria,
    criteriaCy: fund.criteriaCy,
    roundId: null,
  };
}

/** Funds open for bids today, each with the reason this group may not bid to it (or null). */
export function listFundsOpenForGroup(groupId: number, on: string = today(), database: Db = db()) {
  const group = database.select().from(communityGroups).where(eq(communityGroups.id, groupId)).get();
  if (!group) return [];
  return database
    .select({ id: funds.id })
    .from(funds)
    .orderBy(asc(funds.name))
    .all()
    .map((f) => fundTerms(f.id, database)!)
    .filter((terms) => fundRefusal({ ...terms, eligibleTypes: null }, on, group.organisationType) === null)
    .map((terms) => ({
      id: terms.fundId,
      kind: terms.kind,
      name: terms.name,
      nameCy: terms.nameCy ?? null,
      criteria: terms.criteria,
      criteriaCy: terms.criteriaCy,
      minPence: terms.minPence,
      maxPence: terms.maxPence,
      closesOn: terms.closesOn,
      refusal: fundRefusal(terms, on, group.organisationType),
    }));
}

// ---------------------------------------------------------------------------------------------
// Reading a bid

function bidRow(bidId: number, database: Db) {
  return database.select().from(bids).where(eq(bids.id, bidId)).get();
}

function wardsOf(bidId: number, database: Db) {
  return database
    .select({ id: wards.id, name: wards.name, nameCy: wards.nameCy })
    .from(bidWards)
    .innerJoin(wards, eq(wards.id, bidWards.wardId))
    .where(eq(bidWards.bidId, bidId))
    .orderBy(asc(wards.name))
    .all();
}

function linesOf(bidId: number, database: Db) {
  return database
    .select({
      lineNo: bidBudgetLines.lineNo,
      description: bidBudgetLines.description,
      amountPence: bidBudgetLines.amountPence,
    })
    .from(bidBudgetLines)
    .where(eq(bidBudgetLines.bidId, bidId))
    .orderBy(asc(bidBudgetLines.lineNo))
    .all();
}

function liveFilesOf(bidId: number, database: Db) {
  return database
    .select({
      id: attachments.id,
      fileName: attachments.fileName,
      contentType: attachments.contentType,
      sizeBytes: attachments.sizeBytes,
      uploadedAt: attachments.uploadedAt,
      isPublic: attachments.isPublic,
    })
    .from(attachments)
    .where(and(eq(attachments.bidId, bidId), eq(attachments.purpose, "bid"), isNull(attachments.removedAt)))
    .orderBy(asc(attachments.uploadedAt), asc(attachments.id))
    .all();
}

type BidRow = NonNullable<ReturnType<typeof bidRow>>;
export type BidViewerRole = "member" | "councillor" | "finance" | "admin";

/** Why `user` may see the bid (the closest relation first), or null when they may not. */
export function viewerRole(
  user: Principal,
  bid: Pick<BidRow, "groupId" | "status">,
  wardIds: readonly number[],
): BidViewerRole | null {
  if (user.groupIds.includes(bid.groupId)) return "member";
  // Drafts belong to the group alone.
  if (bid.status === "draft") return null;
  if (user.roles.includes("councillor") && wardIds.some((id) => user.councillorWardIds.includes(id)))
    return "councillor";
  if (user.roles.includes("finance")) return "finance";
  if (user.roles.includes("admin")) return "admin";
  return null;
}

function contentOf(bid: BidRow, database: Db): BidContent {
  return {
    title: bid.title,
    summary: bid.summary,
    description: bid.description,
    amountPence: bid.amountPence,
    budgetLines: linesOf(bid.id, database),
    wardIds: wardsOf(bid.id, database).map((w) => w.id),
    beneficiaries: bid.beneficiaries,
    beneficiaryCount: bid.beneficiaryCount,
    startOn: bid.startOn,
    endOn: bid.endOn,
    fileCount: liveFilesOf(bid.id, database).length,
  };
}

function loadBid(bidId: number, database: Db) {
  const bid = bidRow(bidId, database);
  if (!bid) return null;
  const terms = fundTerms(bid.fundId, database)!;
  const group = database
    .select({ id: communityGroups.id, name: communityGroups.name, organisationType: communityGroups.organisationType })
    .from(communityGroups)
    .where(eq(communityGroups.id, bid.groupId))
    .get()!;
  return {
    bid,
    terms,
    group,
    wards: wardsOf(bid.id, database),
    lines: linesOf(bid.id, database),
    files: liveFilesOf(bid.id, database),
  };
}

export type LoadedBid = NonNullable<ReturnType<typeof loadBid>> & { viewer: BidViewerRole };

/** The bid as `user` may see it, or a thrown 404 (no such bid) / 403 (not theirs to see). */
export function requireBidViewer(user: Principal, bidId: number, database: Db = db()): LoadedBid {
  const loaded = loadBid(bidId, database);
  if (!loaded) throw notFound();
  const viewer = viewerRole(
    user,
    loaded.bid,
    loaded.wards.map((w) => w.id),
  );
  if (!viewer) throw forbidden();
  return { ...loaded, viewer };
}

/** The bid, for a member of its group, or a thrown 404 / 403. */
export function requireBidMember(user: Principal, bidId: number, database: Db = db()): LoadedBid {
  const loaded = loadBid(bidId, database);
  if (!loaded) throw notFound();
  if (!user.groupIds.includes(loaded.bid.groupId))
    throw forbidden("Only members of the group that made this bid can change it.");
  return { ...loaded, viewer: "member" };
}

/** Every problem that stops the bid being submitted now (empty when it can go). */
export function submissionIssues(
  loaded: Pick<LoadedBid, "bid" | "terms" | "group">,
  on: string = today(),
  database: Db = db(),
): BidIssue[] {
  const issues: BidIssue[] = [];
  const refusal = fundRefusal(loaded.terms, on, loaded.group.organisationType);
  if (refusal) issues.push({ step: "review", field: "fund", message: refusal });
  return [...issues, ...bidIssues(contentOf(loaded.bid, database), loaded.terms, on)];
}

/** The group's bids, newest first. */
export function listBidsOfGroup(groupId: number, database: Db = db()) {
  return database
    .select({
      id: bids.id,
      reference: bids.reference,
      title: bids.title,
      status: bids.status,
      amountPence: bids.amountPence,
      fundName: funds.name,
      fundNameCy: funds.nameCy,
      updatedAt: bids.updatedAt,
      submittedAt: bids.submittedAt,
    })
    .from(bids)
    .innerJoin(funds, eq(funds.id, bids.fundId))
    .where(eq(bids.groupId, groupId))
    .orderBy(desc(bids.id))
    .all();
}

/** Decisions recorded on the bid, oldest first, with who made them. */
export function listBidDecisions(bidId: number, database: Db = db()) {
  return database
    .select({
      id: bidDecisions.id,
      version: bidDecisions.version,
      outcome: bidDecisions.outcome,
      amountPence: bidDecisions.amountPence,
      reason: bidDecisions.reason,
      decidedAt: bidDecisions.decidedAt,
      deciderName: users.name,
    })
    .from(bidDecisions)
    .innerJoin(users, eq(users.id, bidDecisions.deciderId))
    .where(eq(bidDecisions.bidId, bidId))
    .orderBy(asc(bidDecisions.decidedAt), asc(bidDecisions.id))
    .all();
}

/** The latest request for changes on the bid (what the councillor asked for), if any. */
export function latestChangeRequest(bidId: number, database: Db = db()) {
  return (
    database
      .select({
        version: bidDecisions.version,
        reason: bidDecisions.reason,
        decidedAt: bidDecisions.decidedAt,
        deciderName: users.name,
      })
      .from(bidDecisions)
      .innerJoin(users, eq(users.id, bidDecisions.deciderId))
      .where(and(eq(bidDecisions.bidId, bidId), eq(bidDecisions.outcome, "request-changes")))
      .orderBy(desc(bidDecisions.decidedAt), desc(bidDecisions.id))
      .limit(1)
      .get() ?? null
  );
}

// ---------------------------------------------------------------------------------------------
// Drafting

/** Starts a draft bid for `groupId` to `fundId`; returns its id. */
export function createDraftBid(
  user: Principal,
  groupId: number,
  fundId: string,
  options: { today?: string } = {},
  database: Db = db(),
): number {
  if (!user.groupIds.includes(groupId)) throw forbidden("Only members of the group can start a bid for it.");
  const on = options.today ?? today();
  return writeTransaction((tx) => {
    const group = tx.select().from(communityGroups).where(eq(communityGroups.id, groupId)).get();
    if (!group) throw new Refusal("bids:refusal.noGroup", { status: 404 });
    const terms = fundTerms(fundId, tx);
    if (!terms) throw new Refusal("bids:refusal.chooseOpenFund", { field: "fundId" });
    const refusal = fundRefusal(terms, on, group.organisationType);
    if (refusal) throw new Refusal(refusal, { field: "fundId" });
    const year = Number(on.slice(0, 4));
    const prefix = bidReference(terms.kind, year, 0).slice(0, -4);
    const last = tx
      .select({ reference: bids.reference })
      .from(bids)
      .where(like(bids.reference, `${prefix}%`))
      .all()
      .map((r) => Number(r.reference.slice(prefix.length)))
      .reduce((max, n) => (Number.isSafeInteger(n) && n > max ? n : max), 0);
    const reference = bidReference(terms.kind, year, last + 1);
    const created = tx
      .insert(bids)
      .values({ reference, fundId, groupId, createdBy: user.id, status: "draft", draftStep: "about" })
      .returning({ id: bids.id })
      .get();
    // A single-ward fund or round: the ward is already chosen.
    if (terms.wardIds.length === 1) tx.insert(bidWards).values({ bidId: created.id, wardId: terms.wardIds[0]! }).run();
    recordAudit(tx, {
      actor: actorOf(user),
      action: "bid.draft-created",
      entityType: "bid",
      entityId: created.id,
      after: { reference, fundId, groupId },
    });
    return created.id;
  }, database);
}

export type StepInput =
  | { step: "about"; title: string; summary: string; description: string }
  | { step: "money"; amountPence: number | null; lines: { description: string; amountPence: number }[] }
  | {
      step: "where";
      wardIds: number[];
      beneficiaries: string;
      beneficiaryCount: number | null;
      startOn: string | null;
      endOn: string | null;
    };

function requireEditable(bid: BidRow): void {
  if (!isEditable(bid.status)) throw new Refusal("bids:refusal.notEditable", { status: 409 });
}

/**
 * Saves one step of the form into the working copy. The input is already well-formed (the route
 * parses it); completeness is only checked on submission, so a draft may be saved half done.
 */
export function saveBidStep(user: Principal, bidId: number, input: StepInput, database: Db = db()): void {
  writeTransaction((tx) => {
    const { bid, terms } = requireBidMember(user, bidId, tx);
    requireEditable(bid);
    const now = new Date().toISOString();
    if (input.step === "about") {
      tx.update(bids)
        .set({
          title: input.title.trim(),
          summary: input.summary.trim(),
          description: input.description.trim(),
          draftStep: "about",
          updatedAt: now,
        })
        .where(eq(bids.id, bidId))
        .run();
    } else if (input.step === "money") {
      tx.update(bids)
        .set({ amountPence: input.amountPence, draftStep: "money", updatedAt: now })
        .where(eq(bids.id, bidId))
        .run();
      tx.delete(bidBudgetLines).where(eq(bidBudgetLines.bidId, bidId)).run();
      input.lines.forEach((line, i) =>
        tx
          .insert(bidBudgetLines)
          .values({ bidId, lineNo: i + 1, description: line.description.trim(), amountPence: line.amountPence })
          .run(),
      );
    } else {
      const unknown = input.wardIds.filter((id) => !terms.wardIds.includes(id));
      if (unknown.length)
        throw new Refusal(messageKey("bids:issue.wardsOutside", withWelsh("fund", terms.name, terms.nameCy)), {
          field: "wardIds",
        });
      tx.update(bids)
        .set({
          beneficiaries: input.beneficiaries.trim(),
          beneficiaryCount: input.beneficiaryCount,
          startOn: input.startOn,
          endOn: input.endOn,
          draftStep: "where",
          updatedAt: now,
        })
        .where(eq(bids.id, bidId))
        .run();
      tx.delete(bidWards).where(eq(bidWards.bidId, bidId)).run();
      for (const wardId of new Set(input.wardIds)) tx.insert(bidWards).values({ bidId, wardId }).run();
    }
  }, database);
}

// ---------------------------------------------------------------------------------------------
// Files

export { attachmentsDir, type Upload } from "~/models/attachment-files.server";

/** Adds a file to an editable bid; returns the attachment id. Refused: 6th file, over 10 MB, wrong bytes. */
export function addBidAttachment(user: Principal, bidId: number, upload: Upload, database: Db = db()): string {
  const { bid, files } = requireBidMember(user, bidId, database);
  requireEditable(bid);
  const check = checkUpload(upload, files.length);
  if (!check.ok) throw new Refusal(check.message, { field: "file" });
  const id = randomUUID();
  storeUpload(upload, ({ storageKey, sha256 }) =>
    writeTransaction((tx) => {
      // Counted again inside the write lock: two uploads at once cannot make a sixth file.
      const live = liveFilesOf(bidId, tx).length;
      const again = checkUpload(upload, live);
      if (!again.ok) throw new Refusal(again.message, { field: "file" });
      const current = bidRow(bidId, tx)!;
      requireEditable(current);
      const { fileName, contentType } = check;
      tx.insert(attachments)
        .values({
          id,
          bidId,
          purpose: "bid",
          fileName,
          contentType,
          sizeBytes: upload.sizeBytes,
          sha256,
          storageKey,
          uploadedBy: user.id,
        })
        .run();
      tx.update(bids).set({ updatedAt: new Date().toISOString() }).where(eq(bids.id, bidId)).run();
      const after = { attachmentId: id, fileName, contentType, sizeBytes: upload.sizeBytes };
      recordAudit(tx, { actor: actorOf(user), action: "bid.file-added", entityType: "bid", entityId: bidId, after });
    }, database),
  );
  return id;
}

/** Removes a file from an editable bid (kept on disk and in the table: earlier versions name it). */
export function removeBidAttachment(user: Principal, bidId: number, attachmentId: string, database: Db = db()): void {
  writeTransaction((tx) => {
    const { bid } = requireBidMember(user, bidId, tx);
    requireEditable(bid);
    const row = tx
      .select()
      .from(attachments)
      .where(and(eq(attachments.id, attachmentId), eq(attachments.bidId, bidId), isNull(attachments.removedAt)))
      .get();
    if (!row) throw new Refusal("bids:refusal.fileRemoved", { field: "file", status: 404 });
    tx.update(attachments).set({ removedAt: new Date().toISOString() }).where(eq(attachments.id, attachmentId)).run();
    recordAudit(tx, {
      actor: actorOf(user),
      action: "bid.file-removed",
      entityType: "bid",
      entityId: bidId,
      before: { attachmentId, fileName: row.fileName },
    });
  }, database);
}

/**
 * A bid's file for download: anyone for a public file; otherwise only those who may see the bid.
 * Returns null for a non-public file when nobody is signed in (the route asks them to sign in).
 */
export function attachmentForDownload(
  user: Principal | null,
  bidId: number,
  attachmentId: string,
  database: Db = db(),
) {
  const row = database
    .select()
    .from(attachments)
    .where(and(eq(attachments.id, attachmentId), eq(attachments.bidId, bidId)))
    .get();
  if (!row) throw Refusal.notFound("bids:refusal.fileNotFound");
  if (!row.isPublic) {
    if (!user) return null;
    requireBidViewer(user, bidId, database);
  }
  const file = storedFilePath(row.storageKey);
  if (!file) throw Refusal.notFound("bids:refusal.fileNotFound");
  return { ...row, path: file };
}

// ---------------------------------------------------------------------------------------------
// Submission, versions, withdrawal

/** The bid's working copy as a version snapshot: what a submitted version freezes. */
export function snapshotOf(bidId: number, database: Db): BidSnapshot {
  const bid = bidRow(bidId, database)!;
  return {
    title: bid.title,
    summary: bid.summary,
    description: bid.description,
    amountPence: bid.amountPence,
    beneficiaries: bid.beneficiaries,
    beneficiaryCount: bid.beneficiaryCount,
    startOn: bid.startOn,
    endOn: bid.endOn,
    budgetLines: linesOf(bidId, database),
    wards: wardsOf(bidId, database),
    files: liveFilesOf(bidId, database).map((f) => ({ id: f.id, fileName: f.fileName })),
  };
}

function kindOf(terms: FundTerms): BidKind {
  return terms.kind;
}

/**
 * Submits (or, after changes were requested, resubmits) the bid: checks everything, freezes the
 * working copy as the next version, moves it to submitted, and mails the group's members and the
 * councillors of its wards. Throws `BidIncomplete` listing every problem. Returns the outbox ids to
 * deliver once committed.
 */
export function submitBid(
  user: Principal,
  bidId: number,
  options: { today?: string; bidUrl?: string } = {},
  database: Db = db(),
): { version: number; mailIds: number[] } {
  const on = options.today ?? today();
  return writeTransaction((tx) => {
    const loaded = requireBidMember(user, bidId, tx);
    const { bid, terms, group } = loaded;
    const moved = transition(kindOf(terms), bid.status, "submit");
    if (!moved.ok) throw new Refusal(moved.reason, { status: 409 });
    const issues = submissionIssues(loaded, on, tx);
    if (issues.length) throw new BidIncomplete(issues);
    const version = bid.version + 1;
    const submittedAt = new Date().toISOString();
    const snapshot = snapshotOf(bidId, tx);
    tx.insert(bidVersions)
      .values({ bidId, version, snapshot: JSON.stringify(snapshot), submittedBy: user.id, submittedAt })
      .run();
    tx.update(bids)
      .set({ status: moved.to, version, submittedAt, draftStep: "review", updatedAt: submittedAt })
      .where(eq(bids.id, bidId))
      .run();
    if (terms.kind === "pb-round" && terms.roundId !== null) {
      tx.insert(pbProjects)
        .values({ bidId, roundId: terms.roundId, eligibility: "pending" })
        .onConflictDoNothing()
        .run();
    }
    recordAudit(tx, {
      actor: actorOf(user),
      action: version === 1 ? "bid.submitted" : "bid.resubmitted",
      entityType: "bid",
      entityId: bidId,
      before: { status: bid.status, version: bid.version },
      after: { status: moved.to, version, reference: bid.reference, amountPence: snapshot.amountPence },
    });
    const mailIds = notifySubmission(tx, {
      reference: bid.reference,
      title: snapshot.title,
      groupId: group.id,
      groupName: group.name,
      fundName: terms.name,
      fundNameCy: terms.nameCy ?? null,
      wardIds: snapshot.wards.map((w) => w.id),
      version,
      kind: terms.kind,
      bidUrl: options.bidUrl,
    });
    return { version, mailIds };
  }, database);
}

function notifySubmission(
  tx: Db,
  bid: {
    reference: string;
    title: string;
    groupId: number;
    groupName: string;
    fundName: string;
    fundNameCy?: string | null;
    wardIds: number[];
    version: number;
    kind: BidKind;
    bidUrl?: string;
  },
): number[] {
  // Each recipient reads the mail in their own language; a Welsh reader's link opens the bid in Welsh.
  const write = (language: string) => {
    const lang: Language = isLanguage(language) ? language : DEFAULT_LANGUAGE;
    const t = translatorFor(lang);
    const url = bid.bidUrl && lang !== DEFAULT_LANGUAGE ? `${bid.bidUrl}?lng=${lang}` : bid.bidUrl;
    const fund = lang === "cy" && bid.fundNameCy ? bid.fundNameCy : bid.fundName;
    const values = {
      group: bid.groupName,
      title: bid.title,
      reference: bid.reference,
      fund,
      again: bid.version > 1 ? t("bids:mail.again", { version: bid.version }) : "",
      link: url ? t("bids:mail.link", { url }) : "",
    };
    return { t, values };
  };
  const members = tx
    .select({ email: users.email, name: users.name, language: users.language })
    .from(groupMembers)
    .innerJoin(users, eq(users.id, groupMembers.userId))
    .where(and(eq(groupMembers.groupId, bid.groupId), isNull(users.disabledAt)))
    .all();
  const ids = members.map((m) => {
    const { t, values } = write(m.language);
    return queueMail(tx, {
      to: m.email,
      subject: t("bids:mail.receivedSubject", values),
      body: t("bids:mail.receivedBody", { ...values, name: m.name }),
    });
  });
  if (bid.kind === "ward-budget" && bid.wardIds.length) {
    const councillors = tx
      .selectDistinct({ email: users.email, name: users.name, language: users.language })
      .from(roleGrants)
      .innerJoin(users, eq(users.id, roleGrants.userId))
      .where(and(eq(roleGrants.role, "councillor"), inArray(roleGrants.wardId, bid.wardIds), isNull(users.disabledAt)))
      .all();
    for (const c of councillors) {
      const { t, values } = write(c.language);
      ids.push(
        queueMail(tx, {
          to: c.email,
          subject: t("bids:mail.awaitsSubject", values),
          body: t("bids:mail.awaitsBody", { ...values, name: c.name }),
        }),
      );
    }
  }
  return ids;
}

/**
 * Withdraws the bid with the group's reason (any time the state machine allows: before payment).
 * A grant already approved gives its unpaid commitment back and its pending later years are
 * cancelled (models/tranches.server.ts).
 */
export function withdrawBid(user: Principal, bidId: number, reason: string, database: Db = db()): void {
  const trimmed = reason.trim();
  if (trimmed.length < 3) throw new Refusal("bids:refusal.withdrawReason", { field: "reason", status: 400 });
  writeTransaction((tx) => {
    const { bid, terms } = requireBidMember(user, bidId, tx);
    const moved = transition(kindOf(terms), bid.status, "withdraw");
    if (!moved.ok) throw new Refusal(moved.reason, { status: 409 });
    // A grant is withdrawn only as the grant machine allows: not with a payment with finance, not once paid.
    const grant = grantStateOfBid(tx, bidId);
    if (grant) transitionOrRefuse(grant, { type: "withdraw", reason: trimmed });
    const at = new Date().toISOString();
    tx.update(bids)
      .set({ status: moved.to, withdrawnAt: at, withdrawnReason: trimmed, updatedAt: at })
      .where(eq(bids.id, bidId))
      .run();
    recordAudit(tx, {
      actor: actorOf(user),
      action: "bid.withdrawn",
      entityType: "bid",
      entityId: bidId,
      reason: trimmed,
      before: { status: bid.status },
      after: { status: moved.to },
    });
    // An approved grant gives back what is not yet paid, each year's part to its own year's budget.
    releaseTranches(tx, actorOf(user), { bidId, reason: trimmed, now: new Date(at) });
    // A bid whose wards were still deciding has no offer yet: the shares drawn so far go back.
    releaseWardShares(tx, actorOf(user), { bidId, reason: trimmed, now: new Date(at) });
  }, database);
}

export interface BidVersionView {
  version: number;
  submittedAt: string;
  submittedByName: string;
  snapshot: BidSnapshot;
  /** Changes from the version before (empty for version 1). */
  changes: BidChange[];
}

/** Every frozen version, newest first, each with its changes from the one before. */
export function listBidVersions(bidId: number, database: Db = db()): BidVersionView[] {
  const rows = database
    .select({
      version: bidVersions.version,
      snapshot: bidVersions.snapshot,
      submittedAt: bidVersions.submittedAt,
      submittedByName: users.name,
    })
    .from(bidVersions)
    .innerJoin(users, eq(users.id, bidVersions.submittedBy))
    .where(eq(bidVersions.bidId, bidId))
    .orderBy(asc(bidVersions.version))
    .all();
  const views = rows.map((row, i) => {
    const snapshot = JSON.parse(row.snapshot) as BidSnapshot;
    const previous = i > 0 ? (JSON.parse(rows[i - 1]!.snapshot) as BidSnapshot) : null;
    return {
      version: row.version,
      submittedAt: row.submittedAt,
      submittedByName: row.submittedByName,
      snapshot,
      changes: previous ? diffSnapshots(previous, snapshot) : [],
    };
  });
  return views.reverse();
}

/** Statuses from which the group may withdraw the bid, for the page to offer the action. */
export function canWithdraw(kind: BidKind, status: BidStatus): boolean {
  return transition(kind, status, "withdraw").ok;
}
