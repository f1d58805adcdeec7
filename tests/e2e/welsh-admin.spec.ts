/**
 * An administrator works in Welsh: sets up a participatory budgeting round (a refused date shown beside
 * its field, then the round made) and reviews a round's bids (a reason required to mark one ineligible,
 * then marked, then the ballot order drawn), with axe, by keyboard and without JavaScript.
 */
import Database from "better-sqlite3";
import { expect, test, type Page } from "@playwright/test";
import { createE2eVotingRound, DEMO, expectAccessible, signIn } from "./support";

const DATABASE = "tests/.tmp/e2e.db";
const DAY = 86_400_000;

/** A round whose bids wait for review: the voting fixture's bids set back to submitted and unreviewed. */
function roundToReview(name: string) {
  const round = createE2eVotingRound(DATABASE, {
    name,
    phase: "reviewing",
    projects: 3,
    votingOpensAt: new Date(Date.now() + 30 * DAY).toISOString(),
    votingClosesAt: new Date(Date.now() + 40 * DAY).toISOString(),
  });
  const database = new Database(DATABASE);
  database.pragma("busy_timeout = 5000");
  database
    .prepare("update pb_projects set eligibility = 'pending', ballot_position = null where round_id = ?")
    .run(round.roundId);
  const placeholders = round.bidIds.map(() => "?").join(", ");
  database.prepare(`update bids set status = 'submitted' where id in (${placeholders})`).run(...round.bidIds);
  database.prepare("update pb_rounds set name_cy = ? where id = ?").run(`${name} (Cymraeg)`, round.roundId);
  database.close();
  return round;
}

async function inWelsh(page: Page, path: string) {
  await page.goto(`${path}${path.includes("?") ? "&" : "?"}lng=cy`);
  await expect(page.locator("html")).toHaveAttribute("lang", "cy");
}

async function fillRound(page: Page, name: string, bidsClose: string) {
  await page.getByLabel("Enw", { exact: true }).fill(name);
  await page.getByLabel("Disgrifiad", { exact: true }).fill("Prosiectau ar hyd yr afon, wedi'u dewis gan drigolion.");
  await page.getByLabel("Pot (£)").fill("20,000");
  await page.getByLabel("Cais lleiaf (£)").fill("250");
  await page.getByLabel("Cais mwyaf (£)").fill("5000");
  await page.getByLabel("Ceisiadau'n agor").fill("2030-05-01T09:00");
  await page.getByLabel("Ceisiadau'n cau").fill(bidsClose);
  await page.getByLabel("Pleidleisio'n agor").fill("2030-07-01T09:00");
  await page.getByLabel("Pleidleisio'n cau").fill("2030-07-15T17:00");
  await page.getByLabel("Rheol gyfrif").selectOption("mes");
}

test.describe("an administrator in Welsh", () => {
  test("sets up a round by keyboard: a date out of order is refused beside its field", async ({ page }) => {
    await signIn(page, DEMO.admin);
    await inWelsh(page, "/admin/rounds");
    await expect(page.getByRole("heading", { level: 1, name: "Rowndiau cyllidebu cyfranogol" })).toBeVisible();
    await expectAccessible(page);
    await page.getByRole("link", { name: "Sefydlu rownd" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Sefydlu rownd cyllidebu cyfranogol" })).toBeVisible();
    await expect(page).toHaveTitle("Sefydlu rownd cyllidebu cyfranogol – Wardfund");
    await expectAccessible(page);

    await fillRound(page, "Lleisiau Glan yr Afon", "2030-04-01T17:00");
    const submit = page.getByRole("button", { name: "Sefydlu'r rownd" });
    await submit.focus();
    await page.keyboard.press("Enter");
    const alert = page.getByRole("alert");
    await expect(alert).toContainText("Mae problem");
    await expect(alert).toContainText("Ceisiadau'n cau: Rhaid i geisiadau gau yn hwyrach nag y maent yn agor");
    await expect(page.locator("#field-bidsCloseAt-error")).toContainText("Rhaid i geisiadau gau yn hwyrach");
    await expect(page.getByLabel("Enw", { exact: true })).toHaveValue("Lleisiau Glan yr Afon");
    await expectAccessible(page);

    // The summary's link takes the keyboard to the field at fault.
    await alert.getByRole("link", { name: /Ceisiadau'n cau/ }).focus();
    await page.keyboard.press("Enter");
    await expect(page.getByLabel("Ceisiadau'n cau")).toBeFocused();
    await page.getByLabel("Ceisiadau'n cau").fill("2030-06-01T17:00");
    await submit.focus();
    await page.keyboard.press("Enter");

    await expect(page.getByRole("heading", { level: 1, name: "Lleisiau Glan yr Afon" })).toBeVisible();
    await expect(page.getByRole("status")).toHaveText("Mae'r rownd wedi'i sefydlu fel drafft.");
    await expect(page.getByText("Drafft (heb agor eto)").first()).toBeVisible();
    await expect(page.getByText("£20,000.00 (cronfa")).toBeVisible();
    await expectAccessible(page);
  });

  test("reviews bids: a reason is needed to mark a bid ineligible, then the ballot order is drawn", async ({
    page,
  }) => {
    const round = roundToReview("Adolygu yn Gymraeg");
    const [first, second, third] = round.titles as [string, string, string];
    await signIn(page, DEMO.admin);
    await inWelsh(page, `/admin/rounds/${round.roundId}`);
    await expect(page.getByText("3 i'w hadolygu, 0 yn gymwys, 0 yn anghymwys")).toBeVisible();
    await page.getByRole("link", { name: "Adolygu ceisiadau a threfn y papur pleidleisio" }).click();
    await expect(
      page.getByRole("heading", { level: 1, name: "Adolygu ceisiadau: Adolygu yn Gymraeg (Cymraeg)" }),
    ).toBeVisible();
    await expectAccessible(page);

    // Bid titles exist only in English: shown as they are, marked as English.
    const firstBid = page.getByRole("region", { name: new RegExp(first) });
    await expect(firstBid.locator('[lang="en-GB"]').first()).toHaveText(first);
    await firstBid.getByRole("button", { name: "Nodi'n anghymwys", exact: true }).click();
    await expect(page.getByRole("alert")).toContainText("Rhowch y rheswm pam mae'r cais yn anghymwys");
    await expect(page.getByRole("region", { name: new RegExp(first) }).locator(".error-message")).toBeVisible();
    await expectAccessible(page);

    await page
      .getByLabel(new RegExp(`^Rheswm ar gyfer ${first}`))
      .fill("Mae'r prosiect eisoes wedi'i ariannu gan y cyngor sir.");
    await page
      .getByRole("region", { name: new RegExp(first) })
      .getByRole("button", { name: "Nodi'n anghymwys", exact: true })
      .click();
    await expect(page.getByRole("status")).toHaveText("Nodwyd bod y cais yn anghymwys.");
    await expect(page.getByRole("region", { name: new RegExp(first) })).toContainText("Anghymwys");

    for (const title of [second, third]) {
      const eligible = page
        .getByRole("region", { name: new RegExp(title) })
        .getByRole("button", { name: "Nodi'n gymwys", exact: true });
      await eligible.focus();
      await page.keyboard.press("Enter");
      await expect(page.getByRole("status")).toHaveText("Nodwyd bod y cais yn gymwys.");
    }
    await expect(page.getByText("0 i'w hadolygu, 2 yn gymwys, 1 yn anghymwys")).toBeVisible();

    await page.getByRole("button", { name: "Tynnu trefn ar hap" }).click();
    await expect(page.getByRole("status")).toHaveText(
      "Tynnwyd trefn y papur pleidleisio ar hap; mae'r hedyn wedi'i gofnodi.",
    );
    await expect(page.getByText(/Tynnwyd y drefn bresennol ar hap o'r hedyn/)).toBeVisible();
    await expectAccessible(page);
  });
});

test.describe("an administrator in Welsh without JavaScript", () => {
  // axe runs inside the page, so it cannot run here; the same pages are checked with JavaScript on.
  test.use({ javaScriptEnabled: false });

  test("sets up a round and reviews a bid", async ({ page }) => {
    await signIn(page, DEMO.admin);
    await inWelsh(page, "/admin/rounds/new");
    await page.getByRole("button", { name: "Sefydlu'r rownd" }).click();
    await expect(page.getByRole("alert")).toContainText("Rhowch enw'r rownd");
    await expect(page.locator("#field-pot-error")).toContainText("Rhowch y pot");
    await fillRound(page, "Cronfa'r Dyffryn heb JavaScript", "2030-06-01T17:00");
    await page.getByRole("button", { name: "Sefydlu'r rownd" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Cronfa'r Dyffryn heb JavaScript" })).toBeVisible();
    await expect(page.getByRole("status")).toHaveText("Mae'r rownd wedi'i sefydlu fel drafft.");

    const round = roundToReview("Adolygu heb JavaScript");
    await inWelsh(page, `/admin/rounds/${round.roundId}/review`);
    const bid = page.getByRole("region", { name: new RegExp(round.titles[0]!) });
    await bid.getByRole("button", { name: "Nodi'n gymwys", exact: true }).click();
    await expect(page.getByRole("status")).toHaveText("Nodwyd bod y cais yn gymwys.");
    await expect(page.getByText("2 i'w hadolygu, 1 yn gymwys, 0 yn anghymwys")).toBeVisible();
  });
});
