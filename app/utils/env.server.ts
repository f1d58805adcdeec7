/**
 * Configuration from the environment, parsed once. Outside production a missing SESSION_SECRET is
 * generated for this process (the server prints it once at start-up), so nothing secret is ever
 * committed; in production it must be set, and so must APP_URL: the server refuses to start without
 * them (`serverEnvironment`, called by scripts/server.mjs before it listens).
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";

/** An empty variable (`SESSION_SECRET=` in a unit file) counts as unset. */
const optional = <T extends z.ZodTypeAny>(type: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), type.optional());

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().min(1).default("./data/wardfund.db"),
  SESSION_SECRET: optional(z.string().min(32)),
  APP_URL: optional(z.string().url()),
  /** Keys the hashes of residents' register rows (app/models/voting/register.server.ts). */
  REGISTER_KEY: optional(z.string().min(32)),
  SMTP_URL: optional(z.string()),
  MAIL_FROM: z.string().default("Wardfund <no-reply@wardfund.invalid>"),
  TRUST_PROXY: z.enum(["0", "1"]).default("0"),
  SIGN_IN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
  SIGN_IN_MAX_FAILURES_PER_IP: z.coerce.number().int().positive().default(20),
  SIGN_IN_WINDOW_MINUTES: z.coerce.number().int().positive().default(15),
  // Registration, forgotten password and "send the link again": requests per email address and per client.
  ACCOUNT_MAIL_MAX_PER_ADDRESS: z.coerce.number().int().positive().default(3),
  ACCOUNT_MAIL_MAX_PER_CLIENT: z.coerce.number().int().positive().default(20),
  ACCOUNT_MAIL_WINDOW_MINUTES: z.coerce.number().int().positive().default(60),
  // Sessions: staff (councillors, finance officers, administrators, the designated decision-maker) time out.
  STAFF_SESSION_IDLE_MINUTES: z.coerce.number().int().positive().default(30),
  STAFF_SESSION_MAX_HOURS: z.coerce.number().int().positive().default(12),
  RESIDENT_SESSION_DAYS: z.coerce.number().int().positive().default(30),
  // Mail delivery (app/utils/mail.server.ts).
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().positive().default(8),
  MAIL_RETRY_BASE_SECONDS: z.coerce.number().int().positive().default(60),
  MAIL_WORKER_INTERVAL_SECONDS: z.coerce.number().int().positive().default(30),
  // Retention, run by the daily jobs (app/models/retention.server.ts); 0 turns a rule off.
  RETENTION_SIGN_IN_FAILURE_DAYS: z.coerce.number().int().nonnegative().default(30),
  RETENTION_TOKEN_DAYS: z.coerce.number().int().nonnegative().default(7),
  RETENTION_UNVERIFIED_ACCOUNT_DAYS: z.coerce.number().int().nonnegative().default(7),
  RETENTION_MAIL_BODY_DAYS: z.coerce.number().int().nonnegative().default(90),
});

export type Env = z.infer<typeof schema> & { SESSION_SECRET: string };

let cached: Env | undefined;
/** Whether this process made up its SESSION_SECRET (so the server can say so once). */
let generatedSecret = false;

export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}`);
  }
  let secret = parsed.data.SESSION_SECRET;
  if (!secret) {
    if (parsed.data.NODE_ENV === "production") {
      throw new Error("SESSION_SECRET must be set (32+ characters) when NODE_ENV=production");
    }
    secret = randomBytes(32).toString("hex");
    // Set for the whole process, so a reloaded copy of this module keeps the same secret.
    process.env.SESSION_SECRET = secret;
    generatedSecret = true;
  }
  cached = { ...parsed.data, SESSION_SECRET: secret };
  return cached;
}

export const isProduction = () => env().NODE_ENV === "production";

/** Variables production cannot run without, with what each is for. */
const REQUIRED_IN_PRODUCTION = [
  [
    "SESSION_SECRET",
    "at least 32 random characters that sign sessions and voting cookies, e.g. from `openssl rand -hex 32`",
  ],
  ["APP_URL", "the public address of the site, e.g. https://grants.example.gov.uk, used in the links mails carry"],
  [
    "REGISTER_KEY",
    "at least 32 random characters that key the stored hashes of residents' register rows; never change it while " +
      "a round's register is in use",
  ],
] as const;

export type ServerEnvironment = { ok: true; notices: string[] } | { ok: false; message: string };

/**
 * Checked once by the server before it listens. In production it refuses to start without
 * SESSION_SECRET and APP_URL, naming each one missing; elsewhere it returns the notices to print
 * (the generated SESSION_SECRET, once).
 */
export function serverEnvironment(source: NodeJS.ProcessEnv = process.env): ServerEnvironment {
  if (source.NODE_ENV === "production") {
    const missing = REQUIRED_IN_PRODUCTION.filter(([name]) => !source[name]?.trim());
    if (missing.length) {
      const lines = missing.map(([name, what]) => `  ${name}: ${what}`);
      return {
        ok: false,
        message: `Wardfund will not start in production without these settings:\n${lines.join("\n")}`,
      };
    }
  }
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    return { ok: false, message: `Wardfund will not start: these settings are not valid:\n${problems}` };
  }
  const config = env();
  const notices: string[] = [];
  if (generatedSecret) {
    notices.push(
      `SESSION_SECRET was not set, so this process made one up (sessions end when it stops): ${config.SESSION_SECRET}`,
    );
  }
  if (config.NODE_ENV !== "production") {
    notices.push(
      "This is a demo council, not for real grants: NODE_ENV is not production. See README, Starting a real council.",
    );
  }
  return { ok: true, notices };
}
