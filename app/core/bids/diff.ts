/**
 * What changed between two frozen versions of a bid, field by field: the text fields, the amount,
 * each budget line (matched by its description, then by its position), the wards and the files.
 */
import { formatPence } from "../money";

/** The JSON frozen into bid_versions.snapshot on each submission. */
export interface BidSnapshot {
  title: string;
  summary: string;
  description: string;
  amountPence: number | null;
  beneficiaries: string;
  beneficiaryCount: number | null;
  startOn: string | null;
  endOn: string | null;
  budgetLines: { lineNo: number; description: string; amountPence: number }[];
  wards: { id: number; name: string }[];
  files: { id: string; fileName: string }[];
}

export const SNAPSHOT_TEXT_FIELDS = [
  "title",
  "summary",
  "description",
  "beneficiaries",
  "beneficiaryCount",
  "startOn",
  "endOn",
] as const;
export type SnapshotTextField = (typeof SNAPSHOT_TEXT_FIELDS)[number];

const FIELD_LABELS: Record<SnapshotTextField, string> = {
  title: "Title",
  summary: "Summary",
  description: "Description",
  beneficiaries: "Who benefits",
  beneficiaryCount: "How many people benefit",
  startOn: "Start date",
  endOn: "End date",
};

type Line = BidSnapshot["budgetLines"][number];

export type BidChange =
  | { kind: "field"; field: SnapshotTextField; label: string; before: string; after: string }
  | { kind: "amount"; before: number | null; after: number | null }
  | { kind: "line-added"; line: Line }
  | { kind: "line-removed"; line: Line }
  | { kind: "line-changed"; before: Line; after: Line }
  | { kind: "ward-added"; ward: { id: number; name: string } }
  | { kind: "ward-removed"; ward: { id: number; name: string } }
  | { kind: "file-added"; file: { id: string; fileName: string } }
  | { kind: "file-removed"; file: { id: string; fileName: string } };

const shown = (value: string | number | null) => (value === null ? "" : String(value));
const key = (description: string) => description.trim().toLowerCase();

function diffLines(before: readonly Line[], after: readonly Line[]): BidChange[] {
  const changes: BidChange[] = [];
  const unmatchedBefore = [...before];
  const unmatchedAfter: Line[] = [];
  for (const line of after) {
    const index = unmatchedBefore.findIndex((b) => key(b.description) === key(line.description));
    if (index === -1) {
      unmatchedAfter.push(line);
      continue;
    }
    const [old] = unmatchedBefore.splice(index, 1);
    if (old!.amountPence !== line.amountPence || old!.description !== line.description)
      changes.push({ kind: "line-changed", before: old!, after: line });
  }
  // A line whose description changed is the same line if it kept its place.
  for (const line of unmatchedAfter) {
    const index = unmatchedBefore.findIndex((b) => b.lineNo === line.lineNo);
    if (index === -1) changes.push({ kind: "line-added", line });
    else changes.push({ kind: "line-changed", before: unmatchedBefore.splice(index, 1)[0]!, after: line });
  }
  for (const line of unmatchedBefore) changes.push({ kind: "line-removed", line });
  return changes;
}

/** The changes from `before` to `after`, in the order of the form. */
export function diffSnapshots(before: BidSnapshot, after: BidSnapshot): BidChange[] {
  const changes: BidChange[] = [];
  for (const field of SNAPSHOT_TEXT_FIELDS.slice(0, 3)) {
    if (shown(before[field]) !== shown(after[field]))
      changes.push({
        kind: "field",
        field,
        label: FIELD_LABELS[field],
        before: shown(before[field]),
        after: shown(after[field]),
      });
  }
  if (before.amountPence !== after.amountPence)
    changes.push({ kind: "amount", before: before.amountPence, after: after.amountPence });
  changes.push(...diffLines(before.budgetLines, after.budgetLines));
  const wardIds = new Set(before.wards.map((w) => w.id));
  const newWardIds = new Set(after.wards.map((w) => w.id));
  for (const ward of after.wards) if (!wardIds.has(ward.id)) changes.push({ kind: "ward-added", ward });
  for (const ward of before.wards) if (!newWardIds.has(ward.id)) changes.push({ kind: "ward-removed", ward });
  for (const field of SNAPSHOT_TEXT_FIELDS.slice(3)) {
    if (shown(before[field]) !== shown(after[field]))
      changes.push({
        kind: "field",
        field,
        label: FIELD_LABELS[field],
        before: shown(before[field]),
        after: shown(after[field]),
      });
  }
  const fileIds = new Set(before.files.map((f) => f.id));
  const newFileIds = new Set(after.files.map((f) => f.id));
  for (const file of after.files) if (!fileIds.has(file.id)) changes.push({ kind: "file-added", file });
  for (const file of before.files) if (!newFileIds.has(file.id)) changes.push({ kind: "file-removed", file });
  return changes;
}

const money = (pence: number | null) => (pence === null ? "nothing" : formatPence(pence));

/** One line of plain English for a change, for the history page. */
export function describeChange(change: BidChange): string {
  switch (change.kind) {
    case "field":
      if (change.before === "") return `${change.label} added: “${change.after}”`;
      if (change.after === "") return `${change.label} removed (was “${change.before}”)`;
      return `${change.label} changed from “${change.before}” to “${change.after}”`;
    case "amount":
      return `Amount requested changed from ${money(change.before)} to ${money(change.after)}`;
    case "line-added":
      return `Budget line added: ${change.line.description}, ${formatPence(change.line.amountPence)}`;
    case "line-removed":
      return `Budget line removed: ${change.line.description}, ${formatPence(change.line.amountPence)}`;
    case "line-changed":
      return change.before.description === change.after.description
        ? `Budget line “${change.after.description}” changed from ${formatPence(change.before.amountPence)} to ` +
            `${formatPence(change.after.amountPence)}`
        : `Budget line “${change.before.description}” (${formatPence(change.before.amountPence)}) became ` +
            `“${change.after.description}” (${formatPence(change.after.amountPence)})`;
    case "ward-added":
      return `Ward added: ${change.ward.name}`;
    case "ward-removed":
      return `Ward removed: ${change.ward.name}`;
    case "file-added":
      return `File added: ${change.file.fileName}`;
    case "file-removed":
      return `File removed: ${change.file.fileName}`;
  }
}
