import { execFileSync } from "node:child_process";
import { expect, test, type Page } from "@playwright/test";
import { DEMO, expectAccessible, signIn, visit } from "./support";

type CodeRound = { roundId: number; titles: string[]; codes: string[] };
let round: CodeRound;

test.beforeAll(() => {
  const output = execFileSync("npx", ["tsx", "tests/support/e2e-event-code-round.ts", "tests/.tmp/e2e.db"], {
    encoding: "utf8",
  });
  round = JSON.parse(output.trim().split("\n").pop()!) as CodeRound;
});

/** A datetime-local value (the form reads it as UK time) some hours from now. */
function localTime(hoursFromNow: number): string {
  return new Date(Date.now() + hoursFromNow * 3_600_000).toISOString().slice(0, 16);
}

async function vote(kiosk: Page, picks: string[]) {
  await expect(kiosk.getByRole("heading", { level: 1 })).toContainText("Your ballot", { timeout: 10_000 });
  for (const title of picks) await kiosk.getByRole("button", { name: `Add ${title} to my ranking` }).click();
  await kiosk.getByRole("button", { name: "Cast my vote" }).click();
  await expect(kiosk.getByTestId("receipt")).toBeVisible();
  await kiosk.getByRole("button", { name: "Finish" }).click();
  await expect(kiosk.getByRole("heading", { level: 1 })).toContainText("Welcome to");
}

test("decision day in a codes round: a code-checked voter, then an officer's PIN typed at the kiosk", async ({
  page: officer,
  browser,
}) => {
  test.setTimeout(180_000);
  await signIn(officer, DEMO.admin);
  await visit(officer, `/admin/rounds/${round.roundId}/events`);
  await officer.getByLabel("Name").fill("Eastbrook Decides: codes");
  await officer.getByLabel("Place").fill("Eastbrook Library");
  await officer.getByLabel("Starts").fill(localTime(-1));
  await officer.getByLabel("Ends").fill(localTime(3));
  await officer.getByRole("button", { name: "Add the event" }).click();
  await expect(officer.getByRole("heading", { level: 1 })).toHaveText("Eastbrook Decides: codes");
  const eventUrl = officer.url();

  const kioskContext = await browser.newContext();
  const kiosk = await kioskContext.newPage();
  await officer.getByLabel("Device name").fill("Library tablet");
  await officer.getByRole("button", { name: "Enrol a device" }).click();
  const link = await officer.getByTestId("enrol-link").getAttribute("href");
  const code = (await officer.getByTestId("enrol-code").textContent())!.trim();
  await kiosk.goto(link!);
  await kiosk.getByLabel("Code from the officer's screen").fill(code);
  await kiosk.getByRole("button", { name: "Enrol" }).click();
  await kiosk.waitForURL("**/kiosk");
  // No officer has a PIN yet: the kiosk says how to get one.
  await expect(kiosk.getByText("an officer first sets a PIN")).toBeVisible();

  // 1. From the officer's page, with the voter's one-time code: the round's only check.
  await officer.goto(eventUrl);
  await expect(officer.getByText("checked by their one-time voting code")).toBeVisible();
  await expect(officer.getByLabel("I found them on the register")).toHaveCount(0);
  await officer.getByRole("radio", { name: "Library tablet", exact: true }).check();
  await officer.getByLabel("The voter's one-time code").fill(round.codes[0]!);
  await officer.getByRole("button", { name: "Issue the ballot" }).click();
  await expect(officer.getByRole("status")).toContainText("The ballot is waiting on the kiosk.");
  await vote(kiosk, [round.titles[0]!]);

  // The code is spent: it cannot issue another ballot (nor vote online).
  await officer.reload();
  await officer.getByRole("radio", { name: "Library tablet", exact: true }).check();
  await officer.getByLabel("The voter's one-time code").fill(round.codes[0]!);
  await officer.getByRole("button", { name: "Issue the ballot" }).click();
  await expect(officer.getByRole("alert")).toContainText("already been used to vote");
  await expectAccessible(officer);

  // 2. The officer sets a PIN, shown once, and issues at the kiosk with it.
  await officer.goto(eventUrl);
  await officer.getByRole("button", { name: "Set a new PIN" }).click();
  const pin = (await officer.getByTestId("officer-pin").textContent())!.replace(/\s/g, "");
  expect(pin).toMatch(/^\d{8}$/);
  await expectAccessible(officer);
  await officer.reload();
  await expect(officer.getByTestId("officer-pin")).toHaveCount(0);

  await kiosk.reload();
  await expect(kiosk.getByRole("heading", { name: "For officers: issue the ballot here" })).toBeVisible();
  await expectAccessible(kiosk);
  await kiosk.getByLabel("Your name").selectOption({ label: "Alex Morgan" });
  await kiosk.getByLabel("Your PIN").fill(pin === "00000000" ? "11111111" : "00000000");
  await kiosk.getByLabel("The voter's one-time code").fill(round.codes[1]!);
  await kiosk.getByRole("button", { name: "Issue the ballot here" }).click();
  await expect(kiosk.getByRole("alert")).toContainText("That PIN does not work");
  // Nothing typed comes back into the shared kiosk's form.
  await expect(kiosk.getByLabel("Your PIN")).toHaveValue("");
  await expect(kiosk.getByLabel("The voter's one-time code")).toHaveValue("");
  await expectAccessible(kiosk);

  await kiosk.getByLabel("Your PIN").fill(`${pin.slice(0, 4)} ${pin.slice(4)}`);
  await kiosk.getByLabel("The voter's one-time code").fill(round.codes[1]!);
  await kiosk.getByRole("button", { name: "Issue the ballot here" }).click();
  await vote(kiosk, [round.titles[2]!, round.titles[1]!]);
  await expect(kiosk.getByText(round.codes[1]!)).toHaveCount(0);

  // 3. Revoked, the PIN is gone from the kiosk.
  await officer.goto(eventUrl);
  await expect(officer.getByTestId("event-cast")).toHaveText("2");
  await officer.getByRole("button", { name: /Revoke the PIN of/ }).click();
  await expect(officer.getByRole("status")).toContainText("The PIN is revoked");
  await kiosk.reload();
  await expect(kiosk.getByText("an officer first sets a PIN")).toBeVisible();
  await kioskContext.close();
});
