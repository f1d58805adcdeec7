import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { z } from "zod";
import { LocalisedText } from "~/components/localised-text";
import { ErrorSummary, SubmitButton, TextAreaField, TextField } from "~/components/forms";
import { channelCount } from "~/core/results/turnout";
import { findRound, projectsOnBallot } from "~/models/rounds/queries.server";
import { roundTurnout } from "~/models/rounds/turnout.server";
import { enterPaperBatch, listPaperBatches } from "~/models/voting/paper.server";
import { requireRole } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { idParam, notFound } from "~/utils/http.server";
import { answeringRefusals } from "~/utils/refusal.server";
import { titleMeta, useFormat } from "~/utils/translate";

export const meta = titleMeta("admin:paper.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const round = findRound(idParam(params.roundId));
  if (!round) throw notFound("admin:refusal.noRound");
  return json({
    round: { id: round.id, name: round.name, nameCy: round.nameCy, phase: round.phase, maxRanked: round.maxRanked },
    projects: projectsOnBallot(round.id).map((p) => ({
      position: p.ballotPosition,
      title: p.title,
      titleCy: p.titleCy,
      costPence: p.amountPence ?? 0,
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
    .string({ required_error: "admin:paper.nameRequired" })
    .trim()
    .min(1, "admin:paper.nameRequired")
    .max(120, "admin:paper.nameTooLong"),
  ballots: z.string({ required_error: "admin:paper.ballotsRequired" }).min(1, "admin:paper.ballotsRequired"),
});

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const round = findRound(idParam(params.roundId));
  if (!round) throw notFound("admin:refusal.noRound");
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
  const { t } = useTranslation("admin");
  const format = useFormat();
  return (
    <div className="max-w-3xl">
      <h1>
        <Trans
          t={t}
          i18nKey="paper.heading"
          components={{ round: <LocalisedText value={{ en: round.name, cy: round.nameCy }} /> }}
        />
      </h1>
      <p>
        {t("paper.turnout", {
          total: format.number(turnout.total),
          paper: format.number(channelCount(turnout, "paper")),
        })}
      </p>
      <h2>{t("paper.positions")}</h2>
      <ol className="list-decimal pl-8">
        {projects.map((p) => (
          <li key={p.position} value={p.position}>
            <LocalisedText value={{ en: p.title, cy: p.titleCy }} /> ({format.money(p.costPence)})
          </li>
        ))}
      </ol>
      <h2 className="mt-6">{t("paper.keyIn")}</h2>
      {round.phase === "voting" || round.phase === "counting" ? (
        <>
          <ErrorSummary state={state} labels={{ label: t("paper.batchName"), ballots: t("paper.ballots") }} />
          <Form method="post" noValidate>
            <TextField name="label" label={t("paper.batchName")} hint={t("paper.batchNameHint")} state={state} />
            <TextAreaField
              name="ballots"
              label={t("paper.ballots")}
              hint={t("paper.ballotsHint", { max: round.maxRanked })}
              rows={12}
              className="input font-mono"
              spellCheck={false}
              state={state}
            />
            <SubmitButton>{t("paper.saveFirst")}</SubmitButton>
          </Form>
        </>
      ) : (
        <p>{t("paper.onlyWhileVoting")}</p>
      )}
      <h2 className="mt-8">{t("paper.batches")}</h2>
      {batches.length === 0 ? (
        <p>{t("paper.noBatches")}</p>
      ) : (
        <table className="w-full text-left">
          <caption className="sr-only">{t("paper.batchesCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("paper.batch")}</th>
              <th scope="col">{t("paper.papers")}</th>
              <th scope="col">{t("paper.keyedBy")}</th>
              <th scope="col">{t("paper.checkedBy")}</th>
              <th scope="col">{t("paper.statusHeading")}</th>
            </tr>
          </thead>
          <tbody>
            {batches.map((b) => (
              <tr key={b.id}>
                <td>
                  <Link to={`/admin/rounds/${round.id}/paper/${b.id}`}>{b.label}</Link>
                </td>
                <td>{format.number(b.ballots)}</td>
                <td translate="no">{b.enteredByName}</td>
                <td translate="no">{b.checkedByName ?? "—"}</td>
                <td>{t(`paper.status.${b.status}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
