import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { z } from "zod";
import { PrivacyLink } from "~/components/privacy-link";
import { normalisePostcode } from "~/core/places/postcode";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { registerResident, VERIFY_TOKEN_HOURS } from "~/models/accounts.server";
import { requireAnonymous } from "~/utils/auth.server";
import { failure, parseForm } from "~/utils/form";
import { emailField, passwordSchema, PASSWORDS_DIFFER, personNameField } from "~/utils/account-fields";
import { clientIp } from "~/utils/http.server";
import { requestTranslator } from "~/utils/i18n.server";
import { deliverMail, secretLink } from "~/utils/mail.server";
import { titleMeta } from "~/utils/translate";

const schema = z
  .object({
    name: personNameField(),
    email: emailField(),
    postcode: z
      .string()
      .trim()
      .transform((v, ctx) => {
        if (v === "") return null;
        const pc = normalisePostcode(v);
        if (!pc) ctx.addIssue({ code: "custom", message: "account:field.postcodeFormat" });
        return pc;
      }),
    password: passwordSchema,
    confirmPassword: z.string(),
  })
  .refine((v) => v.password === v.confirmPassword, {
    path: ["confirmPassword"],
    message: PASSWORDS_DIFFER,
  });

export const meta = titleMeta("account:register.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const form = parseForm(schema, await request.formData());
  if (!form.ok) return json(form, { status: 400 });
  const { language, t } = await requestTranslator(request);
  const result = await registerResident(form.data, {
    language,
    clientAddress: clientIp(context),
    linkFor: (token) => secretLink(`/confirm-email/${token}`),
  });
  if (!result.ok) {
    const message = t("account:limited.register", { minutes: result.retryAfterMinutes });
    return json(failure({ email: message }, form.values), { status: 429 });
  }
  if (result.mailId !== null) await deliverMail([result.mailId]);
  // The same answer whether or not the address already has an account (that address is told by mail).
  return json({ ok: true as const, sentTo: form.data.email });
}

export default function Register() {
  const state = useActionData<typeof action>();
  const { t } = useTranslation("account");
  if (state?.ok) {
    return (
      <div className="max-w-xl">
        <h1>{t("checkEmail")}</h1>
        <p role="status">
          <Trans
            t={t}
            i18nKey="register.sent"
            values={{ email: state.sentTo, hours: VERIFY_TOKEN_HOURS }}
            components={{ strong: <strong /> }}
          />
        </p>
        <p>
          <Trans t={t} i18nKey="register.noMessage" components={{ anchor: <Link to="/confirm-email" /> }} />
        </p>
      </div>
    );
  }
  return (
    <div className="max-w-xl">
      <h1>{t("register.title")}</h1>
      <p>{t("register.intro")}</p>
      <ErrorSummary
        state={state}
        labels={{
          name: t("label.name"),
          email: t("label.email"),
          postcode: t("label.postcode"),
          password: t("label.password"),
          confirmPassword: t("label.confirmPassword"),
        }}
      />
      <Form method="post" noValidate>
        <TextField name="name" label={t("label.fullName")} autoComplete="name" state={state} />
        <TextField
          name="email"
          label={t("label.email")}
          type="email"
          autoComplete="email"
          spellCheck={false}
          state={state}
        />
        <TextField
          name="postcode"
          label={t("label.postcodeOptional")}
          hint={t("label.postcodeHint")}
          autoComplete="postal-code"
          className="max-w-40"
          state={state}
        />
        <TextField
          name="password"
          label={t("label.password")}
          type="password"
          hint={t("label.passwordHint")}
          autoComplete="new-password"
          state={state}
        />
        <TextField
          name="confirmPassword"
          label={t("label.confirmPassword")}
          type="password"
          autoComplete="new-password"
          state={state}
        />
        <SubmitButton>{t("register.submit")}</SubmitButton>
      </Form>
      <PrivacyLink />
      <p className="mt-6">
        <Trans t={t} i18nKey="register.already" components={{ anchor: <Link to="/login" /> }} />
      </p>
    </div>
  );
}
