import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ErrorSummary, SubmitButton } from "~/components/forms";
import { SHARE_COUNT, SHARE_THRESHOLD } from "~/core/voting";
import { findRound } from "~/models/rounds/queries.server";
import { createBallotKey } from "~/models/voting/ballot-key.server";
import { requireRole } from "~/utils/auth.server";
import { failure } from "~/utils/form";
import { idParam, notFound } from "~/utils/http.server";
import { Refusal } from "~/utils/refusal";
import { refusalAnswer } from "~/utils/refusal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Ballot key: ${data?.round.name ?? "round"} – Wardfund` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const round = findRound(idParam(params.roundId));
  if (!round) throw notFound("Round not found");
  return json({
    round: { id: round.id, name: round.name, phase: round.phase },
    keyMadeAt: round.ballotKeyCreatedAt,
  });
}

const schema = z.object({
  confirm: z.literal("yes", { errorMap: () => ({ message: "Confirm that you can print the shares now" }) }),
});

/** Makes the key and answers with its shares, once; the answer is never cached. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const roundId = idParam(params.roundId);
  if (!findRound(roundId)) throw notFound("Round not found");
  const parsed = schema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json(failure({ confirm: parsed.error.issues[0]!.message }, {}), { status: 400 });
  try {
    const shares = await createBallotKey({ id: user.id, name: user.name }, roundId);
    return json({ shares }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (error instanceof Refusal) return refusalAnswer(error, {});
    throw error;
  }
}

export default function BallotKey() {
  const { round, keyMadeAt } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const shares = answer && "shares" in answer ? answer.shares : null;
  const state = answer && "errors" in answer ? answer : undefined;
  return (
    <div className="max-w-3xl">
      <h1>Ballot key: {round.name}</h1>
      {shares ? (
        <section aria-labelledby="shares-heading">
          <h2 id="shares-heading">Print these shares now</h2>
          <p className="notice" role="status">
            The key is made. These {SHARE_COUNT} shares are shown this once and kept nowhere: print this page (or copy
            each share onto its own sheet) and give one share to each of {SHARE_COUNT} officers. Any {SHARE_THRESHOLD}{" "}
            of them open the ballots at the count; one share may be lost without losing a ballot. If two are lost, the
            online ballots cannot be opened.
          </p>
          <ol className="list-decimal pl-6">
            {shares.map((share, i) => (
              <li key={share} className="mb-4 break-inside-avoid">
                <p>Officer {i + 1}&apos;s share:</p>
                <p className="font-mono text-lg break-all">{share}</p>
              </li>
            ))}
          </ol>
        </section>
      ) : keyMadeAt ? (
        <p>
          The ballot key was made at {keyMadeAt}; its shares were shown then and are not kept. At the count two officers
          enter their shares on the <Link to={`/admin/rounds/${round.id}/count`}>count page</Link>.
        </p>
      ) : (
        <>
          <p>
            Online ballots are sealed to this round&apos;s ballot key as they are cast, so nobody holding the
            server&apos;s files can read them. The key&apos;s private half is split into {SHARE_COUNT} shares for three
            officers and is not stored; any {SHARE_THRESHOLD} shares open the ballots at the count. Voting cannot open
            until the key is made.
          </p>
          <ErrorSummary state={state} labels={{ confirm: "Confirmation" }} />
          <Form method="post" noValidate>
            <div className="field">
              {state?.errors?.confirm ? (
                <p id="field-confirm-error" className="error-message">
                  <span className="sr-only">Error: </span>
                  {state.errors.confirm}
                </p>
              ) : null}
              <div className="flex items-center gap-2">
                <input
                  type="checkbox"
                  id="field-confirm"
                  name="confirm"
                  value="yes"
                  className="h-5 w-5"
                  aria-describedby={state?.errors?.confirm ? "field-confirm-error" : undefined}
                />
                <label htmlFor="field-confirm">
                  I can print the {SHARE_COUNT} shares now; they are shown only once
                </label>
              </div>
            </div>
            <SubmitButton>Make the ballot key</SubmitButton>
          </Form>
        </>
      )}
    </div>
  );
}
