/**
 * Decision day in Welsh: the event's page, the kiosk's enrolment, its waiting, ballot and receipt
 * screens and the turnout board, each checked for untranslated English (the languages walk cannot
 * reach them: they need an event, an enrolled kiosk and a board address).
 */
import { execFileSync } from "node:child_process";
import { expect, test, type Page } from "@playwright/test";
import { englishWordsOn } from "./english-words";
import { DEMO, expectAccessible, signIn, visit } from "./support";

type CodeRound = { roundId: number; titles: string[]; codes: string[] };
let round: CodeRound;

test.beforeAll(() => {
  const output = execFileSync("npx", ["tsx", "tests/support/e2e-event-code-round.ts", "tests/.tmp/e2e.db"], {
    encoding: "utf8",
  });
  round = JSON.parse(output.trim().split("\n").pop()!) as CodeRound;
});

function localTime(hoursFromNow: number): string {
  return new Date(Date.now() + hoursFromNow * 3_600_000).toISOString().slice(0, 16);
}

async function expectWelsh(page: Page, where: string) {
  await expect(page.locator("html")).toHaveAttribute("lang", "cy");
  expect(await englishWordsOn(page), where).toEqual([]);
}

test("the event's page, the kiosk and the turnout board speak Welsh", async ({ page: officer, browser }) => {
  test.setTimeout(120_000);
  await signIn(officer, DEMO.admin);
  await visit(officer, `/admin/rounds/${round.roundId}/events`);
  await officer.getByLabel("Name").fill("Eastbrook yn Penderfynu");
  await officer.getByLabel("Place").fill("Llyfrgell Eastbrook");
  await officer.getByLabel("Starts").fill(localTime(-1));
  await officer.getByLabel("Ends").fill(localTime(3));
  await officer.getByRole("button", { name: "Add the event" }).click();
  await expect(officer.getByRole("heading", { level: 1 })).toHaveText("Eastbrook yn Penderfynu");
  const eventUrl = new URL(officer.url()).pathname;

  // The officer works in Welsh from here on.
  await officer.goto(`${eventUrl}?lng=cy`);
  await expectWelsh(officer, "event page");
  await officer.getByLabel("Enw'r ddyfais").fill("Llechen 1");
  await officer.getByRole("button", { name: "Ymrestru dyfais" }).click();
  await expect(officer.getByTestId("enrol-code")).toBeVisible();
  await expectWelsh(officer, "event page with an enrolment");
  const link = (await officer.getByTestId("enrol-link").getAttribute("href"))!;
  const code = (await officer.getByTestId("enrol-code").textContent())!.trim();

  const kioskContext = await browser.newContext();
  const kiosk = await kioskContext.newPage();
  await kiosk.goto(`${new URL(link).pathname}?lng=cy`);
  await expect(kiosk.getByRole("heading", { level: 1 })).toHaveText("Ymrestru'r ddyfais hon fel ciosg");
  await expectWelsh(kiosk, "enrolment");
  await kiosk.getByRole("button", { name: "Ymrestru" }).click();
  await expect(kiosk.locator("#field-code-error")).toContainText("Teipiwch y chwe digid");
  await kiosk.getByLabel("Cod o sgrin y swyddog").fill(code === "000000" ? "111111" : "000000");
  await kiosk.getByRole("button", { name: "Ymrestru" }).click();
  await expect(kiosk.getByRole("alert")).toContainText("Nid dyna'r cod ar sgrin y swyddog");
  await expectWelsh(kiosk, "enrolment refused");
  await kiosk.getByLabel("Cod o sgrin y swyddog").fill(code);
  await kiosk.getByRole("button", { name: "Ymrestru" }).click();
  await kiosk.waitForURL("**/kiosk");
  await expect(kiosk.getByRole("heading", { level: 1 })).toHaveText("Croeso i Eastbrook yn Penderfynu");
  await expectWelsh(kiosk, "waiting kiosk");
  await expectAccessible(kiosk);

  // A refusal from the event's model, in Welsh beside the field: the code is not on this round.
  await officer.goto(eventUrl);
  await expect(
    officer.getByText("Caiff pleidleiswyr y rownd hon eu gwirio drwy eu cod pleidleisio untro."),
  ).toBeVisible();
  await officer.getByRole("radio", { name: "Llechen 1", exact: true }).check();
  await officer.getByLabel("Cod pleidleisio untro'r pleidleisiwr").fill("AAAA-BBBB-CCCC");
  await officer.getByRole("button", { name: "Rhoi'r papur pleidleisio" }).click();
  await expect(officer.locator("#field-voterCode-error")).toContainText("Nid yw'r cod hwnnw'n gweithio");
  await expectWelsh(officer, "event page, refused code");
  await officer.getByLabel("Cod pleidleisio untro'r pleidleisiwr").fill(round.codes[0]!);
  await officer.getByRole("button", { name: "Rhoi'r papur pleidleisio" }).click();
  await expect(officer.getByRole("status")).toContainText("Mae'r papur pleidleisio yn aros ar y ciosg.");

  // The ballot: its headings and instructions in Welsh; the projects are the council's, written in English
  // only, so each title is marked as such for a Welsh reader.
  await expect(kiosk.getByRole("heading", { level: 1 })).toContainText("Eich papur pleidleisio", { timeout: 10_000 });
  await expect(kiosk.getByRole("heading", { level: 3, name: `${round.titles[0]!} (English only)` })).toBeVisible();
  await expect(kiosk.getByText(/^Rhowch hyd at 3 phrosiect yn eich trefn/)).toBeVisible();
  await kiosk.getByRole("button", { name: "Bwrw fy mhleidlais" }).click();
  // Nothing ranked: the ranking's own rule refuses, in Welsh.
  await expect(kiosk.getByText(/^Nid yw eich pleidlais wedi'i bwrw: Rhowch o leiaf un prosiect/)).toBeVisible();
  await kiosk.getByRole("button", { name: `Ychwanegu ${round.titles[0]!} at fy nhrefn` }).click();
  await kiosk.getByRole("button", { name: "Bwrw fy mhleidlais" }).click();
  await expect(kiosk.getByRole("heading", { level: 1 })).toHaveText("Diolch: mae eich pleidlais wedi'i bwrw");
  await expectWelsh(kiosk, "receipt");
  await expectAccessible(kiosk);
  await kiosk.getByRole("button", { name: "Gorffen" }).click();
  await expect(kiosk.getByRole("heading", { level: 1 })).toHaveText("Croeso i Eastbrook yn Penderfynu");

  // The board, in Welsh: turnout and the time left.
  await officer.goto(eventUrl);
  const boardUrl = (await officer.getByTestId("board-link").getAttribute("href"))!;
  const board = await (await browser.newContext()).newPage();
  await board.goto(`${new URL(boardUrl).pathname}?lng=cy`);
  await expect(board.getByTestId("board-total")).toHaveText("1");
  await expect(board.getByTestId("board-time-left")).toContainText("ar ôl");
  await expect(board.getByText("Pobl sydd wedi pleidleisio")).toBeVisible();
  await expectWelsh(board, "board");
  await expectAccessible(board);
  await kioskContext.close();
});
