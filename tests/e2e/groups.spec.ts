import { expect, test } from "@playwright/test";
import { DEMO, expectAccessible, signIn, visit, signOut } from "./support";

test("a resident registers a group, gives bank details, and an administrator verifies it", async ({ page }) => {
  test.setTimeout(90_000);
  // A resident in no group (the demo "resident" account must stay group-free for the role tests).
  await signIn(page, "xander.cole@residents.example");
  await visit(page, "/groups");
  await page.getByRole("link", { name: "Register a group" }).click();
  await expectAccessible(page);
  await page.getByLabel("Group name").fill("Juniper Vale Litter Pickers");
  await page.getByLabel("Kind of organisation").selectOption("registered-charity");
  await page.getByLabel("Address").fill("1 Vale Road, Eastbrook");
  await page.getByLabel("Postcode").fill("EB10 1AA");
  await page.getByLabel("Contact email").fill("litter@juniper.example");
  await page.getByRole("button", { name: "Register the group" }).click();
  await expect(page.locator("#field-charityNumber-error")).toContainText("must give its charity number");
  await expect(page.getByLabel("Group name")).toHaveValue("Juniper Vale Litter Pickers");
  await expectAccessible(page);
  await page.getByLabel("Charity number (if registered)").fill("1199999");
  await page.getByRole("button", { name: "Register the group" }).click();
  await expect(page.getByRole("status")).toContainText("Your group is registered");

  await page.getByLabel("Name on the account").fill("Juniper Vale Litter Pickers");
  await page.getByLabel("Sort code").fill("20 00 00");
  await page.getByLabel("Account number").fill("1234");
  await page.getByRole("button", { name: "Save bank details" }).click();
  await expect(page.locator("#field-accountNumber-error")).toContainText("8-digit");
  await page.getByLabel("Account number").fill("12345678");
  await page.getByRole("button", { name: "Save bank details" }).click();
  await expect(page.getByText("account ****5678")).toBeVisible();
  const groupPath = new URL(page.url()).pathname;
  const groupId = groupPath.split("/").pop();
  await signOut(page);

  await signIn(page, DEMO.admin);
  await visit(page, `/admin/groups/${groupId}`);
  await expect(page.getByText("12345678")).toHaveCount(0);
  await page
    .getByLabel("Evidence checked")
    .fill("Charity register entry 1199999 and a bank statement in the group's name");
  await page.getByRole("button", { name: "Verify the group" }).click();
  await expect(page.getByRole("status")).toContainText("Group verified.");
});
