import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { londonDateOf } from "~/core/ledger";
import { outbox, wardDigests } from "~/db/schema";
import { buildWardDigest, listDigests, sendWardDigests } from "~/models/digests.server";
import { setNotificationPreferences } from "~/models/notifications.server";
import { loadPrincipal } from "~/utils/auth.server";
import { loader as digestLoader } from "~/routes/councillor.digest";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { userId } from "../factories";
import { getRequest, responseOf, sessionCookieFor } from "../support/requests";

let t: TestDatabase;
const month = londonDateOf(new Date()).slice(0, 7);

beforeAll(async () => {
  t = await createTestDatabase({ seed: true });
});
afterAll(() => t.close());

describe("ward digests", () => {
  it("builds a councillor's digest from their wards' bids, decisions and balances", () => {
    const digest = buildWardDigest(userId(t.db, "councillor@eastbrook.example"), month);
    expect(digest.facts.wards.map((w) => w.name)).toEqual(["Abbey Fields"]);
    expect(digest.facts.wards[0]!.setPence).toBeGreaterThan(0);
    expect(digest.body).toContain("Abbey Fields:");
    expect(digest.facts.fundsOpen.length).toBeGreaterThan(0);
  });

  it("stores one digest per councillor and month, mails it unless turned off, and shows it in the app", async () => {
    const other = loadPrincipal(userId(t.db, "cllr.ben.okafor@eastbrook.example"))!;
    setNotificationPreferences(other, ["bid-updates", "payments", "reminders"]);
    const result = sendWardDigests(month);
    const councillors = (
      t.db.$client
        .prepare("select count(distinct user_id) n from role_grants where role = 'councillor' and ward_id is not null")
        .get() as { n: number }
    ).n;
    expect(result.stored).toBe(councillors);
    expect(result.mailed).toBe(councillors - 1);
    const mailedTo = t.db
      .select()
      .from(outbox)
      .all()
      .filter((m) => m.subject.startsWith("Your ward digest"))
      .map((m) => m.toAddress);
    expect(mailedTo).toContain("councillor@eastbrook.example");
    expect(mailedTo).not.toContain("cllr.ben.okafor@eastbrook.example");
    expect(sendWardDigests(month)).toEqual({ stored: 0, mailed: 0 });
    expect(listDigests(other.id)).toHaveLength(1);
    expect(t.db.select().from(wardDigests).where(eq(wardDigests.month, month)).all()).toHaveLength(councillors);

    const cookie = await sessionCookieFor("councillor@eastbrook.example");
    const page = await responseOf(() =>
      digestLoader({ request: getRequest(`/councillor/digest?month=${month}`, cookie), params: {}, context: {} }),
    );
    const body = (await (page as Response).json()) as { months: string[]; chosen: { body: string } | null };
    expect(body.months).toEqual([month]);
    expect(body.chosen?.body).toContain("Abbey Fields");
  });
});
