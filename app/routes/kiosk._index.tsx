import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { RankingBallot } from "~/components/ranking-ballot";
import { KIOSK_IDLE_SECONDS } from "~/core/events/codes";
import { openIssue } from "~/models/events/events.server";
import { castFromForm, kioskBallot, kioskFromRequest, type KioskCastAnswer } from "~/models/events/kiosk.server";
import { assertSameOrigin } from "~/utils/origin.server";

export const meta: MetaFunction = () => [{ title: "Voting kiosk – Wardfund" }];
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
      kiosk: { label: kiosk.device.label, event: kiosk.event.name, round: kiosk.round.name },
      maxRanked: kiosk.round.maxRanked,
      issueId: issue?.id ?? null,
      projects: issue && open ? kioskBallot(kiosk.round.id) : [],
    },
    { headers: noStore },
  );
}

/** The form's own post, for a kiosk without JavaScript; the script posts to /kiosk/cast instead. */
export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const kiosk = kioskFromRequest(request);
  if (!kiosk)
    return json<KioskCastAnswer>(
      { ok: false, alreadyCast: false, message: "This device is not an enrolled kiosk.", errors: {}, values: {} },
      { status: 401 },
    );
  const answer = await castFromForm(kiosk, await request.formData(), new URL(request.url).origin);
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
  const posted = useActionData<typeof action>();
  const [answer, setAnswer] = useState<KioskCastAnswer | null>(null);
  const [lostConnection, setLostConnection] = useState(false);
  const [sending, setSending] = useState(false);
  const final = answer ?? posted ?? null;

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
      <Screen heading="This device is not a voting kiosk">
        <p>Ask an officer to enrol it for the event.</p>
      </Screen>
    );
  const { kiosk } = data;
  if (final?.ok)
    return (
      <Screen heading="Thank you: your vote was cast">
        <p className="text-2xl">Your receipt code:</p>
        <p className="font-mono text-4xl font-bold" data-testid="receipt">
          {final.receipt}
        </p>
        <div
          className="my-4 w-64"
          role="img"
          aria-label="QR code to check your receipt online"
          dangerouslySetInnerHTML={{ __html: final.svg }}
        />
        <p>
          Photograph the code or write it down to check later that your ballot was counted. It does not show how you
          voted.
        </p>
        <noscript>
          <meta httpEquiv="refresh" content={`${KIOSK_IDLE_SECONDS};url=/kiosk`} />
        </noscript>
        <form method="get" action="/kiosk" onSubmit={(e) => (e.preventDefault(), resetKiosk())}>
          <button type="submit" className="button text-2xl">
            Finish
          </button>
        </form>
      </Screen>
    );
  if (final && !final.ok && final.alreadyCast)
    return (
      <Screen heading="This ballot was already cast">
        <p role="alert">{final.message}</p>
        <form method="get" action="/kiosk" onSubmit={(e) => (e.preventDefault(), resetKiosk())}>
          <button type="submit" className="button">
            Finish
          </button>
        </form>
      </Screen>
    );
  if (data.state === "closed")
    return (
      <Screen heading="Voting has closed">
        <p>Thank you for coming. This kiosk takes no more votes.</p>
      </Screen>
    );
  if (data.state === "waiting")
    return (
      <Screen heading={`Welcome to ${kiosk.event}`}>
        <p className="text-2xl" role="status">
          Please see an officer. They will check you can vote and send your ballot to this kiosk ({kiosk.label}).
        </p>
        <noscript>
          <meta httpEquiv="refresh" content="5" />
        </noscript>
      </Screen>
    );
  const failed = final && !final.ok ? final : null;
  return (
    <Screen heading={`Your ballot: ${kiosk.round}`}>
      {lostConnection ? (
        <div role="alert" className="mb-4 border-4 border-red-800 p-4">
          <p className="text-2xl font-bold">Your vote has NOT been cast.</p>
          <p>
            The kiosk could not reach the server. Your choices are still on the screen: check the connection and press
            “Cast my vote” again, or ask an officer.
          </p>
        </div>
      ) : null}
      {failed ? (
        <p role="alert" className="mb-4 border-l-4 border-red-800 pl-3 font-semibold">
          Your vote has not been cast: {failed.message}
        </p>
      ) : null}
      <p>
        Rank up to {data.maxRanked} projects, your favourite first, then press “Cast my vote”. Nobody can see how you
        voted.
      </p>
      <form method="post" action="/kiosk?index" onSubmit={cast} autoComplete="off" data-testid="kiosk-ballot">
        <input type="hidden" name="issueId" value={data.issueId ?? ""} />
        <RankingBallot
          key={data.issueId}
          projects={data.projects}
          maxRanked={data.maxRanked}
          state={failed ? { errors: failed.errors, values: failed.values, formError: failed.message } : undefined}
        />
        <button type="submit" className="button mt-4 text-2xl" disabled={sending}>
          {sending ? "Casting…" : "Cast my vote"}
        </button>
      </form>
    </Screen>
  );
}

function Screen({ heading, children }: { heading: string; children: React.ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), [heading]);
  return (
    <div className="mx-auto max-w-3xl text-lg">
      <h1 ref={ref} tabIndex={-1}>
        {heading}
      </h1>
      {children}
    </div>
  );
}
