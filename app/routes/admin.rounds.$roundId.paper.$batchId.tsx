import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ErrorSummary, SubmitButton, TextAreaField, TextField } from "~/components/forms";
import { positionsLine } from "~/core/voting";
import { paperBatch, paperBatchPositions, rekeyPaperBatch, resolvePaperBatch } from "~/models/voting/paper.server";
import { requireRole } from "~/utils/auth.server";
import { failure, formValues } from "~/utils/form";
import { idParam, notFound } from "~/utils/http.server";
import { Refusal } from "~/utils/refusal";
import { refusalFailure } from "~/utils/refusal.server";
import { titleMeta, useFormat } from "~/utils/translate";

export const meta = titleMeta("admin:paperBatch.title");

function load(params: { roundId?: string; batchId?: string }) {
  const roundId = idParam(params.roundId);
  const batch = paperBatch(idParam(params.batchId));
  if (!batch || batch.roundId !== roundId) throw notFound("rounds:paper.noBatch");
  return batch;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "admin");
  const batch = load(params);
  const { bidIdToPosition } = paperBatchPositions(batch.roundId);
  const line = (ranking: number[] | null) => (ranking ? positionsLine(ranking, bidIdToPosition) : null);
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
        message: "resolved",
        errors: {} as Record<string, string>,
        values: {} as Record<string, string>,
      });
    }
    const text = String(formData.get("ballots") ?? "");
    if (!text.trim()) return json(failure({ ballots: "admin:paper.ballotsRequired" }, values), { status: 400 });
    const outcome = rekeyPaperBatch(actor, batch.id, text);
    return json({
      ok: true as const,
      message: outcome.accepted ? "agree" : "differ",
      differences: outcome.mismatches,
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
        differences?: number;
        errors?: Record<string, string>;
        values?: Record<string, string>;
        formError?: string;
      }
    | undefined;
  const state = result && !result.ok ? result : undefined;
  const { t } = useTranslation("admin");
  const format = useFormat();
  return (
    <div className="max-w-3xl">
      <p>
        <Link to={`/admin/rounds/${batch.roundId}/paper`}>{t("paperBatch.back")}</Link>
      </p>
      <h1>{t("paperBatch.heading", { label: batch.label })}</h1>
      <dl className="grid grid-cols-[10rem_1fr] gap-1">
        <dt className="font-semibold">{t("paper.statusHeading")}</dt>
        <dd data-testid="batch-status">{t(`paper.status.${batch.status}`)}</dd>
        <dt className="font-semibold">{t("paper.papers")}</dt>
        <dd>{t("paperBatch.firstKeying", { papers: format.number(batch.ballots) })}</dd>
        <dt className="font-semibold">{t("paper.keyedBy")}</dt>
        <dd translate="no">{batch.enteredByName}</dd>
        <dt className="font-semibold">{t("paper.checkedBy")}</dt>
        <dd>{batch.checkedByName ? <span translate="no">{batch.checkedByName}</span> : t("paperBatch.notYet")}</dd>
      </dl>
      {result?.ok ? (
        <p role="status" className="mt-4 border-l-4 border-green-800 pl-3 font-semibold">
          {result.message === "differ"
            ? t("paperBatch.differ", { count: result.differences ?? 0 })
            : t(`paperBatch.${result.message}`)}
        </p>
      ) : null}
      {batch.status === "entered" && role === "first" ? <p className="mt-4">{t("paperBatch.youKeyed")}</p> : null}
      {batch.status === "entered" && role !== "first" ? (
        <>
          <h2 className="mt-6">{t("paperBatch.again")}</h2>
          <p>{t("paperBatch.againIntro")}</p>
          <ErrorSummary state={state} labels={{ ballots: t("paper.ballots") }} />
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="rekey" />
            <TextAreaField
              name="ballots"
              label={t("paper.ballots")}
              hint={t("paperBatch.ballotsHint")}
              rows={12}
              spellCheck={false}
              state={state}
            />
            <SubmitButton>{t("paperBatch.saveSecond")}</SubmitButton>
          </Form>
        </>
      ) : null}
      {batch.status === "mismatch" ? (
        <>
          <h2 className="mt-6">{t("paperBatch.differences")}</h2>
          <table className="w-full text-left">
            <caption className="sr-only">{t("paperBatch.differencesCaption")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("paperBatch.paper")}</th>
                <th scope="col">{t("paperBatch.first")}</th>
                <th scope="col">{t("paperBatch.second")}</th>
              </tr>
            </thead>
            <tbody>
              {mismatches.map((m) => (
                <tr key={m.index}>
                  <td>{m.index + 1}</td>
                  <td className="font-mono">{m.first ?? t("paperBatch.noBallot")}</td>
                  <td className="font-mono">{m.second ?? t("paperBatch.noBallot")}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {role === "second" ? (
            <>
              <h2 className="mt-6">{t("paperBatch.resolve")}</h2>
              <p>{t("paperBatch.resolveIntro")}</p>
              <ErrorSummary
                state={state}
                labels={Object.fromEntries(
                  mismatches.map((m) => [`resolve-${m.index}`, t("paperBatch.paperNumber", { number: m.index + 1 })]),
                )}
              />
              <Form method="post" noValidate>
                <input type="hidden" name="intent" value="resolve" />
                {mismatches.map((m) => (
                  <TextField
                    key={m.index}
                    name={`resolve-${m.index}`}
                    label={t("paperBatch.paperShows", { number: m.index + 1 })}
                    autoComplete="off"
                    spellCheck={false}
                    state={state}
                  />
                ))}
                <TextField name="note" label={t("paperBatch.note")} state={state} />
                <SubmitButton>{t("paperBatch.resolveButton")}</SubmitButton>
              </Form>
            </>
          ) : (
            <p className="mt-4">{t("paperBatch.onlyChecker", { name: batch.checkedByName })}</p>
          )}
        </>
      ) : null}
      {batch.status === "accepted" ? <p className="mt-4">{t("paperBatch.counted")}</p> : null}
    </div>
  );
}
