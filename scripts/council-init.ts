/**
 * Creates a real council on an empty database: its name, organisation identifier and financial
 * year start, and its first administrator, who chooses a password through a one-time link printed
 * here once (the invitation link an administrator's invitation would mail; it lasts seven days).
 * Runs the migrations first. Refuses a database that already has a council or any account.
 *
 *   npm run council:init                      (asks for each setting)
 *   npm run council:init -- --name "Northby Borough Council" --org-id GB-LAE-NBY --fy-start 4 \
 *     --admin-email it@northby.gov.uk --admin-name "Jo Bloggs"
 *
 * The link starts with APP_URL (required in production; elsewhere http://localhost:PORT).
 */
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { z } from "zod";
import { migrateDatabase, openDatabase } from "../app/db/client.server";
import { CouncilExistsError, initialiseCouncil } from "../app/models/council.server";
import { withSetupLock } from "./setup-lock";

const MONTHS = [
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

const month = z.string().transform((value, ctx) => {
  const text = value.trim().toLowerCase();
  const byName = MONTHS.findIndex((m) => m === text || m.slice(0, 3) === text);
  const n = byName >= 0 ? byName + 1 : /^\d{1,2}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= 12)) {
    ctx.addIssue({
      code: z.ZodIssueCode.custom,
      message: "give the month the financial year starts: 1 to 12, or its name (4 or April)",
    });
    return z.NEVER;
  }
  return n;
});

const FIELDS = {
  name: {
    flag: "name",
    question: "Council name (e.g. Northby Borough Council)",
    schema: z.string().trim().min(3, "give the council's name").max(200),
  },
  orgIdentifier: {
    flag: "org-id",
    question: "Organisation identifier, from org-id.guide (e.g. GB-LAE-NBY)",
    schema: z
      .string()
      .trim()
      .regex(
        /^[A-Z]{2}-[A-Z0-9]+-[A-Za-z0-9._-]+$/,
        "give an org-id.guide identifier such as GB-LAE-NBY (list prefix, then the council's code)",
      ),
  },
  financialYearStartMonth: {
    flag: "fy-start",
    question: "Month the financial year starts (1–12 or its name)",
    schema: month,
  },
  adminEmail: {
    flag: "admin-email",
    question: "First administrator's email address",
    schema: z.string().trim().email("give a valid email address"),
  },
  adminName: {
    flag: "admin-name",
    question: "First administrator's full name",
    schema: z.string().trim().min(2, "give the administrator's name").max(200),
  },
} as const;

type Field = keyof typeof FIELDS;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const { values: flags } = parseArgs({
  options: Object.fromEntries(Object.values(FIELDS).map((f) => [f.flag, { type: "string" }])) as Record<
    string,
    { type: "string" }
  >,
  strict: true,
});

const production = process.env.NODE_ENV === "production";
const appUrl = (process.env.APP_URL ?? (production ? "" : `http://localhost:${process.env.PORT ?? 3000}`)).replace(
  /\/+$/,
  "",
);
if (!appUrl) fail("Set APP_URL (the site's public address) first: the administrator's link starts with it.");

const answers: Partial<Record<Field, string>> = {};
for (const [key, field] of Object.entries(FIELDS) as [Field, (typeof FIELDS)[Field]][]) {
  const given = flags[field.flag];
  if (typeof given === "string") answers[key] = given;
}
const missing = (Object.keys(FIELDS) as Field[]).filter((key) => answers[key] === undefined);
if (missing.length && !process.stdin.isTTY) {
  fail(
    `council:init needs ${missing.map((key) => `--${FIELDS[key].flag}`).join(", ")} (or run it in a terminal to be asked).`,
  );
}

const parsed: Record<string, unknown> = {};
const problems: string[] = [];
const prompt = missing.length ? createInterface({ input: process.stdin, output: process.stdout }) : null;
for (const key of Object.keys(FIELDS) as Field[]) {
  const field = FIELDS[key];
  for (;;) {
    const raw = answers[key] ?? (await prompt!.question(`${field.question}: `));
    const result = field.schema.safeParse(raw);
    if (result.success) {
      parsed[key] = result.data;
      break;
    }
    const message = `--${field.flag}: ${result.error.issues[0]!.message}`;
    if (answers[key] !== undefined) {
      problems.push(message);
      break;
    }
    console.log(message);
  }
}
prompt?.close();
if (problems.length) fail(`council:init did not create the council:\n  ${problems.join("\n  ")}`);

const file = process.env.DATABASE_URL ?? "./data/wardfund.db";
await withSetupLock(file, () => {
  const database = openDatabase(file);
  globalThis.__wardfundDb = database;
  try {
    migrateDatabase(database);
    const council = parsed as {
      name: string;
      orgIdentifier: string;
      financialYearStartMonth: number;
      adminEmail: string;
      adminName: string;
    };
    const { token } = initialiseCouncil(council, Date.now(), database);
    console.log(
      `Created ${council.name} (${council.orgIdentifier}), financial year starting in ` +
        `${MONTHS[council.financialYearStartMonth - 1]}, in ${file}.`,
    );
    console.log(`\nFirst administrator: ${council.adminName} <${council.adminEmail}>.`);
    console.log("They choose their password by opening this link, which works once and lasts seven days.");
    console.log("It is shown only now: pass it to them privately.\n");
    console.log(`  ${appUrl}/reset-password/${token}\n`);
  } catch (error) {
    if (error instanceof CouncilExistsError) fail(`council:init refused: ${error.message}`);
    throw error;
  } finally {
    database.$client.close();
    globalThis.__wardfundDb = undefined;
  }
});
