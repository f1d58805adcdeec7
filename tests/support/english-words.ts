/**
 * Common English words that never appear in Welsh text, for the checks that a Welsh page or mail has
 * no untranslated English left in it. "a", "i", "am", "at" and "yn" are Welsh words too, so they are
 * not listed. Plain TypeScript, so both the Playwright specs and the vitest files can import it.
 */
export const ENGLISH_WORDS = new Set(
  (
    "the and of your you for with this that not from have has will are was there which what when were been into " +
    "here page sign account bid bids group groups fund funds budget budgets round vote decision decisions entries " +
    "settings home back save yes none choose enter download close closed language email privacy cookies statement"
  ).split(" "),
);

/**
 * The listed English words found in `text`. Identifiers such as cookie names (wardfund_vote_code)
 * and paths (/decisions) are one word, not English.
 */
export function englishWordsIn(text: string): string[] {
  const words = text.toLowerCase().match(/[a-z0-9_/âêîôûŵŷ'-]+/g) ?? [];
  return [...new Set(words.filter((w) => ENGLISH_WORDS.has(w)))];
}
