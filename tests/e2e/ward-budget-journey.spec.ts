import { expect, test, type Browser, type Page } from "@playwright/test";
import { DEMO, expectAccessible, signIn, visit } from "./support";

const FINANCE_CONFIRMER = "finance2@eastbrook.example";
const TITLE = "Community seed library";
const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000970485973000003e8000003e801b57b526b0000000d494441540899636060606000000005000187a14ed40000000049454e44ae426082",
  "hex",
);
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function as(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

/** Reads "£1,234.56" as pence. */
const pence = (text: string) => Math.round(Number(text.replace(/[£,\s]/g, "")) * 100);

/** The ward budget figures shown on a public ward page, in pence. */
async function wardBudget(page: Page) {
  const figure = async (label: string) => pence(await page.locator(`dt:text-is('${label}') + dd`).first().innerText());
  return {
    set: await figure("Budget set"),
    committed: await figure("Committed"),
    paid: await figure("Paid"),
    available: await figure("Available"),
  };
}

test("a ward-budget bid goes from draft to a paid grant shown on the public ward page", async ({ browser }) => {
  test.setTimeout(240_000);

  // The public ward page before the journey: its address comes from the list of wards.
  const publicPage = await (await browser.newContext()).newPage();
  await visit(publicPage, "/wards");
  await publicPage.getByRole("link", { name: "Abbey Fields", exact: true }).click();
  await expect(publicPage.getByRole("heading", { level: 1, name: "Abbey Fields" })).toBeVisible();
  await expectAccessible(publicPage);
  const wardPath = new URL(publicPage.url()).pathname;
  expect(wardPath).toMatch(/^\/wards\/E05\d{6}$/);
  await expect(publicPage.getByRole("heading", { name: TITLE })).toHaveCount(0);
  const before = await wardBudget(publicPage);

  // 1. The group lead drafts the bid across the steps, saves it and submits it with a file.
  const lead = await as(browser, DEMO.groupMember);
  await visit(lead, "/groups/1/bids/new");
  await lead.getByRole("radio", { name: /Councillor Ward Budgets/ }).check();
  await lead.getByRole("button", { name: "Start the bid" }).click();
  await expect(lead.getByRole("heading", { level: 1, name: "About the project" })).toBeVisible();
  await expectAccessible(lead);
  const bidId = new URL(lead.url()).pathname.match(/^\/bids\/(\d+)\/edit$/)?.[1];
  expect(bidId).toBeTruthy();

  await lead.getByLabel("Project title").fill(TITLE);
  await lead.getByLabel("Summary", { exact: true }).fill("Shelves and envelopes so plot holders can share seeds.");
  await lead.getByRole("button", { name: "Save draft" }).click();
  await expect(lead.getByRole("status")).toContainText("Your draft is saved");
  await expectAccessible(lead);
  await lead
    .getByLabel("Description")
    .fill("A seed library in the allotment shed: shelving, seed envelopes, labels and a catalogue.");
  await lead.getByRole("button", { name: "Save and continue" }).click();

  await expect(lead.getByRole("heading", { level: 1, name: "Money" })).toBeVisible();
  await expectAccessible(lead);
  await lead.getByLabel("Amount you are asking for (£)").fill("450");
  await lead.getByLabel("Line 1: what it is for").fill("Shelving");
  await lead.getByLabel("Line 1: cost (£)").fill("300");
  await lead.getByLabel("Line 2: what it is for").fill("Envelopes and labels");
  await lead.getByLabel("Line 2: cost (£)").fill("150");
  await expect(lead.getByText("Budget lines add up to £450.00")).toBeVisible();
  await lead.getByRole("button", { name: "Save and continue" }).click();

  await expect(lead.getByRole("heading", { level: 1, name: "Who and where" })).toBeVisible();
  await expectAccessible(lead);
  await lead.getByRole("checkbox", { name: "Abbey Fields" }).check();
  await lead.getByLabel("Who will benefit?").fill("Plot holders and their families");
  await lead.getByLabel("About how many people will benefit?").fill("120");
  await lead.getByLabel("Start date").fill(day(14));
  await lead.getByLabel("End date").fill(day(90));
  await lead.getByRole("button", { name: "Save and continue" }).click();

  await expect(lead.getByRole("heading", { level: 1, name: "Files" })).toBeVisible();
  await expectAccessible(lead);
  await lead.getByLabel("Upload a file").setInputFiles({ name: "shed-plan.png", mimeType: "image/png", buffer: PNG });
  await lead.getByRole("button", { name: "Upload file" }).click();
  await expect(lead.getByRole("status")).toContainText("File uploaded.");
  await expect(lead.getByRole("link", { name: "shed-plan.png" })).toBeVisible();
  await expectAccessible(lead);
  await lead.getByRole("link", { name: "Continue", exact: true }).click();

  await expect(lead.getByRole("heading", { level: 1, name: "Check and submit" })).toBeVisible();
  await expectAccessible(lead);
  await expect(lead.getByText("Envelopes and labels: £150.00")).toBeVisible();
  await lead.getByRole("button", { name: "Submit bid" }).click();
  await expect(lead.getByRole("status")).toContainText("Your bid is submitted");
  await expect(lead.getByText("Submitted", { exact: true })).toBeVisible();
  await expect(lead.getByText(/version 1, submitted/)).toBeVisible();
  await expectAccessible(lead);

  // 2. The ward's councillor declares no interest and asks for changes.
  const councillor = await as(browser, DEMO.councillor);
  await visit(councillor, "/councillor");
  await councillor.getByRole("link", { name: TITLE }).click();
  await councillor.waitForURL(`**/councillor/bids/${bidId}`);
  await expect(councillor.getByRole("heading", { level: 1, name: TITLE })).toBeVisible();
  await expectAccessible(councillor);
  await councillor.getByLabel("I have no interest to declare").check();
  await councillor.getByLabel("Ask the group to change the bid").check();
  await councillor
    .getByLabel("Reason or message to the group")
    .fill("Please bring the envelopes down to £100; we can fund £400 at most.");
  await councillor.getByRole("button", { name: "Record decision" }).click();
  await expect(councillor.getByRole("status")).toContainText("sent back to the group for changes");
  await expectAccessible(councillor);

  // 3. The group lead reads the message, changes the amount and a budget line, and resubmits.
  await visit(lead, `/bids/${bidId}`);
  await expect(lead.getByRole("heading", { name: "Changes requested" })).toBeVisible();
  await expect(
    lead.getByText("Please bring the envelopes down to £100; we can fund £400 at most.", { exact: true }),
  ).toBeVisible();
  await lead.getByRole("link", { name: "Change and resubmit the bid" }).click();
  await lead.waitForURL(`**/bids/${bidId}/edit**`);
  await expectAccessible(lead);
  await lead.getByRole("navigation", { name: "Steps of the bid" }).getByRole("link", { name: "Money" }).click();
  await expect(lead.getByRole("heading", { level: 1, name: "Money" })).toBeVisible();
  await expect(lead.getByLabel("Line 2: cost (£)")).toHaveValue("150.00");
  await lead.getByLabel("Amount you are asking for (£)").fill("400");
  await lead.getByLabel("Line 2: cost (£)").fill("100");
  await expect(lead.getByText("Budget lines add up to £400.00")).toBeVisible();
  await expectAccessible(lead);
  await lead.getByRole("button", { name: "Save and continue" }).click();
  await expect(lead.getByRole("heading", { level: 1, name: "Who and where" })).toBeVisible();
  await lead.getByRole("button", { name: "Save and continue" }).click();
  await expect(lead.getByRole("heading", { level: 1, name: "Files" })).toBeVisible();
  await lead.getByRole("link", { name: "Continue", exact: true }).click();
  await expect(lead.getByRole("heading", { level: 1, name: "Check and submit" })).toBeVisible();
  await expect(lead.getByText("Envelopes and labels: £100.00")).toBeVisible();
  await expectAccessible(lead);
  await lead.getByRole("button", { name: "Submit the changed bid" }).click();
  await expect(lead.getByRole("status")).toContainText("Your bid is submitted");
  await expect(lead.getByText(/version 2, submitted/)).toBeVisible();
  await expectAccessible(lead);
  await lead.getByRole("link", { name: "Versions and changes" }).click();
  await expect(lead.getByRole("heading", { name: "Version 2" })).toBeVisible();
  await expectAccessible(lead);

  // 4. The councillor approves part of it.
  await visit(councillor, `/councillor/bids/${bidId}`);
  await expect(councillor.getByRole("heading", { level: 1, name: TITLE })).toBeVisible();
  await councillor.getByLabel("I have no interest to declare").check();
  await councillor.getByLabel("Approve in part").check();
  await councillor.getByLabel("Amount approved (£)").fill("350");
  await councillor
    .getByLabel("Reason or message to the group")
    .fill("The shelving is funded in full; the envelopes in part.");
  await councillor.getByRole("button", { name: "Record decision" }).click();
  await expect(councillor.getByRole("status")).toContainText("approved in part");
  await expectAccessible(councillor);

  // 5. The group lead accepts the grant offer.
  await visit(lead, `/bids/${bidId}/offer`);
  await expect(lead.getByRole("heading", { name: "£350.00 offered" })).toBeVisible();
  await lead.getByLabel("Accept the offer").check();
  await lead.getByLabel(/I agree to the terms and conditions/).check();
  await lead.getByRole("button", { name: "Send answer" }).click();
  await expect(lead.getByRole("status")).toContainText("You accepted the offer");
  await expectAccessible(lead);

  // 6. One finance officer requests the payment and another confirms it.
  const finance = await as(browser, DEMO.finance);
  await visit(finance, "/finance/payments");
  const toRequest = finance.locator("section", { has: finance.getByRole("heading", { name: TITLE }) });
  await expect(toRequest.getByText("Instalment 1: £350.00")).toBeVisible();
  await toRequest.getByRole("button", { name: "Request payment" }).click();
  await expect(finance.getByRole("status")).toContainText("Payment requested.");
  await expectAccessible(finance);

  const finance2 = await as(browser, FINANCE_CONFIRMER);
  await visit(finance2, "/finance/payments");
  const toConfirm = finance2.locator("section", { has: finance2.getByRole("heading", { name: TITLE }) });
  await toConfirm.getByLabel("Finance-system payment reference").fill("AP-E2E-JOURNEY-1");
  await toConfirm.getByRole("button", { name: "Confirm payment" }).click();
  await expect(finance2.getByRole("status")).toContainText("Payment confirmed.");
  await expectAccessible(finance2);

  // 7. The public ward page shows the project and the budget moved by the amount paid.
  await visit(publicPage, wardPath);
  const project = publicPage.locator("li", { has: publicPage.getByRole("heading", { name: TITLE }) });
  await expect(project).toContainText("£350.00 to Abbey Fields Allotment Society");
  const after = await wardBudget(publicPage);
  expect(after).toEqual({
    set: before.set,
    committed: before.committed,
    paid: before.paid + 35_000,
    available: before.available - 35_000,
  });
});
