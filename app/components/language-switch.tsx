/**
 * The language switch on every page: a link per other language back to this same page with
 * `?lng=` (the server then keeps the choice in a cookie). It works without JavaScript; with
 * JavaScript it is a client navigation to the same route, so the page's forms stay mounted and
 * keep what was typed into them.
 */
import { Link, useLocation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LANGUAGE_NAMES, type Language } from "~/i18n";

export function LanguageSwitch({ current, offered }: { current: Language; offered: Language[] }) {
  const { t } = useTranslation();
  const location = useLocation();
  const others = offered.filter((l) => l !== current);
  if (others.length === 0) return null;
  return (
    <nav aria-label={t("language.switchLabel")} className="language-switch">
      <ul className="m-0 flex list-none gap-3 p-0">
        {others.map((language) => {
          const params = new URLSearchParams(location.search);
          params.set("lng", language);
          return (
            <li key={language}>
              <Link
                to={{ pathname: location.pathname, search: `?${params.toString()}`, hash: location.hash }}
                lang={language === "en" ? "en-GB" : language}
                hrefLang={language === "en" ? "en-GB" : language}
                preventScrollReset
                replace
                className="underline"
                data-language-switch={language}
              >
                {LANGUAGE_NAMES[language]}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
