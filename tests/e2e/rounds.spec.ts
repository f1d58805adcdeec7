import { expect, test } from "@playwright/test";
import { DEMO, expectAccessible, signIn, visit } from "./support";

test(
  "an administrator sets up a round: a bad date is refused beside the field, then the round is created and " + "opened",
  async ({ page }) => {
    await signIn(page, DEMO.admin);
    await visit(page, "/admin/rounds");
    await page.getByRole("link", { name: "Set up a round" }).click();
    await page.getByLabel("Name", { exact: true }).fill("Riverside Voices");
    await page
      .getByLabel("Description", { exact: true })
      .fill("£20,000 for projects along the river, chosen by residents.");
    await page.getByLabel("Ferry Lane").check();
    await page.getByLabel("Pot (£)").fill("20,000");
    await page.getByLabel("Smallest bid (£)").fill("250");
    await page.getByLabel("Largest bid (£)").fill("5000");
    await page.getByLabel("Bids open").fill("2030-05-01T09:00");
    await page.getByLabel("Bids close").fill("2030-04-01T17:00");
    await page.getByLabel("Voting opens").fill("2030-07-01T09:00");
    await page.getByLabel("Voting closes").fill("2030-07-15T17:00");
    await page.getByLabel("Counting rule").selectOption("mes");
    await page.getByRole("button", { name: "Set up the round" }).click();

    await expect(page.getByRole("alert")).toContainText("There is a problem");
    await expect(page.getByRole("alert")).toContainText("Bids close must be later than bids open");
    await expect(page.locator("#field-bidsCloseAt-error")).toContainText("later than bids open");
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue("Riverside Voices");
    await expect(page.getByLabel("Pot (£)")).toHaveValue("20,000");
    await expect(page.getByLabel("Ferry Lane")).toBeChecked();
    await expect(page.getByLabel("Counting rule")).toHaveValue("mes");
    await expectAccessible(page);

    await page.getByLabel("Bids close").fill("2030-06-01T17:00");
    await page.getByRole("button", { name: "Set up the round" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Riverside Voices" })).toBeVisible();
    await expect(page.getByRole("status")).toContainText("set up as a draft");
    await expectAccessible(page);

    await page.getByLabel("Reason for moving on").fill("Approved by cabinet");
    await page.getByRole("button", { name: "Move to the next phase" }).click();
    await expect(page.getByRole("status")).toContainText("Accepting bids");
    await expect(page.getByRole("cell", { name: "round.phase-changed" })).toBeVisible();
  },
);

test("an officer reviews bids: a reason is required to mark a bid ineligible", async ({ page }) => {
  await signIn(page, DEMO.admin);
  await page.goto("/admin/rounds");
  await page.getByRole("link", { name: "Hollins Park and Ironbridge Neighbourhood Fund" }).click();
  await page.getByRole("link", { name: "Review bids and ballot order" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Review bids");
  await expectAccessible(page);

  const bowls = page.getByRole("region", { name: /Bowls for all taster days/ });
  await bowls.getByRole("button", { name: "Mark ineligible", exact: true }).click();
  await expect(page.getByRole("alert")).toContainText("reason");
  await expect(page.getByRole("region", { name: /Bowls for all taster days/ }).locator(".error-message")).toBeVisible();

  await page
    .getByLabel("Reason for Bowls for all taster days")
    .fill("Taster days are already funded by the county sports partnership.");
  await page
    .getByRole("region", { name: /Bowls for all taster days/ })
    .getByRole("button", { name: "Mark ineligible", exact: true })
    .click();
  await expect(page.getByRole("status")).toContainText("marked ineligible");

  await page
    .getByRole("region", { name: /Repair café/ })
    .getByRole("button", { name: "Mark eligible", exact: true })
    .click();
  await expect(page.getByRole("status")).toContainText("marked eligible");
  await expect(page.getByRole("region", { name: /Repair café/ })).toContainText("Eligible");
  await expectAccessible(page);
});

test("the public gallery and a project page render, pass axe and show no one's name", async ({ page }) => {
  await visit(page, "/rounds");
  await page.getByRole("link", { name: "Eastbrook Decides", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Eastbrook Decides" })).toBeVisible();
  await expectAccessible(page);
  await expect(page.getByRole("link", { name: "Vote in Eastbrook Decides" })).toHaveAttribute(
    "href",
    /\/rounds\/\d+\/vote$/,
  );
  await expect(page.getByText("Showing 8 of 8 projects.")).toBeVisible();
  await expect(page.getByText("New bowls club car park")).toBeVisible();
  await expect(page.getByText("private to the club")).toBeVisible();
  await expect(page.getByText("Alice Green")).toHaveCount(0);

  await page.getByRole("link", { name: "Community orchard on Abbey Fields" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Community orchard on Abbey Fields" })).toBeVisible();
  await expect(page.getByText("Abbey Fields Allotment Society")).toBeVisible();
  await expect(page.getByLabel("Link to this project")).toHaveValue(/\/rounds\/\d+\/projects\/\d+$/);
  await expectAccessible(page);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the gallery filters by ward and by cost", async ({ page }) => {
    await page.goto("/rounds");
    await page.getByRole("link", { name: "Eastbrook Decides", exact: true }).click();
    await page.getByLabel("Ward", { exact: true }).selectOption({ label: "Granary Quarter" });
    await page.getByRole("button", { name: "Show projects" }).click();
    await expect(page).toHaveURL(/ward=\d+/);
    await expect(page.getByText("Showing 2 of 8 projects.")).toBeVisible();
    await page.getByLabel("Ward", { exact: true }).selectOption({ label: "Ironbridge" });
    await page.getByLabel("Cost", { exact: true }).selectOption({ label: "Under £2,500" });
    await page.getByRole("button", { name: "Show projects" }).click();
    await expect(page).toHaveURL(/cost=under-2500/);
    await expect(page.getByText("Showing 1 of 8 projects.")).toBeVisible();
    await expect(page.getByRole("link", { name: "Men's Shed tool library" })).toBeVisible();
  });
});

test("a round in voting shows its rules read-only; its name can still change", async ({ page }) => {
  await signIn(page, DEMO.admin);
  await page.goto("/admin/rounds");
  await page.getByRole("link", { name: "Eastbrook Decides", exact: true }).click();
  await expect(page.getByText("The rules were fixed when voting opened")).toBeVisible();
  await expect(page.getByLabel("Largest bid (£)")).toHaveAttribute("readonly", "");
  await expect(page.getByLabel("Counting rule")).toHaveCount(0);
  await expectAccessible(page);
  await page.getByLabel("Name", { exact: true }).fill("Eastbrook Decides 2026");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status")).toContainText("Settings saved.");
  await expect(page.getByRole("heading", { level: 1, name: "Eastbrook Decides 2026" })).toBeVisible();
  await page.getByLabel("Name", { exact: true }).fill("Eastbrook Decides");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Eastbrook Decides" })).toBeVisible();
});
