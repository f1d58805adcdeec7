import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AccountRightsLinks } from "~/components/account-rights-links";
import { SubmitButton } from "~/components/forms";
import { NOTIFICATION_TOPIC_LIST, type NotificationTopic } from "~/forms/notification-topics";
import { notificationPreferencesOf, setNotificationPreferences } from "~/models/notifications.server";
import { listGroupsOf } from "~/models/groups.server";
import { getCouncilSettings, listWards, wardForPostcode } from "~/models/council.server";
import { isDesignatedDecisionMaker } from "~/models/decisions.server";
import { endOtherSessions, listSessions, requireSignedIn, sessionIdOf } from "~/utils/auth.server";
import { titleMeta, useFormat } from "~/utils/translate";

export const meta = titleMeta("account:page.title");

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
    roles: {
      granted: user.roles,
      councillorWards,
      groupNames: groups.map((g) => g.name),
      decisionMaker: isDesignatedDecisionMaker(user.id),
      decisionMakerOffice: getCouncilSettings()?.designatedDecisionMaker ?? null,
    },
    groups,
    notifications: notificationPreferencesOf(user.id),
    devices: listSessions(user.id).map((s) => ({
      key: s.id === current ? "current" : String(s.createdAt) + s.id.slice(0, 6),
      description: s.userAgent,
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
  if (!user.verified) return json({ error: "account:page.confirmFirst" }, { status: 403 });
  if (formData.get("intent") !== "notifications") return json({ error: "account:page.chooseWhat" }, { status: 400 });
  const known = new Set<string>(NOTIFICATION_TOPIC_LIST.map((t) => t.topic));
  const enabled = formData.getAll("topic").filter((t): t is NotificationTopic => typeof t === "string" && known.has(t));
  setNotificationPreferences(user, enabled);
  return redirect("/account?saved=notifications");
}

const SAVED = new Set(["invitation", "left-group", "signed-out-others"]);

/** Every role a person holds, most specific first, in the reader's language (as `describeRoles` orders them). */
function useRoleDescriptions(roles: {
  granted: string[];
  councillorWards: string[];
  groupNames: string[];
  decisionMaker: boolean;
  decisionMakerOffice: string | null;
}): string[] {
  const { t } = useTranslation();
  const described: string[] = [];
  if (roles.granted.includes("admin")) described.push(t("roles.admin"));
  if (roles.granted.includes("finance")) described.push(t("roles.finance"));
  if (roles.granted.includes("councillor"))
    described.push(
      roles.councillorWards.length > 0
        ? t("account:page.councillorFor", { wards: roles.councillorWards.join(", ") })
        : t("roles.councillor"),
    );
  if (roles.decisionMaker)
    described.push(
      roles.decisionMakerOffice
        ? t("account:page.decisionMaker", { office: roles.decisionMakerOffice })
        : t("account:page.decisionMakerDefault"),
    );
  if (roles.groupNames.length > 0)
    described.push(t("account:page.groupMember", { groups: roles.groupNames.join(", ") }));
  if (roles.granted.includes("resident")) described.push(t("roles.resident"));
  return described;
}

export default function Account() {
  const data = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const saved = params.get("saved");
  const { t } = useTranslation("account");
  const format = useFormat();
  const roles = useRoleDescriptions(data.roles);
  return (
    <div>
      <h1>{t("page.title")}</h1>
      {saved && SAVED.has(saved) ? (
        <p className="notice" role="status">
          {t(`page.saved.${saved}`)}
        </p>
      ) : null}
      {data.user.verified ? null : (
        <div className="notice" role="status">
          <h2 className="mt-0">{t("page.unconfirmedHeading")}</h2>
          <p>{t("page.unconfirmedBody", { email: data.user.email })}</p>
          <Form method="post" action="/confirm-email?index">
            <input type="hidden" name="email" value={data.user.email} />
            <SubmitButton>{t("confirm.resend")}</SubmitButton>
          </Form>
        </div>
      )}
      <AccountRightsLinks />
      <dl className="grid max-w-2xl grid-cols-[12rem_1fr] gap-2">
        <dt className="font-semibold">{t("page.name")}</dt>
        <dd>{data.user.name}</dd>
        <dt className="font-semibold">{t("page.email")}</dt>
        <dd>{data.user.email}</dd>
        <dt className="font-semibold">{t("page.postcode")}</dt>
        <dd>{data.user.postcode ?? t("common:notGiven")}</dd>
        <dt className="font-semibold">{t("page.ward")}</dt>
        <dd>{data.ward ? `${data.ward.name} (${data.ward.gssCode})` : t("page.wardUnknown")}</dd>
        <dt className="font-semibold">{t("page.roles")}</dt>
        <dd>
          <ul>
            {roles.map((role) => (
              <li key={role}>{role}</li>
            ))}
          </ul>
        </dd>
      </dl>
      <p>
        <a href="/account/voter-details">{t("page.voterDetailsLink")}</a>
      </p>
      <h2>{t("page.groups")}</h2>
      {data.groups.length ? (
        <ul className="list-disc pl-6">
          {data.groups.map((g) => (
            <li key={g.id}>{g.name}</li>
          ))}
        </ul>
      ) : (
        <p>{t("page.noGroups")}</p>
      )}
      <h2 id="devices">{t("page.devices")}</h2>
      <table className="mb-4">
        <caption className="sr-only">{t("page.devicesCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("page.browser")}</th>
            <th scope="col">{t("page.signedIn")}</th>
            <th scope="col">{t("page.lastSeen")}</th>
          </tr>
        </thead>
        <tbody>
          {data.devices.map((d) => (
            <tr key={d.key}>
              <td>
                {d.description ? <span translate="no">{d.description}</span> : t("page.unknownBrowser")}
                {d.current ? ` ${t("page.thisDevice")}` : ""}
              </td>
              <td>{d.signedInAt ? format.dateTime(d.signedInAt) : t("page.unknown")}</td>
              <td>{d.lastSeenAt ? format.dateTime(d.lastSeenAt) : t("page.unknown")}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {data.devices.length > 1 ? (
        <Form method="post">
          <input type="hidden" name="intent" value="sign-out-others" />
          <SubmitButton>{t("page.signOutOthers")}</SubmitButton>
        </Form>
      ) : null}
      <h2 id="notifications">{t("page.notifications")}</h2>
      {params.get("saved") === "notifications" ? (
        <p className="notice" role="status">
          {t("page.notificationsSaved")}
        </p>
      ) : null}
      <Form method="post" noValidate className="max-w-2xl">
        <input type="hidden" name="intent" value="notifications" />
        <fieldset className="field">
          <legend className="font-semibold">{t("page.sendMe")}</legend>
          <p className="hint">{t("page.alwaysSent")}</p>
          {NOTIFICATION_TOPIC_LIST.map(({ topic }) => (
            <div key={topic} className="my-2">
              <input
                type="checkbox"
                id={`topic-${topic}`}
                name="topic"
                value={topic}
                defaultChecked={data.notifications[topic]}
                aria-describedby={`topic-${topic}-hint`}
              />{" "}
              <label htmlFor={`topic-${topic}`}>{t(`topics.${topic}.label`)}</label>
              <p id={`topic-${topic}-hint`} className="hint ml-6">
                {t(`topics.${topic}.hint`)}
              </p>
            </div>
          ))}
        </fieldset>
        <SubmitButton>{t("page.saveNotifications")}</SubmitButton>
      </Form>
    </div>
  );
}
