/**
 * Progress updates between award and final report: a member of a funded group posts an update with
 * a photo, an officer publishes it from the check queue, and it appears on the public project page
 * with the photo (its location data gone); with JavaScript off, errors are shown beside the fields
 * and an officer sends an update back with a reason the group then reads.
 */
import { expect, test, type Browser, type Page } from "@playwright/test";
import sharp from "sharp";
import { DEMO, expectAccessible, signIn, visit } from "./support";

const BODY =
  "The benches are built and the planters are in. Year 2 planted herbs and the reading garden opens on Friday.";
const ALT = "Two wooden benches beside planters of herbs in the school's reading garden";

async function as(browser: Browser, email: string, javaScript = true): Promise<Page> {
  const page = await (await browser.newContext({ javaScriptEnabled: javaScript })).newPage();
  await signIn(page, email);
  return page;
}

/**
 * From the member's groups to the progress updates page of the group's grant; returns the bid's id.
 * axe runs in the page, so only when JavaScript is on.
 */
async function openUpdates(page: Page, group: string, title: string, javaScript = true): Promise<number> {
  await page.goto("/groups");
  await page.getByRole("link", { name: group }).click();
  await page.getByRole("link", { name: title }).click();
  await page.getByRole("link", { name: "Progress updates" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText(`Progress updates: ${title}`);
  if (javaScript) await expectAccessible(page);
  return Number(/\/bids\/(\d+)\/updates/.exec(page.url())![1]);
}

async function photoWithLocation(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: "#6a4" } })
    .jpeg()
    .withExif({ IFD0: { Artist: "A. Parent" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "51/1 28/1 0/1" } })
    .toBuffer();
}

test("a group member posts an update with a photo, an officer publishes it, and residents see it", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const member = await as(browser, "emma.clarke@residents.example");
  const bidId = await openUpdates(member, "Elmwood Primary PTA", "Reading garden benches");
  await member.getByLabel("What has happened so far").fill(BODY);
  await member
    .getByLabel("Photo 1", { exact: true })
    .setInputFiles({ name: "IMG_2044.jpg", mimeType: "image/jpeg", buffer: await photoWithLocation() });
  // First without describing the photo: the error is beside the field and in the summary.
  await member.getByRole("button", { name: "Send for checking" }).click();
  await expect(member.getByRole("alert")).toContainText("Describe photo 1: Describe what the photo shows");
  await expect(member.locator("#field-alt1-error")).toBeVisible();
  await expectAccessible(member);
  await member.getByLabel("Describe photo 1").fill(ALT);
  await member.getByRole("button", { name: "Send for checking" }).click();
  await expect(member.getByRole("status")).toContainText("your update waits for an officer's check");
  await expect(member.getByText("Awaiting an officer's check")).toBeVisible();
  await expectAccessible(member);

  // Not public until it is checked.
  const resident = await (await browser.newContext()).newPage();
  await resident.goto(`/projects/${bidId}`);
  await expect(resident.getByRole("heading", { level: 1 })).toHaveText("Reading garden benches");
  await expect(resident.getByText(BODY)).toHaveCount(0);

  const officer = await as(browser, DEMO.admin);
  await visit(officer, "/admin/delivery");
  await expect(officer.getByRole("table", { name: /Updates waiting for a check/ })).toContainText(
    "Chest freezer for the larder",
  );
  await officer.getByRole("link", { name: "Reading garden benches" }).click();
  await expect(officer.getByRole("heading", { level: 1 })).toHaveText("Check a progress update");
  await expect(officer.getByRole("img", { name: ALT })).toBeVisible();
  await expectAccessible(officer);
  await officer.getByRole("button", { name: "Send back to the group" }).click();
  await expect(officer.getByRole("alert")).toContainText("Say why the update is being sent back");
  await expectAccessible(officer);
  await officer.getByRole("button", { name: "Publish the update" }).click();
  await expect(officer.getByRole("status")).toHaveText("The update is published.");
  await expect(officer.getByText(/Published on .* by Alex Morgan/)).toBeVisible();

  await resident.reload();
  const progress = resident.getByRole("region", { name: "Progress updates" });
  await expect(progress).toContainText(BODY);
  const image = progress.getByRole("img", { name: ALT });
  await expect(image).toBeVisible();
  await expectAccessible(resident);
  const photo = await resident.request.get((await image.getAttribute("src"))!);
  expect(photo.status()).toBe(200);
  expect(photo.headers()["content-type"]).toBe("image/jpeg");
  const meta = await sharp(await photo.body()).metadata();
  expect(meta.exif).toBeUndefined();

  // The ward page points to the updates.
  await resident.goto("/wards/E05990005");
  await expect(resident.getByRole("link", { name: /1 progress update, the latest posted on/ })).toBeVisible();
});

test.describe("without JavaScript", () => {
  // axe needs JavaScript in the page: the same pages and error states are checked with it above.
  test("the group's mistakes are shown beside the fields, and an officer sends an update back with a reason", async ({
    browser,
  }) => {
    test.setTimeout(90_000);
    const member = await as(browser, "finn.murphy@residents.example", false);
    const bidId = await openUpdates(member, "Ferry Lane Friends of the Park", "Bulb planting day", false);
    await member.getByLabel("What has happened so far").fill("Too short");
    await member.getByLabel("Describe photo 2").fill("A photo I forgot to choose");
    await member.getByRole("button", { name: "Send for checking" }).click();
    const summary = member.getByRole("alert");
    await expect(summary).toContainText("Write at least 20 characters about how the project is going");
    await expect(summary).toContainText("Choose a photo to go with this description, or clear the description");
    await expect(member.locator("#field-body-error")).toBeVisible();
    await expect(member.locator("#field-photo2-error")).toBeVisible();
    await member
      .getByLabel("What has happened so far")
      .fill("Thirty volunteers planted 2,000 crocus and daffodil bulbs along the river path on Saturday.");
    await member.getByLabel("Describe photo 2").fill("");
    await member.getByRole("button", { name: "Send for checking" }).click();
    await expect(member.getByRole("status")).toContainText("your update waits for an officer's check");

    const officer = await as(browser, "admin2@eastbrook.example", false);
    await officer.goto("/admin/delivery");
    await officer.getByRole("link", { name: "Bulb planting day" }).click();
    await officer.getByRole("button", { name: "Send back to the group" }).click();
    await expect(officer.getByRole("alert")).toContainText("Say why the update is being sent back");
    const reason = "Please add how many of the volunteers were new to the group.";
    await officer.getByLabel("Why it is being sent back").fill(reason);
    await officer.getByRole("button", { name: "Send back to the group" }).click();
    await expect(officer.getByRole("status")).toHaveText("The update was sent back to the group.");

    await member.reload();
    await expect(member.getByText(/Sent back on/)).toBeVisible();
    await expect(member.getByText(reason)).toBeVisible();
    const resident = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    await resident.goto(`/projects/${bidId}`);
    await expect(resident.getByRole("heading", { level: 1 })).toHaveText("Bulb planting day");
    await expect(resident.getByText("Thirty volunteers planted")).toHaveCount(0);
  });
});
