/**
 * The untranslated-text check of the Welsh e2e specs: the common English words on a page shown in
 * Welsh, leaving out what is marked as another language or as a proper name.
 */
import type { Page } from "@playwright/test";
import { englishWordsIn } from "../support/english-words";

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
  return englishWordsIn(text);
}
