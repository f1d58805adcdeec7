/**
 * Reads rows of the ONS Postcode Directory layout (any columns, of which `pcds` and `osward` are
 * used) into postcode → ward pairs, reporting each bad row by its line number so that one bad row
 * never costs the good ones.
 *
 * Rows come in already split into records (the caller uses a CSV parser); `line` is the 1-based
 * line of the file the record started on, the header being line 1.
 */
import { messageKey } from "../messages/message-key";
import { isWardGssCode, normaliseGssCode } from "./gss";
import { normalisePostcode } from "./postcode";

export interface PostcodeRow {
  postcode: string;
  wardGssCode: string;
}

export interface RowProblem {
  line: number;
  message: string;
}

export interface DirectoryReadResult {
  rows: PostcodeRow[];
  problems: RowProblem[];
}

export class MissingColumnError extends Error {
  constructor(readonly column: string) {
    super(`The file has no "${column}" column; the ONS Postcode Directory layout needs "pcds" and "osward".`);
  }
}

export function findColumns(header: string[]): { pcds: number; osward: number } {
  const names = header.map((h) => h.trim().toLowerCase());
  const pcds = names.indexOf("pcds");
  const osward = names.indexOf("osward");
  if (pcds < 0) throw new MissingColumnError("pcds");
  if (osward < 0) throw new MissingColumnError("osward");
  return { pcds, osward };
}

export function readPostcodeRecords(
  records: Iterable<{ line: number; fields: string[] }>,
  columns: { pcds: number; osward: number },
  knownWardCodes: ReadonlySet<string>,
): DirectoryReadResult {
  const rows: PostcodeRow[] = [];
  const problems: RowProblem[] = [];
  const seen = new Map<string, number>();
  for (const { line, fields } of records) {
    const rawPostcode = fields[columns.pcds] ?? "";
    const rawWard = fields[columns.osward] ?? "";
    const postcode = normalisePostcode(rawPostcode);
    if (!postcode) {
      problems.push({ line, message: messageKey("rounds:postcodes.notPostcode", { text: rawPostcode }) });
      continue;
    }
    const ward = normaliseGssCode(rawWard);
    if (!isWardGssCode(ward)) {
      problems.push({ line, message: messageKey("rounds:postcodes.notWardCode", { text: rawWard }) });
      continue;
    }
    if (!knownWardCodes.has(ward)) {
      problems.push({ line, message: messageKey("rounds:postcodes.notOurWard", { ward }) });
      continue;
    }
    const earlier = seen.get(postcode);
    if (earlier !== undefined) {
      problems.push({ line, message: messageKey("rounds:postcodes.repeated", { postcode, line: earlier }) });
      continue;
    }
    seen.set(postcode, line);
    rows.push({ postcode, wardGssCode: ward });
  }
  return { rows, problems };
}
