/** The payments queue: what needs action first, then tabs, filters and pages that work with or without JavaScript. */
import { expect, test, type Page } from "@playwright/test";
import { DEMO, expectAccessible, signIn } from "./support";

const grantPanels = (page: Page) => page.locator("section.panel[aria-labelledby^='grant-']");

async function walkTheQueue(page: Page, javaScript: boolean) {
  const check = () => (javaScript ? expectAccessible(page) : Promise.resolve());
  await signIn(page, DEMO.finance);
  await page.goto("/finance/payments");
  await check();
  // What needs action comes first: its summary, then the tab that is open.
  const needs = page.getByRole("region", { name: "Needs action" });
  await expect(needs).toBeVisible();
  const tabs = page.getByRole("navigation", { name: "Grants by where they stand" });
  const current = tabs.locator("[aria-current='page']");
  await expect(current).toHaveText(/^(Needs action|All grants) \(\d+\)$/);
  if ((await current.innerText()).startsWith("Needs action")) {
    const shown = await grantPanels(page).count();
    expect(shown).toBeGreaterThan(0);
    for (let i = 0; i < shown; i += 1) await expect(grantPanels(page).nth(i)).toContainText(/Needs action: /);
    await expect(needs.getByRole("listitem").first()).toBeVisible();
  }

  // Every grant, ten to a page.
  await tabs.getByRole("link", { name: /^All grants/ }).click();
  await expect(page).toHaveURL(/[?&]tab=all/);
  const heading = page.getByRole("heading", { name: /^All grants: \d+ grants/ });
  await expect(heading).toBeVisible();
  const total = Number((await heading.innerText()).match(/: (\d+) grants/)![1]);
  expect(total).toBeGreaterThan(10);
  await expect(heading).toContainText("page 1 of");
  await expect(grantPanels(page)).toHaveCount(10);
  await check();
  const pages = page.getByRole("navigation", { name: "Pages of grants" });
  await pages.getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(heading).toContainText("page 2 of");
  await expect(pages.getByRole("link", { name: "Page 2" })).toHaveAttribute("aria-current", "page");
  const onPageTwo = await grantPanels(page).count();
  expect(onPageTwo).toBeGreaterThan(0);
  expect(onPageTwo).toBeLessThanOrEqual(10);

  // Find one grant by its title: the filter is a GET form, so the address says what is shown.
  const title = (await grantPanels(page).first().getByRole("heading").innerText()).replace(
    / \(\d{4}\/\d{2} part\)$/,
    "",
  );
  await page.getByLabel("Find a grant").fill(title);
  await page.getByRole("button", { name: "Show grants" }).click();
  await expect(page).toHaveURL(/[?&]q=/);
  await expect(page).toHaveURL(/tab=all/);
  await expect(grantPanels(page).first().getByRole("heading")).toContainText(title);
  await expect(page.getByRole("heading", { name: /^All grants: \d+ grants?$/ })).toBeVisible();
  await check();

  // A ward nobody's grant is in leaves an empty list, and clearing the filters brings them back.
  await page.getByLabel("Ward").selectOption({ index: 1 });
  await page.getByRole("button", { name: "Show grants" }).click();
  await expect(page).toHaveURL(/ward=/);
  await page.getByRole("link", { name: "Clear the filters" }).click();
  await expect(page.getByRole("heading", { name: /^All grants: \d+ grants/ })).toContainText(`${total} grants`);
}

test("the payments queue puts what needs action first, then tabs, filters and pages", async ({ page }) => {
  await walkTheQueue(page, true);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("the tabs, filters and pages are links and a GET form", async ({ page }) => {
    await walkTheQueue(page, false);
  });
});
