/** The links from /account to the mail-language choice and the rights pages (download, close). */
import { useTranslation } from "react-i18next";

export function AccountRightsLinks() {
  const { t } = useTranslation();
  return (
    <nav aria-label={t("rights:accountLinks")}>
      <ul className="flex list-none flex-wrap gap-4 p-0">
        <li>
          <a href="/account/language">{t("rights:language.title")}</a>
        </li>
        <li>
          <a href="/account/data">{t("rights:data.title")}</a>
        </li>
        <li>
          <a href="/account/close">{t("rights:close.title")}</a>
        </li>
      </ul>
    </nav>
  );
}
