import { useTranslation } from "react-i18next";
import { useFormat } from "~/utils/translate";

export interface AuditRow {
  id: number;
  at: string;
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  reason: string | null;
  before: string | null;
  after: string | null;
}

/**
 * Audit events as a table. Action and record codes (`ward.created`) and the recorded summaries are
 * shown as recorded (marked translate="no"); the table itself is in the reader's language.
 */
export function AuditTable({ events }: { events: AuditRow[] }) {
  const { t } = useTranslation("routes");
  const format = useFormat();
  if (events.length === 0) return <p>{t("audit.nothing")}</p>;
  return (
    <table>
      <caption className="sr-only">{t("audit.caption")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("audit.when")}</th>
          <th scope="col">{t("audit.who")}</th>
          <th scope="col">{t("audit.what")}</th>
          <th scope="col">{t("audit.record")}</th>
          <th scope="col">{t("audit.change")}</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.id}>
            <td className="whitespace-nowrap">{format.dateTime(e.at)}</td>
            <td translate="no">{e.actorName ?? t("audit.system")}</td>
            <td>
              <code translate="no">{e.action}</code>
            </td>
            <td translate="no">
              {e.entityType}
              {e.entityId ? ` ${e.entityId}` : ""}
            </td>
            <td className="break-all text-sm">
              {e.reason ? (
                <p className="m-0">
                  {t("audit.reason", { reason: "" })}
                  <span translate="no">{e.reason}</span>
                </p>
              ) : null}
              {e.before ? (
                <p className="m-0">
                  {t("audit.before", { value: "" })}
                  <span translate="no">{e.before}</span>
                </p>
              ) : null}
              {e.after ? (
                <p className="m-0">
                  {t("audit.after", { value: "" })}
                  <span translate="no">{e.after}</span>
                </p>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
