/**
 * Registering, voting and reading a round's results in Welsh: with axe, by keyboard, and with
 * JavaScript off. The pages are asked for with `?lng=cy`, which the language cookie then keeps.
 */
import Database from "better-sqlite3";
import { expect, test, type Page } from "@playwright/test";
import type { VotingRound } from "../factories";
import { createE2eVotingRound, DEMO, expectAccessible, signIn } from "./support";

const DATABASE = "tests/.tmp/e2e.db";
let round: VotingRound;
let resultsRoundId = 0;

test.beforeAll(() => {
  round = createE2eVotingRound(DATABASE, { name: "Cronfa Cymraeg e2e", projects: 3, maxRanked: 3 });
  const client = new Database(DATABASE);
  client.pragma("busy_timeout = 5000");
  client
    .prepare("update users set date_of_birth = '1985-03-14' where email in (?, ?)")
    .run(DEMO.resident, DEMO.councillor);
  // The demo council's finished round: counted, ratified and published.
  const published = client
    .prepare("select id from pb_rounds where phase in ('results', 'delivery', 'closed') order by id limit 1")
    .get() as { id: number } | undefined;
  client.close();
  resultsRoundId = published?.id ?? 0;
});

async function inWelsh(page: Page, path: string) {
  await page.goto(`${path}${path.includes("?") ? "&" : "?"}lng=cy`);
  await expect(page.locator("html")).toHaveAttribute("lang", "cy");
}

/** Presses Tab until the focused element's accessible name (label or text) matches. */
async function tabTo(page: Page, name: string | RegExp) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el ? (el.getAttribute("aria-label") ?? el.innerText ?? "").trim() : "";
    });
    if (typeof name === "string" ? focused === name : name.test(focused)) return;
  }
  throw new Error(`Could not reach "${String(name)}" with the Tab key`);
}

function outboxSubjectFor(email: string): string | undefined {
  const client = new Database(DATABASE, { readonly: true });
  const row = client.prepare("select subject from outbox where to_address = ? order by id desc limit 1").get(email) as
    { subject: string } | undefined;
  client.close();
  return row?.subject;
}

test.describe("in Welsh", () => {
  test("a resident registers by keyboard; errors, the answer and the confirmation mail are in Welsh", async ({
    page,
  }) => {
    test.setTimeout(60_000);
    const email = `cofrestru-${Date.now()}@residents.example`;
    await inWelsh(page, "/register");
    await expect(page.getByRole("heading", { level: 1, name: "Creu cyfrif" })).toBeVisible();
    await expect(page).toHaveTitle("Creu cyfrif – Wardfund");
    await expectAccessible(page);
    await page.getByRole("button", { name: "Creu cyfrif" }).click();
    await expect(page.getByRole("alert")).toContainText("Rhowch eich enw");
    await expect(page.locator("#field-email-error")).toContainText("Rhowch eich cyfeiriad e-bost");
    await expect(page.locator("#field-password-error")).toContainText("12 nod o leiaf");
    await expectAccessible(page);

    await page.getByLabel("Enw llawn").focus();
    await page.keyboard.type("Gwenllian Prys");
    await page.keyboard.press("Tab");
    await page.keyboard.type(email);
    await page.keyboard.press("Tab");
    await page.keyboard.type("EB1 1AA");
    await page.keyboard.press("Tab");
    await page.keyboard.type("cyfrinair-hir-iawn");
    await page.keyboard.press("Tab");
    await page.keyboard.type("cyfrinair-gwahanol");
    await page.keyboard.press("Enter");
    await expect(page.locator("#field-confirmPassword-error")).toContainText("Nid yw'r ddau gyfrinair yr un fath");
    await page.getByLabel("Cadarnhewch y cyfrinair").fill("cyfrinair-hir-iawn");
    await page.getByLabel("Cadarnhewch y cyfrinair").press("Enter");
    // Registering hashes the password, which takes a while on a busy machine.
    await expect(page.getByRole("heading", { name: "Gwiriwch eich e-bost" })).toBeVisible({ timeout: 20_000 });
    await expect(page.getByRole("status")).toContainText(email);
    await expectAccessible(page);
    await expect.poll(() => outboxSubjectFor(email)).toBe("Cadarnhewch eich cyfeiriad e-bost ar gyfer Wardfund");
  });

  test("a resident ranks projects and casts a vote by keyboard", async ({ page }) => {
    test.setTimeout(90_000);
    const [first, second] = [round.titles[1]!, round.titles[0]!];
    await signIn(page, DEMO.resident);
    await inWelsh(page, `/rounds/${round.roundId}/vote`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pleidleisio yn Cronfa Cymraeg e2e");
    await expect(page.getByText(/Daw'r pleidleisio i ben ar/)).toBeVisible();
    await expectAccessible(page);
    await page.locator("h1").focus();
    await tabTo(page, `Ychwanegu ${first} at fy nhrefn`);
    await page.keyboard.press("Enter");
    await expect(page.getByRole("status").filter({ hasText: "ychwanegu" })).toHaveText(
      `${first} wedi'i ychwanegu yn safle 1.`,
    );
    await page.locator("h1").focus();
    await tabTo(page, `Ychwanegu ${second} at fy nhrefn`);
    await page.keyboard.press("Space");
    await tabTo(page, `Symud ${second} i fyny`);
    await page.keyboard.press("Enter");
    await expect(page.getByRole("status").filter({ hasText: "symud" })).toHaveText(`${second} wedi'i symud i safle 1.`);
    await expect(page.getByRole("heading", { name: "Eich trefn (2 o 3)" })).toBeVisible();
    await expectAccessible(page);
    await tabTo(page, "Parhau i wirio eich pleidlais");
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { name: "Gwirio eich pleidlais" })).toBeFocused();
    await expect(page.getByRole("list", { name: "Eich trefn" }).getByRole("listitem")).toHaveText([second, first]);
    await expectAccessible(page);
    await tabTo(page, "Bwrw fy mhleidlais");
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { name: "Mae eich pleidlais wedi'i bwrw" })).toBeVisible();
    await expect(page.getByTestId("receipt")).toHaveText(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/);
    await expectAccessible(page);

    await inWelsh(page, `/rounds/${round.roundId}/vote`);
    await expect(page.getByRole("alert")).toHaveText("Rydych wedi pleidleisio yn y rownd hon eisoes.");
  });

  test("the results page: the chart's text alternative, the tables and the links, by keyboard", async ({ page }) => {
    test.skip(!resultsRoundId, "the demo council has no published round");
    await inWelsh(page, `/rounds/${resultsRoundId}/results`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Canlyniadau:");
    await expect(page.getByRole("heading", { name: "Sut y cafodd y pleidleisiau eu cyfrif" })).toBeVisible();
    const chart = page.getByRole("img", { name: /Prosiectau yn nhrefn eu pwyntiau|Rowndiau Dull y Cyfrannau/ });
    await expect(chart.first()).toBeVisible();
    await expect(page.getByRole("table", { name: "Pleidleisiau fesul ward" })).toBeVisible();
    await expect(page.getByRole("table", { name: /Wedi'u dewis gan/ })).toContainText("Yn weddill");
    await expect(page.getByText(/Cadarnhaodd y cyngor y canlyniad hwn/)).toBeVisible();
    await expectAccessible(page);
    await page.locator("h1").focus();
    await tabTo(page, /^Adroddiad llawn y cyfrif \(JSON\)$/);
    await expect(page.getByRole("link", { name: "Adroddiad llawn y cyfrif (JSON)" })).toBeFocused();
  });
});

test.describe("in Welsh without JavaScript", () => {
  // axe runs inside the page, so it cannot run here; the same pages are checked with JavaScript on.
  test.use({ javaScriptEnabled: false });

  test("registering: the errors and the answer come from the server in Welsh", async ({ page }) => {
    test.setTimeout(60_000);
    await inWelsh(page, "/register");
    await page.getByLabel("Enw llawn").fill("Dafydd ap Gwilym");
    await page.getByLabel("Cyfeiriad e-bost").fill("nid-cyfeiriad");
    await page.getByRole("button", { name: "Creu cyfrif" }).click();
    await expect(page.getByRole("heading", { name: "Mae problem" })).toBeVisible();
    await expect(page.locator("#field-email-error")).toContainText("Rhowch gyfeiriad e-bost fel enw@example.org");
    await expect(page.getByLabel("Enw llawn")).toHaveValue("Dafydd ap Gwilym");
    await page.getByLabel("Cyfeiriad e-bost").fill(`dafydd-${Date.now()}@residents.example`);
    await page.getByLabel("Cyfrinair", { exact: true }).fill("cyfrinair-hir-iawn");
    await page.getByLabel("Cadarnhewch y cyfrinair").fill("cyfrinair-hir-iawn");
    await page.getByRole("button", { name: "Creu cyfrif" }).click();
    // Registering hashes the password, which takes a while on a busy machine.
    await expect(page.getByRole("heading", { name: "Gwiriwch eich e-bost" })).toBeVisible({ timeout: 20_000 });
  });

  test("voting with the plain form: a rank gap is explained in Welsh, then the vote is cast", async ({ page }) => {
    test.setTimeout(90_000);
    await signIn(page, DEMO.councillor);
    await inWelsh(page, `/rounds/${round.roundId}/vote`);
    await page.getByLabel(`Safle ${round.titles[0]}`).selectOption("1");
    await page.getByLabel(`Safle ${round.titles[2]}`).selectOption("3");
    await page.getByRole("button", { name: "Parhau i wirio eich pleidlais" }).click();
    await expect(page.getByRole("heading", { name: "Mae problem" })).toBeVisible();
    await expect(page.locator(`#field-rank-${round.bidIds[2]}-error`)).toContainText("Nid oes prosiect yn safle 2");
    await expect(page.getByLabel(`Safle ${round.titles[0]}`)).toHaveValue("1");
    await page.getByLabel(`Safle ${round.titles[2]}`).selectOption("2");
    await page.getByRole("button", { name: "Parhau i wirio eich pleidlais" }).click();
    await expect(page.getByRole("heading", { name: "Gwirio eich pleidlais" })).toBeVisible();
    await page.getByRole("button", { name: "Bwrw fy mhleidlais" }).click();
    await expect(page.getByRole("heading", { name: "Mae eich pleidlais wedi'i bwrw" })).toBeVisible();
  });

  test("the results page is whole without JavaScript, its chart described in Welsh", async ({ page }) => {
    test.skip(!resultsRoundId, "the demo council has no published round");
    await inWelsh(page, `/rounds/${resultsRoundId}/results`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("Canlyniadau:");
    await expect(page.locator("svg title").first()).toHaveText(/Prosiectau yn nhrefn eu pwyntiau|Rowndiau Dull/);
    await expect(page.locator("svg desc").first()).toContainText(/llinell goch/i);
    // Rendered on the server: the date's month is Welsh.
    await expect(page.getByText(/Cadarnhaodd y cyngor y canlyniad hwn ar \d+ \p{L}+ \d{4}/u)).toBeVisible();
    await expect(page.getByRole("table", { name: "Pleidleisiau yn ôl sut y pleidleisiodd pobl" })).toBeVisible();
  });
});
