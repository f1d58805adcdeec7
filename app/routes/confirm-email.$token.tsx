import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { checkPasswordToken, confirmEmail } from "~/models/accounts.server";
import { SubmitButton } from "~/components/forms";
import { assertSameOrigin } from "~/utils/origin.server";
import { titleMeta } from "~/utils/translate";

export const meta = titleMeta("account:confirm.title");

/**
 * Public: the link itself is the proof. Opening it only shows a button, so a mail scanner that
 * fetches links does not use the token up; the button confirms.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const check = checkPasswordToken(params.token ?? "");
  const usable = check.ok && check.purpose === "verify";
  return json(usable ? { valid: true as const } : { valid: false as const, message: linkProblem(check) });
}

function linkProblem(check: ReturnType<typeof checkPasswordToken>): string {
  return check.ok ? "account:link.invalid" : check.message;
}

export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const result = confirmEmail(params.token ?? "");
  if (!result.ok) return json({ confirmed: false as const, message: result.message }, { status: 400 });
  return json({ confirmed: true as const });
}

export default function ConfirmEmailLink() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation("account");
  if (result?.confirmed) {
    return (
      <div className="max-w-xl">
        <h1>{t("confirm.done")}</h1>
        <p role="status">{t("confirm.doneBody")}</p>
        <p>
          <Trans
            t={t}
            i18nKey="confirm.goToAccount"
            components={{ account: <Link to="/account" />, signIn: <Link to="/login" /> }}
          />
        </p>
      </div>
    );
  }
  const problem = result && !result.confirmed ? result.message : !data.valid ? data.message : null;
  if (problem) {
    return (
      <div className="max-w-xl">
        <h1>{t("linkUnusable")}</h1>
        <p>{t(problem)}</p>
        <p>
          <Link to="/confirm-email">{t("askNewLink")}</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="max-w-xl">
      <h1>{t("confirm.title")}</h1>
      <p>{t("confirm.linkIntro")}</p>
      <Form method="post">
        <SubmitButton>{t("confirm.linkSubmit")}</SubmitButton>
      </Form>
    </div>
  );
}
