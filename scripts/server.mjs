/**
 * The HTTP server: Express in front of the Remix build (@remix-run/express's request handler), adding
 * what Remix has no place for: security headers with a per-response CSP nonce, refusal of cross-site
 * state-changing requests, request body limits (scripts/request-limits.mjs), compression, long-lived
 * caching of fingerprinted assets, and the client address for rate limits. Casts (the ballot page's
 * single-fetch submissions) go to a handler whose route table holds only that page's routes.
 *
 * `npm start` runs the migrations (and seeds an empty database) before starting this server.
 */
import crypto from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";
import { withBodyLimits } from "./request-limits.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? "127.0.0.1";
const production = process.env.NODE_ENV === "production";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const build = await import(path.join(root, "build", "index.js"));

const environment = build.entry.module.serverEnvironment();
if (!environment.ok) {
  console.error(environment.message);
  process.exit(1);
}
for (const notice of environment.notices) console.log(notice);

// The outbox worker: sends queued mail with retries when SMTP_URL is set (app/utils/mail.server.ts).
build.entry.module.startMailWorker?.();

/**
 * CSP nonces: 16 bytes from the CSPRNG each, drawn from a 4 KiB pool refilled with
 * crypto.randomFillSync (one call per 256 responses rather than one each; every byte used once).
 */
const noncePool = Buffer.alloc(4096);
let nonceOffset = noncePool.length;
function newNonce() {
  if (nonceOffset + 16 > noncePool.length) {
    crypto.randomFillSync(noncePool);
    nonceOffset = 0;
  }
  const nonce = noncePool.toString("base64", nonceOffset, nonceOffset + 16);
  noncePool.fill(0, nonceOffset, nonceOffset + 16);
  nonceOffset += 16;
  return nonce;
}

/**
 * The build with its route table cut down to one route, its parents and its children, and that
 * route's full path. Remix's handler matches each request against the whole table (flattening,
 * ranking and compiling every route's path each time), so the ballot page's casts (POSTs to its
 * `.data` URL) go to a handler that knows only that page's routes: `npm run bench:vote` measured
 * about 1.1 ms of server CPU per cast this way against 1.9 ms through the full table. Documents
 * still go to the full handler: rendering one needs every route module of the browser's manifest.
 */
function buildForRoute(routeId) {
  const all = build.routes;
  if (!all[routeId]) throw new Error(`The build has no route ${routeId}`);
  const within = (id) => {
    for (let route = all[id]; route; route = route.parentId ? all[route.parentId] : undefined) {
      if (route.id === routeId) return true;
    }
    return false;
  };
  const routes = {};
  const segments = [];
  for (let route = all[routeId]; route; route = route.parentId ? all[route.parentId] : undefined) {
    routes[route.id] = route;
    if (route.path) segments.unshift(route.path);
  }
  for (const id of Object.keys(all)) if (within(id)) routes[id] = all[id];
  return { build: { ...build, routes }, path: `/${segments.join("/")}` };
}

const getLoadContext = (req, res) => ({ cspNonce: res.locals.cspNonce, clientIp: req.ip ?? "unknown" });

const app = express();
app.disable("x-powered-by");
if (process.env.TRUST_PROXY === "1") app.set("trust proxy", 1);
// Nothing here reads req.query (Remix parses the URL itself); the simple parser is the cheap one.
app.set("query parser", "simple");
// Compression is for pages and downloads. An action's answer to a single-fetch submission (a POST to
// a page's `.data` URL, such as a cast) is a few hundred bytes, under compression's threshold, so
// those requests skip the middleware's per-response work.
const compress = compression();
const DATA_PATH = /\.data$/;
// A kiosk's cast (POST /kiosk/cast) answers with a receipt and its QR code to a tablet on the hall's
// network: compressing it cost more server time per cast than the bytes it saved.
const KIOSK_CAST_PATH = "/kiosk/cast";
app.use((req, res, next) =>
  !SAFE_METHODS.has(req.method) && (DATA_PATH.test(req.path) || req.path === KIOSK_CAST_PATH)
    ? next()
    : compress(req, res, next),
);

// The Content-Security-Policy around its nonce, joined once.
const NONCE_MARK = "{nonce}";
const [cspBefore, cspAfter] = [
  "default-src 'self'",
  `script-src 'self' 'nonce-${NONCE_MARK}'`,
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "object-src 'none'",
  ...(production ? ["upgrade-insecure-requests"] : []),
]
  .join("; ")
  .split(NONCE_MARK);

app.use((req, res, next) => {
  const nonce = newNonce();
  res.locals.cspNonce = nonce;
  res.setHeader("Content-Security-Policy", `${cspBefore}${nonce}${cspAfter}`);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
  if (production) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  next();
});

// Cross-site request refusal, before anything else sees the request. The same check runs again in
// the route guards, so an action is safe even if it is ever mounted without this server.
app.use((req, res, next) => {
  if (SAFE_METHODS.has(req.method)) return next();
  const origin = req.get("origin");
  const own = `${req.protocol}://${req.get("host")}`;
  if (!origin || origin !== own) {
    res.status(403).type("text/plain").send("This form was sent from another site, so it was refused.");
    return;
  }
  next();
});

app.use("/build", express.static(path.join(root, "public", "build"), { immutable: true, maxAge: "1y" }));
// Every file in public/ has an extension, and no page's path ends in one that is a file there; so
// only a path with an extension is looked up on disk (express.static stats every path it is given).
const publicFiles = express.static(path.join(root, "public"), { maxAge: "1h" });
const FILE_PATH = /\.[A-Za-z0-9]+$/;
app.use((req, res, next) => (FILE_PATH.test(req.path) ? publicFiles(req, res, next) : next()));

// Single fetch answers a page's `.data` request with headers from its routes' `headers` exports only
// (a loader's or action's own Cache-Control no longer reaches it), and no route exports one; so
// data requests, and every answer to a form post, are marked not to be stored. (A route that one day
// exports a Cache-Control would add a second value to this one.)
app.use((req, res, next) => {
  if (!SAFE_METHODS.has(req.method) || DATA_PATH.test(req.path)) res.setHeader("Cache-Control", "no-store");
  next();
});

// The ballot page's route, found in the build by its file name (routes/rounds.$roundId.vote.tsx).
const voteRouteId = Object.keys(build.routes).find((id) => id.endsWith("/rounds.$roundId.vote"));
const votePage = buildForRoute(voteRouteId);
const votePageData = withBodyLimits(createRequestHandler({ build: votePage.build, mode: build.mode, getLoadContext }));
// A cast from the page's script: the page's `.data` URL, POSTed.
app.post(`${votePage.path}.data`, votePageData);
// Decision day, likewise through tables of one route each: a kiosk's cast (routes/kiosk.cast.ts), and
// an officer's issue from the event page (a POST to its `.data` URL), which arrive together all day.
const kioskCastRouteId = Object.keys(build.routes).find((id) => id.endsWith("/kiosk.cast"));
const kioskCast = buildForRoute(kioskCastRouteId);
app.post(
  kioskCast.path,
  withBodyLimits(createRequestHandler({ build: kioskCast.build, mode: build.mode, getLoadContext })),
);
const eventPageRouteId = Object.keys(build.routes).find((id) => id.endsWith("/admin.rounds.$roundId.events.$eventId"));
const eventPage = buildForRoute(eventPageRouteId);
app.post(
  `${eventPage.path}.data`,
  withBodyLimits(createRequestHandler({ build: eventPage.build, mode: build.mode, getLoadContext })),
);

app.all("*", withBodyLimits(createRequestHandler({ build, mode: build.mode, getLoadContext })));

const server = app.listen(port, host, () => {
  console.log(`Wardfund is running at http://${host === "127.0.0.1" ? "localhost" : host}:${port}`);
});

// On SIGTERM or SIGINT stop taking connections and exit once the open requests are answered (or
// after 10 s), so a process manager's stop is clean and `--cpu-prof` gets to write its profile.
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.once(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
    setTimeout(() => process.exit(0), 10_000).unref();
  });
}
