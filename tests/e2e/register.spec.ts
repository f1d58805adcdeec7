import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { DEMO_REGISTER } from "../../scripts/seed/register";
import { DEMO, expectAccessible, signIn, visit } from "./support";

const DATABASE = "tests/.tmp/e2e.db";
let roundId = 0;
let residentId = "";

test.beforeAll(() => {
  const client = new Database(DATABASE, { readonly: true });
  roundId = client
    .prepare("select id from pb_rounds where name = 'Brookside Residents Decide'")
    .pluck()
    .get() as number;
  residentId = client.prepare("select id from users where email = ?").pluck().get(DEMO.resident) as string;
  client.close();
});

const row = (reference: string) => DEMO_REGISTER.find((r) => r.reference === reference)!;

test("a resident matches the council's register by reference and votes", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, DEMO.resident);
  await visit(page, `/rounds/${roundId}/vote`);
  await expect(page.getByRole("heading", { name: "With the reference on your letter or polling card" })).toBeVisible();
  await page.getByLabel("Reference").fill("BRK-9999");
  await page.getByRole("button", { name: "Check the reference" }).click();
  await expect(page.getByRole("heading", { name: "There is a problem" })).toBeVisible();
  await expect(page.getByText(/could not find you on the register/).first()).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel("Reference").fill(row("BRK-1010").reference.toLowerCase().replace("-", " "));
  await page.getByRole("button", { name: "Check the reference" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Vote in Brookside Residents Decide" })).toBeVisible();
  const add = page.getByRole("button", { name: /^Add .* to my ranking$/ }).first();
  await expect(add).toBeVisible();
  await expectAccessible(page);
  await add.click();
  await page.getByRole("button", { name: "Continue to check your vote" }).click();
  await expect(page.getByRole("heading", { name: "Check your vote" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole("button", { name: "Cast my vote" }).click();
  await expect(page.getByRole("heading", { name: "Your vote has been cast" })).toBeVisible();
  await expectAccessible(page);
  await visit(page, "/account/voter-details");
  await expect(page.getByText("You have voted, so these can no longer be changed here.")).toBeVisible();
});

test("an officer sees who may vote and the register, and the voting-details form of a resident", async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page, DEMO.admin);
  await visit(page, `/admin/rounds/${roundId}/register`);
  await expect(page.getByText("Who may vote was fixed when voting opened")).toBeVisible();
  await expect(page.getByText("Residents matched to the council's register").first()).toBeVisible();
  await expect(page.locator("dd").first()).toHaveText("30");
  await visit(page, `/admin/users/${residentId}`);
  await expect(page.getByRole("heading", { name: "Voting details" })).toBeVisible();
});

test.describe("without JavaScript", () => {
  // axe runs inside the page, so it cannot run here; the same pages are checked with JavaScript on.
  test.use({ javaScriptEnabled: false });

  test("a resident matches by postcode, date of birth and surname, and votes with the plain form", async ({ page }) => {
    test.setTimeout(90_000);
    const mine = row("BRK-1006");
    await signIn(page, DEMO.groupMember);
    await page.goto(`/rounds/${roundId}/vote`);
    await page.getByRole("button", { name: "Check my details" }).click();
    await expect(page.getByRole("heading", { name: "There is a problem" })).toBeVisible();
    await expect(page.locator("#field-surname-error")).toContainText("Enter your surname");
    await page.getByLabel("Postcode").fill(mine.postcode.toLowerCase().replace(" ", ""));
    const [year, month, day] = mine.dateOfBirth.split("-") as [string, string, string];
    const dateOfBirth = page.getByRole("group", { name: "Date of birth" });
    await dateOfBirth.getByLabel("Day").fill(day);
    await dateOfBirth.getByLabel("Month").fill(month);
    await dateOfBirth.getByLabel("Year").fill(year);
    await page.getByLabel("Surname").fill(mine.surname.replace("’", "'").toUpperCase());
    await page.getByRole("button", { name: "Check my details" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Vote in Brookside Residents Decide" })).toBeVisible();
    await page
      .getByLabel(/^Rank for /)
      .first()
      .selectOption("1");
    await page.getByRole("button", { name: "Continue to check your vote" }).click();
    await expect(page.getByRole("heading", { name: "Check your vote" })).toBeVisible();
    await page.getByRole("button", { name: "Cast my vote" }).click();
    await expect(page.getByRole("heading", { name: "Your vote has been cast" })).toBeVisible();
  });
});
