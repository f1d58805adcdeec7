import { describe, expect, it } from "vitest";
import { messageText } from "~/utils/message-text";

/** A refusal (a message key) read in English, as the page shows it to an English reader. */
const english = (reason: string) => messageText(reason, "en");
import { invariants, ledgerAgreement } from "./invariants";
import { GRANT_ID, World, budgetsOf, schedule } from "./test-world";
import { trancheGrantId } from "../bids";

function consistent(world: World) {
  expect(invariants(world.state)).toEqual([]);
  expect(ledgerAgreement([world.state], world.ledger.totals())).toEqual([]);
  expect(world.ledger.conservation(world.scopeOf).holds).toBe(true);
}

const accepted = (items: Parameters<typeof schedule>[0]) => {
  const world = new World(schedule(items));
  world.do({ type: "accept-offer" });
  return world;
};

describe("award and offer", () => {
  it("commits the award year's part and leaves later years pending", () => {
    const world = new World(schedule([{ pence: 30_000 }, { pence: 20_000, year: 1 }]));
    expect(world.state.status).toBe("approved");
    expect(world.balance("COMMITTED")).toBe(30_000);
    expect(world.state.parts.map((p) => [p.fy, p.status, p.grantId])).toEqual([
      ["2025/26", "committed", GRANT_ID],
      ["2026/27", "pending", trancheGrantId(GRANT_ID, "2026/27")],
    ]);
    consistent(world);
  });

  it("pays nothing before the offer is accepted", () => {
    const world = new World(schedule([{ pence: 65_000 }]));
    expect(
      english(world.refused({ type: "request-payment", requestId: "r1", seq: 1, pence: 65_000, today: world.today })),
    ).toMatch(/not accepted/);
  });

  it("a declined offer gives the commitment back and withdraws the bid", () => {
    const world = new World(schedule([{ pence: 30_000 }, { pence: 20_000, year: 1 }]));
    const postings = world.do({ type: "decline-offer", reason: "We found other funding" });
    expect(postings.map((p) => p.draft.type)).toEqual(["DECOMMIT"]);
    expect(world.state).toMatchObject({ status: "withdrawn", offer: "declined" });
    expect(world.state.parts.map((p) => p.status)).toEqual(["decommitted", "cancelled"]);
    expect(world.balance("COMMITTED")).toBe(0);
    expect(world.ledger.balance(`AVAILABLE:${budgetsOf("2025/26")[0]}`)).toBe(50_000_000);
    expect(english(world.refused({ type: "accept-offer" }))).toMatch(/declined/);
    consistent(world);
  });
});

describe("a withdrawn bid is never paid (finding 1)", () => {
  it("refuses withdrawal while a payment request is open, with the reason", () => {
    const world = accepted([{ pence: 65_000 }]);
    world.do({ type: "request-payment", requestId: "req-1", seq: 1, pence: 65_000, today: world.today });
    expect(english(world.refused({ type: "withdraw", reason: "Project cancelled" }))).toBe(
      "The grant cannot be withdrawn while a payment of £650.00 is with finance: finance must confirm the payment " +
        "or record that it failed first.",
    );
    expect(world.balance("PAYABLE")).toBe(65_000);
    consistent(world);
  });

  it("after the request fails the bid withdraws, and nothing can be requested or confirmed on it", () => {
    const world = accepted([{ pence: 65_000 }]);
    world.do({ type: "request-payment", requestId: "req-1", seq: 1, pence: 65_000, today: world.today });
    expect(
      world
        .do({ type: "fail-payment", requestId: "req-1", reason: "Stopped at the group's request" })
        .map((p) => p.draft.type),
    ).toEqual(["PAY_FAILED"]);
    expect(world.do({ type: "withdraw", reason: "Project cancelled" }).map((p) => p.draft.type)).toEqual(["DECOMMIT"]);
    expect(world.state.status).toBe("withdrawn");
    expect(
      english(
        world.refused({ type: "confirm-payment", requestId: "req-1", confirmId: "conf-1", paymentRef: "BACS-1" }),
      ),
    ).toMatch(/withdrawn/);
    expect(
      english(
        world.refused({ type: "request-payment", requestId: "req-2", seq: 1, pence: 65_000, today: world.today }),
      ),
    ).toMatch(/withdrawn/);
    expect(world.balance("PAID")).toBe(0);
    expect(world.balance("PAYABLE")).toBe(0);
    consistent(world);
  });

  it("once confirmed, the bid is paid and can no longer be withdrawn", () => {
    const world = accepted([{ pence: 65_000 }]);
    world.do({ type: "request-payment", requestId: "req-1", seq: 1, pence: 65_000, today: world.today });
    world.do({ type: "confirm-payment", requestId: "req-1", confirmId: "conf-1", paymentRef: "BACS-1" });
    expect(world.state.status).toBe("paid");
    expect(english(world.refused({ type: "withdraw", reason: "Too late" }))).toMatch(/paid cannot be withdrawn/);
    consistent(world);
  });
});

describe("instalments follow the ledger (finding 2)", () => {
  it("refuses a request that is not a whole instalment unless it is split with a reason", () => {
    const world = accepted([{ pence: 40_000 }]);
    expect(
      english(world.refused({ type: "request-payment", requestId: "req-1", seq: 1, pence: 100, today: world.today })),
    ).toBe(
      "A payment request is for a whole instalment (£400.00). To pay £1.00 of it, split the instalment and say why.",
    );
    expect(
      english(
        world.refused({ type: "request-payment", requestId: "req-1", seq: 1, pence: 40_001, today: world.today }),
      ),
    ).toMatch(/cannot be for more/);
  });

  it("an explicit split records both parts; paying £1 leaves £399 due, committed and in the queue", () => {
    const world = accepted([{ pence: 40_000 }]);
    world.do({
      type: "request-payment",
      requestId: "req-1",
      seq: 1,
      pence: 100,
      today: world.today,
      splitReason: "Deposit for the hall",
    });
    expect(world.state.splits).toEqual([{ seq: 1, intoSeqs: [2, 3], reason: "Deposit for the hall" }]);
    expect(world.state.instalments.map((i) => [i.seq, i.amountPence, i.state])).toEqual([
      [1, 40_000, "split"],
      [2, 100, "requested"],
      [3, 39_900, "unpaid"],
    ]);
    world.do({ type: "confirm-payment", requestId: "req-1", confirmId: "conf-1", paymentRef: "BACS-1" });
    expect(world.state.status).toBe("paid");
    expect(world.balance("COMMITTED")).toBe(39_900);
    expect(world.state.instalments.find((i) => i.seq === 3)?.state).toBe("unpaid");
    expect(english(world.refused({ type: "close" }))).toMatch(/still to be paid \(£399\.00\)/);
    consistent(world);
  });

  it("reversing a confirmation puts the instalment and the bid back, and the money to committed", () => {
    const world = accepted([{ pence: 40_000 }]);
    world.do({ type: "request-payment", requestId: "req-1", seq: 1, pence: 40_000, today: world.today });
    world.do({ type: "confirm-payment", requestId: "req-1", confirmId: "conf-1", paymentRef: "BACS-1" });
    const postings = world.do({
      type: "reverse-confirmation",
      requestId: "req-1",
      reason: "Recorded against the wrong grant",
    });
    expect(postings.map((p) => [p.draft.type, p.draft.reverses])).toEqual([
      ["REVERSAL", "conf-1"],
      ["REVERSAL", "req-1"],
    ]);
    expect(world.state.status).toBe("offer-accepted");
    expect(world.state.instalments[0]).toMatchObject({ state: "unpaid", requestId: null });
    expect([world.balance("PAID"), world.balance("PAYABLE"), world.balance("COMMITTED")]).toEqual([0, 0, 40_000]);
    world.do({ type: "request-payment", requestId: "req-2", seq: 1, pence: 40_000, today: world.today });
    world.do({ type: "confirm-payment", requestId: "req-2", confirmId: "conf-2", paymentRef: "BACS-2" });
    expect(world.state.status).toBe("paid");
    consistent(world);
  });

  it(
    "reversing an open request puts the instalment back; a failed or confirmed one cannot be reversed as a " +
      "request",
    () => {
      const world = accepted([{ pence: 40_000 }]);
      world.do({ type: "request-payment", requestId: "req-1", seq: 1, pence: 40_000, today: world.today });
      world.do({ type: "reverse-request", requestId: "req-1", reason: "Wrong amount keyed" });
      expect(world.state.instalments[0]!.state).toBe("unpaid");
      expect(english(world.refused({ type: "reverse-request", requestId: "req-1", reason: "again" }))).toMatch(
        /reversed/,
      );
      expect(
        english(world.refused({ type: "confirm-payment", requestId: "req-1", confirmId: "c", paymentRef: "x" })),
      ).toMatch(/no longer waiting/);
      consistent(world);
    },
  );

  it("a paid instalment cannot be requested twice", () => {
    const world = accepted([{ pence: 40_000 }]);
    world.do({ type: "request-payment", requestId: "req-1", seq: 1, pence: 40_000, today: world.today });
    expect(
      english(
        world.refused({ type: "request-payment", requestId: "req-2", seq: 1, pence: 40_000, today: world.today }),
      ),
    ).toMatch(/already requested/);
    world.do({ type: "confirm-payment", requestId: "req-1", confirmId: "conf-1", paymentRef: "BACS-1" });
    expect(
      english(
        world.refused({ type: "request-payment", requestId: "req-2", seq: 1, pence: 40_000, today: world.today }),
      ),
    ).toMatch(/is paid/);
  });
});

describe("monitoring, later years and closure", () => {
  it("an instalment after monitoring waits for the accepted report; then the grant closes", () => {
    const world = accepted([{ pence: 25_000 }, { pence: 25_000, afterMonitoring: true }]);
    world.do({ type: "request-payment", requestId: "req-1", seq: 1, pence: 25_000, today: world.today });
    world.do({ type: "confirm-payment", requestId: "req-1", confirmId: "conf-1", paymentRef: "BACS-1" });
    expect(
      english(
        world.refused({ type: "request-payment", requestId: "req-2", seq: 2, pence: 25_000, today: world.today }),
      ),
    ).toMatch(/monitoring report has been accepted/);
    expect(english(world.refused({ type: "accept-report" }))).toMatch(/No monitoring report is due/);
    world.do({ type: "request-monitoring" });
    expect(world.state.status).toBe("monitoring-due");
    expect(english(world.refused({ type: "close" }))).toMatch(/still to be paid/);
    world.do({ type: "accept-report" });
    world.do({ type: "request-payment", requestId: "req-2", seq: 2, pence: 25_000, today: world.today });
    expect(english(world.refused({ type: "close" }))).toMatch(/with finance/);
    world.do({ type: "confirm-payment", requestId: "req-2", confirmId: "conf-2", paymentRef: "BACS-2" });
    world.do({ type: "close" });
    expect(world.state.status).toBe("closed");
    expect(
      english(world.refused({ type: "request-payment", requestId: "req-3", seq: 2, pence: 1, today: world.today })),
    ).toMatch(/closed/);
    expect(english(world.refused({ type: "reverse-confirmation", requestId: "req-2", reason: "x" }))).toMatch(/closed/);
    consistent(world);
  });

  it("a later year's part is committed against its own year's budget and not paid before its year", () => {
    const world = accepted([{ pence: 30_000 }, { pence: 20_000, year: 1 }]);
    expect(
      english(
        world.refused({ type: "request-payment", requestId: "req-1", seq: 2, pence: 20_000, today: world.today }),
      ),
    ).toMatch(/not committed yet/);
    const later = budgetsOf("2026/27").map((budgetId) => ({ budgetId, pence: 10_000 }));
    expect(
      english(
        world.refused({
          type: "commit-part",
          fy: "2026/27",
          scheme: "WB-2026-27",
          sources: later.slice(0, 1),
          today: world.today,
        }),
      ),
    ).toMatch(/budgets give £100\.00/);
    world.do({ type: "commit-part", fy: "2026/27", scheme: "WB-2026-27", sources: later, today: world.today });
    const trancheId = trancheGrantId(GRANT_ID, "2026/27");
    expect(world.balance("COMMITTED", trancheId)).toBe(20_000);
    expect(
      english(
        world.refused({ type: "request-payment", requestId: "req-1", seq: 2, pence: 20_000, today: world.today }),
      ),
    ).toBe("This is the 2026/27 part of the grant: it can be paid from 2026-04-01, when that year begins.");
    world.today = "2026-04-01";
    world.do({ type: "request-payment", requestId: "req-1", seq: 2, pence: 20_000, today: world.today });
    expect(world.balance("PAYABLE", trancheId)).toBe(20_000);
    consistent(world);
  });

  it("withdrawing one year's part decommits it and cancels its instalments; refused while its payment is open", () => {
    const world = accepted([{ pence: 30_000 }, { pence: 20_000, year: 1 }]);
    world.do({ type: "request-payment", requestId: "req-1", seq: 1, pence: 30_000, today: world.today });
    expect(english(world.refused({ type: "withdraw-part", fy: "2025/26", reason: "Project ended early" }))).toMatch(
      /in progress/,
    );
    world.do({ type: "withdraw-part", fy: "2026/27", reason: "Not needed" });
    expect(world.state.parts[1]!.status).toBe("cancelled");
    expect(world.state.instalments[1]!.state).toBe("cancelled");
    world.do({ type: "confirm-payment", requestId: "req-1", confirmId: "conf-1", paymentRef: "BACS-1" });
    world.do({ type: "request-monitoring" });
    world.do({ type: "accept-report" });
    world.do({ type: "close" });
    consistent(world);
  });

  it(
    "reversing a payment of a year since withdrawn gives the money back to its budgets and cancels the " + "instalment",
    () => {
      const world = accepted([{ pence: 100, afterMonitoring: true }, { pence: 200 }]);
      world.do({ type: "request-payment", requestId: "req-1", seq: 2, pence: 200, today: world.today });
      world.do({ type: "confirm-payment", requestId: "req-1", confirmId: "conf-1", paymentRef: "BACS-1" });
      world.do({ type: "withdraw-part", fy: "2025/26", reason: "Project ended early" });
      const postings = world.do({
        type: "reverse-confirmation",
        requestId: "req-1",
        reason: "Paid to the wrong group",
      });
      expect(postings.map((p) => p.draft.type)).toEqual(["REVERSAL", "REVERSAL", "DECOMMIT"]);
      expect(world.state.instalments.map((i) => i.state)).toEqual(["cancelled", "cancelled"]);
      expect(world.state.status).toBe("offer-accepted");
      expect([world.balance("COMMITTED"), world.balance("PAID")]).toEqual([0, 0]);
      consistent(world);
    },
  );

  it("a PB grant follows the same rules from won", () => {
    const world = new World(schedule([{ pence: 10_000 }]), { kind: "pb-round" });
    expect(world.state.status).toBe("won");
    world.do({ type: "accept-offer" });
    expect(world.state.status).toBe("offer-accepted");
    consistent(world);
  });
});

describe("clawbacks", () => {
  it("only after payment, up to what was paid; received money goes back to a source budget", () => {
    const world = accepted([{ pence: 40_000 }]);
    expect(
      english(
        world.refused({ type: "raise-clawback", fy: "2025/26", pence: 100, reason: "Underspend", invoiceRef: "INV-1" }),
      ),
    ).toMatch(/Nothing of the 2025\/26 part has been paid/);
    world.do({ type: "request-payment", requestId: "req-1", seq: 1, pence: 40_000, today: world.today });
    world.do({ type: "confirm-payment", requestId: "req-1", confirmId: "conf-1", paymentRef: "BACS-1" });
    expect(
      english(
        world.refused({
          type: "raise-clawback",
          fy: "2025/26",
          pence: 40_001,
          reason: "Underspend",
          invoiceRef: "INV-1",
        }),
      ),
    ).toMatch(/Only £400\.00/);
    world.do({ type: "raise-clawback", fy: "2025/26", pence: 15_000, reason: "Underspend", invoiceRef: "INV-1" });
    expect(english(world.refused({ type: "reverse-confirmation", requestId: "req-1", reason: "x" }))).toMatch(
      /demanded back/,
    );
    expect(
      english(world.refused({ type: "receive-clawback", fy: "2025/26", pence: 15_001, destination: "returned" })),
    ).toMatch(/Only £150\.00 is owed/);
    expect(
      english(
        world.refused({ type: "receive-clawback", fy: "2025/26", pence: 100, destination: { budgetId: "elsewhere" } }),
      ),
    ).toMatch(/budget the 2025\/26 part came from/);
    world.do({
      type: "receive-clawback",
      fy: "2025/26",
      pence: 10_000,
      destination: { budgetId: budgetsOf("2025/26")[0]! },
      receiptRef: "RCPT-1",
    });
    world.do({ type: "write-off-clawback", fy: "2025/26", pence: 5_000, reason: "Group dissolved" });
    expect([world.balance("PAID"), world.balance("RECOVERABLE")]).toEqual([30_000, 0]);
    expect(world.state.status).toBe("paid");
    consistent(world);
  });
});

describe("invariants catch drift", () => {
  it("reports an instalment marked paid that the ledger never paid", () => {
    const world = accepted([{ pence: 40_000 }]);
    const drifted = {
      ...world.state,
      instalments: world.state.instalments.map((i) => ({ ...i, state: "paid" as const })),
    };
    expect(invariants(drifted).join("\n")).toMatch(/paid instalments total 40000p but the ledger shows 0p/);
  });

  it("reports PAYABLE on a withdrawn grant and a status that disagrees with the balances", () => {
    const world = accepted([{ pence: 65_000 }]);
    world.do({ type: "request-payment", requestId: "req-1", seq: 1, pence: 65_000, today: world.today });
    const drifted = { ...world.state, status: "withdrawn" as const };
    expect(invariants(drifted).join("\n")).toMatch(/withdrawn with 65000p PAYABLE/);
    expect(ledgerAgreement([drifted], world.ledger.totals()).join("\n")).toMatch(/PAYABLE on a withdrawn grant/);
  });

  it("reports a grant whose balances differ from the ledger's", () => {
    const world = accepted([{ pence: 65_000 }]);
    const other = new World(schedule([{ pence: 60_000 }]));
    expect(ledgerAgreement([world.state], other.ledger.totals())).toEqual([
      `${GRANT_ID}: ledger COMMITTED is 60000p, the grant says 65000p`,
    ]);
  });
});
