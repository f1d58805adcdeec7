import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { ErrorSummary, SubmitButton, TextAreaField, TextField } from "~/components/forms";
import { formatRoundDate, toIsoTimestamp } from "~/core/rounds";
import { createEvent, listEvents } from "~/models/events/events.server";
import { findRound } from "~/models/rounds/queries.server";
import { requireRole } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { idParam, notFound } from "~/utils/http.server";
import { Refusal } from "~/utils/refusal";
import { refusalFailure } from "~/utils/refusal.server";

export const meta: MetaFunction = () => [{ title: "Decision-day events – Wardfund" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const round = findRound(idParam(params.roundId));
  if (!round) throw notFound("There is no such round.");
  return json({
    round: { id: round.id, name: round.name, phase: round.phase },
    events: listEvents(round.id).map((e) => ({
      id: e.id,
      name: e.name,
      place: e.place,
      startsAt: e.startsAt,
      endsAt: e.endsAt,
    })),
  });
}

const localTime = (label: string) =>
  z.string({ required_error: `Enter when the event ${label}` }).transform((value, ctx) => {
    const iso = value.trim() === "" ? null : toIsoTimestamp(value);
    if (!iso) ctx.addIssue({ code: "custom", message: `Enter when the event ${label} as a date and time` });
    return iso ?? "";
  });

const eventSchema = z
  .object({
    name: z.string().trim().min(3, "Give the event a name").max(120, "Keep the name to 120 characters"),
    place: z.string().trim().min(3, "Say where the event is").max(200, "Keep the place to 200 characters"),
    startsAt: localTime("starts"),
    endsAt: localTime("ends"),
    officers: z.string().trim().max(2000, "Keep the list of officers to 2000 characters").default(""),
  })
  .superRefine((v, ctx) => {
    if (v.startsAt && v.endsAt && v.endsAt <= v.startsAt)
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: "The event must end after it starts" });
  });

const LABELS = { name: "Name", place: "Place", startsAt: "Starts", endsAt: "Ends", officers: "Officers present" };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const round = findRound(idParam(params.roundId));
  if (!round) throw notFound("There is no such round.");
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
  return (
    <div className="max-w-3xl">
      <h1>Decision-day events for {round.name}</h1>
      <p>
        At an event residents vote on enrolled tablets or laptops (kiosks) after an officer checks them, and a board on
        the projector shows turnout as it rises, then reveals the result once it is counted and ratified.
      </p>
      {events.length > 0 ? (
        <ul>
          {events.map((e) => (
            <li key={e.id}>
              <Link to={`/admin/rounds/${round.id}/events/${e.id}`}>{e.name}</Link>, {e.place},{" "}
              {formatRoundDate(e.startsAt, true)} to {formatRoundDate(e.endsAt, true)}
            </li>
          ))}
        </ul>
      ) : (
        <p>No events yet.</p>
      )}
      <h2>Add an event</h2>
      <ErrorSummary state={state} labels={LABELS} />
      <Form method="post" noValidate>
        <TextField name="name" label="Name" hint="For example “Eastbrook Decides: the vote”" state={state} />
        <TextField name="place" label="Place" hint="The hall and its address" state={state} />
        <TextField name="startsAt" label="Starts" type="datetime-local" state={state} />
        <TextField name="endsAt" label="Ends" type="datetime-local" state={state} />
        <TextAreaField name="officers" label="Officers present" hint="One name a line" rows={3} state={state} />
        <SubmitButton>Add the event</SubmitButton>
      </Form>
      <p className="mt-6">
        <Link to={`/admin/rounds/${round.id}`}>Back to the round</Link>
      </p>
    </div>
  );
}
