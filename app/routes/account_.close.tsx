import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { AccountClosureRefused, closeAccount } from "~/models/personal-data.server";
import { requireUser } from "~/utils/auth.server";
import { failure, parseForm } from "~/utils/form";
import { languageCookie, requestTranslator } from "~/utils/i18n.server";
import { endSession } from "~/utils/auth.server";

/** The person types the word shown on the page (CLOSE or CAU), so an account is never closed by a stray click. */
const schema = z.object({ confirm: z.string().trim() });

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Wardfund` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { t } = await requestTranslator(request);
  const staff = user.roles.some((r) => r !== "resident");
  return json({ title: t("rights:close.title"), staff });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { language, t } = await requestTranslator(request);
  const form = parseForm(schema, await request.formData());
  if (!form.ok) return json(form, { status: 400 });
  if (form.data.confirm.toUpperCase() !== t("rights:close.word"))
    return json(failure({ confirm: "rights:close.confirmError" }, form.values), { status: 400 });
  try {
    closeAccount(user.id);
  } catch (error) {
    if (error instanceof AccountClosureRefused)
      return json(failure({}, form.values, "rights:close.staffRefused"), { status: 400 });
    throw error;
  }
  const headers = new Headers();
  headers.append("Set-Cookie", await endSession(request));
  headers.append("Set-Cookie", await languageCookie().serialize(language));
  return redirect("/account/closed", { headers });
}

export default function CloseAccount() {
  const data = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t } = useTranslation();
  return (
    <div className="max-w-2xl">
      <h1>{data.title}</h1>
      <ErrorSummary
        state={state}
        labels={{ confirm: t("rights:close.confirmLabel", { word: t("rights:close.word") }) }}
      />
      {data.staff ? <p>{t("rights:close.staffRefused")}</p> : null}
      <p>{t("rights:close.intro")}</p>
      <ul className="list-disc pl-6">
        <li>{t("rights:close.erased")}</li>
        <li>{t("rights:close.kept")}</li>
        <li>{t("rights:close.ballots")}</li>
      </ul>
      <p>
        <a href="/account/data">{t("rights:close.downloadFirst")}</a>
      </p>
      <Form method="post" noValidate>
        <TextField
          name="confirm"
          label={t("rights:close.confirmLabel", { word: t("rights:close.word") })}
          autoComplete="off"
          state={state}
        />
        <SubmitButton>{t("rights:close.submit")}</SubmitButton>
      </Form>
      <p className="mt-8">
        <a href="/account">{t("rights:backToAccount")}</a>
      </p>
    </div>
  );
}
