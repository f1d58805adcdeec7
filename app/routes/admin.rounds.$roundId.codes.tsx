import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { guardText } from "~/core/exports";
import { channelCount } from "~/core/results/turnout";
import { formatRoundDate } from "~/core/rounds/gallery";
import { groupInFours } from "~/core/voting";
import { findRound } from "~/models/rounds/queries.server";
import { roundTurnout } from "~/models/rounds/turnout.server";
import {
  generateCodeBatch,
  listCodeBatches,
  MAX_CODES_PER_BATCH,
  revokeCode,
  revokeCodeBatch,
} from "~/models/voting/codes.server";
import { requireRole } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { idParam, notFound } from "~/utils/http.server";
import { Refusal } from "~/utils/refusal";
import { refusalFailure } from "~/utils/refusal.server";

export const meta: MetaFunction = () => [{ title: "Voting codes – Wardfund" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const round = findRound(idParam(params.roundId));
  if (!round) throw notFound("There is no such round.");
  return json({
    round: { id: round.id, name: round.name, phase: round.phase, votingClosesAt: round.votingClosesAt },
    batches: listCodeBatches(round.id),
    turnout: roundTurnout(round.id),
    maxPerBatch: MAX_CODES_PER_BATCH,
  });
}

const generateSchema = z.object({
  label: z
    .string({ required_error: "Give the batch a name" })
    .trim()
    .min(1, "Give the batch a name, for example “Polling cards, Abbey Fields”")
    .max(120, "Keep the name under 120 characters"),
  count: z.coerce
    .number({ invalid_type_error: "Enter a whole number" })
    .int("Enter a whole number")
    .min(1, "Make at least 1 code")
    .max(MAX_CODES_PER_BATCH, `Make at most ${MAX_CODES_PER_BATCH} codes in one batch`),
  format: z.enum(["html", "csv"]).default("html"),
});
const revokeCodeSchema = z.object({
  code: z.string().trim().min(1, "Enter the code to cancel"),
  reason: z.string().trim().min(1, "Say why the code is cancelled").max(500),
});
const revokeBatchSchema = z.object({
  batchId: z.coerce.number().int().positive(),
  reason: z.string().trim().min(1, "Say why the batch is cancelled").max(500),
});

function csvOf(roundName: string, url: string, codes: string[]): string {
  const quote = (v: string) => `"${guardText(v).replace(/"/g, '""')}"`;
  return (
    ["round,code,where_to_vote", ...codes.map((c) => [quote(roundName), groupInFours(c), quote(url)].join(","))].join(
      "\r\n",
    ) + "\r\n"
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const round = findRound(idParam(params.roundId));
  if (!round) throw notFound("There is no such round.");
  const actor = { id: user.id, name: user.name };
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  if (intent === "revoke-code") {
    const form = parseForm(revokeCodeSchema, formData);
    if (!form.ok) return json({ ...form, intent, codes: null, message: null }, { status: 400 });
    try {
      return json({
        ok: true,
        intent,
        codes: null,
        message: revokeCode(actor, round.id, form.data.code, form.data.reason),
        errors: {},
        values: {},
      });
    } catch (error) {
      if (error instanceof Refusal)
        return json(
          { ...refusalFailure(error, form.values, "code"), intent, codes: null, message: null },
          { status: error.status },
        );
      throw error;
    }
  }
  if (intent === "revoke-batch") {
    const form = parseForm(revokeBatchSchema, formData);
    if (!form.ok) return json({ ...form, intent, codes: null, message: null }, { status: 400 });
    const n = revokeCodeBatch(actor, round.id, form.data.batchId, form.data.reason);
    return json({
      ok: true,
      intent,
      codes: null,
      message: `${n} unused ${n === 1 ? "code was" : "codes were"} cancelled.`,
      errors: {},
      values: {},
    });
  }
  const form = parseForm(generateSchema, formData);
  if (!form.ok) return json({ ...form, intent: "generate", codes: null, message: null }, { status: 400 });
  const { batchId, codes } = generateCodeBatch(actor, round.id, form.data.label, form.data.count);
  const voteUrl = `${new URL(request.url).origin}/rounds/${round.id}/code`;
  if (form.data.format === "csv") {
    return new Response(csvOf(round.name, voteUrl, codes), {
      headers: {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": `attachment; filename="round-${round.id}-codes-batch-${batchId}.csv"`,
        "Cache-Control": "no-store",
      },
    });
  }
  return json(
    {
      ok: true,
      intent: "generate",
      codes: codes.map(groupInFours),
      voteUrl,
      label: form.data.label,
      message: null,
      errors: {},
      values: {},
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}

type ActionData = {
  intent: string;
  codes: string[] | null;
  voteUrl?: string;
  label?: string;
  message: string | null;
  errors?: Record<string, string>;
  values?: Record<string, string>;
  formError?: string;
};

export default function VotingCodes() {
  const { round, batches, turnout, maxPerBatch } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  if (result?.codes) {
    const closes = formatRoundDate(round.votingClosesAt, true);
    return (
      <div>
        <div className="no-print">
          <h1>Voting codes: {result.label}</h1>
          <p className="font-semibold" role="status">
            {result.codes.length} codes were made for {round.name}. Print this page now: the codes are stored only in a
            scrambled form and cannot be shown again.
          </p>
          <p>
            Each code can be used once, at {result.voteUrl}. The page prints as slips to cut out along the dashed lines,
            each with the round, how to vote and its code.
          </p>
          <p>
            <a href={`/admin/rounds/${round.id}/codes`}>Back to voting codes</a>
          </p>
        </div>
        <ol className="code-slips" aria-label="Codes">
          {result.codes.map((c) => (
            <li key={c} className="code-slip">
              <p className="code-slip-round">{round.name}</p>
              <p className="code-slip-how">
                Vote online at <span className="code-slip-url">{result.voteUrl}</span> before {closes}. Enter this code,
                then rank the projects you want most. The code works once.
              </p>
              <p className="code-slip-code">
                <span className="sr-only">Code: </span>
                {c}
              </p>
            </li>
          ))}
        </ol>
      </div>
    );
  }
  const generateState = result?.intent === "generate" ? result : undefined;
  const revokeState = result?.intent === "revoke-code" ? result : undefined;
  const batchState = result?.intent === "revoke-batch" ? result : undefined;
  return (
    <div className="max-w-3xl">
      <h1>Voting codes for {round.name}</h1>
      <p>
        Turnout so far: {turnout.total} ({channelCount(turnout, "online")} online, {channelCount(turnout, "code")} with
        a code, {channelCount(turnout, "paper")} on paper). Nobody can see how the votes are going until the count is
        published.
      </p>
      {result?.message ? (
        <p role="status" className="border-l-4 border-green-800 pl-3 font-semibold">
          {result.message}
        </p>
      ) : null}
      <h2>Make a batch of codes</h2>
      <p>
        Codes are shown once, as a printable sheet or a CSV file to send to the printer. Only a scrambled form is kept,
        so a lost sheet cannot be printed again: cancel its batch and make a new one.
      </p>
      <ErrorSummary state={generateState} labels={{ label: "Batch name", count: "Number of codes" }} />
      <Form method="post" noValidate reloadDocument>
        <input type="hidden" name="intent" value="generate" />
        <TextField
          name="label"
          label="Batch name"
          hint="For example “Polling cards, Abbey Fields” or “Library event”"
          state={generateState}
        />
        <TextField
          name="count"
          label="Number of codes"
          hint={`From 1 to ${maxPerBatch}`}
          inputMode="numeric"
          state={generateState}
        />
        <div className="flex flex-wrap gap-4">
          <SubmitButton name="format" value="html">
            Make codes and show a printable sheet
          </SubmitButton>
          <SubmitButton name="format" value="csv" secondary>
            Make codes and download a CSV file
          </SubmitButton>
        </div>
      </Form>
      <h2 className="mt-8">Batches</h2>
      {batches.length === 0 ? (
        <p>No codes have been made for this round.</p>
      ) : (
        <table className="w-full text-left">
          <caption className="sr-only">Batches of voting codes</caption>
          <thead>
            <tr>
              <th scope="col">Batch</th>
              <th scope="col">Codes</th>
              <th scope="col">Used</th>
              <th scope="col">Cancelled</th>
              <th scope="col">Made by</th>
              <th scope="col">Cancel the batch</th>
            </tr>
          </thead>
          <tbody>
            {batches.map((b) => (
              <tr key={b.id}>
                <td>{b.label}</td>
                <td>{b.size}</td>
                <td>{b.used}</td>
                <td>{b.revoked}</td>
                <td>{b.createdBy}</td>
                <td>
                  <Form method="post" className="flex flex-wrap items-end gap-2">
                    <input type="hidden" name="intent" value="revoke-batch" />
                    <input type="hidden" name="batchId" value={b.id} />
                    <label htmlFor={`batch-reason-${b.id}`} className="sr-only">
                      Why cancel {b.label}
                    </label>
                    <input
                      id={`batch-reason-${b.id}`}
                      name="reason"
                      required
                      placeholder="Reason"
                      className="input max-w-40"
                    />
                    <button
                      type="submit"
                      className="button button-warning min-h-11"
                      aria-label={`Cancel unused codes in ${b.label}`}
                    >
                      Cancel unused codes
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {batchState?.errors && Object.keys(batchState.errors).length ? (
        <p className="error-message">Say why the batch is cancelled.</p>
      ) : null}
      <h2 className="mt-8">Cancel one code</h2>
      <ErrorSummary state={revokeState} labels={{ code: "Code to cancel", reason: "Reason" }} />
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="revoke-code" />
        <TextField name="code" label="Code to cancel" autoComplete="off" spellCheck={false} state={revokeState} />
        <TextField name="reason" label="Reason" hint="For example “card reported lost”" state={revokeState} />
        <SubmitButton>Cancel the code</SubmitButton>
      </Form>
    </div>
  );
}
