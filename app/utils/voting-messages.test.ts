import { describe, expect, it } from "vitest";
import { ALREADY_VOTED, votingClosedReason } from "~/core/voting/eligibility";
import { checkRanking, rankingFromSelections } from "~/core/voting/ranking";
import { CODES_ONLY_MESSAGE, NEEDS_REGISTER_MESSAGE } from "~/core/voting/voter-rules";
import { Refusal } from "~/utils/refusal";
import { translatorFor } from "~/utils/translate";
import { votingMessage, votingMessageKey } from "./voting-messages";

const cy = translatorFor("cy");
const en = translatorFor("en");

/** The message in Welsh, and the English catalogue's wording of the same key (which must be the message itself). */
function inBothLanguages(message: string) {
  const known = votingMessage(message);
  expect(known, message).not.toBeNull();
  return { en: en(known!.key, known!.values), cy: cy(known!.key, known!.values) };
}

describe("voting messages", () => {
  it("knows the rules' own messages, and the English catalogue words them the same", () => {
    const window = { phase: "voting", votingOpensAt: "2026-01-01T00:00:00Z", votingClosesAt: "2026-02-01T00:00:00Z" };
    const messages = [
      ALREADY_VOTED,
      CODES_ONLY_MESSAGE,
      NEEDS_REGISTER_MESSAGE,
      votingClosedReason(window, "2025-12-01T00:00:00Z")!,
      votingClosedReason(window, "2026-03-01T00:00:00Z")!,
      checkRanking([], [1, 2], 2)!,
      checkRanking([1, 2, 3], [1, 2, 3], 2)!,
      checkRanking([1, 1], [1, 2], 2)!,
    ];
    for (const message of messages) {
      const both = inBothLanguages(message);
      expect(both.en).toBe(message);
      expect(both.cy).not.toBe(message);
    }
  });

  it("reads the numbers out of the messages that carry them", () => {
    const gap = rankingFromSelections({ "rank-1": "1", "rank-2": "3" }, [1, 2, 3], 3);
    expect(gap.ok).toBe(false);
    if (gap.ok) return;
    const fieldError = Object.values(gap.errors)[0]!;
    expect(inBothLanguages(fieldError)).toEqual({
      en: fieldError,
      cy: "Nid oes prosiect yn safle 2: defnyddiwch safleoedd 1, 2, 3 … heb fylchau",
    });
    expect(inBothLanguages(gap.formError!).cy).toBe(
      "Rhaid i'r safleoedd ddilyn ymlaen o 1 heb fylchau (nid oes dim yn safle 2).",
    );
  });

  it("turns a refusal's known messages into keys, and leaves others as they are", () => {
    const refusal = new Refusal(ALREADY_VOTED, { status: 409, code: "already-voted", fieldErrors: { x: "Other" } });
    const keyed = votingMessageKey(refusal);
    expect(keyed.message).toBe("voting:msg.alreadyVoted");
    expect(keyed.fieldErrors).toEqual({ x: "Other" });
    expect([keyed.status, keyed.code]).toEqual([409, "already-voted"]);
    expect(votingMessage("Something new")).toBeNull();
  });
});
