/**
 * The ledger CSV's own writer against csv-stringify, which wrote this file before: the bytes must
 * be the same. The ledger holds text that needs every kind of care: commas, quotes, line breaks
 * (LF, CR, CRLF), a would-be formula at the start (=, +, @, tab, CR, an apostrophe; and -, which the
 * guard leaves alone), non-ASCII, and a very long memo.
 */
import { stringify } from "csv-stringify/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guardText } from "~/core/exports";
import { budgetSet, periodOf, type PayloadV1 } from "~/core/ledger";
import { formatPenceAsDecimal } from "~/core/money";
import { LEDGER_CSV_COLUMNS, streamLedgerCsv } from "~/models/ledger-csv.server";
import { postEntry } from "~/models/ledger.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { addFund, FINANCE } from "../support/ledger-world";
import { populateLedger } from "../support/ledger-scenario";

const AWKWARD = [
  "plain",
  "a, b",
  'say "hello"',
  "two\nlines",
  "carriage\rreturn",
  "windows\r\nline end",
  "=1+2",
  "+44 20 7946 0000",
  "-5 pence",
  "@mention",
  "\tindented",
  "\rstarts with CR",
  "'quoted already",
  '=HYPERLINK("http://example.com", "click, here")',
  "Café – “garden” · £75",
  "ends with a comma,",
  '"',
  ",",
  `${"long memo, ".repeat(80)}end`,
];

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
  populateLedger(t.db);
  addFund(t.db, { id: "WB-csv", fy: "2026/27", budgetIds: ["csv-A", "csv-B"] });
  AWKWARD.forEach((memo, i) => {
    // External references may not hold control characters; memos may hold tab, CR and LF.
    const resolutionRef = AWKWARD[(i + 7) % AWKWARD.length]!.replace(/[\u0000-\u001f]/g, " ").slice(0, 100);
    const allocations = [
      { budgetId: "csv-A", pence: 100 + i },
      ...(i % 2 === 0 ? [{ budgetId: "csv-B", pence: 5 }] : []),
    ];
    postEntry(
      {
        draft: budgetSet({ scheme: "WB-csv", fy: "2026/27", allocations, memo, resolutionRef }),
        idempotencyKey: `csv-${i}`,
        actor: FINANCE,
        effectiveDate: "2026-05-01",
      },
      t.db,
    );
  });
});
afterAll(() => t.close());

async function csvText(bom = false): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of streamLedgerCsv({}, { database: t.db, bom })) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

/** The file as csv-stringify wrote it from the same payloads, one record per posting. */
function csvStringifyText(bom = false): string {
  const payloads = t.db.$client.prepare("select payload from ledger_log order by seq").pluck().all() as string[];
  const text = (value: string | null) => guardText(value);
  const records = payloads.flatMap((payloadText) => {
    const p = JSON.parse(payloadText) as PayloadV1;
    return p.postings.map((posting, index) => {
      const amount = formatPenceAsDecimal(posting.pence);
      return [
        String(p.seq),
        p.entry_id,
        p.type,
        p.fy,
        String(periodOf(p.effective_date)),
        p.effective_date,
        p.recorded_at,
        p.actor,
        p.approval ?? "",
        p.reverses ?? "",
        p.resolves ?? "",
        String(index + 1),
        posting.account,
        posting.account.slice(0, posting.account.indexOf(":")),
        posting.dc,
        String(posting.pence),
        posting.dc === "D" ? amount : "",
        posting.dc === "C" ? amount : "",
        text(p.reason),
        text(p.external_ref),
        text(p.memo),
      ];
    });
  });
  return stringify(records, {
    record_delimiter: "windows",
    quote_record_delimiter: true,
    header: true,
    columns: [...LEDGER_CSV_COLUMNS],
    bom,
  });
}

describe("the ledger CSV writer", () => {
  it("writes the same bytes as csv-stringify, with and without a byte order mark", async () => {
    const mine = await csvText();
    expect(mine).toBe(csvStringifyText());
    expect(await csvText(true)).toBe(csvStringifyText(true));
    for (const memo of AWKWARD) expect(mine).toContain(memo.includes('"') ? memo.replaceAll('"', '""') : memo.slice(1));
  });

  it(
    "quotes cells with a comma, quote, CR or LF, doubling quotes, and guards formulas, a leading minus " + "included",
    async () => {
      const text = await csvText();
      // memo is the last column, so each memo cell is followed by the CRLF that ends its line.
      const memoCells = [
        ',"a, b"\r\n',
        ',"say ""hello"""\r\n',
        ',"two\nlines"\r\n',
        ',"carriage\rreturn"\r\n',
        ',"windows\r\nline end"\r\n',
        ",'=1+2\r\n",
        ",'+44 20 7946 0000\r\n",
        ",'-5 pence\r\n",
        ",'@mention\r\n",
        ",'\tindented\r\n",
        `,"'\rstarts with CR"\r\n`,
        ",''quoted already\r\n",
        `,"'=HYPERLINK(""http://example.com"", ""click, here"")"\r\n`,
        ",Café – “garden” · £75\r\n",
        ',"ends with a comma,"\r\n',
        ',""""\r\n',
        ',","\r\n',
      ];
      for (const cell of memoCells) expect(text, JSON.stringify(cell)).toContain(cell);
    },
  );

  it("writes the header alone for an empty selection", async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of streamLedgerCsv({ fy: "2030/31" }, { database: t.db })) chunks.push(Buffer.from(chunk));
    expect(Buffer.concat(chunks).toString("utf8")).toBe(`${LEDGER_CSV_COLUMNS.join(",")}\r\n`);
  });
});
