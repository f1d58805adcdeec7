import { RemixBrowser } from "@remix-run/react";
import i18next from "i18next";
import ICU from "i18next-icu";
import { startTransition, StrictMode } from "react";
import { hydrateRoot } from "react-dom/client";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { DEFAULT_LANGUAGE, i18nOptions, isLanguage } from "~/i18n";

// The server wrote the page's language on <html data-lng>; the catalogues are bundled, so this is synchronous.
const pageLanguage = document.documentElement.dataset.lng;
void i18next
  .use(initReactI18next)
  .use(ICU)
  .init(i18nOptions(isLanguage(pageLanguage) ? pageLanguage : DEFAULT_LANGUAGE));

startTransition(() => {
  hydrateRoot(
    document,
    <I18nextProvider i18n={i18next}>
      <StrictMode>
        <RemixBrowser />
      </StrictMode>
    </I18nextProvider>,
  );
});
