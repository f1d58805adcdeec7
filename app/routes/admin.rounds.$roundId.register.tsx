import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { z } from "zod";
import { LocalisedText } from "~/components/localised-text";
import { pickLocalised } from "~/core/localised";
import { ErrorSummary, SelectField, SubmitButton, TextField, useErrorText } from "~/components/forms";
import { rulesAreLocked } from "~/core/rounds";
import { VOTER_RULE_LIST } from "~/core/voting";
import { findRound } from "~/models/rounds/queries.server";
import {
  MAX_REGISTER_FILE_BYTES,
  registerSummary,
  setVoterRule,
  uploadRegister,
} from "~/models/voting/register.server";
import { requireRole } from "~/utils/auth.server";
import { failure, parseForm } from "~/utils/form";
import { idParam, notFound } from "~/utils/http.server";
import { Refusal } from "~/utils/refusal";
import { refusalFailure } from "~/utils/refusal.server";
import { readUploadForm } from "~/utils/uploads.server";
import { languageOfMatches, translatorFor, useFormat } from "~/utils/translate";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const language = languageOfMatches(matches);
  const t = translatorFor(language);
  const name = data ? pickLocalised({ en: data.round.name, cy: data.round.nameCy }, language).text : "";
  return [{ title: t("common:title", { page: t("admin:register.title", { name }) }) }];
};

const LABELS = [
  "voterRule",
  "file",
  "columns",
  "referenceColumn",
  "postcodeColumn",
  "dateOfBirthColumn",
  "surnameColumn",
] as const;

const ruleSchema = z.object({
  voterRule: z.enum(VOTER_RULE_LIST, { errorMap: () => ({ message: "admin:register.chooseRule" }) }),
});
const column = z
  .string()
  .trim()
  .max(100, "admin:register.columnTooLong")
  .transform((v) => (v === "" ? null : v));
const columnsSchema = z
  .object({
    referenceColumn: column,
    postcodeColumn: column,
    dateOfBirthColumn: column,
    surnameColumn: column,
  })
  .superRefine((v, ctx) => {
    const person = [v.postcodeColumn, v.dateOfBirthColumn, v.surnameColumn];
    if (person.some(Boolean) && !person.every(Boolean))
      ctx.addIssue({
        code: "custom",
        path: [["postcodeColumn", "dateOfBirthColumn", "surnameColumn"][person.findIndex((p) => !p)]!],
        message: "admin:register.allThree",
      });
    else if (!v.referenceColumn && !person.every(Boolean))
      ctx.addIssue({
        code: "custom",
        path: ["referenceColumn"],
        message: "admin:register.referenceOrPerson",
      });
  });

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const round = findRound(idParam(params.roundId));
  if (!round) throw notFound("admin:refusal.noRound");
  return json({
    round: {
      id: round.id,
      name: round.name,
      nameCy: round.nameCy,
      voterRule: round.voterRule,
      rulesLockedAt: round.rulesLockedAt,
    },
    locked: rulesAreLocked(round.phase),
    register: registerSummary(round.id),
    maxMegabytes: MAX_REGISTER_FILE_BYTES / 1024 / 1024,
  });
}

type ActionData = ReturnType<typeof failure> & {
  intent: string;
  message?: string;
  rows?: number;
  leftOut?: number;
  problems?: { line: number; message: string }[];
};

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const roundId = idParam(params.roundId);
  if (!findRound(roundId)) throw notFound("admin:refusal.noRound");
  const upload = await readUploadForm(request, { field: "file", maxFiles: 1, maxFileBytes: MAX_REGISTER_FILE_BYTES });
  if (upload === "too-large")
    return json<ActionData>({ ...failure({ file: "admin:register.tooLarge" }), intent: "upload" }, { status: 413 });
  const { formData, files, oversized } = upload;
  const intent = String(formData.get("intent") ?? "");
  try {
    if (intent === "rule") {
      const parsed = parseForm(ruleSchema, formData);
      if (!parsed.ok) return json<ActionData>({ ...parsed, intent }, { status: 400 });
      setVoterRule(user, roundId, parsed.data.voterRule);
      return json<ActionData>({ ...failure({}), ok: false, intent, message: "ruleSaved" });
    }
    const parsed = parseForm(columnsSchema, formData);
    if (!parsed.ok) return json<ActionData>({ ...parsed, intent: "upload" }, { status: 400 });
    if (oversized.length)
      return json<ActionData>(
        { ...failure({ file: "admin:register.tooLarge" }, parsed.values), intent: "upload" },
        { status: 413 },
      );
    const file = files[0];
    if (!file || file.sizeBytes === 0)
      return json<ActionData>(
        { ...failure({ file: "admin:register.chooseFile" }, parsed.values), intent: "upload" },
        { status: 400 },
      );
    const summary = uploadRegister(
      user,
      roundId,
      new TextDecoder().decode(file.bytes),
      {
        reference: parsed.data.referenceColumn,
        postcode: parsed.data.postcodeColumn,
        dateOfBirth: parsed.data.dateOfBirthColumn,
        surname: parsed.data.surnameColumn,
      },
      file.fileName,
    );
    return json<ActionData>({
      ...failure({}, parsed.values),
      intent: "upload",
      message: "uploaded",
      rows: summary.rows,
      leftOut: summary.problemCount,
      problems: summary.problems.map((p) => ({ line: p.line, message: p.message })),
    });
  } catch (error) {
    if (error instanceof Refusal) {
      const values = Object.fromEntries(
        [...formData.entries()].filter((e): e is [string, string] => typeof e[1] === "string"),
      );
      const target = error.field === "columns" ? "referenceColumn" : undefined;
      return json<ActionData>(
        { ...refusalFailure(error, values, target), intent: intent === "rule" ? "rule" : "upload" },
        { status: error.status },
      );
    }
    throw error;
  }
}

export default function RoundRegister() {
  const data = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const stateFor = (intent: string) =>
    result && result.intent === intent && Object.keys(result.errors).length + (result.formError ? 1 : 0) > 0
      ? result
      : undefined;
  const { round, register } = data;
  const { t } = useTranslation("admin");
  const format = useFormat();
  const errorText = useErrorText();
  const labels = Object.fromEntries(LABELS.map((field) => [field, t(`register.labels.${field}`)]));
  const roundName = <LocalisedText value={{ en: round.name, cy: round.nameCy }} />;
  const ruleLabel = (rule: string) => t(`voterRule.${rule}`);
  return (
    <div className="max-w-3xl">
      <p>
        <Link to={`/admin/rounds/${round.id}`}>
          <Trans t={t} i18nKey="register.back" components={{ round: roundName }} />
        </Link>
      </p>
      <h1>
        <Trans t={t} i18nKey="register.heading" components={{ round: roundName }} />
      </h1>
      {result?.message ? (
        <p role="status" className="notice">
          {result.message === "uploaded"
            ? `${t("register.uploaded", { count: result.rows ?? 0 })}${
                result.leftOut ? ` ${t("register.leftOut", { count: result.leftOut })}` : ""
              }`
            : t(`register.${result.message}`)}
        </p>
      ) : null}
      {result?.problems?.length ? (
        <details className="mb-4">
          <summary>{t("register.rowsLeftOut", { count: result.problems.length })}</summary>
          <ul className="list-disc pl-6">
            {result.problems.map((p) => (
              <li key={p.line}>{t("register.line", { line: p.line, message: errorText(p.message) })}</li>
            ))}
          </ul>
        </details>
      ) : null}
      <p>{t("register.intro")}</p>
      <ul className="list-disc pl-6">
        <li>
          <strong>{ruleLabel("account")}:</strong> {t("register.ruleAccount")}
        </li>
        <li>
          <strong>{ruleLabel("register")}:</strong> {t("register.ruleRegister")}
        </li>
        <li>
          <strong>{ruleLabel("codes")}:</strong> {t("register.ruleCodes")}
        </li>
      </ul>
      {data.locked ? (
        <p className="notice">
          {t("register.fixed", { date: round.rulesLockedAt ? format.dateTime(round.rulesLockedAt) : t("notSet") })}{" "}
          <strong>{ruleLabel(round.voterRule)}</strong>.
        </p>
      ) : (
        <Form method="post" noValidate>
          <ErrorSummary state={stateFor("rule")} labels={labels} />
          <input type="hidden" name="intent" value="rule" />
          <SelectField
            name="voterRule"
            label={t("register.labels.voterRule")}
            options={VOTER_RULE_LIST.map((r) => ({ value: r, label: ruleLabel(r) }))}
            defaultValue={round.voterRule}
            state={stateFor("rule")}
          />
          <SubmitButton>{t("register.save")}</SubmitButton>
        </Form>
      )}

      <h2>{t("register.registerHeading")}</h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
        <dt className="font-semibold">{t("register.rows")}</dt>
        <dd>{format.number(register.rows)}</dd>
        <dt className="font-semibold">{t("register.matched")}</dt>
        <dd>{format.number(register.matched)}</dd>
        <dt className="font-semibold">{t("register.uploadedAt")}</dt>
        <dd>
          {register.uploadedAt
            ? register.uploadedBy
              ? t("register.uploadedBy", { date: format.dateTime(register.uploadedAt), name: register.uploadedBy })
              : format.dateTime(register.uploadedAt)
            : t("register.notYet")}
        </dd>
      </dl>
      {round.voterRule === "register" && register.rows === 0 ? (
        <p className="notice">{t("register.noneUploaded")}</p>
      ) : null}
      {data.locked ? (
        <p>{t("register.registerFixed")}</p>
      ) : (
        <Form method="post" encType="multipart/form-data" noValidate>
          <ErrorSummary state={stateFor("upload")} labels={labels} />
          <input type="hidden" name="intent" value="upload" />
          <p>{t("register.uploadIntro", { size: format.number(data.maxMegabytes) })}</p>
          <TextField
            name="file"
            label={t("register.labels.file")}
            type="file"
            accept=".csv,text/csv"
            state={stateFor("upload")}
          />
          <TextField
            name="referenceColumn"
            label={t("register.labels.referenceColumn")}
            hint={t("register.referenceHint")}
            defaultValue="reference"
            state={stateFor("upload")}
          />
          <TextField
            name="postcodeColumn"
            label={t("register.labels.postcodeColumn")}
            defaultValue="postcode"
            state={stateFor("upload")}
          />
          <TextField
            name="dateOfBirthColumn"
            label={t("register.labels.dateOfBirthColumn")}
            hint={t("register.dateHint")}
            defaultValue="date_of_birth"
            state={stateFor("upload")}
          />
          <TextField
            name="surnameColumn"
            label={t("register.labels.surnameColumn")}
            defaultValue="surname"
            state={stateFor("upload")}
          />
          <SubmitButton>{t("register.upload")}</SubmitButton>
        </Form>
      )}
    </div>
  );
}
