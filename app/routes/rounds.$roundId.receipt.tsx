import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { findRound } from "~/models/rounds/queries.server";
import { receiptStatus } from "~/models/voting/receipts.server";
import { idParam, notFound } from "~/utils/http.server";
import { assertSameOrigin } from "~/utils/origin.server";

export const meta: MetaFunction = () => [{ title: "Check a receipt code – Wardfund" }];

export async function loader({ params }: LoaderFunctionArgs) {
  const round = findRound(idParam(params.roundId));
  if (!round) throw notFound("There is no such round.");
  return json({ round: { id: round.id, name: round.name } });
}

const receiptForm = z.object({ receipt: z.string().max(100, "A receipt code is 20 letters and numbers") });
const RECEIPT_FORMAT = "Enter the receipt code as shown when you voted: 20 letters and numbers.";

/**
 * A POST, so receipt codes stay out of browser history, links and proxy logs. Reads only: writes
 * nothing, and answers only whether the receipt was issued (never a date, never a ranking).
 */
export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const roundId = idParam(params.roundId);
  if (!findRound(roundId)) throw notFound("There is no such round.");
  const parsed = receiptForm.safeParse(Object.fromEntries(await request.formData()));
  const input = parsed.success ? parsed.data.receipt : "";
  const status = parsed.success ? receiptStatus(roundId, input) : null;
  if (!status) {
    const error = parsed.success ? RECEIPT_FORMAT : parsed.error.issues[0]!.message;
    return json({ input, result: null, error }, { status: 400 });
  }
  return json({ input, result: status, error: null });
}

export default function ReceiptCheck() {
  const { round } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const state = answer?.error
    ? { errors: { receipt: answer.error }, values: { receipt: answer.input } }
    : { values: { receipt: answer?.input ?? "" } };
  const result = answer?.result ?? null;
  return (
    <div className="max-w-2xl">
      <h1>Check a receipt code</h1>
      <p>
        When you voted online in {round.name} you were given a receipt code. Enter it to check that your ballot is in
        the ballot box. A receipt proves only that your ballot was included: it does not show, and cannot prove to
        anyone, how you voted.
      </p>
      <ErrorSummary state={state} labels={{ receipt: "Receipt code" }} />
      <Form method="post" noValidate>
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
              No ballot in this round has this receipt code. Check the code, and contact the council if you think it is
              wrong.
            </p>
          ) : result.published ? (
            <p className="font-semibold">
              Your ballot was included in the count. Your receipt is in the{" "}
              <Link to={`/rounds/${round.id}/results/receipts.csv`} reloadDocument>
                published receipt list
              </Link>
              .
            </p>
          ) : (
            <p className="font-semibold">
              Your ballot is in the ballot box. Your receipt will be in the published receipt list when the results are
              out.
            </p>
          )}
        </div>
      ) : null}
    </div>
  );
}
