/**
 * A council for grant-lifecycle tests that run many sequences: one migrated and seeded template
 * database file, built once, copied to a fresh file for each sequence (a file copy costs far less
 * than migrating and seeding), and opened with synchronous=OFF and an in-memory rollback journal
 * because nothing here has to survive a power cut.
 *
 * The template holds the demo council's people and places (no ledger history), a third finance
 * officer (so a payment can be requested, confirmed and reversed by different people), and ward
 * budgets for this financial year and the next, set through the app's own scheme model.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { eq } from "drizzle-orm";
import { financialYearOf, londonDateOf, nextFinancialYear } from "~/core/ledger";
import { migrateDatabase, openDatabase, type Db } from "~/db/client.server";
import { seedDemoCouncil } from "../../scripts/seed/council";
import * as schema from "~/db/schema";
import { roleGrants, users } from "~/db/schema";
import { createWardBudgetScheme, type SchemeInput } from "~/models/funds.server";
import { loadPrincipal } from "~/utils/auth.server";

export const THIS_FY = financialYearOf(londonDateOf(new Date()));
export const NEXT_FY = nextFinancialYear(THIS_FY);

/** A ward-budget scheme for `fy`: the pot split equally across the ten wards, lapsing at year end. */
export function wardScheme(fy: string, potPence: number): SchemeInput {
  const start = Number(fy.slice(0, 4));
  return {
    name: `Councillor Ward Budgets ${fy}`,
    fy,
    splitMethod: "equal",
    potPence,
    perCouncillorPence: null,
    weights: {},
    budgetMode: "per-ward",
    pooledQuorum: null,
    minGrantPence: 1_000,
    maxGrantPence: 500_000,
    eligibleTypes: [
      "registered-charity",
      "constituted-group",
      "cio",
      "school-pta",
      "cic",
      "faith-group",
      "company-limited-by-guarantee",
    ],
    grantRules: {
      noRetrospectiveCosts: false,
      quotesAbovePence: null,
      bankAccountInOrganisationName: true,
      matchFundingPercent: null,
    },
    criteria: "Projects that benefit residents of the ward.",
    opensOn: `${start}-04-01`,
    closesOn: `${start + 1}-03-31`,
    commitmentCutoffOn: null,
    yearEnd: "lapse",
    resolutionRef: `Cabinet ${start}-02-10`,
  };
}

export interface GrantTemplate {
  file: string;
  thisFundId: string;
  nextFundId: string;
  dispose(): void;
}

/**
 * Builds the template file: migrated, people seeded, a third finance officer, £10,000 a ward this
 * year and £5,000 a ward next year. Returns its path and the two funds' ids.
 */
export async function createGrantTemplate(
  options: { thisYearPotPence?: number; nextYearPotPence?: number } = {},
): Promise<GrantTemplate> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wardfund-grant-world-"));
  const file = path.join(dir, "template.db");
  const database = openDatabase(file);
  const previous = globalThis.__wardfundDb;
  globalThis.__wardfundDb = database;
  try {
    migrateDatabase(database);
    await seedDemoCouncil(database, { withLedger: false });
    const admin2 = database.select().from(users).where(eq(users.email, "admin2@eastbrook.example")).get()!;
    database.insert(roleGrants).values({ userId: admin2.id, role: "finance" }).run();
    const finance = loadPrincipal(
      database.select().from(users).where(eq(users.email, "finance@eastbrook.example")).get()!.id,
      database,
    )!;
    const thisFundId = createWardBudgetScheme(
      finance,
      wardScheme(THIS_FY, options.thisYearPotPence ?? 10_000_000),
      "template-this-year",
      database,
    );
    const nextFundId = createWardBudgetScheme(
      finance,
      wardScheme(NEXT_FY, options.nextYearPotPence ?? 5_000_000),
      "template-next-year",
      database,
    );
    database.$client.pragma("wal_checkpoint(TRUNCATE)");
    database.$client.pragma("journal_mode = DELETE");
    database.$client.close();
    return { file, thisFundId, nextFundId, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
  } finally {
    globalThis.__wardfundDb = previous;
  }
}

export interface GrantWorld {
  db: Db;
  file: string;
  close(): void;
}

/**
 * A fresh copy of the template at `file` (overwritten), opened for speed and installed as the
 * app's database handle until `close()`.
 */
export function openTemplateCopy(
  template: GrantTemplate,
  file = path.join(path.dirname(template.file), `run-${process.pid}.db`),
): GrantWorld {
  fs.copyFileSync(template.file, file);
  const sqlite = new Database(file);
  sqlite.pragma("journal_mode = MEMORY");
  sqlite.pragma("synchronous = OFF");
  sqlite.pragma("foreign_keys = ON");
  const database = drizzle(sqlite, { schema }) as Db;
  globalThis.__wardfundDb = database;
  return {
    db: database,
    file,
    close() {
      sqlite.close();
      if (globalThis.__wardfundDb === database) globalThis.__wardfundDb = undefined;
    },
  };
}

/**
 * Gives each test of a file a fresh copy of one grant world: registers the hooks that build the template
 * once, copy it before each test and close the copy after. `opened` receives each copy and the template
 * (`useGrantWorld((w, t) => ((world = w), (template = t)))`).
 */
export function useGrantWorld(opened: (world: GrantWorld, template: GrantTemplate) => void): void {
  let template: GrantTemplate | undefined;
  let world: GrantWorld | undefined;
  beforeAll(async () => {
    template = await createGrantTemplate();
  });
  afterAll(() => template?.dispose());
  beforeEach(() => {
    world = openTemplateCopy(template!);
    opened(world, template!);
  });
  afterEach(() => world?.close());
}
