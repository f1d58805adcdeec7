/**
 * Community groups: registration, members, bank details and the council's verification.
 * Every change is audited in its own transaction. Bank details are readable in full only through
 * `bankDetailsForFinance`; members see the account number masked.
 */
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { checkDuty } from "~/core/access/duties";
import { maskAccountNumber } from "~/core/groups/identifiers";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { communityGroups, groupBankDetails, groupMembers, users, type OrganisationType } from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import type { Principal } from "~/utils/auth.server";
import { Refusal } from "~/utils/refusal";

export function listGroupsOf(userId: string) {
  return db()
    .select({
      id: communityGroups.id,
      name: communityGroups.name,
      organisationType: communityGroups.organisationType,
      verifiedAt: communityGroups.verifiedAt,
      memberRole: groupMembers.memberRole,
    })
    .from(groupMembers)
    .innerJoin(communityGroups, eq(communityGroups.id, groupMembers.groupId))
    .where(eq(groupMembers.userId, userId))
    .orderBy(asc(communityGroups.name))
    .all();
}

export function countGroups() {
  const row = db()
    .select({ all: sql<number>`count(*)`, verified: sql<number>`count(${communityGroups.verifiedAt})` })
    .from(communityGroups)
    .get();
  return { all: row?.all ?? 0, verified: row?.verified ?? 0 };
}

export interface GroupInput {
  name: string;
  organisationType: OrganisationType;
  charityNumber: string | null;
  companyNumber: string | null;
  address: string;
  postcode: string;
  contactEmail: string;
  contactPhone: string | null;
}

const actorOf = (user: Principal): Actor => ({ id: user.id, name: user.name });

/** Registers a group; the person registering it becomes its lead contact. */
export function registerGroup(user: Principal, input: GroupInput, database: Db = db()): number {
  return writeTransaction((tx) => {
    if (tx.select().from(communityGroups).where(eq(communityGroups.name, input.name)).get()) {
      throw new Refusal("A group with this name is already registered. Ask its lead contact to add you as a member.", { field: "name" });
    }
    const group = tx.insert(communityGroups).values({ ...input, createdBy: user.id }).returning({ id: communityGroups.id }).get();
    tx.insert(groupMembers).values({ groupId: group.id, userId: user.id, memberRole: "lead" }).run();
    recordAudit(tx, { actor: actorOf(user), action: "group.registered", entityType: "group", entityId: group.id, after: input });
    return group.id;
  }, database);
}

export function getGroup(groupId: number, database: Db = db()) {
  const group = database.select().from(communityGroups).where(eq(communityGroups.id, groupId)).get();
  if (!group) return null;
  const members = database
    .select({ userId: users.id, name: users.name, email: users.email, memberRole: groupMembers.memberRole })
    .from(groupMembers)
    .innerJoin(users, eq(users.id, groupMembers.userId))
    .where(eq(groupMembers.groupId, groupId))
    .orderBy(asc(users.name))
    .all();
  const bank = currentBankDetails(database, groupId);
  return { group, members, bank: bank ? { accountName: bank.accountName, sortCode: bank.sortCode, accountNumber: maskAccountNumber(bank.accountNumber), enteredAt: bank.enteredAt } : null };
}

function currentBankDetails(database: Db, groupId: number) {
  return database.select().from(groupBankDetails).where(eq(groupBankDetails.groupId, groupId)).orderBy(desc(groupBankDetails.id)).limit(1).get();
}

/** Full bank details, for finance officers only (the route checks the role). */
export function bankDetailsForFinance(groupId: number, database: Db = db()) {
  return currentBankDetails(database, groupId) ?? null;
}

/** Adds an existing account to the group by email (lead contacts only). */
export function addMember(user: Principal, groupId: number, email: string, database: Db = db()) {
  writeTransaction((tx) => {
    const lead = tx.select().from(groupMembers).where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, user.id))).get();
    if (lead?.memberRole !== "lead") throw new Refusal("Only the group's lead contact can add members.");
    const person = tx.select().from(users).where(eq(users.email, email.trim().toLowerCase())).get();
    if (!person) throw new Refusal("No account has this email address. Ask them to register first, then add them.", { field: "email" });
    if (tx.select().from(groupMembers).where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, person.id))).get()) {
      throw new Refusal(`${person.name} is already a member.`, { field: "email" });
    }
    tx.insert(groupMembers).values({ groupId, userId: person.id, memberRole: "member" }).run();
    recordAudit(tx, { actor: actorOf(user), action: "group.member-added", entityType: "group", entityId: groupId, after: { userId: person.id, name: person.name } });
  }, database);
}

/**
 * Records new bank details. If the group was verified, the verification is withdrawn in the same
 * transaction: the council must check the new account before any payment goes to it.
 */
export function setBankDetails(user: Principal, groupId: number, details: { accountName: string; sortCode: string; accountNumber: string }, database: Db = db()): { reverificationNeeded: boolean } {
  return writeTransaction((tx) => {
    const group = tx.select().from(communityGroups).where(eq(communityGroups.id, groupId)).get();
    if (!group) throw new Refusal("That group does not exist.");
    tx.insert(groupBankDetails).values({ groupId, ...details, enteredBy: user.id }).run();
    const reverificationNeeded = group.verifiedAt !== null;
    if (reverificationNeeded) {
      tx.update(communityGroups).set({ verifiedAt: null, verifiedBy: null, verificationNote: null }).where(eq(communityGroups.id, groupId)).run();
    }
    recordAudit(tx, {
      actor: actorOf(user),
      action: "group.bank-details-changed",
      entityType: "group",
      entityId: groupId,
      // Never the account number itself in the audit trail: only its last four digits.
      after: { accountName: details.accountName, sortCode: details.sortCode, accountNumber: maskAccountNumber(details.accountNumber), verificationWithdrawn: reverificationNeeded },
    });
    return { reverificationNeeded };
  }, database);
}

export function listGroupsForAdmin(database: Db = db()) {
  return database.$client
    .prepare(
      `select g.id, g.name, g.organisation_type as organisationType, g.verified_at as verifiedAt, g.created_at as createdAt,
              (select count(*) from group_members m where m.group_id = g.id) as members,
              exists (select 1 from group_bank_details b where b.group_id = g.id) as hasBankDetails
         from community_groups g order by g.verified_at is not null, g.name`,
    )
    .all() as { id: number; name: string; organisationType: OrganisationType; verifiedAt: string | null; createdAt: string; members: number; hasBankDetails: number }[];
}

/** An administrator verifies a group, recording the evidence seen. Never a member of the group. */
export function verifyGroup(user: Principal, groupId: number, evidence: string, database: Db = db()) {
  writeTransaction((tx) => {
    const group = tx.select().from(communityGroups).where(eq(communityGroups.id, groupId)).get();
    if (!group) throw new Refusal("That group does not exist.");
    const duty = checkDuty("review-bid", user, { groupId, wardIds: [] });
    if (!duty.allowed) throw new Refusal(duty.reason);
    if (!currentBankDetails(tx, groupId)) throw new Refusal("The group has not given its bank details yet, so it cannot be verified.");
    const verifiedAt = new Date().toISOString();
    tx.update(communityGroups).set({ verifiedAt, verifiedBy: user.id, verificationNote: evidence }).where(eq(communityGroups.id, groupId)).run();
    recordAudit(tx, { actor: actorOf(user), action: "group.verified", entityType: "group", entityId: groupId, reason: evidence, before: { verifiedAt: group.verifiedAt }, after: { verifiedAt } });
  }, database);
}
