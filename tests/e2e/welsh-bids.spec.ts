/**
 * Writing a bid and a councillor's decision in Welsh: with axe and by keyboard while JavaScript is on,
 * and with plain forms while it is off. Error messages, refusals and notices all come in Welsh.
 */
import { expect as baseExpect, test, type Page } from "@playwright/test";
import { DEMO, expectAccessible, signIn } from "./support";

// Submitting a bid writes mail and audit rows; on a busy machine the answer can take longer than five seconds.
const expect = baseExpect.configure({ timeout: 15_000 });

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** Goes to a page in Welsh and checks the page says so. */
async function inWelsh(page: Page, path: string) {
  await page.goto(`${path}${path.includes("?") ? "&" : "?"}lng=cy`);
  await expect(page.locator("html")).toHaveAttribute("lang", "cy");
}

/**
 * The group lead writes a bid in Welsh, from the group page to submission, putting a refused step right on
 * the way. Returns the bid's id.
 */
async function writeBid(page: Page, title: string, options: { javaScript: boolean }): Promise<string> {
  const check = (p: Page) => (options.javaScript ? expectAccessible(p) : Promise.resolve());
  await signIn(page, DEMO.groupMember);
  await inWelsh(page, "/groups/1");
  await check(page);
  await page.getByRole("link", { name: "Dechrau cais" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Dechrau cais" })).toBeVisible();
  await check(page);
  // Without a fund chosen the start is refused beside the choice (when only one fund is open it is preselected).
  const funds = page.getByRole("radio");
  if ((await funds.count()) > 1) {
    await page.getByRole("button", { name: "Dechrau'r cais" }).click();
    await expect(page.getByRole("alert")).toContainText("Dewiswch y gronfa i wneud cais iddi.");
  }
  await page.getByRole("radio", { name: /Cyllidebau Ward Cynghorwyr/ }).check();
  await page.getByRole("button", { name: "Dechrau'r cais" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Am y prosiect" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Camau'r cais" })).toBeVisible();
  await check(page);
  const bidId = new URL(page.url()).pathname.split("/")[2]!;

  await page.getByLabel("Teitl y prosiect").fill(title);
  await page.getByLabel("Crynodeb", { exact: true }).fill("Meinciau newydd wrth y pwll i bobl hŷn gael gorffwys.");
  await page
    .getByLabel("Disgrifiad")
    .fill("Prynu a gosod tair mainc bren ger y pwll hwyaid, gyda phlaciau yn Gymraeg ac yn Saesneg.");
  await page.getByRole("button", { name: "Cadw a pharhau" }).click();

  // The money step refuses lines that do not add up, in Welsh, keeping what was typed.
  await expect(page.getByRole("heading", { level: 1, name: "Arian" })).toBeVisible();
  await check(page);
  await page.getByLabel("Y swm rydych chi'n gofyn amdano (£)").fill("450");
  await page.getByLabel("Llinell 1: beth yw ei ddiben").fill("Meinciau");
  await page.getByLabel("Llinell 1: cost (£)").fill("400");
  if (options.javaScript) await expect(page.getByText("Cyfanswm llinellau'r gyllideb yw £400.00")).toBeVisible();
  await page.getByRole("button", { name: "Cadw a pharhau" }).click();
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("Mae eich newidiadau wedi'u cadw. Cywirwch y rhain cyn parhau:");
  await expect(alert).toContainText("£50.00 yn llai na'r £450.00 rydych chi'n gofyn amdano");
  if (options.javaScript) await expect(alert).toBeFocused();
  await expect(page.getByLabel("Llinell 1: cost (£)")).toHaveValue("400");
  await check(page);
  await page.getByLabel("Llinell 2: beth yw ei ddiben").fill("Placiau");
  await page.getByLabel("Llinell 2: cost (£)").fill("fifty");
  await page.getByRole("button", { name: "Cadw a pharhau" }).click();
  await expect(page.locator("#field-line-1-amount-error")).toContainText(
    "Llinell 2: Rhowch swm mewn punnoedd a cheiniogau",
  );
  await page.getByLabel("Llinell 2: cost (£)").fill("50");
  await page.getByRole("button", { name: "Cadw a pharhau" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Pwy a ble" })).toBeVisible();
  await check(page);
  await page.getByRole("checkbox", { name: "Caeau'r Abaty" }).check();
  await page.getByLabel("Pwy fydd yn elwa?").fill("Pobl hŷn sy'n cerdded yn y parc");
  await page.getByLabel("Tua faint o bobl fydd yn elwa?").fill("200");
  await page.getByLabel("Dyddiad dechrau").fill(day(14));
  await page.getByLabel("Dyddiad gorffen").fill(day(10));
  await page.getByRole("button", { name: "Cadw a pharhau" }).click();
  await expect(page.locator("#field-endOn-error")).toContainText(
    "Rhaid i'r dyddiad gorffen fod yr un fath â'r dyddiad dechrau neu ar ei ôl.",
  );
  await page.getByLabel("Dyddiad gorffen").fill(day(90));
  await page.getByRole("button", { name: "Cadw a pharhau" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Ffeiliau" })).toBeVisible();
  await check(page);
  await page.getByRole("link", { name: "Parhau", exact: true }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Gwirio a chyflwyno" })).toBeVisible();
  await check(page);
  await expect(page.getByText("Placiau: £50.00")).toBeVisible();
  await page.getByRole("button", { name: "Cyflwyno'r cais" }).click();
  await expect(page.getByRole("status")).toContainText("Mae eich cais wedi'i gyflwyno.");
  await expect(page.getByText("Wedi'i gyflwyno", { exact: true })).toBeVisible();
  await check(page);
  return bidId;
}

test.describe("in Welsh, with JavaScript", () => {
  test("a group lead writes and submits a bid, and the ward's councillor decides it by keyboard", async ({ page }) => {
    test.setTimeout(240_000);
    const bidId = await writeBid(page, "Meinciau wrth y pwll", { javaScript: true });

    await page.context().clearCookies();
    await signIn(page, DEMO.councillor);
    await inWelsh(page, `/councillor/bids/${bidId}`);
    await expect(page.getByRole("heading", { level: 1, name: "Meinciau wrth y pwll" })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Eich penderfyniad" })).toBeVisible();
    await expect(page).toHaveTitle(/– penderfynu – Wardfund$/);
    await expectAccessible(page);

    // Recorded without an answer: the summary takes focus and speaks Welsh.
    const record = page.getByRole("button", { name: "Cofnodi'r penderfyniad" });
    await record.focus();
    await page.keyboard.press("Enter");
    const alert = page.getByRole("alert");
    await expect(alert).toContainText("Dywedwch a oes gennych fuddiant yn y cais hwn");
    await expect(alert).toBeFocused();
    await expectAccessible(page);

    // Then by keyboard alone: radios with Space, text typed, the button pressed with Enter.
    await page.getByLabel("Nid oes gennyf fuddiant i'w ddatgan").focus();
    await page.keyboard.press("Space");
    await expect(page.getByLabel("Nid oes gennyf fuddiant i'w ddatgan")).toBeChecked();
    await page.getByLabel("Cymeradwyo'n rhannol").focus();
    await page.keyboard.press("Space");
    await page.getByLabel("Y swm a gymeradwywyd (£)").focus();
    await page.keyboard.type("300");
    await page.getByLabel("Rheswm neu neges i'r grŵp").focus();
    await page.keyboard.type("Mae dwy fainc yn ddigon am y tro.");
    await record.focus();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("status")).toContainText("Cais wedi'i gymeradwyo'n rhannol.");
    await expect(page.locator("html")).toHaveAttribute("lang", "cy");
    await expectAccessible(page);

    // The group sees the decision on the bid's page, in Welsh.
    await page.context().clearCookies();
    await signIn(page, DEMO.groupMember);
    await inWelsh(page, `/bids/${bidId}`);
    await expect(page.getByText("Cymeradwywyd yn rhannol", { exact: true })).toBeVisible();
    await expect(page.getByRole("heading", { name: "Penderfyniadau" })).toBeVisible();
    await expectAccessible(page);
  });
});

test.describe("in Welsh, without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a group lead writes and submits a bid with plain forms", async ({ page }) => {
    test.setTimeout(240_000);
    await writeBid(page, "Gwelyau blodau", { javaScript: false });
  });

  test("an incomplete bid is refused at submission, each problem in Welsh linking to its step", async ({ page }) => {
    await signIn(page, DEMO.groupMember);
    await inWelsh(page, "/groups/1/bids/new");
    await page.getByRole("radio", { name: /Cyllidebau Ward Cynghorwyr/ }).check();
    await page.getByRole("button", { name: "Dechrau'r cais" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Am y prosiect" })).toBeVisible();
    await page.getByRole("link", { name: "Gwirio a chyflwyno" }).click();
    await expect(page.getByRole("heading", { name: "Cyn y gallwch gyflwyno" })).toBeVisible();
    await page.getByRole("button", { name: "Cyflwyno'r cais" }).click();
    const summary = page.getByRole("alert");
    await expect(summary).toContainText("Ni ellir cyflwyno'r cais eto");
    await expect(summary.getByRole("link", { name: /^Am y prosiect, teitl y prosiect: Rhowch deitl/ })).toBeVisible();
    await expect(summary).toContainText("Rhowch y swm rydych chi'n gofyn amdano.");
  });

  test("a councillor asks the group to change a bid with plain forms", async ({ page }) => {
    // A bid of its own: the demo's submitted bids are decided by other specs.
    test.setTimeout(240_000);
    const bidId = await writeBid(page, "Cwt offer a rennir", { javaScript: false });
    await page.context().clearCookies();
    await signIn(page, DEMO.councillor);
    await inWelsh(page, `/councillor/bids/${bidId}`);
    await expect(page.getByRole("heading", { level: 1, name: "Cwt offer a rennir" })).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("lang", "cy");
    await page.getByLabel("Nid oes gennyf fuddiant i'w ddatgan").check();
    await page.getByRole("button", { name: "Cofnodi'r penderfyniad" }).click();
    await expect(page.getByRole("alert")).toContainText("Dewiswch benderfyniad");
    await expect(page.locator("#field-outcome-error")).toContainText("Dewiswch benderfyniad");
    await page.getByLabel("Nid oes gennyf fuddiant i'w ddatgan").check();
    await page.getByLabel("Gofyn i'r grŵp newid y cais").check();
    await page.getByLabel("Rheswm neu neges i'r grŵp").fill("Ychwanegwch ail ddyfynbris, os gwelwch yn dda.");
    await page.getByRole("button", { name: "Cofnodi'r penderfyniad" }).click();
    await expect(page.getByRole("status")).toContainText("Mae'r cais wedi'i anfon yn ôl at y grŵp i'w newid.");
  });
});
