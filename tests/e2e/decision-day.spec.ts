import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { DEMO, expectAccessible, signIn, signOut, visit } from "./support";

const SECOND_ADMIN = "admin2@eastbrook.example";

type OpenRound = { roundId: number; name: string; shares: string[] };
let rounds: { irv: OpenRound; stv: OpenRound };

test.beforeAll(() => {
  const output = execFileSync("npx", ["tsx", "tests/support/e2e-event-rounds.ts", "tests/.tmp/e2e.db"], {
    encoding: "utf8",
  });
  rounds = JSON.parse(output.trim().split("\n").pop()!) as typeof rounds;
});

/** A datetime-local value (the form reads it as UK time) some hours from now. */
function localTime(hoursFromNow: number): string {
  return new Date(Date.now() + hoursFromNow * 3_600_000).toISOString().slice(0, 16);
}

async function createEvent(officer: Page, roundId: number, name: string): Promise<string> {
  await visit(officer, `/admin/rounds/${roundId}/events`);
  await officer.getByRole("button", { name: "Add the event" }).click();
  await expect(officer.getByRole("alert")).toBeVisible();
  await expectAccessible(officer);
  await officer.getByLabel("Name").fill(name);
  await officer.getByLabel("Place").fill("Eastbrook Town Hall, High Street");
  await officer.getByLabel("Starts").fill(localTime(-1));
  await officer.getByLabel("Ends").fill(localTime(3));
  await officer.getByLabel("Officers present").fill("A. Officer\nB. Officer");
  await officer.getByRole("button", { name: "Add the event" }).click();
  await expect(officer.getByRole("heading", { level: 1 })).toHaveText(name);
  await expectAccessible(officer);
  return officer.url();
}

async function enrolKiosk(officer: Page, kiosk: Page, label: string) {
  await officer.getByLabel("Device name").fill(label);
  await officer.getByRole("button", { name: "Enrol a device" }).click();
  const link = await officer.getByTestId("enrol-link").getAttribute("href");
  const code = (await officer.getByTestId("enrol-code").textContent())!.trim();
  await expectAccessible(officer);
  await visit(kiosk, link!);
  await kiosk.getByLabel("Code from the officer's screen").fill(code === "000000" ? "111111" : "000000");
  await kiosk.getByRole("button", { name: "Enrol" }).click();
  await expect(kiosk.getByRole("alert")).toContainText("not the code");
  await kiosk.getByLabel("Code from the officer's screen").fill(code);
  await kiosk.getByRole("button", { name: "Enrol" }).click();
  await kiosk.waitForURL("**/kiosk");
  await expect(kiosk.getByRole("heading", { level: 1 })).toContainText("Welcome to");
  await expectAccessible(kiosk);
}

/** The reference on the letter of voter `n` (from 0) on the spec's register (tests/support/e2e-event-rounds.ts). */
function reference(n: number): string {
  return `E2E-${String(n + 1).padStart(4, "0")}`;
}

async function tryIssue(officer: Page, label: string, voter: number) {
  await officer.reload();
  await officer.getByRole("radio", { name: label, exact: true }).check();
  await officer.getByLabel("I found them on the register").check();
  await officer.getByLabel("Reference on their letter or polling card").fill(reference(voter).toLowerCase());
  await officer.getByRole("button", { name: "Issue the ballot" }).click();
}

async function issueTo(officer: Page, label: string, voter: number) {
  await tryIssue(officer, label, voter);
  await expect(officer.getByRole("status")).toContainText("The ballot is waiting on the kiosk.");
}

/** The voter ranks `picks` (project titles, favourite first) and casts; returns the receipt. */
async function vote(kiosk: Page, picks: string[]): Promise<string> {
  await expect(kiosk.getByRole("heading", { level: 1 })).toContainText("Your ballot", { timeout: 10_000 });
  for (const title of picks) await kiosk.getByRole("button", { name: `Add ${title} to my ranking` }).click();
  await kiosk.getByRole("button", { name: "Cast my vote" }).click();
  const receipt = kiosk.getByTestId("receipt");
  await expect(receipt).toBeVisible();
  await expect(kiosk.getByRole("img", { name: "QR code to check your receipt online" })).toBeVisible();
  return (await receipt.textContent())!.trim();
}

// The waiting screen may move on by itself (it looks for the next ballot), so the page is read once it
// has stopped navigating.
async function settledContent(page: Page): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    await page.waitForLoadState();
    try {
      return await page.content();
    } catch (error) {
      if (attempt === 5) throw error;
    }
  }
}

async function finishAndCheckClean(kiosk: Page, receipt: string, picks: string[]) {
  const historyBefore = await kiosk.evaluate(() => window.history.length);
  await kiosk.getByRole("button", { name: "Finish" }).click();
  await expect(kiosk.getByRole("heading", { level: 1 })).toContainText("Welcome to");
  const html = await kiosk.content();
  expect(html).not.toContain(receipt);
  for (const title of picks) expect(html).not.toContain(title);
  expect(await kiosk.evaluate(() => window.history.length)).toBe(historyBefore);
  // Back leads to no ballot and no receipt: at most the waiting screen again, or off the kiosk altogether.
  await kiosk.goBack().catch(() => null);
  const after = await settledContent(kiosk);
  expect(after).not.toContain(receipt);
  expect(after).not.toContain("Cast my vote");
  if (!kiosk.url().endsWith("/kiosk")) await kiosk.goto("/kiosk");
}

async function countAndRatify(officer: Page, { roundId, shares }: OpenRound) {
  await visit(officer, `/admin/rounds/${roundId}/count`);
  await officer.getByLabel("Reason for closing before the closing time").fill("The decision-day event has ended.");
  await officer.getByRole("button", { name: "Close voting" }).click();
  await expect(officer.getByRole("status")).toContainText("Voting is closed");
  // The kiosks' ballots are sealed to the round's key: two officers' shares open them at the count.
  await officer.getByLabel("First officer's key share").fill(shares[0]!);
  await officer.getByLabel("Second officer's key share").fill(shares[1]!);
  await officer.getByRole("button", { name: "Open the ballots and count" }).click();
  await expect(officer.getByRole("status")).toContainText("The round is counted");
  await expect(officer.getByTestId("ranked-steps")).toBeVisible();
  await expectAccessible(officer);
  await officer.goto("/");
  await signOut(officer);
  await signIn(officer, SECOND_ADMIN);
  await visit(officer, `/admin/rounds/${roundId}/count`);
  await officer.getByLabel("I have no interest in any of the winning projects").check();
  await officer.getByRole("button", { name: "Ratify and publish" }).click();
  await expect(officer.getByRole("status")).toContainText("ratified and published");
  await officer.goto("/");
  await signOut(officer);
}

/** The published ballot file, recounted by the real command line, prints the published report byte for byte. */
async function expectByteIdenticalRecount(page: Page, roundId: number) {
  const results = `/rounds/${roundId}/results`;
  await visit(page, results);
  await expect(page.getByTestId("ranked-steps")).toBeVisible();
  const command = (await page.getByText(/npm run count -- ballots\.json/).textContent())!;
  expect(command).toContain("npm run count -- ballots.json --format json");
  const file = await (await page.request.get(`${results}/ballots.json`)).text();
  const report = await (await page.request.get(`${results}/report.json`)).text();
  const dir = mkdtempSync(join(tmpdir(), "wardfund-recount-"));
  writeFileSync(join(dir, "ballots.json"), file);
  const recount = execFileSync("npx", ["tsx", "scripts/count.ts", join(dir, "ballots.json"), "--format", "json"], {
    encoding: "utf8",
  });
  expect(recount).toBe(report);
}

async function kioskPages(browser: Browser) {
  const contexts = await Promise.all([browser.newContext(), browser.newContext()]);
  return { contexts, pages: await Promise.all(contexts.map((c) => c.newPage())) };
}

const TITLES = ["Benches for Abbey Park", "Youth football kit", "Community fridge", "Street tree planting"];

test("decision day: enrol two kiosks, 20 voters cast, the board rises live, then reveals the IRV result", async ({
  page: officer,
  browser,
}) => {
  test.setTimeout(300_000);
  const { contexts, pages: kiosks } = await kioskPages(browser);
  await signIn(officer, DEMO.admin);
  const eventUrl = await createEvent(officer, rounds.irv.roundId, "Eastbrook Decides: the vote");
  await enrolKiosk(officer, kiosks[0]!, "Tablet 1");
  await officer.goto(eventUrl);
  await enrolKiosk(officer, kiosks[1]!, "Tablet 2");
  await officer.goto(eventUrl);
  const boardUrl = (await officer.getByTestId("board-link").getAttribute("href"))!;

  const boardContext = await browser.newContext();
  const board = await boardContext.newPage();
  await visit(board, boardUrl);
  await expect(board.getByTestId("board-total")).toHaveText("0");
  await expect(board.getByTestId("board-time-left")).toContainText("left");
  await expect(board.getByText("Updates live.")).toBeVisible();

  for (let voter = 0; voter < 20; voter++) {
    const which = voter % 2;
    const kiosk = kiosks[which]!;
    await issueTo(officer, `Tablet ${which + 1}`, voter);
    // Most voters put the fridge first; others the benches, with the fridge as second choice.
    const picks =
      voter % 3 === 0
        ? [TITLES[0]!, TITLES[2]!]
        : voter % 3 === 1
          ? [TITLES[2]!, TITLES[1]!]
          : [TITLES[1]!, TITLES[0]!, TITLES[3]!];
    if (voter === 0) {
      await expect(kiosk.getByRole("heading", { level: 1 })).toContainText("Your ballot", { timeout: 10_000 });
      await expectAccessible(kiosk);
    }
    const receipt = await vote(kiosk, picks);
    if (voter === 0) await expectAccessible(kiosk);
    const castAt = Date.now();
    await expect(board.getByTestId("board-total")).toHaveText(String(voter + 1), { timeout: 2000 });
    expect(Date.now() - castAt).toBeLessThanOrEqual(2000);
    await finishAndCheckClean(kiosk, receipt, picks);
    if (voter === 0) {
      // The register entry is used: the same voter gets no second ballot, and the officer is told beside the field.
      await tryIssue(officer, "Tablet 2", 0);
      await expect(officer.getByRole("alert")).toContainText("already used");
      await expect(officer.locator("#field-registerReference-error")).toContainText("already used");
      await expectAccessible(officer);
      // Without the reference, all three details are asked for.
      await officer.getByRole("radio", { name: "Tablet 2", exact: true }).check();
      await officer.getByLabel("I found them on the register").check();
      await officer.getByLabel("Reference on their letter or polling card").fill("");
      await officer.getByLabel("Their surname").fill("Nobody");
      await officer.getByRole("button", { name: "Issue the ballot" }).click();
      await expect(officer.locator("#field-registerPostcode-error")).toContainText("Enter the voter's postcode");
      await expect(officer.locator("#field-registerDateOfBirth-error")).toContainText("date of birth");
    }
  }
  await expect(board.getByTestId("board-event")).toHaveText("20");
  await expectAccessible(board);
  await expect(board.getByText(/Benches|fridge|football/)).toHaveCount(0);

  await officer.goto(eventUrl);
  await expect(officer.getByTestId("event-cast")).toHaveText("20");
  await countAndRatify(officer, rounds.irv);

  // The board turns to the reveal by itself and steps to the winner by keyboard (a clicker sends the same keys).
  await expect(board.getByRole("heading", { level: 1 })).toContainText("The result", { timeout: 15_000 });
  await expectAccessible(board);
  for (let i = 0; i < 20; i++) {
    const next = board.getByTestId("reveal-next");
    if ((await next.count()) === 0) break;
    await board.keyboard.press("ArrowRight");
    await expect(board.getByTestId("reveal-step")).toContainText(/Round|winner/);
  }
  await expect(board.getByRole("heading", { name: "The winner" }).first()).toBeVisible();
  await expectAccessible(board);
  await board.keyboard.press("ArrowLeft");
  await expect(board.getByTestId("reveal-step").getByRole("heading", { level: 2 })).toContainText("Round");

  await expectByteIdenticalRecount(officer, rounds.irv.roundId);
  await Promise.all([...contexts, boardContext].map((c) => c.close()));
});

test("an STV round filling two places: kiosk votes, count, ratify, results and a byte-identical recount", async ({
  page: officer,
  browser,
}) => {
  test.setTimeout(180_000);
  const { contexts, pages: kiosks } = await kioskPages(browser);
  await signIn(officer, DEMO.admin);
  const eventUrl = await createEvent(officer, rounds.stv.roundId, "Eastbrook Decides: priorities");
  await enrolKiosk(officer, kiosks[0]!, "Tablet A");
  await officer.goto(eventUrl);
  for (let voter = 0; voter < 6; voter++) {
    await issueTo(officer, "Tablet A", voter);
    const picks = voter % 2 === 0 ? [TITLES[3]!, TITLES[1]!] : [TITLES[1]!, TITLES[0]!, TITLES[3]!];
    const receipt = await vote(kiosks[0]!, picks);
    await finishAndCheckClean(kiosks[0]!, receipt, picks);
  }
  await countAndRatify(officer, rounds.stv);
  await expectByteIdenticalRecount(officer, rounds.stv.roundId);
  await expect(officer.getByRole("table", { name: /Chosen by Single transferable vote/ }).getByRole("row")).toHaveCount(
    5,
  );
  await Promise.all(contexts.map((c) => c.close()));
});
