/**
 * Walks every route module under app/routes and checks, server-side, who its loader and action let
 * in. A new route fails this test until it is given an access rule below.
 *
 * - anonymous requests to a protected route are redirected to sign in;
 * - a signed-in user without the role gets a 403;
 * - a signed-in user with the role gets through;
 * - an account whose email address is not confirmed gets a 403 everywhere but its own account page;
 * - every action refuses a request from another origin with a 403.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findUserByEmail, registerResident } from "~/models/accounts.server";
import { addBidAttachment, createDraftBid, saveBidStep, submitBid } from "~/models/bids.server";
import { loadPrincipal } from "~/utils/auth.server";
import { listWards } from "~/models/council.server";
import { enterPaperBatch } from "~/models/voting/paper.server";
import { createEvent } from "~/models/events/events.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { currentFundId } from "../factories";
import { formRequest, getRequest, ORIGIN, responseOf, sessionCookieFor } from "../support/requests";

type Access =
  | "public"
  | "anonymous-only"
  | "own-account"
  | "signed-in"
  | "member"
  | "bid-viewer"
  | "councillor"
  | "finance"
  | "admin"
  | "admin-or-finance";

const ACCESS: Record<string, Access> = {
  "_index.tsx": "public",
  "$.tsx": "public",
  "login.tsx": "anonymous-only",
  "register.tsx": "anonymous-only",
  "forgot-password.tsx": "anonymous-only",
  "reset-password.$token.tsx": "public",
  "logout.tsx": "public",
  "account.tsx": "own-account",
  "account_.voter-details.tsx": "signed-in",
  "confirm-email._index.tsx": "public",
  "confirm-email.$token.tsx": "public",
  "invitations.$token.tsx": "public",
  "groups._index.tsx": "signed-in",
  "groups.new.tsx": "signed-in",
  "groups.$groupId._index.tsx": "member",
  "groups.$groupId.bids.new.tsx": "member",
  "bids.$bidId._index.tsx": "bid-viewer",
  "bids.$bidId.edit/route.tsx": "member",
  "bids.$bidId.history.tsx": "bid-viewer",
  "bids.$bidId.withdraw.tsx": "member",
  "bids.$bidId.files.$fileId.tsx": "bid-viewer",
  "admin.groups._index.tsx": "admin",
  "admin.groups.$groupId.tsx": "admin",
  "councillor._index.tsx": "councillor",
  "councillor.bids.$bidId.tsx": "councillor",
  "councillor.bids.$bidId_.files.$fileId.tsx": "councillor",
  "councillor.digest.tsx": "councillor",
  "decisions._index.tsx": "councillor",
  "bids.$bidId_.offer.tsx": "member",
  "bids.$bidId_.monitoring.tsx": "member",
  "bids.$bidId_.updates.tsx": "member",
  "admin.delivery._index.tsx": "admin",
  "admin.delivery.$updateId.tsx": "admin",
  "delivery-photos.$photoId.ts": "public",
  "finance._index.tsx": "finance",
  "finance.ledger._index.tsx": "finance",
  "finance.ledger.$entryId.tsx": "finance",
  "finance.payments.tsx": "finance",
  "finance.spending.tsx": "finance",
  "spending._index.tsx": "public",
  "spending.$fy.$file.ts": "public",
  "finance.years.tsx": "finance",
  "finance.exports._index.tsx": "finance",
  "finance.exports.ledger[.csv].ts": "finance",
  "finance.exports.audit-pack[.tar].ts": "finance",
  "finance.exports.spend[.csv].ts": "finance",
  "finance.exports.vcse-grants[.csv].ts": "finance",
  "finance.exports.360giving[.csv].ts": "finance",
  "finance.exports.360giving[.json].ts": "finance",
  "ledger.tsx": "public",
  "healthz.ts": "public",
  "funds._index.tsx": "admin-or-finance",
  "funds.new.tsx": "admin-or-finance",
  "funds.$fundId.tsx": "admin-or-finance",
  "wards._index.tsx": "public",
  "wards.$code.tsx": "public",
  "projects.$bidId.tsx": "public",
  "admin.tsx": "admin",
  "admin._index.tsx": "admin",
  "admin.settings.tsx": "admin",
  "admin.wards._index.tsx": "admin",
  "admin.wards.new.tsx": "admin",
  "admin.wards.$wardId.tsx": "admin",
  "admin.users._index.tsx": "admin",
  "admin.users.invite.tsx": "admin",
  "admin.users.$userId.tsx": "admin",
  "admin.users.$userId_.voter-details.tsx": "admin",
  "admin.postcodes.tsx": "admin",
  "admin.outbox.tsx": "admin",
  "admin.audit.tsx": "admin-or-finance",
  "admin.rounds._index.tsx": "admin",
  "admin.rounds.new.tsx": "admin",
  "admin.rounds.$roundId._index.tsx": "admin",
  "admin.rounds.$roundId.review.tsx": "admin",
  "admin.rounds.$roundId.register.tsx": "admin",
  "admin.rounds.$roundId.events._index.tsx": "admin",
  "admin.rounds.$roundId.events.$eventId.tsx": "admin",
  // Kiosk pages answer only an enrolled device's signed cookie (401 otherwise); the board's address is its key.
  "kiosk._index.tsx": "public",
  "kiosk.cast.ts": "public",
  "kiosk.wait.ts": "public",
  "kiosk.enrol.$token.tsx": "public",
  "board.$token.tsx": "public",
  "board.$token_.stream.ts": "public",
  "rounds._index.tsx": "public",
  "rounds.$roundId._index.tsx": "public",
  "rounds.$roundId.projects.$bidId.tsx": "public",
  "rounds.$roundId.photos.$bidId.ts": "public",
  "admin.rounds.$roundId.count.tsx": "admin",
  "admin.rounds.$roundId.ballot-key.tsx": "admin",
  "rounds.$roundId.results.tsx": "public",
  "rounds.$roundId.results.ballots[.csv].ts": "public",
  "rounds.$roundId.results.ballots[.json].ts": "public",
  "rounds.$roundId.results.receipts[.csv].ts": "public",
  "rounds.$roundId.results.receipts[.json].ts": "public",
  "rounds.$roundId.results.report[.json].ts": "public",
  "rounds.$roundId.vote.tsx": "signed-in",
  "rounds.$roundId.code.tsx": "public",
  "rounds.$roundId.receipt.tsx": "public",
  "rounds.$roundId.equality.tsx": "public",
  "admin.rounds.$roundId.codes.tsx": "admin",
  "admin.rounds.$roundId.paper._index.tsx": "admin",
  "admin.rounds.$roundId.paper.$batchId.tsx": "admin",
  "accessibility.tsx": "public",
  "privacy.tsx": "public",
  "cookies.tsx": "public",
  "account_.language.tsx": "signed-in",
  "account_.data.tsx": "signed-in",
  "account.data[.json].ts": "signed-in",
  "account.data[.csv].ts": "signed-in",
  "account_.close.tsx": "signed-in",
  "account_.closed.tsx": "public",
  "admin.pages.tsx": "admin",
};

/** The demo account that holds each role, and which of them each access rule lets in. */
const HOLDERS = {
  resident: "yusuf.osman@residents.example",
  /** Lead contact of the first demo group (the route parameter groupId is that group). */
  groupMember: "resident@eastbrook.example",
  councillor: "councillor@eastbrook.example",
  finance: "finance@eastbrook.example",
  admin: "admin@eastbrook.example",
  /** Registered here, address never confirmed. */
  unverified: "unconfirmed@residents.example",
} as const;
type Holder = keyof typeof HOLDERS;

const ALLOWED: Partial<Record<Access, Holder[]>> = {
  "own-account": ["resident", "groupMember", "councillor", "finance", "admin", "unverified"],
  "signed-in": ["resident", "groupMember", "councillor", "finance", "admin"],
  member: ["groupMember"],
  /** A submitted bid of group 1 in the councillor's ward: its group, that councillor, finance and admins. */
  "bid-viewer": ["groupMember", "councillor", "finance", "admin"],
  councillor: ["councillor"],
  finance: ["finance"],
  admin: ["admin"],
  "admin-or-finance": ["admin", "finance"],
};

const routesDir = path.resolve(__dirname, "../../app/routes");
const isModule = (f: string) => /\.(tsx?|jsx?)$/.test(f) && !f.includes(".test.");
/** Route modules: files directly in app/routes, and a folder's `route` module (the rest of a folder is not a route). */
const routeFiles = fs.readdirSync(routesDir, { withFileTypes: true }).flatMap((entry) => {
  if (entry.isFile()) return isModule(entry.name) ? [entry.name] : [];
  if (!entry.isDirectory()) return [];
  const route = fs.readdirSync(path.join(routesDir, entry.name)).find((f) => /^route\.(tsx?|jsx?)$/.test(f));
  return route ? [`${entry.name}/${route}`] : [];
});

interface RouteModule {
  loader?: (args: LoaderFunctionArgs) => Promise<unknown>;
  action?: (args: ActionFunctionArgs) => Promise<unknown>;
}

let t: TestDatabase;
const cookies: Record<string, string> = {};
let params: Record<string, string>;

beforeAll(async () => {
  t = await createTestDatabase({ seed: true });
  await registerResident(
    { name: "Una Confirmed", email: HOLDERS.unverified, password: "a long enough password", postcode: "EB1 1AA" },
    { clientAddress: "route-access", linkFor: () => "link" },
  );
  for (const [holder, email] of Object.entries(HOLDERS)) cookies[holder] = await sessionCookieFor(email);
  const firstEntry = t.db.$client.prepare("select id from journal_entries order by seq limit 1").get() as {
    id: string;
  };
  const bid = await submittedBidOfGroupOne();
  params = {
    bidId: String(bid.bidId),
    fileId: bid.fileId,
    wardId: String(listWards()[0]!.id),
    userId: findUserByEmail("resident@eastbrook.example")!.id,
    entryId: firstEntry.id,
    groupId: "1",
    code: listWards()[0]!.gssCode,
    token: "not-a-token",
    fy: "2026-27",
    file: "spend.csv",
    "*": "nowhere",
  };
  params.fundId = currentFundId();
  params.updateId = String(t.db.$client.prepare("select min(id) from delivery_updates").pluck().get());
  params.photoId = "not-a-photo";
  const votingRound = t.db.$client
    .prepare("select id from pb_rounds where phase = 'voting' order by id limit 1")
    .get() as { id: number };
  params.roundId = String(votingRound.id);
  const admin = findUserByEmail(HOLDERS.admin)!;
  params.batchId = String(enterPaperBatch({ id: admin.id, name: admin.name }, votingRound.id, "Route access", "1 2"));
  const starts = new Date();
  params.eventId = String(
    createEvent({ id: admin.id, name: admin.name }, votingRound.id, {
      name: "Route access event",
      place: "Town hall",
      startsAt: starts.toISOString(),
      endsAt: new Date(starts.getTime() + 3_600_000).toISOString(),
      officers: "",
    }).id,
  );
});
afterAll(() => {
  t.close();
  fs.rmSync(attachmentsDir, { recursive: true, force: true });
});

const attachmentsDir = fs.mkdtempSync(path.join(os.tmpdir(), "wardfund-route-access-files-"));

/** A submitted bid of demo group 1 (Abbey Fields, the demo councillor's ward) with one file. */
async function submittedBidOfGroupOne() {
  process.env.ATTACHMENTS_DIR = attachmentsDir;
  const lead = loadPrincipal(findUserByEmail(HOLDERS.groupMember)!.id)!;
  const fund = t.db.$client.prepare("select id from funds where kind = 'ward-budget' order by id limit 1").get() as {
    id: string;
  };
  const wardId = listWards()[0]!.id;
  const bidId = createDraftBid(lead, 1, fund.id);
  const start = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  saveBidStep(lead, bidId, {
    step: "about",
    title: "Route access bid",
    summary: "A bid used to check who may open bid pages.",
    description: "It exists so that every bid route has a real bid to open.",
  });
  saveBidStep(lead, bidId, {
    step: "money",
    amountPence: 20_000,
    lines: [{ description: "Seeds", amountPence: 20_000 }],
  });
  saveBidStep(lead, bidId, {
    step: "where",
    wardIds: [wardId],
    beneficiaries: "Plot holders",
    beneficiaryCount: 30,
    startOn: start,
    endOn: start,
  });
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
  const fileId = addBidAttachment(lead, bidId, { fileName: "plan.png", sizeBytes: png.byteLength, bytes: png });
  submitBid(lead, bidId);
  return { bidId, fileId };
}

function urlFor(file: string): string {
  const name = file
    .replace(/\/route\.tsx?$/, "")
    .replace(/\.tsx?$/, "")
    .replace(/\[\.(\w+)\]/g, "~$1");
  if (name === "_index") return "/";
  const segments = name
    .split(".")
    .map((s) => s.replace("~", "."))
    .filter((s) => s !== "_index")
    .map((s) => s.replace(/_$/, ""))
    .map((s) => (s.startsWith("$") ? (s === "$" ? "nowhere" : params[s.slice(1)]) : s));
  return `/${segments.join("/")}`;
}

async function callLoader(mod: RouteModule, file: string, cookie?: string) {
  return responseOf(() => mod.loader!({ request: getRequest(urlFor(file), cookie), params, context: {} }));
}

async function callAction(mod: RouteModule, file: string, cookie?: string, origin?: string) {
  return responseOf(() =>
    mod.action!({ request: formRequest(urlFor(file), {}, { cookie, origin }), params, context: {} }),
  );
}

function status(result: Response | { value: unknown }): number {
  return result instanceof Response ? result.status : 200;
}

function isSignInRedirect(result: Response | { value: unknown }): boolean {
  return (
    result instanceof Response && result.status === 302 && (result.headers.get("Location") ?? "").startsWith("/login")
  );
}

describe("every route module has an access rule", () => {
  it("classifies every file in app/routes", () => {
    const unclassified = routeFiles.filter((f) => !(f in ACCESS));
    expect(unclassified).toEqual([]);
    expect(Object.keys(ACCESS).filter((f) => !routeFiles.includes(f))).toEqual([]);
  });
});

describe.each(routeFiles.filter((f) => f in ACCESS))("%s", (file) => {
  const access = ACCESS[file]!;
  const allowed = ALLOWED[access];
  let mod: RouteModule;
  beforeAll(async () => {
    mod = (await import(/* @vite-ignore */ path.join(routesDir, file))) as RouteModule;
  });

  if (allowed) {
    it("sends anonymous requests to sign in", async () => {
      if (mod.loader) expect(isSignInRedirect(await callLoader(mod, file))).toBe(true);
      if (mod.action) expect(isSignInRedirect(await callAction(mod, file))).toBe(true);
    });

    it("lets each allowed role through", async () => {
      for (const holder of allowed) {
        if (!mod.loader) continue;
        const result = await callLoader(mod, file, cookies[holder]);
        expect(status(result), `${holder} on ${file}`).not.toBe(403);
        expect(isSignInRedirect(result)).toBe(false);
      }
    });

    const refused = (Object.keys(HOLDERS) as Holder[]).filter((h) => !allowed.includes(h));
    if (refused.length) {
      it(`refuses ${refused.join(", ")} with a 403`, async () => {
        for (const holder of refused) {
          if (mod.loader)
            expect(status(await callLoader(mod, file, cookies[holder])), `${holder} loader on ${file}`).toBe(403);
          if (mod.action)
            expect(status(await callAction(mod, file, cookies[holder])), `${holder} action on ${file}`).toBe(403);
        }
      });
    }
  }

  if (access === "public") {
    it("serves anonymous requests without asking anyone to sign in", async () => {
      if (!mod.loader) return;
      const result = await callLoader(mod, file);
      expect(isSignInRedirect(result)).toBe(false);
      expect(status(result)).not.toBe(403);
    });
  }

  if (access === "anonymous-only") {
    it("sends signed-in users away", async () => {
      const result = await callLoader(mod, file, cookies.resident);
      expect(result instanceof Response && result.status === 302).toBe(true);
    });
  }

  if (hasAction(file)) {
    it("refuses a cross-site or origin-less form post (403) and accepts a same-origin one", async () => {
      const holder = allowed?.[0] ?? "resident";
      expect(status(await callAction(mod, file, cookies[holder], "http://evil.example"))).toBe(403);
      const missing = await responseOf(() =>
        mod.action!({ request: formRequest(urlFor(file), {}, { origin: null }), params, context: {} }),
      );
      expect(status(missing)).toBe(403);
      if (access !== "anonymous-only") {
        // A fresh session, since some actions (sign out) end the one they are given.
        const fresh = await sessionCookieFor(HOLDERS[holder]);
        expect(status(await callAction(mod, file, fresh, ORIGIN))).not.toBe(403);
      }
    });
  }
});

function hasAction(file: string): boolean {
  return /export (async )?function action/.test(fs.readFileSync(path.join(routesDir, file), "utf8"));
}
