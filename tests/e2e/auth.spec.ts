import { expect, test } from "@playwright/test";
import { Mailbox } from "./mailbox";
import { attemptSignIn, expectAccessible, signIn, visit } from "./support";

const mailbox = new Mailbox();
test.beforeAll(() => mailbox.open());
test.afterAll(() => mailbox.close());

test("a resident registers, confirms the address from the mail and signs in", async ({ page }) => {
  await visit(page, "/register");
  await page.getByLabel("Full name").fill("Rosa Example");
  await page.getByLabel("Email address").fill("rosa@example.org");
  await page.getByLabel("Home postcode (optional)").fill("eb3 2ab");
  await page.getByLabel("Password", { exact: true }).fill("a long enough password");
  await page.getByLabel("Confirm password").fill("a long enough password");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await expectAccessible(page);

  const link = await mailbox.linkTo("rosa@example.org", /Confirm your email/, /^\/confirm-email\//);
  await visit(page, link);
  await page.getByRole("button", { name: "Confirm my email address" }).click();
  await expect(page.getByRole("heading", { name: "Your email address is confirmed" })).toBeVisible();
  await expectAccessible(page);

  await signIn(page, "rosa@example.org", "a long enough password");
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("heading", { name: "My account" })).toBeVisible();
  await expect(page.getByText("Castle Hill (E05990003)")).toBeVisible();
  await expect(page.getByText("Confirm your email address")).toHaveCount(0);
  await expectAccessible(page);
});

test("registration errors appear beside the fields and in a summary, keeping what was typed", async ({ page }) => {
  await page.goto("/register");
  await page.getByLabel("Full name").fill("Sam Example");
  await page.getByLabel("Email address").fill("not-an-email");
  await page.getByLabel("Home postcode (optional)").fill("nowhere");
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  const summary = page.getByRole("alert");
  await expect(summary.getByRole("heading", { name: "There is a problem" })).toBeVisible();
  await expect(summary.getByRole("link", { name: /Email address: Enter an email address/ })).toBeVisible();
  await expect(page.locator("#field-postcode-error")).toContainText("Enter a real UK postcode");
  await expect(page.locator("#field-password-error")).toContainText("at least 12 characters");
  await expect(page.getByLabel("Full name")).toHaveValue("Sam Example");
  await expect(page.getByLabel("Email address")).toHaveAttribute("aria-invalid", "true");
  await expectAccessible(page);
});

test("a wrong password is refused with a message beside the field", async ({ page }) => {
  await attemptSignIn(page, "admin@eastbrook.example", "not the password");
  await expect(page).toHaveURL(/\/login/);
  await expect(page.locator("#field-password-error")).toContainText("The email address or password is not right.");
  await expect(page.getByRole("alert")).toContainText("There is a problem");
  await expectAccessible(page);
});

test("repeated failures lock the account with a clear message", async ({ page }) => {
  // Seven password hashes (argon2id) in a row: give a loaded CI machine room.
  test.setTimeout(90_000);
  await page.goto("/register");
  await page.getByLabel("Full name").fill("Lock Example");
  await page.getByLabel("Email address").fill("locked@example.org");
  await page.getByLabel("Password", { exact: true }).fill("the real password 1");
  await page.getByLabel("Confirm password").fill("the real password 1");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();

  for (let attempt = 0; attempt < 5; attempt += 1) {
    await attemptSignIn(page, "locked@example.org", `wrong guess ${attempt}`);
    await expect(page.locator("#field-password-error")).toContainText("not right");
  }
  await attemptSignIn(page, "locked@example.org", "the real password 1");
  await expect(page.locator("#field-password-error")).toContainText(
    "Too many failed attempts to sign in to this account",
  );
  await expect(page).toHaveURL(/\/login/);
});

test("forgotten password: the outbox keeps the message but not its private link", async ({ page }) => {
  await visit(page, "/forgot-password");
  await page.getByLabel("Email address").fill("chloe.davies@residents.example");
  await page.getByRole("button", { name: "Send reset link" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();

  // The link itself goes to the recipient only (tests/integration/mail.test.ts follows it through a
  // real SMTP server); an administrator reading the outbox cannot use it to take over the account.
  await signIn(page, "admin@eastbrook.example");
  await visit(page, "/admin/outbox");
  const message = page.getByRole("article").filter({ hasText: "chloe.davies@residents.example" }).first();
  const body = await message.locator("pre").innerText();
  expect(body).toContain("[private link: sent to the recipient only, not kept]");
  expect(body).not.toMatch(/\/reset-password\/\S+/);
});
