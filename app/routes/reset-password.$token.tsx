import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { checkPasswordToken, setPasswordWithToken } from "~/models/accounts.server";
import { endAllSessions, startSession } from "~/utils/auth.server";
import { failure, parseForm } from "~/utils/form";
import { assertSameOrigin } from "~/utils/origin.server";
import { passwordSchema, PASSWORDS_DIFFER } from "~/utils/account-fields";
import { titleMeta } from "~/utils/translate";

const schema = z
  .object({ password: passwordSchema, confirmPassword: z.string() })
  .refine((v) => v.password === v.confirmPassword, {
    path: ["confirmPassword"],
    message: PASSWORDS_DIFFER,
  });

export const meta = titleMeta("account:reset.title");

export async function loader({ params }: LoaderFunctionArgs) {
  const check = checkPasswordToken(params.token ?? "");
  return json(
    check.ok ? { valid: true as const, purpose: check.purpose } : { valid: false as const, message: check.message },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const form = parseForm(schema, await request.formData());
  if (!form.ok) return json(form, { status: 400 });
  const result = await setPasswordWithToken(params.token ?? "", form.data.password);
  if (!result.ok) return json(failure({}, {}, result.message), { status: 400 });
  await endAllSessions(result.userId);
  return redirect("/account", { headers: { "Set-Cookie": await startSession(request, result.userId) } });
}

export default function ResetPassword() {
  const data = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t } = useTranslation("account");
  if (!data.valid) {
    return (
      <div className="max-w-xl">
        <h1>{t("linkUnusable")}</h1>
        <p>{t(data.message)}</p>
        <p>
          <Link to="/forgot-password">{t("askNewLink")}</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="max-w-xl">
      <h1>{data.purpose === "invite" ? t("reset.inviteHeading") : t("reset.resetHeading")}</h1>
      <ErrorSummary
        state={state}
        labels={{ password: t("label.password"), confirmPassword: t("label.confirmPassword") }}
      />
      <Form method="post" noValidate>
        <TextField
          name="password"
          label={t("label.newPassword")}
          type="password"
          hint={t("label.passwordHint")}
          autoComplete="new-password"
          state={state}
        />
        <TextField
          name="confirmPassword"
          label={t("label.confirmNewPassword")}
          type="password"
          autoComplete="new-password"
          state={state}
        />
        <SubmitButton>{t("reset.submit")}</SubmitButton>
      </Form>
    </div>
  );
}
