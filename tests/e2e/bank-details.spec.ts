import { expect, test, type Browser, type Page } from "@playwright/test";
import { DEMO, expectAccessible, signIn } from "./support";

/** Registers a group as `lead` and gives its first bank details; returns the group's id. */
async function registerGroupWithBankDetails(page: Page, lead: string, name: string): Promise<string> {
  await signIn(page, lead);
  await page.goto("/groups/new");
  await page.getByLabel("Group name").fill(name);
  await page.getByLabel("Kind of organisation").selectOption("constituted-group");
  await page.getByLabel("Address").fill("2 Mill Lane, Eastbrook");
  await page.getByLabel("Postcode").fill("EB10 1AA");
  await page.getByLabel("Contact email").fill(`${name.toLowerCase().replace(/\W+/g, "-")}@groups.example`);
  await page.getByRole("button", { name: "Register the group" }).click();
  await expect(page.getByRole("status")).toContainText("Your group is registered");
  await changeBankDetails(page, "11112222", "Save bank details");
  return new URL(page.url()).pathname.split("/").pop()!;
}

async function changeBankDetails(page: Page, accountNumber: string, button = "Change bank details") {
  await page.getByLabel("Name on the account").fill("Mill Lane Gardeners");
  await page.getByLabel("Sort code").fill("20-00-00");
  await page.getByLabel("Account number").fill(accountNumber);
  await page.getByRole("button", { name: button }).click();
  await expect(page.getByText(`account ****${accountNumber.slice(-4)}`)).toBeVisible();
}

async function contextPage(browser: Browser, javaScriptEnabled: boolean) {
  const context = await browser.newContext({ javaScriptEnabled });
  return { context, page: await context.newPage() };
}

for (const javaScriptEnabled of [true, false]) {
  // axe runs in the page, so it checks the pages in the run with JavaScript; the run without checks the same pages
  // work.
  const accessible = (page: Page) => (javaScriptEnabled ? expectAccessible(page) : Promise.resolve());
  const visit = async (page: Page, path: string) => {
    await page.goto(path);
    await accessible(page);
  };
  test(
    `an administrator verifies only the bank details they saw (${javaScriptEnabled ? "with" : "without"} ` +
      `JavaScript)`,
    async ({ browser }) => {
      test.setTimeout(120_000);
      const lead = javaScriptEnabled ? "jack.robinson@residents.example" : "keisha.brown@residents.example";
      const member = await contextPage(browser, javaScriptEnabled);
      const admin = await contextPage(browser, javaScriptEnabled);
      const groupId = await registerGroupWithBankDetails(
        member.page,
        lead,
        `Mill Lane Gardeners ${javaScriptEnabled ? "A" : "B"}`,
      );

      await signIn(admin.page, DEMO.admin);
      await visit(admin.page, `/admin/groups/${groupId}`);
      await expect(admin.page.getByTestId("verification")).toContainText(
        "Not verified: version 1 of the bank details has not been checked",
      );

      // While the administrator reads the page, the group changes its bank account.
      await changeBankDetails(member.page, "33334444");

      await admin.page.getByLabel("Evidence checked").fill("Constitution and a bank statement in the group's name");
      await admin.page.getByRole("button", { name: "Verify the group" }).click();
      await expect(admin.page.locator("#field-evidence-error")).toContainText(
        "The bank details changed while you were reviewing them: check the new details",
      );
      await expect(admin.page.getByText("Version 2: Mill Lane Gardeners, 20-00-00, ****4444")).toBeVisible();
      await expect(admin.page.getByTestId("verification")).toContainText("Not verified: version 2");
      await accessible(admin.page);

      await admin.page.getByLabel("Evidence checked").fill("Bank statement for the account ending 4444 checked");
      await admin.page.getByRole("button", { name: "Verify the group" }).click();
      await expect(admin.page.getByRole("status")).toContainText("Group verified.");
      await expect(admin.page.getByTestId("verification")).toContainText("Version 2 of the bank details, on");
      await expect(admin.page.getByTestId("verification")).toContainText("by ");
      await accessible(admin.page);

      await visit(member.page, `/groups/${groupId}`);
      await expect(member.page.getByTestId("verification")).toContainText("with version 2 of the bank details");

      // A change after verification withdraws it.
      await changeBankDetails(member.page, "55556666");
      await expect(member.page.getByRole("status")).toContainText("the council must verify the group again");
      await expect(member.page.getByTestId("verification")).toContainText("Not yet: version 3 of the bank details");
      await accessible(member.page);
      await visit(admin.page, `/admin/groups/${groupId}`);
      await expect(admin.page.getByTestId("verification")).toContainText("Not verified: version 3");
      await expect(admin.page.getByText("group.verification-withdrawn")).toBeVisible();

      await member.context.close();
      await admin.context.close();
    },
  );
}
