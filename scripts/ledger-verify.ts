/**
 * Verifies the live ledger: `npm run ledger:verify [-- --expect-head SEQ:HASH]...`
 *
 * Opens the database named by DATABASE_URL (default ./data/wardfund.db; it must exist, it is
 * never created or migrated here) and runs `verifyLedger`: the hash chain against every stored
 * checkpoint, journal rows against their hashed payloads, cached totals against the postings, a
 * zero trial balance and conservation per fund and year. Prints the entry count, the head seq and
 * hash, then each problem with its seq.
 *
 * A chain cannot show on its own that its tail was not cut off together with the checkpoints
 * stored beside it. `--expect-head SEQ:HASH` (or just HASH) checks the log against a head received
 * independently (the one emailed to the S151 officer or quoted in a committee paper); it may be
 * given more than once.
 *
 * Exit status: 0 when everything verifies, 1 when there is any problem, 2 for bad arguments or a
 * missing database.
 */
import { openLedgerDatabase } from "./ledger-database";
import type { Db } from "../app/db/client.server";
import { verifyLedger, type LedgerProblem } from "../app/models/ledger-verify.server";

const USAGE = "usage: npm run ledger:verify [-- --expect-head SEQ:HASH | --expect-head HASH]...";

interface ExpectedHead {
  seq: number | null;
  hash: string;
}

function parseArguments(argv: string[]): { expectedHeads: ExpectedHead[] } | { help: true } {
  const expectedHeads: ExpectedHead[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "-h" || arg === "--help") return { help: true };
    if (arg === "--expect-head" || arg.startsWith("--expect-head=")) {
      const value = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : (argv[++i] ?? "");
      const match = /^(?:(\d+):)?([0-9a-f]{64})$/.exec(value.trim().toLowerCase());
      if (!match) throw new Error(`--expect-head needs SEQ:HASH or HASH (64 hex), got ${JSON.stringify(value)}`);
      expectedHeads.push({ seq: match[1] === undefined ? null : Number(match[1]), hash: match[2]! });
    } else {
      throw new Error(`unknown argument ${JSON.stringify(arg)}`);
    }
  }
  return { expectedHeads };
}

/** Checks the log against heads received outside the app: a head beyond the end means truncation. */
function checkExpectedHeads(database: Db, heads: readonly ExpectedHead[], lastSeq: number): LedgerProblem[] {
  const problems: LedgerProblem[] = [];
  const hashAt = database.$client.prepare("select hash from ledger_log where seq = ?");
  const seqOf = database.$client.prepare("select seq from ledger_log where hash = ?");
  for (const head of heads) {
    const label = `${head.seq ?? "?"}:${head.hash}`;
    if (head.seq === null) {
      const found = seqOf.get(head.hash) as { seq: number } | undefined;
      if (!found && head.hash !== "0".repeat(64)) {
        problems.push({
          seq: lastSeq + 1,
          check: "chain",
          message: `EXPECTED_HEAD_MISSING: head ${head.hash} is not in the log: it was truncated or rewritten`,
        });
      }
    } else if (head.seq > lastSeq) {
      problems.push({
        seq: lastSeq + 1,
        check: "chain",
        message:
          `CHECKPOINT_BEYOND_END: expected head ${label} is beyond the end of the log (seq ${lastSeq}): the ` +
          `log was truncated`,
      });
    } else if (head.seq > 0 && (hashAt.get(head.seq) as { hash: string } | undefined)?.hash !== head.hash) {
      problems.push({
        seq: head.seq,
        check: "chain",
        message:
          `CHECKPOINT_MISMATCH: hash at seq ${head.seq} differs from the expected head ${label}: the log was ` +
          `rewritten`,
      });
    }
  }
  return problems;
}

function main(): number {
  let options;
  try {
    options = parseArguments(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if ("help" in options) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const opened = openLedgerDatabase();
  if ("error" in opened) {
    process.stderr.write(`${opened.error}\n`);
    return 2;
  }
  const { database, file } = opened;
  try {
    const result = verifyLedger(database);
    const lastSeq = (
      database.$client.prepare("select coalesce(max(seq), 0) as seq from ledger_log").get() as { seq: number }
    ).seq;
    const problems = [...result.problems, ...checkExpectedHeads(database, options.expectedHeads, lastSeq)];
    const out = [
      `Database:  ${file}`,
      `Entries:   ${result.count}`,
      `Head seq:  ${result.head.seq}`,
      `Head hash: ${result.head.hash || "(the chain does not verify)"}`,
      `Checked against ${options.expectedHeads.length} independently received head(s).`,
    ];
    if (problems.length === 0) {
      process.stdout.write(`${[...out, "OK"].join("\n")}\n`);
      return 0;
    }
    const firstSeq = problems
      .map((p) => p.seq)
      .filter((s): s is number => s !== null)
      .sort((a, b) => a - b)[0];
    out.push(`Problems:  ${problems.length}${firstSeq === undefined ? "" : ` (first bad seq ${firstSeq})`}`);
    for (const problem of problems)
      out.push(`  ${problem.seq === null ? "ledger" : `seq ${problem.seq}`} [${problem.check}] ${problem.message}`);
    process.stdout.write(`${out.join("\n")}\n`);
    process.stderr.write(
      `FAIL: the ledger does not verify${firstSeq === undefined ? "" : ` (first bad seq ${firstSeq})`}\n`,
    );
    return 1;
  } finally {
    database.$client.close();
  }
}

process.exitCode = main();
