/**
 * Entry templates: which accounts each entry type may debit and credit, and `validateEntry`.
 *
 * Entries are never free-form. Each type lists one or more shapes; an entry is valid only if its
 * postings fit one shape exactly (every posting's kind is allowed on its side and each kind
 * appears within its count bounds). On top of the shape:
 * - at least 2 and at most MAX_POSTINGS_PER_ENTRY postings, each a positive safe integer of pence,
 *   each account at most once, debits equal to credits;
 * - every grant account in one entry belongs to the same grant;
 * - `reverses` only on REVERSAL; `resolves` exactly where the shape resolves a reservation;
 * - reason / external reference where the template requires them;
 * - a REVERSAL is the exact mirror of its original: same accounts, same amounts, same line order,
 *   every side flipped. It needs the original passed in, because a mirror cannot be checked alone.
 *
 * The table follows the design's entry-template table (ledger reference §2 item 4). Two shapes are
 * worth a note: COMMIT may debit several AVAILABLE accounts (joint funding, split pro rata by the
 * builder) or one EARMARKED account that it resolves, crediting any unneeded part of the earmark
 * back to AVAILABLE in the same entry; BUDGET_ADJUST has an increase shape and its mirror, the
 * decrease.
 */
import { parseAccountKey, grantIdOf, type AccountKind, type AccountRef } from "./accounts";
import { hasLoneSurrogate } from "./canonical-json";
import {
  MAX_POSTINGS_PER_ENTRY,
  TEXT_LIMITS,
  isEntityId,
  isEntryType,
  type EntryDraft,
  type EntryType,
  type Posting,
} from "./entry";
import { issue, throwIfIssues, type LedgerIssue } from "./errors";

interface KindCount {
  kind: AccountKind;
  min: number;
  max: number;
}

interface Shape {
  debits: readonly KindCount[];
  credits: readonly KindCount[];
  resolves: boolean;
}

export interface EntryTemplate {
  type: EntryType;
  shapes: readonly Shape[];
  reasonRequired: boolean;
  externalRefRequired: boolean;
  /** An approval record must exist before the entry is written (checked by `checkApproval`). */
  approvalRequired: boolean;
  /** What the entry records, in one line (shown in docs and error messages). */
  summary: string;
}

const MANY = MAX_POSTINGS_PER_ENTRY;
const one = (kind: AccountKind): KindCount => ({ kind, min: 1, max: 1 });
const some = (kind: AccountKind): KindCount => ({ kind, min: 1, max: MANY });
const any = (kind: AccountKind): KindCount => ({ kind, min: 0, max: MANY });
const shape = (debits: KindCount[], credits: KindCount[], resolves = false): Shape => ({ debits, credits, resolves });

function template(
  type: EntryType,
  summary: string,
  shapes: Shape[],
  flags: { reason?: boolean; externalRef?: boolean; approval?: boolean } = {},
): EntryTemplate {
  return {
    type,
    summary,
    shapes,
    reasonRequired: flags.reason ?? false,
    externalRefRequired: flags.externalRef ?? false,
    approvalRequired: flags.approval ?? false,
  };
}

export const ENTRY_TEMPLATES: Readonly<Record<EntryType, EntryTemplate>> = {
  BUDGET_SET: template("BUDGET_SET", "Funding for a scheme-year is given to one or more budgets.", [
    shape([one("FUNDING")], [some("AVAILABLE")]),
  ]),
  BUDGET_ADJUST: template(
    "BUDGET_ADJUST",
    "A budget is increased from, or decreased back to, its funding.",
    [shape([one("FUNDING")], [some("AVAILABLE")]), shape([some("AVAILABLE")], [one("FUNDING")])],
    { reason: true, approval: true },
  ),
  VIREMENT: template(
    "VIREMENT",
    "Money moves from one budget to another.",
    [shape([one("AVAILABLE")], [one("AVAILABLE")])],
    {
      reason: true,
      approval: true,
    },
  ),
  EARMARK: template("EARMARK", "Budget is reserved for a grant awaiting sign-off.", [
    shape([some("AVAILABLE")], [one("EARMARKED")]),
  ]),
  RELEASE: template("RELEASE", "A reservation is released back to its budgets.", [
    shape([one("EARMARKED")], [some("AVAILABLE")], true),
  ]),
  COMMIT: template(
    "COMMIT",
    "A grant is awarded, from budgets directly or from its reservation.",
    [
      shape([some("AVAILABLE")], [one("COMMITTED")]),
      shape([one("EARMARKED")], [one("COMMITTED"), any("AVAILABLE")], true),
    ],
    { approval: true },
  ),
  DECOMMIT: template(
    "DECOMMIT",
    "An award is withdrawn or reduced before payment.",
    [shape([one("COMMITTED")], [some("AVAILABLE")])],
    {
      reason: true,
    },
  ),
  PAY_REQUEST: template("PAY_REQUEST", "A payment instruction goes to finance.", [
    shape([one("COMMITTED")], [one("PAYABLE")]),
  ]),
  PAY_CONFIRM: template(
    "PAY_CONFIRM",
    "Finance confirms the payment was made.",
    [shape([one("PAYABLE")], [one("PAID")], true)],
    {
      externalRef: true,
    },
  ),
  PAY_FAILED: template(
    "PAY_FAILED",
    "A payment bounced or was rejected.",
    [shape([one("PAYABLE")], [one("COMMITTED")], true)],
    {
      reason: true,
    },
  ),
  CLAWBACK_RAISE: template(
    "CLAWBACK_RAISE",
    "Money paid is demanded back.",
    [shape([one("PAID")], [one("RECOVERABLE")])],
    {
      reason: true,
      externalRef: true,
    },
  ),
  CLAWBACK_RECEIVED: template("CLAWBACK_RECEIVED", "A clawback is received, recycled or returned.", [
    shape([one("RECOVERABLE")], [one("AVAILABLE")]),
    shape([one("RECOVERABLE")], [one("RETURNED")]),
  ]),
  CLAWBACK_WRITE_OFF: template(
    "CLAWBACK_WRITE_OFF",
    "A clawback is written off.",
    [shape([one("RECOVERABLE")], [one("PAID")])],
    {
      reason: true,
      approval: true,
    },
  ),
  LAPSE: template("LAPSE", "Unspent budget lapses at year end.", [shape([some("AVAILABLE")], [one("LAPSED")])], {
    approval: true,
  }),
  CARRY_FORWARD: template(
    "CARRY_FORWARD",
    "Unspent budget carries forward to next year's budget.",
    [shape([one("AVAILABLE")], [one("AVAILABLE")])],
    { approval: true },
  ),
  REVERSAL: template("REVERSAL", "A recording error is undone by the exact mirror of the entry.", [], {
    reason: true,
    approval: true,
  }),
};

/** The original entry a REVERSAL is checked against. */
export interface ReversalOriginal {
  entryId: string;
  postings: readonly Posting[];
}

export interface ValidateEntryContext {
  /** Required when validating a REVERSAL. */
  original?: ReversalOriginal | null;
}

const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
const CONTROL_CHARACTERS_EXCEPT_LAYOUT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function checkText(field: "memo" | "reason" | "externalRef", text: string | null): LedgerIssue[] {
  if (text === null) return [];
  if (typeof text !== "string") return [issue("INVALID_TEXT", `${field} must be text or null`)];
  const forbidden = field === "memo" ? CONTROL_CHARACTERS_EXCEPT_LAYOUT : CONTROL_CHARACTERS;
  if (hasLoneSurrogate(text) || forbidden.test(text))
    return [issue("INVALID_TEXT", `${field} contains characters that cannot be stored`)];
  if (text !== text.normalize("NFC")) return [issue("INVALID_TEXT", `${field} is not NFC-normalised`)];
  if (text.length > TEXT_LIMITS[field])
    return [issue("TEXT_TOO_LONG", `${field} is longer than ${TEXT_LIMITS[field]} characters`)];
  return [];
}

function isBlank(text: string | null): boolean {
  return text === null || text.trim() === "";
}

function checkPosting(posting: Posting, lineNo: number): LedgerIssue[] {
  const issues: LedgerIssue[] = [];
  if (parseAccountKey(posting?.account) === null) {
    issues.push(
      issue("INVALID_ACCOUNT", `line ${lineNo}: ${JSON.stringify(posting?.account)} is not an account key`, lineNo),
    );
  }
  if (posting?.dc !== "D" && posting?.dc !== "C")
    issues.push(issue("INVALID_DC", `line ${lineNo}: dc must be "D" or "C"`, lineNo));
  if (!(Number.isSafeInteger(posting?.pence) && posting.pence > 0)) {
    issues.push(
      issue(
        "INVALID_AMOUNT",
        `line ${lineNo}: pence must be a positive whole number, got ${String(posting?.pence)}`,
        lineNo,
      ),
    );
  }
  return issues;
}

/** Checks count, each line, repeats and balance. Returns parsed refs when every line is well formed. */
function checkPostings(postings: readonly Posting[]): { issues: LedgerIssue[]; refs: AccountRef[] | null } {
  if (!Array.isArray(postings)) return { issues: [issue("TOO_FEW_POSTINGS", "postings must be a list")], refs: null };
  const issues: LedgerIssue[] = [];
  if (postings.length < 2)
    issues.push(issue("TOO_FEW_POSTINGS", `an entry needs at least 2 postings, got ${postings.length}`));
  if (postings.length > MAX_POSTINGS_PER_ENTRY) {
    issues.push(issue("TOO_MANY_POSTINGS", `an entry may have at most ${MAX_POSTINGS_PER_ENTRY} postings`));
    return { issues, refs: null };
  }
  const lineIssues = postings.flatMap((posting, index) => checkPosting(posting, index + 1));
  issues.push(...lineIssues);
  if (lineIssues.length > 0) return { issues, refs: null };

  const seen = new Set<string>();
  postings.forEach((posting, index) => {
    if (seen.has(posting.account))
      issues.push(issue("ACCOUNT_REPEATED", `line ${index + 1}: ${posting.account} appears twice`, index + 1));
    seen.add(posting.account);
  });
  const debits = postings.reduce((sum, p) => sum + (p.dc === "D" ? p.pence : 0), 0);
  const credits = postings.reduce((sum, p) => sum + (p.dc === "C" ? p.pence : 0), 0);
  if (!Number.isSafeInteger(debits) || !Number.isSafeInteger(credits) || debits !== credits) {
    issues.push(issue("UNBALANCED", `debits ${debits} do not equal credits ${credits}`));
  }
  return { issues, refs: postings.map((posting) => parseAccountKey(posting.account)!) };
}

function sideFits(kinds: readonly AccountKind[], rules: readonly KindCount[]): boolean {
  if (!kinds.every((kind) => rules.some((rule) => rule.kind === kind))) return false;
  return rules.every((rule) => {
    const count = kinds.filter((kind) => kind === rule.kind).length;
    return count >= rule.min && count <= rule.max;
  });
}

function describeShape(s: Shape): string {
  const side = (rules: readonly KindCount[]) =>
    rules
      .map((r) => (r.min === 1 && r.max === 1 ? r.kind : `${r.kind}×${r.min}..${r.max === MANY ? "n" : r.max}`))
      .join(" + ");
  return `debit ${side(s.debits)}, credit ${side(s.credits)}`;
}

function matchShape(template: EntryTemplate, postings: readonly Posting[], refs: readonly AccountRef[]): Shape | null {
  const debitKinds = refs.filter((_, i) => postings[i]!.dc === "D").map((ref) => ref.kind);
  const creditKinds = refs.filter((_, i) => postings[i]!.dc === "C").map((ref) => ref.kind);
  return template.shapes.find((s) => sideFits(debitKinds, s.debits) && sideFits(creditKinds, s.credits)) ?? null;
}

function checkSingleGrant(refs: readonly AccountRef[]): LedgerIssue[] {
  const grants = new Set(refs.map(grantIdOf).filter((id): id is string => id !== null));
  return grants.size > 1
    ? [issue("GRANT_MISMATCH", `grant accounts in one entry must share a grant, got ${[...grants].join(", ")}`)]
    : [];
}

function checkMirror(postings: readonly Posting[], original: ReversalOriginal): LedgerIssue[] {
  const mirrors =
    postings.length === original.postings.length &&
    postings.every((posting, index) => {
      const source = original.postings[index]!;
      return posting.account === source.account && posting.pence === source.pence && posting.dc !== source.dc;
    });
  return mirrors ? [] : [issue("NOT_A_MIRROR", `postings are not the exact mirror of entry ${original.entryId}`)];
}

function checkLinks(draft: EntryDraft, context: ValidateEntryContext): LedgerIssue[] {
  const issues: LedgerIssue[] = [];
  for (const field of ["reverses", "resolves"] as const) {
    const value = draft[field];
    if (value !== null && !isEntityId(value)) issues.push(issue("INVALID_ID", `${field} is not a valid entry id`));
  }
  if (draft.type !== "REVERSAL") {
    if (draft.reverses !== null) issues.push(issue("REVERSES_NOT_ALLOWED", `only a REVERSAL may reverse an entry`));
    return issues;
  }
  if (draft.reverses === null) issues.push(issue("REVERSES_REQUIRED", "a REVERSAL must name the entry it reverses"));
  if (draft.resolves !== null) issues.push(issue("RESOLVES_NOT_ALLOWED", "a REVERSAL does not resolve a reservation"));
  const original = context.original;
  if (!original) {
    issues.push(issue("ORIGINAL_REQUIRED", "a REVERSAL can only be checked against its original entry"));
  } else if (draft.reverses !== null && draft.reverses !== original.entryId) {
    issues.push(issue("NOT_A_MIRROR", `reverses ${draft.reverses} but was checked against ${original.entryId}`));
  }
  return issues;
}

function checkRequiredFields(template: EntryTemplate, draft: EntryDraft): LedgerIssue[] {
  const issues: LedgerIssue[] = [];
  if (template.reasonRequired && isBlank(draft.reason))
    issues.push(issue("REASON_REQUIRED", `${draft.type} needs a reason`));
  if (template.externalRefRequired && isBlank(draft.externalRef)) {
    issues.push(
      issue(
        "EXTERNAL_REF_REQUIRED",
        `${draft.type} needs an external reference ` +
          `(${draft.type === "PAY_CONFIRM" ? "the payment reference" : "the debtor invoice"})`,
      ),
    );
  }
  return issues;
}

function checkShape(template: EntryTemplate, draft: EntryDraft, refs: readonly AccountRef[]): LedgerIssue[] {
  const matched = matchShape(template, draft.postings, refs);
  if (!matched) {
    const allowed = template.shapes.map(describeShape).join("; or ");
    return [issue("POSTINGS_DO_NOT_FIT_TEMPLATE", `${draft.type} must ${allowed}`)];
  }
  if (matched.resolves && draft.resolves === null)
    return [issue("RESOLVES_REQUIRED", `${draft.type} must name the reservation it resolves`)];
  if (!matched.resolves && draft.resolves !== null)
    return [issue("RESOLVES_NOT_ALLOWED", `this ${draft.type} does not resolve a reservation`)];
  return [];
}

/**
 * Checks an entry against its template. Returns every issue found; an empty list means valid.
 * A REVERSAL needs `context.original`.
 */
export function validateEntry(draft: EntryDraft, context: ValidateEntryContext = {}): LedgerIssue[] {
  if (!isEntryType(draft?.type))
    return [issue("UNKNOWN_ENTRY_TYPE", `unknown entry type ${JSON.stringify(draft?.type)}`)];
  const template = ENTRY_TEMPLATES[draft.type];
  const { issues, refs } = checkPostings(draft.postings);
  issues.push(
    ...checkText("memo", draft.memo),
    ...checkText("reason", draft.reason),
    ...checkText("externalRef", draft.externalRef),
  );
  issues.push(...checkLinks(draft, context), ...checkRequiredFields(template, draft));
  if (refs === null) return issues;
  issues.push(...checkSingleGrant(refs));
  if (draft.type === "REVERSAL") {
    if (context.original) issues.push(...checkMirror(draft.postings, context.original));
  } else {
    issues.push(...checkShape(template, draft, refs));
  }
  return issues;
}

/** Like `validateEntry`, but throws a `LedgerError` carrying every issue. */
export function assertValidEntry(draft: EntryDraft, context: ValidateEntryContext = {}): void {
  throwIfIssues(validateEntry(draft, context));
}
