import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { CheckboxGroup, ErrorSummary, SelectField, SubmitButton, TextAreaField, TextField } from "~/components/forms";
import { SPLIT_METHODS } from "~/core/funds/allocation";
import { pickLocalised } from "~/core/localised";
import { financialYearOf, isFinancialYear, isIsoDate, londonDateOf, nextFinancialYear } from "~/core/ledger";
import { tryParsePounds } from "~/core/money";
import { ORGANISATION_TYPES } from "~/db/schema";
import { listWards } from "~/models/council.server";
import { createWardBudgetScheme } from "~/models/funds.server";
import { moneyMessage } from "~/forms/money-message";
import { isRefusal } from "~/utils/refusal";
import { requireRole } from "~/utils/auth.server";
import { failure, formObject, formValues } from "~/utils/form";
import { refusalAnswer } from "~/utils/refusal.server";
import { titleMeta } from "~/utils/translate";

export const meta = titleMeta("funds:new.title");

/** Field errors are catalogue keys (funds:new.errors.*), shown in the reader's language. */
const E = (key: string) => `funds:new.errors.${key}`;

/** An amount in pounds; an empty one is null, or refused with `requiredKey` when one is needed. */
const pounds = (requiredKey: string | null) =>
  z.string().transform((value, ctx) => {
    if (value.trim() === "") {
      if (requiredKey) ctx.addIssue({ code: "custom", message: E(requiredKey) });
      return null;
    }
    const parsed = tryParsePounds(value, { allowZero: false });
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: moneyMessage(parsed.error) });
      return null;
    }
    return parsed.pence;
  });
const date = (key: string) => z.string().refine(isIsoDate, E(key));
const optionalDate = z.string().transform((v, ctx) => {
  if (v === "") return null;
  if (!isIsoDate(v)) ctx.addIssue({ code: "custom", message: E("cutoffDate") });
  return v;
});

const schema = z
  .object({
    idempotencyKey: z.string().min(10).max(100),
    name: z.string().trim().min(3, E("nameRequired")).max(120, E("nameTooLong")),
    fy: z.string().refine(isFinancialYear, E("chooseYear")),
    splitMethod: z.enum(SPLIT_METHODS, { errorMap: () => ({ message: E("chooseSplit") }) }),
    pot: pounds(null),
    perCouncillor: pounds(null),
    budgetMode: z.enum(["per-ward", "per-councillor"], { errorMap: () => ({ message: E("chooseMode") }) }),
    pooledQuorum: z.string().transform((v, ctx) => {
      if (v === "") return null;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 3) ctx.addIssue({ code: "custom", message: E("quorum") });
      return n;
    }),
    minGrant: pounds("minGrantRequired"),
    maxGrant: pounds("maxGrantRequired"),
    eligibleTypes: z.array(z.enum(ORGANISATION_TYPES)).min(1, E("chooseTypes")),
    rules: z.array(z.enum(["no-retrospective", "quotes", "bank-name", "match"])),
    quotesAbove: pounds(null),
    matchPercent: z.string().transform((v, ctx) => {
      if (v === "") return null;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 100) ctx.addIssue({ code: "custom", message: E("matchPercent") });
      return n;
    }),
    criteria: z.string().trim().min(10, E("criteriaRequired")).max(5000, E("criteriaTooLong")),
    opensOn: date("opensOnDate"),
    closesOn: date("closesOnDate"),
    commitmentCutoffOn: optionalDate,
    yearEnd: z.enum(["lapse", "carry-forward"], { errorMap: () => ({ message: E("chooseYearEnd") }) }),
    resolutionRef: z
      .string()
      .trim()
      .max(100, E("resolutionTooLong"))
      .transform((v) => v || null),
  })
  .passthrough()
  .superRefine((v, ctx) => {
    if (v.splitMethod === "per-councillor" && v.perCouncillor === null)
      ctx.addIssue({ code: "custom", path: ["perCouncillor"], message: E("perCouncillorRequired") });
    if (v.splitMethod !== "per-councillor" && v.pot === null)
      ctx.addIssue({ code: "custom", path: ["pot"], message: E("potRequired") });
    if (v.minGrant !== null && v.maxGrant !== null && v.minGrant > v.maxGrant)
      ctx.addIssue({ code: "custom", path: ["maxGrant"], message: E("maxBelowMin") });
    if (v.rules.includes("quotes") && v.quotesAbove === null)
      ctx.addIssue({
        code: "custom",
        path: ["quotesAbove"],
        message: E("quotesAboveRequired"),
      });
    if (v.rules.includes("match") && v.matchPercent === null)
      ctx.addIssue({ code: "custom", path: ["matchPercent"], message: E("matchRequired") });
    if (v.closesOn < v.opensOn) ctx.addIssue({ code: "custom", path: ["closesOn"], message: E("closesBeforeOpens") });
  });

/** The fields the error summary names, each from the catalogue. */
const LABELLED_FIELDS = [
  "name",
  "fy",
  "splitMethod",
  "pot",
  "perCouncillor",
  "pooledQuorum",
  "minGrant",
  "maxGrant",
  "eligibleTypes",
  "quotesAbove",
  "matchPercent",
  "criteria",
  "opensOn",
  "closesOn",
  "commitmentCutoffOn",
] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin", "finance");
  const current = financialYearOf(londonDateOf(new Date()));
  return json({
    years: [current, nextFinancialYear(current)],
    wards: listWards().map((w) => ({ gssCode: w.gssCode, name: w.name, nameCy: w.nameCy })),
    idempotencyKey: randomUUID(),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin", "finance");
  const formData = await request.formData();
  const values = formValues(formData);
  const parsed = schema.safeParse(formObject(formData, ["eligibleTypes", "rules"]));
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? "form")] ??= issue.message;
    return json(failure(errors, values), { status: 400 });
  }
  const v = parsed.data;
  const weights = Object.fromEntries(
    Object.entries(v)
      .filter(([k]) => k.startsWith("weight-"))
      .map(([k, w]) => [k.slice(7), String(w)]),
  );
  try {
    createWardBudgetScheme(
      user,
      {
        name: v.name,
        fy: v.fy,
        splitMethod: v.splitMethod,
        potPence: v.pot,
        perCouncillorPence: v.perCouncillor,
        weights,
        budgetMode: v.budgetMode,
        pooledQuorum: v.pooledQuorum,
        minGrantPence: v.minGrant!,
        maxGrantPence: v.maxGrant!,
        eligibleTypes: v.eligibleTypes,
        grantRules: {
          noRetrospectiveCosts: v.rules.includes("no-retrospective"),
          quotesAbovePence: v.rules.includes("quotes") ? v.quotesAbove : null,
          bankAccountInOrganisationName: v.rules.includes("bank-name"),
          matchFundingPercent: v.rules.includes("match") ? v.matchPercent : null,
        },
        criteria: v.criteria,
        opensOn: v.opensOn,
        closesOn: v.closesOn,
        commitmentCutoffOn: v.commitmentCutoffOn,
        yearEnd: v.yearEnd,
        resolutionRef: v.resolutionRef,
      },
      v.idempotencyKey,
    );
  } catch (error) {
    if (isRefusal(error)) return refusalAnswer(error, values);
    throw error;
  }
  return redirect("/funds?created=1");
}

export default function NewScheme() {
  const { years, wards, idempotencyKey } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t, i18n } = useTranslation("funds");
  const language = i18n.language;
  const labels = Object.fromEntries(LABELLED_FIELDS.map((field) => [field, t(`new.labels.${field}`)]));
  return (
    <div className="max-w-3xl">
      <h1>{t("new.title")}</h1>
      <p>{t("new.intro")}</p>
      <ErrorSummary state={state} labels={labels} />
      <Form method="post" noValidate>
        <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
        <TextField name="name" label={t("new.name")} hint={t("new.nameHint", { fy: years[1] })} state={state} />
        <SelectField name="fy" label={t("new.fy")} options={years.map((y) => ({ value: y, label: y }))} state={state} />
        <h2>{t("new.money")}</h2>
        <SelectField
          name="splitMethod"
          label={t("new.splitMethod")}
          options={[
            { value: "population", label: t("new.split.population") },
            { value: "equal", label: t("new.split.equal") },
            { value: "weights", label: t("new.split.weights") },
            { value: "per-councillor", label: t("new.split.per-councillor") },
          ]}
          state={state}
        />
        <TextField
          name="pot"
          label={t("new.pot")}
          hint={t("new.potHint")}
          inputMode="decimal"
          className="max-w-48"
          state={state}
        />
        <TextField
          name="perCouncillor"
          label={t("new.perCouncillor")}
          hint={t("new.perCouncillorHint")}
          inputMode="decimal"
          className="max-w-48"
          state={state}
        />
        <details className="field">
          <summary className="cursor-pointer underline">{t("new.weights")}</summary>
          {wards.map((w) => (
            <TextField
              key={w.gssCode}
              name={`weight-${w.gssCode}`}
              label={t("new.weight", { ward: pickLocalised({ en: w.name, cy: w.nameCy }, language).text })}
              inputMode="decimal"
              className="max-w-32"
              state={state}
            />
          ))}
        </details>
        <SelectField
          name="budgetMode"
          label={t("new.budgetMode")}
          options={[
            { value: "per-ward", label: t("new.mode.per-ward") },
            { value: "per-councillor", label: t("new.mode.per-councillor") },
          ]}
          state={state}
        />
        <TextField
          name="pooledQuorum"
          label={t("new.pooledQuorum")}
          hint={t("new.pooledQuorumHint")}
          inputMode="numeric"
          className="max-w-24"
          state={state}
        />
        <TextField
          name="minGrant"
          label={t("new.minGrant")}
          inputMode="decimal"
          defaultValue="100"
          className="max-w-48"
          state={state}
        />
        <TextField
          name="maxGrant"
          label={t("new.maxGrant")}
          inputMode="decimal"
          defaultValue="5000"
          className="max-w-48"
          state={state}
        />
        <h2>{t("new.terms")}</h2>
        <CheckboxGroup
          name="eligibleTypes"
          legend={t("new.eligibleTypes")}
          options={ORGANISATION_TYPES.map((type) => ({ value: type, label: t(`forms:organisationTypes.${type}`) }))}
          defaultChecked={[...ORGANISATION_TYPES]}
          state={state}
        />
        <CheckboxGroup
          name="rules"
          legend={t("new.rules")}
          options={[
            { value: "no-retrospective", label: t("new.rule.no-retrospective") },
            { value: "quotes", label: t("new.rule.quotes") },
            { value: "bank-name", label: t("new.rule.bank-name") },
            { value: "match", label: t("new.rule.match") },
          ]}
          defaultChecked={["no-retrospective", "bank-name"]}
          state={state}
        />
        <TextField
          name="quotesAbove"
          label={t("new.quotesAbove")}
          inputMode="decimal"
          className="max-w-48"
          state={state}
        />
        <TextField
          name="matchPercent"
          label={t("new.matchPercent")}
          inputMode="numeric"
          className="max-w-24"
          state={state}
        />
        <TextAreaField name="criteria" label={t("new.criteria")} hint={t("new.criteriaHint")} rows={4} state={state} />
        <h2>{t("new.dates")}</h2>
        <TextField name="opensOn" label={t("new.opensOn")} type="date" state={state} />
        <TextField name="closesOn" label={t("new.closesOn")} type="date" state={state} />
        <TextField
          name="commitmentCutoffOn"
          label={t("new.cutoff")}
          hint={t("new.cutoffHint")}
          type="date"
          state={state}
        />
        <SelectField
          name="yearEnd"
          label={t("new.yearEnd")}
          options={[
            { value: "lapse", label: t("new.yearEndOption.lapse") },
            { value: "carry-forward", label: t("new.yearEndOption.carry-forward") },
          ]}
          state={state}
        />
        <TextField
          name="resolutionRef"
          label={t("new.resolutionRef")}
          hint={t("new.resolutionRefHint")}
          state={state}
        />
        <SubmitButton>{t("new.submit")}</SubmitButton>
      </Form>
    </div>
  );
}
