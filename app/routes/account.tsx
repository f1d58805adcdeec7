import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { SubmitButton } from "~/components/forms";
import { NOTIFICATION_TOPIC_LIST, type NotificationTopic } from "~/forms/notification-topics";
import { notificationPreferencesOf, setNotificationPreferences } from "~/models/notifications.server";
import { listGroupsOf } from "~/models/groups.server";
import { getCouncilSettings, listWards, wardForPostcode } from "~/models/council.server";
import { requireUser } from "~/utils/auth.server";
import { isDesignatedDecisionMaker } from "~/models/decisions.server";
import { describeRoles } from "~/utils/roles";

export const meta: MetaFunction = () => [{ title: "My account – Wardfund" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const ward = user.postcode ? wardForPostcode(user.postcode) : undefined;
  const wards = listWards();
  const groups = listGroupsOf(user.id);
  const councillorWards = wards.filter((w) => user.councillorWardIds.includes(w.id)).map((w) => w.name);
  return json({
    user: { name: user.name, email: user.email, postcode: user.postcode },
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
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await request.formData();
  if (formData.get("intent") !== "notifications") return json({ error: "Choose what to save." }, { status: 400 });
  const known = new Set<string>(NOTIFICATION_TOPIC_LIST.map((t) => t.topic));
  const enabled = formData.getAll("topic").filter((t): t is NotificationTopic => typeof t === "string" && known.has(t));
  setNotificationPreferences(user, enabled);
  return redirect("/account?saved=notifications");
}

export default function Account() {
  const data = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <div>
      <h1>My account</h1>
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
      <p><a href="/account/voter-details">See or correct your postcode and date of birth for voting</a></p>
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
