/**
 * A bid's page title in the reader's language: its reference and its title in that language, or, when the
 * group wrote the title only in the other language, "Bid WB-2026-0007" (a title cannot mark its language).
 */
import type { MetaFunction } from "@remix-run/node";
import { languageOfMatches, translatorFor } from "~/utils/translate";

export interface BidTitleParts {
  reference: string;
  title: string;
  titleCy?: string | null;
}

export function bidPageTitle(
  parts: BidTitleParts | undefined,
  matches: Parameters<MetaFunction>[0]["matches"],
  suffixKey?: string,
): { title: string }[] {
  const language = languageOfMatches(matches);
  const t = translatorFor(language);
  let page = t("bids:page.untitled");
  if (parts) {
    const title = language === "cy" ? parts.titleCy || null : parts.title || null;
    page = title
      ? t("bids:page.metaTitle", { reference: parts.reference, title })
      : t("bids:page.metaReference", { reference: parts.reference });
  }
  return [{ title: t("common:title", { page: suffixKey ? t(suffixKey, { page }) : page }) }];
}
