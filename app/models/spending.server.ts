/**
 * Publishing a financial year's spending: a finance officer publishes a period, which writes a
 * ledger checkpoint, a row naming it and an audit event in one transaction. From then on anyone can
 * download the period's Transparency Code spend file and 360Giving files, as the ledger stood at that
 * checkpoint, and read a summary of them on the public spending page.
 */
import { desc, eq } from "drizzle-orm";
import type { Readable } from "node:stream";
import { DEFAULT_SPEND_THRESHOLD_PENCE } from "~/core/exports/spend";
import { isFinancialYear, type FinancialYear } from "~/core/ledger";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { DEFAULT_LANGUAGE, type Language } from "~/i18n";
import { publishedSpendingPeriods, users } from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import { awardSourceRows, EXPORT_FORMATS, spendSourceRows, streamExport } from "~/models/exports.server";
import { writeCheckpoint } from "~/models/ledger.server";
import { Refusal } from "~/utils/refusal";

export interface PublishedPeriod {
  fy: string;
  checkpointSeq: number;
  checkpointHash: string;
  thresholdPence: number;
  publishedAt: string;
  publishedBy: string;
}

/** Publishes (or publishes again, as the ledger stands now) the spending of financial year `fy`. */
export function publishSpendingPeriod(
  actor: Actor,
  fy: string,
  now: Date = new Date(),
  database: Db = db(),
): PublishedPeriod {
  if (!isFinancialYear(fy)) throw Refusal.conflict("Choose a financial year such as 2026/27.");
  return writeTransaction((tx) => {
    const checkpoint = writeCheckpoint(tx, `publish: spending ${fy}`, actor, now);
    const publishedAt = now.toISOString();
    tx.insert(publishedSpendingPeriods)
      .values({
        fy,
        checkpointSeq: checkpoint.seq,
        checkpointHash: checkpoint.hash,
        thresholdPence: DEFAULT_SPEND_THRESHOLD_PENCE,
        publishedBy: actor.id,
        publishedAt,
      })
      .run();
    recordAudit(tx, {
      actor,
      action: "spending.publish",
      entityType: "spending-period",
      entityId: fy,
      after: {
        fy,
        checkpoint: { seq: checkpoint.seq, hash: checkpoint.hash },
        thresholdPence: DEFAULT_SPEND_THRESHOLD_PENCE,
      },
    });
    return {
      fy,
      checkpointSeq: checkpoint.seq,
      checkpointHash: checkpoint.hash,
      thresholdPence: DEFAULT_SPEND_THRESHOLD_PENCE,
      publishedAt,
      publishedBy: actor.name,
    };
  }, database);
}

/** The latest publication of every published period, newest year first. */
export function publishedPeriods(database: Db = db()): PublishedPeriod[] {
  const rows = database
    .select({
      id: publishedSpendingPeriods.id,
      fy: publishedSpendingPeriods.fy,
      checkpointSeq: publishedSpendingPeriods.checkpointSeq,
      checkpointHash: publishedSpendingPeriods.checkpointHash,
      thresholdPence: publishedSpendingPeriods.thresholdPence,
      publishedAt: publishedSpendingPeriods.publishedAt,
      publishedBy: users.name,
    })
    .from(publishedSpendingPeriods)
    .innerJoin(users, eq(users.id, publishedSpendingPeriods.publishedBy))
    .orderBy(desc(publishedSpendingPeriods.id))
    .all();
  const latest = new Map<string, PublishedPeriod>();
  for (const { id: _id, ...row } of rows) if (!latest.has(row.fy)) latest.set(row.fy, row);
  return [...latest.values()].sort((a, b) => b.fy.localeCompare(a.fy));
}

export function publishedPeriod(fy: string, database: Db = db()): PublishedPeriod | null {
  return publishedPeriods(database).find((p) => p.fy === fy) ?? null;
}

export const PUBLIC_SPENDING_FILES = {
  "spend.csv": "spend",
  "360giving.csv": "360giving-csv",
  "360giving.json": "360giving-json",
} as const;
export type PublicSpendingFile = keyof typeof PUBLIC_SPENDING_FILES;

/** One of a published period's files, as the ledger stood when it was published. */
export function publishedFile(
  period: PublishedPeriod,
  file: PublicSpendingFile,
  database: Db = db(),
  language: Language = DEFAULT_LANGUAGE,
): { body: Readable; filename: string; contentType: string } {
  const kind = PUBLIC_SPENDING_FILES[file];
  const format = EXPORT_FORMATS[kind];
  const body = streamExport(
    kind,
    {
      fy: period.fy as FinancialYear,
      upToSeq: period.checkpointSeq,
      thresholdPence: period.thresholdPence,
      language,
    },
    database,
    new Date(period.publishedAt),
  );
  return {
    body,
    filename: `${format.name}-${period.fy.replace("/", "-")}.${format.extension}`,
    contentType: format.contentType,
  };
}

export interface SpendingSummary {
  grants: number;
  awardedPence: number;
  paidPence: number;
  payments: number;
  byWard: { ward: string; grants: number; awardedPence: number; paidPence: number }[];
  byFund: { fund: string; grants: number; awardedPence: number }[];
}

/** What the period's files say, added up: grants, money awarded and paid, by ward and by fund. */
export function spendingSummary(period: PublishedPeriod, database: Db = db()): SpendingSummary {
  const scope = { fy: period.fy as FinancialYear, upToSeq: period.checkpointSeq };
  const client = database.$client;
  const summary: SpendingSummary = { grants: 0, awardedPence: 0, paidPence: 0, payments: 0, byWard: [], byFund: [] };
  const wards = new Map<string, SpendingSummary["byWard"][number]>();
  const fundsSeen = new Map<string, SpendingSummary["byFund"][number]>();
  const wardOf = (name: string | undefined) => {
    const key = name ?? "Whole area";
    const found = wards.get(key) ?? { ward: key, grants: 0, awardedPence: 0, paidPence: 0 };
    wards.set(key, found);
    return found;
  };
  for (const award of awardSourceRows(client, scope)) {
    summary.grants += 1;
    summary.awardedPence += award.awardedPence;
    const ward = wardOf(award.ward?.name);
    ward.grants += 1;
    ward.awardedPence += award.awardedPence;
    const fund = fundsSeen.get(award.fund.name) ?? { fund: award.fund.name, grants: 0, awardedPence: 0 };
    fund.grants += 1;
    fund.awardedPence += award.awardedPence;
    fundsSeen.set(award.fund.name, fund);
  }
  for (const payment of spendSourceRows(client, scope)) {
    const signed = payment.reversal ? -payment.pence : payment.pence;
    summary.paidPence += signed;
    summary.payments += payment.reversal ? 0 : 1;
    wardOf(payment.ward?.name).paidPence += signed;
  }
  summary.byWard = [...wards.values()].sort((a, b) => a.ward.localeCompare(b.ward, "en-GB"));
  summary.byFund = [...fundsSeen.values()].sort((a, b) => a.fund.localeCompare(b.fund, "en-GB"));
  return summary;
}
