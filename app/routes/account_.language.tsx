import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ErrorSummary, SubmitButton } from "~/components/forms";
import { RadioGroup } from "~/components/radio-group";
import { LANGUAGE_NAMES, LANGUAGES } from "~/i18n";
import { mailLanguageOf, setMailLanguage } from "~/models/mail-language.server";
import { requireUser } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { offeredLanguages, requestTranslator } from "~/utils/i18n.server";

const schema = z.object({ language: z.enum(LANGUAGES, { errorMap: () => ({ message: "rights:language.choose" }) }) });

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Wardfund` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { t } = await requestTranslator(request);
  return json({ title: t("rights:language.title"), current: mailLanguageOf(user.id), offered: offeredLanguages() });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = parseForm(schema, await request.formData());
  if (!form.ok) return json(form, { status: 400 });
  setMailLanguage(user, form.data.language);
  return redirect("/account/language?saved=1");
}

export default function MailLanguage() {
  const data = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <div className="max-w-2xl">
      <h1>{data.title}</h1>
      <ErrorSummary state={state} />
      <Form method="post" noValidate>
        <RadioGroup
          name="language"
          legend={t("rights:language.legend")}
          hint={t("rights:language.hint")}
          options={data.offered.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
          defaultValue={data.current}
          state={state}
        />
        <SubmitButton>{t("rights:language.save")}</SubmitButton>
      </Form>
      <p className="mt-8">
        <a href="/account">{t("rights:backToAccount")}</a>
      </p>
    </div>
  );
}
