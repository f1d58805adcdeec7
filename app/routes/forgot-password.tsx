import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { z } from "zod";
import { emailField } from "~/utils/account-fields";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { requestPasswordReset } from "~/models/accounts.server";
import { requireAnonymous } from "~/utils/auth.server";
import { failure, parseForm } from "~/utils/form";
import { clientIp } from "~/utils/http.server";
import { requestTranslator } from "~/utils/i18n.server";
import { deliverMail, secretLink } from "~/utils/mail.server";
import { titleMeta } from "~/utils/translate";

const schema = z.object({
  email: emailField(),
});

export const meta = titleMeta("account:forgot.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAnonymous(request);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  await requireAnonymous(request);
  const form = parseForm(schema, await request.formData());
  if (!form.ok) return json(form, { status: 400 });
  const result = requestPasswordReset(form.data.email, {
    clientAddress: clientIp(context),
    linkFor: (token) => secretLink(`/reset-password/${token}`),
  });
  if (!result.ok) {
    const { t } = await requestTranslator(request);
    const message = t("account:limited.requests", { minutes: result.retryAfterMinutes });
    return json(failure({ email: message }, form.values), { status: 429 });
  }
  if (result.mailId !== null) await deliverMail([result.mailId]);
  // The same answer whether or not the address has an account.
  return json({ ok: true as const, sentTo: form.data.email });
}

export default function ForgotPassword() {
  const result = useActionData<typeof action>();
  const { t } = useTranslation("account");
  if (result && "ok" in result && result.ok) {
    return (
      <div className="max-w-xl">
        <h1>{t("checkEmail")}</h1>
        <p>
          <Trans t={t} i18nKey="forgot.sent" values={{ email: result.sentTo }} components={{ strong: <strong /> }} />
        </p>
      </div>
    );
  }
  return (
    <div className="max-w-xl">
      <h1>{t("forgot.title")}</h1>
      <p>{t("forgot.intro")}</p>
      <ErrorSummary state={result} labels={{ email: t("label.email") }} />
      <Form method="post" noValidate>
        <TextField
          name="email"
          label={t("label.email")}
          type="email"
          autoComplete="email"
          spellCheck={false}
          state={result}
        />
        <SubmitButton>{t("forgot.submit")}</SubmitButton>
      </Form>
    </div>
  );
}
