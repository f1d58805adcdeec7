import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { z } from "zod";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { resendConfirmation, VERIFY_TOKEN_HOURS } from "~/models/accounts.server";
import { emailField } from "~/utils/account-fields";
import { getAuth } from "~/utils/auth.server";
import { failure, parseForm } from "~/utils/form";
import { clientIp } from "~/utils/http.server";
import { requestTranslator } from "~/utils/i18n.server";
import { deliverMail, secretLink } from "~/utils/mail.server";
import { titleMeta } from "~/utils/translate";
import { assertSameOrigin } from "~/utils/origin.server";

const schema = z.object({ email: emailField() });

export const meta = titleMeta("account:confirm.title");

/** Public: anyone may ask for a new link, and the answer is the same whatever the address. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { user } = await getAuth(request);
  return json({ email: user && !user.verified ? user.email : "" });
}

export async function action({ request, context }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const form = parseForm(schema, await request.formData());
  if (!form.ok) return json(form, { status: 400 });
  const result = resendConfirmation(form.data.email, {
    clientAddress: clientIp(context),
    linkFor: (token) => secretLink(`/confirm-email/${token}`),
  });
  if (!result.ok) {
    const { t } = await requestTranslator(request);
    const message = t("account:limited.requests", { minutes: result.retryAfterMinutes });
    return json(failure({ email: message }, form.values), { status: 429 });
  }
  if (result.mailId !== null) await deliverMail([result.mailId]);
  return json({ ok: true as const, sentTo: form.data.email });
}

export default function ConfirmEmail() {
  const { email } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t } = useTranslation("account");
  if (state && "ok" in state && state.ok) {
    return (
      <div className="max-w-xl">
        <h1>{t("checkEmail")}</h1>
        <p role="status">
          <Trans
            t={t}
            i18nKey="confirm.sent"
            values={{ email: state.sentTo, hours: VERIFY_TOKEN_HOURS }}
            components={{ strong: <strong /> }}
          />
        </p>
      </div>
    );
  }
  return (
    <div className="max-w-xl">
      <h1>{t("confirm.title")}</h1>
      <p>{t("confirm.intro")}</p>
      <ErrorSummary state={state} labels={{ email: t("label.email") }} />
      <Form method="post" noValidate>
        <TextField
          name="email"
          label={t("label.email")}
          type="email"
          autoComplete="email"
          spellCheck={false}
          defaultValue={email}
          state={state}
        />
        <SubmitButton>{t("confirm.resend")}</SubmitButton>
      </Form>
    </div>
  );
}
