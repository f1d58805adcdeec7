/**
 * The catalogues' own rules: every key exists in every language, every message is valid ICU
 * MessageFormat with the same placeholders in each language, and every plural names the plural
 * categories its language needs (Welsh: zero, one, two, few, many, other).
 */
import { IntlMessageFormat } from "intl-messageformat";
import { describe, expect, it } from "vitest";
import { LANGUAGES } from "~/i18n";
import { resources } from "~/locales";

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

function catalogue(language: (typeof LANGUAGES)[number]): Map<string, string> {
  const all = new Map<string, string>();
  for (const [ns, tree] of Object.entries(resources[language]))
    for (const [key, value] of flatten(tree as Tree)) all.set(`${ns}:${key}`, value);
  return all;
}

/** ICU element types from the parser (intl-messageformat re-exports its AST). */
const ARGUMENT = 1;
const PLURAL = 6;
const SELECT = 5;

interface Element {
  type: number;
  value?: string;
  options?: Record<string, { value: Element[] }>;
  pluralType?: "cardinal" | "ordinal";
}

function walk(elements: Element[], visit: (e: Element) => void): void {
  for (const element of elements) {
    visit(element);
    for (const option of Object.values(element.options ?? {})) walk(option.value, visit);
  }
}

function analyse(message: string, locale: string): { placeholders: Set<string>; plurals: Element[] } {
  const ast = new IntlMessageFormat(message, locale).getAst() as unknown as Element[];
  const placeholders = new Set<string>();
  const plurals: Element[] = [];
  walk(ast, (e) => {
    if ((e.type === ARGUMENT || e.type === PLURAL || e.type === SELECT) && e.value) placeholders.add(e.value);
    if (e.type === PLURAL && e.pluralType !== "ordinal") plurals.push(e);
  });
  return { placeholders, plurals };
}

/** The categories a plural must name in each language (CLDR cardinal categories). */
export const REQUIRED_PLURAL_CATEGORIES: Record<string, string[]> = {
  en: ["one", "other"],
  cy: ["zero", "one", "two", "few", "many", "other"],
};

export function pluralProblems(message: string, language: string): string[] {
  const { plurals } = analyse(message, language);
  return plurals.flatMap((p) =>
    (REQUIRED_PLURAL_CATEGORIES[language] ?? ["other"])
      .filter((category) => !(category in (p.options ?? {})))
      .map((category) => `plural {${p.value}} lacks "${category}"`),
  );
}

describe("catalogues", () => {
  const en = catalogue("en");
  const cy = catalogue("cy");

  it("have the same keys in English and Welsh", () => {
    const missingInWelsh = [...en.keys()].filter((k) => !cy.has(k));
    const missingInEnglish = [...cy.keys()].filter((k) => !en.has(k));
    expect(missingInWelsh, "keys missing from app/locales/cy").toEqual([]);
    expect(missingInEnglish, "keys missing from app/locales/en").toEqual([]);
    expect(en.size).toBeGreaterThan(100);
  });

  it("have no empty messages", () => {
    for (const language of LANGUAGES) {
      const empty = [...catalogue(language)].filter(([, v]) => v.trim() === "").map(([k]) => k);
      expect(empty, `empty messages in ${language}`).toEqual([]);
    }
  });

  it("parse as ICU messages with the same placeholders in both languages", () => {
    const mismatched: string[] = [];
    for (const [key, english] of en) {
      const welsh = cy.get(key);
      if (welsh === undefined) continue;
      const a = [...analyse(english, "en").placeholders].sort();
      const b = [...analyse(welsh, "cy").placeholders].sort();
      if (a.join() !== b.join()) mismatched.push(`${key}: en {${a}} cy {${b}}`);
    }
    expect(mismatched).toEqual([]);
  });

  it("give every plural the categories its language needs", () => {
    const problems: string[] = [];
    for (const language of LANGUAGES)
      for (const [key, message] of catalogue(language))
        for (const p of pluralProblems(message, language)) problems.push(`${language} ${key}: ${p}`);
    expect(problems).toEqual([]);
  });

  it("catches a Welsh plural that names only English's categories", () => {
    expect(pluralProblems("{count, plural, one {# cais} other {# cais}}", "cy")).toEqual([
      'plural {count} lacks "zero"',
      'plural {count} lacks "two"',
      'plural {count} lacks "few"',
      'plural {count} lacks "many"',
    ]);
    expect(
      pluralProblems("{n, plural, zero {dim} one {un} two {dau} few {tri} many {chwech} other {#}}", "cy"),
    ).toEqual([]);
  });
});
