/** Printing: pages print without the site's header and footer; voting codes print as slips to cut out. */
import Database from "better-sqlite3";
import { expect, test, type Page } from "@playwright/test";
import type { VotingRound } from "../factories";
import { DEMO, expectAccessible, signIn, createE2eVotingRound } from "./support";

const ROUND_NAME = "Eastbrook Decides print";
let round: VotingRound;

test.beforeAll(() => {
  const client = new Database("tests/.tmp/e2e.db");
  client.pragma("busy_timeout = 5000");
  client.pragma("foreign_keys = ON");
  round = createE2eVotingRound("tests/.tmp/e2e.db", { name: ROUND_NAME, projects: 3 });
  client.close();
});

async function makeSlips(page: Page, label: string, count: number, options: { javaScript: boolean }) {
  await signIn(page, DEMO.admin);
  await page.goto(`/admin/rounds/${round.roundId}/codes`);
  if (options.javaScript) await expectAccessible(page);
  await page.getByLabel("Batch name").fill(label);
  await page.getByLabel("Number of codes").fill(String(count));
  await page.getByRole("button", { name: "Make codes and show a printable sheet" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Voting codes: ${label}` })).toBeVisible();
  if (options.javaScript) await expectAccessible(page);
}

async function expectSlipsPrint(page: Page, count: number) {
  const slips = page.getByRole("list", { name: "Codes" }).getByRole("listitem");
  await expect(slips).toHaveCount(count);
  await page.emulateMedia({ media: "print" });
  // No site chrome and none of the screen's instructions on paper.
  await expect(page.locator(".site-header")).toBeHidden();
  await expect(page.locator("body > footer")).toBeHidden();
  await expect(page.getByRole("heading", { level: 1 })).toBeHidden();
  await expect(page.getByRole("link", { name: "Back to voting codes" })).toBeHidden();
  for (let i = 0; i < count; i += 1) {
    const slip = slips.nth(i);
    await expect(slip).toBeVisible();
    await expect(slip).toContainText(ROUND_NAME);
    await expect(slip).toContainText(`/rounds/${round.roundId}/code`);
    await expect(slip).toContainText("rank the projects you want most");
    await expect(slip.locator(".code-slip-code")).toHaveText(/^Code: [0-9A-Z]{4}(-[0-9A-Z]{4})+$/);
    // A dashed line to cut along.
    expect(await slip.evaluate((el) => getComputedStyle(el).borderTopStyle)).toBe("dashed");
  }
  // Slips sit side by side, none across a page break.
  const boxes = await slips.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().toJSON() as DOMRect));
  expect(new Set(boxes.map((b) => Math.round(b.y))).size).toBeLessThan(count);
  expect(await slips.first().evaluate((el) => getComputedStyle(el).breakInside)).toBe("avoid");
  const pdf = await page.pdf({ format: "A4" });
  expect(pdf.subarray(0, 5).toString()).toBe("%PDF-");
  await page.emulateMedia({ media: "screen" });
}

test("voting codes print as slips with the round, how to vote and the code", async ({ page }) => {
  await makeSlips(page, "Library event print", 6, { javaScript: true });
  await expectSlipsPrint(page, 6);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("the sheet of slips is made and prints the same way", async ({ page }) => {
    await makeSlips(page, "Polling cards print", 4, { javaScript: false });
    await expectSlipsPrint(page, 4);
  });
});

test("any page prints without the site's header, footer and buttons", async ({ page }) => {
  await page.goto("/wards");
  await expectAccessible(page);
  await expect(page.locator(".site-header")).toBeVisible();
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".site-header")).toBeHidden();
  await expect(page.locator("body > footer")).toBeHidden();
  await expect(page.locator(".skip-link")).toBeHidden();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});
