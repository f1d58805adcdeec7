/**
 * The published ballot file of a counted PB round: the round's ballot as a PB ballot file in JSON
 * (app/core/counting/pb/case-json.ts), which `npm run count -- ballots.json --rule <rule> --tie
 * project-id` recounts to the same report, byte for byte.
 *
 * The file is canonical: the same ballots give the same bytes, whatever order they are read in.
 * - Projects are listed in ballot order (ballot position 1 first), with their cost and the budget
 *   in pounds as decimal strings with two places ("1500.00"), and their title as `name`.
 * - Ballots carry no id, receipt or time: each is its ranking (project ids, most wanted first) and
 *   count 1, and they are listed in order of the ranking's JSON text, compared code unit by code
 *   unit. So the order says nothing about who cast a ballot or when (receipts are published in a
 *   separate list, and prove inclusion only).
 * - A project's id is its bid reference (`PB-2026-0012`). The count settles ties by "project id
 *   first as text", so when the round breaks ties another way the id starts with a key that sorts
 *   in that order: by ballot order, the ballot position in three digits (`003:PB-2026-0012`); by
 *   lowest cost, the cost in pence in twelve digits (`000000150000:PB-2026-0012`). The count is
 *   therefore always run with `--tie project-id`.
 * - One JSON value per line for each project and each ballot, two-space indentation, and a final
 *   newline, so the file reads well and diffs line by line.
 */
import { guardText } from "../exports/format";
import { sha256Hex } from "../ledger/hash";
import { formatPenceAsDecimal, type Pence } from "../money";

export const BALLOT_FILE_FORMAT = "wardfund-pb-ballots/2";

export type RoundTieBreak = "project-id" | "lowest-cost" | "ballot-order";

export interface BallotProject {
  bidId: number;
  reference: string;
  title: string;
  costPence: Pence;
  ballotPosition: number;
}

export interface StoredBallot {
  /** Bid ids, most wanted first. */
  ranking: readonly number[];
}

export interface BallotFileInput {
  roundId: number;
  roundName: string;
  potPence: Pence;
  maxRanked: number;
  tieBreak: RoundTieBreak;
  /** The round's counting rule, stated in the file so a recount needs no --rule. */
  rule?: "greedy" | "mes";
  projects: readonly BallotProject[];
  ballots: readonly StoredBallot[];
}

export interface BallotFile {
  text: string;
  sha256: string;
  /** The id each bid has in the file. */
  projectIds: ReadonlyMap<number, string>;
}

export class BallotFileError extends Error {
  override name = "BallotFileError";
}

/** The id of a project in the ballot file under the round's tie-break rule (see the file comment). */
export function projectIdFor(project: BallotProject, tieBreak: RoundTieBreak): string {
  if (tieBreak === "ballot-order") return `${String(project.ballotPosition).padStart(3, "0")}:${project.reference}`;
  if (tieBreak === "lowest-cost") return `${String(project.costPence).padStart(12, "0")}:${project.reference}`;
  return project.reference;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function buildBallotFile(input: BallotFileInput): BallotFile {
  const projects = [...input.projects].sort((a, b) => a.ballotPosition - b.ballotPosition);
  const projectIds = new Map<number, string>();
  for (const project of projects) {
    if (projectIds.has(project.bidId)) throw new BallotFileError(`bid ${project.bidId} is on the ballot twice`);
    projectIds.set(project.bidId, projectIdFor(project, input.tieBreak));
  }
  const rankings = input.ballots.map((ballot) =>
    JSON.stringify(
      ballot.ranking.map((bidId) => {
        const id = projectIds.get(bidId);
        if (id === undefined) throw new BallotFileError(`a ballot ranks bid ${bidId}, which is not on the ballot`);
        return id;
      }),
    ),
  );
  const ballotLines = rankings.sort(byText).map((ranking) => `{"ranking":${ranking},"count":1}`);
  const projectLines = projects.map((p) =>
    JSON.stringify({ id: projectIds.get(p.bidId), cost: formatPenceAsDecimal(p.costPence), name: p.title }),
  );
  const list = (lines: string[]) =>
    lines.length === 0 ? "[]" : `[\n${lines.map((line) => `    ${line}`).join(",\n")}\n  ]`;
  const text = [
    "{",
    `  "format": ${JSON.stringify(BALLOT_FILE_FORMAT)},`,
    `  "round": ${JSON.stringify(input.roundId)},`,
    `  "name": ${JSON.stringify(input.roundName)},`,
    `  "currency": "GBP",`,
    `  "tieBreak": ${JSON.stringify(input.tieBreak)},`,
    ...(input.rule ? [`  "rule": ${JSON.stringify(input.rule)},`] : []),
    `  "projects": ${list(projectLines)},`,
    `  "budget": ${JSON.stringify(formatPenceAsDecimal(input.potPence))},`,
    `  "maxLength": ${JSON.stringify(input.maxRanked)},`,
    `  "ballots": ${list(ballotLines)}`,
    "}",
    "",
  ].join("\n");
  return { text, sha256: sha256Hex(text), projectIds };
}

/** One quoted CSV field when it needs quoting; a leading formula character is neutralised (`guardText`). */
function csvField(value: string): string {
  const safe = guardText(value);
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * The rankings as CSV, read from the published ballot file in its order: one row per ballot with its
 * ranks (project ids of the file), `rank_1,…,rank_<maxLength>`. No receipt, id or time.
 */
export function ballotsCsv(ballotFileText: string): string {
  const file = JSON.parse(ballotFileText) as { maxLength: number; ballots: { ranking: string[] }[] };
  const header = Array.from({ length: file.maxLength }, (_, i) => `rank_${i + 1}`);
  const rows = file.ballots.map((b) => Array.from({ length: file.maxLength }, (_, i) => b.ranking[i] ?? ""));
  return [header, ...rows].map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
}
