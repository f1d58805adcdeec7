import AxeBuilder from "@axe-core/playwright";
import { execFileSync } from "node:child_process";
import { expect, type Page } from "@playwright/test";
import type { VotingRound, VotingRoundOptions } from "../factories";

export const DEMO_PASSWORD = "wardfund-demo";
export const DEMO = {
  admin: "admin@eastbrook.example",
  finance: "finance@eastbrook.example",
  councillor: "councillor@eastbrook.example",
  groupMember: "resident@eastbrook.example",
  resident: "yusuf.osman@residents.example",
} as const;

/** Runs axe on the page as it is and fails on any serious or critical WCAG 2.2 A/AA violation. */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"])
    .analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(serious, `axe on ${page.url()}`).toEqual([]);
}

/** Goes to a page and checks it with axe. */
export async function visit(page: Page, path: string) {
  const response = await page.goto(path);
  await expectAccessible(page);
  return response;
}

async function submitSignIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await Promise.all([
    page.waitForResponse(
      (r) => r.request().method() === "POST" && /^\/login(\.data)?$/.test(new URL(r.url()).pathname),
    ),
    page.getByRole("button", { name: "Sign in" }).click(),
  ]);
}

/** Signs in and waits until the browser has left the sign-in page. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await submitSignIn(page, email, password);
  await page.waitForURL((url) => url.pathname !== "/login");
}

/** Signs out and waits until the signed-out home page has loaded, so the next navigation starts signed out. */
export async function signOut(page: Page) {
  await page
    .getByRole("banner")
    .getByRole("button", { name: /^Sign out/ })
    .click();
  await page.waitForURL((url) => url.pathname === "/");
  await expect(page.getByRole("link", { name: "Sign in" }).first()).toBeVisible();
}

/** Tries to sign in when the attempt is expected to fail; waits for the answer. */
export async function attemptSignIn(page: Page, email: string, password: string) {
  await submitSignIn(page, email, password);
  await expect(page.locator("#field-password-error")).toBeVisible();
}

/** Makes a PB round in the end-to-end database (see tests/support/e2e-voting-round.ts). */
export function createE2eVotingRound(databaseFile: string, options: VotingRoundOptions = {}): VotingRound {
  const output = execFileSync(
    "npx",
    ["tsx", "tests/support/e2e-voting-round.ts", databaseFile, JSON.stringify(options)],
    {
      encoding: "utf8",
    },
  );
  return JSON.parse(output.trim().split("\n").pop()!) as VotingRound;
}
