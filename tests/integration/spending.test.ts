/**
 * Publishing spending: finance publishes a year (checkpoint, row and audit event), then anyone can
 * read the summary and download the files, which stay as the ledger stood at publication.
 */
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SPEND_COLUMNS } from "~/core/exports";
import { financialYearOf, londonDateOf } from "~/core/ledger";
import * as publishRoute from "~/routes/finance.spending";
import * as fileRoute from "~/routes/spending.$fy.$file";
import * as spendingRoute from "~/routes/spending._index";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { formRequest, getRequest, responseOf, sessionCookieFor } from "../support/requests";
import { messageText } from "~/utils/message-text";

let t: TestDatabase;
let finance: string;
let resident: string;
const FY = financialYearOf(londonDateOf(new Date()));
const slug = FY.replace("/", "-");

beforeAll(async () => {
  t = await createTestDatabase({ seed: true });
  finance = await sessionCookieFor("finance@eastbrook.example");
  resident = await sessionCookieFor("yusuf.osman@residents.example");
});
afterAll(() => t.close());

const file = (name: string) =>
  responseOf(() =>
    fileRoute.loader({
      request: getRequest(`/spending/${slug}/${name}`),
      params: { fy: slug, file: name },
      context: {},
    }),
  );

describe("published spending", () => {
  it("is nothing until finance publishes a year, and only finance may publish", async () => {
    const page = (await spendingRoute.loader({
      request: getRequest("/spending"),
      params: {},
      context: {},
    })) as Response;
    expect(((await page.json()) as { periods: unknown[] }).periods).toEqual([]);
    expect(((await file("spend.csv")) as Response).status).toBe(404);
    const refused = await responseOf(() =>
      publishRoute.action({
        request: formRequest("/finance/spending", { fy: FY }, { cookie: resident }),
        params: {},
        context: {},
      }),
    );
    expect((refused as Response).status).toBe(403);
    const bad = await responseOf(() =>
      publishRoute.action({
        request: formRequest("/finance/spending", { fy: "1999/00" }, { cookie: finance }),
        params: {},
        context: {},
      }),
    );
    expect((bad as Response).status).toBe(400);
    const errors = ((await (bad as Response).json()) as { errors: Record<string, string> }).errors;
    expect(messageText(errors.fy!, "en")).toBe("Choose the financial year to publish");
  });

  it("publishes a year with a checkpoint and an audit event, then serves its files and summary to anyone", async () => {
    const done = await responseOf(() =>
      publishRoute.action({
        request: formRequest("/finance/spending", { fy: FY }, { cookie: finance }),
        params: {},
        context: {},
      }),
    );
    expect((done as Response).status).toBe(302);
    const audit = t.db.$client
      .prepare("select actor_name as actor, entity_id as fy, after from audit_events where action = 'spending.publish'")
      .all() as { actor: string; fy: string; after: string }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ fy: FY });
    const seq = (JSON.parse(audit[0]!.after) as { checkpoint: { seq: number } }).checkpoint.seq;

    const page = (await spendingRoute.loader({
      request: getRequest("/spending"),
      params: {},
      context: {},
    })) as Response;
    const { periods } = (await page.json()) as {
      periods: {
        period: { fy: string; checkpointSeq: number };
        summary: { grants: number; awardedPence: number; paidPence: number };
      }[];
    };
    expect(periods).toHaveLength(1);
    expect(periods[0]!.period).toMatchObject({ fy: FY, checkpointSeq: seq });
    expect(periods[0]!.summary.grants).toBeGreaterThan(0);
    expect(periods[0]!.summary.awardedPence).toBeGreaterThan(0);

    const spend = (await file("spend.csv")) as Response;
    expect(spend.status).toBe(200);
    expect(spend.headers.get("Content-Type")).toContain("text/csv");
    expect(spend.headers.get("X-Ledger-Checkpoint")).toMatch(new RegExp(`^${seq} [0-9a-f]+$`));
    const [header] = parse(await spend.text()) as string[][];
    expect(header).toEqual([...SPEND_COLUMNS]);
    // A Welsh reader gets Wardfund's own column in Welsh; the Transparency Code's names stay as they are.
    const welsh = (await responseOf(() =>
      fileRoute.loader({
        request: new Request(`http://localhost/spending/${slug}/spend.csv?lng=cy`),
        params: { fy: slug, file: "spend.csv" },
        context: {},
      }),
    )) as Response;
    expect(welsh.headers.get("Vary")).toContain("Accept-Language");
    const [welshHeader] = parse(await welsh.text()) as string[][];
    expect(welshHeader).toEqual([...SPEND_COLUMNS.slice(0, -1), "Cyfeirnod Cofnod y Cyfriflyfr"]);
    const json = (await file("360giving.json")) as Response;
    expect(((await json.json()) as { grants: unknown[] }).grants).toHaveLength(periods[0]!.summary.grants);
    expect(((await file("360giving.csv")) as Response).status).toBe(200);
    expect(((await file("passwords.csv")) as Response).status).toBe(404);
  });
});
