import { expect, test } from "@playwright/test";
import { DEMO, expectAccessible, signIn, visit } from "./support";

test("an administrator adds a ward; a bad GSS code is refused beside the field", async ({ page }) => {
  await signIn(page, DEMO.admin);
  await visit(page, "/admin/wards");
  await page.getByRole("link", { name: "Add a ward" }).click();
  await page.getByLabel("Ward name").fill("Kingsmead");
  await page.getByLabel("GSS code").fill("E0612345");
  await page.getByLabel("Population").fill("nine thousand");
  await page.getByRole("button", { name: "Add ward" }).click();

  await expect(page.getByRole("alert")).toContainText("There is a problem");
  await expect(page.locator("#field-gssCode-error")).toContainText("E05, W05, S13 or N08 followed by six digits");
  await expect(page.locator("#field-population-error")).toContainText("whole number");
  await expect(page.getByLabel("Ward name")).toHaveValue("Kingsmead");
  await expectAccessible(page);

  await page.getByLabel("GSS code").fill("e05990011");
  await page.getByLabel("Population").fill("9000");
  await page.getByRole("button", { name: "Add ward" }).click();
  await expect(page.getByRole("status")).toContainText("Ward added.");
  await expect(page.getByRole("heading", { level: 1, name: "Kingsmead" })).toBeVisible();
  await expect(page.getByLabel("GSS code")).toHaveValue("E05990011");
  await expectAccessible(page);

  await visit(page, "/admin/audit");
  await expect(page.getByRole("cell", { name: "ward.created" }).first()).toBeVisible();
});

test("a duplicate GSS code is refused and nothing is lost", async ({ page }) => {
  await signIn(page, DEMO.admin);
  await page.goto("/admin/wards/new");
  await page.getByLabel("Ward name").fill("Copy of Brookside");
  await page.getByLabel("GSS code").fill("E05990002");
  await page.getByLabel("Population").fill("100");
  await page.getByRole("button", { name: "Add ward" }).click();
  await expect(page.locator("#field-gssCode-error")).toContainText("Brookside already has the code E05990002");
  await expect(page.getByLabel("Ward name")).toHaveValue("Copy of Brookside");
});
