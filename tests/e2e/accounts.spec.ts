import Database from "better-sqlite3";
import { expect, test, type Page } from "@playwright/test";
import { Mailbox } from "./mailbox";
import { DEMO, expectAccessible, signIn, signOut, visit } from "./support";

const DATABASE = "tests/.tmp/e2e.db";
const PASSWORD = "a long enough password";
const mailbox = new Mailbox();
let roundId = 0;

/** A demo resident no other spec signs in as: this spec makes them a finance officer. */
const INVITED_RESIDENT = "wei.zhang@residents.example";

test.beforeAll(async () => {
  await mailbox.open();
  const client = new Database(DATABASE, { readonly: true });
  roundId = (
    client.prepare("select id from pb_rounds where phase = 'voting' order by id limit 1").get() as { id: number }
  ).id;
  client.close();
});
test.afterAll(() => mailbox.close());

async function register(page: Page, name: string, email: string, checkAxe: boolean) {
  await page.goto("/register");
  if (checkAxe) await expectAccessible(page);
  await page.getByLabel("Full name").fill(name);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Home postcode (optional)").fill("EB3 2AB");
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Confirm password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  if (checkAxe) await expectAccessible(page);
}

/** Registers, is refused at the ballot until the address is confirmed from the mail, then reaches it. */
async function registerConfirmAndReachTheBallot(page: Page, email: string, checkAxe: boolean) {
  await register(page, "Ines Resident", email, checkAxe);
  await signIn(page, email, PASSWORD);
  await expect(page.getByRole("heading", { name: "Confirm your email address" })).toBeVisible();
  if (checkAxe) await expectAccessible(page);
  const refused = await page.goto(`/rounds/${roundId}/vote`);
  expect(refused?.status()).toBe(403);

  const link = await mailbox.linkTo(email, /Confirm your email/, /^\/confirm-email\//);
  await page.goto(link);
  if (checkAxe) await expectAccessible(page);
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(page.getByRole("heading", { name: "Your email address is confirmed" })).toBeVisible();

  const ballot = await page.goto(`/rounds/${roundId}/vote`);
  expect(ballot?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  if (checkAxe) await expectAccessible(page);
}

test("a resident registers, confirms the address from the mail and reaches the ballot", async ({ page }) => {
  test.setTimeout(90_000);
  await registerConfirmAndReachTheBallot(page, "ines.resident@example.org", true);
});

test("an invited councillor accepts the role from the mail", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, DEMO.admin);
  await visit(page, "/admin/users/invite");
  await page.getByLabel("Full name").fill("Omar Councillor");
  await page.getByLabel("Email address").fill("omar.councillor@example.org");
  await page.getByLabel("Resident").uncheck();
  await page.getByLabel("Councillor").check();
  await page.getByLabel("Abbey Fields").check();
  await page.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByText("Invitation sent.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Cancel invitation to omar.councillor@example.org" })).toBeVisible();
  await expectAccessible(page);
  await signOut(page);

  const link = await mailbox.linkTo("omar.councillor@example.org", /invited/, /^\/invitations\//);
  await visit(page, link);
  await expect(page.getByText(/councillor for Abbey Fields/i)).toBeVisible();
  await page.getByLabel("Password", { exact: true }).fill("omar's own long password");
  await page.getByLabel("Confirm password").fill("omar's own long password");
  await page.getByRole("button", { name: "Accept and create my account" }).click();
  await expect(page.getByText("Invitation accepted.")).toBeVisible();
  await expect(page.getByText(/councillor for Abbey Fields/i)).toBeVisible();
  await expectAccessible(page);
  const councillor = await page.goto("/councillor");
  expect(councillor?.status()).toBe(200);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a resident registers, confirms the address from the mail and reaches the ballot", async ({ page }) => {
    test.setTimeout(90_000);
    await registerConfirmAndReachTheBallot(page, "noscript.resident@example.org", false);
  });

  test("an existing resident accepts a role offered to their confirmed address", async ({ page }) => {
    test.setTimeout(90_000);
    await signIn(page, DEMO.admin);
    await page.goto("/admin/users/invite");
    await page.getByLabel("Full name").fill("Wei Zhang");
    await page.getByLabel("Email address").fill(INVITED_RESIDENT);
    await page.getByLabel("Resident").uncheck();
    await page.getByLabel("Finance").check();
    await page.getByRole("button", { name: "Send invitation" }).click();
    await expect(page.getByText("Invitation sent.")).toBeVisible();
    await signOut(page);

    const link = await mailbox.linkTo(INVITED_RESIDENT, /invited/, /^\/invitations\//);
    await page.goto(link);
    await page.getByRole("link", { name: `Sign in as ${INVITED_RESIDENT}` }).click();
    await page.getByLabel("Email address").fill(INVITED_RESIDENT);
    await page.getByLabel("Password").fill("wardfund-demo");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname.startsWith("/invitations/"));
    await page.getByRole("button", { name: "Accept the invitation" }).click();
    await expect(page.getByText("Invitation accepted.")).toBeVisible();
    expect((await page.goto("/finance"))?.status()).toBe(200);
  });
});
