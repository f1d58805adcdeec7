import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { DEMO, expectAccessible, signIn, signOut, visit } from "./support";

const SECOND_ADMIN = "admin2@eastbrook.example";

let round: { roundId: number; name: string };

test.beforeAll(() => {
  // A round whose voting closed yesterday, with its ballots in, and a second administrator.
  const output = execFileSync("npx", ["tsx", "tests/support/e2e-count-round.ts", "tests/.tmp/e2e.db"], {
    encoding: "utf8",
  });
  round = JSON.parse(output.trim().split("\n").pop()!) as { roundId: number; name: string };
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
  await page.getByRole("button", { name: "Count the ballots" }).click();
  await expect(page.getByRole("status")).toContainText("The round is counted");
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
  expect(JSON.parse(await ballots.text()).ballots).toHaveLength(240);

  await signIn(page, DEMO.finance);
  await visit(page, "/finance/ledger?type=EARMARK");
  await expect(page.getByRole("table")).toContainText(`${round.name}:`);
  await visit(page, "/finance/ledger?type=COMMIT");
  await expect(page.getByRole("table")).toContainText("ratified");
});
