/**
 * The published ballot file of a counted PB round: the round's ballot as a PB ballot file in JSON
 * (app/core/counting/pb/case-json.ts), which `npm run count -- ballots.json --rule <rule> --tie
 * project-id` recounts to the same report, byte for byte.
 *
 * The file is canonical: the same ballots give the same bytes, whatever order they are read in.
 * - Projects are listed in ballot order (ballot position 1 first), with their cost and the budget
 *   in pounds as decimal strings with two places ("1500.00"), and their title as `name`.
 * - Ballots are listed in order of their id (the voter's receipt), compared as text code unit by
 *   code unit; each has its id, its ranking (project ids, most wanted first) and count 1.
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

export const BALLOT_FILE_FORMAT = "wardfund-pb-ballots/1";

export type RoundTieBreak = "project-id" | "lowest-cost" | "ballot-order";

export interface BallotProject {
  bidId: number;
  reference: string;
  title: string;
  costPence: Pence;
  ballotPosition: number;
}

export interface StoredBallot {
  /** The ballot's random id, which is also the voter's receipt. */
  id: string;
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
  const ballots = [...input.ballots].sort((a, b) => byText(a.id, b.id));
  const ballotLines = ballots.map((ballot, i) => {
    if (i > 0 && ballots[i - 1]!.id === ballot.id) throw new BallotFileError(`ballot ${ballot.id} appears twice`);
    const ranking = ballot.ranking.map((bidId) => {
      const id = projectIds.get(bidId);
      if (id === undefined)
        throw new BallotFileError(`ballot ${ballot.id} ranks bid ${bidId}, which is not on the ballot`);
      return id;
    });
    return JSON.stringify({ id: ballot.id, ranking, count: 1 });
  });
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
 * The anonymised ballots as CSV, read from the published ballot file: one row per ballot with its
 * id (the receipt) and its ranks (project ids of the file), `ballot,rank_1,…,rank_<maxLength>`.
 */
export function ballotsCsv(ballotFileText: string): string {
  const file = JSON.parse(ballotFileText) as { maxLength: number; ballots: { id: string; ranking: string[] }[] };
  const header = ["ballot", ...Array.from({ length: file.maxLength }, (_, i) => `rank_${i + 1}`)];
  const rows = file.ballots.map((b) => [b.id, ...Array.from({ length: file.maxLength }, (_, i) => b.ranking[i] ?? "")]);
  return [header, ...rows].map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
}
