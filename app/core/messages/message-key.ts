/**
 * A message for a person, named by its catalogue key and the values it fills in, as one string that can
 * travel anywhere a message can (a field error, a refusal, a bid issue): "bids:issue.amountMin?min=%C2%A350.00".
 * The form components translate it in the reader's language; text that is not a key is shown as it is. A value
 * written "=namespace:key" is itself translated first (a status named inside a sentence).
 */
const KEY_PATTERN = /^([a-z]+:[A-Za-z0-9_.-]+)(?:\?(\S*))?$/;

export type MessageValues = Readonly<Record<string, string | number>>;

export function messageKey(key: string, values?: MessageValues): string {
  if (!values || Object.keys(values).length === 0) return key;
  const query = new URLSearchParams(Object.entries(values).map(([name, value]) => [name, String(value)]));
  return `${key}?${query.toString()}`;
}

/** The value `name`'s Welsh version travels as `name~cy`: council content such as a fund's name in both languages. */
export function withWelsh(name: string, en: string, cy: string | null | undefined): Record<string, string> {
  return cy && cy.trim() !== "" ? { [name]: en, [`${name}~cy`]: cy } : { [name]: en };
}

/** The values to fill in for a reader of `language`: each `name~cy` replaces `name` for Welsh readers. */
export function valuesFor(values: Record<string, string>, language: string): Record<string, string> {
  const chosen: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) if (!name.endsWith("~cy")) chosen[name] = value;
  if (language === "cy")
    for (const [name, value] of Object.entries(values)) if (name.endsWith("~cy")) chosen[name.slice(0, -3)] = value;
  return chosen;
}

/** The key and values of a message made by `messageKey`, or null for plain text. */
export function parseMessageKey(message: string): { key: string; values: Record<string, string> } | null {
  const match = KEY_PATTERN.exec(message);
  if (!match) return null;
  return { key: match[1]!, values: Object.fromEntries(new URLSearchParams(match[2] ?? "")) };
}

/** The message in a language, through that language's translation function; plain text is returned as it is. */
export function renderMessage(
  message: string,
  language: string,
  translate: (key: string, values?: Record<string, string>) => string,
): string {
  const keyed = parseMessageKey(message);
  if (!keyed) return message;
  const values = valuesFor(keyed.values, language);
  for (const [name, value] of Object.entries(values))
    if (value.startsWith("=") && KEY_PATTERN.test(value.slice(1))) values[name] = translate(value.slice(1));
  return translate(keyed.key, values);
}
