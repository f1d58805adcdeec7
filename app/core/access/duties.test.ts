import { describe, expect, it } from "vitest";
import { checkDuty, needsDesignatedDecisionMaker, type DutyHolder, type Subject } from "./duties";

const bid: Subject = { groupId: 7, wardIds: [1, 2], approverIds: ["cllr-a"], paymentRequesterId: "fin-a" };
const councillor: DutyHolder = {
  id: "cllr-a",
  roles: ["councillor", "resident"],
  councillorWardIds: [1],
  groupIds: [],
};
const otherWardCouncillor: DutyHolder = { id: "cllr-x", roles: ["councillor"], councillorWardIds: [9], groupIds: [] };
const finance: DutyHolder = { id: "fin-b", roles: ["finance"], councillorWardIds: [], groupIds: [] };
const admin: DutyHolder = { id: "adm", roles: ["admin"], councillorWardIds: [], groupIds: [] };

describe("deciding a bid", () => {
  it("lets a councillor of one of the bid's wards decide", () => {
    expect(checkDuty("decide-bid", councillor, bid)).toEqual({ allowed: true });
  });
  it("refuses a councillor of another ward", () => {
    expect(checkDuty("decide-bid", otherWardCouncillor, bid)).toMatchObject({ allowed: false });
  });
  it("refuses a councillor who belongs to the bidding group", () => {
    expect(checkDuty("decide-bid", { ...councillor, groupIds: [7] }, bid)).toMatchObject({
      allowed: false,
      reason: "payments:duty.ownGroup",
    });
  });
  it("refuses a councillor who declared an interest", () => {
    expect(checkDuty("decide-bid", councillor, { ...bid, declaredInterestIds: ["cllr-a"] })).toMatchObject({
      allowed: false,
      reason: "payments:duty.declaredInterest",
    });
  });
  it("refuses a finance officer even when they are also the ward's councillor", () => {
    expect(checkDuty("decide-bid", { ...councillor, roles: ["councillor", "finance"] }, bid)).toMatchObject({
      allowed: false,
      reason: "payments:duty.financeNoApprove",
    });
  });
  it("lets the designated decision-maker decide", () => {
    expect(checkDuty("decide-bid", { ...admin, isDesignatedDecisionMaker: true }, bid)).toEqual({ allowed: true });
  });
  it("sends the bid to the designated decision-maker only when every ward councillor has an interest", () => {
    expect(needsDesignatedDecisionMaker(["a", "b"], ["a"])).toBe(false);
    expect(needsDesignatedDecisionMaker(["a", "b"], ["b", "a"])).toBe(true);
    expect(needsDesignatedDecisionMaker([], [])).toBe(false);
  });
});

describe("paying a grant", () => {
  it("lets a finance officer who did not approve it request payment", () => {
    expect(checkDuty("request-payment", finance, bid)).toEqual({ allowed: true });
  });
  it("refuses anyone without the finance role", () => {
    expect(checkDuty("request-payment", admin, bid)).toMatchObject({ allowed: false });
  });
  it("refuses the approver", () => {
    expect(checkDuty("request-payment", { ...finance, id: "cllr-a" }, bid)).toMatchObject({
      allowed: false,
      reason: "payments:duty.approverPays",
    });
  });
  it("refuses to let the requester confirm their own payment", () => {
    expect(checkDuty("confirm-payment", { ...finance, id: "fin-a" }, bid)).toMatchObject({ allowed: false });
    expect(checkDuty("confirm-payment", finance, bid)).toEqual({ allowed: true });
  });
  it("refuses a member of the group", () => {
    expect(checkDuty("request-payment", { ...finance, groupIds: [7] }, bid)).toMatchObject({ allowed: false });
  });
});

describe("reviewing a bid", () => {
  it("is for council officers who are not in the group", () => {
    expect(checkDuty("review-bid", admin, bid)).toEqual({ allowed: true });
    expect(checkDuty("review-bid", { ...admin, groupIds: [7] }, bid)).toMatchObject({ allowed: false });
    expect(checkDuty("review-bid", councillor, bid)).toMatchObject({ allowed: false });
  });
});

describe("committing a later year's tranche", () => {
  it("lets a finance officer or an administrator who did not approve the grant commit it", () => {
    expect(checkDuty("commit-tranche", finance, bid)).toEqual({ allowed: true });
    expect(checkDuty("commit-tranche", admin, bid)).toEqual({ allowed: true });
  });
  it("refuses the approver, a member of the group, and anyone without a finance or admin role", () => {
    expect(checkDuty("commit-tranche", { ...finance, id: "cllr-a" }, bid)).toMatchObject({
      allowed: false,
      reason: "payments:duty.approverTranche",
    });
    expect(checkDuty("commit-tranche", { ...finance, groupIds: [7] }, bid)).toMatchObject({
      allowed: false,
      reason: "payments:duty.ownGroup",
    });
    expect(checkDuty("commit-tranche", councillor, { ...bid, approverIds: [] })).toMatchObject({ allowed: false });
  });
});
