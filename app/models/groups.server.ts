/**
 * Community groups: registration, members, bank details and the council's verification.
 * Every change is audited in its own transaction. Bank details are readable in full only through
 * `bankDetailsForFinance`; members see the account number masked.
 */
import { and, asc, desc, eq, sql } from "drizzle-orm";
import { checkDuty } from "~/core/access/duties";
import { maskAccountNumber } from "~/core/groups/identifiers";
import { messageKey, type MessageValues } from "~/core/messages/message-key";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { communityGroups, groupBankDetails, groupMembers, roleGrants, users, type OrganisationType } from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import { notifyUsers } from "~/models/notifications.server";
import type { Principal } from "~/utils/auth.server";
import { Refusal } from "~/utils/refusal";

/** A refusal's message: payments:group.<name> with its values, shown in the reader's language. */
const says = (name: string, values?: MessageValues): string => messageKey(`payments:group.${name}`, values);

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
      throw new Refusal(says("nameTaken"), {
        field: "name",
      });
    }
    const group = tx
      .insert(communityGroups)
      .values({ ...input, createdBy: user.id })
      .returning({ id: communityGroups.id })
      .get();
    tx.insert(groupMembers).values({ groupId: group.id, userId: user.id, memberRole: "lead" }).run();
    recordAudit(tx, {
      actor: actorOf(user),
      action: "group.registered",
      entityType: "group",
      entityId: group.id,
      after: input,
    });
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
  return {
    group,
    members,
    bank: bank
      ? {
          id: bank.id,
          version: bank.version,
          accountName: bank.accountName,
          sortCode: bank.sortCode,
          accountNumber: maskAccountNumber(bank.accountNumber),
          enteredAt: bank.enteredAt,
          enteredByName: nameOf(database, bank.enteredBy),
        }
      : null,
    verification: verificationOf(database, group),
  };
}

/**
 * Which version of the bank details the council verified, when and by whom, and whether it is still
 * the current one (it always is while the group is verified: a change withdraws the verification).
 */
function verificationOf(database: Db, group: typeof communityGroups.$inferSelect) {
  if (!group.verifiedAt || group.verifiedBankDetailsId === null) return null;
  const seen = database
    .select()
    .from(groupBankDetails)
    .where(eq(groupBankDetails.id, group.verifiedBankDetailsId))
    .get();
  if (!seen) return null;
  return {
    bankDetailsId: seen.id,
    version: seen.version,
    verifiedAt: group.verifiedAt,
    verifiedByName: group.verifiedBy ? nameOf(database, group.verifiedBy) : null,
    note: group.verificationNote,
    isCurrent: currentBankDetails(database, group.id)?.id === seen.id,
  };
}

function nameOf(database: Db, userId: string): string | null {
  return database.select({ name: users.name }).from(users).where(eq(users.id, userId)).get()?.name ?? null;
}

function currentBankDetails(database: Db, groupId: number) {
  return database
    .select()
    .from(groupBankDetails)
    .where(eq(groupBankDetails.groupId, groupId))
    .orderBy(desc(groupBankDetails.version))
    .limit(1)
    .get();
}

/** Full bank details, for finance officers only (the route checks the role). */
export function bankDetailsForFinance(groupId: number, database: Db = db()) {
  return currentBankDetails(database, groupId) ?? null;
}

/**
 * Refuses unless the group's current bank details are the version the council verified: no payment is
 * requested or confirmed to an account nobody checked. Call it inside the payment's transaction.
 */
export function assertPayableBankDetails(tx: Db, groupId: number): void {
  const group = tx.select().from(communityGroups).where(eq(communityGroups.id, groupId)).get();
  const current = currentBankDetails(tx, groupId);
  if (!current)
    throw new Refusal(says("noBankDetails"), {
      code: "bank-details-missing",
    });
  if (!group?.verifiedAt || group.verifiedBankDetailsId !== current.id) {
    throw new Refusal(says("bankUnverified", { version: current.version }), { code: "bank-details-unverified" });
  }
}

function membershipOf(tx: Db, groupId: number, userId: string) {
  return tx
    .select()
    .from(groupMembers)
    .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, userId)))
    .get();
}

function leadCount(tx: Db, groupId: number): number {
  return (
    tx
      .select({ n: sql<number>`count(*)` })
      .from(groupMembers)
      .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.memberRole, "lead")))
      .get()?.n ?? 0
  );
}

/**
 * Leaves a group. Any member may; the last lead contact must first hand the role to another member,
 * so a group is never left without one. (Members join only by accepting an invitation:
 * invitations.server.ts.)
 */
export function leaveGroup(user: Principal, groupId: number, database: Db = db()): void {
  writeTransaction((tx) => {
    const membership = membershipOf(tx, groupId, user.id);
    if (!membership) throw new Refusal(says("notMember"), { status: 403 });
    if (membership.memberRole === "lead" && leadCount(tx, groupId) <= 1) {
      throw new Refusal(says("onlyLead"));
    }
    tx.delete(groupMembers)
      .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, user.id)))
      .run();
    recordAudit(tx, {
      actor: actorOf(user),
      action: "group.member-left",
      entityType: "group",
      entityId: groupId,
      before: { userId: user.id, name: user.name, memberRole: membership.memberRole },
    });
  }, database);
}

/** Makes another member the lead contact in place of `user` (who stays a member). Lead contacts only. */
export function handOverLead(user: Principal, groupId: number, toUserId: string, database: Db = db()): void {
  writeTransaction((tx) => {
    if (membershipOf(tx, groupId, user.id)?.memberRole !== "lead") {
      throw new Refusal(says("leadHandsOver"), { status: 403 });
    }
    const next = membershipOf(tx, groupId, toUserId);
    if (!next || toUserId === user.id) throw new Refusal(says("chooseMember"), { field: "memberId" });
    tx.update(groupMembers)
      .set({ memberRole: "lead" })
      .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, toUserId)))
      .run();
    tx.update(groupMembers)
      .set({ memberRole: "member" })
      .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, user.id)))
      .run();
    recordAudit(tx, {
      actor: actorOf(user),
      action: "group.lead-handed-over",
      entityType: "group",
      entityId: groupId,
      before: { lead: user.id },
      after: { lead: toUserId },
    });
  }, database);
}

/**
 * Records new bank details as the group's next version. If the group was verified, the verification
 * is withdrawn in the same transaction and finance officers are told: the council must check the new
 * account before any payment goes to it.
 */
export function setBankDetails(
  user: Principal,
  groupId: number,
  details: { accountName: string; sortCode: string; accountNumber: string },
  database: Db = db(),
): { reverificationNeeded: boolean; version: number } {
  return writeTransaction((tx) => {
    const group = tx.select().from(communityGroups).where(eq(communityGroups.id, groupId)).get();
    if (!group) throw new Refusal(says("noGroup"));
    const version = (currentBankDetails(tx, groupId)?.version ?? 0) + 1;
    tx.insert(groupBankDetails)
      .values({ groupId, version, ...details, enteredBy: user.id })
      .run();
    recordAudit(tx, {
      actor: actorOf(user),
      action: "group.bank-details-changed",
      entityType: "group",
      entityId: groupId,
      // Never the account number itself in the audit trail: only its last four digits.
      after: {
        version,
        accountName: details.accountName,
        sortCode: details.sortCode,
        accountNumber: maskAccountNumber(details.accountNumber),
        verificationWithdrawn: group.verifiedAt !== null,
      },
    });
    const reverificationNeeded = group.verifiedAt !== null;
    if (reverificationNeeded) withdrawVerification(tx, user, group, version);
    return { reverificationNeeded, version };
  }, database);
}

function withdrawVerification(tx: Db, user: Principal, group: typeof communityGroups.$inferSelect, newVersion: number) {
  const verified = group.verifiedBankDetailsId
    ? tx
        .select({ version: groupBankDetails.version })
        .from(groupBankDetails)
        .where(eq(groupBankDetails.id, group.verifiedBankDetailsId))
        .get()
    : undefined;
  tx.update(communityGroups)
    .set({ verifiedAt: null, verifiedBy: null, verificationNote: null, verifiedBankDetailsId: null })
    .where(eq(communityGroups.id, group.id))
    .run();
  const reason = `Bank details changed to version ${newVersion} after version ${verified?.version ?? "?"} was verified`;
  recordAudit(tx, {
    actor: actorOf(user),
    action: "group.verification-withdrawn",
    entityType: "group",
    entityId: group.id,
    reason,
    before: { verifiedAt: group.verifiedAt, verifiedVersion: verified?.version ?? null },
    after: { verifiedAt: null, currentVersion: newVersion },
  });
  notifyUsers(tx, {
    userIds: financeOfficerIds(tx),
    topic: "essential",
    subject: (t) => t("mail:bankDetailsChanged.subject", { group: group.name }),
    body: (t) =>
      t("mail:bankDetailsChanged.body", {
        person: user.name,
        group: group.name,
        version: newVersion,
        verified: verified?.version ?? "?",
        path: `/admin/groups/${group.id}`,
      }),
  });
}

function financeOfficerIds(tx: Db): string[] {
  return tx
    .selectDistinct({ id: roleGrants.userId })
    .from(roleGrants)
    .where(eq(roleGrants.role, "finance"))
    .all()
    .map((r) => r.id);
}

export function listGroupsForAdmin(database: Db = db()) {
  return database.$client
    .prepare(
      `select g.id, g.name, g.organisation_type as organisationType, g.verified_at as verifiedAt, g.created_at as
        createdAt,
              (select count(*) from group_members m where m.group_id = g.id) as members,
              exists (select 1 from group_bank_details b where b.group_id = g.id) as hasBankDetails
         from community_groups g order by g.verified_at is not null, g.name`,
    )
    .all() as {
    id: number;
    name: string;
    organisationType: OrganisationType;
    verifiedAt: string | null;
    createdAt: string;
    members: number;
    hasBankDetails: number;
  }[];
}

export const BANK_DETAILS_CHANGED_DURING_REVIEW = "payments:group.bankChanged";

/**
 * An administrator verifies a group, recording the evidence seen and the version of the bank details
 * they saw (`bankDetailsId`, carried by the form). Refused if that is no longer the current version.
 * Never a member of the group.
 */
export function verifyGroup(
  user: Principal,
  groupId: number,
  evidence: string,
  bankDetailsId: number,
  database: Db = db(),
) {
  writeTransaction((tx) => {
    const group = tx.select().from(communityGroups).where(eq(communityGroups.id, groupId)).get();
    if (!group) throw new Refusal(says("noGroup"));
    const duty = checkDuty("review-bid", user, { groupId, wardIds: [] });
    if (!duty.allowed) throw new Refusal(duty.reason);
    const current = currentBankDetails(tx, groupId);
    if (!current) throw new Refusal(says("noBankToVerify"));
    if (current.id !== bankDetailsId) {
      throw new Refusal(BANK_DETAILS_CHANGED_DURING_REVIEW, {
        field: "evidence",
        status: 409,
        code: "bank-details-changed",
      });
    }
    if (group.verifiedAt && group.verifiedBankDetailsId === current.id) {
      throw new Refusal(says("alreadyVerified", { version: current.version }), {
        status: 409,
      });
    }
    const verifiedAt = new Date().toISOString();
    tx.update(communityGroups)
      .set({ verifiedAt, verifiedBy: user.id, verificationNote: evidence, verifiedBankDetailsId: current.id })
      .where(eq(communityGroups.id, groupId))
      .run();
    recordAudit(tx, {
      actor: actorOf(user),
      action: "group.verified",
      entityType: "group",
      entityId: groupId,
      reason: evidence,
      before: { verifiedAt: group.verifiedAt },
      after: {
        verifiedAt,
        bankDetailsVersion: current.version,
        accountNumber: maskAccountNumber(current.accountNumber),
      },
    });
  }, database);
}
