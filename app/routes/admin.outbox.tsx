import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { recentOutboxMessages } from "~/models/notifications.server";
import { requireRole } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Outbox – Wardfund" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const messages = recentOutboxMessages();
  return json({ messages });
}

export default function Outbox() {
  const { messages } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>Outbox</h1>
      <p>Every message Wardfund sends is kept here. Without an SMTP server configured, this is where mail goes.</p>
      {messages.length === 0 ? <p>No messages yet.</p> : null}
      {messages.map((m) => (
        <article key={m.id} className="panel" aria-labelledby={`message-${m.id}`}>
          <h2 id={`message-${m.id}`} className="mt-0 text-lg">
            {m.subject}
          </h2>
          <p className="muted">
            To {m.toAddress} · {m.createdAt.replace("T", " ").slice(0, 19)} UTC ·{" "}
            {m.transport === "smtp" ? (m.sentAt ? "sent by SMTP" : m.error ? `not sent: ${m.error}` : "waiting") : "outbox only"}
          </p>
          <pre className="whitespace-pre-wrap break-all font-sans">{m.body}</pre>
        </article>
      ))}
    </div>
  );
}
