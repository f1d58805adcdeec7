import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useSearchParams } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { z } from "zod";
import { emailField } from "~/utils/account-fields";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { signInWithPassword } from "~/models/accounts.server";
import { loadPrincipal, requireAnonymous, startSession } from "~/utils/auth.server";
import { failure, parseForm } from "~/utils/form";
import { isDesignatedDecisionMaker } from "~/models/decisions.server";
import { homePathFor } from "~/utils/home";
import { clientIp, safeRedirect } from "~/utils/http.server";
import { requestTranslator } from "~/utils/i18n.server";
import { titleMeta } from "~/utils/translate";

const schema = z.object({
  email: emailField(),
  password: z.string().min(1, "account:field.passwordRequired"),
  redirectTo: z.string().optional(),
});

export const meta = titleMeta("account:login.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const form = parseForm(schema, await request.formData());
  if (!form.ok) return json(form, { status: 400 });
  const result = await signInWithPassword(form.data.email, form.data.password, clientIp(context));
  if (!result.ok) {
    const { t } = await requestTranslator(request);
    const message =
      result.reason === "locked"
        ? t(result.scope === "account" ? "account:limited.signInAccount" : "account:limited.signInNetwork", {
            minutes: result.retryAfterMinutes,
          })
        : t("account:login.wrong");
    return json(failure({ password: message }, form.values), { status: result.reason === "locked" ? 429 : 400 });
  }
  const principal = loadPrincipal(result.userId);
  if (principal && !principal.verified) {
    return redirect("/account", { headers: { "Set-Cookie": await startSession(request, result.userId) } });
  }
  const fallback = principal
    ? homePathFor(principal.roles, principal.groupIds.length > 0, isDesignatedDecisionMaker(principal.id))
    : "/";
  return redirect(safeRedirect(form.data.redirectTo, fallback, new URL(request.url).origin), {
    headers: { "Set-Cookie": await startSession(request, result.userId) },
  });
}

export default function SignIn() {
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation("account");
  return (
    <div className="max-w-xl">
      <h1>{t("login.title")}</h1>
      <ErrorSummary state={state} labels={{ email: t("label.email"), password: t("label.password") }} />
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
        <TextField
          name="email"
          label={t("label.email")}
          type="email"
          autoComplete="email"
          spellCheck={false}
          state={state}
        />
        <TextField
          name="password"
          label={t("label.password")}
          type="password"
          autoComplete="current-password"
          state={state}
        />
        <SubmitButton>{t("login.submit")}</SubmitButton>
      </Form>
      <p className="mt-6">
        <Link to="/forgot-password">{t("login.forgotten")}</Link>
      </p>
      <p>
        <Trans t={t} i18nKey="login.newHere" components={{ anchor: <Link to="/register" /> }} />
      </p>
    </div>
  );
}
