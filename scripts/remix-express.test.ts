/**
 * scripts/remix-express.mjs against real HTTP: an Express server with a one-route Remix build whose
 * action echoes what it was given. Small form bodies (read into a buffer), large ones (streamed)
 * and chunked ones must reach the action alike; response headers, cookies and redirects must come
 * back as @remix-run/express sends them.
 */
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUFFERED_BODY_LIMIT, createRequestHandler } from "./remix-express.mjs";

const rootModule = {
  async action({ request }: { request: Request }) {
    const form = await request.formData();
    const fields = Object.fromEntries([...form.entries()].map(([k, v]) => [k, typeof v === "string" ? v : `file:${v.name}:${v.size}`]));
    if (fields.intent === "redirect") return new Response(null, { status: 302, headers: { Location: "/elsewhere" } });
    const headers = new Headers({ "Content-Type": "application/json; charset=utf-8" });
    headers.append("Set-Cookie", "a=1; Path=/");
    headers.append("Set-Cookie", "b=2; Path=/");
    return new Response(JSON.stringify({ url: request.url, method: request.method, cookie: request.headers.get("cookie"), fields }), { headers });
  },
  async loader({ request }: { request: Request }) {
    return new Response(JSON.stringify({ url: request.url }), { headers: { "Content-Type": "application/json" } });
  },
};

const build = {
  mode: "production",
  basename: undefined,
  future: {},
  publicPath: "/build/",
  assetsBuildDirectory: "public/build",
  assets: { entry: { module: "/build/entry.js", imports: [] }, routes: {}, url: "/build/manifest.js", version: "test" },
  entry: { module: { default: () => new Response("<!doctype html>", { headers: { "Content-Type": "text/html" } }) } },
  routes: { root: { id: "root", path: "", module: rootModule } },
};

let server: Server;
let origin: string;

beforeAll(async () => {
  const app = express();
  app.all("*", createRequestHandler({ build, mode: "production", getLoadContext: () => ({}) }));
  server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const post = (body: BodyInit, headers: Record<string, string> = {}) => fetch(`${origin}/?_data=root`, { method: "POST", body, headers, redirect: "manual" });

describe("the Express → Remix handler", () => {
  it("gives an action a small form post whole, with the URL, method and headers", async () => {
    const res = await post(new URLSearchParams({ intent: "cast", ranking: "3,1,2" }), { cookie: "wardfund_vote_code=x" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-length")).not.toBeNull();
    expect(res.headers.get("x-remix-response")).toBe("yes");
    expect(res.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; Path=/"]);
    const data = await res.json();
    expect(data).toEqual({ url: `${origin}/`, method: "POST", cookie: "wardfund_vote_code=x", fields: { intent: "cast", ranking: "3,1,2" } });
  });

  it("streams a body larger than the buffered limit, and a chunked one, to the same effect", async () => {
    const big = "x".repeat(BUFFERED_BODY_LIMIT * 2);
    const res = await post(new URLSearchParams({ intent: "cast", note: big }));
    expect((await res.json()).fields.note).toHaveLength(big.length);
    const chunked = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("intent=cast&"));
        controller.enqueue(new TextEncoder().encode("ranking=4"));
        controller.close();
      },
    });
    const streamed = await fetch(`${origin}/?_data=root`, { method: "POST", body: chunked, headers: { "content-type": "application/x-www-form-urlencoded" }, duplex: "half" } as RequestInit);
    expect((await streamed.json()).fields).toEqual({ intent: "cast", ranking: "4" });
  });

  it("passes multipart uploads and answers redirects as Remix data requests expect", async () => {
    const form = new FormData();
    form.append("intent", "upload");
    form.append("photo", new Blob([new Uint8Array(1000)], { type: "image/png" }), "p.png");
    expect((await (await post(form)).json()).fields).toEqual({ intent: "upload", photo: "file:p.png:1000" });
    const redirected = await post(new URLSearchParams({ intent: "redirect" }));
    expect(redirected.status).toBe(204);
    expect(redirected.headers.get("x-remix-redirect")).toBe("/elsewhere");
  });

  it("takes the port from X-Forwarded-Host or Host, as @remix-run/express does", async () => {
    const res = await fetch(`${origin}/?_data=root`, { headers: { "X-Forwarded-Host": "example.org:8443" } });
    expect((await res.json()).url).toBe(`http://127.0.0.1:8443/`);
  });
});
