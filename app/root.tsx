import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useMatches, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useChangeLanguage } from "remix-i18next/react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { LanguageSwitch } from "~/components/language-switch";
import { SiteHeader, type HeaderUser } from "~/components/site-header";
import { getCouncilSettings } from "~/models/council.server";
import { isDesignatedDecisionMaker } from "~/models/decisions.server";
import stylesheet from "~/styles/build.css";
import { getAuth } from "~/utils/auth.server";
import { useNonce } from "~/utils/nonce";
import { DEFAULT_LANGUAGE, LOCALE_TAGS, type Language } from "~/i18n";
import { languageCookieHeader, offeredLanguages, requestLanguage } from "~/utils/i18n.server";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Wardfund" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const auth = await getAuth(request);
  const council = getCouncilSettings();
  const user: HeaderUser | null = auth.user
    ? {
        name: auth.user.name,
        roles: auth.user.roles,
        isGroupMember: auth.user.groupIds.length > 0,
        isDecisionMaker: isDesignatedDecisionMaker(auth.user.id),
      }
    : null;
  const language = await requestLanguage(request);
  const remember = await languageCookieHeader(request);
  if (remember) auth.headers.append("Set-Cookie", remember);
  return json(
    { user, councilName: council?.name ?? "Wardfund", language, languages: offeredLanguages() },
    { headers: auth.headers },
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const data = useRouteLoaderData<typeof loader>("root");
  const language: Language = data?.language ?? DEFAULT_LANGUAGE;
  const { t } = useTranslation();
  useChangeLanguage(language);
  // Kiosk and board pages (handle `{ bare: true }`) fill the screen: no site header, links or footer.
  const bare = useMatches().some((m) => (m.handle as { bare?: boolean } | undefined)?.bare);
  const document = (bodyClass: string, body: ReactNode) => (
    <html lang={LOCALE_TAGS[language]} data-lng={language}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className={bodyClass}>
        {body}
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
  if (bare)
    return document(
      "min-h-screen",
      <main id="main-content" tabIndex={-1} className="w-full px-4 py-6">
        {children}
      </main>,
    );
  return document(
    "flex min-h-screen flex-col",
    <>
      <a href="#main-content" className="skip-link">
        {t("skipLink")}
      </a>
      <SiteHeader councilName={data?.councilName ?? "Wardfund"} user={data?.user ?? null} />
      <div className="mx-auto flex w-full max-w-5xl justify-end px-4 pt-2 text-sm">
        <LanguageSwitch current={language} offered={data?.languages ?? [language]} />
      </div>
      <main id="main-content" tabIndex={-1} className="mx-auto w-full max-w-5xl flex-1 px-4 py-8">
        {children}
      </main>
      <footer className="border-t border-gray-300">
        <div className="mx-auto max-w-5xl px-4 py-4 text-sm">
          <p className="m-0">{t("footer.about", { council: data?.councilName ?? "Wardfund" })}</p>
          <nav aria-label={t("footer.navLabel")}>
            <ul className="m-0 mt-2 flex list-none flex-wrap gap-4 p-0">
              <li>
                <a href="/spending">{t("footer.spending")}</a>
              </li>
              <li>
                <a href="/ledger">{t("footer.ledger")}</a>
              </li>
              <li>
                <a href="/accessibility">{t("footer.accessibility")}</a>
              </li>
              <li>
                <a href="/privacy">{t("footer.privacy")}</a>
              </li>
              <li>
                <a href="/cookies">{t("footer.cookies")}</a>
              </li>
            </ul>
          </nav>
        </div>
      </footer>
      <ScrollRestoration nonce={nonce} />
    </>,
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
