import { createHash, randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import { expect, test, type Page } from "@playwright/test";
import type { VotingRound } from "../factories";
import { DEMO, expectAccessible, signIn, visit, createE2eVotingRound } from "./support";

const DATABASE = "tests/.tmp/e2e.db";
let round: VotingRound;
let CODE = "";

test.beforeAll(() => {
  CODE = [...randomBytes(12)].map((b) => "0123456789ABCDEFGHJKMNPQRSTVWXYZ"[b & 31]).join("");
  const client = new Database(DATABASE);
  client.pragma("busy_timeout = 5000");
  client.pragma("foreign_keys = ON");
  round = createE2eVotingRound(DATABASE, {
    name: "Eastbrook Decides e2e",
    projects: 4,
    maxRanked: 3,
  });
  client
    .prepare("update users set date_of_birth = '1985-03-14' where email in (?, ?, ?)")
    .run(DEMO.resident, DEMO.councillor, DEMO.groupMember);
  const batch = client
    .prepare(
      "insert into pb_code_batches (round_id, label, size, created_by, created_at) values (?, 'e2e', 1, (select id " +
        "from users where email = ?), ?)",
    )
    .run(round.roundId, DEMO.admin, new Date().toISOString()).lastInsertRowid;
  client
    .prepare("insert into pb_vote_codes (round_id, batch_id, code_hash) values (?, ?, ?)")
    .run(round.roundId, batch, createHash("sha256").update(`wardfund-vote-code:${CODE}`).digest("hex"));
  client.close();
});

/** Presses Tab until the focused element's accessible name (label or text) matches. */
async function tabTo(page: Page, name: string | RegExp) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el ? (el.getAttribute("aria-label") ?? el.innerText ?? "").trim() : "";
    });
    if (typeof name === "string" ? focused === name : name.test(focused)) return;
  }
  throw new Error(`Could not reach "${String(name)}" with the Tab key`);
}

test("a resident ranks projects and casts a vote with the keyboard only", async ({ page }) => {
  test.setTimeout(90_000);
  const [first, second] = [round.titles[2]!, round.titles[0]!];
  await signIn(page, DEMO.resident);
  await visit(page, `/rounds/${round.roundId}/vote`);
  await expect(page.getByRole("button", { name: `Add ${first} to my ranking` })).toBeVisible();
  await page.locator("h1").focus();
  await tabTo(page, `Add ${first} to my ranking`);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: "added" })).toHaveText(`${first} added at rank 1.`);
  await expect(page.getByRole("button", { name: `Remove ${first} from my ranking` })).toBeFocused();
  await page.locator("h1").focus();
  await tabTo(page, `Add ${second} to my ranking`);
  await page.keyboard.press("Space");
  await expect(page.getByRole("status").filter({ hasText: "added" })).toHaveText(`${second} added at rank 2.`);
  await tabTo(page, `Move ${second} up`);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status").filter({ hasText: "moved" })).toHaveText(`${second} moved to rank 1.`);
  await expect(page.getByRole("button", { name: `Move ${second} down` })).toBeFocused();
  await expectAccessible(page);
  await tabTo(page, "Continue to check your vote");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Check your vote" })).toBeFocused();
  await expect(page.getByRole("list", { name: "Your ranking" }).getByRole("listitem")).toHaveText([second, first]);
  await expectAccessible(page);
  await tabTo(page, "Cast my vote");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Your vote has been cast" })).toBeVisible();
  const receipt = (await page.getByTestId("receipt").innerText()).trim();
  expect(receipt).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
  await expectAccessible(page);

  // The optional equality questions, once.
  await tabTo(page, "Answer the optional questions");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Optional questions about you" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("radio", { name: "35 to 44" }).check();
  await page.getByRole("button", { name: "Send my answers" }).click();
  await expect(page.getByRole("heading", { name: "Thank you" })).toBeVisible();

  await visit(page, `/rounds/${round.roundId}/receipt`);
  await page.getByLabel("Receipt code").fill(receipt);
  await page.getByRole("button", { name: "Check" }).click();
  await expect(page.getByRole("status")).toContainText("Your ballot is in the ballot box.");
  expect(page.url()).not.toContain(receipt);
  await expectAccessible(page);

  await visit(page, `/rounds/${round.roundId}/vote`);
  await expect(page.getByText("You have already voted in this round.")).toBeVisible();
});

test.describe("without JavaScript", () => {
  // axe runs inside the page, so it cannot run here; the same pages are checked with JavaScript on.
  test.use({ javaScriptEnabled: false });

  test("a resident votes with the plain form, and a rank gap is explained with the choices kept", async ({ page }) => {
    test.setTimeout(90_000);
    await signIn(page, DEMO.councillor);
    await page.goto(`/rounds/${round.roundId}/vote`);
    await page.getByLabel(`Rank for ${round.titles[1]}`).selectOption("1");
    await page.getByLabel(`Rank for ${round.titles[3]}`).selectOption("3");
    await page.getByRole("button", { name: "Continue to check your vote" }).click();
    await expect(page.getByRole("heading", { name: "There is a problem" })).toBeVisible();
    await expect(page.locator(`#field-rank-${round.bidIds[3]}-error`)).toContainText("no project at rank 2");
    await expect(page.getByLabel(`Rank for ${round.titles[1]}`)).toHaveValue("1");
    await page.getByLabel(`Rank for ${round.titles[3]}`).selectOption("2");
    await page.getByRole("button", { name: "Continue to check your vote" }).click();
    await expect(page.getByRole("heading", { name: "Check your vote" })).toBeVisible();
    await page.getByRole("button", { name: "Change" }).click();
    await expect(page.getByLabel(`Rank for ${round.titles[3]}`)).toHaveValue("2");
    await page.getByRole("button", { name: "Continue to check your vote" }).click();
    await page.getByRole("button", { name: "Cast my vote" }).click();
    await expect(page.getByRole("heading", { name: "Your vote has been cast" })).toBeVisible();
  });
});

test("a code-holder votes without an account", async ({ page }) => {
  test.setTimeout(60_000);
  await visit(page, `/rounds/${round.roundId}/code`);
  await page.getByLabel("Voting code").fill("nope");
  await page.getByRole("button", { name: "Continue to the ballot" }).click();
  await expect(page.locator("#field-code-error")).toContainText("12 letters and numbers");
  await expectAccessible(page);
  await page.getByLabel("Voting code").fill(`${CODE.slice(0, 4)} ${CODE.slice(4, 8)} ${CODE.slice(8)}`.toLowerCase());
  await page.getByRole("button", { name: "Continue to the ballot" }).click();
  await expect(page.getByText("You are voting with a one-time code.")).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: `Add ${round.titles[1]} to my ranking` }).click();
  await page.getByRole("button", { name: "Continue to check your vote" }).click();
  await page.getByRole("button", { name: "Cast my vote" }).click();
  await expect(page.getByRole("heading", { name: "Your vote has been cast" })).toBeVisible();
  await visit(page, `/rounds/${round.roundId}/code`);
  await page.getByLabel("Voting code").fill(CODE);
  await page.getByRole("button", { name: "Continue to the ballot" }).click();
  await expect(page.locator("#field-code-error")).toContainText("already been used");
});

test("an officer keys in a paper batch and a second officer re-keys it and resolves a difference", async ({
  page,
  browser,
}) => {
  test.setTimeout(90_000);
  await signIn(page, DEMO.admin);
  await visit(page, `/admin/rounds/${round.roundId}/paper`);
  await page.getByLabel("Batch name").fill("Town hall, box 1");
  await page.getByLabel("Ballots").fill("3 1\n2\n1 2 3");
  await page.getByRole("button", { name: "Save the first keying" }).click();
  await expect(page.getByTestId("batch-status")).toHaveText("Waiting for a second officer to re-key");
  await expectAccessible(page);
  const batchUrl = new URL(page.url()).pathname;

  const second = await browser.newContext();
  const other = await second.newPage();
  await signIn(other, "admin2@eastbrook.example");
  await visit(other, batchUrl);
  await expect(other.getByText("3 1")).toHaveCount(0);
  await other.getByLabel("Ballots").fill("3 1\n4\n1 2 3");
  await other.getByRole("button", { name: "Save the second keying" }).click();
  await expect(other.getByRole("status")).toContainText("differ on 1 ballot");
  await expect(other.getByRole("row", { name: /^2 2 4$/ })).toBeVisible();
  await expectAccessible(other);
  await other.getByLabel("Paper 2: what the paper shows").fill("2");
  await other.getByRole("button", { name: "Resolve and count the batch" }).click();
  await expect(other.getByRole("status")).toContainText("The batch is counted");
  await expect(other.getByTestId("batch-status")).toHaveText("Counted");
  await second.close();

  await visit(page, `/admin/rounds/${round.roundId}/codes`);
  await expect(page.getByText(/on paper/)).toContainText("3 on paper");
});
