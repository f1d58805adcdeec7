import { expect, test, type Page } from "@playwright/test";
import { DEMO, expectAccessible, signIn, visit, signOut } from "./support";

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000970485973000003e8000003e801b57b526b0000000d494441540899636060606000000005000187a14ed40000000049454e44ae426082",
  "hex",
);
// The lead of the second demo group (Brookside Community Larder).
const OTHER_GROUP_LEAD = "bilal.hussain@residents.example";

/** The group lead drafts a bid across the steps, leaves, comes back, adds a file and submits it. */
async function draftAndSubmit(page: Page, title: string, options: { javaScript: boolean }) {
  // axe runs inside the page, so it can only check the pages when JavaScript is on; the journey
  // without JavaScript goes through the same pages.
  const check = (p: Page) => (options.javaScript ? expectAccessible(p) : Promise.resolve());
  await signIn(page, DEMO.groupMember);
  await page.goto("/groups/1");
  await check(page);
  await page.getByRole("link", { name: "Start a bid" }).click();
  await check(page);
  await page.getByRole("radio", { name: /Councillor Ward Budgets/ }).check();
  await page.getByRole("button", { name: "Start the bid" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "About the project" })).toBeVisible();
  await check(page);
  const bidPath = new URL(page.url()).pathname.replace(/\/edit$/, "");

  // Step 1, saved as a draft; then the lead leaves.
  await page.getByLabel("Project title").fill(title);
  await page.getByLabel("Summary", { exact: true }).fill("Shelves and envelopes so plot holders can share seeds.");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByRole("status")).toContainText("Your draft is saved");
  await page.goto("/groups/1");
  await check(page);
  await expect(page.getByRole("link", { name: title })).toBeVisible();

  // Back to it: what was saved is there.
  await page.getByRole("link", { name: title }).click();
  await check(page);
  await page.getByRole("link", { name: "Continue the draft" }).click();
  await expect(page.getByLabel("Project title")).toHaveValue(title);
  await page
    .getByLabel("Description")
    .fill("A seed library in the allotment shed: shelving, seed envelopes, labels and a catalogue.");
  await page.getByRole("button", { name: "Save and continue" }).click();

  // Step 2: lines that do not add up are refused, with what was typed kept.
  await expect(page.getByRole("heading", { level: 1, name: "Money" })).toBeVisible();
  await check(page);
  await page.getByLabel("Amount you are asking for (£)").fill("450");
  await page.getByLabel("Line 1: what it is for").fill("Shelving");
  await page.getByLabel("Line 1: cost (£)").fill("300");
  await page.getByLabel("Line 2: what it is for").fill("Envelopes and labels");
  await page.getByLabel("Line 2: cost (£)").fill("100");
  if (options.javaScript) await expect(page.getByText("Budget lines add up to £400.00")).toBeVisible();
  await page.getByRole("button", { name: "Save and continue" }).click();
  await expect(page.getByRole("alert")).toContainText("£50.00 less than the £450.00 you are asking for");
  if (options.javaScript) await expect(page.getByRole("alert")).toBeFocused();
  await expect(page.getByLabel("Line 2: cost (£)")).toHaveValue("100");
  await check(page);
  // A fourth line, added with the button (a new row appears with or without JavaScript).
  await expect(page.getByLabel("Line 4: what it is for")).toHaveCount(0);
  await page.getByRole("button", { name: "Add another line" }).click();
  await page.getByLabel("Line 4: what it is for").fill("Catalogue printing");
  await page.getByLabel("Line 4: cost (£)").fill("50");
  if (options.javaScript) await expect(page.getByText("Budget lines add up to £450.00")).toBeVisible();
  await page.getByRole("button", { name: "Save and continue" }).click();

  // Step 3.
  await expect(page.getByRole("heading", { level: 1, name: "Who and where" })).toBeVisible();
  await check(page);
  await page.getByRole("checkbox", { name: "Abbey Fields" }).check();
  await page.getByLabel("Who will benefit?").fill("Plot holders and their families");
  await page.getByLabel("About how many people will benefit?").fill("120");
  await page.getByLabel("Start date").fill(day(14));
  await page.getByLabel("End date").fill(day(90));
  await page.getByRole("button", { name: "Save and continue" }).click();

  // Step 4: a file, checked by its bytes.
  await expect(page.getByRole("heading", { level: 1, name: "Files" })).toBeVisible();
  await check(page);
  await page
    .getByLabel("Upload a file")
    .setInputFiles({ name: "not-really.png", mimeType: "image/png", buffer: Buffer.from("<html>hello</html>") });
  await page.getByRole("button", { name: "Upload file" }).click();
  await expect(page.getByRole("alert")).toContainText("must be a PNG, JPEG or WebP image, or a PDF");
  await page.getByLabel("Upload a file").setInputFiles({ name: "shed-plan.png", mimeType: "image/png", buffer: PNG });
  await page.getByRole("button", { name: "Upload file" }).click();
  await expect(page.getByRole("status")).toContainText("File uploaded.");
  await expect(page.getByRole("link", { name: "shed-plan.png" })).toBeVisible();
  await check(page);
  await page.getByRole("link", { name: "Continue", exact: true }).click();

  // Step 5: check and submit.
  await expect(page.getByRole("heading", { level: 1, name: "Check and submit" })).toBeVisible();
  await check(page);
  await expect(page.getByText("Catalogue printing: £50.00")).toBeVisible();
  await page.getByRole("button", { name: "Submit bid" }).click();
  await expect(page.getByRole("status")).toContainText("Your bid is submitted");
  await expect(page.getByText("Submitted", { exact: true })).toBeVisible();
  await check(page);
  await page.getByRole("link", { name: "Versions and changes" }).click();
  await expect(page.getByRole("heading", { name: "Version 1" })).toBeVisible();
  await check(page);
  return bidPath;
}

test(
  "a group lead drafts a bid across the steps, comes back to it and submits it; another group cannot see " + "it",
  async ({ page }) => {
    test.setTimeout(120_000);
    const bidPath = await draftAndSubmit(page, "Seed library", { javaScript: true });
    await visit(page, `${bidPath}/withdraw`);
    await expect(page.getByLabel("Why is the group withdrawing the bid?")).toBeVisible();
    await signOut(page);

    await signIn(page, OTHER_GROUP_LEAD);
    const response = await page.goto(bidPath);
    expect([403, 404]).toContain(response?.status());
    await expect(page.getByText("Seed library")).toHaveCount(0);
    await expectAccessible(page);
  },
);

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the same bid journey works with plain forms", async ({ page }) => {
    test.setTimeout(120_000);
    const bidPath = await draftAndSubmit(page, "Tool store", { javaScript: false });
    await page.goto(`${bidPath}/withdraw`);
    await page.getByRole("button", { name: "Withdraw the bid" }).click();
    await expect(page.locator("#field-reason-error")).toContainText("Say why");
    await page.getByLabel("Why is the group withdrawing the bid?").fill("We found another funder.");
    await page.getByRole("button", { name: "Withdraw the bid" }).click();
    await expect(page.getByRole("status")).toContainText("The bid is withdrawn.");
  });
});
