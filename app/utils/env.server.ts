/**
 * Configuration from the environment, parsed once. In development a missing SESSION_SECRET is
 * generated for this process and printed, so nothing secret is ever committed; in production it
 * must be set.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().min(1).default("./data/wardfund.db"),
  SESSION_SECRET: z.string().min(32).optional(),
  APP_URL: z.string().url().optional(),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default("Wardfund <no-reply@wardfund.invalid>"),
  TRUST_PROXY: z.enum(["0", "1"]).default("0"),
  SIGN_IN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().positive().default(5),
  SIGN_IN_MAX_FAILURES_PER_IP: z.coerce.number().int().positive().default(20),
  SIGN_IN_WINDOW_MINUTES: z.coerce.number().int().positive().default(15),
  // Mail delivery (app/utils/mail.server.ts).
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().positive().default(8),
  MAIL_RETRY_BASE_SECONDS: z.coerce.number().int().positive().default(60),
  MAIL_WORKER_INTERVAL_SECONDS: z.coerce.number().int().positive().default(30),
  // Retention, run by the daily jobs (app/models/retention.server.ts); 0 turns a rule off.
  RETENTION_SESSION_DAYS: z.coerce.number().int().nonnegative().default(30),
  RETENTION_SIGN_IN_FAILURE_DAYS: z.coerce.number().int().nonnegative().default(30),
  RETENTION_TOKEN_DAYS: z.coerce.number().int().nonnegative().default(7),
  RETENTION_MAIL_BODY_DAYS: z.coerce.number().int().nonnegative().default(90),
});

export type Env = z.infer<typeof schema> & { SESSION_SECRET: string };

let cached: Env | undefined;

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
    process.env.SESSION_SECRET = secret;
    if (parsed.data.NODE_ENV === "development") {
      console.warn(`SESSION_SECRET was not set; generated one for this process: ${secret}`);
    }
  }
  cached = { ...parsed.data, SESSION_SECRET: secret };
  return cached;
}

export const isProduction = () => env().NODE_ENV === "production";
