/** Finance publishes a year's spending; anyone then reads the summary and downloads the files. */
import { expect, test } from "@playwright/test";
import { DEMO, expectAccessible, signIn, visit } from "./support";

const fyNow = () => {
  const today = new Date();
  const start = today.getUTCMonth() >= 3 ? today.getUTCFullYear() : today.getUTCFullYear() - 1;
  return `${start}/${String((start + 1) % 100).padStart(2, "0")}`;
};

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("publishing without choosing a year is refused beside the field", async ({ page }) => {
    await signIn(page, DEMO.finance);
    await page.goto("/finance/spending");
    await page.getByRole("button", { name: "Publish this period" }).click();
    await expect(page.locator("#field-fy-error")).toContainText("Choose the financial year to publish");
  });
});

test("finance publishes this year's spending and anyone can read and download it", async ({ page, browser }) => {
  const fy = fyNow();
  const anonymous = await (await browser.newContext()).newPage();
  await visit(anonymous, "/spending");
  await expect(anonymous.getByRole("region", { name: fy })).toHaveCount(0);
  expect((await anonymous.request.get(`/spending/${fy.replace("/", "-")}/spend.csv`)).status()).toBe(404);

  await signIn(page, DEMO.finance);
  await visit(page, "/finance/spending");
  await page.getByRole("button", { name: "Publish this period" }).click();
  await expect(page.getByRole("alert")).toContainText("Choose the financial year to publish");
  await expectAccessible(page);
  await page.getByLabel(fy).check();
  await page.getByRole("button", { name: "Publish this period" }).click();
  await expect(page.getByRole("status")).toContainText(`The spending of ${fy} is published`);
  await expect(page.getByRole("listitem").filter({ hasText: `${fy}: published on` })).toBeVisible();

  await visit(anonymous, "/spending");
  const year = anonymous.getByRole("region", { name: fy });
  await expect(year).toContainText(/the council awarded £[\d,]+\.\d{2} in \d+ grants?/);
  await expect(year.getByRole("table", { name: `By ward, ${fy}` })).toBeVisible();
  const [download] = await Promise.all([
    anonymous.waitForEvent("download"),
    year.getByRole("link", { name: `Transparency Code spend file ${fy} (CSV)` }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.csv$/);
  const json = await anonymous.request.get(`/spending/${fy.replace("/", "-")}/360giving.json`);
  expect(json.status()).toBe(200);
  expect(Array.isArray(((await json.json()) as { grants: unknown[] }).grants)).toBe(true);
});
