/**
 * Ward-budget schemes: a fund for one financial year, its budgets (one per ward, or per councillor)
 * and the BUDGET_SET entry that puts the money in them, all in one transaction. The pot is shared
 * by the pure allocation in core/funds.
 *
 * Setting a year's budgets also commits the later-year tranches of earlier multi-year grants that
 * fall to that year (models/tranches.server.ts), in the same transaction: they are the first call
 * on the new budgets. A tranche the budget cannot cover stays pending with the reason.
 */
import { asc, desc, eq } from "drizzle-orm";
import { AllocationError, allocateScheme, type SplitMethod } from "~/core/funds/allocation";
import { budgetSet, financialYearEnd, financialYearStart, type IsoDate } from "~/core/ledger";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { budgets, funds, roleGrants, users, wards, type OrganisationType } from "~/db/schema";
import { recordAudit } from "~/models/audit.server";
import { answerOnce, keyedRequest } from "~/models/idempotency.server";
import { postEntry } from "~/models/ledger.server";
import { commitPendingTranches } from "~/models/tranches.server";
import type { Principal } from "~/utils/auth.server";
import { Refusal } from "~/utils/refusal";

export interface GrantRules {
  noRetrospectiveCosts: boolean;
  quotesAbovePence: number | null;
  bankAccountInOrganisationName: boolean;
  matchFundingPercent: number | null;
}

export interface SchemeInput {
  name: string;
  fy: string;
  splitMethod: SplitMethod;
  potPence: number | null;
  perCouncillorPence: number | null;
  weights: Record<string, string>;
  budgetMode: "per-ward" | "per-councillor";
  pooledQuorum: number | null;
  minGrantPence: number;
  maxGrantPence: number;
  eligibleTypes: OrganisationType[];
  grantRules: GrantRules;
  criteria: string;
  opensOn: IsoDate;
  closesOn: IsoDate;
  commitmentCutoffOn: IsoDate | null;
  yearEnd: "lapse" | "carry-forward";
  resolutionRef: string | null;
}

export function schemeId(fy: string, existing: readonly string[]): string {
  const base = `WB-${fy.replace("/", "-")}`;
  if (!existing.includes(base)) return base;
  let n = 2;
  while (existing.includes(`${base}-${n}`)) n += 1;
  return `${base}-${n}`;
}

function wardsWithCouncillors(database: Db) {
  const rows = database.select().from(wards).orderBy(asc(wards.gssCode)).all();
  const grants = database
    .select({ wardId: roleGrants.wardId, userId: roleGrants.userId })
    .from(roleGrants)
    .where(eq(roleGrants.role, "councillor"))
    .all();
  return rows.map((w) => ({ ...w, councillorIds: grants.filter((g) => g.wardId === w.id).map((g) => g.userId) }));
}

/** The core split of the pot between the wards; a split it cannot make is a refusal about the split method. */
function splitScheme(input: Parameters<typeof allocateScheme>[0]) {
  try {
    return allocateScheme(input);
  } catch (error) {
    if (error instanceof AllocationError) throw new Refusal(error.message, { field: "splitMethod" });
    throw error;
  }
}

/**
 * Creates the fund, its budgets and the BUDGET_SET entry together, then commits the pending
 * tranches of earlier grants that fall to this year; returns the fund id.
 */
export function createWardBudgetScheme(
  user: Principal,
  input: SchemeInput,
  idempotencyKey: string,
  database: Db = db(),
  now = new Date(),
): string {
  const request = keyedRequest("fund.create-scheme", user, { ...input, idempotencyKey });
  return answerOnce(database, request, () => createSchemeOnce(user, input, idempotencyKey, database, now));
}

function createSchemeOnce(
  user: Principal,
  input: SchemeInput,
  idempotencyKey: string,
  database: Db,
  now: Date,
): string {
  if (input.opensOn > financialYearEnd(input.fy))
    throw new Refusal(`The scheme must open by the end of ${input.fy}.`, { field: "opensOn" });
  if (input.closesOn < input.opensOn) throw new Refusal("The scheme must close after it opens.", { field: "closesOn" });
  return writeTransaction((tx) => {
    const wardRows = wardsWithCouncillors(tx);
    const shares = splitScheme({
      method: input.splitMethod,
      potPence: input.potPence ?? undefined,
      perCouncillorPence: input.perCouncillorPence ?? undefined,
      perCouncillorBudgets: input.budgetMode === "per-councillor",
      wards: wardRows.map((w) => ({
        gssCode: w.gssCode,
        population: w.population,
        weight: input.weights[w.gssCode],
        councillorIds: w.councillorIds,
      })),
    });
    const fundId = schemeId(
      input.fy,
      tx
        .select({ id: funds.id })
        .from(funds)
        .all()
        .map((f) => f.id),
    );
    tx.insert(funds)
      .values({
        id: fundId,
        kind: "ward-budget",
        name: input.name,
        fy: input.fy,
        splitMethod: input.splitMethod,
        potPence: shares.reduce((s, x) => s + x.pence, 0),
        budgetMode: input.budgetMode,
        pooledQuorum: input.pooledQuorum,
        minGrantPence: input.minGrantPence,
        maxGrantPence: input.maxGrantPence,
        eligibleTypes: JSON.stringify(input.eligibleTypes),
        grantRules: JSON.stringify(input.grantRules),
        criteria: input.criteria,
        opensOn: input.opensOn,
        closesOn: input.closesOn,
        commitmentCutoffOn: input.commitmentCutoffOn,
        yearEnd: input.yearEnd,
        createdBy: user.id,
      })
      .run();
    const names = new Map(
      tx
        .select({ id: users.id, name: users.name })
        .from(users)
        .all()
        .map((u) => [u.id, u.name]),
    );
    const allocations = shares.map((share) => {
      const ward = wardRows.find((w) => w.gssCode === share.gssCode)!;
      const budgetId = share.councillorId
        ? `${fundId}-${share.gssCode}-${share.councillorId.slice(0, 8)}`
        : `${fundId}-${share.gssCode}`;
      const name = share.councillorId ? `${ward.name}: ${names.get(share.councillorId) ?? "councillor"}` : ward.name;
      tx.insert(budgets)
        .values({ id: budgetId, fundId, wardId: ward.id, councillorId: share.councillorId, name })
        .run();
      return { budgetId, pence: share.pence };
    });
    recordAudit(tx, {
      actor: user,
      action: "fund.created",
      entityType: "fund",
      entityId: fundId,
      after: { ...input, budgets: allocations.length },
    });
    postEntry(
      {
        draft: budgetSet({
          scheme: fundId,
          fy: input.fy,
          allocations,
          resolutionRef: input.resolutionRef,
          memo: `${input.name}: ${input.splitMethod} split`,
        }),
        idempotencyKey,
        actor: user,
        effectiveDate: input.opensOn < financialYearStart(input.fy) ? financialYearStart(input.fy) : input.opensOn,
      },
      tx,
    );
    commitPendingTranches(tx, user, { fy: input.fy, keyPrefix: idempotencyKey, now });
    return fundId;
  }, database);
}

export function listFunds(database: Db = db()) {
  return database.select().from(funds).orderBy(desc(funds.fy), asc(funds.name)).all();
}
