import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { ErrorSummary, SubmitButton, TextField } from "~/components/forms";
import { RegisterCheckFields } from "~/components/register-check-fields";
import { eventChecksFor, formatPin } from "~/core/events/codes";
import { issueRefusalKey } from "~/core/events/messages";
import {
  declaredCheckFields,
  refineRegisterCheck,
  registerCheckFields,
  registerCheckInput,
} from "~/core/events/register-check";
import { formatRoundDate } from "~/core/rounds";
import {
  cancelIssue,
  checkVoterCode,
  eventActivity,
  findEvent,
  issueBallotInGroup,
  listDevices,
  revokeDevice,
  startEnrolment,
} from "~/models/events/events.server";
import { listOfficerPins, revokeOfficerPin, setOfficerPin } from "~/models/events/pins.server";
import { qrSvg } from "~/models/events/qr.server";
import { findRound } from "~/models/rounds/queries.server";
import { requireRole } from "~/utils/auth.server";
import { parseForm } from "~/utils/form";
import { clientIp, idParam, notFound } from "~/utils/http.server";
import { Refusal } from "~/utils/refusal";
import { refusalFailure } from "~/utils/refusal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.event.name ?? "Event"} – Wardfund` }];

function load(params: { roundId?: string; eventId?: string }) {
  const round = findRound(idParam(params.roundId));
  if (!round) throw notFound("There is no such round.");
  const event = findEvent(round.id, idParam(params.eventId));
  if (!event) throw notFound("There is no such event.");
  return { round, event };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "admin");
  const { round, event } = load(params);
  const origin = new URL(request.url).origin;
  const activity = eventActivity(event.id);
  const openByDevice = new Map(activity.open.map((o) => [o.deviceId, o.id]));
  return json(
    {
      round: {
        id: round.id,
        name: round.name,
        phase: round.phase,
        minVoterAge: round.minVoterAge,
        checks: eventChecksFor(round.voterRule),
      },
      pins: listOfficerPins(event.id).map((p) => ({
        id: p.id,
        name: p.name,
        locked: p.locked,
        mine: p.userId === user.id,
      })),
      event: {
        id: event.id,
        name: event.name,
        place: event.place,
        startsAt: event.startsAt,
        endsAt: event.endsAt,
        officers: event.officers,
        boardUrl: `${origin}/board/${event.boardToken}`,
      },
      devices: listDevices(event.id).map((d) => ({
        id: d.id,
        label: d.label,
        state: d.state,
        code:
          d.state === "pending" && d.linkExpiresAt && d.linkExpiresAt > new Date().toISOString() ? d.confirmCode : null,
        openIssueId: openByDevice.get(d.id) ?? null,
      })),
      cast: activity.cast,
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export const headers = () => ({ "Cache-Control": "no-store" });

const enrolSchema = z.object({
  label: z.string().trim().min(1, "Name the device, for example “Tablet 1”").max(60, "Keep the name to 60 characters"),
});
const deviceSchema = z.object({ deviceId: z.coerce.number().int().positive("Choose a kiosk") });
const cancelSchema = z.object({ issueId: z.coerce.number().int().positive() });
const pinSchema = z.object({ pinId: z.coerce.number().int().positive() });
const issueSchema = z
  .discriminatedUnion(
    "check",
    [
      z.object({
        check: z.literal("declared"),
        deviceId: z.coerce.number({ invalid_type_error: "Choose a kiosk" }).int().positive("Choose a kiosk"),
        ...declaredCheckFields({
          postcodeMissing: "Enter the postcode the voter gives",
          postcodeInvalid: "Enter a postcode, like EB1 2AB",
          age: "Confirm the voter's age",
        }),
      }),
      z.object({
        check: z.literal("register"),
        deviceId: z.coerce.number({ invalid_type_error: "Choose a kiosk" }).int().positive("Choose a kiosk"),
        ...registerCheckFields,
      }),
      z.object({
        check: z.literal("code"),
        deviceId: z.coerce.number({ invalid_type_error: "Choose a kiosk" }).int().positive("Choose a kiosk"),
        voterCode: z.string().trim().min(1, "events:errors.code").max(40, "events:errors.codeBad"),
      }),
    ],
    { errorMap: () => ({ message: "Choose how the voter was checked" }) },
  )
  .superRefine((data, ctx) => {
    if (data.check === "register") refineRegisterCheck(data, ctx);
  });

const LABELS = {
  label: "Device name",
  deviceId: "Kiosk",
  check: "How the voter was checked",
  postcode: "Postcode",
  ageConfirmed: "Age",
  registerReference: "Register reference",
  registerPostcode: "Postcode on the register",
  registerDateOfBirth: "Date of birth",
  registerSurname: "Surname",
  voterCode: "The voter's code",
};

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireRole(request, "admin");
  const { round, event } = load(params);
  const actor = { id: user.id, name: user.name };
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const refused = (error: unknown, values: Record<string, string>) => {
    if (error instanceof Refusal)
      return json({ intent, ...refusalFailure(error, values), enrolment: null }, { status: error.status });
    throw error;
  };
  if (intent === "enrol") {
    const form = parseForm(enrolSchema, formData);
    if (!form.ok) return json({ intent, ...form, enrolment: null }, { status: 400 });
    const started = startEnrolment(actor, event.id, form.data.label);
    const link = `${new URL(request.url).origin}/kiosk/enrol/${started.linkToken}`;
    return json(
      {
        intent,
        ok: true as const,
        errors: {},
        values: {},
        enrolment: { label: form.data.label, link, code: started.code, svg: await qrSvg(link) },
      },
      { headers: { "Cache-Control": "no-store" } },
    );
  }
  if (intent === "pin-set") {
    const pin = await setOfficerPin(actor, event.id);
    return json(
      { intent, ok: true as const, errors: {}, values: {}, enrolment: null, pin: formatPin(pin) },
      { headers: { "Cache-Control": "no-store" } },
    );
  }
  if (intent === "pin-revoke") {
    const form = parseForm(pinSchema, formData);
    if (!form.ok) return json({ intent, ...form, enrolment: null }, { status: 400 });
    try {
      revokeOfficerPin(actor, event.id, form.data.pinId);
      const message = "events:pin.revoked";
      return json({ intent, ok: true as const, errors: {}, values: {}, enrolment: null, message });
    } catch (error) {
      return refused(error, {});
    }
  }
  if (intent === "revoke" || intent === "cancel") {
    try {
      if (intent === "revoke") {
        const form = parseForm(deviceSchema, formData);
        if (!form.ok) return json({ intent, ...form, enrolment: null }, { status: 400 });
        revokeDevice(actor, event.id, form.data.deviceId);
      } else {
        const form = parseForm(cancelSchema, formData);
        if (!form.ok) return json({ intent, ...form, enrolment: null }, { status: 400 });
        cancelIssue(actor, event.id, form.data.issueId);
      }
      return json({ intent, ok: true as const, errors: {}, values: {}, enrolment: null });
    } catch (error) {
      return refused(error, {});
    }
  }
  const form = parseForm(issueSchema, formData);
  if (!form.ok)
    return json(
      { intent: "issue", ...form, values: keptIssueValues(form.values), enrolment: null },
      {
        status: 400,
      },
    );
  try {
    const data = form.data;
    const input =
      data.check === "declared"
        ? { check: "declared" as const, postcode: data.postcode, ageConfirmed: true }
        : data.check === "register"
          ? { check: "register" as const, register: registerCheckInput(data) }
          : { check: "code" as const, code: data.voterCode };
    if (input.check === "code") checkVoterCode(round.id, input.code, clientIp(context));
    await issueBallotInGroup(actor, event.id, data.deviceId, input);
    return json({
      intent: "issue",
      ok: true as const,
      errors: {},
      values: {},
      enrolment: null,
      message: "The ballot is waiting on the kiosk.",
    });
  } catch (error) {
    const values = keptIssueValues(form.values);
    if (error instanceof Refusal) {
      const key = issueRefusalKey(error.field, error.code);
      if (key) return refused(new Refusal(key, { field: error.field, status: error.status }), values);
    }
    return refused(error, values);
  }
}

/** The voter's code and register details are never sent back into the form. */
function keptIssueValues(values: Record<string, string>): Record<string, string> {
  const {
    voterCode: _code,
    registerReference: _reference,
    registerPostcode: _postcode,
    registerDateOfBirth: _dateOfBirth,
    registerSurname: _surname,
    ...kept
  } = values;
  return kept;
}

type ActionData = {
  intent: string;
  ok?: boolean;
  errors?: Record<string, string>;
  values?: Record<string, string>;
  formError?: string;
  message?: string;
  pin?: string;
  enrolment: { label: string; link: string; code: string; svg: string } | null;
};

const STATE_LABELS: Record<string, string> = {
  pending: "Waiting for its code",
  enrolled: "Enrolled",
  revoked: "Revoked",
};

export default function EventPage() {
  const { round, event, devices, cast, pins } = useLoaderData<typeof loader>();
  const { t } = useTranslation("events");
  const result = useActionData<typeof action>() as ActionData | undefined;
  const issueState = result?.intent === "issue" ? result : undefined;
  const pinState = result?.intent === "pin-set" || result?.intent === "pin-revoke" ? result : undefined;
  const checks: readonly string[] = round.checks;
  const enrolState = result?.intent === "enrol" ? result : undefined;
  const enrolled = devices.filter((d) => d.state === "enrolled");
  return (
    <div className="max-w-4xl">
      <h1>{event.name}</h1>
      <p>
        {event.place}, {formatRoundDate(event.startsAt, true)} to {formatRoundDate(event.endsAt, true)}. Round:{" "}
        <Link to={`/admin/rounds/${round.id}`}>{round.name}</Link>.
      </p>
      {event.officers ? <p>Officers present: {event.officers.split("\n").join(", ")}</p> : null}
      <p>
        Ballots cast on this event&apos;s kiosks: <strong data-testid="event-cast">{cast}</strong>
      </p>

      <h2>The turnout board</h2>
      <p>
        Open this address on the computer that drives the projector. It needs no sign-in and shows turnout only, then
        the result once it is ratified. Keep it private: anyone with it sees the board.
      </p>
      <p className="break-all font-mono">
        <a href={event.boardUrl} data-testid="board-link">
          {event.boardUrl}
        </a>
      </p>

      <h2>Issue a ballot</h2>
      {issueState?.message ? (
        <p role="status" className="border-l-4 border-green-800 pl-3 font-semibold">
          {issueState.message}
        </p>
      ) : null}
      {enrolled.length === 0 ? (
        <p>Enrol a kiosk first.</p>
      ) : (
        <>
          <p>
            Check the voter as this round requires, then choose a free kiosk. The kiosk shows the ballot at once.
            Nothing about the voter is kept: only which check you made.
          </p>
          <ErrorSummary state={issueState} labels={LABELS} />
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="issue" />
            <fieldset className="field">
              <legend className="font-semibold">Kiosk</legend>
              {issueState?.errors?.deviceId ? (
                <p id="field-deviceId-error" className="error-message">
                  <span className="sr-only">Error: </span>
                  {issueState.errors.deviceId}
                </p>
              ) : null}
              <div id="field-deviceId" tabIndex={-1}>
                {enrolled.map((d) => (
                  <div key={d.id} className="flex items-center gap-2 py-1">
                    <input
                      type="radio"
                      id={`kiosk-${d.id}`}
                      name="deviceId"
                      value={d.id}
                      disabled={d.openIssueId !== null}
                      className="h-5 w-5"
                    />
                    <label htmlFor={`kiosk-${d.id}`}>
                      {d.label}
                      {d.openIssueId !== null ? " (a ballot is waiting)" : ""}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
            <fieldset className="field">
              <legend className="font-semibold">How you checked the voter</legend>
              {checks.length === 1 ? (
                <p>{checks[0] === "code" ? t("check.onlyCodes") : t("check.onlyRegister")}</p>
              ) : null}
              {issueState?.errors?.check ? (
                <p id="field-check-error" className="error-message">
                  <span className="sr-only">Error: </span>
                  {issueState.errors.check}
                </p>
              ) : null}
              <div id="field-check" tabIndex={-1}>
                {checks.includes("declared") ? (
                  <div className="flex items-center gap-2 py-1">
                    <input
                      type="radio"
                      id="check-declared"
                      name="check"
                      value="declared"
                      defaultChecked={checks[0] === "declared"}
                      className="h-5 w-5"
                    />
                    <label htmlFor="check-declared">They declared their postcode and age</label>
                  </div>
                ) : null}
                {checks.includes("register") ? (
                  <div className="flex items-center gap-2 py-1">
                    <input
                      type="radio"
                      id="check-register"
                      name="check"
                      value="register"
                      defaultChecked={checks[0] === "register"}
                      className="h-5 w-5"
                    />
                    <label htmlFor="check-register">I found them on the register</label>
                  </div>
                ) : null}
                {checks.includes("code") ? (
                  <div className="flex items-center gap-2 py-1">
                    <input type="radio" id="check-code" name="check" value="code" defaultChecked className="h-5 w-5" />
                    <label htmlFor="check-code">{t("check.code")}</label>
                  </div>
                ) : null}
              </div>
            </fieldset>
            {checks.includes("declared") ? (
              <>
                <TextField
                  name="postcode"
                  label="Postcode they declared"
                  hint="Only for a declared check. It is checked against the round's area and not kept."
                  autoComplete="off"
                  state={issueState}
                />
                <Checkbox
                  name="ageConfirmed"
                  label={`They declared they are at least ${round.minVoterAge}`}
                  error={issueState?.errors?.ageConfirmed}
                />
              </>
            ) : null}
            {checks.includes("register") ? <RegisterCheckFields state={issueState} /> : null}
            {checks.includes("code") ? (
              <TextField
                name="voterCode"
                label={t("check.codeLabel")}
                hint={t("check.codeHint")}
                autoComplete="off"
                spellCheck={false}
                autoCapitalize="characters"
                state={issueState}
              />
            ) : null}
            <SubmitButton>Issue the ballot</SubmitButton>
          </Form>
        </>
      )}

      <h2>{t("pin.heading")}</h2>
      <p>{t("pin.intro")}</p>
      {pinState?.pin ? (
        <div role="status" className="border-4 p-4">
          <p className="font-semibold">{t("pin.shownOnce")}</p>
          <p className="font-mono text-3xl font-bold" data-testid="officer-pin">
            {pinState.pin}
          </p>
          <p>{t("pin.shownOnceHint")}</p>
        </div>
      ) : null}
      {pinState?.message ? (
        <p role="status" className="border-l-4 border-green-800 pl-3 font-semibold">
          {t(pinState.message)}
        </p>
      ) : null}
      <ErrorSummary state={pinState} />
      <Form method="post">
        <input type="hidden" name="intent" value="pin-set" />
        <SubmitButton secondary>{t("pin.set")}</SubmitButton>
      </Form>
      {pins.length === 0 ? (
        <p>{t("pin.none")}</p>
      ) : (
        <table>
          <caption className="sr-only">{t("pin.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("pin.officer")}</th>
              <th scope="col">{t("pin.state")}</th>
              <th scope="col">{t("pin.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {pins.map((p) => (
              <tr key={p.id}>
                <td>{p.name}</td>
                <td>{p.locked ? t("pin.locked") : t("pin.active")}</td>
                <td>
                  <Form method="post" className="inline">
                    <input type="hidden" name="intent" value="pin-revoke" />
                    <input type="hidden" name="pinId" value={p.id} />
                    <button type="submit" className="button button-secondary">
                      {t("pin.revoke", { name: p.name })}
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Kiosks</h2>
      {devices.length === 0 ? <p>No devices yet.</p> : null}
      {devices.length > 0 ? (
        <table>
          <caption className="sr-only">Devices enrolled for this event</caption>
          <thead>
            <tr>
              <th scope="col">Device</th>
              <th scope="col">State</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => (
              <tr key={d.id}>
                <td>{d.label}</td>
                <td>
                  {STATE_LABELS[d.state]}
                  {d.code ? (
                    <>
                      {" "}
                      (code <span className="font-mono">{d.code}</span>)
                    </>
                  ) : null}
                  {d.openIssueId !== null ? ", a ballot is waiting" : ""}
                </td>
                <td>
                  {d.openIssueId !== null ? (
                    <Form method="post" className="inline">
                      <input type="hidden" name="intent" value="cancel" />
                      <input type="hidden" name="issueId" value={d.openIssueId} />
                      <button type="submit" className="button button-secondary">
                        Cancel the waiting ballot on {d.label}
                      </button>
                    </Form>
                  ) : null}
                  {d.state !== "revoked" ? (
                    <Form method="post" className="inline">
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="deviceId" value={d.id} />
                      <button type="submit" className="button button-secondary">
                        Revoke {d.label}
                      </button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      <h2>Enrol a device</h2>
      {enrolState?.enrolment ? (
        <div role="status" className="border-4 p-4">
          <p className="font-semibold">
            On {enrolState.enrolment.label}, open this link (or scan the code), then type the six digits below. The link
            works once, for 15 minutes.
          </p>
          <p className="break-all font-mono">
            <a href={enrolState.enrolment.link} data-testid="enrol-link">
              {enrolState.enrolment.link}
            </a>
          </p>
          <p>
            Code to type on the device:{" "}
            <strong className="font-mono text-3xl" data-testid="enrol-code">
              {enrolState.enrolment.code}
            </strong>
          </p>
          <div
            className="w-48"
            role="img"
            aria-label="QR code of the enrolment link"
            dangerouslySetInnerHTML={{ __html: enrolState.enrolment.svg }}
          />
        </div>
      ) : null}
      <ErrorSummary state={enrolState} labels={LABELS} />
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="enrol" />
        <TextField name="label" label="Device name" hint="For example “Tablet 1”" state={enrolState} />
        <SubmitButton>Enrol a device</SubmitButton>
      </Form>
      <p className="mt-6">
        <Link to={`/admin/rounds/${round.id}/events`}>All events for this round</Link>
      </p>
    </div>
  );
}

function Checkbox({ name, label, error }: { name: string; label: string; error?: string }) {
  const id = `field-${name}`;
  return (
    <div className={`field ${error ? "field-error" : ""}`}>
      {error ? (
        <p id={`${id}-error`} className="error-message">
          <span className="sr-only">Error: </span>
          {error}
        </p>
      ) : null}
      <div className="flex items-center gap-2">
        <input
          type="checkbox"
          id={id}
          name={name}
          value="yes"
          className="h-5 w-5"
          aria-describedby={error ? `${id}-error` : undefined}
        />
        <label htmlFor={id}>{label}</label>
      </div>
    </div>
  );
}
