import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { ShouldRevalidateFunction } from "@remix-run/react";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ErrorSummary, SubmitButton, TextAreaField } from "~/components/forms";
import { getGroup, verifyGroup } from "~/models/groups.server";
import { listAuditEvents } from "~/models/audit.server";
import { AuditTable } from "~/components/audit-table";
import { requireRole } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { idParam, notFound } from "~/utils/http.server";
import { answeringRefusals } from "~/utils/refusal.server";
import { languageOfMatches, translatorFor, useFormat } from "~/utils/translate";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = translatorFor(languageOfMatches(matches));
  return [{ title: t("common:title", { page: data?.group.name ?? t("routes:adminGroup.title") }) }];
};

const schema = z.object({
  bankDetailsId: z.coerce.number().int().positive("routes:adminGroup.errors.bankDetailsId"),
  evidence: z.string().trim().min(10, "routes:adminGroup.errors.evidence").max(1000),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const groupId = idParam(params.groupId);
  const data = getGroup(groupId);
  if (!data) throw notFound("Group not found");
  return json({
    ...data,
    audit: listAuditEvents({ entityType: "group", entityId: String(groupId) }),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const groupId = idParam(params.groupId);
  if (!getGroup(groupId)) throw notFound("Group not found");
  const form = parseForm(schema, await request.formData());
  if (!form.ok) return json(form, { status: 400 });
  return answeringRefusals(
    form.values,
    () => {
      verifyGroup(user, groupId, form.data.evidence, form.data.bankDetailsId);
      return redirect(`/admin/groups/${groupId}?verified=1`);
    },
    { field: "evidence" },
  );
}

/**
 * A refused verification (409: the bank details changed during the review) reloads the page's data, so
 * the administrator sees the new details and the form carries the new version's id.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) =>
  actionStatus === 409 || defaultShouldRevalidate;

export default function AdminGroup() {
  const { group, members, bank, verification, audit } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const [params] = useSearchParams();
  const { t } = useTranslation("routes");
  const format = useFormat();
  return (
    <div className="max-w-3xl">
      <h1 translate="no">{group.name}</h1>
      {params.has("verified") && !state ? (
        <p className="notice" role="status">
          {t("adminGroup.verified")}
        </p>
      ) : null}
      <ErrorSummary
        state={state}
        labels={{ evidence: t("adminGroup.evidence"), bankDetailsId: t("adminGroup.bankChecked") }}
      />
      <dl className="grid grid-cols-[12rem_1fr] gap-2">
        <dt className="font-semibold">{t("adminGroup.kind")}</dt>
        <dd>{t(`forms:organisationTypes.${group.organisationType}`)}</dd>
        <dt className="font-semibold">{t("adminGroup.charityNumber")}</dt>
        <dd>{group.charityNumber ?? t("common:none")}</dd>
        <dt className="font-semibold">{t("adminGroup.companyNumber")}</dt>
        <dd>{group.companyNumber ?? t("common:none")}</dd>
        <dt className="font-semibold">{t("adminGroup.address")}</dt>
        <dd translate="no">
          {group.address}, {group.postcode}
        </dd>
        <dt className="font-semibold">{t("adminGroup.contact")}</dt>
        <dd translate="no">
          {group.contactEmail}
          {group.contactPhone ? `, ${group.contactPhone}` : ""}
        </dd>
        <dt className="font-semibold">{t("adminGroup.members")}</dt>
        <dd>
          {members.map((m, i) => (
            <span key={i}>
              {i > 0 ? ", " : ""}
              <span translate="no">{m.name}</span>
              {m.memberRole === "lead" ? ` ${t("adminGroup.lead")}` : ""}
            </span>
          ))}
        </dd>
        <dt className="font-semibold">{t("adminGroup.bankAccount")}</dt>
        <dd>
          {bank ? (
            <>
              {t("adminGroup.bankVersion", {
                version: bank.version,
                name: bank.accountName,
                sortCode: bank.sortCode,
                number: bank.accountNumber,
              })}
              <br />
              <span className="muted">
                {bank.enteredByName
                  ? t("adminGroup.enteredOnBy", { date: format.date(bank.enteredAt), name: bank.enteredByName })
                  : t("adminGroup.enteredOn", { date: format.date(bank.enteredAt) })}
              </span>
            </>
          ) : (
            t("common:notGiven")
          )}
        </dd>
        <dt className="font-semibold">{t("adminGroup.verifiedHeading")}</dt>
        <dd data-testid="verification">
          {verification ? (
            <>
              {verification.verifiedByName
                ? t("adminGroup.verifiedTextBy", {
                    version: verification.version,
                    date: format.date(verification.verifiedAt),
                    name: verification.verifiedByName,
                  })
                : t("adminGroup.verifiedText", {
                    version: verification.version,
                    date: format.date(verification.verifiedAt),
                  })}
              {verification.note ? (
                <>
                  : <span translate="no">{verification.note}</span>
                </>
              ) : null}
            </>
          ) : bank ? (
            <strong>{t("adminGroup.notVerified", { version: bank.version })}</strong>
          ) : (
            t("adminGroup.notYet")
          )}
        </dd>
      </dl>
      {bank ? null : <p>{t("adminGroup.noBank")}</p>}
      {verification || !bank ? null : (
        <>
          <h2>{t("adminGroup.verifyHeading")}</h2>
          <p>{t("adminGroup.verifyIntro", { version: bank.version })}</p>
          <Form method="post" noValidate>
            <input type="hidden" name="bankDetailsId" value={bank.id} />
            <TextAreaField
              name="evidence"
              label={t("adminGroup.evidence")}
              hint={t("adminGroup.evidenceHint")}
              rows={3}
              state={state}
            />
            <SubmitButton>{t("adminGroup.submit")}</SubmitButton>
          </Form>
        </>
      )}
      <h2>{t("adminGroup.history")}</h2>
      <AuditTable events={audit} />
    </div>
  );
}
