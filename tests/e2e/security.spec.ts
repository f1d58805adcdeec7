import { expect, test } from "@playwright/test";
import { DEMO, signOut } from "./support";

test("a cross-site form post is refused and a same-origin one is accepted", async ({ request, baseURL }) => {
  const form = { email: DEMO.admin, password: "wardfund-demo" };
  const cross = await request.post("/login", { form, headers: { Origin: "https://evil.example" }, maxRedirects: 0 });
  expect(cross.status()).toBe(403);
  expect(await cross.text()).toContain("sent from another site");

  const missing = await request.post("/login", { form, maxRedirects: 0 });
  expect(missing.status()).toBe(403);

  const same = await request.post("/login", { form, headers: { Origin: new URL(baseURL!).origin }, maxRedirects: 0 });
  expect(same.status()).toBe(302);
  expect(same.headers()["location"]).toBe("/admin");
  const cookie = same.headers()["set-cookie"] ?? "";
  expect(cookie).toContain("HttpOnly");
  expect(cookie).toContain("SameSite=Lax");
});

test("pages carry the security headers", async ({ request }) => {
  const response = await request.get("/");
  const headers = response.headers();
  expect(headers["content-security-policy"]).toMatch(/default-src 'self'/);
  expect(headers["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
  expect(headers["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["x-powered-by"]).toBeUndefined();
});

test("each sign-in gets a new session id, and a signed-out session id is dead", async ({ page, context }) => {
  const signInAsResident = async () => {
    await page.goto("/login");
    await page.getByLabel("Email address").fill(DEMO.resident);
    await page.getByLabel("Password").fill("wardfund-demo");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/account$/);
    return (await context.cookies()).find((c) => c.name === "wardfund_session")!;
  };
  const first = await signInAsResident();
  await signOut(page);
  const second = await signInAsResident();
  expect(second.value).not.toBe(first.value);
  await signOut(page);

  await context.addCookies([first]);
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Faccount/);
});
