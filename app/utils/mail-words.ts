/**
 * Small helpers for writing mail in the recipient's language: council content in their language
 * (its `*_cy` column, else the English), and the catalogue key of a decision's outcome.
 */
import { pickLocalised } from "~/core/localised";

/** The text of council content (a bid's title, a ward's or fund's name) in `language`, else the other one. */
export function inLanguage(en: string, cy: string | null | undefined, language: string): string {
  return pickLocalised({ en, cy }, language).text;
}

/** "part-approve" → "partApprove": the catalogue key of an outcome (ICU select keys cannot carry hyphens). */
export function outcomeKey(outcome: string): string {
  return outcome.replace(/-([a-z])/g, (_all, letter: string) => letter.toUpperCase());
}
