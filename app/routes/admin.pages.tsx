/**
 * The administrators' editor for the pages every council must publish: pick a page and a
 * language, edit its Markdown, save (audited) or go back to the default text.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ErrorSummary, SubmitButton, TextAreaField } from "~/components/forms";
import { PUBLIC_PAGE_SLUGS, type PublicPageSlug } from "~/db/schema";
import { isLanguage, LANGUAGE_NAMES, LANGUAGES, type Language } from "~/i18n";
import { getPublicPage, savePublicPage } from "~/models/public-pages.server";
import { requireRole } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { requestTranslator } from "~/utils/i18n.server";

const schema = z.object({
  slug: z.enum(PUBLIC_PAGE_SLUGS),
  language: z.enum(LANGUAGES),
  intent: z.enum(["save", "reset"]),
  body: z.string().max(100_000, "pages:editor.tooLong"),
});

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Wardfund` }];

function chosen(url: URL): { slug: PublicPageSlug; language: Language } {
  const slug = url.searchParams.get("page");
  const language = url.searchParams.get("in");
  return {
    slug: (PUBLIC_PAGE_SLUGS as readonly string[]).includes(slug ?? "") ? (slug as PublicPageSlug) : "accessibility",
    language: isLanguage(language) ? language : "en",
  };
}

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const { t } = await requestTranslator(request);
  const { slug, language } = chosen(new URL(request.url));
  const page = getPublicPage(slug, language);
  return json({ title: t("pages:editor.title"), slug, language, page });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const form = parseForm(schema, await request.formData());
  if (!form.ok) return json(form, { status: 400 });
  const { slug, language, intent, body } = form.data;
  savePublicPage(user, slug, language, intent === "reset" ? "" : body);
  return redirect(`/admin/pages?page=${slug}&in=${language}&saved=1`);
}

export default function PublicPagesEditor() {
  const data = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <div className="max-w-3xl">
      <h1>{data.title}</h1>
      <p>{t("pages:editor.intro")}</p>
      <nav aria-label={t("pages:editor.choose")}>
        <ul className="list-disc pl-6">
          {PUBLIC_PAGE_SLUGS.map((slug) =>
            LANGUAGES.map((language) => (
              <li key={`${slug}-${language}`}>
                <a
                  href={`/admin/pages?page=${slug}&in=${language}`}
                  aria-current={slug === data.slug && language === data.language ? "page" : undefined}
                >
                  {t(`pages:${slug}.title`)} ({LANGUAGE_NAMES[language]})
                </a>
              </li>
            )),
          )}
        </ul>
      </nav>
      <h2>
        {t(`pages:${data.slug}.title`)} ({LANGUAGE_NAMES[data.language]})
      </h2>
      <p>{data.page.isDefault ? t("pages:editor.isDefault") : t("pages:editor.isEdited")}</p>
      <ErrorSummary state={state} />
      <Form method="post" noValidate>
        <input type="hidden" name="slug" value={data.slug} />
        <input type="hidden" name="language" value={data.language} />
        <TextAreaField
          key={`${data.slug}-${data.language}`}
          name="body"
          label={t("pages:editor.bodyLabel")}
          hint={t("pages:editor.bodyHint")}
          rows={24}
          defaultValue={data.page.markdown}
          lang={data.language === "en" ? "en-GB" : "cy"}
          state={state}
        />
        <div className="flex gap-4">
          <SubmitButton name="intent" value="save">
            {t("pages:editor.save")}
          </SubmitButton>
          <SubmitButton name="intent" value="reset" secondary>
            {t("pages:editor.reset")}
          </SubmitButton>
        </div>
      </Form>
      <p>
        <a href={`/${data.slug}?lng=${data.language}`}>{t("pages:editor.view")}</a>
      </p>
    </div>
  );
}
