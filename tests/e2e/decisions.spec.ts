import { expect, test, type Browser, type Page } from "@playwright/test";
import { DEMO, expectAccessible, signIn, visit } from "./support";

async function as(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

test(
  "a councillor sends a bid back, part-approves another; the group accepts, finance pays, the ward page shows " + "it",
  async ({ browser }) => {
    test.setTimeout(150_000);
    const councillor = await as(browser, DEMO.councillor);
    await visit(councillor, "/councillor");
    await expect(councillor.getByRole("heading", { name: "Bids awaiting your decision" })).toBeVisible();
    const availableBefore = await councillor.locator("dt:has-text('Available') + dd").first().innerText();

    // Ask for changes on the first bid.
    await councillor.getByRole("link", { name: "Tool shed for shared equipment" }).click();
    await expect(councillor.getByRole("heading", { level: 1, name: "Tool shed for shared equipment" })).toBeVisible();
    await expectAccessible(councillor);
    await councillor.getByRole("button", { name: "Record decision" }).click();
    await expect(councillor.getByRole("alert")).toContainText("Say whether you have an interest");
    await expectAccessible(councillor);
    await councillor.getByLabel("I have no interest to declare").check();
    await councillor.getByLabel("Ask the group to change the bid").check();
    await councillor.getByLabel("Reason or message to the group").fill("Please add a second quote for the shed.");
    await councillor.getByRole("button", { name: "Record decision" }).click();
    await expect(councillor.getByRole("status")).toContainText("sent back to the group for changes");
    await expectAccessible(councillor);

    // The group's second bid (as if resubmitted) is approved in part.
    await councillor.getByRole("link", { name: "Water butts and a rainwater tank" }).click();
    await councillor.waitForURL(/\/councillor\/bids\/\d+$/);
    const bidPath = new URL(councillor.url()).pathname;
    const bidId = bidPath.split("/").pop();
    await councillor.getByLabel("I have no interest to declare").check();
    await councillor.getByLabel("Approve in part").check();
    await councillor.getByLabel("Amount approved (£)").fill("500");
    await councillor.getByLabel("Reason or message to the group").fill("The tank is funded; the water butts are not.");
    await councillor.getByRole("button", { name: "Record decision" }).click();
    await expect(councillor.getByRole("status")).toContainText("approved in part");
    await expect(councillor.locator("dt:has-text('Available') + dd").first()).not.toHaveText(availableBefore);
    await expectAccessible(councillor);

    // The group lead accepts the offer.
    const lead = await as(browser, DEMO.groupMember);
    await visit(lead, `/bids/${bidId}/offer`);
    await expect(lead.getByRole("heading", { name: "£500.00 offered" })).toBeVisible();
    await lead.getByLabel("Accept the offer").check();
    await lead.getByLabel(/I agree to the terms and conditions/).check();
    await lead.getByRole("button", { name: "Send answer" }).click();
    await expect(lead.getByRole("status")).toContainText("You accepted the offer");
    await expectAccessible(lead);

    // One finance officer requests the payment, another confirms it.
    const finance = await as(browser, DEMO.finance);
    await visit(finance, "/finance/payments");
    const section = finance.locator("section", {
      has: finance.getByRole("heading", { name: "Water butts and a rainwater tank" }),
    });
    await expect(section.getByText("Instalment 1: £500.00")).toBeVisible();
    await section.getByRole("button", { name: "Request payment" }).click();
    await expect(finance.getByRole("status")).toContainText("Payment requested.");

    const finance2 = await as(browser, "finance2@eastbrook.example");
    await visit(finance2, "/finance/payments");
    const toConfirm = finance2.locator("section", {
      has: finance2.getByRole("heading", { name: "Water butts and a rainwater tank" }),
    });
    await toConfirm.getByLabel("Finance-system payment reference").fill("AP-E2E-0001");
    await toConfirm.getByRole("button", { name: "Confirm payment" }).click();
    await expect(finance2.getByRole("status")).toContainText("Payment confirmed.");

    // The public ward page shows the project and the new balance.
    const publicPage = await (await browser.newContext()).newPage();
    await visit(publicPage, "/wards/E05990001");
    const project = publicPage.locator("li", {
      has: publicPage.getByRole("heading", { name: "Water butts and a rainwater tank" }),
    });
    await expect(project).toContainText("£500.00 to Abbey Fields Allotment Society");
    await expect(project).toContainText("Amira Patel");
    await expect(publicPage.getByText("You said, we did").first()).toBeVisible();
    await expect(publicPage.getByText(/turned down/)).toBeVisible();
  },
);

test("the monitoring form, fund page, digest, referred bids and email choices pass axe", async ({ browser }) => {
  test.setTimeout(150_000);
  // Castle Hill Youth Football Club's goalposts project has ended and its report is due; Olivia
  // Price is a member of the club (its lead's password is changed by the auth walkthrough).
  const lead = await as(browser, "olivia.price@residents.example");
  // The demo's third bid (the seed's order is fixed).
  await visit(lead, "/bids/3/monitoring");
  await expect(
    lead.getByRole("heading", { level: 1, name: "Monitoring report: Goalposts and nets for the under-12s" }),
  ).toBeVisible();
  await lead.getByRole("button", { name: "Send report" }).click();
  await expect(lead.getByRole("alert")).toContainText("Say what the project did");
  await expectAccessible(lead);
  await lead.getByLabel("What was done").fill("Two goals bought; a second training pitch runs on Saturdays.");
  await lead.getByLabel("How many people took part or benefited").fill("34");
  // A 1×1 PNG, published with the report.
  const png = Buffer.from(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
    "base64",
  );
  await lead
    .getByLabel(/Photos of the project/)
    .setInputFiles({ name: "goals.png", mimeType: "image/png", buffer: png });
  await lead.getByLabel("These photos can be shown on the public ward page").check();
  await lead.getByRole("button", { name: "Send report" }).click();
  await expect(lead.getByRole("status")).toContainText("the council has your monitoring report");
  await expect(lead.getByRole("link", { name: "goals.png" })).toBeVisible();
  const visitor = await (await browser.newContext()).newPage();
  await visit(visitor, "/wards/E05990003");
  const photo = visitor.getByRole("img", { name: "Photo from Goalposts and nets for the under-12s" });
  await expect(photo).toBeVisible();
  await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(1);
  await expectAccessible(visitor);
  const councillor = await as(browser, DEMO.councillor);
  await visit(councillor, "/councillor/digest");
  await expect(councillor.getByRole("heading", { level: 1, name: "Ward digest" })).toBeVisible();
  await visit(councillor, "/account");
  await councillor.getByLabel("Monthly ward digest").uncheck();
  await councillor.getByRole("button", { name: "Save email choices" }).click();
  await expect(councillor.getByRole("status")).toContainText("saved");
  await expect(councillor.getByLabel("Monthly ward digest")).not.toBeChecked();

  const cabinet = await as(browser, "cabinet@eastbrook.example");
  await visit(cabinet, "/decisions");
  await expect(cabinet.getByText("No bids are waiting for you.")).toBeVisible();

  const finance = await as(browser, DEMO.finance);
  await visit(finance, "/funds");
  await finance
    .getByRole("link", { name: /Councillor Ward Budgets/ })
    .first()
    .click();
  await expect(finance.getByRole("heading", { name: "Change a budget" })).toBeVisible();
  await expectAccessible(finance);
  await finance.getByRole("button", { name: "Ask for approval" }).click();
  await expect(finance.getByRole("alert")).toContainText("Choose a budget");
  await expectAccessible(finance);
});
