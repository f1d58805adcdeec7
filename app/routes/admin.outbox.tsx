import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { failedOutboxMessages, recentOutboxMessages } from "~/models/notifications.server";
import { requireRole } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Outbox – Wardfund" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  // The stored bodies never hold a private link (see utils/mail.server.ts); the sealed copy is not read here.
  const failed = failedOutboxMessages();
  const messages = recentOutboxMessages();
  return json({ failed, messages });
}

type Message = ReturnType<typeof useLoaderData<typeof loader>>["messages"][number];

const when = (iso: string) => `${iso.replace("T", " ").slice(0, 19)} UTC`;

function deliveryStatus(m: Message): string {
  if (m.transport !== "smtp") return "outbox only (no SMTP server configured when it was queued)";
  if (m.sentAt) return `sent by SMTP ${when(m.sentAt)}${m.attempts > 1 ? ` after ${m.attempts} attempts` : ""}`;
  if (m.failedAt) return `not sent: gave up after ${m.attempts} attempts; last error: ${m.error ?? "unknown"}`;
  if (m.attempts === 0) return "waiting to be sent";
  return `not sent yet: ${m.attempts} attempt${m.attempts === 1 ? "" : "s"}, last error: ${m.error ?? "unknown"}; next try ${m.nextAttemptAt ? when(m.nextAttemptAt) : "soon"}`;
}

export default function Outbox() {
  const { failed, messages } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>Outbox</h1>
      <p>
        Every message Wardfund sends is kept here. Without an SMTP server configured, this is where mail goes. Private
        links (password resets and invitations) are sent to their recipient only and are not shown here.
      </p>
      {failed.length > 0 ? (
        <section className="panel" aria-labelledby="failed-heading" role="alert">
          <h2 id="failed-heading" className="mt-0 text-lg">
            {failed.length === 1 ? "1 message could not be sent" : `${failed.length} messages could not be sent`}
          </h2>
          <p>
            Check the SMTP settings (SMTP_URL) and the addresses below. A password reset or invitation must be asked for
            again.
          </p>
          <ul>
            {failed.map((m) => (
              <li key={m.id}>
                {m.subject} to {m.toAddress}, queued {when(m.createdAt)}: {m.error ?? "unknown error"} ({m.attempts}{" "}
                attempts)
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {messages.length === 0 ? <p>No messages yet.</p> : null}
      {messages.map((m) => (
        <article key={m.id} className="panel" aria-labelledby={`message-${m.id}`}>
          <h2 id={`message-${m.id}`} className="mt-0 text-lg">
            {m.subject}
          </h2>
          <p className="muted">
            To {m.toAddress} · {when(m.createdAt)} · {deliveryStatus(m)}
          </p>
          <pre className="whitespace-pre-wrap break-all font-sans">{m.body}</pre>
        </article>
      ))}
    </div>
  );
}
