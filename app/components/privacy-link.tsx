/** The one-line link to the privacy notice on the pages that collect personal data (registration, voting). */
import { useTranslation } from "react-i18next";

export function PrivacyLink() {
  const { t } = useTranslation();
  return (
    <p className="hint mt-4">
      <a href="/privacy">{t("footer.privacyUse")}</a>
    </p>
  );
}
