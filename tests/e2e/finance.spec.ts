import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { expect, test } from "@playwright/test";
import { DEMO, expectAccessible, signIn, signOut, visit } from "./support";

const SECOND_FINANCE = "finance2@eastbrook.example";

test("finance pages pass axe and verify the demo ledger", async ({ page }) => {
  test.setTimeout(90_000);
  await signIn(page, DEMO.finance);
  await visit(page, "/finance");
  await expect(
    page.getByRole("img", { name: /Councillor Ward Budgets .*paid, committed and available by ward/ }),
  ).toBeVisible();
  await page.getByRole("button", { name: "Verify now" }).click();
  await expect(page.getByRole("status")).toContainText("Verified");
  await expectAccessible(page);
  for (const p of ["/finance/ledger", "/finance/payments", "/finance/exports", "/finance/years", "/ledger"])
    await visit(page, p);
  await visit(page, "/finance/ledger?type=REVERSAL");
  await expect(page.getByRole("status")).toContainText("1 entry");
  await page
    .getByRole("link", { name: /Entry \d+/ })
    .first()
    .click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("REVERSAL");
  await expectAccessible(page);
});

test(
  "a payment is requested by one officer, confirmed by another, then reversed with a second person's " + "approval",
  async ({ page }) => {
    test.setTimeout(120_000);
    await signIn(page, DEMO.finance);
    await visit(page, "/finance/payments");
    const mural = page.getByRole("region", { name: "Community mural" });
    await mural.getByRole("button", { name: "Request payment" }).click();
    await expect(page.getByRole("status")).toContainText("Payment requested.");
    await expect(page.getByRole("region", { name: "Community mural" })).toContainText(
      "Another finance officer must confirm",
    );
    await signOut(page);

    await signIn(page, SECOND_FINANCE);
    await visit(page, "/finance/payments");
    const region = page.getByRole("region", { name: "Community mural" });
    await region.getByRole("button", { name: "Confirm payment" }).click();
    await expect(page.getByRole("alert")).toContainText("Enter the finance-system payment reference");
    await expectAccessible(page);
    await page
      .getByRole("region", { name: "Community mural" })
      .getByLabel("Finance-system payment reference")
      .fill("AP-2026-555001");
    await page
      .getByRole("region", { name: "Community mural" })
      .getByRole("button", { name: "Confirm payment" })
      .click();
    await expect(page.getByRole("status")).toContainText("Payment confirmed.");

    await visit(page, "/finance/ledger?type=PAY_CONFIRM");
    await page
      .getByRole("row", { name: /AP-2026-555001/ })
      .getByRole("link")
      .click();
    await page.getByLabel("Reason for the reversal").fill("Confirmed against the wrong bank run");
    await page.getByRole("button", { name: "Ask for a reversal" }).click();
    await expect(page.getByText("Another finance officer or an administrator must approve it.")).toBeVisible();
    const entryUrl = page.url();
    await signOut(page);

    await signIn(page, DEMO.finance);
    await visit(page, new URL(entryUrl).pathname);
    await page.getByRole("button", { name: "Approve and post the reversal" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("REVERSAL");
    await expect(page.getByText("Confirmed against the wrong bank run").first()).toBeVisible();
  },
);

test("the finance officer exports the spend file and an audit pack that the standalone verifier accepts", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await signIn(page, DEMO.finance);
  await visit(page, "/finance/exports");

  const spendDownload = page.waitForEvent("download");
  await page
    .getByRole("region", { name: /spend over a threshold/ })
    .getByRole("button", { name: "Download the spend file" })
    .click();
  const spend = await spendDownload;
  const spendText = fs.readFileSync((await spend.path())!, "utf8");
  expect(spendText.split(/\r?\n/)[0]).toContain("Payment Date");
  expect(spendText).toContain("Abbey Fields Allotment Society");

  const packDownload = page.waitForEvent("download");
  await page
    .getByRole("region", { name: /Audit pack/ })
    .getByRole("button", { name: "Download the audit pack" })
    .click();
  const pack = await packDownload;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wardfund-e2e-pack-"));
  execFileSync("tar", ["-xf", (await pack.path())!, "-C", dir]);
  const [packDir] = fs.readdirSync(dir);
  const output = execFileSync("node", ["scripts/verify-audit-pack.mjs", path.join(dir, packDir!)], {
    encoding: "utf8",
  });
  expect(output).toContain("OK");
});

test(
  "next year's part of a two-year grant waits for next year's budget: committing it now is refused with the " +
    "reason",
  async ({ page }) => {
    test.setTimeout(60_000);
    await signIn(page, DEMO.finance);
    await visit(page, "/finance/payments");
    const row = page
      .getByRole("region", { name: "Later years' parts of grants, waiting for their budget" })
      .getByRole("row", { name: /Woodwork mentoring over two seasons/ });
    await expect(row).toContainText("Not tried yet");
    await row.getByRole("button", { name: /Commit against the \d{4}\/\d{2} budget/ }).click();
    await expect(page.getByRole("alert")).toContainText(
      /No \d{4}\/\d{2} ward budget has been set for Ironbridge ward yet/,
    );
    await expectAccessible(page);
    await page.getByRole("link", { name: "Woodwork mentoring over two seasons" }).click();
    const years = page.getByRole("region", { name: "The grant by financial year" });
    await expect(years.getByRole("row")).toHaveCount(4);
    await expect(years).toContainText("Paid");
    await expect(years).toContainText("awaiting that year's ward budget");
    await expectAccessible(page);
  },
);

test("the group sees each financial year's part of its grant on the offer", async ({ page }) => {
  await signIn(page, "imogen.wright@residents.example");
  await page.goto("/groups");
  await page.getByRole("link", { name: "Ironbridge Men's Shed" }).click();
  await page.getByRole("link", { name: "Woodwork mentoring over two seasons" }).click();
  await page.getByRole("link", { name: "Grant offer and payments" }).click();
  const years = page.getByRole("table", { name: "The grant by financial year" });
  await expect(years.getByRole("row")).toHaveCount(4);
  await expect(years.getByRole("row").nth(1)).toContainText("Paid");
  await expect(years.getByRole("row").nth(2)).toContainText(
    /To be committed in \d{4}\/\d{2}: awaiting that year's ward budget/,
  );
  await expect(page.getByText(/This grant spans financial years\./)).toBeVisible();
  await expectAccessible(page);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("committing next year's part is a plain form; the refusal is shown and kept on the queue", async ({ page }) => {
    await signIn(page, DEMO.finance);
    await page.goto("/finance/payments");
    const later = page.getByRole("region", { name: "Later years' parts of grants, waiting for their budget" });
    await later
      .getByRole("row", { name: /Woodwork mentoring over two seasons/ })
      .getByRole("button", { name: /Commit against/ })
      .click();
    await expect(page.getByRole("alert")).toContainText("ward budget has been set for Ironbridge ward yet");
    await page.goto("/finance/payments");
    await expect(later.getByRole("row", { name: /Woodwork mentoring over two seasons/ })).toContainText(
      "ward budget has been set for Ironbridge ward yet",
    );
  });
});

test("a finance officer sets up next year's ward-budget scheme; bad money is refused beside the field", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await signIn(page, DEMO.finance);
  await visit(page, "/funds");
  await page.getByRole("link", { name: "Set up a ward-budget scheme" }).click();
  await expectAccessible(page);
  const nextYear = await page.getByLabel("Financial year").locator("option").nth(1).getAttribute("value");
  await page.getByLabel("Scheme name").fill(`Councillor Ward Budgets ${nextYear}`);
  await page.getByLabel("Financial year").selectOption(nextYear!);
  await page.getByLabel("Total pot (£)").fill("250,000.005");
  await page.getByLabel("Criteria").fill("Projects that bring neighbours together.");
  await page.getByRole("button", { name: "Set up the scheme" }).click();
  await expect(page.locator("#field-pot-error")).toContainText("decimal places");
  await expect(page.locator("#field-opensOn-error")).toBeVisible();
  await expect(page.getByLabel("Criteria")).toHaveValue("Projects that bring neighbours together.");
  await expectAccessible(page);
  const startYear = nextYear!.slice(0, 4);
  await page.getByLabel("Total pot (£)").fill("250,000.00");
  await page.getByLabel("Opens for bids").fill(`${startYear}-04-01`);
  await page.getByLabel("Closes for bids").fill(`${Number(startYear) + 1}-01-31`);
  await page.getByRole("button", { name: "Set up the scheme" }).click();
  await expect(page).toHaveURL(/\/funds\?created=1/);
  await expect(
    page.getByRole("cell", { name: new RegExp(`Councillor Ward Budgets ${nextYear!.replace("/", "\\/")}`) }),
  ).toBeVisible();
  await expect(
    page
      .getByRole("row", { name: new RegExp(`Councillor Ward Budgets ${nextYear!.replace("/", "\\/")}`) })
      .getByRole("cell", { name: "£250,000.00" }),
  ).toBeVisible();

  // Setting next year's budgets committed the demo's two-year grant's second part against them.
  await page.getByRole("link", { name: `Councillor Ward Budgets ${nextYear}` }).click();
  await expectAccessible(page);
  const earlier = page.getByRole("region", { name: `Earlier grants that run into ${nextYear}` });
  await expect(earlier.getByRole("row", { name: /Woodwork mentoring over two seasons/ })).toContainText(
    `Committed against the ${nextYear} budget`,
  );
  // Its instalment falls due next year, so it is not among what needs action: find it among all grants.
  await visit(page, "/finance/payments?tab=all&q=Woodwork+mentoring");
  await expect(
    page.getByRole("region", { name: "Later years' parts of grants, waiting for their budget" }),
  ).toHaveCount(0);
  await expect(
    page.getByRole("region", { name: `Woodwork mentoring over two seasons (${nextYear} part)` }),
  ).toContainText("(this grant)");
});
