/**
 * Where lucia keeps sessions: the `sessions` table, through queries prepared once per connection
 * (every signed-in request reads its session, so building the query each time was a large part of a
 * short request's cost). Implements lucia's `Adapter`; only auth.server.ts uses it.
 *
 * Expiry is stored in whole seconds since the epoch, as lucia's own SQLite adapters store it. Lucia
 * is given no user attributes: the principal is loaded by `loadPrincipal`.
 */
import { eq, lte, sql } from "drizzle-orm";
import type { Adapter, DatabaseSession, DatabaseUser } from "lucia";
import { db, type Db } from "~/db/client.server";
import { preparedPerConnection } from "~/db/prepared.server";
import { sessions, users } from "~/db/schema";

const sessionQueries = preparedPerConnection((database: Db) => ({
  sessionAndUser: database
    .select({ id: sessions.id, userId: sessions.userId, expiresAt: sessions.expiresAt, user: users.id })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, sql.placeholder("sessionId")))
    .prepare(),
  userSessions: database
    .select({ id: sessions.id, userId: sessions.userId, expiresAt: sessions.expiresAt })
    .from(sessions)
    .where(eq(sessions.userId, sql.placeholder("userId")))
    .prepare(),
  insert: database
    .insert(sessions)
    .values({
      id: sql.placeholder("id"),
      userId: sql.placeholder("userId"),
      expiresAt: sql.placeholder("expiresAt"),
    })
    .prepare(),
  updateExpiry: database
    .update(sessions)
    .set({ expiresAt: sql`${sql.placeholder("expiresAt")}` })
    .where(eq(sessions.id, sql.placeholder("sessionId")))
    .prepare(),
  deleteOne: database
    .delete(sessions)
    .where(eq(sessions.id, sql.placeholder("sessionId")))
    .prepare(),
  deleteForUser: database
    .delete(sessions)
    .where(eq(sessions.userId, sql.placeholder("userId")))
    .prepare(),
  deleteExpired: database
    .delete(sessions)
    .where(lte(sessions.expiresAt, sql.placeholder("now")))
    .prepare(),
}));

const toSeconds = (date: Date) => Math.floor(date.getTime() / 1000);

function databaseSession(row: { id: string; userId: string; expiresAt: number }): DatabaseSession {
  return { id: row.id, userId: row.userId, expiresAt: new Date(row.expiresAt * 1000), attributes: {} };
}

export class SessionStore implements Adapter {
  /** The database is looked up on each call, so the store follows `db()` rather than the first one. */
  constructor(private readonly database: () => Db = db) {}

  private get queries() {
    return sessionQueries(this.database());
  }

  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const row = this.queries.sessionAndUser.get({ sessionId });
    if (!row) return [null, null];
    return [databaseSession(row), { id: row.user, attributes: {} }];
  }

  async getUserSessions(userId: string): Promise<DatabaseSession[]> {
    return this.queries.userSessions.all({ userId }).map(databaseSession);
  }

  async setSession(session: DatabaseSession): Promise<void> {
    this.queries.insert.run({ id: session.id, userId: session.userId, expiresAt: toSeconds(session.expiresAt) });
  }

  async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
    this.queries.updateExpiry.run({ sessionId, expiresAt: toSeconds(expiresAt) });
  }

  async deleteSession(sessionId: string): Promise<void> {
    this.queries.deleteOne.run({ sessionId });
  }

  async deleteUserSessions(userId: string): Promise<void> {
    this.queries.deleteForUser.run({ userId });
  }

  async deleteExpiredSessions(): Promise<void> {
    this.queries.deleteExpired.run({ now: toSeconds(new Date()) });
  }
}
