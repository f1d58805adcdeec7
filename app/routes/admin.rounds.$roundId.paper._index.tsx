import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ErrorSummary, SubmitButton, TextAreaField, TextField } from "~/components/forms";
import { formatPence } from "~/core/money";
import { channelCount } from "~/core/results/turnout";
import { findRound, projectsOnBallot } from "~/models/rounds/queries.server";
import { roundTurnout } from "~/models/rounds/turnout.server";
import { enterPaperBatch, listPaperBatches } from "~/models/voting/paper.server";
import { requireRole } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { idParam, notFound } from "~/utils/http.server";
import { answeringRefusals } from "~/utils/refusal.server";

export const meta: MetaFunction = () => [{ title: "Paper ballots – Wardfund" }];

const PAPER_STATUS_LABELS: Record<string, string> = {
  entered: "Waiting for a second officer to re-key",
  checked: "Checked",
  mismatch: "Differences to resolve",
  accepted: "Counted",
};

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const round = findRound(idParam(params.roundId));
  if (!round) throw notFound("There is no such round.");
  return json({
    round: { id: round.id, name: round.name, phase: round.phase, maxRanked: round.maxRanked },
    projects: projectsOnBallot(round.id).map((p) => ({
      position: p.ballotPosition,
      title: p.title,
      cost: formatPence(p.amountPence ?? 0),
    })),
    batches: listPaperBatches(round.id).map((b) => ({
      id: b.id,
      label: b.label,
      status: b.status,
      ballots: b.ballots,
      enteredByName: b.enteredByName,
      checkedByName: b.checkedByName,
    })),
    turnout: roundTurnout(round.id),
  });
}

const batchSchema = z.object({
  label: z
    .string({ required_error: "Give the batch a name" })
    .trim()
    .min(1, "Give the batch a name, for example “Town hall, box 1”")
    .max(120, "Keep the name under 120 characters"),
  ballots: z.string({ required_error: "Key in the ballots" }).min(1, "Key in the ballots, one line per paper"),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const round = findRound(idParam(params.roundId));
  if (!round) throw notFound("There is no such round.");
  const form = parseForm(batchSchema, await request.formData());
  if (!form.ok) return json(form, { status: 400 });
  return answeringRefusals(
    form.values,
    () =>
      redirect(
        `/admin/rounds/${round.id}/paper/${enterPaperBatch({ id: user.id, name: user.name }, round.id, form.data.label, form.data.ballots)}`,
      ),
    { field: "ballots" },
  );
}

export default function PaperBallots() {
  const { round, projects, batches, turnout } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  return (
    <div className="max-w-3xl">
      <h1>Paper ballots for {round.name}</h1>
      <p>
        Turnout so far: {turnout.total} ({channelCount(turnout, "paper")} on paper). A batch counts only when a second
        officer has keyed it in again without seeing the first keying, and any differences are resolved against the
        papers.
      </p>
      <h2>Ballot positions</h2>
      <ol className="list-decimal pl-8">
        {projects.map((p) => (
          <li key={p.position} value={p.position}>
            {p.title} ({p.cost})
          </li>
        ))}
      </ol>
      <h2 className="mt-6">Key in a batch</h2>
      {round.phase === "voting" || round.phase === "counting" ? (
        <>
          <ErrorSummary state={state} labels={{ label: "Batch name", ballots: "Ballots" }} />
          <Form method="post" noValidate>
            <TextField name="label" label="Batch name" hint="For example “Town hall, box 1”" state={state} />
            <TextAreaField
              name="ballots"
              label="Ballots"
              hint={`One line per ballot paper: the ballot positions in the voter’s order, most wanted first, separated by spaces (for example “3 1 5”). Up to ${round.maxRanked} per paper. Leave spoilt papers out.`}
              rows={12}
              className="input font-mono"
              spellCheck={false}
              state={state}
            />
            <SubmitButton>Save the first keying</SubmitButton>
          </Form>
        </>
      ) : (
        <p>Paper ballots can be keyed in only while the round is voting or being counted.</p>
      )}
      <h2 className="mt-8">Batches</h2>
      {batches.length === 0 ? (
        <p>No paper batches yet.</p>
      ) : (
        <table className="w-full text-left">
          <caption className="sr-only">Paper ballot batches</caption>
          <thead>
            <tr>
              <th scope="col">Batch</th>
              <th scope="col">Papers</th>
              <th scope="col">Keyed by</th>
              <th scope="col">Checked by</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {batches.map((b) => (
              <tr key={b.id}>
                <td>
                  <Link to={`/admin/rounds/${round.id}/paper/${b.id}`}>{b.label}</Link>
                </td>
                <td>{b.ballots}</td>
                <td>{b.enteredByName}</td>
                <td>{b.checkedByName ?? "—"}</td>
                <td>{PAPER_STATUS_LABELS[b.status]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
