import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { z } from "zod";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { findRound } from "~/models/rounds/queries.server";
import { receiptStatus } from "~/models/voting/receipts.server";
import { idParam, notFound } from "~/utils/http.server";
import { assertSameOrigin } from "~/utils/origin.server";
import { titleMeta } from "~/utils/translate";

export const meta = titleMeta("voting:receipt.title");

export async function loader({ params }: LoaderFunctionArgs) {
  const round = findRound(idParam(params.roundId));
  if (!round) throw notFound("voting:msg.noRound");
  return json({ round: { id: round.id, name: round.name } });
}

const receiptForm = z.object({ receipt: z.string().max(100, "voting:receipt.tooLong") });
const RECEIPT_FORMAT = "voting:receipt.format";

/**
 * A POST, so receipt codes stay out of browser history, links and proxy logs. Reads only: writes
 * nothing, and answers only whether the receipt was issued (never a date, never a ranking).
 */
export async function action({ request, params }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const roundId = idParam(params.roundId);
  if (!findRound(roundId)) throw notFound("voting:msg.noRound");
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
  const { t } = useTranslation("voting");
  const state = answer?.error
    ? { errors: { receipt: answer.error }, values: { receipt: answer.input } }
    : { values: { receipt: answer?.input ?? "" } };
  const result = answer?.result ?? null;
  return (
    <div className="max-w-2xl">
      <h1>{t("receipt.title")}</h1>
      <p>{t("receipt.intro", { round: round.name })}</p>
      <ErrorSummary state={state} labels={{ receipt: t("receipt.label") }} />
      <Form method="post" noValidate>
        <TextField
          name="receipt"
          label={t("receipt.label")}
          hint={t("receipt.hint")}
          autoComplete="off"
          spellCheck={false}
          state={state}
        />
        <SubmitButton>{t("receipt.submit")}</SubmitButton>
      </Form>
      {result ? (
        <div role="status" className="mt-6 border-4 p-4">
          {!result.found ? (
            <p className="font-semibold">{t("receipt.notFound")}</p>
          ) : result.published ? (
            <p className="font-semibold">
              <Trans
                t={t}
                i18nKey="receipt.counted"
                components={{ anchor: <Link to={`/rounds/${round.id}/results/receipts.csv`} reloadDocument /> }}
              />
            </p>
          ) : (
            <p className="font-semibold">{t("receipt.inBox")}</p>
          )}
        </div>
      ) : null}
    </div>
  );
}
