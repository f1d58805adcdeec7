/**
 * Reads the Pabulib `.pb` format (sections META, PROJECTS, VOTES; `;`-separated, a header line at
 * the top of each section; fields may be double-quoted) one line at a time, so a caller can
 * stream a file of a million votes: identical votes are merged as they arrive, and a vote is
 * checked only the first time its text is seen. Only `vote_type` ordinal is counted (each vote
 * lists project ids, best first); points use META `max_length` (or, without it, the number of
 * projects). Errors name the line: `line 37: unknown project id 99`.
 *
 * A file must agree with itself: META `num_projects` and `num_votes` against the projects and
 * votes it holds, each vote's length against `min_length` and `max_length`, each project's `votes`
 * column against the votes that list it, and no `voter_id` twice. A truncated or garbled file is
 * refused, naming the line, rather than counted as if it were whole.
 *
 * No file access: the caller feeds lines (`PabulibReader.line`) or a whole text (`parsePabulib`).
 */
import { InvalidInputError } from "../errors";
import { PbBallotGrouper, parseMoney, projectTable, type PbElection } from "./election";

export interface PabulibFile extends PbElection {
  meta: Record<string, string>;
  /** The file's own counting rule (META `rule`), if any. */
  rule: string | undefined;
}

type Section = "none" | "META" | "PROJECTS" | "VOTES";

export class PabulibReader {
  private section: Section = "none";
  private header: string[] | null = null;
  private lineNumber = 0;
  private readonly meta: Record<string, string> = {};
  private readonly metaLineOf: Record<string, number> = {};
  private readonly projects: { id: string; cost: string; name?: string; votes?: string; line: number }[] = [];
  private grouper: PbBallotGrouper | null = null;
  private voteColumn = -1;
  private table: ReturnType<typeof projectTable> | null = null;
  private maxLength = 0;
  private voterColumn = -1;
  private readonly voterIds = new Set<string>();
  private voteLines = 0;

  /** Feeds the next line of the file (without its line ending). */
  line(text: string): void {
    this.lineNumber++;
    if (this.lineNumber === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (this.grouper !== null && text.length > 9) {
      this.voteLine(text);
      return;
    }
    const trimmed = text.trim();
    if (trimmed === "") return;
    const upper = trimmed.toUpperCase();
    if (upper === "META" || upper === "PROJECTS" || upper === "VOTES") {
      this.enterSection(upper);
      return;
    }
    if (this.section === "none") this.fail("expected a META, PROJECTS or VOTES section");
    if (this.header === null) {
      this.header = splitFields(trimmed).map((h) => h.trim());
      if (this.section === "VOTES") this.startVotes();
      return;
    }
    if (this.section === "META") this.metaLine(trimmed);
    else if (this.section === "PROJECTS") this.projectLine(trimmed);
    else this.voteLine(trimmed);
  }

  finish(budgetOverride?: string): PabulibFile {
    if (this.grouper === null || this.table === null) {
      throw new InvalidInputError(`line ${this.lineNumber}`, "the file has no VOTES section");
    }
    const budget = parseMoney(budgetOverride ?? this.meta.budget ?? "", budgetOverride ? "--budget" : "META budget");
    const { projectIds, projectNames, costs } = this.table;
    const votes = this.grouper.finish();
    const atEnd = `line ${this.lineNumber} (end of file)`;
    const declaredVotes = this.declaredCount("num_votes");
    if (declaredVotes !== undefined && declaredVotes !== this.voteLines) {
      throw new InvalidInputError(
        atEnd,
        `META num_votes (line ${this.metaLineOf.num_votes}) declares ${declaredVotes} votes but the file holds ` +
          `${this.voteLines}; ` +
          "is it truncated?",
      );
    }
    if (votes.voterCount === 0)
      throw new InvalidInputError(atEnd, "the VOTES section holds no votes; there is nothing to count");
    this.checkProjectVotes(votes, atEnd);
    return {
      meta: this.meta,
      rule: this.meta.rule,
      projectIds,
      projectNames,
      costs,
      budget,
      maxLength: this.maxLength,
      ...votes,
    };
  }

  /** Each project's `votes` column, where given, must equal the number of votes that list it. */
  private checkProjectVotes(votes: ReturnType<PbBallotGrouper["finish"]>, where: string): void {
    const listed = new Float64Array(this.projects.length);
    for (let g = 0; g < votes.groupCount; g++) {
      const count = votes.groupCounts[g] as number;
      for (let k = votes.groupStart[g] as number; k < (votes.groupStart[g + 1] as number); k++) {
        const project = votes.groupItems[k] as number;
        listed[project] = (listed[project] as number) + count;
      }
    }
    this.projects.forEach((project, i) => {
      if (project.votes === undefined || project.votes === "") return;
      if (Number(project.votes) !== listed[i]) {
        throw new InvalidInputError(
          where,
          `project ${project.id} (line ${project.line}) declares ${project.votes} votes but ${listed[i]} votes list it`,
        );
      }
    });
  }

  /** A META count (`num_votes`, `num_projects`, `min_length`), checked to be a whole number when present. */
  private declaredCount(key: string): number | undefined {
    const value = this.meta[key];
    if (value === undefined || value === "") return undefined;
    if (!/^\d+$/.test(value)) {
      throw new InvalidInputError(`line ${this.metaLineOf[key]}`, `META ${key} must be a whole number, got "${value}"`);
    }
    return Number(value);
  }

  private fail(problem: string): never {
    throw new InvalidInputError(`line ${this.lineNumber}`, problem);
  }

  private enterSection(name: "META" | "PROJECTS" | "VOTES"): void {
    if (name === "VOTES" && this.section !== "PROJECTS") this.fail("VOTES must follow the PROJECTS section");
    if (name === "PROJECTS" && this.section !== "META") this.fail("PROJECTS must follow the META section");
    if (name === "PROJECTS") this.checkMeta();
    this.section = name;
    this.header = null;
  }

  private checkMeta(): void {
    const voteType = this.meta.vote_type;
    if (voteType !== "ordinal")
      this.fail(`META vote_type is ${voteType ?? "missing"}; only ordinal votes can be counted here`);
    if (this.meta.budget === undefined) this.fail("META has no budget");
  }

  private metaLine(text: string): void {
    const [key, ...rest] = splitFields(text);
    if (key === undefined || rest.length === 0) this.fail("a META line needs a key and a value");
    this.meta[key.trim()] = rest.join(";").trim();
    this.metaLineOf[key.trim()] = this.lineNumber;
  }

  private projectLine(text: string): void {
    const fields = splitFields(text);
    const column = (name: string): string | undefined => {
      const index = (this.header as string[]).indexOf(name);
      return index < 0 ? undefined : fields[index]?.trim();
    };
    const id = column("project_id");
    const cost = column("cost");
    if (!id) this.fail("a project needs a project_id");
    if (cost === undefined || cost === "") this.fail(`project ${id} has no cost`);
    if (this.projects.some((p) => p.id === id)) this.fail(`project ${id} is listed twice`);
    this.projects.push({ id, cost, name: column("name"), votes: column("votes"), line: this.lineNumber });
  }

  private startVotes(): void {
    this.voteColumn = (this.header as string[]).indexOf("vote");
    if (this.voteColumn < 0) this.fail('the VOTES header has no "vote" column');
    this.voterColumn = (this.header as string[]).indexOf("voter_id");
    const projects = this.projects;
    const declaredProjects = this.declaredCount("num_projects");
    if (declaredProjects !== undefined && declaredProjects !== projects.length) {
      this.fail(
        `META num_projects (line ${this.metaLineOf.num_projects}) declares ${declaredProjects} projects but ` +
          `PROJECTS lists ${projects.length}`,
      );
    }
    this.table = projectTable(projects, (i, field) => `line ${projects[i]?.line} (${field})`);
    const declared = this.meta.max_length;
    this.maxLength = declared === undefined ? projects.length : Number(declared);
    if (!Number.isSafeInteger(this.maxLength) || this.maxLength < 1)
      this.fail(`META max_length must be a positive integer, got ${declared}`);
    const minLength = this.declaredCount("min_length") ?? 0;
    if (minLength > this.maxLength) this.fail(`META min_length ${minLength} is more than max_length ${this.maxLength}`);
    this.grouper = new PbBallotGrouper(
      this.table.projectIndex,
      this.maxLength,
      voteIds,
      (line) => `line ${line}`,
      minLength,
    );
  }

  /** A vote line, in the hot path of a large file: find the vote field without splitting. */
  private voteLine(text: string): void {
    const quoted = text.includes('"');
    const fields = quoted ? splitFields(text) : null;
    const vote = fields ? fields[this.voteColumn] : nthField(text, this.voteColumn);
    if (vote === undefined) {
      if (text.trim() === "") return;
      this.fail('the line has no "vote" field');
    }
    this.voteLines++;
    if (this.voterColumn >= 0) {
      const voter = (fields ? fields[this.voterColumn] : nthField(text, this.voterColumn))?.trim();
      if (!voter) this.fail("the vote has no voter_id");
      if (this.voterIds.has(voter)) this.fail(`voter_id ${voter} has voted already`);
      this.voterIds.add(voter);
    }
    (this.grouper as PbBallotGrouper).add(vote.trim(), 1, this.lineNumber);
  }
}

const voteIds = (key: string): string[] => {
  if (key === "") return [];
  const ids = key.split(",");
  return key.includes(" ") ? ids.map((id) => id.trim()) : ids;
};

/** The n-th `;`-separated field of a line without quotes. */
function nthField(line: string, n: number): string | undefined {
  let start = 0;
  for (let i = 0; i < n; i++) {
    start = line.indexOf(";", start) + 1;
    if (start === 0) return undefined;
  }
  const end = line.indexOf(";", start);
  return end < 0 ? line.slice(start) : line.slice(start, end);
}

/** Splits a `;`-separated line, honouring double quotes ("" inside quotes is one quote). */
export function splitFields(line: string): string[] {
  if (!line.includes('"')) return line.split(";");
  const fields: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        current += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else current += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ";") {
      fields.push(current);
      current = "";
    } else current += ch;
  }
  fields.push(current);
  return fields;
}

export function parsePabulib(text: string, budgetOverride?: string): PabulibFile {
  const reader = new PabulibReader();
  for (const line of text.split(/\r?\n/)) reader.line(line);
  return reader.finish(budgetOverride);
}
