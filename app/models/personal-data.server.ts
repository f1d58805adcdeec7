/**
 * People's rights over their data: everything held about a resident, for download (subject
 * access), and closing an account (erasure).
 *
 * The download never contains a ballot: ballots are anonymous by design (rounds.ts) and nothing
 * links one to a person. It does contain the record that the person voted in a round, and how.
 *
 * Closing an account erases the person's name, email address, password, postcode, date of birth,
 * sessions, tokens, role grants, memberships, notification choices and the text of mail sent to
 * them. The users row stays with its random id, because bids, decisions and the participation
 * record point at it; that id is the pseudonym the audit trail keeps. The audit trail is
 * append-only by trigger; migration 0019 lets it be updated in exactly one way, for a closed
 * account, replacing the actor's name and the before/after summaries of events about that person
 * with a fixed marker (docs/decisions/010-languages.md).
 */
import { and, eq, or } from "drizzle-orm";
import { db, writeTransaction, type Db } from "~/db/client.server";
import {
  accountClosures,
  auditEvents,
  bids,
  communityGroups,
  groupMembers,
  notificationPreferences,
  outbox,
  passwordTokens,
  pbParticipation,
  pbRounds,
  roleGrants,
  sessions,
  signInFailures,
  users,
} from "~/db/schema";
import { recordAudit } from "~/models/audit.server";
import { REMOVED_MAIL_BODY } from "~/models/retention.server";

export const CLOSED_ACCOUNT_NAME = "[closed account]";
export const ERASED_SUMMARY = JSON.stringify("[erased]");

export interface PersonalData {
  account: {
    id: string;
    name: string;
    email: string;
    postcode: string | null;
    dateOfBirth: string | null;
    language: string;
    createdAt: string;
    roles: { role: string; wardId: number | null }[];
  };
  participation: { roundId: number; roundName: string; channel: string }[];
  memberships: { groupId: number; groupName: string; memberRole: string; joinedAt: string }[];
  bids: { bidId: number; groupId: number; title: string; status: string; createdAt: string }[];
  auditEvents: {
    id: number;
    at: string;
    action: string;
    entityType: string;
    entityId: string | null;
    asActor: boolean;
    reason: string | null;
  }[];
}

export function collectPersonalData(userId: string, database: Db = db()): PersonalData | null {
  const user = database.select().from(users).where(eq(users.id, userId)).get();
  if (!user) return null;
  return {
    account: {
      id: user.id,
      name: user.name,
      email: user.email,
      postcode: user.postcode,
      dateOfBirth: user.dateOfBirth,
      language: user.language,
      createdAt: user.createdAt,
      roles: database
        .select({ role: roleGrants.role, wardId: roleGrants.wardId })
        .from(roleGrants)
        .where(eq(roleGrants.userId, userId))
        .all(),
    },
    participation: database
      .select({
        roundId: pbParticipation.roundId,
        roundName: pbRounds.name,
        channel: pbParticipation.channel,
      })
      .from(pbParticipation)
      .innerJoin(pbRounds, eq(pbRounds.id, pbParticipation.roundId))
      .where(eq(pbParticipation.userId, userId))
      .all(),
    memberships: database
      .select({
        groupId: groupMembers.groupId,
        groupName: communityGroups.name,
        memberRole: groupMembers.memberRole,
        joinedAt: groupMembers.joinedAt,
      })
      .from(groupMembers)
      .innerJoin(communityGroups, eq(communityGroups.id, groupMembers.groupId))
      .where(eq(groupMembers.userId, userId))
      .all(),
    bids: database
      .select({
        bidId: bids.id,
        groupId: bids.groupId,
        title: bids.title,
        status: bids.status,
        createdAt: bids.createdAt,
      })
      .from(bids)
      .where(eq(bids.createdBy, userId))
      .all(),
    auditEvents: database
      .select({
        id: auditEvents.id,
        at: auditEvents.at,
        action: auditEvents.action,
        entityType: auditEvents.entityType,
        entityId: auditEvents.entityId,
        actorUserId: auditEvents.actorUserId,
        reason: auditEvents.reason,
      })
      .from(auditEvents)
      .where(
        or(
          eq(auditEvents.actorUserId, userId),
          and(eq(auditEvents.entityType, "user"), eq(auditEvents.entityId, userId)),
        ),
      )
      .orderBy(auditEvents.at, auditEvents.id)
      .all()
      .map(({ actorUserId, ...event }) => ({ ...event, asActor: actorUserId === userId })),
  };
}

/** The download as flat rows (one section per kind of record) for the CSV file. */
export function personalDataRows(data: PersonalData): { section: string; field: string; value: string }[] {
  const rows: { section: string; field: string; value: string }[] = [];
  const add = (section: string, record: Record<string, unknown>) => {
    for (const [field, value] of Object.entries(record))
      rows.push({
        section,
        field,
        value: value == null ? "" : typeof value === "object" ? JSON.stringify(value) : String(value),
      });
  };
  add("account", data.account);
  data.participation.forEach((p, i) => add(`participation ${i + 1}`, p));
  data.memberships.forEach((m, i) => add(`membership ${i + 1}`, m));
  data.bids.forEach((b, i) => add(`bid ${i + 1}`, b));
  data.auditEvents.forEach((e) => add(`audit event ${e.id}`, e));
  return rows;
}

export class AccountClosureRefused extends Error {}

/**
 * Closes an account and erases the personal data in it (see the module comment). Refused for staff
 * (councillors, finance officers, administrators): their actions are the council's record, and an
 * administrator removes their roles first.
 */
export function closeAccount(userId: string, now = new Date(), database: Db = db()): void {
  writeTransaction((tx) => {
    const user = tx.select().from(users).where(eq(users.id, userId)).get();
    if (!user) throw new AccountClosureRefused("No such account.");
    const staff = tx
      .select({ role: roleGrants.role })
      .from(roleGrants)
      .where(eq(roleGrants.userId, userId))
      .all()
      .some((g) => g.role !== "resident");
    if (staff) throw new AccountClosureRefused("staff");
    const c = tx.$client;
    tx.insert(accountClosures).values({ userId, closedAt: now.toISOString() }).run();
    tx.delete(sessions).where(eq(sessions.userId, userId)).run();
    tx.delete(passwordTokens).where(eq(passwordTokens.userId, userId)).run();
    tx.delete(roleGrants).where(eq(roleGrants.userId, userId)).run();
    tx.delete(groupMembers).where(eq(groupMembers.userId, userId)).run();
    tx.delete(notificationPreferences).where(eq(notificationPreferences.userId, userId)).run();
    tx.delete(signInFailures).where(eq(signInFailures.email, user.email)).run();
    tx.update(outbox)
      .set({ toAddress: `closed-${userId}@closed.invalid`, body: REMOVED_MAIL_BODY, sealedBody: null })
      .where(eq(outbox.toAddress, user.email))
      .run();
    tx.update(users)
      .set({
        name: CLOSED_ACCOUNT_NAME,
        email: `closed-${userId}@closed.invalid`,
        passwordHash: null,
        postcode: null,
        dateOfBirth: null,
        disabledAt: now.toISOString(),
      })
      .where(eq(users.id, userId))
      .run();
    c.prepare("update audit_events set actor_name = ? where actor_user_id = ? and actor_name is not null").run(
      CLOSED_ACCOUNT_NAME,
      userId,
    );
    c.prepare(
      `update audit_events set before = case when before is null then null else ? end,
         after = case when after is null then null else ? end
       where entity_type = 'user' and entity_id = ?`,
    ).run(ERASED_SUMMARY, ERASED_SUMMARY, userId);
    recordAudit(tx, { actor: null, action: "account.closed", entityType: "user", entityId: userId });
  }, database);
}
