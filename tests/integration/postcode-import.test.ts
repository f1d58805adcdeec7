/**
 * The streaming postcode import (app/models/postcode-csv.server.ts) and its page, on a real
 * SQLite file: batches and progress, rows of other councils' wards skipped and counted, the
 * council's own rows kept, parser errors answered 400 naming the line, and the postcode search.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listWards, wardForPostcode } from "~/models/council.server";
import { importPostcodeCsv, PostcodeFileError, type PostcodeImportProgress } from "~/models/postcode-csv.server";
import { messageText } from "~/utils/message-text";
import { action, loader } from "~/routes/admin.postcodes";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { ORIGIN, sessionCookieFor } from "../support/requests";

let t: TestDatabase;
let adminCookie: string;
const actor = { id: "admin-test", name: "Test Admin" };
beforeAll(async () => {
  t = await createTestDatabase({ seed: true });
  adminCookie = await sessionCookieFor("admin@eastbrook.example");
});
afterAll(() => t.close());

const HEADER = "pcd,pcd2,pcds,dointr,osward,oslaua\n";

/** `n` postcodes ZY<area> <sector><unit><unit> in `ward`. */
function rows(n: number, ward: string, area: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const unit =
      String.fromCharCode(65 + (Math.floor(i / 10) % 26)) + String.fromCharCode(65 + (Math.floor(i / 260) % 26));
    return `x,x,ZY${area} ${i % 10}${unit},202401,${ward},E06000001`;
  });
}

/** The text in chunks of `size` characters, as an upload arrives. */
async function* chunks(text: string, size = 4096) {
  for (let i = 0; i < text.length; i += size) yield new TextEncoder().encode(text.slice(i, i + size));
}

function uploadRequest(content: string | Uint8Array<ArrayBuffer>, fileName = "onspd.csv"): Request {
  const form = new FormData();
  form.append("file", new File([content], fileName, { type: "text/csv" }));
  return new Request(`${ORIGIN}/admin/postcodes`, {
    method: "POST",
    headers: { Cookie: adminCookie, Origin: ORIGIN },
    body: form,
  });
}

async function answer(run: Promise<Response>) {
  const response = await run;
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("streaming postcode import", () => {
  it("writes in batches, reports progress, keeps the council's wards and skips the others", async () => {
    const own = listWards()[0]!.gssCode;
    const csv =
      HEADER +
      [...rows(2500, own, 1), ...rows(2600, "E05000123", 2), "x,x,not a postcode,202401," + own + ",E06000001"].join(
        "\r\n",
      );
    const progress: PostcodeImportProgress[] = [];
    const summary = await importPostcodeCsv(
      actor,
      "national.csv",
      chunks(csv),
      new Set(listWards().map((w) => w.gssCode)),
      {
        batchRows: 1000,
        onProgress: (p) => progress.push(p),
      },
    );
    expect(summary).toMatchObject({ imported: 2500, otherWards: 2600, problemCount: 1 });
    expect(
      summary.problems.map((p) => ({
        line: p.line,
        en: messageText(p.message, "en"),
        cy: messageText(p.message, "cy"),
      })),
    ).toEqual([
      { line: 5102, en: "“not a postcode” is not a UK postcode", cy: "Nid yw “not a postcode” yn god post yn y DU" },
    ]);
    expect(progress.map((p) => p.rowsRead)).toEqual([1000, 2000, 3000, 4000, 5000, 5101]);
    expect(progress.map((p) => p.imported)).toEqual([1000, 2000, 2500, 2500, 2500, 2500]);
    expect(wardForPostcode("ZY1 0AA")?.gssCode).toBe(own);
    expect(wardForPostcode("ZY2 0AA")).toBeUndefined();
  });

  it("lets other work run between batches", async () => {
    const own = listWards()[1]!.gssCode;
    const csv = HEADER + rows(6000, own, 3).join("\n");
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    await importPostcodeCsv(actor, "ticks.csv", chunks(csv, 1 << 20), new Set([own]), { batchRows: 500 });
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(3);
  });

  it("names the line of a stray quote, with the batches before it imported", async () => {
    const own = listWards()[0]!.gssCode;
    const csv = HEADER + [...rows(30, own, 4), `x,x,ZY4 9"ZZ,202401,${own},E06000001`].join("\n");
    const error = await importPostcodeCsv(actor, "quote.csv", chunks(csv), new Set([own]), { batchRows: 10 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PostcodeFileError);
    expect(messageText((error as PostcodeFileError).message, "en")).toMatch(/^Line 32: a field has a double quote/);
    expect(messageText((error as PostcodeFileError).message, "cy")).toMatch(/^Llinell 32: mae dyfynnod dwbl/);
    const before = (error as PostcodeFileError).importedBefore;
    const kept = t.db.$client.prepare("select count(*) from postcodes where postcode like 'ZY4 %'").pluck().get();
    expect(kept).toBe(before);
    expect(before).toBeLessThanOrEqual(30);
  });
});

describe("/admin/postcodes", () => {
  it("imports an upload and reports what it did", async () => {
    const own = listWards()[2]!.gssCode;
    const { status, body } = await answer(
      action({
        request: uploadRequest(HEADER + [...rows(40, own, 5), ...rows(5, "E05000999", 6)].join("\n")),
        params: {},
        context: {},
      }) as Promise<Response>,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, fileName: "onspd.csv", imported: 40, otherWards: 5, problemCount: 0 });
  });

  it("answers 400 naming the line for a quote inside a field", async () => {
    const { status, body } = await answer(
      action({
        request: uploadRequest(
          HEADER + 'x,x,AB1 1AA,202401,E05990001,E06000001\nx,x,AB1 "1AB,202401,E05990001,E06000001\n',
        ),
        params: {},
        context: {},
      }) as Promise<Response>,
    );
    expect(status).toBe(400);
    expect((body.errors as { file: string }).file).toBe("admin:postcodes.fileProblem");
    expect(messageText(String(body.problem), "en")).toMatch(/^Line 3: a field has a double quote/);
  });

  it("answers 400 naming the line for a binary file", async () => {
    const binary = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00, 0x0a, 0xff, 0xfe]);
    const { status, body } = await answer(
      action({ request: uploadRequest(binary, "onspd.zip"), params: {}, context: {} }) as Promise<Response>,
    );
    expect(status).toBe(400);
    expect((body.errors as { file: string }).file).toBe("admin:postcodes.fileProblem");
    expect(messageText(String(body.problem), "en")).toMatch(/^Line 1: the file is not CSV text/);
  });

  it("answers 400 for a missing column and for no file", async () => {
    const missing = await answer(
      action({
        request: uploadRequest("postcode,ward\nAB1 1AA,E05990001\n"),
        params: {},
        context: {},
      }) as Promise<Response>,
    );
    expect(missing.status).toBe(400);
    expect((missing.body.errors as { file: string }).file).toBe("admin:postcodes.missingColumn");
    expect(missing.body.column).toBe("pcds");
    const empty = await answer(action({ request: uploadRequest(""), params: {}, context: {} }) as Promise<Response>);
    expect(empty.status).toBe(400);
  });

  it("searches postcodes by their start, with or without the space", async () => {
    const own = listWards()[2]!;
    const search = async (q: string) =>
      (
        await answer(
          loader({
            request: new Request(`${ORIGIN}/admin/postcodes?q=${encodeURIComponent(q)}`, {
              headers: { Cookie: adminCookie },
            }),
            params: {},
            context: {},
          }) as Promise<Response>,
        )
      ).body;
    const found = await search("zy5 0");
    expect((found.results as { postcode: string }[]).map((r) => r.postcode)).toContain("ZY5 0AA");
    expect(found.results).toContainEqual({ postcode: "ZY5 0AA", wardGssCode: own.gssCode, wardName: own.name });
    expect(((await search("ZY50AA")).results as unknown[]).length).toBe(1);
    expect((await search("<script>")).searchError).toBe("admin:postcodes.characters");
    expect((await search("ZY5 0AA ZY5 ".repeat(6))).searchError).toBe("admin:postcodes.tooLong");
  });
});
