/**
 * The refusals of a round's phases, its paper ballot keying and its ballot-key shares are message
 * keys, shown in the reader's language: each one read here in Welsh and in English.
 */
import { describe, expect, it } from "vitest";
import { messageKey } from "~/core/messages/message-key";
import { checkPhaseMove, phaseDatesSetByHand } from "~/core/rounds/phases";
import { formatShare, parseKeying, readShare } from "~/core/voting";
import { messageText } from "~/utils/message-text";

const both = (message: string) => ({ en: messageText(message, "en"), cy: messageText(message, "cy") });

describe("a refused phase move", () => {
  it("names the phases in the reader's language", () => {
    const skip = checkPhaseMove("reviewing", "counting");
    expect(skip.ok).toBe(false);
    if (skip.ok) return;
    expect(both(skip.reason)).toEqual({
      en: "A round moves one phase at a time: from “Reviewing bids” the next phase is “Voting”, not “Counting”.",
      cy: "Mae rownd yn symud un cam ar y tro: o “Yn adolygu ceisiadau” y cam nesaf yw “Pleidleisio”, nid “Cyfrif”.",
    });
    const same = checkPhaseMove("voting", "voting");
    if (!same.ok) expect(messageText(same.reason, "cy")).toBe("Mae'r rownd eisoes yn y cam “Pleidleisio”.");
    const closed = checkPhaseMove("closed", "draft");
    if (!closed.ok) expect(messageText(closed.reason, "cy")).toBe("Mae'r rownd wedi cau; nid oes cam arall iddi.");
    const dates = {
      bidsOpenAt: "2030-01-01T00:00:00Z",
      bidsCloseAt: "2030-02-01T00:00:00Z",
      votingOpensAt: "2030-03-01T00:00:00Z",
      votingClosesAt: "2030-04-01T00:00:00Z",
      resultsAt: "2030-05-01T00:00:00Z",
    };
    const late = phaseDatesSetByHand("voting", dates, "2030-04-02T00:00:00Z");
    expect(late.ok).toBe(false);
    if (!late.ok)
      expect(both(late.reason).cy).toMatch(/^Mae'r dyddiad cau ar gyfer pleidleisio eisoes wedi mynd heibio/);
  });
});

describe("a paper keying that cannot be read", () => {
  const positions = new Map([
    [1, 11],
    [2, 12],
    [3, 13],
  ]);

  it("says which line and what is wrong, with how many other lines have a problem", () => {
    const parsed = parseKeying("1 2\n1 1\n4\nx", positions, 2);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const first = parsed.errors[0]!;
    const message = messageKey(first.problem.key, {
      ...first.problem.values,
      where: "line",
      number: first.line,
      more: parsed.errors.length - 1,
    });
    expect(both(message)).toEqual({
      en: "Line 2: “1 1” names a project twice. 2 more lines have problems too.",
      cy: "Llinell 2: mae “1 1” yn enwi prosiect ddwywaith. Mae problemau ar 2 linell arall hefyd.",
    });
    const tooMany = parseKeying("1 2 3", positions, 2);
    if (!tooMany.ok) {
      const problem = tooMany.errors[0]!.problem;
      const onBallot = messageKey(problem.key, { ...problem.values, where: "ballot", number: 3, more: 0 });
      expect(both(onBallot)).toEqual({
        en: "Ballot 3: “1 2 3” ranks more than 2 projects.",
        cy: "Pleidlais 3: mae “1 2 3” yn rhoi mwy na 2 brosiect mewn trefn.",
      });
    }
    expect(parseKeying("\n", positions, 2)).toMatchObject({ ok: false, empty: true });
  });
});

describe("a ballot-key share that cannot be read", () => {
  it("says why in the reader's language", () => {
    const share = formatShare(7, new Uint8Array(33).fill(5));
    expect(readShare(7, share, 33).ok).toBe(true);
    const cases = [
      [readShare(7, "", 33), "Rhowch gyfran allwedd"],
      [
        readShare(7, "X-1234", 33),
        "Mae cyfran allwedd yn dechrau gydag R, rhif y rownd a chysylltnod, fel y'i hargraffwyd",
      ],
      [readShare(7, share.replace("R7-", "R8-"), 33), "Mae'r gyfran hon ar gyfer rownd 8, nid y rownd hon"],
      [
        readShare(7, share.slice(0, -5), 33),
        "Nid yw'r gyfran hon yn gyflawn: gwiriwch bob grŵp yn erbyn y ddalen brintiedig",
      ],
    ] as const;
    for (const [reading, welsh] of cases) {
      expect(reading.ok).toBe(false);
      if (!reading.ok) expect(messageText(reading.message, "cy")).toBe(welsh);
    }
    const other = readShare(7, share.replace("R7-", "R8-"), 33);
    if (!other.ok) expect(messageText(other.message, "en")).toBe("This share is for round 8, not this one");
  });
});
