/**
 * Inserts a ward-budget bid as a group would leave it after submitting: the working copy, its
 * budget lines and wards, and frozen version 1. Used by the demo seed (and by tests) to start bids
 * without the group's bid form.
 */
import { eq, sql } from "drizzle-orm";
import type { Db } from "./client.server";
import { bidBudgetLines, bids, bidVersions, bidWards, funds } from "./schema";

export interface SubmittedBidInput {
  fundId: string;
  groupId: number;
  wardIds: number[];
  title: string;
  summary?: string;
  description?: string;
  submittedBy: string;
  lines: { description: string; amountPence: number }[];
  beneficiaries?: string;
  beneficiaryCount?: number;
  startOn?: string | null;
  endOn?: string | null;
  /** "draft" leaves it unsubmitted (no version). */
  status?: "draft" | "submitted";
  submittedAt?: string;
  /** Later versions of a bid sent back for changes: the version number to freeze. */
  version?: number;
}

export function nextBidReference(tx: Db, fundId: string): string {
  const fund = tx.select({ fy: funds.fy, kind: funds.kind }).from(funds).where(eq(funds.id, fundId)).get();
  const year = fund?.fy.slice(0, 4) ?? "0000";
  const prefix = `${fund?.kind === "pb-round" ? "PB" : "WB"}-${year}-`;
  const count =
    tx
      .select({ n: sql<number>`count(*)` })
      .from(bids)
      .where(sql`${bids.reference} like ${`${prefix}%`}`)
      .get()?.n ?? 0;
  return `${prefix}${String(count + 1).padStart(4, "0")}`;
}

/** Writes a bid and (unless a draft) its version-1 snapshot; returns the bid id. */
export function insertSubmittedBid(tx: Db, input: SubmittedBidInput): number {
  const amountPence = input.lines.reduce((sum, l) => sum + l.amountPence, 0);
  const submittedAt = input.submittedAt ?? new Date().toISOString();
  const submitted = (input.status ?? "submitted") === "submitted";
  const version = submitted ? (input.version ?? 1) : 0;
  const fields = {
    title: input.title,
    summary: input.summary ?? input.title,
    description: input.description ?? input.summary ?? input.title,
    amountPence,
    beneficiaries: input.beneficiaries ?? "Residents of the ward",
    beneficiaryCount: input.beneficiaryCount ?? 50,
    startOn: input.startOn ?? null,
    endOn: input.endOn ?? null,
  };
  const bid = tx
    .insert(bids)
    .values({
      reference: nextBidReference(tx, input.fundId),
      fundId: input.fundId,
      groupId: input.groupId,
      status: submitted ? "submitted" : "draft",
      draftStep: submitted ? "review" : "budget",
      ...fields,
      version,
      createdBy: input.submittedBy,
      submittedAt: submitted ? submittedAt : null,
    })
    .returning({ id: bids.id })
    .get();
  input.lines.forEach((line, i) =>
    tx
      .insert(bidBudgetLines)
      .values({ bidId: bid.id, lineNo: i + 1, description: line.description, amountPence: line.amountPence })
      .run(),
  );
  for (const wardId of input.wardIds) tx.insert(bidWards).values({ bidId: bid.id, wardId }).run();
  if (submitted) {
    const snapshot = {
      ...fields,
      budgetLines: input.lines.map((l, i) => ({ lineNo: i + 1, ...l })),
      wardIds: input.wardIds,
      fileIds: [],
    };
    for (let v = 1; v <= version; v += 1) {
      tx.insert(bidVersions)
        .values({
          bidId: bid.id,
          version: v,
          snapshot: JSON.stringify(snapshot),
          submittedBy: input.submittedBy,
          submittedAt,
        })
        .run();
    }
  }
  return bid.id;
}

/** A bid sent back for changes is submitted again by the group: a new frozen version. */
export function resubmitBid(
  tx: Db,
  bidId: number,
  submittedBy: string,
  changes: { title?: string; lines?: { description: string; amountPence: number }[] } = {},
  at = new Date().toISOString(),
): number {
  const bid = tx.select().from(bids).where(eq(bids.id, bidId)).get()!;
  const lines =
    changes.lines ??
    tx
      .select()
      .from(bidBudgetLines)
      .where(eq(bidBudgetLines.bidId, bidId))
      .all()
      .map((l) => ({ description: l.description, amountPence: l.amountPence }));
  const wardIds = tx
    .select()
    .from(bidWards)
    .where(eq(bidWards.bidId, bidId))
    .all()
    .map((w) => w.wardId);
  const amountPence = lines.reduce((s, l) => s + l.amountPence, 0);
  const version = bid.version + 1;
  const title = changes.title ?? bid.title;
  tx.delete(bidBudgetLines).where(eq(bidBudgetLines.bidId, bidId)).run();
  lines.forEach((line, i) =>
    tx
      .insert(bidBudgetLines)
      .values({ bidId, lineNo: i + 1, description: line.description, amountPence: line.amountPence })
      .run(),
  );
  const snapshot = {
    title,
    summary: bid.summary,
    description: bid.description,
    amountPence,
    beneficiaries: bid.beneficiaries,
    beneficiaryCount: bid.beneficiaryCount,
    startOn: bid.startOn,
    endOn: bid.endOn,
    budgetLines: lines.map((l, i) => ({ lineNo: i + 1, ...l })),
    wardIds,
    fileIds: [],
  };
  tx.insert(bidVersions)
    .values({ bidId, version, snapshot: JSON.stringify(snapshot), submittedBy, submittedAt: at })
    .run();
  tx.update(bids)
    .set({ status: "submitted", version, title, amountPence, submittedAt: at, updatedAt: at })
    .where(eq(bids.id, bidId))
    .run();
  return version;
}
