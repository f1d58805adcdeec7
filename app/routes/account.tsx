import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { AccountRightsLinks } from "~/components/account-rights-links";
import { SubmitButton } from "~/components/forms";
import { NOTIFICATION_TOPIC_LIST, type NotificationTopic } from "~/forms/notification-topics";
import { notificationPreferencesOf, setNotificationPreferences } from "~/models/notifications.server";
import { listGroupsOf } from "~/models/groups.server";
import { getCouncilSettings, listWards, wardForPostcode } from "~/models/council.server";
import { isDesignatedDecisionMaker } from "~/models/decisions.server";
import { endOtherSessions, listSessions, requireSignedIn, sessionIdOf } from "~/utils/auth.server";
import { describeRoles } from "~/utils/roles";
import { formatDateTime } from "~/core/time";

export const meta: MetaFunction = () => [{ title: "My account – Wardfund" }];

/** The person's own account: open to an account whose address is not yet confirmed. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireSignedIn(request);
  const current = sessionIdOf(request);
  const ward = user.postcode ? wardForPostcode(user.postcode) : undefined;
  const wards = listWards();
  const groups = listGroupsOf(user.id);
  const councillorWards = wards.filter((w) => user.councillorWardIds.includes(w.id)).map((w) => w.name);
  return json({
    user: { name: user.name, email: user.email, postcode: user.postcode, verified: user.verified },
    ward: ward ?? null,
    roles: describeRoles({
      roles: user.roles,
      councillorWards,
      groupNames: groups.map((g) => g.name),
      decisionMakerOffice: isDesignatedDecisionMaker(user.id)
        ? (getCouncilSettings()?.designatedDecisionMaker ?? "Designated decision-maker")
        : null,
    }),
    groups,
    notifications: notificationPreferencesOf(user.id),
    devices: listSessions(user.id).map((s) => ({
      key: s.id === current ? "current" : String(s.createdAt) + s.id.slice(0, 6),
      description: s.userAgent ?? "Unknown browser",
      signedInAt: s.createdAt ? new Date(s.createdAt).toISOString() : null,
      lastSeenAt: s.lastSeenAt ? new Date(s.lastSeenAt).toISOString() : null,
      current: s.id === current,
    })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireSignedIn(request);
  const formData = await request.formData();
  if (formData.get("intent") === "sign-out-others") {
    const current = sessionIdOf(request);
    if (current) endOtherSessions(user.id, current);
    return redirect("/account?saved=signed-out-others");
  }
  if (!user.verified) return json({ error: "Confirm your email address first." }, { status: 403 });
  if (formData.get("intent") !== "notifications") return json({ error: "Choose what to save." }, { status: 400 });
  const known = new Set<string>(NOTIFICATION_TOPIC_LIST.map((t) => t.topic));
  const enabled = formData.getAll("topic").filter((t): t is NotificationTopic => typeof t === "string" && known.has(t));
  setNotificationPreferences(user, enabled);
  return redirect("/account?saved=notifications");
}

const SAVED: Record<string, string> = {
  invitation: "Invitation accepted.",
  "left-group": "You have left the group.",
  "signed-out-others": "You are signed out on every other device.",
};

export default function Account() {
  const data = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const saved = params.get("saved");
  return (
    <div>
      <h1>My account</h1>
      {saved && SAVED[saved] ? (
        <p className="notice" role="status">
          {SAVED[saved]}
        </p>
      ) : null}
      {data.user.verified ? null : (
        <div className="notice" role="status">
          <h2 className="mt-0">Confirm your email address</h2>
          <p>
            Until you open the link we sent to {data.user.email}, you cannot vote, bid or join a group. Unconfirmed
            accounts are removed after 7 days.
          </p>
          <Form method="post" action="/confirm-email?index">
            <input type="hidden" name="email" value={data.user.email} />
            <SubmitButton>Send the link again</SubmitButton>
          </Form>
        </div>
      )}
      <AccountRightsLinks />
      <dl className="grid max-w-2xl grid-cols-[12rem_1fr] gap-2">
        <dt className="font-semibold">Name</dt>
        <dd>{data.user.name}</dd>
        <dt className="font-semibold">Email</dt>
        <dd>{data.user.email}</dd>
        <dt className="font-semibold">Postcode</dt>
        <dd>{data.user.postcode ?? "Not given"}</dd>
        <dt className="font-semibold">Ward</dt>
        <dd>
          {data.ward
            ? `${data.ward.name} (${data.ward.gssCode})`
            : "Unknown: your postcode is not in this council's area"}
        </dd>
        <dt className="font-semibold">Roles</dt>
        <dd>
          <ul>
            {data.roles.map((role) => (
              <li key={role}>{role}</li>
            ))}
          </ul>
        </dd>
      </dl>
      <p>
        <a href="/account/voter-details">See or correct your postcode and date of birth for voting</a>
      </p>
      <h2>My community groups</h2>
      {data.groups.length ? (
        <ul className="list-disc pl-6">
          {data.groups.map((g) => (
            <li key={g.id}>{g.name}</li>
          ))}
        </ul>
      ) : (
        <p>You are not a member of any community group.</p>
      )}
      <h2 id="devices">Where you are signed in</h2>
      <table className="mb-4">
        <caption className="sr-only">Signed-in devices</caption>
        <thead>
          <tr>
            <th scope="col">Browser</th>
            <th scope="col">Signed in</th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody>
          {data.devices.map((d) => (
            <tr key={d.key}>
              <td>
                {d.description}
                {d.current ? " (this device)" : ""}
              </td>
              <td>{d.signedInAt ? formatDateTime(d.signedInAt) : "Unknown"}</td>
              <td>{d.lastSeenAt ? formatDateTime(d.lastSeenAt) : "Unknown"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {data.devices.length > 1 ? (
        <Form method="post">
          <input type="hidden" name="intent" value="sign-out-others" />
          <SubmitButton>Sign out everywhere else</SubmitButton>
        </Form>
      ) : null}
      <h2 id="notifications">Email notifications</h2>
      {params.get("saved") === "notifications" ? (
        <p className="notice" role="status">
          Your email choices are saved.
        </p>
      ) : null}
      <Form method="post" noValidate className="max-w-2xl">
        <input type="hidden" name="intent" value="notifications" />
        <fieldset className="field">
          <legend className="font-semibold">Send me emails about</legend>
          <p className="hint">
            Decisions on your group's bids and grant offers are always sent, as are sign-in and password emails.
          </p>
          {NOTIFICATION_TOPIC_LIST.map((t) => (
            <div key={t.topic} className="my-2">
              <input
                type="checkbox"
                id={`topic-${t.topic}`}
                name="topic"
                value={t.topic}
                defaultChecked={data.notifications[t.topic]}
                aria-describedby={`topic-${t.topic}-hint`}
              />{" "}
              <label htmlFor={`topic-${t.topic}`}>{t.label}</label>
              <p id={`topic-${t.topic}-hint`} className="hint ml-6">
                {t.hint}
              </p>
            </div>
          ))}
        </fieldset>
        <SubmitButton>Save email choices</SubmitButton>
      </Form>
    </div>
  );
}
