/**
 * Roles and group places offered by invitation, granted only with the consent of the person who
 * holds the invited address.
 *
 * An administrator offers roles, or a group's lead contact offers a place in the group, to an email
 * address. The address gets a one-time link (only its SHA-256 is kept). Whoever opens it:
 * - with a confirmed account at that address, signs in as that account and accepts;
 * - with no account, or one whose address was never confirmed (perhaps registered by someone else to
 *   wait for the role), chooses a name and password: the link proves they hold the address, so the
 *   account is created or taken over (its password replaced, its sessions and older links ended) and
 *   confirmed, and the offer is accepted.
 * Nothing is granted before that. Inviters are told the same thing whether or not the address has an
 * account. Administrators cancel role invitations, lead contacts their group's; both are audited.
 */
import { randomUUID } from "node:crypto";
import { and, desc, eq, gt, isNull } from "drizzle-orm";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { communityGroups, groupMembers, invitations, roleGrants, users, type Role } from "~/db/schema";
import type { TFunction } from "i18next";
import { grantRoles, mailLanguage, normaliseEmail, setPassword } from "~/models/accounts.server";
import { recordAudit, type Actor } from "~/models/audit.server";
import { hashPassword, type Principal } from "~/utils/auth.server";
import { queueMail } from "~/utils/mail.server";
import { Refusal } from "~/utils/refusal";
import { constantTimeEqual, newToken, sha256Hex } from "~/utils/tokens.server";
import { translatorFor } from "~/utils/translate";

export const INVITATION_DAYS = 7;

type InvitationRow = typeof invitations.$inferSelect;

function insertInvitation(
  tx: Db,
  values: Omit<typeof invitations.$inferInsert, "tokenHash" | "createdAt" | "expiresAt">,
  now: number,
): { id: number; token: string } {
  const token = newToken();
  const row = tx
    .insert(invitations)
    .values({
      ...values,
      tokenHash: sha256Hex(token),
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + INVITATION_DAYS * 86_400_000).toISOString(),
    })
    .returning({ id: invitations.id })
    .get();
  return { id: row.id, token };
}

/** What the invitation offers, in words for mail and pages, in the language of `t` (English by default). */
export function describeOffer(
  invitation: Pick<InvitationRow, "kind" | "roles" | "councillorWardIds">,
  groupName: string | null,
  wardNames: string[] = [],
  t: TFunction = translatorFor("en"),
) {
  if (invitation.kind === "group")
    return t("account:invitation.offerGroup", { group: groupName ?? t("account:invitation.aGroup") });
  const roles = invitation.roles.map((role) =>
    role === "councillor" && wardNames.length
      ? t("account:invitation.councillorFor", { wards: wardNames.join(", ") })
      : t(`account:roleName.${role}`),
  );
  return t("account:invitation.offerRoles", { count: roles.length, roles: roles.join(", ") });
}

/**
 * The invitation mail, in the language of the account already holding the address, else in the
 * inviter's language when given, else English.
 */
function invitationMail(
  tx: Db,
  email: string,
  inviterName: string,
  offerOf: (t: TFunction) => string,
  link: string,
  inviterLanguage?: string,
) {
  const holder = tx.select({ language: users.language }).from(users).where(eq(users.email, email)).get();
  const language = mailLanguage(holder?.language ?? inviterLanguage);
  const t = translatorFor(language);
  const body = t("account:mail.inviteBody", { inviter: inviterName, offer: offerOf(t), days: INVITATION_DAYS, link });
  return {
    to: email,
    language,
    subject: t("account:mail.inviteSubject"),
    body: `${t("account:mail.inviteGreeting")}\n\n${body}\n\n${t("mail:signOff")}\n`,
  };
}

/** Offers roles to an address; nothing is granted until its holder accepts. Returns the mail to send. */
export function inviteToRoles(
  actor: Actor,
  input: {
    name: string;
    email: string;
    roles: Role[];
    councillorWardIds: number[];
    wardNames?: string[];
    /** The inviter's language, for an address with no account yet. */
    language?: string;
  },
  linkFor: (token: string) => string,
  now = Date.now(),
): { invitationId: number; mailId: number } {
  const email = normaliseEmail(input.email);
  const roles = [...new Set(input.roles)];
  const councillorWardIds = roles.includes("councillor") ? [...new Set(input.councillorWardIds)] : [];
  return writeTransaction((tx) => {
    const { id, token } = insertInvitation(
      tx,
      {
        kind: "role",
        email,
        name: input.name,
        roles,
        councillorWardIds,
        invitedById: actor.id,
        invitedByName: actor.name,
      },
      now,
    );
    recordAudit(tx, {
      actor,
      action: "invitation.role-sent",
      entityType: "invitation",
      entityId: id,
      after: { email, roles, councillorWardIds },
    });
    const offerOf = (t: TFunction) =>
      describeOffer({ kind: "role", roles, councillorWardIds }, null, input.wardNames, t);
    const mailId = queueMail(tx, invitationMail(tx, email, actor.name, offerOf, linkFor(token), input.language));
    return { invitationId: id, mailId };
  });
}

function leadOf(tx: Db, user: Principal, groupId: number): void {
  const row = tx
    .select({ role: groupMembers.memberRole })
    .from(groupMembers)
    .where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.userId, user.id)))
    .get();
  if (row?.role !== "lead") throw new Refusal("account:invitation.notLead", { status: 403 });
}

/**
 * Offers a place in the group to an address (lead contacts only). The answer is the same whether or
 * not the address has an account.
 */
export function inviteToGroup(
  user: Principal,
  groupId: number,
  emailInput: string,
  linkFor: (token: string) => string,
  now = Date.now(),
  database: Db = db(),
): { invitationId: number; mailId: number } {
  const email = normaliseEmail(emailInput);
  return writeTransaction((tx) => {
    leadOf(tx, user, groupId);
    const group = tx.select().from(communityGroups).where(eq(communityGroups.id, groupId)).get();
    if (!group) throw new Refusal("account:invitation.noGroup", { status: 404 });
    const member = tx
      .select({ id: users.id })
      .from(groupMembers)
      .innerJoin(users, eq(users.id, groupMembers.userId))
      .where(and(eq(groupMembers.groupId, groupId), eq(users.email, email)))
      .get();
    // Only the group's own members are named here, and the lead sees them listed on the page anyway.
    if (member) throw new Refusal("account:invitation.alreadyMember", { field: "email" });
    const { id, token } = insertInvitation(
      tx,
      { kind: "group", email, name: "", groupId, invitedById: user.id, invitedByName: user.name },
      now,
    );
    recordAudit(tx, {
      actor: { id: user.id, name: user.name },
      action: "invitation.group-sent",
      entityType: "group",
      entityId: groupId,
      after: { invitationId: id, email },
    });
    const offerOf = (t: TFunction) =>
      describeOffer({ kind: "group", roles: [], councillorWardIds: [] }, group.name, [], t);
    const inviter = tx.select({ language: users.language }).from(users).where(eq(users.id, user.id)).get();
    const mailId = queueMail(tx, invitationMail(tx, email, user.name, offerOf, linkFor(token), inviter?.language));
    return { invitationId: id, mailId };
  }, database);
}

export type AccountState = "none" | "unverified" | "verified";

export type InvitationCheck =
  | {
      ok: true;
      invitation: InvitationRow;
      groupName: string | null;
      account: AccountState;
    }
  | { ok: false; message: string };

function findByToken(tx: Db, token: string, now: number): InvitationCheck {
  const presented = sha256Hex(token);
  const row = tx.select().from(invitations).where(eq(invitations.tokenHash, presented)).get();
  if (!row || !constantTimeEqual(row.tokenHash, presented)) return { ok: false, message: "account:invitation.invalid" };
  if (row.acceptedAt) return { ok: false, message: "account:invitation.accepted" };
  if (row.cancelledAt) return { ok: false, message: "account:invitation.cancelled" };
  if (Date.parse(row.expiresAt) <= now) return { ok: false, message: "account:invitation.expired" };
  const holder = tx.select().from(users).where(eq(users.email, row.email)).get();
  const account: AccountState = !holder ? "none" : holder.emailVerifiedAt ? "verified" : "unverified";
  const groupName = row.groupId
    ? (tx.select({ name: communityGroups.name }).from(communityGroups).where(eq(communityGroups.id, row.groupId)).get()
        ?.name ?? null)
    : null;
  return { ok: true, invitation: row, groupName, account };
}

/** The invitation a link carries, if it can still be accepted, and the state of the invited address's account. */
export function invitationForToken(token: string, now = Date.now()): InvitationCheck {
  return findByToken(db(), token, now);
}

function grantOffer(tx: Db, invitation: InvitationRow, userId: string, userName: string, now: number): void {
  const actor = { id: userId, name: userName };
  if (invitation.kind === "role") {
    const granted = grantRoles(tx, userId, invitation.roles, invitation.councillorWardIds);
    recordAudit(tx, {
      actor,
      action: "user.roles-granted",
      entityType: "user",
      entityId: userId,
      after: { granted, invitationId: invitation.id, invitedBy: invitation.invitedByName },
    });
  } else if (invitation.groupId != null) {
    const already = tx
      .select()
      .from(groupMembers)
      .where(and(eq(groupMembers.groupId, invitation.groupId), eq(groupMembers.userId, userId)))
      .get();
    if (!already) tx.insert(groupMembers).values({ groupId: invitation.groupId, userId, memberRole: "member" }).run();
    recordAudit(tx, {
      actor,
      action: "group.member-added",
      entityType: "group",
      entityId: invitation.groupId,
      after: { userId, name: userName, invitationId: invitation.id },
    });
  }
  tx.update(invitations)
    .set({ acceptedAt: new Date(now).toISOString(), acceptedById: userId })
    .where(eq(invitations.id, invitation.id))
    .run();
}

/** Accepts an invitation as the signed-in holder of the invited, confirmed address. */
export function acceptInvitation(token: string, user: Principal, now = Date.now()): InvitationCheck {
  return writeTransaction((tx): InvitationCheck => {
    const check = findByToken(tx, token, now);
    if (!check.ok) return check;
    if (!user.verified || normaliseEmail(user.email) !== check.invitation.email) {
      return { ok: false, message: "account:invitation.otherAddress" };
    }
    grantOffer(tx, check.invitation, user.id, user.name, now);
    return check;
  });
}

/**
 * Accepts an invitation for an address with no confirmed account: creates the account, or takes over
 * an unconfirmed one (new password, its sessions and older links ended by the caller and here), and
 * confirms it. Returns the account's id, for the caller to start a session.
 */
export async function acceptInvitationWithPassword(
  token: string,
  input: { name: string; password: string },
  now = Date.now(),
): Promise<{ ok: true; userId: string; tookOver: boolean } | { ok: false; message: string }> {
  const passwordHash = await hashPassword(input.password);
  return writeTransaction((tx) => {
    const check = findByToken(tx, token, now);
    if (!check.ok) return check;
    if (check.account === "verified") {
      return { ok: false as const, message: "account:invitation.hasAccount" };
    }
    const email = check.invitation.email;
    let userId = tx.select({ id: users.id }).from(users).where(eq(users.email, email)).get()?.id;
    const tookOver = Boolean(userId);
    if (userId) {
      tx.update(users).set({ name: input.name }).where(eq(users.id, userId)).run();
      recordAudit(tx, {
        actor: null,
        action: "account.taken-over-by-invitation",
        entityType: "user",
        entityId: userId,
      });
    } else {
      userId = randomUUID();
      tx.insert(users)
        .values({ id: userId, email, name: input.name, createdAt: new Date(now).toISOString() })
        .run();
      tx.insert(roleGrants).values({ userId, role: "resident" }).run();
      recordAudit(tx, {
        actor: { id: userId, name: input.name },
        action: "account.register",
        entityType: "user",
        entityId: userId,
        after: { email, name: input.name, invitationId: check.invitation.id },
      });
    }
    setPassword(tx, userId, passwordHash, now);
    grantOffer(tx, check.invitation, userId, input.name, now);
    return { ok: true as const, userId, tookOver };
  });
}

/** Cancels a pending invitation: role invitations by an administrator, group ones by the group's lead. */
export function cancelInvitation(user: Principal, invitationId: number, now = Date.now()): void {
  writeTransaction((tx) => {
    const row = tx.select().from(invitations).where(eq(invitations.id, invitationId)).get();
    if (!row) throw new Refusal("account:invitation.noInvitation", { status: 404 });
    if (row.kind === "role" && !user.roles.includes("admin")) {
      throw new Refusal("account:invitation.adminOnly", { status: 403 });
    }
    if (row.kind === "group") leadOf(tx, user, row.groupId ?? -1);
    if (row.acceptedAt || row.cancelledAt) throw new Refusal("account:invitation.notPending");
    tx.update(invitations)
      .set({ cancelledAt: new Date(now).toISOString(), cancelledById: user.id })
      .where(eq(invitations.id, invitationId))
      .run();
    recordAudit(tx, {
      actor: { id: user.id, name: user.name },
      action: "invitation.cancelled",
      entityType: row.kind === "group" ? "group" : "invitation",
      entityId: row.kind === "group" ? (row.groupId ?? invitationId) : invitationId,
      before: { invitationId, email: row.email, kind: row.kind, roles: row.roles, groupId: row.groupId },
    });
  });
}

/** Invitations not yet accepted, cancelled or expired: of roles (for administrators) or of one group. */
export function listPendingInvitations(
  filter: { kind: "role" } | { kind: "group"; groupId: number },
  now = Date.now(),
) {
  return db()
    .select({
      id: invitations.id,
      email: invitations.email,
      name: invitations.name,
      roles: invitations.roles,
      councillorWardIds: invitations.councillorWardIds,
      invitedByName: invitations.invitedByName,
      createdAt: invitations.createdAt,
      expiresAt: invitations.expiresAt,
    })
    .from(invitations)
    .where(
      and(
        eq(invitations.kind, filter.kind),
        filter.kind === "group" ? eq(invitations.groupId, filter.groupId) : undefined,
        isNull(invitations.acceptedAt),
        isNull(invitations.cancelledAt),
        gt(invitations.expiresAt, new Date(now).toISOString()),
      ),
    )
    .orderBy(desc(invitations.createdAt))
    .all();
}
