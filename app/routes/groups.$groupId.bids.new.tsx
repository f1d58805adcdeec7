import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { LocalisedText } from "~/components/localised-text";
import { ErrorSummary, SubmitButton, useErrorText } from "~/components/forms";
import { createDraftBid, listFundsOpenForGroup } from "~/models/bids.server";
import { getGroup } from "~/models/groups.server";
import { requireMemberOf } from "~/utils/auth.server";
import { failure, formValues } from "~/utils/form";
import { idParam, notFound } from "~/utils/http.server";
import { answeringRefusals } from "~/utils/refusal.server";
import { titleMeta, useFormat } from "~/utils/translate";

export const meta = titleMeta("bids:start.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  const groupId = idParam(params.groupId);
  await requireMemberOf(request, groupId);
  const data = getGroup(groupId);
  if (!data) throw notFound("Group not found");
  return json({ groupId, groupName: data.group.name, funds: listFundsOpenForGroup(groupId) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const groupId = idParam(params.groupId);
  const user = await requireMemberOf(request, groupId);
  const formData = await request.formData();
  const values = formValues(formData);
  const fundId = String(formData.get("fundId") ?? "");
  if (!fundId) return json(failure({ fundId: "bids:form.chooseFund" }, values), { status: 400 });
  return answeringRefusals(
    values,
    () => {
      const bidId = createDraftBid(user, groupId, fundId);
      return redirect(`/bids/${bidId}/edit?step=about`);
    },
    { field: "fundId", notFoundStatus: 404 },
  );
}

export default function StartBid() {
  const { groupId, groupName, funds } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const open = funds.filter((f) => f.refusal === null);
  const closed = funds.filter((f) => f.refusal !== null);
  const error = state?.errors?.fundId;
  const { t } = useTranslation("bids");
  const errorText = useErrorText();
  const { money, date } = useFormat();
  return (
    <div className="max-w-3xl">
      <p>
        <Link to={`/groups/${groupId}`}>
          <Trans
            t={t}
            i18nKey="start.back"
            values={{ group: groupName }}
            components={{ name: <span translate="no" /> }}
          />
        </Link>
      </p>
      <h1>{t("start.title")}</h1>
      <ErrorSummary state={state} labels={{ fundId: t("fields.fundId") }} />
      {open.length ? (
        <Form method="post" noValidate>
          <fieldset
            className={`field ${error ? "field-error" : ""}`}
            aria-describedby={error ? "field-fundId-error" : undefined}
          >
            <legend className="font-semibold text-lg">
              <Trans
                t={t}
                i18nKey="start.legend"
                values={{ group: groupName }}
                components={{ name: <span translate="no" /> }}
              />
            </legend>
            {error ? (
              <p id="field-fundId-error" className="error-message">
                <span className="sr-only">{t("forms:errorPrefix")} </span>
                {errorText(error)}
              </p>
            ) : null}
            <div id="field-fundId" tabIndex={-1}>
              {open.map((f, i) => (
                <div key={f.id} className="flex items-start gap-2 py-2">
                  <input
                    type="radio"
                    id={`fund-${i}`}
                    name="fundId"
                    value={f.id}
                    defaultChecked={state?.values?.fundId === f.id || open.length === 1}
                    className="h-5 w-5 mt-1"
                    aria-describedby={`fund-${i}-hint`}
                  />
                  <div>
                    <label htmlFor={`fund-${i}`} className="font-semibold">
                      <LocalisedText value={{ en: f.name, cy: f.nameCy }} />
                    </label>
                    <p id={`fund-${i}-hint`} className="hint">
                      {[
                        t(f.kind === "pb-round" ? "start.pb" : "start.ward"),
                        f.minPence != null && f.maxPence != null
                          ? t("start.range", { min: money(f.minPence), max: money(f.maxPence) })
                          : null,
                        f.closesOn ? t("start.closes", { date: date(f.closesOn) }) : null,
                      ]
                        .filter(Boolean)
                        .join(" ")}
                    </p>
                    {f.criteria ? (
                      <div className="hint">
                        <LocalisedText value={{ en: f.criteria, cy: f.criteriaCy }} as="p" />
                      </div>
                    ) : null}
                  </div>
                </div>
              ))}
            </div>
          </fieldset>
          <SubmitButton>{t("start.submit")}</SubmitButton>
        </Form>
      ) : (
        <p>
          <Trans
            t={t}
            i18nKey="start.noneOpen"
            values={{ group: groupName }}
            components={{ name: <span translate="no" /> }}
          />
        </p>
      )}
      {closed.length ? (
        <>
          <h2>{t("start.closedHeading")}</h2>
          <ul className="list-disc pl-6">
            {closed.map((f) => (
              <li key={f.id}>{errorText(f.refusal ?? "")}</li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
