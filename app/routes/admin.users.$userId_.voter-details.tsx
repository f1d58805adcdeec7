import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { z } from "zod";
import { VoterDetailsCorrection } from "~/components/voter-details-correction";
import { voterDetailsFields, voterDetailsForm } from "~/forms/vote-form";
import { getUserWithGrants } from "~/models/accounts.server";
import { officerCorrectVoterDetails, voterDetailsOf } from "~/models/voting/voter-details.server";
import { requireRole } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { notFound } from "~/utils/http.server";
import { languageOfMatches, translatorFor } from "~/utils/translate";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = translatorFor(languageOfMatches(matches));
  return [{ title: t("common:title", { page: t("admin:voterDetails.title", { name: data?.user.name ?? "" }) }) }];
};

const schema = voterDetailsForm(
  voterDetailsFields.extend({
    reason: z
      .string({ required_error: "admin:voterDetails.reasonRequired" })
      .trim()
      .min(3, "admin:voterDetails.reasonRequired")
      .max(500, "admin:voterDetails.reasonTooLong"),
  }),
);

function findUser(id: string | undefined) {
  const user = id ? getUserWithGrants(id) : undefined;
  const details = user ? voterDetailsOf(user.id) : null;
  if (!user || !details) throw notFound("User not found");
  return { user, details };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const { user, details } = findUser(params.userId);
  return json({ user: { id: user.id, name: user.name }, details });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireRole(request, "admin");
  const { user } = findUser(params.userId);
  const form = parseForm(schema, await request.formData());
  if (!form.ok) return json(form, { status: 400 });
  const { reason, ...details } = form.data;
  officerCorrectVoterDetails({ id: admin.id, name: admin.name }, user.id, details, reason);
  return redirect(`/admin/users/${user.id}?saved=voter-details`);
}

export default function CorrectVoterDetails() {
  const data = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t } = useTranslation("admin");
  const name = <PersonName name={data.user.name} />;
  return (
    <div className="max-w-2xl">
      <p>
        <Link to={`/admin/users/${data.user.id}`}>
          <Trans t={t} i18nKey="voterDetails.backTo" components={{ name }} />
        </Link>
      </p>
      <h1>
        <Trans t={t} i18nKey="voterDetails.headingOf" components={{ name }} />
      </h1>
      <VoterDetailsCorrection userId={data.user.id} details={data.details} state={state} />
    </div>
  );
}

/** A person's name, not translated. */
function PersonName({ name }: { name: string }) {
  return <span translate="no">{name}</span>;
}
