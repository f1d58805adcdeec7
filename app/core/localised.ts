/**
 * Council content entered in English and, optionally, Welsh. `pickLocalised` chooses the reader's
 * version and says which language it actually is, so the page can mark text shown in the other one.
 */
export interface LocalisedPair {
  en: string | null | undefined;
  cy: string | null | undefined;
}

export function pickLocalised(value: LocalisedPair, language: string): { text: string; language: "en" | "cy" } {
  const wanted = language === "cy" ? value.cy : value.en;
  if (wanted && wanted.trim() !== "") return { text: wanted, language: language === "cy" ? "cy" : "en" };
  if (value.en && value.en.trim() !== "") return { text: value.en, language: "en" };
  if (value.cy && value.cy.trim() !== "") return { text: value.cy, language: "cy" };
  return { text: "", language: language === "cy" ? "cy" : "en" };
}

/** A localised pair from a row's English column and its `*_cy` column. */
export function pair(en: string | null | undefined, cy: string | null | undefined): LocalisedPair {
  return { en, cy };
}

/** The plain text in the reader's language, with the other language's marker when it fell back. */
export function localisedPlain(value: LocalisedPair, language: string, markers: { en: string; cy: string }): string {
  const shown = pickLocalised(value, language);
  return shown.language === language || shown.text === "" ? shown.text : `${shown.text} ${markers[shown.language]}`;
}
