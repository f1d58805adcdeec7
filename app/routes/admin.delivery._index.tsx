/** Officers: the progress updates from funded groups waiting for a check, oldest first. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { updatesAwaitingCheck } from "~/models/delivery-updates.server";
import { requireRole } from "~/utils/auth.server";
import { titleMeta, useFormat } from "~/utils/translate";

export const meta = titleMeta("delivery:queue.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return json({ updates: updatesAwaitingCheck() });
}

export default function DeliveryCheckQueue() {
  const { updates } = useLoaderData<typeof loader>();
  const { t } = useTranslation("delivery");
  const format = useFormat();
  return (
    <div>
      <h1>{t("queue.title")}</h1>
      <p>{t("queue.intro")}</p>
      {updates.length === 0 ? (
        <p>{t("queue.empty")}</p>
      ) : (
        <table className="table">
          <caption className="text-left font-semibold">{t("queue.caption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("queue.project")}</th>
              <th scope="col">{t("queue.group")}</th>
              <th scope="col">{t("queue.posted")}</th>
              <th scope="col">{t("queue.by")}</th>
            </tr>
          </thead>
          <tbody>
            {updates.map((u) => (
              <tr key={u.id}>
                <td>
                  <Link to={`/admin/delivery/${u.id}`}>
                    <span translate="no">{u.title}</span>
                  </Link>{" "}
                  <span className="muted">{u.reference}</span>
                </td>
                <td translate="no">{u.groupName}</td>
                <td>{format.dateTime(u.postedAt)}</td>
                <td translate="no">{u.postedBy}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
