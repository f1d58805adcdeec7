import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { DEMO, expectAccessible, signIn, signOut, visit } from "./support";

const SECOND_ADMIN = "admin2@eastbrook.example";

let round: { roundId: number; name: string; shares: string[]; receipt: string };

test.beforeAll(() => {
  // A round whose voting closed yesterday, with its ballots in, and a second administrator.
  const output = execFileSync("npx", ["tsx", "tests/support/e2e-count-round.ts", "tests/.tmp/e2e.db"], {
    encoding: "utf8",
  });
  round = JSON.parse(output.trim().split("\n").pop()!) as typeof round;
});

test("an administrator closes and counts a round, a second one ratifies it, and the results are published", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const countPage = `/admin/rounds/${round.roundId}/count`;
  const resultsPage = `/rounds/${round.roundId}/results`;

  // Nothing public before the count; the count page shows turnout only.
  const early = await page.goto(resultsPage);
  expect(early?.status()).toBe(200);
  await expect(page.getByText("The results of this round are not published yet.")).toBeVisible();
  await signIn(page, DEMO.admin);
  await visit(page, countPage);
  await expect(page.getByRole("table", { name: "Votes by how people voted" })).toContainText("240");
  await expect(page.getByRole("heading", { name: /^Result/ })).toHaveCount(0);

  await page.getByRole("button", { name: "Close voting" }).click();
  await expect(page.getByRole("status")).toContainText("Voting is closed");
  // The sealed online ballots are opened with two officers' key shares; a wrong one is refused by its field.
  await page.getByLabel("First officer's key share").fill(round.shares[0]!);
  await page.getByLabel("Second officer's key share").fill(round.shares[0]!);
  await page.getByRole("button", { name: "Open the ballots and count" }).click();
  await expect(page.getByRole("alert")).toContainText("same share");
  await expect(page.locator("#field-share2-error")).toContainText("same share");
  await expectAccessible(page);
  await page.getByLabel("Second officer's key share").fill(round.shares[2]!);
  await page.getByRole("button", { name: "Open the ballots and count" }).click();
  await expect(page.getByRole("status")).toContainText("The round is counted");
  await expect(page.getByText("Every counted ballot is accounted for")).toBeVisible();
  await expect(page.getByRole("heading", { name: "Result (not yet published)" })).toBeVisible();
  await expect(page.getByText("You ran this count, so another administrator must ratify it.")).toBeVisible();
  await expectAccessible(page);
  await page.goto(resultsPage);
  await expect(page.getByText("The results of this round are not published yet.")).toBeVisible();
  await page.goto("/");
  await signOut(page);

  await signIn(page, SECOND_ADMIN);
  await visit(page, countPage);
  await page.getByRole("button", { name: "Ratify and publish" }).click();
  await expect(page.getByRole("alert")).toContainText("Declare that you have no interest");
  await page.getByLabel("I have no interest in any of the winning projects").check();
  await page.getByRole("button", { name: "Ratify and publish" }).click();
  await expect(page.getByRole("status")).toContainText("ratified and published");
  await page.goto("/");
  await signOut(page);

  await visit(page, resultsPage);
  await expect(page.getByRole("heading", { level: 1 })).toContainText(round.name);
  await expect(page.getByRole("img", { name: /Projects in order of points/ })).toBeVisible();
  const winners = page.getByRole("table", { name: /Chosen by/ });
  await expect(winners.getByRole("row")).not.toHaveCount(0);
  await expect(winners).toContainText("Left over");
  await expect(page.getByRole("table", { name: "Votes by ward" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "What the other rule would have chosen" })).toBeVisible();
  await expect(page.getByText(/SHA-256 of the ballot file: [0-9a-f]{64}/)).toBeVisible();
  const ballots = await page.request.get(`${resultsPage}/ballots.json`);
  expect(ballots.status()).toBe(200);
  const ballotsText = await ballots.text();
  expect(JSON.parse(ballotsText).ballots).toHaveLength(240);
  expect(ballotsText).not.toContain(round.receipt);
  const receipts = await page.request.get(`${resultsPage}/receipts.csv`);
  expect(receipts.status()).toBe(200);
  expect(await receipts.text()).toContain(round.receipt);
  await visit(page, `/rounds/${round.roundId}/receipt`);
  await page.getByLabel("Receipt code").fill(round.receipt);
  await page.getByRole("button", { name: "Check" }).click();
  await expect(page.getByRole("status")).toContainText("Your ballot was included in the count.");
  expect(page.url()).not.toContain(round.receipt);

  await signIn(page, DEMO.finance);
  await visit(page, "/finance/ledger?type=EARMARK");
  await expect(page.getByRole("table")).toContainText(`${round.name}:`);
  await visit(page, "/finance/ledger?type=COMMIT");
  await expect(page.getByRole("table")).toContainText("ratified");
});
