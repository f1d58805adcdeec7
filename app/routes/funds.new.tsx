import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { CheckboxGroup, ErrorSummary, SelectField, SubmitButton, TextAreaField, TextField } from "~/components/forms";
import { SPLIT_METHODS } from "~/core/funds/allocation";
import { financialYearOf, isFinancialYear, isIsoDate, londonDateOf, nextFinancialYear } from "~/core/ledger";
import { tryParsePounds } from "~/core/money";
import { ORGANISATION_TYPES } from "~/db/schema";
import { listWards } from "~/models/council.server";
import { createWardBudgetScheme } from "~/models/funds.server";
import { ORGANISATION_TYPE_LABELS } from "~/forms/group-form";
import { isRefusal } from "~/utils/refusal";
import { requireRole } from "~/utils/auth.server";
import { failure, formObject, formValues } from "~/utils/form";
import { refusalAnswer } from "~/utils/refusal.server";

export const meta: MetaFunction = () => [{ title: "Set up a ward-budget scheme – Wardfund" }];

const pounds = (label: string, required: boolean) =>
  z.string().transform((value, ctx) => {
    if (value.trim() === "") {
      if (required) ctx.addIssue({ code: "custom", message: `Enter ${label}` });
      return null;
    }
    const parsed = tryParsePounds(value, { allowZero: false });
    if (!parsed.ok) {
      ctx.addIssue({ code: "custom", message: parsed.error.userMessage });
      return null;
    }
    return parsed.pence;
  });
const date = (label: string) => z.string().refine(isIsoDate, `Enter ${label} as a date`);
const optionalDate = z.string().transform((v, ctx) => {
  if (v === "") return null;
  if (!isIsoDate(v)) ctx.addIssue({ code: "custom", message: "Enter the cut-off as a date" });
  return v;
});

const schema = z
  .object({
    idempotencyKey: z.string().min(10).max(100),
    name: z.string().trim().min(3, "Enter the scheme's name").max(120),
    fy: z.string().refine(isFinancialYear, "Choose a financial year"),
    splitMethod: z.enum(SPLIT_METHODS, { errorMap: () => ({ message: "Choose how to share the money" }) }),
    pot: pounds("the total pot", false),
    perCouncillor: pounds("the amount per councillor", false),
    budgetMode: z.enum(["per-ward", "per-councillor"]),
    pooledQuorum: z.string().transform((v, ctx) => {
      if (v === "") return null;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 3)
        ctx.addIssue({ code: "custom", message: "Enter how many councillors must approve, from 1 to 3" });
      return n;
    }),
    minGrant: pounds("the smallest grant", true),
    maxGrant: pounds("the largest grant", true),
    eligibleTypes: z.array(z.enum(ORGANISATION_TYPES)).min(1, "Choose at least one kind of organisation"),
    rules: z.array(z.enum(["no-retrospective", "quotes", "bank-name", "match"])),
    quotesAbove: pounds("the amount above which quotes are needed", false),
    matchPercent: z.string().transform((v, ctx) => {
      if (v === "") return null;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 100)
        ctx.addIssue({ code: "custom", message: "Enter the match-funding share as a whole percentage, 1 to 100" });
      return n;
    }),
    criteria: z.string().trim().min(10, "Describe what the scheme funds").max(5000),
    opensOn: date("the opening date"),
    closesOn: date("the closing date"),
    commitmentCutoffOn: optionalDate,
    yearEnd: z.enum(["lapse", "carry-forward"]),
    resolutionRef: z
      .string()
      .trim()
      .max(100)
      .transform((v) => v || null),
  })
  .passthrough()
  .superRefine((v, ctx) => {
    if (v.splitMethod === "per-councillor" && v.perCouncillor === null)
      ctx.addIssue({ code: "custom", path: ["perCouncillor"], message: "Enter the amount for each councillor" });
    if (v.splitMethod !== "per-councillor" && v.pot === null)
      ctx.addIssue({ code: "custom", path: ["pot"], message: "Enter the total pot" });
    if (v.minGrant !== null && v.maxGrant !== null && v.minGrant > v.maxGrant)
      ctx.addIssue({ code: "custom", path: ["maxGrant"], message: "The largest grant must be at least the smallest" });
    if (v.rules.includes("quotes") && v.quotesAbove === null)
      ctx.addIssue({
        code: "custom",
        path: ["quotesAbove"],
        message: "Enter the amount above which quotes are needed",
      });
    if (v.rules.includes("match") && v.matchPercent === null)
      ctx.addIssue({ code: "custom", path: ["matchPercent"], message: "Enter the match-funding share" });
    if (v.closesOn < v.opensOn)
      ctx.addIssue({ code: "custom", path: ["closesOn"], message: "The closing date must be after the opening date" });
  });

const LABELS: Record<string, string> = {
  name: "Scheme name",
  fy: "Financial year",
  splitMethod: "How to share the money",
  pot: "Total pot",
  perCouncillor: "Amount per councillor",
  pooledQuorum: "Approvals needed",
  minGrant: "Smallest grant",
  maxGrant: "Largest grant",
  eligibleTypes: "Who may bid",
  quotesAbove: "Quotes needed above",
  matchPercent: "Match funding",
  criteria: "Criteria",
  opensOn: "Opens",
  closesOn: "Closes",
  commitmentCutoffOn: "Pre-election cut-off",
};

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin", "finance");
  const current = financialYearOf(londonDateOf(new Date()));
  return json({
    years: [current, nextFinancialYear(current)],
    wards: listWards().map((w) => ({ gssCode: w.gssCode, name: w.name })),
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
  return (
    <div className="max-w-3xl">
      <h1>Set up a ward-budget scheme</h1>
      <p>Setting up the scheme creates a budget for every ward (or councillor) and records the money in the ledger.</p>
      <ErrorSummary state={state} labels={LABELS} />
      <Form method="post" noValidate>
        <input type="hidden" name="idempotencyKey" value={idempotencyKey} />
        <TextField
          name="name"
          label="Scheme name"
          hint={`For example, Councillor Ward Budgets ${years[1]}`}
          state={state}
        />
        <SelectField
          name="fy"
          label="Financial year"
          options={years.map((y) => ({ value: y, label: y }))}
          state={state}
        />
        <h2>The money</h2>
        <SelectField
          name="splitMethod"
          label="How to share the money"
          options={[
            { value: "population", label: "Pro rata by ward population" },
            { value: "equal", label: "Equally between wards" },
            { value: "weights", label: "By custom weights" },
            { value: "per-councillor", label: "A fixed amount per councillor" },
          ]}
          state={state}
        />
        <TextField
          name="pot"
          label="Total pot (£)"
          hint="For population, equal and weighted shares."
          inputMode="decimal"
          className="max-w-48"
          state={state}
        />
        <TextField
          name="perCouncillor"
          label="Amount per councillor (£)"
          hint="For a fixed amount per councillor."
          inputMode="decimal"
          className="max-w-48"
          state={state}
        />
        <details className="field">
          <summary className="cursor-pointer underline">Custom weights</summary>
          {wards.map((w) => (
            <TextField
              key={w.gssCode}
              name={`weight-${w.gssCode}`}
              label={`${w.name} weight`}
              inputMode="decimal"
              className="max-w-32"
              state={state}
            />
          ))}
        </details>
        <SelectField
          name="budgetMode"
          label="Budgets"
          options={[
            { value: "per-ward", label: "One budget per ward, shared by its councillors" },
            { value: "per-councillor", label: "One budget per councillor" },
          ]}
          state={state}
        />
        <TextField
          name="pooledQuorum"
          label="Approvals needed for a pooled ward budget (optional)"
          hint="How many of the ward's councillors must approve a bid. Leave empty for any one."
          inputMode="numeric"
          className="max-w-24"
          state={state}
        />
        <TextField
          name="minGrant"
          label="Smallest grant (£)"
          inputMode="decimal"
          defaultValue="100"
          className="max-w-48"
          state={state}
        />
        <TextField
          name="maxGrant"
          label="Largest grant (£)"
          inputMode="decimal"
          defaultValue="5000"
          className="max-w-48"
          state={state}
        />
        <h2>Who may bid and on what terms</h2>
        <CheckboxGroup
          name="eligibleTypes"
          legend="Who may bid"
          options={ORGANISATION_TYPES.map((t) => ({ value: t, label: ORGANISATION_TYPE_LABELS[t] }))}
          defaultChecked={[...ORGANISATION_TYPES]}
          state={state}
        />
        <CheckboxGroup
          name="rules"
          legend="Grant rules"
          options={[
            { value: "no-retrospective", label: "No retrospective costs" },
            { value: "quotes", label: "Quotes attached above an amount" },
            { value: "bank-name", label: "Bank account in the organisation's name" },
            { value: "match", label: "A share of match funding" },
          ]}
          defaultChecked={["no-retrospective", "bank-name"]}
          state={state}
        />
        <TextField
          name="quotesAbove"
          label="Quotes needed above (£)"
          inputMode="decimal"
          className="max-w-48"
          state={state}
        />
        <TextField
          name="matchPercent"
          label="Match funding (% of the project)"
          inputMode="numeric"
          className="max-w-24"
          state={state}
        />
        <TextAreaField
          name="criteria"
          label="Criteria"
          hint="What the scheme funds, published with it."
          rows={4}
          state={state}
        />
        <h2>Dates</h2>
        <TextField name="opensOn" label="Opens for bids" type="date" state={state} />
        <TextField name="closesOn" label="Closes for bids" type="date" state={state} />
        <TextField
          name="commitmentCutoffOn"
          label="Pre-election cut-off (optional)"
          hint="No new commitments after this date."
          type="date"
          state={state}
        />
        <SelectField
          name="yearEnd"
          label="Unspent money at year end"
          options={[
            { value: "lapse", label: "Lapses" },
            { value: "carry-forward", label: "Rolls over to next year of the councillors' term" },
          ]}
          state={state}
        />
        <TextField
          name="resolutionRef"
          label="Council resolution reference (optional)"
          hint="The decision that set the budget, for the ledger entry."
          state={state}
        />
        <SubmitButton>Set up the scheme</SubmitButton>
      </Form>
    </div>
  );
}
