import { expect, test, type Browser, type Page } from "@playwright/test";
import { DEMO, expectAccessible, signIn, visit } from "./support";

/**
 * A group cannot withdraw a grant while a payment of it is with finance: the withdrawal is refused
 * with the reason, and nothing moves. Uses the demo's approved bid of Brookside Community Larder
 * (£650, offer not yet accepted). The tests run in order on one database: the second one, without
 * JavaScript, finds the payment request the first one made still open.
 */
const TITLE = "Shelving for the larder store room";
const LEAD = "bilal.hussain@residents.example";
const REFUSAL = /cannot be withdrawn while a payment of £650\.00 is with finance/;

async function as(browser: Browser, email: string, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

async function bidIdOf(lead: Page): Promise<string> {
  await lead.goto("/groups");
  const link = lead.getByRole("link", { name: TITLE }).first();
  if ((await link.count()) === 0) {
    await lead.getByRole("link", { name: "Brookside Community Larder" }).first().click();
  }
  const href = await lead.getByRole("link", { name: TITLE }).first().getAttribute("href");
  const id = href?.match(/\/bids\/(\d+)/)?.[1];
  expect(id, `a link to the bid "${TITLE}"`).toBeTruthy();
  return id!;
}

/**
 * Axe runs scripts in the page, which a context without JavaScript cannot: the server's answer is
 * checked in a context with JavaScript, served at its own address so its styles load.
 */
async function expectAnswerAccessible(browser: Browser, page: Page) {
  const html = await page.content();
  const url = page.url();
  const context = await browser.newContext();
  const copy = await context.newPage();
  await copy.route(url, (route) => route.fulfill({ status: 200, contentType: "text/html", body: html }));
  await copy.goto(url);
  await expectAccessible(copy);
  await context.close();
}

async function tryToWithdraw(browser: Browser, lead: Page, bidId: string, javaScriptEnabled: boolean) {
  await lead.goto(`/bids/${bidId}/withdraw`);
  if (javaScriptEnabled) await expectAccessible(lead);
  await lead
    .getByLabel("Why is the group withdrawing the bid?")
    .fill("The store room is being rebuilt by the landlord.");
  await lead.getByRole("button", { name: "Withdraw the bid" }).click();
  const summary = lead.getByRole("alert");
  await expect(summary).toContainText(REFUSAL);
  await expect(summary).toContainText("finance must confirm the payment or record that it failed first");
  if (javaScriptEnabled) await expectAccessible(lead);
  else await expectAnswerAccessible(browser, lead);
  // Nothing moved: the bid is still an accepted offer, with its payment still waiting.
  await lead.goto(`/bids/${bidId}`);
  await expect(lead.getByText("Offer accepted", { exact: true }).first()).toBeVisible();
}

test("withdrawing with a payment requested is refused with the reason", async ({ browser }) => {
  test.setTimeout(120_000);
  const lead = await as(browser, LEAD);
  const bidId = await bidIdOf(lead);

  await visit(lead, `/bids/${bidId}/offer`);
  await expect(lead.getByRole("heading", { name: "£650.00 offered" })).toBeVisible();
  await lead.getByLabel("Accept the offer").check();
  await lead.getByLabel(/I agree to the terms and conditions/).check();
  await lead.getByRole("button", { name: "Send answer" }).click();
  await expect(lead.getByRole("status")).toContainText("You accepted the offer");

  const finance = await as(browser, DEMO.finance);
  await visit(finance, "/finance/payments");
  const grant = finance.locator("section", { has: finance.getByRole("heading", { name: TITLE }) });
  await expect(grant.getByText("Instalment 1: £650.00")).toBeVisible();
  // The request form offers the instalment due.
  await expect(grant.getByLabel("Amount to pay (£)")).toHaveValue("650.00");
  await grant.getByRole("button", { name: "Request payment" }).click();
  await expect(finance.getByRole("status")).toContainText("Payment requested.");
  await expectAccessible(finance);

  await tryToWithdraw(browser, lead, bidId, true);

  // The request is still with finance, for the amount requested.
  await visit(finance, "/finance/payments");
  await expect(
    finance
      .locator("section", { has: finance.getByRole("heading", { name: TITLE }) })
      .getByText(/Payment of £650\.00 requested/),
  ).toBeVisible();
});

test.describe("without JavaScript", () => {
  test("the withdrawal form answers with the refusal and its reason", async ({ browser }) => {
    const lead = await as(browser, LEAD, false);
    const bidId = await bidIdOf(lead);
    await tryToWithdraw(browser, lead, bidId, false);
  });
});
