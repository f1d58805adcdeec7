/**
 * The export downloads are POSTs made by the exports page's forms; a bare POST (an empty body with
 * no Content-Type, as `curl -X POST` sends) is an export with no options, and a body that is not a
 * form is a 400 with the reason, never a 500.
 */
import type { ActionFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as g360CsvRoute from "~/routes/finance.exports.360giving[.csv]";
import * as ledgerRoute from "~/routes/finance.exports.ledger[.csv]";
import * as spendRoute from "~/routes/finance.exports.spend[.csv]";
import * as vcseRoute from "~/routes/finance.exports.vcse-grants[.csv]";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { ORIGIN, responseOf, sessionCookieFor } from "../support/requests";

type Action = (args: ActionFunctionArgs) => Promise<Response>;
const ROUTES: [string, Action, string][] = [
  ["ledger", ledgerRoute.action as Action, "/finance/exports/ledger.csv"],
  ["spend", spendRoute.action as Action, "/finance/exports/spend.csv"],
  ["vcse", vcseRoute.action as Action, "/finance/exports/vcse-grants.csv"],
  ["360giving", g360CsvRoute.action as Action, "/finance/exports/360giving.csv"],
];

let t: TestDatabase;
let cookie: string;

beforeAll(async () => {
  t = await createTestDatabase({ seed: true });
  cookie = await sessionCookieFor("finance@eastbrook.example");
});
afterAll(() => t.close());

async function post(action: Action, path: string, body: string | null, contentType?: string): Promise<Response> {
  const headers: Record<string, string> = { Origin: ORIGIN, Cookie: cookie };
  if (contentType) headers["Content-Type"] = contentType;
  const request = new Request(`${ORIGIN}${path}`, { method: "POST", headers, body });
  const result = await responseOf(() => action({ request, params: {}, context: {} }));
  if (!(result instanceof Response)) throw new Error(`${path} did not answer with a Response`);
  return result;
}

describe("an export POST", () => {
  it.each(ROUTES)("%s: with an empty body downloads the export with no options", async (_name, action, path) => {
    for (const body of [null, ""]) {
      const response = await post(action, path, body);
      expect(response.status).toBe(200);
      expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
      const text = await response.text();
      expect(text.split("\r\n")[0]!.length).toBeGreaterThan(0);
    }
  });

  it("ledger: the empty-body export is the whole ledger, one row per posting", async () => {
    const response = await post(ledgerRoute.action as Action, "/finance/exports/ledger.csv", null);
    const rows = (await response.text()).split("\r\n").filter((line) => line !== "");
    const postings = t.db.$client.prepare("select count(*) as n from journal_postings").get() as { n: number };
    expect(postings.n).toBeGreaterThan(0);
    expect(rows.length - 1).toBe(postings.n);
  });

  it.each(ROUTES)("%s: with a body that is not a form answers 400 with the reason", async (_name, action, path) => {
    for (const [body, type] of [
      ['{"fy":"2026-27"}', "application/json"],
      ["fy=2026-27", undefined],
      ["--x\r\nnot multipart", "multipart/form-data; boundary=y"],
    ] as const) {
      const response = await post(action, path, body, type);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(/export options as a form/);
    }
  });
});
