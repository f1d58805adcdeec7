/**
 * Layout at four widths: the bid form's numbered steps and the results chart's labels never overlap,
 * and no chart label is drawn smaller than 11 px.
 */
import { expect, test, type Locator, type Page } from "@playwright/test";
import { DEMO, expectAccessible, signIn } from "./support";

const WIDTHS = [320, 390, 768, 1280] as const;

interface Box {
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The boxes of the visible elements a locator matches, as the browser draws them. */
async function visibleBoxes(locator: Locator): Promise<Box[]> {
  return locator.evaluateAll((elements) =>
    elements
      .map((element) => {
        const rect = element.getBoundingClientRect();
        return { text: element.textContent ?? "", x: rect.x, y: rect.y, width: rect.width, height: rect.height };
      })
      .filter((box) => box.width > 0 && box.height > 0),
  );
}

/** Every pair of boxes that share any area (touching edges are not an overlap). */
function overlaps(boxes: Box[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < boxes.length; i += 1) {
    for (let j = i + 1; j < boxes.length; j += 1) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      const apartX = a.x + a.width <= b.x + 0.5 || b.x + b.width <= a.x + 0.5;
      const apartY = a.y + a.height <= b.y + 0.5 || b.y + b.height <= a.y + 0.5;
      if (!apartX && !apartY) found.push(`"${a.text}" overlaps "${b.text}"`);
    }
  }
  return found;
}

/** The size each visible chart label is drawn at on screen: its font size times the SVG's scale. */
async function renderedLabelSizes(page: Page): Promise<{ text: string; px: number }[]> {
  return page.locator("figure svg text").evaluateAll((elements) =>
    elements
      .filter((element) => (element as SVGGraphicsElement).getBoundingClientRect().width > 0)
      .map((element) => {
        const text = element as SVGTextElement;
        const matrix = text.getScreenCTM();
        const scale = matrix ? Math.hypot(matrix.a, matrix.b) : 1;
        return { text: text.textContent ?? "", px: parseFloat(getComputedStyle(text).fontSize) * scale };
      }),
  );
}

test("the bid form's numbered steps stay apart at every width", async ({ page }) => {
  await signIn(page, DEMO.groupMember);
  await page.goto("/groups/1");
  await page.getByRole("link", { name: "Start a bid" }).click();
  await page.getByRole("radio", { name: /Councillor Ward Budgets/ }).check();
  await page.getByRole("button", { name: "Start the bid" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "About the project" })).toBeVisible();
  const editUrl = page.url();
  const steps = page.getByRole("navigation", { name: "Steps of the bid" });
  await expect(steps.getByRole("listitem")).toHaveCount(5);
  await expect(steps.getByRole("link", { name: "About the project" })).toHaveAttribute("aria-current", "step");

  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    for (const step of ["about", "money", "review"]) {
      await page.goto(editUrl.replace(/step=\w+/, `step=${step}`));
      const items = await visibleBoxes(steps.getByRole("listitem"));
      expect(items, `steps at ${width} px`).toHaveLength(5);
      expect(overlaps(items), `steps at ${width} px on ${step}`).toEqual([]);
      // Every number and every title is a box of its own; none touches another on its line.
      const words = await visibleBoxes(steps.locator("li > *"));
      expect(words, `numbers and titles at ${width} px`).toHaveLength(10);
      expect(overlaps(words), `numbers and titles at ${width} px on ${step}`).toEqual([]);
      const sameLine = (a: Box, b: Box) => Math.abs(a.y - b.y) < a.height / 2;
      for (let i = 1; i < items.length; i += 1) {
        const [before, after] = [items[i - 1]!, items[i]!];
        if (sameLine(before, after)) expect(after.x - (before.x + before.width)).toBeGreaterThanOrEqual(8);
      }
      for (const box of items) expect(box.x + box.width, `"${box.text}" inside the page`).toBeLessThanOrEqual(width);
    }
  }
  await expectAccessible(page);
});

test("the results chart reads at every width, with its labels apart and at least 11 px", async ({ page }) => {
  await page.goto("/rounds");
  // The demo's finished round has published results.
  const roundLinks = page.locator('a[href^="/rounds/"]');
  const hrefs = await roundLinks.evaluateAll((links) => links.map((l) => l.getAttribute("href") ?? ""));
  let resultsPath = "";
  for (const href of hrefs.filter((h) => /^\/rounds\/\d+$/.test(h))) {
    // A round whose results are not out yet answers with when they are expected, without a chart.
    const response = await page.request.get(`${href}/results`);
    if (response.ok() && (await response.text()).includes('class="chart-narrow"')) {
      resultsPath = `${href}/results`;
      break;
    }
  }
  expect(resultsPath, "a round with published results").not.toBe("");

  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(resultsPath);
    const chart = page.getByRole("img", { name: /Projects in order of points|Rounds of the Method/ });
    await expect(chart).toHaveCount(1);
    await expect(chart).toBeVisible();
    const box = (await chart.boundingBox())!;
    expect(box.x + box.width, `chart inside the page at ${width} px`).toBeLessThanOrEqual(width);

    const labels = await visibleBoxes(page.locator("figure svg text"));
    expect(labels.length, `labels at ${width} px`).toBeGreaterThan(3);
    expect(overlaps(labels), `chart labels at ${width} px`).toEqual([]);
    for (const label of await renderedLabelSizes(page)) {
      expect(label.px, `"${label.text}" at ${width} px`).toBeGreaterThanOrEqual(11);
    }
    // The text alternative stays: the same numbers as a table.
    await expect(
      page.getByRole("table", { name: /Each project in order of points|Each round of the Method/ }),
    ).toBeVisible();
    if (width === 320 || width === 1280) await expectAccessible(page);
  }
});
