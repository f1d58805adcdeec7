import { expect, test } from "@playwright/test";
import { DEMO, expectAccessible, signIn, visit, signOut } from "./support";

// Every demo sign-in of the README's table: where it lands, its navigation and the roles its account page lists.
const HOMES = [
  {
    who: "administrator",
    email: DEMO.admin,
    home: "/admin",
    heading: "Administration",
    nav: ["Administration", "Funds", "My account"],
    roles: ["Administrator", "Resident"],
  },
  {
    who: "second administrator",
    email: "admin2@eastbrook.example",
    home: "/admin",
    heading: "Administration",
    nav: ["Administration", "Funds", "My account"],
    roles: ["Administrator"],
  },
  {
    who: "finance officer",
    email: DEMO.finance,
    home: "/finance",
    heading: "Finance",
    nav: ["Finance", "Funds", "My account"],
    roles: ["Finance officer"],
  },
  {
    who: "second finance officer",
    email: "finance2@eastbrook.example",
    home: "/finance",
    heading: "Finance",
    nav: ["Finance", "Funds", "My account"],
    roles: ["Finance officer"],
  },
  {
    who: "councillor",
    email: DEMO.councillor,
    home: "/councillor",
    heading: "Ward budgets",
    nav: ["Ward budgets", "My account"],
    roles: ["Councillor for Abbey Fields"],
  },
  {
    who: "Brookside councillor",
    email: "cllr.daniel.hughes@eastbrook.example",
    home: "/councillor",
    heading: "Ward budgets",
    nav: ["Ward budgets", "My account"],
    roles: ["Councillor for Brookside"],
  },
  {
    who: "designated decision-maker",
    email: "cabinet@eastbrook.example",
    home: "/decisions",
    heading: "Bids referred to you",
    nav: ["Referred bids", "My account"],
    roles: ["Designated decision-maker (Cabinet Member for Communities)"],
  },
  {
    who: "group member",
    email: DEMO.groupMember,
    home: "/groups",
    heading: "My groups",
    nav: ["My groups", "My account"],
    roles: ["Group member (Abbey Fields Allotment Society"],
  },
  {
    who: "resident",
    email: DEMO.resident,
    home: "/account",
    heading: "My account",
    nav: ["My account"],
    roles: ["Resident"],
  },
];
const ROLE_NAV = ["Administration", "Finance", "Funds", "Ward budgets", "Referred bids", "My groups"];

for (const h of HOMES) {
  test(`the demo ${h.who} lands on their home page with navigation for their roles`, async ({ page }) => {
    await signIn(page, h.email);
    await expect(page).toHaveURL(new RegExp(`${h.home}$`));
    await expect(page.getByRole("heading", { level: 1, name: h.heading })).toBeVisible();
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const label of h.nav) await expect(nav.getByRole("link", { name: label, exact: true })).toBeVisible();
    for (const label of ROLE_NAV.filter((l) => !h.nav.includes(l)))
      await expect(nav.getByRole("link", { name: label, exact: true })).toHaveCount(0);
    await expectAccessible(page);
    await nav.getByRole("link", { name: "My account" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "My account" })).toBeVisible();
    const roles = page.getByRole("definition").filter({ has: page.getByRole("listitem") });
    for (const role of h.roles) await expect(roles.getByRole("listitem").filter({ hasText: role })).toHaveCount(1);
    await expectAccessible(page);
    await signOut(page);
  });
}

test("a councillor cannot reach administration pages (403)", async ({ page }) => {
  await signIn(page, DEMO.councillor);
  for (const path of ["/admin", "/admin/wards/new", "/admin/users", "/finance"]) {
    const response = await visit(page, path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByRole("heading", { name: "You do not have permission to see this page" })).toBeVisible();
  }
});

test("an unknown address shows a 404 page", async ({ page }) => {
  const response = await visit(page, "/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("anonymous visitors to a protected page are asked to sign in, then returned", async ({ page }) => {
  await page.goto("/admin/wards");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fadmin%2Fwards/);
  await page.getByLabel("Email address").fill(DEMO.admin);
  await page.getByLabel("Password").fill("wardfund-demo");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin\/wards$/);
});

test("every main page passes axe for the role that uses it", async ({ page }) => {
  test.setTimeout(120_000);
  await visit(page, "/");
  await visit(page, "/wards");
  await page.getByRole("link", { name: "Abbey Fields" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Abbey Fields" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Accessible raised growing beds" })).toBeVisible();
  await expectAccessible(page);
  await visit(page, "/ledger");
  await visit(page, "/login");
  await visit(page, "/register");
  await signIn(page, DEMO.admin);
  for (const path of [
    "/admin",
    "/admin/groups",
    "/admin/groups/1",
    "/admin/settings",
    "/admin/wards",
    "/admin/wards/new",
    "/admin/wards/1",
    "/admin/users",
    "/admin/users/invite",
    "/admin/postcodes",
    "/admin/outbox",
    "/admin/audit",
    "/account",
  ]) {
    const response = await visit(page, path);
    expect(response?.status(), path).toBe(200);
  }
  await signOut(page);
  await signIn(page, DEMO.councillor);
  await visit(page, "/councillor");
  await signOut(page);
  await signIn(page, DEMO.finance);
  await visit(page, "/finance");
  await visit(page, "/admin/audit");
});

test("the skip link moves focus to the main content", async ({ page }) => {
  await page.goto("/");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to main content" });
  await expect(skip).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("#main-content")).toBeFocused();
});
