/**
 * Accounts you can trust, against a real SQLite file, the real argon2 path and the real route
 * modules: confirmed addresses, roles and group places by consent, sign-in limits under concurrency,
 * redirects, single-use links, equal answers for known and unknown addresses, session lifetimes.
 */
import path from "node:path";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupMembers, invitations, outbox, sessions, users } from "~/db/schema";
import {
  checkPasswordToken,
  confirmEmail,
  findUserByEmail,
  registerResident,
  requestPasswordReset,
  resendConfirmation,
  setPasswordWithToken,
  signInWithPassword,
} from "~/models/accounts.server";
import { handOverLead, leaveGroup, registerGroup } from "~/models/groups.server";
import {
  acceptInvitation,
  acceptInvitationWithPassword,
  cancelInvitation,
  invitationForToken,
  inviteToGroup,
  inviteToRoles,
  listPendingInvitations,
} from "~/models/invitations.server";
import { applyRetention } from "~/models/retention.server";
import { endOtherSessions, getAuth, listSessions, loadPrincipal, startSession } from "~/utils/auth.server";
import { safeRedirect } from "~/utils/http.server";
import { messageText } from "~/utils/message-text";
import { registerConfirmed } from "../support/accounts";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { formRequest, getRequest, ORIGIN, responseOf, sessionCookieFor } from "../support/requests";

/** The refusal `run` throws, as an English reader sees it (models refuse with catalogue keys). */
function refusalText(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return messageText((error as Error).message, "en");
  }
  throw new Error("expected a refusal");
}

interface RouteModule {
  loader?: (args: LoaderFunctionArgs) => Promise<unknown>;
  action?: (args: ActionFunctionArgs) => Promise<unknown>;
}
const routesDir = path.resolve(__dirname, "../../app/routes");
const route = async (name: string) => (await import(/* @vite-ignore */ path.join(routesDir, name))) as RouteModule;

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase({ seed: "people" });
});
afterAll(() => t.close());

const PASSWORD = "a long enough password";
let clients = 0;
/** Each call a new client address, so tests only meet the per-address limits they are about. */
const fresh = () => `203.0.113.${(clients += 1)}`;

async function registerUnconfirmed(email: string, name = "Someone") {
  let token = "";
  await registerResident(
    { name, email, password: PASSWORD, postcode: "EB1 1AA" },
    { clientAddress: fresh(), linkFor: (v) => (token = v) },
  );
  return { id: findUserByEmail(email)!.id, token };
}

function statusOf(result: Response | { value: unknown }): number {
  return result instanceof Response ? result.status : 200;
}

const admin = () => loadPrincipal(findUserByEmail("admin@eastbrook.example")!.id)!;

describe("a new account confirms its address before it can do anything", () => {
  it("carries no role or group until the link is used, and the link works once", async () => {
    const { id, token } = await registerUnconfirmed("new.resident@example.org");
    expect(loadPrincipal(id)).toMatchObject({ verified: false, roles: [], groupIds: [] });
    expect(confirmEmail(token)).toMatchObject({ ok: true });
    expect(loadPrincipal(id)).toMatchObject({ verified: true, roles: ["resident"] });
    expect(confirmEmail(token)).toMatchObject({ ok: false, message: "account:link.used" });
  });

  it("refuses an unconfirmed account at the ballot, a new group and a bid, but shows its own account page", async () => {
    await registerUnconfirmed("throwaway@example.org");
    const cookie = await sessionCookieFor("throwaway@example.org");
    const round = t.db.$client.prepare("select id from pb_rounds order by id limit 1").get() as
      { id: number } | undefined;
    const params = { roundId: String(round?.id ?? 1), groupId: "1" };
    const pages: [string, string][] = [
      ["rounds.$roundId.vote.tsx", `/rounds/${params.roundId}/vote`],
      ["groups.new.tsx", "/groups/new"],
      ["groups._index.tsx", "/groups"],
      ["groups.$groupId.bids.new.tsx", "/groups/1/bids/new"],
    ];
    for (const [file, path] of pages) {
      const mod = await route(file);
      const loaded = await responseOf(() => mod.loader!({ request: getRequest(path, cookie), params, context: {} }));
      expect(statusOf(loaded), `${file} loader`).toBe(403);
      if (mod.action) {
        const acted = await responseOf(() =>
          mod.action!({ request: formRequest(path, {}, { cookie }), params, context: {} }),
        );
        expect(statusOf(acted), `${file} action`).toBe(403);
      }
    }
    const account = await route("account.tsx");
    const own = await responseOf(() =>
      account.loader!({ request: getRequest("/account", cookie), params, context: {} }),
    );
    expect(statusOf(own)).toBe(200);
  });

  it("removes accounts left unconfirmed for 7 days, and keeps confirmed ones", async () => {
    const { id } = await registerUnconfirmed("forgotten@example.org");
    const kept = await registerConfirmed({
      name: "Kept",
      email: "kept@example.org",
      password: PASSWORD,
      postcode: null,
    });
    const eightDaysOn = new Date(Date.now() + 8 * 86_400_000);
    const summary = applyRetention(eightDaysOn);
    expect(summary.unverifiedAccounts).toBeGreaterThanOrEqual(1);
    expect(t.db.select().from(users).where(eq(users.id, id)).get()).toBeUndefined();
    expect(t.db.select().from(users).where(eq(users.id, kept)).get()).toBeDefined();
  });
});

describe("answers are the same whether or not an address has an account", () => {
  /** The action's JSON with the address it echoes blanked out. */
  async function answer(file: string, fields: Record<string, string>) {
    const mod = await route(file);
    const result = await responseOf(() =>
      mod.action!({ request: formRequest(`/${file}`, fields), params: {}, context: { clientIp: fresh() } }),
    );
    const response = result instanceof Response ? result : new Response(JSON.stringify(result.value));
    const body = (await response.text()).replaceAll(fields.email!, "ADDRESS");
    return { status: response.status, body };
  }
  const known = "yusuf.osman@residents.example";
  const unknown = "nobody.at.all@example.org";

  it("registration, a forgotten password and a new confirmation link", async () => {
    const registration = (email: string) => ({
      name: "Some One",
      email,
      postcode: "",
      password: PASSWORD,
      confirmPassword: PASSWORD,
    });
    const registered = [
      await answer("register.tsx", registration(known)),
      await answer("register.tsx", registration(unknown)),
    ];
    expect(registered[0]).toEqual(registered[1]);
    expect(registered[0]!.status).toBe(200);
    const reset = [
      await answer("forgot-password.tsx", { email: known }),
      await answer("forgot-password.tsx", { email: "x" + unknown }),
    ];
    expect(reset[0]).toEqual(reset[1]);
    const resent = [
      await answer("confirm-email._index.tsx", { email: known }),
      await answer("confirm-email._index.tsx", { email: "y" + unknown }),
    ];
    expect(resent[0]).toEqual(resent[1]);
    // The known address got a note instead of a second account.
    const subjects = t.db
      .select()
      .from(outbox)
      .where(eq(outbox.toAddress, known))
      .all()
      .map((m) => m.subject);
    expect(subjects).toContain("You already have a Wardfund account");
  });

  it("a group lead inviting a known or an unknown address", async () => {
    const lead = loadPrincipal(findUserByEmail("resident@eastbrook.example")!.id)!;
    expect(() => inviteToGroup(lead, lead.groupIds[0]!, unknown, () => "link")).not.toThrow();
    expect(() => inviteToGroup(lead, lead.groupIds[0]!, "finance@eastbrook.example", () => "link")).not.toThrow();
  });

  it("limits each address and each client, whether or not the address has an account", () => {
    const client = fresh();
    const results = [1, 2, 3, 4].map(() => resendConfirmation(unknown, { clientAddress: fresh(), linkFor: () => "l" }));
    expect(results.map((r) => r.ok)).toEqual([true, true, true, false]);
    const spray = Array.from({ length: 21 }, (_, i) =>
      requestPasswordReset(`spray${i}@example.org`, { clientAddress: client, linkFor: () => "l" }),
    );
    expect(spray.filter((r) => !r.ok)).toHaveLength(1);
  });
});

describe("roles by consent (account pre-hijacking)", () => {
  it("grants nothing to a stranger who registered the address first; the holder takes the account over", async () => {
    const stranger = await registerUnconfirmed("new.councillor@eastbrook.example", "Stranger");
    const strangerCookie = await sessionCookieFor("new.councillor@eastbrook.example");
    let token = "";
    const wardId = (t.db.$client.prepare("select id from wards order by id limit 1").get() as { id: number }).id;
    inviteToRoles(
      admin(),
      {
        name: "Nadia Councillor",
        email: "new.councillor@eastbrook.example",
        roles: ["councillor"],
        councillorWardIds: [wardId],
      },
      (v) => (token = v),
    );
    // Nothing granted by the invitation itself.
    expect(loadPrincipal(stranger.id)!.roles).toEqual([]);
    const councillorPage = await route("councillor._index.tsx");
    const refused = await responseOf(() =>
      councillorPage.loader!({ request: getRequest("/councillor", strangerCookie), params: {}, context: {} }),
    );
    expect(statusOf(refused)).toBe(403);
    // Signed in as the stranger's account does not let anyone accept it either.
    expect(acceptInvitation(token, loadPrincipal(stranger.id)!)).toMatchObject({ ok: false });

    // The holder of the address opens the link, chooses a password: the account is theirs, confirmed.
    expect(invitationForToken(token)).toMatchObject({ ok: true, account: "unverified" });
    const accepted = await acceptInvitationWithPassword(token, {
      name: "Nadia Councillor",
      password: "nadia's own password",
    });
    expect(accepted).toMatchObject({ ok: true, userId: stranger.id, tookOver: true });
    expect(loadPrincipal(stranger.id)).toMatchObject({ verified: true, councillorWardIds: [wardId] });
    expect(await signInWithPassword("new.councillor@eastbrook.example", PASSWORD, fresh())).toMatchObject({
      ok: false,
    });
    // The stranger's confirmation link died with the new password.
    expect(confirmEmail(stranger.token)).toMatchObject({ ok: false });
  });

  it("asks a confirmed account to accept, and only that account can", async () => {
    const residentId = findUserByEmail("yusuf.osman@residents.example")!.id;
    let token = "";
    inviteToRoles(
      admin(),
      { name: "Yusuf", email: "yusuf.osman@residents.example", roles: ["finance"], councillorWardIds: [] },
      (v) => (token = v),
    );
    expect(loadPrincipal(residentId)!.roles).not.toContain("finance");
    expect(listPendingInvitations({ kind: "role" }).some((i) => i.email === "yusuf.osman@residents.example")).toBe(
      true,
    );
    expect(
      await acceptInvitationWithPassword(token, { name: "Anyone", password: "someone else's password" }),
    ).toMatchObject({
      ok: false,
    });
    const other = loadPrincipal(findUserByEmail("chloe.davies@residents.example")!.id)!;
    expect(acceptInvitation(token, other)).toMatchObject({ ok: false });
    expect(acceptInvitation(token, loadPrincipal(residentId)!)).toMatchObject({ ok: true });
    expect(loadPrincipal(residentId)!.roles).toContain("finance");
    expect(acceptInvitation(token, loadPrincipal(residentId)!)).toMatchObject({ ok: false });
  });

  it("lets an administrator cancel a pending invitation, audited", () => {
    let token = "";
    const { invitationId } = inviteToRoles(
      admin(),
      { name: "Cancelled", email: "cancelled@example.org", roles: ["admin"], councillorWardIds: [] },
      (v) => (token = v),
    );
    cancelInvitation(admin(), invitationId);
    expect(invitationForToken(token)).toMatchObject({
      ok: false,
      message: "account:invitation.cancelled",
    });
    const audit = t.db.$client
      .prepare("select count(*) n from audit_events where action = 'invitation.cancelled' and entity_id = ?")
      .get(String(invitationId)) as { n: number };
    expect(audit.n).toBe(1);
  });
});

describe("group membership by consent", () => {
  it("joins only by accepting; any member may leave; the last lead must hand over first", async () => {
    const leadId = await registerConfirmed({
      name: "Gita Lead",
      email: "gita@example.org",
      password: PASSWORD,
      postcode: null,
    });
    const memberId = await registerConfirmed({
      name: "Ola Member",
      email: "ola@example.org",
      password: PASSWORD,
      postcode: null,
    });
    const lead = loadPrincipal(leadId)!;
    const groupId = registerGroup(lead, {
      name: "Consent Gardeners",
      organisationType: "constituted-group",
      charityNumber: null,
      companyNumber: null,
      address: "2 Mill Lane, Eastbrook",
      postcode: "EB1 1AB",
      contactEmail: "consent@groups.example",
      contactPhone: null,
    });
    let token = "";
    inviteToGroup(loadPrincipal(leadId)!, groupId, "OLA@example.org", (v) => (token = v));
    const isMember = (id: string) => loadPrincipal(id)!.groupIds.includes(groupId);
    expect(isMember(memberId)).toBe(false);
    expect(
      acceptInvitation(token, loadPrincipal(findUserByEmail("chloe.davies@residents.example")!.id)!),
    ).toMatchObject({
      ok: false,
    });
    expect(acceptInvitation(token, loadPrincipal(memberId)!)).toMatchObject({ ok: true });
    expect(isMember(memberId)).toBe(true);

    expect(refusalText(() => leaveGroup(loadPrincipal(leadId)!, groupId))).toMatch(/only lead contact/);
    handOverLead(loadPrincipal(leadId)!, groupId, memberId);
    leaveGroup(loadPrincipal(leadId)!, groupId);
    expect(isMember(leadId)).toBe(false);
    const row = t.db.select().from(groupMembers).where(eq(groupMembers.userId, memberId)).get();
    expect(row?.memberRole).toBe("lead");
  });
});

describe("sign-in limits under concurrency", () => {
  it("verifies at most the limit of 25 parallel guesses, over the real argon2 path", async () => {
    await registerConfirmed({ name: "Par Allel", email: "parallel@example.org", password: PASSWORD, postcode: null });
    const now = Date.now();
    const guesses = await Promise.all(
      Array.from({ length: 25 }, (_, i) => signInWithPassword("parallel@example.org", `guess ${i}`, fresh(), now)),
    );
    const evaluated = guesses.filter((g) => !g.ok && g.reason === "invalid");
    expect(evaluated.length).toBeLessThanOrEqual(5);
    expect(guesses.filter((g) => !g.ok && g.reason === "locked")).toHaveLength(25 - evaluated.length);
  });
});

describe("redirects after sign-in", () => {
  const origin = "https://grants.example.gov.uk";
  const offsite = [
    "//evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "https://evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,hi",
    " /evil",
    "%2F%2Fevil.example",
    "/%09/evil.example".replace("%09", "\t"),
    "\u0000/evil",
    "/x\u0085y",
    "",
  ];
  it.each(offsite)("refuses %j", (target) => {
    expect(safeRedirect(target, "/home", origin)).toBe("/home");
  });

  it.each([
    ["/rounds/3/vote", "/rounds/3/vote"],
    ["/account?saved=1#devices", "/account?saved=1#devices"],
    ["/%2F%2Fevil.example", "/%2F%2Fevil.example"],
    ["/a/../b", "/b"],
  ])("keeps %j on the site as %j", (target, expected) => {
    expect(safeRedirect(target, "/home", origin)).toBe(expected);
  });

  it("answers a redirect with a newline or a tab with the home page, not a 500", async () => {
    await registerConfirmed({ name: "Red Irect", email: "redirect@example.org", password: PASSWORD, postcode: null });
    const login = await route("login.tsx");
    for (const redirectTo of ["/\t/evil.example", "/\nLocation: https://evil.example", "//evil.example"]) {
      const result = await responseOf(() =>
        login.action!({
          request: formRequest("/login", { email: "redirect@example.org", password: PASSWORD, redirectTo }),
          params: {},
          context: { clientIp: fresh() },
        }),
      );
      expect(result).toBeInstanceOf(Response);
      const location = (result as Response).headers.get("Location")!;
      expect(location.startsWith("/")).toBe(true);
      expect(new URL(location, ORIGIN).origin).toBe(ORIGIN);
    }
  });
});

describe("links end when a password is set", () => {
  it("an older reset link no longer works after a reset with a newer one", async () => {
    await registerConfirmed({ name: "Old Link", email: "oldlink@example.org", password: PASSWORD, postcode: null });
    const tokens: string[] = [];
    const options = () => ({ clientAddress: fresh(), linkFor: (v: string) => (tokens.push(v), v) });
    requestPasswordReset("oldlink@example.org", options());
    requestPasswordReset("oldlink@example.org", options());
    expect(await setPasswordWithToken(tokens[1]!, "the newest password")).toMatchObject({ ok: true });
    expect(checkPasswordToken(tokens[0]!)).toMatchObject({ ok: false });
    expect(await setPasswordWithToken(tokens[0]!, "an attacker's password")).toMatchObject({ ok: false });
  });

  it("a reset confirms an unconfirmed address and ends its confirmation link", async () => {
    const { id, token: verify } = await registerUnconfirmed("resetfirst@example.org");
    let reset = "";
    requestPasswordReset("resetfirst@example.org", { clientAddress: fresh(), linkFor: (v) => (reset = v) });
    expect(await setPasswordWithToken(reset, "a chosen password")).toMatchObject({ ok: true });
    expect(loadPrincipal(id)!.verified).toBe(true);
    expect(checkPasswordToken(verify)).toMatchObject({ ok: false });
  });
});

describe("sessions", () => {
  it("ends a staff session after 30 idle minutes and after 12 hours, and keeps a resident's", async () => {
    const finance = findUserByEmail("finance@eastbrook.example")!;
    const resident = findUserByEmail("chloe.davies@residents.example")!;
    const start = Date.now();
    const cookieFor = async (id: string) =>
      (await startSession(new Request(`${ORIGIN}/login`), id, start)).split(";")[0]!;
    const at = async (cookie: string, now: number) => (await getAuth(getRequest("/", cookie), now)).user;

    const idle = await cookieFor(finance.id);
    expect(await at(idle, start + 29 * 60_000)).not.toBeNull();
    expect(await at(idle, start + 29 * 60_000 + 31 * 60_000)).toBeNull();

    const busy = await cookieFor(finance.id);
    let now = start;
    for (; now < start + 12 * 3_600_000 - 20 * 60_000; now += 20 * 60_000) expect(await at(busy, now)).not.toBeNull();
    expect(await at(busy, start + 12 * 3_600_000)).toBeNull();

    const residentCookie = await cookieFor(resident.id);
    expect(await at(residentCookie, start + 3 * 86_400_000)).not.toBeNull();
  });

  it("lists a user's devices and signs out everywhere else", async () => {
    const user = findUserByEmail("chloe.davies@residents.example")!;
    const phone = new Request(`${ORIGIN}/login`, {
      headers: {
        "User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Version/17.0 Mobile Safari/604.1",
      },
    });
    const laptop = new Request(`${ORIGIN}/login`, {
      headers: { "User-Agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0" },
    });
    await startSession(phone, user.id);
    const keep = (await startSession(laptop, user.id)).split(";")[0]!.split("=")[1]!;
    const devices = listSessions(user.id).map((s) => s.userAgent);
    expect(devices).toEqual(expect.arrayContaining(["Safari on iOS", "Firefox on Windows"]));
    endOtherSessions(user.id, keep);
    expect(
      t.db
        .select()
        .from(sessions)
        .where(eq(sessions.userId, user.id))
        .all()
        .map((s) => s.id),
    ).toEqual([keep]);
  });

  it("prunes expired and timed-out staff sessions daily", async () => {
    const finance = findUserByEmail("finance@eastbrook.example")!;
    await startSession(new Request(`${ORIGIN}/login`), finance.id);
    const summary = applyRetention(new Date(Date.now() + 13 * 3_600_000));
    expect(summary.sessions).toBeGreaterThan(0);
    expect(t.db.select().from(sessions).where(eq(sessions.userId, finance.id)).all()).toEqual([]);
  });
});

describe("invitations keep only a hash of their token", () => {
  it("stores no token in clear", () => {
    let token = "";
    inviteToRoles(
      admin(),
      { name: "H", email: "hash@example.org", roles: ["finance"], councillorWardIds: [] },
      (v) => (token = v),
    );
    const rows = t.db.select({ hash: invitations.tokenHash }).from(invitations).all();
    expect(rows.some((r) => r.hash === token)).toBe(false);
    expect(rows.some((r) => r.hash.length === 64)).toBe(true);
  });
});
