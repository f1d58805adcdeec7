import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import type { TFunction } from "i18next";
import { Trans, useTranslation } from "react-i18next";
import { z } from "zod";
import { LocalisedText } from "~/components/localised-text";
import { pickLocalised } from "~/core/localised";
import { ErrorSummary, SubmitButton, TextField, useErrorText } from "~/components/forms";
import { guardText } from "~/core/exports";
import { channelCount } from "~/core/results/turnout";
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
import { requestTranslator } from "~/utils/i18n.server";
import { titleMeta, useFormat } from "~/utils/translate";

export const meta = titleMeta("admin:codes.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const round = findRound(idParam(params.roundId));
  if (!round) throw notFound("admin:refusal.noRound");
  return json({
    round: {
      id: round.id,
      name: round.name,
      nameCy: round.nameCy,
      phase: round.phase,
      votingClosesAt: round.votingClosesAt,
    },
    batches: listCodeBatches(round.id),
    turnout: roundTurnout(round.id),
    maxPerBatch: MAX_CODES_PER_BATCH,
  });
}

const generateSchema = z.object({
  label: z
    .string({ required_error: "admin:codes.nameRequired" })
    .trim()
    .min(1, "admin:codes.nameRequired")
    .max(120, "admin:codes.nameTooLong"),
  count: z.coerce
    .number({ invalid_type_error: "admin:codes.wholeNumber" })
    .int("admin:codes.wholeNumber")
    .min(1, "admin:codes.atLeastOne")
    .max(MAX_CODES_PER_BATCH, "admin:codes.tooMany"),
  format: z.enum(["html", "csv"]).default("html"),
});
const revokeCodeSchema = z.object({
  code: z.string().trim().min(1, "admin:codes.enterCode"),
  reason: z.string().trim().min(1, "admin:codes.codeReasonRequired").max(500),
});
const revokeBatchSchema = z.object({
  batchId: z.coerce.number().int().positive(),
  reason: z.string().trim().min(1, "admin:codes.batchReasonRequired").max(500),
});

/** The printer's file: its headings in the officer's language, one row per code. */
function csvOf(t: TFunction, roundName: string, url: string, codes: string[]): string {
  const quote = (v: string) => `"${guardText(v).replace(/"/g, '""')}"`;
  const heading = [t("admin:codes.csv.round"), t("admin:codes.csv.code"), t("admin:codes.csv.whereToVote")].join(",");
  return (
    [heading, ...codes.map((c) => [quote(roundName), groupInFours(c), quote(url)].join(","))].join("\r\n") + "\r\n"
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const round = findRound(idParam(params.roundId));
  if (!round) throw notFound("admin:refusal.noRound");
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
      message: "admin:codes.batchCancelled",
      cancelled: n,
      errors: {},
      values: {},
    });
  }
  const form = parseForm(generateSchema, formData);
  if (!form.ok) return json({ ...form, intent: "generate", codes: null, message: null }, { status: 400 });
  const { batchId, codes } = generateCodeBatch(actor, round.id, form.data.label, form.data.count);
  const voteUrl = `${new URL(request.url).origin}/rounds/${round.id}/code`;
  if (form.data.format === "csv") {
    const { language, t } = await requestTranslator(request);
    const roundName = pickLocalised({ en: round.name, cy: round.nameCy }, language).text;
    return new Response(csvOf(t, roundName, voteUrl, codes), {
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
  cancelled?: number;
  errors?: Record<string, string>;
  values?: Record<string, string>;
  formError?: string;
};

export default function VotingCodes() {
  const { round, batches, turnout, maxPerBatch } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const { t } = useTranslation("admin");
  const format = useFormat();
  const errorText = useErrorText();
  const roundName = <LocalisedText value={{ en: round.name, cy: round.nameCy }} />;
  if (result?.codes) {
    const closes = format.dateTime(round.votingClosesAt);
    return (
      <div>
        <div className="no-print">
          <h1>{t("codes.sheetHeading", { label: result.label })}</h1>
          <p className="font-semibold" role="status">
            <Trans
              t={t}
              i18nKey="codes.made"
              values={{ count: result.codes.length }}
              components={{ round: roundName }}
            />
          </p>
          <p>{t("codes.sheetIntro", { url: result.voteUrl })}</p>
          <p>
            <a href={`/admin/rounds/${round.id}/codes`}>{t("codes.back")}</a>
          </p>
        </div>
        <ol className="code-slips" aria-label={t("codes.codes")}>
          {result.codes.map((c) => (
            <li key={c} className="code-slip">
              <p className="code-slip-round">{roundName}</p>
              <p className="code-slip-how">
                <Trans
                  t={t}
                  i18nKey="codes.slipHow"
                  values={{ closes }}
                  components={{ url: <SlipUrl url={result.voteUrl ?? ""} /> }}
                />
              </p>
              <p className="code-slip-code">
                <span className="sr-only">{t("codes.code")} </span>
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
      <h1>
        <Trans t={t} i18nKey="codes.heading" components={{ round: roundName }} />
      </h1>
      <p>
        {t("codes.turnout", {
          total: format.number(turnout.total),
          online: format.number(channelCount(turnout, "online")),
          code: format.number(channelCount(turnout, "code")),
          paper: format.number(channelCount(turnout, "paper")),
        })}
      </p>
      {result?.message ? (
        <p role="status" className="border-l-4 border-green-800 pl-3 font-semibold">
          {result.message === "admin:codes.batchCancelled"
            ? t("codes.batchCancelled", { count: result.cancelled ?? 0 })
            : errorText(result.message)}
        </p>
      ) : null}
      <h2>{t("codes.makeBatch")}</h2>
      <p>{t("codes.makeIntro")}</p>
      <ErrorSummary state={generateState} labels={{ label: t("codes.batchName"), count: t("codes.count") }} />
      <Form method="post" noValidate reloadDocument>
        <input type="hidden" name="intent" value="generate" />
        <TextField name="label" label={t("codes.batchName")} hint={t("codes.batchNameHint")} state={generateState} />
        <TextField
          name="count"
          label={t("codes.count")}
          hint={t("codes.countHint", { max: maxPerBatch })}
          inputMode="numeric"
          state={generateState}
        />
        <div className="flex flex-wrap gap-4">
          <SubmitButton name="format" value="html">
            {t("codes.makeSheet")}
          </SubmitButton>
          <SubmitButton name="format" value="csv" secondary>
            {t("codes.makeCsv")}
          </SubmitButton>
        </div>
      </Form>
      <h2 className="mt-8">{t("codes.batches")}</h2>
      {batches.length === 0 ? (
        <p>{t("codes.noBatches")}</p>
      ) : (
        <table className="w-full text-left">
          <caption className="sr-only">{t("codes.batchesCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("codes.batch")}</th>
              <th scope="col">{t("codes.codes")}</th>
              <th scope="col">{t("codes.used")}</th>
              <th scope="col">{t("codes.cancelled")}</th>
              <th scope="col">{t("codes.madeBy")}</th>
              <th scope="col">{t("codes.cancelBatch")}</th>
            </tr>
          </thead>
          <tbody>
            {batches.map((b) => (
              <tr key={b.id}>
                <td>{b.label}</td>
                <td>{b.size}</td>
                <td>{b.used}</td>
                <td>{b.revoked}</td>
                <td translate="no">{b.createdBy}</td>
                <td>
                  <Form method="post" className="flex flex-wrap items-end gap-2">
                    <input type="hidden" name="intent" value="revoke-batch" />
                    <input type="hidden" name="batchId" value={b.id} />
                    <label htmlFor={`batch-reason-${b.id}`} className="sr-only">
                      {t("codes.whyCancel", { label: b.label })}
                    </label>
                    <input
                      id={`batch-reason-${b.id}`}
                      name="reason"
                      required
                      placeholder={t("codes.reasonPlaceholder")}
                      className="input max-w-40"
                    />
                    <button
                      type="submit"
                      className="button button-warning min-h-11"
                      aria-label={t("codes.cancelUnusedIn", { label: b.label })}
                    >
                      {t("codes.cancelUnused")}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {batchState?.errors && Object.keys(batchState.errors).length ? (
        <p className="error-message">{t("codes.batchReasonRequired")}</p>
      ) : null}
      <h2 className="mt-8">{t("codes.cancelOne")}</h2>
      <ErrorSummary state={revokeState} labels={{ code: t("codes.codeToCancel"), reason: t("codes.reason") }} />
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="revoke-code" />
        <TextField
          name="code"
          label={t("codes.codeToCancel")}
          autoComplete="off"
          spellCheck={false}
          state={revokeState}
        />
        <TextField name="reason" label={t("codes.reason")} hint={t("codes.reasonHint")} state={revokeState} />
        <SubmitButton>{t("codes.cancelCode")}</SubmitButton>
      </Form>
    </div>
  );
}

function SlipUrl({ url }: { url: string }) {
  return <span className="code-slip-url">{url}</span>;
}
