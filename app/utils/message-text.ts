/**
 * A message made by `messageKey` (or plain text) in a language, for places outside the form components:
 * mail, downloads, tests.
 */
import { parseMessageKey, valuesFor } from "~/core/messages/message-key";
import type { Language } from "~/i18n";
import { translatorFor } from "~/utils/translate";

export function messageText(message: string, language: Language): string {
  const keyed = parseMessageKey(message);
  return keyed ? translatorFor(language)(keyed.key, valuesFor(keyed.values, language)) : message;
}
