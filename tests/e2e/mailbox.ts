/**
 * A real SMTP server for the end-to-end tests that follow a link from a mail. Links that carry a
 * token are never kept in the outbox table (only the recipient gets them), so the mail is read where
 * a resident reads it: as delivered. The web server sends to 127.0.0.1 on E2E_PORT + 1
 * (playwright.config.ts); specs that do not start this mailbox leave those messages to be retried.
 */
import { expect } from "@playwright/test";
import { SMTPServer } from "smtp-server";

export interface Delivered {
  to: string[];
  subject: string;
  text: string;
}

function decoded(raw: string): { subject: string; text: string } {
  const split = raw.indexOf("\r\n\r\n");
  const headers = raw.slice(0, split);
  const body = raw.slice(split + 4);
  const subject = /^Subject: (.*)$/im.exec(headers)?.[1] ?? "";
  const text = Buffer.from(
    body.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    "latin1",
  ).toString("utf8");
  return { subject, text };
}

export class Mailbox {
  readonly messages: Delivered[] = [];
  private server: SMTPServer | undefined;

  async open(port = Number(process.env.E2E_PORT ?? 3100) + 1): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          const { subject, text } = decoded(Buffer.concat(chunks).toString("latin1"));
          this.messages.push({ to: session.envelope.rcptTo.map((r) => r.address), subject, text });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(port, "127.0.0.1", resolve));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** The path of the first link to this site in the latest mail to `to` whose subject matches. */
  async linkTo(to: string, subject: RegExp, path: RegExp): Promise<string> {
    let found: string | undefined;
    await expect
      .poll(() => {
        const mail = this.messages.filter((m) => m.to.includes(to) && subject.test(m.subject)).at(-1);
        const url = mail?.text.match(/https?:\/\/\S+/g)?.find((u) => path.test(new URL(u).pathname));
        found = url ? new URL(url).pathname : undefined;
        return found;
      })
      .toBeTruthy();
    return found!;
  }
}
