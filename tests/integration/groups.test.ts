import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bankDetailsForFinance, getGroup, registerGroup, setBankDetails, verifyGroup } from "~/models/groups.server";
import { loadPrincipal, type Principal } from "~/utils/auth.server";
import { findUserByEmail } from "~/models/accounts.server";
import { inviteToGroup } from "~/models/invitations.server";
import { addMemberByConsent } from "../support/accounts";
import { createTestDatabase, type TestDatabase } from "../support/database";
import { messageText } from "~/utils/message-text";
import { Refusal } from "~/utils/refusal";

let t: TestDatabase;
let founder: Principal;
let admin: Principal;
beforeAll(async () => {
  t = await createTestDatabase({ seed: "people" });
  founder = loadPrincipal(findUserByEmail("yusuf.osman@residents.example")!.id)!;
  admin = loadPrincipal(findUserByEmail("admin@eastbrook.example")!.id)!;
});
afterAll(() => t.close());

const input = {
  name: "Kingsmead Repair Café",
  organisationType: "constituted-group" as const,
  charityNumber: null,
  companyNumber: null,
  address: "Kingsmead Community Centre, Eastbrook",
  postcode: "EB1 1AB",
  contactEmail: "repair@kingsmead.example",
  contactPhone: null,
};

describe("community groups", () => {
  let groupId: number;

  it("registers a group with its founder as lead contact, audited", () => {
    groupId = registerGroup(founder, input);
    const group = getGroup(groupId)!;
    expect(group.members).toEqual([expect.objectContaining({ name: "Yusuf Osman", memberRole: "lead" })]);
    expect(
      t.db.$client
        .prepare("select action from audit_events where entity_type = 'group' and entity_id = ?")
        .all(String(groupId)),
    ).toEqual([{ action: "group.registered" }]);
    expect(() => registerGroup(founder, input)).toThrow(Refusal);
  });

  it("cannot be verified before it gives bank details", () => {
    expect(() => verifyGroup(admin, groupId, "Constitution and accounts checked", 0)).toThrow(
      "payments:group.noBankToVerify",
    );
    expect(messageText("payments:group.noBankToVerify", "en")).toMatch(/bank details/);
  });

  it("masks the account number for members and shows it in full to finance", () => {
    setBankDetails(founder, groupId, {
      accountName: "Kingsmead Repair Cafe",
      sortCode: "20-00-00",
      accountNumber: "12345678",
    });
    expect(getGroup(groupId)!.bank).toMatchObject({ accountNumber: "****5678" });
    expect(bankDetailsForFinance(groupId)).toMatchObject({ accountNumber: "12345678" });
    const audit = t.db.$client
      .prepare("select after from audit_events where action = 'group.bank-details-changed'")
      .get() as { after: string };
    expect(audit.after).not.toContain("12345678");
  });

  it("is verified by an administrator, and a later change of bank details withdraws the verification", () => {
    verifyGroup(admin, groupId, "Constitution, accounts and bank statement checked", getGroup(groupId)!.bank!.id);
    expect(getGroup(groupId)!.group.verifiedAt).not.toBeNull();
    const { reverificationNeeded } = setBankDetails(founder, groupId, {
      accountName: "K R C",
      sortCode: "40-11-22",
      accountNumber: "87654321",
    });
    expect(reverificationNeeded).toBe(true);
    expect(getGroup(groupId)!.group.verifiedAt).toBeNull();
  });

  it("is never verified by a member of the group", () => {
    addMemberByConsent(founder, groupId, "admin@eastbrook.example");
    const adminAsMember = loadPrincipal(admin.id)!;
    expect(() =>
      verifyGroup(adminAsMember, groupId, "I checked it myself, honestly", getGroup(groupId)!.bank!.id),
    ).toThrow("payments:duty.ownGroup");
    expect(messageText("payments:duty.ownGroup", "en")).toMatch(/belong/);
  });

  it("lets only the lead contact invite members", () => {
    const member = loadPrincipal(admin.id)!;
    expect(() => inviteToGroup(member, groupId, "finance@eastbrook.example", () => "link")).toThrow(
      "account:invitation.notLead",
    );
  });
});

describe("payments need a verified group", () => {
  it("refuses to request payment to a group whose bank details changed since verification", async () => {
    const { db: database } = t;
    const { requestPayment } = await import("~/models/finance.server");
    const { createFund, createGrant, createApproval } = await import("../support/ledger-fixtures");
    const { postEntry } = await import("~/models/ledger.server");
    const { budgetSet, commit } = await import("~/core/ledger");
    const finance = loadPrincipal(findUserByEmail("finance@eastbrook.example")!.id)!;
    const [budgetId] = createFund(database, { id: "PAYTEST-2026-27", fy: "2026/27", wardIds: [1] }) as [string];
    postEntry({
      draft: budgetSet({ scheme: "PAYTEST-2026-27", fy: "2026/27", allocations: [{ budgetId, pence: 100_000 }] }),
      idempotencyKey: "pt-1",
      actor: finance,
      effectiveDate: "2026-05-01",
    });
    const groupId = registerGroup(founder, { ...input, name: "Payment Test Group" });
    createGrant(database, { id: "PT-G1", fundId: "PAYTEST-2026-27", amountPence: 10_000, groupId });
    const approvalId = createApproval(database, { grantId: "PT-G1", amountPence: 10_000 });
    postEntry({
      draft: commit({ grantId: "PT-G1", sources: [{ budgetId, pence: 10_000 }] }),
      idempotencyKey: "pt-2",
      actor: finance,
      effectiveDate: "2026-05-02",
      approvalId,
    });
    expect(() => requestPayment(finance, { grantId: "PT-G1", pence: 10_000, idempotencyKey: "pt-3" })).toThrow(Refusal);
    setBankDetails(founder, groupId, {
      accountName: "Payment Test Group",
      sortCode: "20-00-00",
      accountNumber: "11112222",
    });
    verifyGroup(admin, groupId, "Checked the constitution and bank statement", getGroup(groupId)!.bank!.id);
    expect(requestPayment(finance, { grantId: "PT-G1", pence: 10_000, idempotencyKey: "pt-4" }).status).toBe("created");
  });
});
