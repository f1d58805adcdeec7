import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ErrorSummary, SelectField, SubmitButton, TextField } from "~/components/forms";
import { formatRoundDate, rulesAreLocked } from "~/core/rounds";
import { VOTER_RULE_LABELS, VOTER_RULE_LIST } from "~/core/voting";
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

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Who may vote – ${data?.round.name ?? "Round"} – Wardfund` },
];

const LABELS = {
  voterRule: "Who may vote",
  file: "Register extract (CSV)",
  columns: "Columns",
  referenceColumn: "Reference column",
  postcodeColumn: "Postcode column",
  dateOfBirthColumn: "Date of birth column",
  surnameColumn: "Surname column",
};

const ruleSchema = z.object({
  voterRule: z.enum(VOTER_RULE_LIST, { errorMap: () => ({ message: "Choose who may vote" }) }),
});
const column = z
  .string()
  .trim()
  .max(100, "A column name is at most 100 characters")
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
        message: "Name all three of the postcode, date of birth and surname columns, or none of them",
      });
    else if (!v.referenceColumn && !person.every(Boolean))
      ctx.addIssue({
        code: "custom",
        path: ["referenceColumn"],
        message: "Name the reference column, or the postcode, date of birth and surname columns",
      });
  });

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const round = findRound(idParam(params.roundId));
  if (!round) throw notFound("There is no such round.");
  return json({
    round: { id: round.id, name: round.name, voterRule: round.voterRule, rulesLockedAt: round.rulesLockedAt },
    locked: rulesAreLocked(round.phase),
    register: registerSummary(round.id),
    maxMegabytes: MAX_REGISTER_FILE_BYTES / 1024 / 1024,
  });
}

type ActionData = ReturnType<typeof failure> & { intent: string; message?: string; problems?: string[] };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const roundId = idParam(params.roundId);
  if (!findRound(roundId)) throw notFound("There is no such round.");
  const upload = await readUploadForm(request, { field: "file", maxFiles: 1, maxFileBytes: MAX_REGISTER_FILE_BYTES });
  if (upload === "too-large")
    return json<ActionData>(
      { ...failure({ file: "The file is too large: at most 10 MB." }), intent: "upload" },
      { status: 413 },
    );
  const { formData, files, oversized } = upload;
  const intent = String(formData.get("intent") ?? "");
  try {
    if (intent === "rule") {
      const parsed = parseForm(ruleSchema, formData);
      if (!parsed.ok) return json<ActionData>({ ...parsed, intent }, { status: 400 });
      setVoterRule(user, roundId, parsed.data.voterRule);
      return json<ActionData>({ ...failure({}), ok: false, intent, message: "Who may vote is saved." });
    }
    const parsed = parseForm(columnsSchema, formData);
    if (!parsed.ok) return json<ActionData>({ ...parsed, intent: "upload" }, { status: 400 });
    if (oversized.length)
      return json<ActionData>(
        { ...failure({ file: "The file is too large: at most 10 MB." }, parsed.values), intent: "upload" },
        { status: 413 },
      );
    const file = files[0];
    if (!file || file.sizeBytes === 0)
      return json<ActionData>(
        { ...failure({ file: "Choose the register extract, a CSV file" }, parsed.values), intent: "upload" },
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
      message:
        `The register has ${summary.rows.toLocaleString("en-GB")} rows, kept only as keyed hashes.` +
        (summary.problemCount ? ` ${summary.problemCount.toLocaleString("en-GB")} rows were left out.` : ""),
      problems: summary.problems.map((p) => `Line ${p.line}: ${p.message}`),
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
  return (
    <div className="max-w-3xl">
      <p>
        <Link to={`/admin/rounds/${round.id}`}>Back to {round.name}</Link>
      </p>
      <h1>Who may vote in {round.name}</h1>
      {result?.message ? (
        <p role="status" className="notice">
          {result.message}
        </p>
      ) : null}
      {result?.problems?.length ? (
        <details className="mb-4">
          <summary>Rows left out (first {result.problems.length})</summary>
          <ul className="list-disc pl-6">
            {result.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </details>
      ) : null}
      <p>
        One-time voting codes can be used under every rule. The rule is fixed when voting opens, with the other rules of
        the round.
      </p>
      <ul className="list-disc pl-6">
        <li>
          <strong>{VOTER_RULE_LABELS.account}:</strong> anyone with an account whose postcode is in the area and who is
          old enough on the day voting closes.
        </li>
        <li>
          <strong>{VOTER_RULE_LABELS.register}:</strong> each resident matches one row of the register extract you
          upload below, by the reference on their letter or polling card, or by postcode, date of birth and surname.
          Each row serves one account.
        </li>
        <li>
          <strong>{VOTER_RULE_LABELS.codes}:</strong> codes posted to households or handed out at events; nobody can
          vote with an account.
        </li>
      </ul>
      {data.locked ? (
        <p className="notice">
          Who may vote was fixed when voting opened
          {round.rulesLockedAt ? ` on ${formatRoundDate(round.rulesLockedAt, true)}` : ""}:{" "}
          <strong>{VOTER_RULE_LABELS[round.voterRule]}</strong>.
        </p>
      ) : (
        <Form method="post" noValidate>
          <ErrorSummary state={stateFor("rule")} labels={LABELS} />
          <input type="hidden" name="intent" value="rule" />
          <SelectField
            name="voterRule"
            label="Who may vote"
            options={VOTER_RULE_LIST.map((r) => ({ value: r, label: VOTER_RULE_LABELS[r] }))}
            defaultValue={round.voterRule}
            state={stateFor("rule")}
          />
          <SubmitButton>Save who may vote</SubmitButton>
        </Form>
      )}

      <h2>Residents' register</h2>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1">
        <dt className="font-semibold">Rows</dt>
        <dd>{register.rows.toLocaleString("en-GB")}</dd>
        <dt className="font-semibold">Matched to an account</dt>
        <dd>{register.matched.toLocaleString("en-GB")}</dd>
        <dt className="font-semibold">Uploaded</dt>
        <dd>
          {register.uploadedAt
            ? `${formatRoundDate(register.uploadedAt, true)}${register.uploadedBy ? ` by ${register.uploadedBy}` : ""}`
            : "Not yet"}
        </dd>
      </dl>
      {round.voterRule === "register" && register.rows === 0 ? (
        <p className="notice">This round uses the register, but none is uploaded: nobody could vote with an account.</p>
      ) : null}
      {data.locked ? (
        <p>The register was fixed when voting opened.</p>
      ) : (
        <Form method="post" encType="multipart/form-data" noValidate>
          <ErrorSummary state={stateFor("upload")} labels={LABELS} />
          <input type="hidden" name="intent" value="upload" />
          <p>
            A CSV with a header row, of at most {data.maxMegabytes} MB. Uploading replaces the register. Only keyed
            hashes of each row are kept, never the names, dates or references themselves. Give the header of each column
            you use; leave a column empty if the file does not have it.
          </p>
          <TextField
            name="file"
            label="Register extract (CSV)"
            type="file"
            accept=".csv,text/csv"
            state={stateFor("upload")}
          />
          <TextField
            name="referenceColumn"
            label="Reference column"
            hint="The reference printed on the letter or polling card"
            defaultValue="reference"
            state={stateFor("upload")}
          />
          <TextField name="postcodeColumn" label="Postcode column" defaultValue="postcode" state={stateFor("upload")} />
          <TextField
            name="dateOfBirthColumn"
            label="Date of birth column"
            hint="Dates as YYYY-MM-DD or DD/MM/YYYY"
            defaultValue="date_of_birth"
            state={stateFor("upload")}
          />
          <TextField name="surnameColumn" label="Surname column" defaultValue="surname" state={stateFor("upload")} />
          <SubmitButton>Upload the register</SubmitButton>
        </Form>
      )}
    </div>
  );
}
