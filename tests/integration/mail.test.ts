/**
 * Mail delivery against a real SMTP server started here (smtp-server), through nodemailer:
 * absolute links from APP_URL whatever the Host header, private links kept out of the stored copy,
 * retries with backoff, giving up, and what administrators see.
 */
import { eq } from "drizzle-orm";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outbox } from "~/db/schema";
import { checkPasswordToken, grantRoles } from "~/models/accounts.server";
import { registerConfirmed } from "../support/accounts";
import { notifyUsers } from "~/models/notifications.server";
import { action as forgotPassword } from "~/routes/forgot-password";
import { loader as outboxLoader } from "~/routes/admin.outbox";
import { writeTransaction } from "~/db/client.server";
import { drainOutbox, queueMail, REDACTED_LINK, retryDelayMs, type DeliveryPolicy } from "~/utils/mail.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { getRequest, sessionCookieFor } from "../support/requests";

interface Received {
  to: string[];
  text: string;
}

/** The text of a received message: headers dropped, quoted-printable undone. */
function decodedBody(raw: string): string {
  const body = raw.slice(raw.indexOf("\r\n\r\n") + 4);
  return Buffer.from(
    body.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    "latin1",
  ).toString("utf8");
}

let t: TestDatabase;
let server: SMTPServer;
const received: Received[] = [];
/** Addresses the server refuses with a temporary error. */
const refused = new Set<string>();

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refused.has(address.address)) {
        const error = new Error("Mailbox temporarily unavailable") as Error & { responseCode: number };
        error.responseCode = 450;
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          text: decodedBody(Buffer.concat(chunks).toString("latin1")),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.server.address() as { port: number }).port;
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
  process.env.APP_URL = "https://grants.eastbrook.example";
  t = await createTestDatabase();
  await registerConfirmed({
    name: "Finn Officer",
    email: "finn@eastbrook.example",
    password: "a long enough password",
    postcode: "EB1 1AA",
  });
  await registerConfirmed({
    name: "Rae Admin",
    email: "rae@eastbrook.example",
    password: "a long enough password",
    postcode: "EB1 1AA",
  });
});

afterAll(async () => {
  t.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("mail links", () => {
  it("builds a reset link from APP_URL, not the Host header, and keeps it out of the stored copy", async () => {
    const before = received.length;
    const forged = new Request("http://evil.example/forgot-password", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: "http://evil.example",
        Host: "evil.example",
      },
      body: new URLSearchParams({ email: "finn@eastbrook.example" }),
    });
    const response = await forgotPassword({ request: forged, params: {}, context: {} });
    expect(response.status).toBe(200);

    const delivered = received.slice(before);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.to).toEqual(["finn@eastbrook.example"]);
    const sentLink = /https:\/\/grants\.eastbrook\.example\/reset-password\/([A-Za-z0-9_-]+)/.exec(delivered[0]!.text);
    expect(sentLink).not.toBeNull();
    expect(delivered[0]!.text).not.toContain("evil.example");
    expect(checkPasswordToken(sentLink![1]!)).toMatchObject({ ok: true, purpose: "reset" });

    const stored = t.db.select().from(outbox).where(eq(outbox.toAddress, "finn@eastbrook.example")).all().at(-1)!;
    expect(stored.sentAt).not.toBeNull();
    expect(stored.attempts).toBe(1);
    expect(stored.body).toContain(REDACTED_LINK);
    expect(stored.body).not.toContain(sentLink![1]!);
    expect(stored.sealedBody).toBeNull();
  });

  it("makes bare site paths in a body absolute", () => {
    const id = writeTransaction((tx) =>
      queueMail(tx, {
        to: "finn@eastbrook.example",
        subject: "Offer",
        body: "Read and accept the grant offer at /bids/10/offer. Or see (/finance/payments); 2031/32 stays.",
      }),
    );
    const stored = t.db.select().from(outbox).where(eq(outbox.id, id)).get()!;
    expect(stored.body).toBe(
      "Read and accept the grant offer at https://grants.eastbrook.example/bids/10/offer. Or see " +
        "(https://grants.eastbrook.example/finance/payments); 2031/32 stays.",
    );
  });
});

describe("the outbox worker", () => {
  const policy: DeliveryPolicy = { maxAttempts: 3, retryBaseMs: 60_000, leaseMs: 300_000 };

  it("sends everything queued, including messages no route delivered", async () => {
    await drainOutbox({ policy });
    const before = received.length;
    const users = t.db.$client.prepare("select id from users").all() as { id: string }[];
    const ids = writeTransaction((tx) =>
      notifyUsers(tx, {
        userIds: users.map((u) => u.id),
        topic: "essential",
        subject: "Your bid EB-1 has been approved",
        body: "See the bid at /bids/1.",
      }),
    );
    expect(ids).toHaveLength(2);
    const summary = await drainOutbox({ policy });
    expect(summary).toEqual({ sent: 2, retrying: 0, failed: 0 });
    const delivered = received.slice(before);
    expect(delivered.map((m) => m.to[0]).sort()).toEqual(["finn@eastbrook.example", "rae@eastbrook.example"]);
    expect(delivered[0]!.text).toContain("See the bid at https://grants.eastbrook.example/bids/1.");
    expect(await drainOutbox({ policy })).toEqual({ sent: 0, retrying: 0, failed: 0 });
  });

  it("retries a failure with exponential backoff, records each attempt and gives up after the last", async () => {
    refused.add("rae@eastbrook.example");
    const [id] = writeTransaction((tx) => [
      queueMail(tx, {
        to: "rae@eastbrook.example",
        subject: "Monitoring report due",
        body: "Tell us at /bids/3/monitoring.",
      }),
    ]);
    const start = Date.parse("2031-01-01T09:00:00Z");
    let clock = start;
    const now = () => new Date(clock);
    const row = () => t.db.select().from(outbox).where(eq(outbox.id, id!)).get()!;

    expect(await drainOutbox({ policy, now })).toMatchObject({ retrying: 1 });
    expect(row()).toMatchObject({
      attempts: 1,
      sentAt: null,
      failedAt: null,
      nextAttemptAt: new Date(start + 60_000).toISOString(),
    });
    expect(row().error).toContain("Mailbox temporarily unavailable");

    clock = start + 30_000; // not due yet
    expect(await drainOutbox({ policy, now })).toEqual({ sent: 0, retrying: 0, failed: 0 });
    expect(row().attempts).toBe(1);

    clock = start + 60_000;
    expect(await drainOutbox({ policy, now })).toMatchObject({ retrying: 1 });
    expect(row()).toMatchObject({
      attempts: 2,
      nextAttemptAt: new Date(clock + retryDelayMs(2, policy)).toISOString(),
    });
    expect(retryDelayMs(2, policy)).toBe(120_000);

    clock += 120_000;
    expect(await drainOutbox({ policy, now })).toMatchObject({ failed: 1 });
    expect(row()).toMatchObject({ attempts: 3, sentAt: null, nextAttemptAt: null, sealedBody: null });
    expect(row().failedAt).not.toBeNull();

    clock += 10 * 86_400_000;
    expect(await drainOutbox({ policy, now })).toEqual({ sent: 0, retrying: 0, failed: 0 });
    refused.delete("rae@eastbrook.example");

    // Administrators see the failure, and no stored body holds a private link.
    const rae = t.db.$client.prepare("select id from users where email = ?").get("rae@eastbrook.example") as {
      id: string;
    };
    writeTransaction((tx) => grantRoles(tx, rae.id, ["admin"], []));
    const cookie = await sessionCookieFor("rae@eastbrook.example");
    const response = await outboxLoader({ request: getRequest("/admin/outbox", cookie), params: {}, context: {} });
    const data = (await response.json()) as { failed: { id: number; error: string }[]; messages: { body: string }[] };
    expect(data.failed.map((m) => m.id)).toContain(id);
    expect(data.failed[0]!.error).toContain("Mailbox temporarily unavailable");
    expect(data.messages.some((m) => /reset-password\/[A-Za-z0-9_-]{20,}/.test(m.body))).toBe(false);
    expect(data.messages.some((m) => m.body.includes(REDACTED_LINK))).toBe(true);
  });
});
