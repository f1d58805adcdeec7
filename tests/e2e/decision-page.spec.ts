/** The councillor's decision page: the group's files (for the decider alone), a summary box and warnings. */
import { execFileSync } from "node:child_process";
import Database from "better-sqlite3";
import { expect, test, type Page } from "@playwright/test";
import { DEMO, signIn, signOut, visit } from "./support";

let made: { endedBid: number; quotedBid: number; otherCouncillor: string; fundId: string; rules: string };

test.beforeAll(() => {
  const output = execFileSync("npx", ["tsx", "tests/support/e2e-decision-files.ts", "tests/.tmp/e2e.db"], {
    encoding: "utf8",
    env: { ...process.env, ATTACHMENTS_DIR: "tests/.tmp/attachments" },
  });
  made = JSON.parse(output.trim().split("\n").pop()!) as typeof made;
});

test.afterAll(() => {
  const client = new Database("tests/.tmp/e2e.db");
  client.pragma("busy_timeout = 5000");
  client.prepare("update funds set grant_rules = ? where id = ?").run(made.rules, made.fundId);
  client.close();
});

async function fileLink(page: Page) {
  return page.getByRole("region", { name: "Files from the group" }).getByRole("link", { name: "second-quote.pdf" });
}

test("the decision page warns of an ended project, missing quotes and missing match funding", async ({ page }) => {
  await signIn(page, DEMO.councillor);
  await visit(page, `/councillor/bids/${made.endedBid}`);
  const warnings = page.getByRole("note").filter({ has: page.getByRole("heading", { name: "Before you decide" }) });
  await expect(warnings.getByRole("listitem")).toHaveCount(3);
  await expect(warnings).toContainText(/The project has already ended: it ended on \d{1,2} [A-Z][a-z]+ \d{4}\./);
  await expect(warnings).toContainText("The fund asks for quotes for bids over £1,000.00");
  await expect(warnings).toContainText("has none attached");
  await expect(warnings).toContainText("at least 20% of the project's cost from elsewhere");
  await expect(page.getByText("The group attached no files")).toBeVisible();
  // The summary is a styled box, its terms bold beside their values.
  const box = page.getByRole("region", { name: "The bid" });
  expect(await box.evaluate((el) => getComputedStyle(el).borderTopWidth)).toBe("5px");
  expect(
    await box
      .locator("dt")
      .first()
      .evaluate((el) => getComputedStyle(el).fontWeight),
  ).toBe("700");
});

test("the deciding councillor sees and downloads the quote; nobody else can", async ({ page, browser }) => {
  await signIn(page, DEMO.councillor);
  await visit(page, `/councillor/bids/${made.quotedBid}`);
  await expect(page.getByRole("heading", { name: "Before you decide" })).toHaveCount(0);
  const link = await fileLink(page);
  await expect(link).toBeVisible();
  await expect(page.getByRole("region", { name: "Files from the group" })).toContainText("PDF document");
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  expect(download.suggestedFilename()).toBe("second-quote.pdf");
  const href = (await link.getAttribute("href"))!;
  const served = await page.request.get(href);
  expect(served.status()).toBe(200);
  expect(served.headers()["content-type"]).toBe("application/pdf");
  expect((await served.text()).startsWith("%PDF-")).toBe(true);

  // Signed out: sent to sign in. A councillor of another ward: not found. The group's own member
  // decides no bids: refused.
  const anonymous = await browser.newContext();
  const outside = await anonymous.request.get(href, { maxRedirects: 0 });
  expect(outside.status()).toBe(302);
  expect(outside.headers().location).toMatch(/^\/login/);
  await anonymous.close();
  await page.goto("/");
  await signOut(page);
  await signIn(page, made.otherCouncillor);
  expect((await page.request.get(href)).status()).toBe(404);
  await page.goto("/");
  await signOut(page);
  await signIn(page, DEMO.groupMember);
  expect((await page.request.get(href)).status()).toBe(403);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("the councillor reads the warnings and rejects the ended project", async ({ page }) => {
    await signIn(page, DEMO.councillor);
    await page.goto(`/councillor/bids/${made.endedBid}`);
    await expect(page.getByRole("heading", { name: "Before you decide" })).toBeVisible();
    await page.getByLabel("I have no interest to declare").check();
    await page.getByLabel("Reject").check();
    await page.getByLabel("Reason or message to the group").fill("The project ended before the bid was decided.");
    await page.getByRole("button", { name: "Record decision" }).click();
    await expect(page.getByRole("status")).toContainText("Bid rejected");
  });
});
