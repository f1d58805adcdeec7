import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useRouteLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Trans, useTranslation } from "react-i18next";
import { z } from "zod";
import { ErrorSummary, SubmitButton, TextField, useErrorText } from "~/components/forms";
import { LanguageSwitch } from "~/components/language-switch";
import { LocalisedText } from "~/components/localised-text";
import { RegisterCheckFields } from "~/components/register-check-fields";
import { RankingBallot } from "~/components/ranking-ballot";
import { eventChecksFor, KIOSK_IDLE_SECONDS } from "~/core/events/codes";
import {
  declaredCheckFields,
  refineRegisterCheck,
  registerCheckFields,
  registerCheckInput,
} from "~/core/events/register-check";
import { openIssue } from "~/models/events/events.server";
import { castFromForm, kioskBallot, kioskFromRequest, type KioskCastAnswer } from "~/models/events/kiosk.server";
import { issueWithPin, listOfficerPins } from "~/models/events/pins.server";
import { parseForm } from "~/utils/form";
import { clientIp } from "~/utils/http.server";
import { assertSameOrigin } from "~/utils/origin.server";
import { Refusal } from "~/utils/refusal";
import { refusalFailure } from "~/utils/refusal.server";
import { eventRefusal, useEventText } from "~/utils/event-messages";
import { isLanguage, type Language } from "~/i18n";
import { pickLocalised } from "~/core/localised";
import { titleMeta } from "~/utils/translate";

export const meta: MetaFunction = titleMeta("kiosk:kiosk.title");
export const handle = { bare: true };
/** Nothing a voter did may be kept by the browser: no page, no answer, no form state in the cache. */
export const headers = () => ({ "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" });

/** Public route guarded by the kiosk's signed device cookie: an unenrolled browser sees only a notice. */
export async function loader({ request }: LoaderFunctionArgs) {
  const kiosk = kioskFromRequest(request);
  const noStore = { "Cache-Control": "no-store" };
  if (!kiosk) return json({ state: "not-enrolled" as const }, { status: 401, headers: noStore });
  const issue = openIssue(kiosk.device.id);
  const open = kiosk.round.phase === "voting" && new Date().toISOString() < kiosk.round.votingClosesAt;
  return json(
    {
      state: !open ? ("closed" as const) : issue ? ("ballot" as const) : ("waiting" as const),
      kiosk: {
        label: kiosk.device.label,
        event: kiosk.event.name,
        round: kiosk.round.name,
        roundCy: kiosk.round.nameCy,
      },
      maxRanked: kiosk.round.maxRanked,
      issueId: issue?.id ?? null,
      projects: issue && open ? kioskBallot(kiosk.round.id) : [],
      // For an officer issuing here with their PIN: who has one, and the checks the round's rule allows.
      officers:
        open && !issue
          ? listOfficerPins(kiosk.event.id)
              .filter((p) => !p.locked)
              .map((p) => ({ id: p.id, name: p.name }))
          : [],
      checks: eventChecksFor(kiosk.round.voterRule),
      minVoterAge: kiosk.round.minVoterAge,
    },
    { headers: noStore },
  );
}

const deviceAndPin = {
  pinId: z.coerce
    .number({ invalid_type_error: "events:errors.chooseOfficer" })
    .int()
    .positive("events:errors.chooseOfficer"),
  pin: z.string().trim().min(1, "events:errors.pin").max(20, "events:errors.pin"),
};
const pinIssueSchema = z
  .discriminatedUnion(
    "check",
    [
      z.object({
        check: z.literal("declared"),
        ...deviceAndPin,
        ...declaredCheckFields({
          postcodeMissing: "events:errors.postcode",
          postcodeInvalid: "events:errors.postcode",
          age: "events:errors.confirmAge",
        }),
      }),
      z.object({
        check: z.literal("register"),
        ...deviceAndPin,
        ...registerCheckFields,
      }),
      z.object({
        check: z.literal("code"),
        ...deviceAndPin,
        voterCode: z.string().trim().min(1, "events:errors.code").max(40, "events:errors.codeBad"),
      }),
    ],
    { errorMap: () => ({ message: "events:errors.check" }) },
  )
  .superRefine((data, ctx) => {
    if (data.check === "register") refineRegisterCheck(data, ctx);
  });

export type PinIssueAnswer = {
  kind: "pin-issue";
  /** Each answer's own id: the form is drawn afresh for it, so nothing typed stays in its fields. */
  attempt: string;
  ok: false;
  errors: Record<string, string>;
  values: Record<string, string>;
  formError?: string;
};

/**
 * An officer issuing a ballot here with their PIN. Nothing typed is sent back: not the PIN, the
 * voter's code or postcode (the kiosk is shared); only which officer and check were chosen.
 */
async function issueHere(kiosk: NonNullable<ReturnType<typeof kioskFromRequest>>, formData: FormData, ip: string) {
  const form = parseForm(pinIssueSchema, formData);
  const kept = (values: Record<string, string>) => ({ pinId: values.pinId ?? "", check: values.check ?? "" });
  const noStore = { "Cache-Control": "no-store" };
  if (!form.ok)
    return json<PinIssueAnswer>(
      {
        kind: "pin-issue",
        attempt: crypto.randomUUID(),
        ok: false,
        errors: form.errors,
        values: kept(form.values),
        formError: form.formError,
      },
      { status: 400, headers: noStore },
    );
  const data = form.data;
  try {
    await issueWithPin(kiosk.device, {
      pinId: data.pinId,
      pin: data.pin,
      clientAddress: ip,
      check:
        data.check === "declared"
          ? { check: "declared", postcode: data.postcode, ageConfirmed: true }
          : data.check === "register"
            ? { check: "register", register: registerCheckInput(data) }
            : { check: "code", code: data.voterCode },
    });
  } catch (error) {
    if (!(error instanceof Refusal)) throw error;
    const failed = refusalFailure(eventRefusal(error), kept(form.values));
    return json<PinIssueAnswer>(
      { kind: "pin-issue", attempt: crypto.randomUUID(), ...failed },
      { status: error.status, headers: noStore },
    );
  }
  // A fresh load shows the ballot; the form's entry is replaced, so Back does not lead to it.
  return redirect("/kiosk", { headers: noStore });
}

/**
 * The form's own posts: an officer issuing a ballot here with their PIN, or (for a kiosk without
 * JavaScript) the cast; the page's script casts to /kiosk/cast instead.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const kiosk = kioskFromRequest(request);
  if (!kiosk)
    return json<KioskCastAnswer>(
      { ok: false, alreadyCast: false, message: "kiosk:cast.notEnrolled", errors: {}, values: {} },
      { status: 401 },
    );
  const formData = await request.formData();
  if (formData.get("intent") === "pin-issue") return issueHere(kiosk, formData, clientIp(context));
  const answer = await castFromForm(kiosk, formData, new URL(request.url).origin);
  return json(answer, {
    status: answer.ok ? 200 : answer.alreadyCast ? 409 : 422,
    headers: { "Cache-Control": "no-store" },
  });
}

/** Back to a clean kiosk: a fresh load that replaces this history entry, so Back leads nowhere. */
function resetKiosk() {
  window.location.replace("/kiosk");
}

/** After `seconds` without a touch, key or change, the kiosk resets itself. */
function useIdleReset(seconds: number, active: boolean) {
  useEffect(() => {
    if (!active) return;
    let timer = window.setTimeout(resetKiosk, seconds * 1000);
    const touch = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(resetKiosk, seconds * 1000);
    };
    const events = ["pointerdown", "keydown", "change", "input"] as const;
    events.forEach((e) => window.addEventListener(e, touch, true));
    return () => {
      window.clearTimeout(timer);
      events.forEach((e) => window.removeEventListener(e, touch, true));
    };
  }, [seconds, active]);
}

export default function Kiosk() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as KioskCastAnswer | PinIssueAnswer | undefined;
  const pinAnswer = actionData && "kind" in actionData ? actionData : undefined;
  const posted = actionData && !("kind" in actionData) ? actionData : undefined;
  const [answer, setAnswer] = useState<KioskCastAnswer | null>(null);
  const [lostConnection, setLostConnection] = useState(false);
  const [sending, setSending] = useState(false);
  const final = answer ?? posted ?? null;
  const { t, i18n } = useTranslation("kiosk");
  const text = useEventText();

  useEffect(() => {
    // Whatever was shown before (a posted form, a ballot) leaves no entry behind this one.
    window.history.replaceState(null, "", "/kiosk");
  }, [final]);

  useEffect(() => {
    if (data.state !== "waiting") return;
    let stopped = false;
    (async () => {
      while (!stopped) {
        try {
          const response = await fetch("/kiosk/wait", { cache: "no-store" });
          const body = (await response.json()) as { issued: boolean };
          if (body.issued && !stopped) return resetKiosk();
        } catch {
          await new Promise((r) => setTimeout(r, 2000));
        }
      }
    })();
    return () => {
      stopped = true;
    };
  }, [data.state]);

  useIdleReset(KIOSK_IDLE_SECONDS, data.state === "ballot" || Boolean(final?.ok));

  async function cast(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (sending) return;
    setSending(true);
    setLostConnection(false);
    try {
      const response = await fetch("/kiosk/cast", {
        method: "POST",
        body: new FormData(event.currentTarget),
        cache: "no-store",
      });
      if (response.status >= 500) throw new Error("server");
      setAnswer((await response.json()) as KioskCastAnswer);
    } catch {
      setLostConnection(true);
    } finally {
      setSending(false);
    }
  }

  if (data.state === "not-enrolled")
    return (
      <Screen heading={t("kiosk.notEnrolledHeading")}>
        <p>{t("kiosk.notEnrolledBody")}</p>
      </Screen>
    );
  const { kiosk } = data;
  if (final?.ok)
    return (
      <Screen heading={t("kiosk.castHeading")}>
        <p className="text-2xl">{t("kiosk.receiptLabel")}</p>
        <p className="font-mono text-4xl font-bold" data-testid="receipt">
          {final.receipt}
        </p>
        <div
          className="my-4 w-64"
          role="img"
          aria-label={t("kiosk.receiptQr")}
          dangerouslySetInnerHTML={{ __html: final.svg }}
        />
        <p>{t("kiosk.receiptHint")}</p>
        <noscript>
          <meta httpEquiv="refresh" content={`${KIOSK_IDLE_SECONDS};url=/kiosk`} />
        </noscript>
        <form method="get" action="/kiosk" onSubmit={(e) => (e.preventDefault(), resetKiosk())}>
          <button type="submit" className="button text-2xl">
            {t("kiosk.finish")}
          </button>
        </form>
      </Screen>
    );
  if (final && !final.ok && final.alreadyCast)
    return (
      <Screen heading={t("kiosk.alreadyCastHeading")}>
        <p role="alert">{text(final.message)}</p>
        <form method="get" action="/kiosk" onSubmit={(e) => (e.preventDefault(), resetKiosk())}>
          <button type="submit" className="button">
            {t("kiosk.finish")}
          </button>
        </form>
      </Screen>
    );
  if (data.state === "closed")
    return (
      <Screen heading={t("kiosk.closedHeading")}>
        <p>{t("kiosk.closedBody")}</p>
      </Screen>
    );
  if (data.state === "waiting")
    return (
      <Screen heading={t("kiosk.welcome", { event: kiosk.event })}>
        <p className="text-2xl" role="status">
          {t("kiosk.seeOfficer", { kiosk: kiosk.label })}
        </p>
        {pinAnswer ? null : (
          <noscript>
            {/* Without a script the page looks for a ballot by reloading; slowly while an officer may be typing. */}
            <meta httpEquiv="refresh" content={data.officers.length > 0 ? "60" : "5"} />
          </noscript>
        )}
        <IssueHere officers={data.officers} checks={data.checks} minVoterAge={data.minVoterAge} state={pinAnswer} />
      </Screen>
    );
  const failed = final && !final.ok ? final : null;
  return (
    <Screen
      heading={t("kiosk.ballotHeading", {
        round: pickLocalised({ en: kiosk.round, cy: kiosk.roundCy }, i18n.language).text,
      })}
      content={
        <Trans
          t={t}
          i18nKey="kiosk.ballotHeadingRound"
          components={{ round: <LocalisedText value={{ en: kiosk.round, cy: kiosk.roundCy }} /> }}
        />
      }
    >
      {lostConnection ? (
        <div role="alert" className="mb-4 border-4 border-red-800 p-4">
          <p className="text-2xl font-bold">{t("kiosk.notCastLoud")}</p>
          <p>{t("kiosk.lostConnection")}</p>
        </div>
      ) : null}
      {failed ? (
        <p role="alert" className="mb-4 border-l-4 border-red-800 pl-3 font-semibold">
          {t("kiosk.notCast", { message: text(failed.message) })}
        </p>
      ) : null}
      <p>{t("kiosk.intro", { max: data.maxRanked })}</p>
      <form method="post" action="/kiosk?index" onSubmit={cast} autoComplete="off" data-testid="kiosk-ballot">
        <input type="hidden" name="issueId" value={data.issueId ?? ""} />
        <RankingBallot
          key={data.issueId}
          projects={data.projects}
          maxRanked={data.maxRanked}
          state={
            failed
              ? {
                  errors: Object.fromEntries(Object.entries(failed.errors).map(([field, m]) => [field, text(m)])),
                  values: failed.values,
                  formError: text(failed.message),
                }
              : undefined
          }
        />
        <button type="submit" className="button mt-4 text-2xl" disabled={sending}>
          {sending ? t("kiosk.casting") : t("kiosk.cast")}
        </button>
      </form>
    </Screen>
  );
}

/** The officer's form on a waiting kiosk: their name, their PIN and the voter's check. */
function IssueHere({
  officers,
  checks,
  minVoterAge,
  state,
}: {
  officers: { id: number; name: string }[];
  checks: readonly string[];
  minVoterAge: number;
  state: PinIssueAnswer | undefined;
}) {
  const { t } = useTranslation("events");
  const labels = t("labels", { returnObjects: true }) as Record<string, string>;
  const errors = state?.errors ?? {};
  const chosenCheck = state?.values.check || checks[0];
  return (
    <section aria-labelledby="issue-here" className="mt-10 border-t-4 pt-4">
      <h2 id="issue-here">{t("kiosk.officerHeading")}</h2>
      {officers.length === 0 ? (
        <p>{t("kiosk.noPins")}</p>
      ) : (
        <>
          <p>{t("kiosk.officerIntro")}</p>
          <ErrorSummary state={state} labels={labels} />
          <Form key={state?.attempt} method="post" action="/kiosk?index" replace noValidate autoComplete="off">
            <input type="hidden" name="intent" value="pin-issue" />
            <div className={`field ${errors.pinId ? "field-error" : ""}`}>
              <label htmlFor="field-pinId" className="font-semibold">
                {t("kiosk.officerName")}
              </label>
              <FieldError name="pinId" errors={errors} />
              <select
                id="field-pinId"
                name="pinId"
                className="input"
                defaultValue={state?.values.pinId ?? ""}
                aria-describedby={errors.pinId ? "field-pinId-error" : undefined}
              >
                <option value="">{t("kiosk.choose")}</option>
                {officers.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
            </div>
            <TextField
              name="pin"
              type="password"
              inputMode="numeric"
              autoComplete="off"
              label={t("kiosk.pin")}
              hint={t("kiosk.pinHint")}
              state={state}
            />
            <fieldset className="field">
              <legend className="font-semibold">{t("kiosk.checkLegend")}</legend>
              <FieldError name="check" errors={errors} />
              <div id="field-check" tabIndex={-1}>
                {checks.map((check) => (
                  <div key={check} className="flex items-center gap-2 py-1">
                    <input
                      type="radio"
                      id={`kiosk-check-${check}`}
                      name="check"
                      value={check}
                      defaultChecked={check === chosenCheck}
                      className="h-5 w-5"
                    />
                    <label htmlFor={`kiosk-check-${check}`}>
                      {check === "declared"
                        ? t("kiosk.declared")
                        : check === "register"
                          ? t("kiosk.register")
                          : t("check.code")}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
            {checks.includes("declared") ? (
              <>
                <TextField name="postcode" autoComplete="off" label={t("kiosk.postcode")} state={state} />
                <KioskCheckbox name="ageConfirmed" label={t("kiosk.age", { age: minVoterAge })} errors={errors} />
              </>
            ) : null}
            {checks.includes("register") ? <RegisterCheckFields state={state} /> : null}
            {checks.includes("code") ? (
              <TextField
                name="voterCode"
                autoComplete="off"
                spellCheck={false}
                autoCapitalize="characters"
                label={t("check.codeLabel")}
                hint={t("check.codeHint")}
                state={state}
              />
            ) : null}
            <SubmitButton>{t("kiosk.issue")}</SubmitButton>
          </Form>
        </>
      )}
    </section>
  );
}

function FieldError({ name, errors }: { name: string; errors: Record<string, string> }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const message = errors[name];
  if (!message) return null;
  return (
    <p id={`field-${name}-error`} className="error-message">
      <span className="sr-only">{t("forms:errorPrefix")} </span>
      {errorText(message)}
    </p>
  );
}

function KioskCheckbox({ name, label, errors }: { name: string; label: string; errors: Record<string, string> }) {
  const id = `field-${name}`;
  return (
    <div className={`field ${errors[name] ? "field-error" : ""}`}>
      <FieldError name={name} errors={errors} />
      <div className="flex items-center gap-2">
        <input
          type="checkbox"
          id={id}
          name={name}
          value="yes"
          className="h-5 w-5"
          aria-describedby={errors[name] ? `${id}-error` : undefined}
        />
        <label htmlFor={id}>{label}</label>
      </div>
    </div>
  );
}

/** A kiosk screen: the voter may switch language on any of them (the kiosk keeps the choice). */
function Screen({
  heading,
  content,
  children,
}: {
  /** The heading as text; `content` draws it instead when part of it is council content. */
  heading: string;
  content?: React.ReactNode;
  children: React.ReactNode;
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), [heading]);
  const root = useRouteLoaderData("root") as { language?: unknown; languages?: Language[] } | undefined;
  const current: Language = isLanguage(root?.language) ? root.language : "en";
  return (
    <div className="mx-auto max-w-3xl text-lg">
      {root?.languages ? (
        <div className="flex justify-end">
          <LanguageSwitch current={current} offered={root.languages} />
        </div>
      ) : null}
      <h1 ref={ref} tabIndex={-1}>
        {content ?? heading}
      </h1>
      {children}
    </div>
  );
}
