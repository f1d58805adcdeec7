/**
 * The counting engine: pure functions from plain data to exact, deterministic reports.
 *
 * Ranked choice (ballot-case format section 1): `countContest` for IRV, STV (Gregory, Droop or
 * Hare), multi-pass IRV, bottoms-up, bottoms-up-percentage and Scottish STV; `parseCaseJson` to
 * read a case file's text, `prepareCaseText` to read a large one ballot by ballot. PB over ranked ballots (section 2):
 * `countPb` for greedy, MES and
 * MES with add-one completion, `comparePbRules` for all three, `parsePabulib` / `PabulibReader`
 * for the Pabulib format. `formatReportText` renders either report as text tables.
 */
export { caseFromValue, parseCaseJson, type BallotCase } from "./case-format";
export { prepareCaseText } from "./case-text";
export { Dec, canonicalDecimal } from "./decimal";
export { CountingError, InvalidInputError, TieBreakRequiredError } from "./errors";
export { JavaRandom } from "./java-random";
export { countContest, countPrepared, expectedLayout, prepareContest, type PreparedContest } from "./rcv";
export { formatReportText, formatTable } from "./report-text";
export * from "./types";
export { comparePbRules, countPb, type PbComparison } from "./pb/count";
export { pbElectionFrom, type PbElection } from "./pb/election";
export { isPbCaseValue, pbCaseFromValue } from "./pb/case-json";
export { PabulibReader, parsePabulib, type PabulibFile } from "./pb/pabulib";
export { Rational } from "./pb/rational";
export * from "./pb/types";
