import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ErrorSummary, SubmitButton, TextAreaField, TextField } from "~/components/forms";
import { positionsLine } from "~/core/voting";
import { paperBatch, paperBatchPositions, rekeyPaperBatch, resolvePaperBatch } from "~/models/voting/paper.server";
import { requireRole } from "~/utils/auth.server";
import { failure, formValues } from "~/utils/form";
import { idParam, notFound } from "~/utils/http.server";
import { Refusal } from "~/utils/refusal";
import { refusalFailure } from "~/utils/refusal.server";

export const meta: MetaFunction = () => [{ title: "Paper ballot batch – Wardfund" }];

const STATUS: Record<string, string> = {
  entered: "Waiting for a second officer to re-key",
  checked: "Checked",
  mismatch: "Differences to resolve",
  accepted: "Counted",
};

function load(params: { roundId?: string; batchId?: string }) {
  const roundId = idParam(params.roundId);
  const batch = paperBatch(idParam(params.batchId));
  if (!batch || batch.roundId !== roundId) throw notFound("There is no such batch.");
  return batch;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "admin");
  const batch = load(params);
  const { bidIdToPosition } = paperBatchPositions(batch.roundId);
  const line = (ranking: number[] | null) => (ranking ? positionsLine(ranking, bidIdToPosition) : "(no ballot)");
  // The first keying is never sent to the page before the batch has been re-keyed (blind check).
  return json({
    batch: {
      id: batch.id,
      roundId: batch.roundId,
      label: batch.label,
      status: batch.status,
      ballots: batch.ballots,
      enteredByName: batch.enteredByName,
      checkedByName: batch.checkedByName,
    },
    role:
      batch.enteredBy === user.id
        ? "first"
        : batch.checkedBy === user.id
          ? "second"
          : batch.checkedBy
            ? "other"
            : "may-check",
    mismatches:
      batch.status === "mismatch"
        ? batch.mismatches.map((m) => ({ index: m.index, first: line(m.first), second: line(m.second) }))
        : [],
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const batch = load(params);
  const actor = { id: user.id, name: user.name };
  const formData = await request.formData();
  const values = formValues(formData);
  const intent = String(formData.get("intent") ?? "");
  try {
    if (intent === "resolve") {
      const answers: Record<number, string> = {};
      for (const [key, value] of Object.entries(values))
        if (key.startsWith("resolve-")) answers[Number(key.slice(8))] = value;
      resolvePaperBatch(actor, batch.id, answers, String(formData.get("note") ?? "").trim());
      return json({
        ok: true as const,
        message: "Every difference is resolved. The batch is counted.",
        errors: {} as Record<string, string>,
        values: {} as Record<string, string>,
      });
    }
    const text = String(formData.get("ballots") ?? "");
    if (!text.trim())
      return json(failure({ ballots: "Key in the ballots, one line per paper" }, values), { status: 400 });
    const outcome = rekeyPaperBatch(actor, batch.id, text);
    return json({
      ok: true as const,
      message: outcome.accepted
        ? "Both keyings agree. The batch is counted."
        : `The keyings differ on ${outcome.mismatches} ${outcome.mismatches === 1 ? "ballot" : "ballots"}. Check the papers and resolve each difference.`,
      errors: {} as Record<string, string>,
      values: {} as Record<string, string>,
    });
  } catch (error) {
    if (error instanceof Refusal)
      return json(refusalFailure(error, values, intent === "resolve" ? "note" : "ballots"), { status: error.status });
    throw error;
  }
}

export default function PaperBatch() {
  const { batch, role, mismatches } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as
    | {
        ok?: boolean;
        message?: string;
        errors?: Record<string, string>;
        values?: Record<string, string>;
        formError?: string;
      }
    | undefined;
  const state = result && !result.ok ? result : undefined;
  return (
    <div className="max-w-3xl">
      <p>
        <Link to={`/admin/rounds/${batch.roundId}/paper`}>Paper ballots</Link>
      </p>
      <h1>Paper batch: {batch.label}</h1>
      <dl className="grid grid-cols-[10rem_1fr] gap-1">
        <dt className="font-semibold">Status</dt>
        <dd data-testid="batch-status">{STATUS[batch.status]}</dd>
        <dt className="font-semibold">Papers</dt>
        <dd>{batch.ballots} (first keying)</dd>
        <dt className="font-semibold">Keyed by</dt>
        <dd>{batch.enteredByName}</dd>
        <dt className="font-semibold">Checked by</dt>
        <dd>{batch.checkedByName ?? "Not yet"}</dd>
      </dl>
      {result?.ok ? (
        <p role="status" className="mt-4 border-l-4 border-green-800 pl-3 font-semibold">
          {result.message}
        </p>
      ) : null}
      {batch.status === "entered" && role === "first" ? (
        <p className="mt-4">
          You keyed in this batch. A different officer must now key in the same papers again, without seeing your
          keying.
        </p>
      ) : null}
      {batch.status === "entered" && role !== "first" ? (
        <>
          <h2 className="mt-6">Key in the batch again</h2>
          <p>
            Key in the same papers, in the same order, without looking at the first keying. Differences are shown
            afterwards.
          </p>
          <ErrorSummary state={state} labels={{ ballots: "Ballots" }} />
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="rekey" />
            <TextAreaField
              name="ballots"
              label="Ballots"
              hint="One line per ballot paper: the ballot positions in the voter’s order, separated by spaces."
              rows={12}
              spellCheck={false}
              state={state}
            />
            <SubmitButton>Save the second keying</SubmitButton>
          </Form>
        </>
      ) : null}
      {batch.status === "mismatch" ? (
        <>
          <h2 className="mt-6">Differences</h2>
          <table className="w-full text-left">
            <caption className="sr-only">Ballots where the two keyings differ</caption>
            <thead>
              <tr>
                <th scope="col">Paper</th>
                <th scope="col">First keying</th>
                <th scope="col">Second keying</th>
              </tr>
            </thead>
            <tbody>
              {mismatches.map((m) => (
                <tr key={m.index}>
                  <td>{m.index + 1}</td>
                  <td className="font-mono">{m.first}</td>
                  <td className="font-mono">{m.second}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {role === "second" ? (
            <>
              <h2 className="mt-6">Resolve the differences</h2>
              <p>Look at each paper and key in what it shows, or “void” if it is not a valid ballot.</p>
              <ErrorSummary
                state={state}
                labels={Object.fromEntries(mismatches.map((m) => [`resolve-${m.index}`, `Paper ${m.index + 1}`]))}
              />
              <Form method="post" noValidate>
                <input type="hidden" name="intent" value="resolve" />
                {mismatches.map((m) => (
                  <TextField
                    key={m.index}
                    name={`resolve-${m.index}`}
                    label={`Paper ${m.index + 1}: what the paper shows`}
                    autoComplete="off"
                    spellCheck={false}
                    state={state}
                  />
                ))}
                <TextField name="note" label="Note (optional)" state={state} />
                <SubmitButton>Resolve and count the batch</SubmitButton>
              </Form>
            </>
          ) : (
            <p className="mt-4">Only {batch.checkedByName}, who re-keyed this batch, can resolve its differences.</p>
          )}
        </>
      ) : null}
      {batch.status === "accepted" ? (
        <p className="mt-4">This batch is counted. Its papers are in the round’s ballots.</p>
      ) : null}
    </div>
  );
}
