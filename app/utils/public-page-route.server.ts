/** The loader shared by /accessibility, /privacy and /cookies. */
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import type { PublicPageSlug } from "~/db/schema";
import { getPublicPage, markdownTree } from "~/models/public-pages.server";
import { requestTranslator } from "~/utils/i18n.server";

export async function publicPageLoader({ request }: LoaderFunctionArgs, slug: PublicPageSlug) {
  const { language, t } = await requestTranslator(request);
  const page = getPublicPage(slug, language);
  return json({
    title: t(`pages:${slug}.title`),
    tree: markdownTree(page.markdown),
    updatedAt: page.updatedAt,
  });
}
