import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { z } from "zod";
import { LocalisedText } from "~/components/localised-text";
import { ErrorSummary, SubmitButton, TextAreaField, TextField } from "~/components/forms";
import { toIsoTimestamp } from "~/core/rounds";
import { createEvent, listEvents } from "~/models/events/events.server";
import { findRound } from "~/models/rounds/queries.server";
import { requireRole } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { idParam, notFound } from "~/utils/http.server";
import { Refusal } from "~/utils/refusal";
import { refusalFailure } from "~/utils/refusal.server";
import { titleMeta, useFormat } from "~/utils/translate";

export const meta = titleMeta("admin:roundEvents.title");

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const round = findRound(idParam(params.roundId));
  if (!round) throw notFound("admin:refusal.noRound");
  return json({
    round: { id: round.id, name: round.name, nameCy: round.nameCy, phase: round.phase },
    events: listEvents(round.id).map((e) => ({
      id: e.id,
      name: e.name,
      place: e.place,
      startsAt: e.startsAt,
      endsAt: e.endsAt,
    })),
  });
}

const localTime = (which: "starts" | "ends") =>
  z.string({ required_error: `admin:roundEvents.${which}Required` }).transform((value, ctx) => {
    const iso = value.trim() === "" ? null : toIsoTimestamp(value);
    if (!iso) ctx.addIssue({ code: "custom", message: `admin:roundEvents.${which}Format` });
    return iso ?? "";
  });

const eventSchema = z
  .object({
    name: z.string().trim().min(3, "admin:roundEvents.nameRequired").max(120, "admin:roundEvents.nameTooLong"),
    place: z.string().trim().min(3, "admin:roundEvents.placeRequired").max(200, "admin:roundEvents.placeTooLong"),
    startsAt: localTime("starts"),
    endsAt: localTime("ends"),
    officers: z.string().trim().max(2000, "admin:roundEvents.officersTooLong").default(""),
  })
  .superRefine((v, ctx) => {
    if (v.startsAt && v.endsAt && v.endsAt <= v.startsAt)
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "admin:roundEvents.endAfterStart" });
  });

const LABELS = ["name", "place", "startsAt", "endsAt", "officers"];

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const round = findRound(idParam(params.roundId));
  if (!round) throw notFound("admin:refusal.noRound");
  const form = parseForm(eventSchema, await request.formData());
  if (!form.ok) return json(form, { status: 400 });
  try {
    const event = createEvent({ id: user.id, name: user.name }, round.id, form.data);
    return redirect(`/admin/rounds/${round.id}/events/${event.id}`);
  } catch (error) {
    if (error instanceof Refusal) return json(refusalFailure(error, form.values), { status: error.status });
    throw error;
  }
}

export default function RoundEvents() {
  const { round, events } = useLoaderData<typeof loader>();
  const state = useActionData<typeof action>();
  const { t } = useTranslation("admin");
  const format = useFormat();
  const labels = Object.fromEntries(LABELS.map((field) => [field, t(`roundEvents.${field}`)]));
  return (
    <div className="max-w-3xl">
      <h1>
        <Trans
          t={t}
          i18nKey="roundEvents.heading"
          components={{ round: <LocalisedText value={{ en: round.name, cy: round.nameCy }} /> }}
        />
      </h1>
      <p>{t("roundEvents.intro")}</p>
      {events.length > 0 ? (
        <ul>
          {events.map((e) => (
            <li key={e.id}>
              <Link to={`/admin/rounds/${round.id}/events/${e.id}`}>{e.name}</Link>,{" "}
              {t("roundEvents.item", {
                place: e.place,
                from: format.dateTime(e.startsAt),
                to: format.dateTime(e.endsAt),
              })}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t("roundEvents.none")}</p>
      )}
      <h2>{t("roundEvents.add")}</h2>
      <ErrorSummary state={state} labels={labels} />
      <Form method="post" noValidate>
        <TextField name="name" label={t("roundEvents.name")} hint={t("roundEvents.nameHint")} state={state} />
        <TextField name="place" label={t("roundEvents.place")} hint={t("roundEvents.placeHint")} state={state} />
        <TextField name="startsAt" label={t("roundEvents.startsAt")} type="datetime-local" state={state} />
        <TextField name="endsAt" label={t("roundEvents.endsAt")} type="datetime-local" state={state} />
        <TextAreaField
          name="officers"
          label={t("roundEvents.officers")}
          hint={t("roundEvents.officersHint")}
          rows={3}
          state={state}
        />
        <SubmitButton>{t("roundEvents.submit")}</SubmitButton>
      </Form>
      <p className="mt-6">
        <Link to={`/admin/rounds/${round.id}`}>{t("roundEvents.back")}</Link>
      </p>
    </div>
  );
}
