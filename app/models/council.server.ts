/**
 * The council's settings, its wards and the postcode table. Every change is audited in the same
 * transaction.
 */
import { randomUUID } from "node:crypto";
import { asc, eq, sql } from "drizzle-orm";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { preparedPerConnection } from "~/db/prepared.server";
import { councilSettings, postcodes, roleGrants, users, wards } from "~/db/schema";
import type { RowProblem } from "~/core/places/postcode-directory";
import { recordAudit, type Actor } from "~/models/audit.server";
import { grantRoles, INVITE_TOKEN_DAYS, issueToken, normaliseEmail } from "~/models/accounts.server";
import { Refusal } from "~/utils/refusal";

export type CouncilSettings = typeof councilSettings.$inferSelect;
export type Ward = typeof wards.$inferSelect;

/** Every page reads the settings (for the languages offered), so the query is prepared once per connection. */
const settingsQuery = preparedPerConnection((database: Db) =>
  database.select().from(councilSettings).where(eq(councilSettings.id, 1)).prepare(),
);

export function getCouncilSettings(database: Db = db()): CouncilSettings | undefined {
  return settingsQuery(database).get();
}

export function updateCouncilSettings(
  actor: Actor,
  input: {
    name: string;
    orgIdentifier: string;
    financialYearStartMonth: number;
    designatedDecisionMaker: string;
    designatedDecisionMakerId?: string | null;
    /** "en" or "cy,en" (app/i18n.ts); left as it is when not given. */
    languages?: string;
  },
): void {
  writeTransaction((tx) => {
    const before = getCouncilSettings(tx);
    const values = { ...input, updatedAt: new Date().toISOString() };
    if (before) tx.update(councilSettings).set(values).where(eq(councilSettings.id, 1)).run();
    else
      tx.insert(councilSettings)
        .values({ id: 1, ...values })
        .run();
    recordAudit(tx, {
      actor,
      action: "council.settings-changed",
      entityType: "council",
      entityId: 1,
      before: before && {
        name: before.name,
        orgIdentifier: before.orgIdentifier,
        financialYearStartMonth: before.financialYearStartMonth,
        designatedDecisionMaker: before.designatedDecisionMaker,
        designatedDecisionMakerId: before.designatedDecisionMakerId,
        languages: before.languages,
      },
      after: input,
    });
  });
}

export interface NewCouncil {
  name: string;
  orgIdentifier: string;
  financialYearStartMonth: number;
  adminName: string;
  adminEmail: string;
}

/** council:init refuses a database that already has a council or any account. */
export class CouncilExistsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CouncilExistsError";
  }
}

/**
 * Creates the council on an empty database: its settings and its first administrator, an account
 * with no password yet. Returns the administrator's id and a one-time invitation token (the same
 * kind an administrator's invitation mails), valid for INVITE_TOKEN_DAYS, for the caller to print.
 */
export function initialiseCouncil(
  input: NewCouncil,
  now = Date.now(),
  database: Db = db(),
): { adminId: string; token: string } {
  return writeTransaction((tx) => {
    const existing = getCouncilSettings(tx);
    if (existing)
      throw new CouncilExistsError(
        `This database already has a council (${existing.name}); council:init only sets up an empty one.`,
      );
    const accounts =
      tx
        .select({ n: sql<number>`count(*)` })
        .from(users)
        .get()?.n ?? 0;
    if (accounts > 0)
      throw new CouncilExistsError(
        `This database already has ${accounts} accounts; council:init only sets up an empty one.`,
      );
    const at = new Date(now).toISOString();
    const settings = {
      name: input.name,
      orgIdentifier: input.orgIdentifier,
      financialYearStartMonth: input.financialYearStartMonth,
    };
    tx.insert(councilSettings)
      .values({ id: 1, ...settings, updatedAt: at })
      .run();
    const adminId = randomUUID();
    const email = normaliseEmail(input.adminEmail);
    tx.insert(users).values({ id: adminId, email, name: input.adminName, createdAt: at }).run();
    grantRoles(tx, adminId, ["admin"], []);
    const token = issueToken(tx, adminId, "invite", INVITE_TOKEN_DAYS * 86_400_000, now);
    recordAudit(tx, {
      actor: null,
      action: "council.initialised",
      entityType: "council",
      entityId: 1,
      after: { ...settings, adminEmail: email },
    });
    return { adminId, token };
  }, database);
}

export function listWards(database: Db = db()) {
  const rows = database.select().from(wards).orderBy(asc(wards.name)).all();
  const councillors = database
    .select({ wardId: roleGrants.wardId, userId: users.id, name: users.name })
    .from(roleGrants)
    .innerJoin(users, eq(users.id, roleGrants.userId))
    .where(eq(roleGrants.role, "councillor"))
    .orderBy(asc(users.name))
    .all();
  const postcodeCounts = database
    .select({ gss: postcodes.wardGssCode, n: sql<number>`count(*)` })
    .from(postcodes)
    .groupBy(postcodes.wardGssCode)
    .all();
  return rows.map((w) => ({
    ...w,
    councillors: councillors.filter((c) => c.wardId === w.id).map((c) => ({ id: c.userId, name: c.name })),
    postcodeCount: postcodeCounts.find((p) => p.gss === w.gssCode)?.n ?? 0,
  }));
}

export function getWard(id: number) {
  return db().select().from(wards).where(eq(wards.id, id)).get();
}

function assertWardUnique(tx: Db, input: { name: string; gssCode: string }, exceptId?: number) {
  const sameCode = tx.select().from(wards).where(eq(wards.gssCode, input.gssCode)).get();
  if (sameCode && sameCode.id !== exceptId)
    throw new Refusal(`${sameCode.name} already has the code ${input.gssCode}.`, { field: "gssCode", status: 400 });
  const sameName = tx.select().from(wards).where(eq(wards.name, input.name)).get();
  if (sameName && sameName.id !== exceptId)
    throw new Refusal(`There is already a ward called ${input.name}.`, { field: "name", status: 400 });
}

export function createWard(
  actor: Actor,
  input: { name: string; nameCy?: string | null; gssCode: string; population: number },
): Ward {
  return writeTransaction((tx) => {
    assertWardUnique(tx, input);
    const ward = tx.insert(wards).values(input).returning().get();
    recordAudit(tx, { actor, action: "ward.created", entityType: "ward", entityId: ward.id, after: input });
    return ward;
  });
}

export function updateWard(
  actor: Actor,
  id: number,
  input: { name: string; nameCy?: string | null; gssCode: string; population: number },
): void {
  writeTransaction((tx) => {
    const before = tx.select().from(wards).where(eq(wards.id, id)).get();
    if (!before) throw Refusal.notFound("Ward not found");
    assertWardUnique(tx, input, id);
    tx.update(wards).set(input).where(eq(wards.id, id)).run();
    if (before.gssCode !== input.gssCode) {
      tx.update(postcodes).set({ wardGssCode: input.gssCode }).where(eq(postcodes.wardGssCode, before.gssCode)).run();
    }
    recordAudit(tx, {
      actor,
      action: "ward.updated",
      entityType: "ward",
      entityId: id,
      before: { name: before.name, nameCy: before.nameCy, gssCode: before.gssCode, population: before.population },
      after: input,
    });
  });
}

/** Sets exactly which users are councillors of a ward. */
export function setWardCouncillors(actor: Actor, wardId: number, userIds: string[]): void {
  writeTransaction((tx) => {
    const current = tx
      .select({ userId: roleGrants.userId })
      .from(roleGrants)
      .where(sql`${roleGrants.role} = 'councillor' and ${roleGrants.wardId} = ${wardId}`)
      .all()
      .map((r) => r.userId);
    const removed = current.filter((id) => !userIds.includes(id));
    const added = userIds.filter((id) => !current.includes(id));
    for (const userId of removed) {
      tx.delete(roleGrants)
        .where(
          sql`${roleGrants.userId} = ${userId} and ${roleGrants.role} = 'councillor' and ${roleGrants.wardId} =
            ${wardId}`,
        )
        .run();
    }
    for (const userId of added) tx.insert(roleGrants).values({ userId, role: "councillor", wardId }).run();
    if (removed.length || added.length) {
      recordAudit(tx, {
        actor,
        action: "ward.councillors-changed",
        entityType: "ward",
        entityId: wardId,
        before: current.sort(),
        after: [...userIds].sort(),
      });
    }
  });
}

export interface PostcodeImportSummary {
  imported: number;
  replaced: number;
  problems: RowProblem[];
}

/**
 * Upserts postcode → ward rows in one transaction (thousands of rows take milliseconds with a
 * prepared statement). Bad rows were already set aside by the reader; they are reported, and the
 * good rows are kept.
 */
export function importPostcodes(
  actor: Actor,
  fileName: string,
  rows: { postcode: string; wardGssCode: string }[],
  problems: RowProblem[],
): PostcodeImportSummary {
  return writeTransaction((tx) => {
    const client = tx.$client;
    const existing = client.prepare("select ward_gss_code from postcodes where postcode = ?").pluck();
    const upsert = client.prepare(
      "insert into postcodes (postcode, ward_gss_code) values (?, ?) on conflict(postcode) do update set " +
        "ward_gss_code = excluded.ward_gss_code",
    );
    let replaced = 0;
    for (const row of rows) {
      const before = existing.get(row.postcode) as string | undefined;
      if (before !== undefined && before !== row.wardGssCode) replaced += 1;
      upsert.run(row.postcode, row.wardGssCode);
    }
    recordAudit(tx, {
      actor,
      action: "postcodes.imported",
      entityType: "postcodes",
      entityId: fileName,
      after: { imported: rows.length, replaced, badRows: problems.length },
    });
    return { imported: rows.length, replaced, problems };
  });
}

export function wardForPostcode(postcode: string) {
  return db()
    .select({ id: wards.id, name: wards.name, gssCode: wards.gssCode })
    .from(postcodes)
    .innerJoin(wards, eq(wards.gssCode, postcodes.wardGssCode))
    .where(eq(postcodes.postcode, postcode))
    .get();
}

export function countPostcodes(): number {
  return (
    db()
      .select({ n: sql<number>`count(*)` })
      .from(postcodes)
      .get()?.n ?? 0
  );
}
