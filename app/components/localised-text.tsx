/**
 * Council content (fund, round, ward and project names and texts) in the reader's language. When
 * the reader's version is missing, the other one is shown, marked "(English only)" or "(Cymraeg yn
 * unig)" and tagged with its own `lang` so screen readers pronounce it rightly.
 */
import { useTranslation } from "react-i18next";
import { pickLocalised, type LocalisedPair } from "~/core/localised";

export function LocalisedText({ value, as: Tag = "span" }: { value: LocalisedPair; as?: "span" | "p" | "div" }) {
  const { i18n, t } = useTranslation();
  const shown = pickLocalised(value, i18n.language);
  if (shown.language === i18n.language || shown.text === "") return <Tag>{shown.text}</Tag>;
  return (
    <Tag>
      <span lang={shown.language === "en" ? "en-GB" : shown.language}>{shown.text}</span>{" "}
      <span className="text-sm" data-only-in={shown.language} lang={shown.language === "en" ? "en-GB" : "cy"}>
        {shown.language === "en" ? t("language.englishOnly") : t("language.welshOnly")}
      </span>
    </Tag>
  );
}
