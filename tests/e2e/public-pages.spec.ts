/** "In the open": every decided bid on the public ward page, and a public page for each decided bid. */
import { execFileSync } from "node:child_process";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { DEMO, expectAccessible, signIn, visit } from "./support";

const INTERESTED = "cllr.ben.okafor@eastbrook.example";
const DECIDER = "cllr.catherine.lloyd@eastbrook.example";
const REASON = "The allotment already has a greenhouse the society can share.";
let bids: { toDecide: number; undecided: number };

test.beforeAll(() => {
  const output = execFileSync("npx", ["tsx", "tests/support/e2e-public-bids.ts", "tests/.tmp/e2e.db"], {
    encoding: "utf8",
  });
  bids = JSON.parse(output.trim().split("\n").pop()!) as typeof bids;
});

async function as(browser: Browser, email: string, javaScript = true): Promise<Page> {
  const page = await (await browser.newContext({ javaScriptEnabled: javaScript })).newPage();
  await signIn(page, email);
  return page;
}

test("a councillor stands aside, another turns the bid down, and anyone can read it all", async ({ browser }) => {
  test.setTimeout(90_000);
  // One councillor declares an interest (with JavaScript), another decides (without it).
  const interested = await as(browser, INTERESTED);
  await visit(interested, `/councillor/bids/${bids.toDecide}`);
  await interested.getByLabel("I have an interest").check();
  await interested.getByLabel("Describe your interest").fill("My brother keeps a plot there.");
  await interested.getByRole("button", { name: "Record decision" }).click();
  await interested.waitForURL(/\/councillor\?done=/);

  const decider = await as(browser, DECIDER, false);
  await decider.goto(`/councillor/bids/${bids.toDecide}`);
  await decider.getByLabel("I have no interest to declare").check();
  await decider.getByLabel("Reject").check();
  await decider.getByLabel("Reason or message to the group").fill(REASON);
  await decider.getByRole("button", { name: "Record decision" }).click();
  await expect(decider.getByRole("status")).toContainText("Bid rejected");

  // Signed out: the ward page names the bid, its outcome and reason, and who stood aside.
  const page = await (await browser.newContext()).newPage();
  await visit(page, "/wards/E05990001");
  const decided = page.getByRole("table", { name: /Decided bids in Abbey Fields ward/ });
  const row = decided.getByRole("row", { name: /Greenhouse for the seed swap/ });
  await expect(row).toContainText("Not funded");
  await expect(row).toContainText(REASON);
  await expect(row).toContainText("By Catherine Lloyd");
  await expect(row).toContainText("Ben Okafor declared an interest and stood aside.");
  await expect(decided.getByRole("row", { name: /Compost toilet/ })).toHaveCount(0);

  // The bid's own page, reached without signing in, from the ward page or the bid's address.
  await row.getByRole("link", { name: "Greenhouse for the seed swap" }).click();
  await expect(page).toHaveURL(`/projects/${bids.toDecide}`);
  await expectAccessible(page);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Greenhouse for the seed swap");
  const outcome = page.getByRole("region", { name: "Not funded" });
  await expect(outcome).toContainText(REASON);
  await expect(outcome).toContainText("Ben Okafor declared an interest and stood aside");
  await expect(outcome).toContainText("Abbey Fields Allotment Society");
  // Nothing personal: not the interest's details, not the group's people or bank details.
  const text = await page.locator("main").innerText();
  for (const hidden of ["My brother", "resident@eastbrook.example", "Sort code", "Account number", "Lead contact"])
    expect(text).not.toContain(hidden);
  await page.goto(`/bids/${bids.toDecide}`);
  await expect(page).toHaveURL(`/projects/${bids.toDecide}`);

  // An undecided bid stays private.
  await page.goto(`/bids/${bids.undecided}`);
  await expect(page).toHaveURL(/\/login/);
  expect((await page.goto(`/projects/${bids.undecided}`))?.status()).toBe(404);

  // The group's own members still get the full bid page.
  const member = await as(browser, DEMO.groupMember);
  await member.goto(`/bids/${bids.toDecide}`);
  await expect(member).toHaveURL(`/bids/${bids.toDecide}`);
});

test("participatory-budgeting winners read as chosen by residents in their round", async ({ page }) => {
  await visit(page, "/wards/E05990005");
  const project = page.locator("li", { has: page.getByRole("heading", { name: "Holiday lunch club" }) });
  await expect(project).toContainText(/chosen by residents in Spring Community Chest/);
  await expect(project).not.toContainText(/decided on .* by /);
  const row = page.getByRole("table", { name: /Decided bids/ }).getByRole("row", { name: /Holiday lunch club/ });
  await expect(row).toContainText("Chosen by residents");
  await project.getByRole("link", { name: "Holiday lunch club" }).click();
  await expectAccessible(page);
  await expect(page.getByRole("region", { name: /Chosen by residents/ })).toContainText(
    "Chosen by residents in Spring Community Chest",
  );
});
