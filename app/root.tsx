import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { SiteHeader, type HeaderUser } from "~/components/site-header";
import { getCouncilSettings } from "~/models/council.server";
import { isDesignatedDecisionMaker } from "~/models/decisions.server";
import stylesheet from "~/styles/build.css";
import { getAuth } from "~/utils/auth.server";
import { useNonce } from "~/utils/nonce";

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
  return json({ user, councilName: council?.name ?? "Wardfund" }, { headers: auth.headers });
}

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  const data = useRouteLoaderData<typeof loader>("root");
  return (
    <html lang="en-GB">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="flex min-h-screen flex-col">
        <a href="#main-content" className="skip-link">
          Skip to main content
        </a>
        <SiteHeader councilName={data?.councilName ?? "Wardfund"} user={data?.user ?? null} />
        <main id="main-content" tabIndex={-1} className="mx-auto w-full max-w-5xl flex-1 px-4 py-8">
          {children}
        </main>
        <footer className="border-t border-gray-300">
          <div className="mx-auto max-w-5xl px-4 py-4 text-sm">
            <p className="m-0">
              Wardfund: open grant-giving for {data?.councilName ?? "your council"}.{" "}
              <a href="/spending">Spending</a> · <a href="/ledger">The ledger's fingerprint</a>
            </p>
          </div>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
