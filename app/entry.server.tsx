/**
 * Server rendering. Bots get the whole document at once, browsers get it streamed. The CSP nonce
 * made by the HTTP server for this response reaches the inline scripts through NonceContext, and the
 * scripts that stream single fetch's data through RemixServer's nonce.
 */
import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { createInstance, type i18n as I18n } from "i18next";
import ICU from "i18next-icu";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { i18nOptions, type Language } from "~/i18n";
import { startDailyJobs } from "~/utils/daily-jobs.server";
import { requestLanguage } from "~/utils/i18n.server";
import { NonceContext } from "~/utils/nonce";

export { startMailWorker } from "~/utils/mail.server";

/** How long the server waits for deferred data (promises returned by loaders) before rejecting them. */
export const streamTimeout = 5_000;

/** For scripts/server.mjs, which checks the environment before it listens. */
export { serverEnvironment } from "~/utils/env.server";

startDailyJobs();

/**
 * One i18next instance per language for every page, made on first use. Pages never change an
 * instance's language (the reader's language picks the instance), and keeping it keeps its compiled
 * ICU messages, which a fresh instance per request would compile again for every page.
 */
const pageTranslators = new Map<Language, Promise<I18n>>();

function pageTranslator(language: Language): Promise<I18n> {
  let ready = pageTranslators.get(language);
  if (!ready) {
    const instance = createInstance();
    ready = instance
      .use(initReactI18next)
      .use(ICU)
      .init(i18nOptions(language))
      .then(() => instance);
    pageTranslators.set(language, ready);
  }
  return ready;
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = typeof loadContext?.cspNonce === "string" ? loadContext.cspNonce : "";
  const waitForAll = isbot(request.headers.get("user-agent") ?? "");
  // The page is rendered in the language the root loader chose (the same detection, same request).
  const i18n = await pageTranslator(await requestLanguage(request));
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <I18nextProvider i18n={i18n}>
        <NonceContext.Provider value={nonce}>
          <RemixServer context={remixContext} url={request.url} nonce={nonce} />
        </NonceContext.Provider>
      </I18nextProvider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(
            new Response(createReadableStreamFromReadable(body), {
              headers: responseHeaders,
              status: responseStatusCode,
            }),
          );
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    // Abort React's rendering a second after the promises are rejected, so their rejections get to the browser.
    setTimeout(abort, streamTimeout + 1_000);
  });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  console.error(error);
}
