import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { findRound } from "~/models/rounds/queries.server";
import { receiptStatus } from "~/models/voting/receipts.server";
import { idParam, notFound } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Check a receipt code – Wardfund" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const roundId = idParam(params.roundId);
  const round = findRound(roundId);
  if (!round) throw notFound("There is no such round.");
  const input = new URL(request.url).searchParams.get("receipt");
  if (input === null)
    return json({ round: { id: round.id, name: round.name }, input: null, result: null, error: null });
  const status = receiptStatus(roundId, input);
  if (!status)
    return json({
      round: { id: round.id, name: round.name },
      input,
      result: null,
      error: "Enter the receipt code as shown when you voted: 20 letters and numbers.",
    });
  return json({ round: { id: round.id, name: round.name }, input, result: status, error: null });
}

export default function ReceiptCheck() {
  const { round, input, result, error } = useLoaderData<typeof loader>();
  const state = error
    ? { errors: { receipt: error }, values: { receipt: input ?? "" } }
    : { values: { receipt: input ?? "" } };
  return (
    <div className="max-w-2xl">
      <h1>Check a receipt code</h1>
      <p>
        When you voted in {round.name} you were given a receipt code. Enter it to check that your ballot is there. The
        check shows only that the ballot exists, never how anyone voted.
      </p>
      <ErrorSummary state={state} labels={{ receipt: "Receipt code" }} />
      <Form method="get" noValidate>
        <TextField
          name="receipt"
          label="Receipt code"
          hint="For example ABCD-EFGH-JKMN-PQRS-TVWX"
          autoComplete="off"
          spellCheck={false}
          state={state}
        />
        <SubmitButton>Check</SubmitButton>
      </Form>
      {result ? (
        <div role="status" className="mt-6 border-4 p-4">
          {!result.found ? (
            <p className="font-semibold">
              There is no ballot with this receipt code in this round. Check the code, and contact the council if you
              think it is wrong.
            </p>
          ) : result.published ? (
            <p className="font-semibold">
              Your ballot is in the published ballot list for this round, and it was counted.
            </p>
          ) : (
            <p className="font-semibold">
              Your ballot is recorded. It will be in the published ballot list when the results are out.
            </p>
          )}
        </div>
      ) : null}
    </div>
  );
}
