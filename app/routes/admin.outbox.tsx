import type { LoaderFunctionArgs } from "@remix-run/node";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { failedOutboxMessages, recentOutboxMessages } from "~/models/notifications.server";
import { requireRole } from "~/utils/auth.server";
import { titleMeta, useFormat } from "~/utils/translate";

export const meta = titleMeta("routes:outbox.title");

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  // The stored bodies never hold a private link (see utils/mail.server.ts); the sealed copy is not read here.
  const failed = failedOutboxMessages();
  const messages = recentOutboxMessages();
  return json({ failed, messages });
}

type Message = ReturnType<typeof useLoaderData<typeof loader>>["messages"][number];

function deliveryStatus(m: Message, t: TFunction, when: (iso: string) => string): string {
  const error = m.error ?? t("outbox.unknownError");
  if (m.transport !== "smtp") return t("outbox.statusOutbox");
  if (m.sentAt)
    return m.attempts > 1
      ? t("outbox.statusSentAfter", { when: when(m.sentAt), attempts: m.attempts })
      : t("outbox.statusSent", { when: when(m.sentAt) });
  if (m.failedAt) return t("outbox.statusGaveUp", { attempts: m.attempts, error });
  if (m.attempts === 0) return t("outbox.statusWaiting");
  return t("outbox.statusRetrying", {
    attempts: m.attempts,
    error,
    next: m.nextAttemptAt ? when(m.nextAttemptAt) : t("outbox.soon"),
  });
}

export default function Outbox() {
  const { failed, messages } = useLoaderData<typeof loader>();
  const { t } = useTranslation("routes");
  const format = useFormat();
  return (
    <div>
      <h1>{t("outbox.title")}</h1>
      <p>{t("outbox.intro")}</p>
      {failed.length > 0 ? (
        <section className="panel" aria-labelledby="failed-heading" role="alert">
          <h2 id="failed-heading" className="mt-0 text-lg">
            {t("outbox.failedHeading", { count: failed.length })}
          </h2>
          <p>{t("outbox.failedHelp")}</p>
          <ul>
            {failed.map((m) => (
              <li key={m.id}>
                {t("outbox.failedItem", {
                  subject: m.subject,
                  to: m.toAddress,
                  when: format.dateTime(m.createdAt),
                  error: m.error ?? t("outbox.unknownError"),
                  attempts: m.attempts,
                })}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {messages.length === 0 ? <p>{t("outbox.none")}</p> : null}
      {messages.map((m) => (
        <article key={m.id} className="panel" aria-labelledby={`message-${m.id}`}>
          <h2 id={`message-${m.id}`} className="mt-0 text-lg" translate="no">
            {m.subject}
          </h2>
          <p className="muted">
            {t("outbox.meta", {
              to: m.toAddress,
              when: format.dateTime(m.createdAt),
              status: deliveryStatus(m, t, format.dateTime),
            })}
          </p>
          <pre className="whitespace-pre-wrap break-all font-sans" translate="no">
            {m.body}
          </pre>
        </article>
      ))}
    </div>
  );
}
