import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { z } from "zod";
import { ErrorSummary, SubmitButton, TextField, useErrorText } from "~/components/forms";
import { LocalisedText } from "~/components/localised-text";
import { RegisterCheckFields } from "~/components/register-check-fields";
import { eventChecksFor, formatPin } from "~/core/events/codes";
import {
  declaredCheckFields,
  refineRegisterCheck,
  registerCheckFields,
  registerCheckInput,
} from "~/core/events/register-check";
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
import { languageOfMatches, translatorFor, useFormat } from "~/utils/translate";
import { eventRefusal } from "~/utils/event-messages";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => {
  const t = translatorFor(languageOfMatches(matches));
  return [{ title: t("common:title", { page: data?.event.name ?? t("events:eventPage.title") }) }];
};

function load(params: { roundId?: string; eventId?: string }) {
  const round = findRound(idParam(params.roundId));
  if (!round) throw notFound("events:refusal.noRound");
  const event = findEvent(round.id, idParam(params.eventId));
  if (!event) throw notFound("events:refusal.noEvent");
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
        nameCy: round.nameCy,
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
  label: z.string().trim().min(1, "events:errors.labelRequired").max(60, "events:errors.labelTooLong"),
});
const deviceSchema = z.object({ deviceId: z.coerce.number().int().positive("events:errors.chooseKiosk") });
const kioskField = z.coerce
  .number({ invalid_type_error: "events:errors.chooseKiosk" })
  .int()
  .positive("events:errors.chooseKiosk");
const cancelSchema = z.object({ issueId: z.coerce.number().int().positive() });
const pinSchema = z.object({ pinId: z.coerce.number().int().positive() });
const issueSchema = z
  .discriminatedUnion(
    "check",
    [
      z.object({
        check: z.literal("declared"),
        deviceId: kioskField,
        ...declaredCheckFields({
          postcodeMissing: "events:errors.postcode",
          postcodeInvalid: "events:errors.postcodeFormat",
          age: "events:errors.confirmAge",
        }),
      }),
      z.object({
        check: z.literal("register"),
        deviceId: kioskField,
        ...registerCheckFields,
      }),
      z.object({
        check: z.literal("code"),
        deviceId: kioskField,
        voterCode: z.string().trim().min(1, "events:errors.code").max(40, "events:errors.codeBad"),
      }),
    ],
    { errorMap: () => ({ message: "events:errors.check" }) },
  )
  .superRefine((data, ctx) => {
    if (data.check === "register") refineRegisterCheck(data, ctx);
  });

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
      message: "events:eventPage.issued",
    });
  } catch (error) {
    const values = keptIssueValues(form.values);
    return refused(error instanceof Refusal ? eventRefusal(error) : error, values);
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

const STATE_KEYS: Record<string, string> = {
  pending: "eventPage.statePending",
  enrolled: "eventPage.stateEnrolled",
  revoked: "eventPage.stateRevoked",
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
  const { dateTime } = useFormat();
  const labels = t("labels", { returnObjects: true }) as Record<string, string>;
  return (
    <div className="max-w-4xl">
      <h1>{event.name}</h1>
      <p>
        <Trans
          t={t}
          i18nKey="eventPage.when"
          values={{ place: event.place, start: dateTime(event.startsAt), end: dateTime(event.endsAt) }}
          components={{ place: <span translate="no" /> }}
        />{" "}
        {t("eventPage.roundLabel")}{" "}
        <Link to={`/admin/rounds/${round.id}`}>
          <LocalisedText value={{ en: round.name, cy: round.nameCy }} />
        </Link>
        .
      </p>
      {event.officers ? (
        <p>
          <Trans
            t={t}
            i18nKey="eventPage.officersPresent"
            values={{ names: event.officers.split("\n").join(", ") }}
            components={{ names: <span translate="no" /> }}
          />
        </p>
      ) : null}
      <p>
        {t("eventPage.castCount")} <strong data-testid="event-cast">{cast}</strong>
      </p>

      <h2>{t("eventPage.boardHeading")}</h2>
      <p>{t("eventPage.boardIntro")}</p>
      <p className="break-all font-mono">
        <a href={event.boardUrl} data-testid="board-link">
          {event.boardUrl}
        </a>
      </p>

      <h2>{t("eventPage.issueHeading")}</h2>
      {issueState?.message ? (
        <p role="status" className="border-l-4 border-green-800 pl-3 font-semibold">
          {t(issueState.message)}
        </p>
      ) : null}
      {enrolled.length === 0 ? (
        <p>{t("eventPage.enrolFirst")}</p>
      ) : (
        <>
          <p>{t("eventPage.issueIntro")}</p>
          <ErrorSummary state={issueState} labels={labels} />
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="issue" />
            <fieldset className="field">
              <legend className="font-semibold">{t("eventPage.kiosk")}</legend>
              <FieldError message={issueState?.errors?.deviceId} name="deviceId" />
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
                      {d.openIssueId !== null ? t("eventPage.ballotWaitingSuffix", { kiosk: d.label }) : d.label}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
            <fieldset className="field">
              <legend className="font-semibold">{t("kiosk.checkLegend")}</legend>
              {checks.length === 1 ? (
                <p>{checks[0] === "code" ? t("check.onlyCodes") : t("check.onlyRegister")}</p>
              ) : null}
              <FieldError message={issueState?.errors?.check} name="check" />
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
                    <label htmlFor="check-declared">{t("kiosk.declared")}</label>
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
                    <label htmlFor="check-register">{t("eventPage.register")}</label>
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
                  label={t("kiosk.postcode")}
                  hint={t("eventPage.postcodeHint")}
                  autoComplete="off"
                  state={issueState}
                />
                <Checkbox
                  name="ageConfirmed"
                  label={t("kiosk.age", { age: round.minVoterAge })}
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
            <SubmitButton>{t("eventPage.issue")}</SubmitButton>
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

      <h2>{t("eventPage.kiosksHeading")}</h2>
      {devices.length === 0 ? <p>{t("eventPage.noDevices")}</p> : null}
      {devices.length > 0 ? (
        <table>
          <caption className="sr-only">{t("eventPage.devicesCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("eventPage.device")}</th>
              <th scope="col">{t("eventPage.state")}</th>
              <th scope="col">{t("eventPage.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => (
              <tr key={d.id}>
                <td>{d.label}</td>
                <td>
                  {t(STATE_KEYS[d.state] ?? d.state)}
                  {d.code ? (
                    <>
                      {" "}
                      <Trans
                        t={t}
                        i18nKey="eventPage.codeShown"
                        values={{ code: d.code }}
                        components={{ code: <span className="font-mono" /> }}
                      />
                    </>
                  ) : null}
                  {d.openIssueId !== null ? t("eventPage.ballotWaiting") : ""}
                </td>
                <td>
                  {d.openIssueId !== null ? (
                    <Form method="post" className="inline">
                      <input type="hidden" name="intent" value="cancel" />
                      <input type="hidden" name="issueId" value={d.openIssueId} />
                      <button type="submit" className="button button-secondary">
                        {t("eventPage.cancel", { kiosk: d.label })}
                      </button>
                    </Form>
                  ) : null}
                  {d.state !== "revoked" ? (
                    <Form method="post" className="inline">
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="deviceId" value={d.id} />
                      <button type="submit" className="button button-secondary">
                        {t("eventPage.revoke", { kiosk: d.label })}
                      </button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}

      <h2>{t("eventPage.enrolHeading")}</h2>
      {enrolState?.enrolment ? (
        <div role="status" className="border-4 p-4">
          <p className="font-semibold">{t("eventPage.enrolLink", { label: enrolState.enrolment.label })}</p>
          <p className="break-all font-mono">
            <a href={enrolState.enrolment.link} data-testid="enrol-link">
              {enrolState.enrolment.link}
            </a>
          </p>
          <p>
            {t("eventPage.enrolCode")}{" "}
            <strong className="font-mono text-3xl" data-testid="enrol-code">
              {enrolState.enrolment.code}
            </strong>
          </p>
          <div
            className="w-48"
            role="img"
            aria-label={t("eventPage.enrolQr")}
            dangerouslySetInnerHTML={{ __html: enrolState.enrolment.svg }}
          />
        </div>
      ) : null}
      <ErrorSummary state={enrolState} labels={labels} />
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="enrol" />
        <TextField
          name="label"
          label={t("eventPage.deviceName")}
          hint={t("eventPage.deviceNameHint")}
          state={enrolState}
        />
        <SubmitButton>{t("eventPage.enrol")}</SubmitButton>
      </Form>
      <p className="mt-6">
        <Link to={`/admin/rounds/${round.id}/events`}>{t("eventPage.allEvents")}</Link>
      </p>
    </div>
  );
}

/** A field's error, in the reader's language. */
function FieldError({ message, name }: { message: string | undefined; name: string }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  if (!message) return null;
  return (
    <p id={`field-${name}-error`} className="error-message">
      <span className="sr-only">{t("forms:errorPrefix")} </span>
      {errorText(message)}
    </p>
  );
}

function Checkbox({ name, label, error }: { name: string; label: string; error?: string }) {
  const id = `field-${name}`;
  return (
    <div className={`field ${error ? "field-error" : ""}`}>
      <FieldError message={error} name={name} />
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
