import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { z } from "zod";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { confirmEnrolment, pendingDeviceByLink } from "~/models/events/events.server";
import { setKioskCookie } from "~/models/events/kiosk-cookie.server";
import { parseForm } from "~/utils/form";
import { assertSameOrigin } from "~/utils/origin.server";
import { Refusal } from "~/utils/refusal";
import { refusalFailure } from "~/utils/refusal.server";
import { titleMeta } from "~/utils/translate";

export const meta: MetaFunction = titleMeta("kiosk:enrol.title");
export const handle = { bare: true };
export const headers = () => ({ "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" });

/** Public: the link itself is the one-time credential, and the code on the officer's screen the second. */
export async function loader({ params }: LoaderFunctionArgs) {
  const device = pendingDeviceByLink(params.token ?? "");
  return json(
    { label: device?.label ?? null },
    { status: device ? 200 : 404, headers: { "Cache-Control": "no-store" } },
  );
}

const schema = z.object({ code: z.string().trim().min(1, "kiosk:enrol.codeMissing") });

export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const form = parseForm(schema, await request.formData());
  if (!form.ok) return json(form, { status: 400 });
  try {
    const enrolled = confirmEnrolment(params.token ?? "", form.data.code);
    return redirect("/kiosk", { headers: { "Set-Cookie": setKioskCookie(enrolled.deviceId, enrolled.deviceToken) } });
  } catch (error) {
    if (error instanceof Refusal) return json(refusalFailure(error, form.values, "code"), { status: error.status });
    throw error;
  }
}

export default function EnrolKiosk() {
  const { label } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t } = useTranslation("kiosk");
  if (!label)
    return (
      <div className="mx-auto max-w-2xl">
        <h1>{t("enrol.brokenHeading")}</h1>
        <p>{t("enrol.brokenBody")}</p>
      </div>
    );
  return (
    <div className="mx-auto max-w-2xl">
      <h1>{t("enrol.title")}</h1>
      <p>
        <Trans t={t} i18nKey="enrol.intro" values={{ label }} components={{ strong: <strong translate="no" /> }} />
      </p>
      <ErrorSummary state={state} labels={{ code: t("enrol.codeShort") }} />
      <Form method="post" noValidate>
        <TextField
          name="code"
          label={t("enrol.code")}
          inputMode="numeric"
          autoComplete="off"
          className="max-w-48"
          state={state}
        />
        <SubmitButton>{t("enrol.submit")}</SubmitButton>
      </Form>
    </div>
  );
}
