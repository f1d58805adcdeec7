/**
 * scripts/request-limits.mjs against real HTTP: an Express server with @remix-run/express's handler
 * and a one-route Remix build whose action reads the whole body (as every action does) and reports
 * what it was given. Bodies over their route's limit are refused with 413 while they stream, and
 * the server stops reading them.
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { createRequestHandler } from "@remix-run/express";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  FORM_BODY_LIMIT,
  KiB,
  MiB,
  MULTIPART_PART_LIMIT,
  UPLOAD_BODY_LIMIT,
  withBodyLimits,
} from "./request-limits.mjs";

const everyPathModule = {
  async action({ request }: { request: Request }) {
    const form = await request.formData();
    const fields = [...form.entries()].map(([k, v]) =>
      typeof v === "string" ? `${k}:${v.length}` : `${k}:file:${v.size}`,
    );
    return { fields };
  },
  async loader() {
    return new Response("{}", { headers: { "Content-Type": "application/json" } });
  },
};

const build = {
  mode: "production",
  basename: undefined,
  future: {},
  publicPath: "/build/",
  assetsBuildDirectory: "public/build",
  assets: { entry: { module: "/build/entry.js", imports: [] }, routes: {}, url: "/build/manifest.js", version: "test" },
  // The "document" is the action's answer, so a plain form post shows what the action was given.
  entry: {
    module: {
      default: (
        _request: Request,
        status: number,
        headers: Headers,
        context: { staticHandlerContext: { actionData: Record<string, unknown> | null } },
      ) =>
        new Response(JSON.stringify(context.staticHandlerContext.actionData?.["routes/$"] ?? null), {
          status,
          headers,
        }),
    },
  },
  routes: {
    root: { id: "root", path: "", module: {} },
    "routes/$": { id: "routes/$", parentId: "root", path: "*", module: everyPathModule },
  },
};

let server: http.Server;
let port: number;
/** Bytes the server read from each connection's socket, recorded when the socket closes. */
const bytesReadBySocket: number[] = [];
const openSockets = new Set<Socket>();

beforeAll(async () => {
  const app = express();
  app.all("*", withBodyLimits(createRequestHandler({ build: build as never, mode: "production" })));
  server = app.listen(0, "127.0.0.1");
  server.on("connection", (socket: Socket) => {
    openSockets.add(socket);
    socket.once("close", () => {
      openSockets.delete(socket);
      bytesReadBySocket.push(socket.bytesRead);
    });
  });
  await new Promise((resolve) => server.once("listening", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

type Answer = { status: number; body: string; bytesSent: number };

/**
 * POSTs `total` bytes made by `chunkAt` (chunked, with no Content-Length unless `declare`), writing
 * only as fast as the socket takes them and stopping once the answer arrives or the socket fails.
 */
function post(
  pathname: string,
  contentType: string,
  total: number,
  chunkAt: (offset: number) => Buffer,
  declare = false,
) {
  return new Promise<Answer>((resolve, reject) => {
    let bytesSent = 0;
    let answered = false;
    const headers: Record<string, string | number> = { "Content-Type": contentType };
    if (declare) headers["Content-Length"] = total;
    const request = http.request({ host: "127.0.0.1", port, path: pathname, method: "POST", headers, agent: false });
    request.on("response", (response) => {
      answered = true;
      const parts: Buffer[] = [];
      response.on("data", (part: Buffer) => parts.push(part));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(parts).toString(), bytesSent }),
      );
      response.on("error", reject);
    });
    request.on("error", (error) => {
      if (!answered) reject(error);
    });
    const write = () => {
      while (!answered && bytesSent < total && !request.destroyed) {
        const chunk = chunkAt(bytesSent).subarray(0, total - bytesSent);
        bytesSent += chunk.length;
        if (!request.write(chunk)) return void request.once("drain", write);
      }
      if (!answered && bytesSent >= total) request.end();
    };
    write();
  });
}

const formChunk = Buffer.from("note=" + "a".repeat(64 * KiB - 5));
const aaaa = Buffer.alloc(64 * KiB, "a");

function multipart(boundary: string, parts: { name: string; filename?: string; size: number }[]) {
  const pieces: Buffer[] = [];
  for (const part of parts) {
    const disposition = `form-data; name="${part.name}"${part.filename ? `; filename="${part.filename}"` : ""}`;
    const type = part.filename ? "Content-Type: application/octet-stream\r\n" : "";
    pieces.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n${type}\r\n`),
      Buffer.alloc(part.size, "x"),
      Buffer.from("\r\n"),
    );
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(pieces);
}

function postBuffer(pathname: string, contentType: string, body: Buffer) {
  return post(pathname, contentType, body.length, (offset) => body.subarray(offset, offset + 64 * KiB), true);
}

describe("request body limits", () => {
  it("refuses a 150 MB streamed form with 413 after reading little of it", async () => {
    const total = 150 * MiB;
    const before = bytesReadBySocket.length;
    const answer = await post("/login", "application/x-www-form-urlencoded", total, (offset) =>
      offset === 0 ? formChunk : aaaa,
    );
    expect(answer.status).toBe(413);
    expect(answer.body).toContain("Too large to accept");
    await expect.poll(() => bytesReadBySocket.length).toBeGreaterThan(before);
    const bytesRead = bytesReadBySocket.at(-1)!;
    // The server reads past the limit only by what was in flight; far from the 150 MB sent at it.
    expect(bytesRead).toBeLessThan(8 * MiB);
    expect(answer.bytesSent).toBeLessThan(total);
  });

  it("refuses a declared 150 MB body before reading it", async () => {
    const answer = await post("/login", "application/x-www-form-urlencoded", 150 * MiB, () => aaaa, true);
    expect(answer.status).toBe(413);
    expect(answer.bytesSent).toBeLessThan(150 * MiB);
  });

  it("accepts an ordinary form and refuses one just over 100 KiB", async () => {
    const small = await postBuffer(
      "/login",
      "application/x-www-form-urlencoded",
      Buffer.from("email=a%40b.c&password=secret"),
    );
    expect(small.status).toBe(200);
    expect(JSON.parse(small.body).fields).toEqual(["email:5", "password:6"]);

    const atLimit = Buffer.from("note=" + "a".repeat(FORM_BODY_LIMIT - 5));
    expect((await postBuffer("/login", "application/x-www-form-urlencoded", atLimit)).status).toBe(200);

    const over = Buffer.from("note=" + "a".repeat(FORM_BODY_LIMIT - 4));
    const declared = await postBuffer("/login", "application/x-www-form-urlencoded", over);
    expect(declared.status).toBe(413);
    const streamed = await post("/login", "application/x-www-form-urlencoded", over.length, (offset) =>
      over.subarray(offset, offset + 16 * KiB),
    );
    expect(streamed.status).toBe(413);
  });

  it("accepts an upload just under 11 MiB on an upload route, but not on an ordinary one", async () => {
    const boundary = "----wardfund-test-boundary";
    const body = multipart(boundary, [
      { name: "intent", size: 6 },
      { name: "file", filename: "plan.pdf", size: UPLOAD_BODY_LIMIT - 4 * KiB },
    ]);
    expect(body.length).toBeLessThan(UPLOAD_BODY_LIMIT);
    const type = `multipart/form-data; boundary=${boundary}`;
    const accepted = await post("/bids/7/edit", type, body.length, (offset) =>
      body.subarray(offset, offset + 64 * KiB),
    );
    expect(accepted.status).toBe(200);
    expect(JSON.parse(accepted.body).fields).toEqual(["intent:6", `file:file:${UPLOAD_BODY_LIMIT - 4 * KiB}`]);
    expect((await postBuffer("/bids/7/edit.data", type, body)).status).toBe(200);

    expect(
      (await post("/bids/7", type, body.length, (offset) => body.subarray(offset, offset + 64 * KiB))).status,
    ).toBe(413);
    const tooBig = multipart(boundary, [{ name: "file", filename: "plan.pdf", size: UPLOAD_BODY_LIMIT }]);
    expect((await postBuffer("/bids/7/edit", type, tooBig)).status).toBe(413);
  });

  it("refuses a multipart body with too many parts", async () => {
    const boundary = "parts-boundary";
    const type = `multipart/form-data; boundary=${boundary}`;
    const many = (count: number) =>
      multipart(
        boundary,
        Array.from({ length: count }, (_, i) => ({ name: `f${i}`, size: 1 })),
      );
    expect((await postBuffer("/bids/7/edit", type, many(MULTIPART_PART_LIMIT))).status).toBe(200);
    const refused = await post("/bids/7/edit", type, many(MULTIPART_PART_LIMIT + 1).length, (offset) =>
      many(MULTIPART_PART_LIMIT + 1).subarray(offset, offset + 7),
    );
    expect(refused.status).toBe(413);
    expect(refused.body).toContain(`more than ${MULTIPART_PART_LIMIT} parts`);
  });
});
