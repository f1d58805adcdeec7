#!/usr/bin/env node
/**
 * Standalone verifier for a Wardfund audit pack (an unpacked directory).
 *
 *   node scripts/verify-audit-pack.mjs [--expect-head HASH | --expect-head SEQ:HASH]... DIR
 *
 * Plain Node.js with node: built-ins only, and deliberately no imports from the app: an auditor
 * can copy this one file and run it, and it is a second, independent reading of the format in
 * app/core/ledger/VERIFY.md. It checks, in order, stopping at the first failure:
 *   1. manifest: SHA-256 and size of every listed file; every required file listed;
 *   2. ledger_log.jsonl: seq runs 1..N with no gaps;
 *   3. each hash recomputes from prev_hash and the stored payload (CGL-v1), prev_hash links, the
 *      payload is canonical JSON with exactly the v1 keys, its own seq, the manifest's ledger;
 *   4. the last line equals the manifest head; every checkpoint in checkpoints.csv, and every
 *      --expect-head given on the command line, matches the log (a head beyond the end, or not in
 *      the log, means truncation or a rewrite);
 *   5. postings balance per entry; no non-negative account ever goes below zero; accumulated
 *      postings equal trial_balance.csv and total zero;
 *   6. entries.csv and postings.csv match the payloads field by field;
 *   7. entry ids are unique; reversals mirror their originals; no reverses or resolves target repeats.
 * Exit 0 prints a summary ending in OK. A failure prints "FAIL seq N: …" (or the file at fault) to
 * stderr and exits 1. Bad arguments or an unreadable directory exit 2.
 *
 * Without an independently received head, a pack rebuilt from a truncated or fully recomputed
 * ledger passes: that is a property of any self-contained hash chain, and why --expect-head exists.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const GENESIS_HASH = "0".repeat(64);
const HASH_RULE = "CGL-v1";
const REQUIRED_FILES = [
  "ledger_log.jsonl",
  "entries.csv",
  "postings.csv",
  "trial_balance.csv",
  "checkpoints.csv",
  "VERIFY.md",
];
const PAYLOAD_KEYS = [
  "actor",
  "approval",
  "effective_date",
  "entry_id",
  "external_ref",
  "fy",
  "idempotency_key_sha256",
  "ledger",
  "memo",
  "postings",
  "reason",
  "recorded_at",
  "resolves",
  "reverses",
  "seq",
  "type",
  "v",
];
const ENTRY_TYPES = [
  "BUDGET_SET",
  "BUDGET_ADJUST",
  "VIREMENT",
  "EARMARK",
  "RELEASE",
  "COMMIT",
  "DECOMMIT",
  "PAY_REQUEST",
  "PAY_CONFIRM",
  "PAY_FAILED",
  "CLAWBACK_RAISE",
  "CLAWBACK_RECEIVED",
  "CLAWBACK_WRITE_OFF",
  "LAPSE",
  "CARRY_FORWARD",
  "REVERSAL",
];
const ACCOUNT_KINDS = [
  "FUNDING",
  "AVAILABLE",
  "EARMARKED",
  "COMMITTED",
  "PAYABLE",
  "PAID",
  "RECOVERABLE",
  "RETURNED",
  "LAPSED",
];
const RESOLVES_TYPE = { RELEASE: "EARMARK", COMMIT: "EARMARK", PAY_CONFIRM: "PAY_REQUEST", PAY_FAILED: "PAY_REQUEST" };
const ENTRIES_COLUMNS = [
  "seq",
  "entry_id",
  "type",
  "fy",
  "period",
  "effective_date",
  "recorded_at",
  "actor",
  "approval",
  "reverses",
  "resolves",
  "reason",
  "external_ref",
  "memo",
  "idempotency_key_sha256",
  "posting_count",
  "amount_pence",
  "amount",
  "hash",
];
const PROTECTED_ENTRY_COLUMNS = new Set(["reason", "external_ref", "memo"]);
const POSTINGS_COLUMNS = ["seq", "entry_id", "line_no", "account", "account_kind", "dc", "pence", "amount"];
const TRIAL_BALANCE_COLUMNS = [
  "account",
  "account_kind",
  "normal_side",
  "debits_pence",
  "credits_pence",
  "net_pence",
  "balance_pence",
  "balance",
];
const CHECKPOINT_COLUMNS = ["seq", "hash", "created_at", "reason"];

const HEX64 = /^[0-9a-f]{64}$/;
const ENTITY_ID = /^[A-Za-z0-9._-]{1,128}$/;
const ACCOUNT_ID = /^[A-Za-z0-9._-]{1,64}$/;
const RECORDED_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A verification failure: `where` is "seq N" or a file name. */
class Failure extends Error {
  constructor(where, message) {
    super(message);
    this.where = where;
  }
}

const atSeq = (seq, message) => new Failure(`seq ${seq}`, message);
const inFile = (file, message) => new Failure(file, message);

// ---------------------------------------------------------------------------------------------
// Small pure helpers

function sha256Hex(data) {
  return createHash("sha256").update(data).digest("hex");
}

function isPlainObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function sameKeys(object, keys) {
  return Object.keys(object).sort().join(",") === [...keys].sort().join(",");
}

/** RFC 8785 serialisation for the payload subset: strings, safe integers, null, arrays, objects. */
function canonicalJson(value) {
  if (value === null) return "null";
  if (typeof value === "string") {
    if (LONE_SURROGATE.test(value)) throw new Error("a string holds a lone surrogate");
    return JSON.stringify(value.normalize("NFC"));
  }
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new Error(`the number ${value} is not a safe integer`);
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isPlainObject(value)) {
    const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${keys.map((key) => `${canonicalJson(key)}:${canonicalJson(value[key])}`).join(",")}}`;
  }
  throw new Error(`a ${typeof value} is not allowed`);
}

function isIsoDate(text) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text ?? "");
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

function financialYearOf(date) {
  const [year, month] = date.split("-").map(Number);
  const start = month >= 4 ? year : year - 1;
  return `${start}/${String((start + 1) % 100).padStart(2, "0")}`;
}

function periodOf(date) {
  return ((Number(date.slice(5, 7)) + 8) % 12) + 1;
}

/** Pence as pounds with 2 decimal places, no separators: 150050 → "1500.50", -5 → "-0.05". */
function poundsOf(pence) {
  const magnitude = Math.abs(pence);
  const pounds = Math.trunc(magnitude / 100);
  return `${pence < 0 ? "-" : ""}${pounds}.${String(magnitude - pounds * 100).padStart(2, "0")}`;
}

function accountKindOf(account) {
  if (typeof account !== "string") return null;
  const parts = account.split(":");
  const kind = parts[0];
  if (!ACCOUNT_KINDS.includes(kind) || !ACCOUNT_ID.test(parts[1] ?? "")) return null;
  const keyedByYear = kind === "FUNDING" || kind === "RETURNED" || kind === "LAPSED";
  if (keyedByYear) return parts.length === 3 && /^\d{4}\/\d{2}$/.test(parts[2]) ? kind : null;
  return parts.length === 2 ? kind : null;
}

/** RFC 4180 reader: quoted fields with embedded commas, quotes and line breaks; optional BOM. */
function parseCsv(text, file) {
  const records = [];
  let record = [];
  let field = "";
  let quoted = false;
  let fieldStarted = false;
  let i = text.startsWith("\uFEFF") ? 1 : 0;
  const endField = () => {
    record.push(field);
    field = "";
    fieldStarted = false;
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  for (; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char !== '"') field += char;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else {
        quoted = false;
        const next = text[i + 1];
        if (next !== undefined && next !== "," && next !== "\r" && next !== "\n") {
          throw inFile(file, `record ${records.length + 1}: text after a closing quote`);
        }
      }
    } else if (char === '"') {
      if (fieldStarted || field !== "")
        throw inFile(file, `record ${records.length + 1}: a quote inside an unquoted field`);
      quoted = true;
      fieldStarted = true;
    } else if (char === ",") endField();
    else if (char === "\r" && text[i + 1] === "\n") {
      endRecord();
      i++;
    } else if (char === "\n") endRecord();
    else field += char;
  }
  if (quoted) throw inFile(file, "a quoted field is never closed");
  if (field !== "" || record.length > 0 || fieldStarted) endRecord();
  return records;
}

/** Reads a CSV file with a known header into objects keyed by column. */
function readCsv(dir, file, columns) {
  const records = parseCsv(readFileSync(join(dir, file), "utf8"), file);
  const header = records.shift();
  if (!header || header.join(",") !== columns.join(",")) throw inFile(file, `the header must be ${columns.join(",")}`);
  return records.map((record, index) => {
    if (record.length !== columns.length)
      throw inFile(file, `row ${index + 1} has ${record.length} fields, expected ${columns.length}`);
    return Object.fromEntries(columns.map((column, c) => [column, record[c]]));
  });
}

/**
 * The formula guard on descriptive text cells: one single quote before =, +, -, @, tab, CR or a
 * single quote (core/exports guardText). Undone exactly by removing one leading quote, so a
 * guarded cell is read back as the payload's text and compared with it.
 */
const unguard = (cell) => (cell.startsWith("'") ? cell.slice(1) : cell);
const guarded = (text) => /^[=+\-@\t\r']/.test(text);
/** The cell read back as text: the guard undone, and refused if the guard is missing or extra. */
function readGuarded(cell) {
  const text = unguard(cell);
  return cell.startsWith("'") === guarded(text) ? text : null;
}

// ---------------------------------------------------------------------------------------------
// Step 1: manifest and file hashes

function readManifest(dir) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  } catch (error) {
    throw inFile("manifest.json", `cannot be read as JSON (${error.message})`);
  }
  const expect = (ok, message) => {
    if (!ok) throw inFile("manifest.json", message);
  };
  expect(isPlainObject(manifest), "is not a JSON object");
  expect(
    manifest.format === "wardfund-audit-pack" && manifest.format_version === 1,
    "is not a version 1 Wardfund audit pack manifest",
  );
  expect(
    manifest.hash_rule === HASH_RULE && manifest.payload_version === 1,
    `hash_rule must be ${HASH_RULE} and payload_version 1`,
  );
  expect(typeof manifest.ledger === "string" && manifest.ledger !== "", "ledger is missing");
  expect(
    isPlainObject(manifest.head) && Number.isSafeInteger(manifest.head.seq) && HEX64.test(manifest.head.hash ?? ""),
    "head must be {seq, hash}",
  );
  expect(Array.isArray(manifest.files), "files must be a list");
  return manifest;
}

function checkFiles(dir, manifest) {
  const listed = new Set();
  for (const entry of manifest.files) {
    const name = entry?.name;
    if (typeof name !== "string" || !/^[A-Za-z0-9._-]+$/.test(name) || name === "manifest.json" || listed.has(name)) {
      throw inFile("manifest.json", `bad file entry ${JSON.stringify(name)}`);
    }
    listed.add(name);
    const path = join(dir, name);
    if (!existsSync(path)) throw inFile(name, "is listed in the manifest but missing");
    const bytes = readFileSync(path);
    if (sha256Hex(bytes) !== entry.sha256) throw inFile(name, "SHA-256 does not match the manifest");
    if (bytes.length !== entry.bytes)
      throw inFile(name, `size ${bytes.length} does not match the manifest (${entry.bytes})`);
  }
  for (const name of REQUIRED_FILES) if (!listed.has(name)) throw inFile("manifest.json", `does not list ${name}`);
}

// ---------------------------------------------------------------------------------------------
// Steps 2 and 3: sequence, chain, payloads

function readLogLines(dir) {
  const text = readFileSync(join(dir, "ledger_log.jsonl"), "utf8");
  if (text === "") return [];
  if (!text.endsWith("\n")) throw inFile("ledger_log.jsonl", "the last line does not end with a line feed");
  return text.slice(0, -1).split("\n");
}

function parseLogLine(line, n) {
  let row;
  try {
    row = JSON.parse(line);
  } catch {
    throw atSeq(n, `line ${n} of ledger_log.jsonl is not JSON`);
  }
  if (!isPlainObject(row) || !sameKeys(row, ["seq", "prev_hash", "hash", "payload"])) {
    throw atSeq(n, `line ${n} must have exactly seq, prev_hash, hash, payload`);
  }
  if (row.seq !== n)
    throw atSeq(n, `line ${n} has seq ${JSON.stringify(row.seq)}: seq must run 1..N with no gaps or reordering`);
  if (!HEX64.test(row.prev_hash ?? "") || !HEX64.test(row.hash ?? "") || typeof row.payload !== "string") {
    throw atSeq(n, "prev_hash and hash must be 64 lowercase hex and payload a string");
  }
  return row;
}

function checkPayloadFields(p, seq, ledger) {
  const fail = (message) => {
    throw atSeq(seq, `payload ${message}`);
  };
  if (!isPlainObject(p) || !sameKeys(p, PAYLOAD_KEYS)) fail(`must have exactly the keys ${PAYLOAD_KEYS.join(", ")}`);
  if (p.v !== 1) fail("v must be 1");
  if (p.seq !== seq) fail(`says seq ${JSON.stringify(p.seq)}`);
  if (p.ledger !== ledger) fail(`ledger ${JSON.stringify(p.ledger)} is not the manifest's ledger`);
  if (!ENTITY_ID.test(p.entry_id ?? "")) fail("entry_id is not a valid id");
  if (!ENTRY_TYPES.includes(p.type)) fail(`type ${JSON.stringify(p.type)} is unknown`);
  if (!isIsoDate(p.effective_date)) fail("effective_date must be a YYYY-MM-DD date");
  if (p.fy !== financialYearOf(p.effective_date))
    fail(`fy ${JSON.stringify(p.fy)} is not the financial year of ${p.effective_date}`);
  if (
    !RECORDED_AT.test(p.recorded_at ?? "") ||
    Number.isNaN(Date.parse(p.recorded_at)) ||
    new Date(p.recorded_at).toISOString() !== p.recorded_at
  ) {
    fail("recorded_at must be YYYY-MM-DDTHH:mm:ss.sssZ");
  }
  if (!ENTITY_ID.test(p.actor ?? "")) fail("actor is not a valid id");
  for (const key of ["approval", "reverses", "resolves"])
    if (p[key] !== null && !ENTITY_ID.test(p[key] ?? "")) fail(`${key} must be an id or null`);
  for (const key of ["reason", "external_ref", "memo"])
    if (p[key] !== null && typeof p[key] !== "string") fail(`${key} must be text or null`);
  if (!HEX64.test(p.idempotency_key_sha256 ?? "")) fail("idempotency_key_sha256 must be 64 lowercase hex");
  if (!Array.isArray(p.postings)) fail("postings must be a list");
  p.postings.forEach((posting, index) => {
    const ok =
      isPlainObject(posting) &&
      sameKeys(posting, ["account", "dc", "pence"]) &&
      accountKindOf(posting.account) !== null &&
      (posting.dc === "D" || posting.dc === "C") &&
      Number.isSafeInteger(posting.pence) &&
      posting.pence > 0;
    if (!ok) fail(`posting ${index + 1} must be {account, dc, pence} with a valid account and positive whole pence`);
  });
}

/** Verifies seq, links, hashes and payloads; returns the parsed entries in seq order. */
function verifyChain(lines, ledger) {
  const entries = [];
  let prevHash = GENESIS_HASH;
  lines.forEach((line, index) => {
    const seq = index + 1;
    const row = parseLogLine(line, seq);
    if (row.prev_hash !== prevHash) throw atSeq(seq, `prev_hash does not equal the hash of seq ${seq - 1}`);
    const hash = sha256Hex(Buffer.from(`${HASH_RULE}\n${prevHash}\n${row.payload}`, "utf8"));
    if (hash !== row.hash)
      throw atSeq(seq, "hash does not match prev_hash and payload (the payload or hash was altered)");
    let payload;
    try {
      payload = JSON.parse(row.payload);
    } catch {
      throw atSeq(seq, "payload is not JSON");
    }
    let canonical;
    try {
      canonical = canonicalJson(payload);
    } catch (error) {
      throw atSeq(seq, `payload is not canonical: ${error.message}`);
    }
    if (canonical !== row.payload) throw atSeq(seq, "payload is not in canonical form");
    checkPayloadFields(payload, seq, ledger);
    entries.push({ seq, hash: row.hash, payload });
    prevHash = row.hash;
  });
  return entries;
}

// ---------------------------------------------------------------------------------------------
// Step 4: head, checkpoints, independently received heads

function hashAtSeq(entries, seq) {
  return seq === 0 ? GENESIS_HASH : entries[seq - 1]?.hash;
}

function checkHead(entries, manifest) {
  const last = entries.length;
  if (manifest.entry_count !== last)
    throw inFile("manifest.json", `entry_count ${manifest.entry_count} but the log has ${last} entries`);
  if (manifest.head.seq !== last || manifest.head.hash !== hashAtSeq(entries, last)) {
    throw atSeq(
      Math.min(manifest.head.seq, last + 1),
      `the log ends at seq ${last}, but the manifest head is seq ${manifest.head.seq} ${manifest.head.hash}`,
    );
  }
}

function checkKnownHead(entries, head, source) {
  const last = entries.length;
  if (head.seq === null) {
    if (head.hash === GENESIS_HASH) return 0;
    const index = entries.findIndex((entry) => entry.hash === head.hash);
    if (index < 0) throw atSeq(last + 1, `${source} ${head.hash} is not in the log: it was truncated or rewritten`);
    return index + 1;
  }
  if (head.seq > last)
    throw atSeq(
      last + 1,
      `${source} at seq ${head.seq} is beyond the end of the log (seq ${last}): the log was truncated`,
    );
  if (hashAtSeq(entries, head.seq) !== head.hash)
    throw atSeq(head.seq, `hash differs from ${source} at seq ${head.seq}: the log was rewritten`);
  return head.seq;
}

function checkCheckpoints(dir, entries) {
  const rows = readCsv(dir, "checkpoints.csv", CHECKPOINT_COLUMNS);
  rows.forEach((row, index) => {
    if (!/^\d+$/.test(row.seq) || !HEX64.test(row.hash))
      throw inFile("checkpoints.csv", `row ${index + 1} must have a whole seq and a 64-hex hash`);
    checkKnownHead(entries, { seq: Number(row.seq), hash: row.hash }, "checkpoint");
  });
  return rows.length;
}

// ---------------------------------------------------------------------------------------------
// Step 5: balances and trial balance

function checkBalances(dir, entries) {
  const totals = new Map();
  for (const { seq, payload } of entries) {
    if (payload.postings.length < 2) throw atSeq(seq, "an entry needs at least 2 postings");
    const accounts = new Set(payload.postings.map((p) => p.account));
    if (accounts.size !== payload.postings.length) throw atSeq(seq, "an account appears twice in one entry");
    let debits = 0;
    let credits = 0;
    for (const { account, dc, pence } of payload.postings) {
      const t = totals.get(account) ?? { debits: 0, credits: 0 };
      if (dc === "D") {
        t.debits += pence;
        debits += pence;
      } else {
        t.credits += pence;
        credits += pence;
      }
      if (!Number.isSafeInteger(t.debits) || !Number.isSafeInteger(t.credits))
        throw atSeq(seq, `${account} totals overflow`);
      totals.set(account, t);
    }
    if (debits !== credits) throw atSeq(seq, `postings do not balance: debits ${debits}, credits ${credits}`);
    for (const account of accounts) {
      const t = totals.get(account);
      if (accountKindOf(account) !== "FUNDING" && t.credits - t.debits < 0) {
        throw atSeq(
          seq,
          `${account} falls below zero (${t.credits - t.debits}p), which a non-negative account may never do`,
        );
      }
    }
  }
  compareTrialBalance(readCsv(dir, "trial_balance.csv", TRIAL_BALANCE_COLUMNS), totals);
}

function compareTrialBalance(rows, totals) {
  const accounts = [...totals.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let net = 0;
  accounts.forEach((account, index) => {
    const t = totals.get(account);
    const kind = accountKindOf(account);
    const balance = kind === "FUNDING" ? t.debits - t.credits : t.credits - t.debits;
    const expected = {
      account,
      account_kind: kind,
      normal_side: kind === "FUNDING" ? "D" : "C",
      debits_pence: String(t.debits),
      credits_pence: String(t.credits),
      net_pence: String(t.debits - t.credits),
      balance_pence: String(balance),
      balance: poundsOf(balance),
    };
    const row = rows[index];
    if (!row) throw inFile("trial_balance.csv", `has no row for ${account}`);
    for (const column of TRIAL_BALANCE_COLUMNS) {
      if (row[column] !== expected[column]) {
        throw inFile(
          "trial_balance.csv",
          `row ${index + 1} (${row.account}): ${column} is ${JSON.stringify(row[column])}, the postings give ` +
            `${JSON.stringify(expected[column])}`,
        );
      }
    }
    net += t.debits - t.credits;
  });
  if (rows.length !== accounts.length)
    throw inFile("trial_balance.csv", `has ${rows.length} rows, the postings touch ${accounts.length} accounts`);
  if (net !== 0) throw inFile("trial_balance.csv", `net total is ${net}, not 0`);
}

// ---------------------------------------------------------------------------------------------
// Step 6: entries.csv and postings.csv against the payloads

function expectedEntryCells(entry) {
  const p = entry.payload;
  const amount = p.postings.filter((x) => x.dc === "D").reduce((sum, x) => sum + x.pence, 0);
  return {
    seq: String(p.seq),
    entry_id: p.entry_id,
    type: p.type,
    fy: p.fy,
    period: String(periodOf(p.effective_date)),
    effective_date: p.effective_date,
    recorded_at: p.recorded_at,
    actor: p.actor,
    approval: p.approval ?? "",
    reverses: p.reverses ?? "",
    resolves: p.resolves ?? "",
    reason: p.reason ?? "",
    external_ref: p.external_ref ?? "",
    memo: p.memo ?? "",
    idempotency_key_sha256: p.idempotency_key_sha256,
    posting_count: String(p.postings.length),
    amount_pence: String(amount),
    amount: poundsOf(amount),
    hash: entry.hash,
  };
}

function checkEntriesCsv(dir, entries) {
  const rows = readCsv(dir, "entries.csv", ENTRIES_COLUMNS);
  entries.forEach((entry, index) => {
    const row = rows[index];
    if (!row) throw atSeq(entry.seq, "entries.csv has no row for this entry");
    const expected = expectedEntryCells(entry);
    for (const column of ENTRIES_COLUMNS) {
      const read = PROTECTED_ENTRY_COLUMNS.has(column) ? readGuarded(row[column]) : row[column];
      if (read !== expected[column]) {
        throw atSeq(
          entry.seq,
          `entries.csv column ${column} is ${JSON.stringify(row[column])}, the payload gives ` +
            `${JSON.stringify(expected[column])}`,
        );
      }
    }
  });
  if (rows.length > entries.length)
    throw atSeq(entries.length + 1, `entries.csv has ${rows.length} rows for ${entries.length} entries`);
}

function checkPostingsCsv(dir, entries) {
  const rows = readCsv(dir, "postings.csv", POSTINGS_COLUMNS);
  let r = 0;
  for (const { seq, payload } of entries) {
    payload.postings.forEach((posting, index) => {
      const row = rows[r++];
      if (!row) throw atSeq(seq, `postings.csv has no row for line ${index + 1}`);
      const expected = {
        seq: String(seq),
        entry_id: payload.entry_id,
        line_no: String(index + 1),
        account: posting.account,
        account_kind: accountKindOf(posting.account),
        dc: posting.dc,
        pence: String(posting.pence),
        amount: poundsOf(posting.pence),
      };
      for (const column of POSTINGS_COLUMNS) {
        if (row[column] !== expected[column]) {
          throw atSeq(
            seq,
            `postings.csv line ${index + 1} column ${column} is ${JSON.stringify(row[column])}, the payload says ` +
              `${JSON.stringify(expected[column])}`,
          );
        }
      }
    });
  }
  if (r !== rows.length) throw atSeq(entries.length + 1, `postings.csv has ${rows.length} rows for ${r} postings`);
}

// ---------------------------------------------------------------------------------------------
// Step 7: reversals and resolutions

function isMirror(postings, original) {
  return (
    postings.length === original.length &&
    postings.every(
      (p, i) => p.account === original[i].account && p.pence === original[i].pence && p.dc !== original[i].dc,
    )
  );
}

function checkLinks(entries) {
  const byId = new Map();
  const reversed = new Set();
  const resolved = new Set();
  for (const { seq, payload: p } of entries) {
    if (byId.has(p.entry_id))
      throw atSeq(seq, `entry_id ${p.entry_id} was already used at seq ${byId.get(p.entry_id).seq}`);
    if (p.type === "REVERSAL") {
      const original = byId.get(p.reverses);
      if (p.reverses === null) throw atSeq(seq, "a REVERSAL must name the entry it reverses");
      if (!original) throw atSeq(seq, `reverses ${p.reverses}, which is not an earlier entry`);
      if (original.type === "REVERSAL") throw atSeq(seq, `reverses ${p.reverses}, which is itself a reversal`);
      if (reversed.has(p.reverses)) throw atSeq(seq, `reverses ${p.reverses}, which was already reversed`);
      if (!isMirror(p.postings, original.postings))
        throw atSeq(seq, `postings are not the exact mirror of ${p.reverses} (seq ${original.seq})`);
      reversed.add(p.reverses);
    } else if (p.reverses !== null) {
      throw atSeq(seq, `only a REVERSAL may reverse an entry, but this ${p.type} names ${p.reverses}`);
    }
    if (p.resolves !== null) {
      const target = byId.get(p.resolves);
      const wanted = RESOLVES_TYPE[p.type];
      if (wanted === undefined) throw atSeq(seq, `a ${p.type} cannot resolve a reservation`);
      if (!target || target.type !== wanted)
        throw atSeq(seq, `resolves ${p.resolves}, which is not an earlier ${wanted}`);
      if (resolved.has(p.resolves)) throw atSeq(seq, `resolves ${p.resolves}, which was already resolved`);
      resolved.add(p.resolves);
    }
    byId.set(p.entry_id, { seq, type: p.type, postings: p.postings });
  }
}

// ---------------------------------------------------------------------------------------------
// Command line

function parseArguments(argv) {
  const expectedHeads = [];
  const positional = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--expect-head") {
      const value = argv[++i] ?? "";
      const match = /^(?:(\d+):)?([0-9a-f]{64})$/.exec(value.trim().toLowerCase());
      if (!match) throw new Error(`--expect-head needs HASH or SEQ:HASH (64 hex), got ${JSON.stringify(value)}`);
      expectedHeads.push({ seq: match[1] === undefined ? null : Number(match[1]), hash: match[2] });
    } else if (arg === "-h" || arg === "--help") {
      return { help: true };
    } else if (arg.startsWith("-")) {
      throw new Error(`unknown option ${arg}`);
    } else positional.push(arg);
  }
  if (positional.length !== 1) throw new Error("give exactly one audit pack directory");
  return { dir: positional[0], expectedHeads };
}

const USAGE = "usage: node scripts/verify-audit-pack.mjs [--expect-head HASH | --expect-head SEQ:HASH]... DIR";

/** Runs every check; returns the summary lines, or throws the first Failure. */
export function verifyAuditPack(dir, expectedHeads = []) {
  const manifest = readManifest(dir);
  checkFiles(dir, manifest);
  const entries = verifyChain(readLogLines(dir), manifest.ledger);
  checkHead(entries, manifest);
  const checkpointCount = checkCheckpoints(dir, entries);
  const matchedHeads = expectedHeads.map((head) => checkKnownHead(entries, head, "the expected head"));
  checkBalances(dir, entries);
  checkEntriesCsv(dir, entries);
  checkPostingsCsv(dir, entries);
  checkLinks(entries);
  const head = { seq: entries.length, hash: hashAtSeq(entries, entries.length) };
  const independent =
    matchedHeads.length === 0
      ? "none given (truncation or a full rewrite cannot be ruled out without one)"
      : matchedHeads.map((seq) => `seq ${seq} matched`).join(", ");
  return [
    `ledger:      ${manifest.ledger}`,
    `entries:     ${entries.length}`,
    `head seq:    ${head.seq}`,
    `head hash:   ${head.hash}`,
    `checkpoints: ${checkpointCount} matched`,
    `independent heads: ${independent}`,
    "OK",
  ];
}

function main() {
  let options;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!existsSync(options.dir) || !statSync(options.dir).isDirectory()) {
    process.stderr.write(`not a directory: ${options.dir}\n${USAGE}\n`);
    return 2;
  }
  try {
    const summary = verifyAuditPack(options.dir, options.expectedHeads);
    process.stdout.write(`${summary.join("\n")}\n`);
    return 0;
  } catch (error) {
    if (error instanceof Failure) {
      process.stderr.write(`FAIL ${error.where}: ${error.message}\n`);
      return 1;
    }
    if (error?.code === "ENOENT") {
      process.stderr.write(`FAIL ${error.path?.split(/[\\/]/).pop() ?? "pack"}: file is missing\n`);
      return 1;
    }
    throw error;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main();
}
