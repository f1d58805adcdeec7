/**
 * Request body limits, counted while the body streams in, for the Express server in front of Remix.
 *
 * A body over its route's limit (or a multipart body with too many parts) is answered 413 with a
 * short page the moment the limit is passed, the connection is closed after that answer, and nothing
 * more of the body is read. A Content-Length over the limit is refused before any of the body is read.
 * The Remix handler reads the body through a counting stream, so when the limit is passed mid-way its
 * request body errors and whatever it answers is dropped (the 413 has already gone out).
 */
import { Transform } from "node:stream";

export const KiB = 1024;
export const MiB = 1024 * KiB;
/** Ordinary forms: a few fields of text. */
export const FORM_BODY_LIMIT = 100 * KiB;
/** Routes that take a file: one file of up to 10 MB with the rest of its form. */
export const UPLOAD_BODY_LIMIT = 11 * MiB;
/** Parts in one multipart body (fields and files together). */
export const MULTIPART_PART_LIMIT = 100;

/**
 * The routes that take uploads, with their limits. A path may end in `.data` (a single-fetch
 * submission from the page's script) as well as being the page itself.
 */
export const UPLOAD_ROUTES = [
  /** A bid's files (one at a time, each up to 10 MB). */
  { pattern: /^\/bids\/[^/]+\/edit(?:\.data)?$/, limit: UPLOAD_BODY_LIMIT },
  /** Monitoring photos: up to five of up to 10 MB each in one form. */
  { pattern: /^\/bids\/[^/]+\/monitoring(?:\.data)?$/, limit: 51 * MiB },
  /** The postcode directory import: a CSV of up to 50 MB. */
  { pattern: /^\/admin\/postcodes(?:\.data)?$/, limit: 51 * MiB },
  /** A round's residents' register extract: a CSV of up to 10 MB. */
  { pattern: /^\/admin\/rounds\/[^/]+\/register(?:\.data)?$/, limit: UPLOAD_BODY_LIMIT },
  /** Paper ballot batches: typed-in ballots, which can run past an ordinary form's size. */
  { pattern: /^\/admin\/rounds\/[^/]+\/paper(?:\/[^/]+)?(?:\.data)?$/, limit: UPLOAD_BODY_LIMIT },
];

/** The body limit for a request path. */
export function bodyLimitFor(pathname) {
  for (const route of UPLOAD_ROUTES) if (route.pattern.test(pathname)) return route.limit;
  return FORM_BODY_LIMIT;
}

const describeSize = (bytes) => (bytes >= MiB ? `${Math.round(bytes / MiB)} MB` : `${Math.round(bytes / KiB)} KB`);

function refusalPage(message) {
  return `<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Too large to
  accept</title></head>
<body>
<main>
<h1>Too large to accept</h1>
<p>${message}</p>
<p>Nothing you sent was saved. <a href="javascript:history.back()">Go back</a> and send less, or split it into smaller
  parts.</p>
</main>
</body>
</html>
`;
}

/** Answers 413 once, closing the connection after the answer so no more of the body is read. */
function refuse(req, res, message) {
  if (res.headersSent) return;
  req.unpipe();
  req.pause();
  res.status(413);
  res.setHeader("Connection", "close");
  res.setHeader("Cache-Control", "no-store");
  res.type("html").send(refusalPage(message));
  res.once("finish", () => req.socket?.destroySoon?.());
}

/**
 * The multipart boundary delimiter of a request, or null when it is not multipart.
 * @param {string | undefined} contentType
 */
function multipartDelimiter(contentType) {
  if (!contentType || !/^multipart\//i.test(contentType)) return null;
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  return boundary ? Buffer.from(`--${boundary}`) : null;
}

/** Counts the occurrences of `delimiter` across chunks, keeping a tail so none split between chunks is missed. */
function delimiterCounter(delimiter) {
  let tail = Buffer.alloc(0);
  return (chunk) => {
    const data = tail.length ? Buffer.concat([tail, chunk]) : chunk;
    let found = 0;
    for (let at = data.indexOf(delimiter); at !== -1; at = data.indexOf(delimiter, at + delimiter.length)) found += 1;
    // Keep only enough of the end for a delimiter starting there; one already counted cannot be in it.
    tail = Buffer.from(data.subarray(Math.max(0, data.length - (delimiter.length - 1))));
    return found;
  };
}

/**
 * Wraps an Express request handler that reads the request body (the Remix handler) so the body
 * reaches it through a stream that counts bytes and multipart parts, refusing with 413 past the
 * limits. `limitFor` gives the byte limit of a request path.
 */
export function withBodyLimits(handler, { limitFor = bodyLimitFor, maxParts = MULTIPART_PART_LIMIT } = {}) {
  return (req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD") return handler(req, res, next);
    const limit = limitFor(req.path);
    const tooLarge = `The form you sent is larger than this page accepts (${describeSize(limit)}).`;
    const declared = Number(req.get("content-length") ?? "0");
    if (declared > limit) return refuse(req, res, tooLarge);

    const delimiter = multipartDelimiter(req.get("content-type"));
    // A body of declared length within the limit, not chunked and not multipart, needs no counting:
    // Node's HTTP parser never delivers more than Content-Length bytes.
    if (!delimiter && req.get("content-length") !== undefined && req.get("transfer-encoding") === undefined)
      return handler(req, res, next);
    const countDelimiters = delimiter ? delimiterCounter(delimiter) : null;
    let received = 0;
    let delimiters = 0;
    let refused = false;
    const counted = new Transform({
      transform(chunk, _encoding, callback) {
        received += chunk.length;
        if (countDelimiters) delimiters += countDelimiters(chunk);
        // Every part opens with a delimiter and the body ends with one more.
        const message =
          received > limit
            ? tooLarge
            : delimiters > maxParts + 1
              ? `The form you sent has more than ${maxParts} parts.`
              : null;
        if (message) {
          refused = true;
          refuse(req, res, message);
          return callback(new Error(message));
        }
        callback(null, chunk);
      },
    });
    // The reader of the body (Remix's request) gets any error from its own listener; this one keeps
    // an error from going unhandled when the handler answers without reading the body.
    counted.on("error", () => {});
    req.on("error", (error) => counted.destroy(error));
    req.on("close", () => {
      if (!req.complete && !counted.destroyed)
        counted.destroy(new Error("The request was closed before its body ended."));
    });
    req.pipe(counted);

    // The handler sees the request with the counted stream as its body; everything else (method,
    // headers, URL, Express's getters) comes from the request itself through the prototype chain.
    const view = Object.create(req);
    for (const method of ["on", "once", "off", "removeListener", "pause", "resume", "destroy"]) {
      view[method] = counted[method].bind(counted);
    }
    Object.defineProperty(view, "readable", { get: () => counted.readable });
    Object.defineProperty(view, "readableHighWaterMark", { get: () => counted.readableHighWaterMark });
    handler(view, res, (error) => (refused ? undefined : next(error)));
  };
}
