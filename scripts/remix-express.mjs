/**
 * Express → Remix request handler: @remix-run/express's `createRequestHandler`, with the same
 * request and response semantics, doing less work for the small requests a voting day is made of.
 *
 * - A request body of known, small length (a form post) is read into one buffer before the Fetch
 *   Request is made, instead of being wrapped in a web ReadableStream pumped from the socket.
 *   Bodies sent chunked or larger than BUFFERED_BODY_LIMIT (file uploads) are streamed as before.
 * - A JSON response (what a `?_data=` request gets) is written in one piece with its length;
 *   anything else (documents, which React streams, downloads, event streams) is streamed as before.
 * - As in @remix-run/express, the request's signal is aborted if the client goes away before the
 *   response is finished; the URL is built the same way (X-Forwarded-Host / Host port, `trust proxy`).
 */
import { createReadableStreamFromReadable, createRequestHandler as createRemixRequestHandler, writeReadableStreamToWritable } from "@remix-run/node";

/** Bodies up to this many bytes, with a Content-Length, are buffered. */
export const BUFFERED_BODY_LIMIT = 64 * 1024;

export function createRequestHandler({ build, getLoadContext, mode = process.env.NODE_ENV }) {
  const handleRequest = createRemixRequestHandler(build, mode);
  return async (req, res, next) => {
    try {
      const request = await createRemixRequest(req, res);
      const loadContext = await getLoadContext?.(req, res);
      const response = await handleRequest(request, loadContext);
      await sendRemixResponse(res, response);
    } catch (error) {
      next(error);
    }
  };
}

function createRemixHeaders(requestHeaders) {
  const headers = new Headers();
  for (const key in requestHeaders) {
    const values = requestHeaders[key];
    if (!values) continue;
    if (Array.isArray(values)) for (const value of values) headers.append(key, value);
    else headers.set(key, values);
  }
  return headers;
}

function portOf(hostHeader) {
  const port = Number.parseInt(hostHeader?.split(":")[1], 10);
  return Number.isSafeInteger(port) ? port : null;
}

/** The whole body of a request whose Content-Length is `length`, or null if the client went away. */
function readBody(req, length) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let received = 0;
    const done = (error, body) => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
      if (error) reject(error);
      else resolve(body);
    };
    const onData = (chunk) => {
      received += chunk.length;
      chunks.push(chunk);
    };
    const onEnd = () => {
      if (received !== length) return done(new Error(`The request body was ${received} bytes, not the ${length} its Content-Length says`));
      done(null, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, received));
    };
    const onError = (error) => done(error);
    const onClose = () => {
      if (!req.complete) done(null, null);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
  });
}

async function createRemixRequest(req, res) {
  // req.hostname has no port, so take it from X-Forwarded-Host or Host, as @remix-run/express does.
  const port = portOf(req.get("X-Forwarded-Host")) ?? portOf(req.get("host"));
  const url = `${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`;
  let controller = new AbortController();
  const init = { method: req.method, headers: createRemixHeaders(req.headers), signal: controller.signal };
  // Abort loaders and actions once the response can no longer be written, if it was not finished.
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  if (req.method !== "GET" && req.method !== "HEAD") {
    const length = req.headers["transfer-encoding"] === undefined ? Number(req.headers["content-length"] ?? 0) : Number.NaN;
    if (Number.isSafeInteger(length) && length <= BUFFERED_BODY_LIMIT) {
      if (length > 0) {
        const body = await readBody(req, length);
        // The client went away mid-body: the request fails as a streamed one would.
        if (body === null) throw new Error("The client closed the connection before sending the whole request body");
        init.body = body;
      }
    } else {
      init.body = createReadableStreamFromReadable(req);
      init.duplex = "half";
    }
  }
  return new Request(url, init);
}

async function sendRemixResponse(res, response) {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  const type = response.headers.get("Content-Type");
  if (type && /text\/event-stream/i.test(type)) res.flushHeaders();
  if (!response.body) {
    res.end();
  } else if (type && /^application\/json\b/i.test(type) && !response.headers.has("Content-Length")) {
    // JSON is made whole before it is sent; write it in one piece.
    const body = Buffer.from(await response.arrayBuffer());
    res.setHeader("Content-Length", body.length);
    res.end(body);
  } else {
    await writeReadableStreamToWritable(response.body, res);
  }
}
