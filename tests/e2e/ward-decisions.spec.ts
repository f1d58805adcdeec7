import { expect, test, type Browser, type Page } from "@playwright/test";
import { DEMO, expectAccessible, signIn } from "./support";

const BROOKSIDE_COUNCILLOR = "cllr.daniel.hughes@eastbrook.example";
const withoutScripts = new WeakSet<Page>();

async function as(browser: Browser, email: string, javaScriptEnabled: boolean): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled });
  const page = await context.newPage();
  if (!javaScriptEnabled) withoutScripts.add(page);
  await signIn(page, email);
  return page;
}

/** axe runs in the page, so it checks the JavaScript run; the run without it checks the plain forms work. */
async function checked(page: Page, path?: string) {
  if (path) await page.goto(path);
  if (!withoutScripts.has(page)) await expectAccessible(page);
}

/** Opens the bid from the councillor's list and records a decision on the councillor's own ward's share. */
async function decideShare(page: Page, title: string, choice: RegExp, reason?: string): Promise<string> {
  await checked(page, "/councillor");
  await page.getByRole("link", { name: title }).click();
  await page.waitForURL(/\/councillor\/bids\/\d+$/);
  await expect(page.getByRole("heading", { name: "Each ward's decision" })).toBeVisible();
  await checked(page);
  const bidId = new URL(page.url()).pathname.split("/").pop()!;
  await page.getByLabel("I have no interest to declare").check();
  await page.getByLabel(choice).check();
  if (reason) await page.getByLabel("Reason or message to the group").fill(reason);
  await page.getByRole("button", { name: "Record decision" }).click();
  await page.waitForURL(/\/councillor\?done=/);
  return bidId;
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(javaScriptEnabled ? "with JavaScript" : "without JavaScript", () => {
    const title = javaScriptEnabled
      ? "Shared tool library for Abbey Fields and Brookside"
      : "Seed swap days in both wards";
    const share = javaScriptEnabled ? "£300.00" : "£200.00";

    test("two wards' councillors each decide their own ward's share of one bid", async ({ browser }) => {
      test.setTimeout(120_000);
      const abbey = await as(browser, DEMO.councillor, javaScriptEnabled);
      const bidId = await decideShare(
        abbey,
        title,
        new RegExp(`^Approve Abbey Fields ward's share in full \\(${share.replace(".", "\\.")}\\)$`),
      );
      await expect(abbey.getByRole("status")).toContainText("The other wards still have to decide theirs");
      await checked(abbey);

      // The Abbey Fields councillor cannot decide Brookside's share.
      await checked(abbey, `/councillor/bids/${bidId}`);
      await expect(abbey.getByRole("button", { name: "Record decision" })).toHaveCount(0);
      const abbeyRows = abbey.getByRole("table", { name: "Ward decisions" }).getByRole("row");
      await expect(abbeyRows.filter({ hasText: "Brookside" })).toContainText("Waiting for a decision");

      const brookside = await as(browser, BROOKSIDE_COUNCILLOR, javaScriptEnabled);
      if (javaScriptEnabled) {
        await decideShare(
          brookside,
          title,
          /^Decline Brookside ward's share$/,
          "Brookside already has a tool library at the community centre.",
        );
      } else {
        await decideShare(brookside, title, /^Approve Brookside ward's share in full/);
      }
      await expect(brookside.getByRole("status")).toContainText("Every ward has now decided");
      await checked(brookside);

      // The group sees each ward's decision and the total offered.
      const lead = await as(browser, DEMO.groupMember, javaScriptEnabled);
      await checked(lead, `/bids/${bidId}`);
      const rows = lead.getByRole("table", { name: "Ward decisions" }).getByRole("row");
      await expect(rows.filter({ hasText: "Abbey Fields" })).toContainText("Approved by Amira Patel");
      const offered = javaScriptEnabled ? "£300.00" : "£400.00";
      await expect(rows.filter({ hasText: "Brookside" })).toContainText(
        javaScriptEnabled ? "Declined by Daniel Hughes" : "Approved by Daniel Hughes",
      );
      await expect(lead.getByText(`Every ward has decided: ${offered} is offered.`)).toBeVisible();
      await checked(lead, `/bids/${bidId}/offer`);
      await expect(lead.getByRole("heading", { name: `${offered} offered` })).toBeVisible();
    });
  });
}
