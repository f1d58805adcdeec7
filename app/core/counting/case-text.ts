/**
 * Reads a large ballot-case JSON text (ballot-case format section 1) without building an object
 * per ballot: a scan finds the top-level fields and the span of each element of `ballots`; the
 * other fields are parsed and checked as usual (`case-format.ts`), then each ballot element is
 * parsed on its own and merged into its group at once; an element text met before (the same
 * ranking and count) goes straight to its group without being parsed again. A million ballots thus cost a million small
 * parses and no million-object array.
 *
 * The scan only delimits values (strings, brackets); the values themselves are parsed by
 * JSON.parse, so the grammar is JSON's. If the scan meets anything it does not expect, the whole
 * text goes through JSON.parse and the ordinary path, which reports the syntax error.
 */
import type { BallotGrouper } from "./ballots";
import { caseFromValue, type BallotCase } from "./case-format";
import { InvalidInputError } from "./errors";
import { prepareContest, prepareWith, type PreparedContest } from "./rcv";
import type { Ballot } from "./types";

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

class ScanError extends Error {}

function skipSpace(text: string, i: number): number {
  let j = i;
  for (;;) {
    const c = text.charCodeAt(j);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) j++;
    else return j;
  }
}

/** The index just after the string that opens at `i`. */
function skipString(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === BACKSLASH) j++;
    else if (c === QUOTE) return j + 1;
  }
  throw new ScanError("unterminated string");
}

/** The index just after the value that starts at `i`. */
function skipValue(text: string, i: number): number {
  const first = text.charCodeAt(i);
  if (first === QUOTE) return skipString(text, i);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    let j = i;
    for (
      let c = text.charCodeAt(j);
      j < text.length && c !== COMMA && c !== CLOSE_BRACE && c !== CLOSE_BRACKET && c > 0x20;
      c = text.charCodeAt(++j)
    );
    if (j === i) throw new ScanError("expected a value");
    return j;
  }
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === QUOTE) j = skipString(text, j) - 1;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --depth === 0) return j + 1;
  }
  throw new ScanError("unterminated value");
}

function expect(text: string, i: number, code: number): number {
  if (text.charCodeAt(i) !== code) throw new ScanError(`expected ${String.fromCharCode(code)}`);
  return i + 1;
}

interface ScannedCase {
  fields: Record<string, unknown>;
  /** start, end, start, end, … of each element of `ballots`. */
  ballotSpans: number[];
}

function scanElements(text: string, from: number, spans: number[]): number {
  let i = skipSpace(text, expect(text, from, OPEN_BRACKET));
  if (text.charCodeAt(i) === CLOSE_BRACKET) return i + 1;
  for (;;) {
    const end = skipValue(text, i);
    spans.push(i, end);
    i = skipSpace(text, end);
    if (text.charCodeAt(i) === CLOSE_BRACKET) return i + 1;
    i = skipSpace(text, expect(text, i, COMMA));
  }
}

function scanCase(text: string): ScannedCase {
  const fields: Record<string, unknown> = {};
  const ballotSpans: number[] = [];
  let i = skipSpace(text, expect(text, skipSpace(text, 0), OPEN_BRACE));
  if (text.charCodeAt(i) === CLOSE_BRACE) i++;
  else {
    for (;;) {
      const keyEnd = skipString(text, expect(text, i, QUOTE) - 1);
      const key = JSON.parse(text.slice(i, keyEnd)) as string;
      i = skipSpace(text, expect(text, skipSpace(text, keyEnd), COLON));
      if (key === "ballots" && text.charCodeAt(i) === OPEN_BRACKET) {
        i = scanElements(text, i, ballotSpans);
        fields.ballots = [];
      } else {
        const end = skipValue(text, i);
        fields[key] = JSON.parse(text.slice(i, end));
        i = end;
      }
      i = skipSpace(text, i);
      if (text.charCodeAt(i) === CLOSE_BRACE) {
        i++;
        break;
      }
      i = skipSpace(text, expect(text, i, COMMA));
    }
  }
  if (skipSpace(text, i) !== text.length) throw new ScanError("text after the case");
  return { fields, ballotSpans };
}

function parseWhole(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidInputError("file", `is not valid JSON (${(error as Error).message})`);
  }
}

/** Adds each ballot element to its group; an element text met before goes straight to its group. */
function feedBallots(text: string, spans: readonly number[]) {
  return (grouper: BallotGrouper): void => {
    const groupOfText = new Map<string, { group: number; count: number }>();
    for (let k = 0; k < spans.length; k += 2) {
      const index = k / 2;
      const source = text.slice(spans[k], spans[k + 1]);
      const known = groupOfText.get(source);
      if (known !== undefined) {
        grouper.addToGroup(known.group, known.count, index);
        continue;
      }
      let ballot: Ballot;
      try {
        ballot = JSON.parse(source) as Ballot;
      } catch {
        throw new InvalidInputError(`ballots[${index}]`, "is not valid JSON");
      }
      if (typeof ballot !== "object" || ballot === null)
        throw new InvalidInputError(`ballots[${index}]`, "must be an object");
      groupOfText.set(source, { group: grouper.add(ballot, index), count: ballot.count });
    }
  };
}

/** Reads a case file's text into its fields (with `ballots` left empty) and its grouped ballots. */
export function prepareCaseText(text: string): { ballotCase: BallotCase; prepared: PreparedContest } {
  let scanned: ScannedCase;
  try {
    scanned = scanCase(text);
  } catch (error) {
    if (!(error instanceof ScanError) && !(error instanceof SyntaxError)) throw error;
    const ballotCase = caseFromValue(parseWhole(text));
    return { ballotCase, prepared: prepareContest(ballotCase) };
  }
  const ballotCase = caseFromValue(scanned.fields);
  return { ballotCase, prepared: prepareWith(ballotCase, feedBallots(text, scanned.ballotSpans)) };
}
