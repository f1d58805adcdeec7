/**
 * The untranslated-text check of the Welsh e2e specs: the common English words on a page shown in
 * Welsh, leaving out what is marked as another language or as a proper name.
 */
import type { Page } from "@playwright/test";

/** Common English words that never appear in Welsh text. "a", "i", "am", "at" and "yn" are Welsh words too. */
export const ENGLISH_WORDS = new Set(
  (
    "the and of your you for with this that not from have has will are was there which what when were been into " +
    "here page sign account bid bids group groups fund funds budget budgets round vote decision decisions entries " +
    "settings home back save yes none choose enter download close closed language email privacy cookies statement"
  ).split(" "),
);

/**
 * The page's visible text in Welsh, leaving out what is marked as another language (council content
 * that exists only in English carries lang="en-GB") and proper names marked translate="no".
 */
export async function englishWordsOn(page: Page): Promise<string[]> {
  const text = await page.evaluate(() => {
    const body = document.body.cloneNode(true) as HTMLElement;
    body.querySelectorAll('script, style, [lang="en-GB"], [lang="en"], [translate="no"]').forEach((e) => e.remove());
    body.querySelectorAll("textarea").forEach((e) => e.remove());
    // Every text node separately, so the words of neighbouring cells or elements never run together.
    const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    const parts: string[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) parts.push(node.textContent ?? "");
    const attributes = [...body.querySelectorAll("[aria-label], [title], [alt], [placeholder]")].flatMap((e) =>
      ["aria-label", "title", "alt", "placeholder"].map((name) => e.getAttribute(name) ?? ""),
    );
    return [...parts, ...attributes, document.title].join(" ");
  });
  // Identifiers such as cookie names (wardfund_vote_code) and paths (/decisions) are one word, not English.
  const words = text.toLowerCase().match(/[a-z0-9_/âêîôûŵŷ'-]+/g) ?? [];
  return [...new Set(words.filter((w) => ENGLISH_WORDS.has(w)))];
}
