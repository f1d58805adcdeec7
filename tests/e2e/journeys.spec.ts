/**
 * Journeys that must work the first time: a phase changed by hand (voting opened and closed early)
 * and a vote straight after it, dates typed in London time and shown one way, the GOV.UK date
 * input, readable round administration, and the copy and demo data fixes.
 */
import { createHash, randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import { expect, test, type Page } from "@playwright/test";
import type { VotingRound } from "../factories";
import { DEMO, expectAccessible, signIn, signOut, visit, createE2eVotingRound } from "./support";

const DATABASE = "tests/.tmp/e2e.db";
let round: VotingRound;
let CODE = "";
const FIRST_VOTER = "first.voter@residents.example";
const SECOND_VOTER = "second.voter@residents.example";

const londonToday = () =>
  new Date().toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/London" });

test.beforeAll(() => {
  CODE = [...randomBytes(12)].map((b) => "0123456789ABCDEFGHJKMNPQRSTVWXYZ"[b & 31]).join("");
  const client = new Database(DATABASE);
  client.pragma("busy_timeout = 5000");
  client.pragma("foreign_keys = ON");
  // A round whose review is done and whose voting is due in ten days: the officer opens it by hand today.
  round = createE2eVotingRound(DATABASE, {
    name: "Opened by hand",
    projects: 2,
    maxRanked: 5,
    phase: "reviewing",
    votingOpensAt: new Date(Date.now() + 10 * 86_400_000).toISOString(),
    votingClosesAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
  });
  // Two residents who have never voted (once someone has voted, only an officer may change their details):
  // the demo resident's password and postcode, no date of birth yet.
  for (const email of [FIRST_VOTER, SECOND_VOTER])
    client
      .prepare(
        "insert or ignore into users (id, email, name, password_hash, postcode, email_verified_at) select ?, ?, " +
          "'New Voter', password_hash, postcode, ? from users where email = ?",
      )
      .run(randomBytes(10).toString("hex"), email, new Date().toISOString(), DEMO.resident);
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

async function fillDateOfBirth(page: Page, day: string, month: string, year: string) {
  const group = page.getByRole("group", { name: "Date of birth" });
  await group.getByLabel("Day").fill(day);
  await group.getByLabel("Month").fill(month);
  await group.getByLabel("Year").fill(year);
}

test("voting opened by hand takes votes at once, from an account and with a code", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, DEMO.admin);
  await visit(page, `/admin/rounds/${round.roundId}`);
  await expect(page.locator("dd", { hasText: /^Reviewing bids$/ })).toBeVisible();
  await page.getByLabel("Reason for moving on").fill("Review finished early; the cabinet agreed to open now");
  await page.getByRole("button", { name: "Move to the next phase" }).click();
  await expect(page.getByRole("status")).toContainText('The round is now in the phase "Voting"');
  // The shown opening date follows what happened: today, not the date ten days away.
  const voting = page.locator("dt", { hasText: /^Voting$/ }).locator("xpath=following-sibling::dd[1]");
  await expect(voting).toContainText(`${londonToday()}, `);
  await expect(page.getByLabel("Voting closes")).not.toHaveAttribute("readonly", "");
  await expectAccessible(page);
  await visit(page, `/rounds/${round.roundId}`);
  await expect(page.getByRole("link", { name: "Vote in Opened by hand" })).toBeVisible();
  // Two projects on the ballot: never "rank up to 5".
  await expect(page.getByText("rank up to 2 projects")).toBeVisible();
  await signOut(page);

  // A resident with no date of birth yet: the GOV.UK date input, its errors on the fieldset, then the ballot.
  await signIn(page, FIRST_VOTER);
  await visit(page, `/rounds/${round.roundId}/vote`);
  await expect(page.getByRole("group", { name: "Date of birth" })).toContainText("For example, 27 3 2007");
  await fillDateOfBirth(page, "14", "", "1985");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByRole("alert")).toContainText("Date of birth must include a month");
  await expect(page.locator("#field-dateOfBirth-error")).toContainText("Date of birth must include a month");
  await expect(page.getByRole("group", { name: "Date of birth" }).getByLabel("Month")).toHaveAttribute(
    "aria-invalid",
    "true",
  );
  await expect(page.getByRole("group", { name: "Date of birth" }).getByLabel("Day")).toHaveValue("14");
  await expectAccessible(page);
  await fillDateOfBirth(page, "14", "3", "1985");
  await page.getByRole("button", { name: "Save and continue" }).click();
  await page.getByRole("button", { name: `Add ${round.titles[0]} to my ranking` }).click();
  await page.getByRole("button", { name: `Add ${round.titles[1]} to my ranking` }).click();
  await expect(page.getByRole("button", { name: `Move ${round.titles[0]} up` })).toBeDisabled();
  await expect(page.getByRole("button", { name: `Move ${round.titles[0]} down` })).toBeEnabled();
  await expect(page.getByRole("button", { name: `Move ${round.titles[1]} down` })).toBeDisabled();
  await page.getByRole("button", { name: `Move ${round.titles[1]} up` }).click();
  await expect(page.getByRole("button", { name: `Move ${round.titles[1]} up` })).toBeDisabled();
  await expect(page.getByRole("button", { name: `Move ${round.titles[1]} down` })).toBeFocused();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Continue to check your vote" }).click();
  await page.getByRole("button", { name: "Cast my vote" }).click();
  await expect(page.getByRole("heading", { name: "Your vote has been cast" })).toBeVisible();
  await signOut(page);

  // A code voter ranks the whole ballot and is not refused at the last step.
  await visit(page, `/rounds/${round.roundId}/code`);
  await page.getByLabel("Voting code").fill(CODE);
  await page.getByRole("button", { name: "Continue to the ballot" }).click();
  await expect(page.getByText("You are voting with a one-time code.")).toBeVisible();
  await page.getByRole("button", { name: `Add ${round.titles[0]} to my ranking` }).click();
  await page.getByRole("button", { name: `Add ${round.titles[1]} to my ranking` }).click();
  await page.getByRole("button", { name: "Continue to check your vote" }).click();
  await page.getByRole("button", { name: "Cast my vote" }).click();
  await expect(page.getByRole("heading", { name: "Your vote has been cast" })).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the date of birth is asked for in day, month and year boxes, and a date that does not exist is refused", async ({
    page,
  }) => {
    await signIn(page, SECOND_VOTER);
    await page.goto(`/rounds/${round.roundId}/vote`);
    await fillDateOfBirth(page, "31", "2", "1990");
    await page.getByRole("button", { name: "Save and continue" }).click();
    await expect(page.locator("#field-dateOfBirth-error")).toContainText("Date of birth must be a real date");
    await expect(page.getByRole("group", { name: "Date of birth" }).getByLabel("Day")).toHaveAttribute(
      "aria-invalid",
      "true",
    );
    await fillDateOfBirth(page, "1", "1", "2999");
    await page.getByRole("button", { name: "Save and continue" }).click();
    await expect(page.locator("#field-dateOfBirth-error")).toContainText("Date of birth must be in the past");
    await fillDateOfBirth(page, "28", "Feb", "1990");
    await page.getByRole("button", { name: "Save and continue" }).click();
    await expect(page.getByLabel(`Rank for ${round.titles[0]}`)).toBeVisible();
  });

  test("an officer's times are London time: the missing spring hour gets a message beside the field", async ({
    page,
  }) => {
    await signIn(page, DEMO.admin);
    await page.goto("/admin/rounds/new");
    await page.getByLabel("Bids open").fill("2030-03-31T01:30");
    await page.getByRole("button", { name: "Set up the round" }).click();
    await expect(page.locator("#field-bidsOpenAt-error")).toContainText(
      "1:30am does not happen on that day in the UK: the clocks go forward an hour",
    );
    await expect(page.getByLabel("Bids open")).toHaveValue("2030-03-31T01:30");
  });
});

test("times typed in summer are kept as typed: the repeated autumn hour is refused, 10pm shows as 10pm", async ({
  page,
}) => {
  await signIn(page, DEMO.admin);
  await visit(page, "/admin/rounds/new");
  await expect(page.getByText("Times are UK time (Europe/London")).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill("Summer evening round");
  await page.getByLabel("Description", { exact: true }).fill("A round whose voting closes at ten on a summer night.");
  await page.getByLabel("Pot (£)").fill("10,000");
  await page.getByLabel("Smallest bid (£)").fill("250");
  await page.getByLabel("Largest bid (£)").fill("5000");
  await page.getByLabel("Bids open").fill("2030-05-01T09:00");
  await page.getByLabel("Bids close").fill("2030-06-01T17:00");
  await page.getByLabel("Voting opens").fill("2030-06-15T09:00");
  await page.getByLabel("Voting closes").fill("2030-10-27T01:30");
  await page.getByRole("button", { name: "Set up the round" }).click();
  await expect(page.locator("#field-votingClosesAt-error")).toContainText(
    "1:30am happens twice on that day in the UK: the clocks go back an hour",
  );
  await expectAccessible(page);
  await page.getByLabel("Voting closes").fill("2030-06-30T22:00");
  await page.getByRole("button", { name: "Set up the round" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Summer evening round" })).toBeVisible();
  await expect(page.locator("dd", { hasText: "15 June 2030, 9am to 30 June 2030, 10pm" })).toBeVisible();
  await expect(page.getByLabel("Voting closes")).toHaveValue("2030-06-30T22:00");
  await expectAccessible(page);
});

test("closing early sets the closing time; the count page reads plainly; results say when they are expected", async ({
  page,
}) => {
  await signIn(page, DEMO.admin);
  await visit(page, `/admin/rounds/${round.roundId}/count`);
  await page.getByLabel("Reason for closing before the closing time").fill("Enough votes; the cabinet agreed");
  await page.getByRole("button", { name: "Close voting" }).click();
  await expect(page.getByRole("status")).toContainText("Voting is closed");
  const facts = page.locator("dl").first();
  await expect(facts).toContainText("Counting");
  await expect(facts).toContainText("Lowest project number wins");
  await expect(facts).toContainText(`Voting closed${londonToday()}, `);
  await expect(facts).not.toContainText("project-id");
  await expect(page.locator("main")).not.toContainText(/\d{4}-\d{2}-\d{2}T\d{2}:/);
  await expect(page.locator("main")).toContainText("Voting closed by");
  await expectAccessible(page);
  await signOut(page);

  const results = await visit(page, `/rounds/${round.roundId}/results`);
  expect(results?.status()).toBe(200);
  await expect(page.getByText("The results of this round are not published yet.")).toBeVisible();
  expect((await page.goto("/rounds/999999/results"))?.status()).toBe(404);
  await visit(page, `/rounds/${round.roundId}/code`);
  await expect(page.getByText("Voting in this round has closed.")).toBeVisible();
  await page.getByRole("link", { name: "See when they are expected" }).click();
  await expect(page.getByText("The results of this round are not published yet.")).toBeVisible();
});

test("a published round's code page links its results, which count up to the number on the ballot", async ({
  page,
}) => {
  await visit(page, "/rounds");
  const href = await page.getByRole("link", { name: "Spring Community Chest", exact: true }).getAttribute("href");
  const roundId = /\/rounds\/(\d+)/.exec(href ?? "")![1];
  await visit(page, `/rounds/${roundId}/code`);
  await page.getByRole("link", { name: "See the results of Spring Community Chest" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Results: Spring Community Chest" })).toBeVisible();
  await expect(page.getByText(/Each ballot ranked up to \d+ projects/)).toBeVisible();
  await expect(page.getByText(/ratified this result on \d{1,2} [A-Z][a-z]+ \d{4}\./)).toBeVisible();
});

test("review counts on the round page agree with the review page", async ({ page }) => {
  await signIn(page, DEMO.admin);
  await page.goto("/admin/rounds");
  await page.getByRole("link", { name: "Hollins Park and Ironbridge Neighbourhood Fund" }).click();
  const tally = page.locator("dt", { hasText: /^Bids$/ }).locator("xpath=following-sibling::dd[1]");
  const onRoundPage = (await tally.innerText()).trim();
  expect(onRoundPage).toMatch(/^[1-9]\d* to review/);
  await page.getByRole("link", { name: "Review bids and ballot order" }).click();
  await expect(page.getByText(`Bids: ${onRoundPage}.`)).toBeVisible();
  await expect(page.getByText("Not reviewed yet")).toHaveCount(Number(onRoundPage.split(" ")[0]));
});

test("copy and demo data: population with a comma, a blank scheme name, postcodes found by ward", async ({ page }) => {
  await signIn(page, DEMO.admin);
  await visit(page, "/admin/wards");
  await page.getByRole("link", { name: "Juniper Vale" }).click();
  await page.getByLabel("Population").fill("10,250");
  await page.getByRole("button", { name: "Save details" }).click();
  await expect(page.locator(".error-summary")).toHaveCount(0);
  await page.goto("/admin/wards");
  await expect(page.getByRole("row", { name: /Juniper Vale/ })).toContainText("10,250");

  await visit(page, "/funds/new");
  await expect(page.getByLabel("Scheme name")).toHaveValue("");

  await visit(page, "/admin/postcodes?q=Abbey");
  await expect(page.getByRole("table", { name: "Postcodes found" }).getByRole("row")).toHaveCount(51);
  await expect(page.getByRole("cell", { name: "EB1 1AA" })).toBeVisible();
  await page.getByLabel("Postcode, its start, or a ward's name").fill("eb9 1aa");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("row", { name: /EB9 1AA Ironbridge/ })).toBeVisible();
});
