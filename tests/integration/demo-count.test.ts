import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoCount } from "../../scripts/seed/count";
import { pbRounds } from "~/db/schema";
import { findCount, publishedCount, winnersOf } from "~/models/counts.server";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { createCountFixture, createSecondAdmin } from "../factories";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase({ seed: "people" });
  await createSecondAdmin(t.db);
});
afterAll(() => t.close());

describe("seedDemoCount", () => {
  it("closes, counts and ratifies a round, once", () => {
    const fixture = createCountFixture(t.db, { ballots: 80, seed: 2 });
    seedDemoCount(t.db, fixture.roundId);
    expect(findCount(fixture.roundId, t.db)!.status).toBe("ratified");
    expect(t.db.select().from(pbRounds).where(eq(pbRounds.id, fixture.roundId)).get()!.phase).toBe("results");
    expect(publishedCount(fixture.roundId, t.db)).not.toBeNull();
    const winners = winnersOf(fixture.roundId, t.db);
    expect(winners.length).toBeGreaterThan(0);
    seedDemoCount(t.db, fixture.roundId);
    expect(winnersOf(fixture.roundId, t.db)).toEqual(winners);
  });
});
