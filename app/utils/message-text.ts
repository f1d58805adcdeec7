/**
 * A message made by `messageKey` (or plain text) in a language, for places outside the form components:
 * mail, downloads, tests.
 */
import { renderMessage } from "~/core/messages/message-key";
import type { Language } from "~/i18n";
import { translatorFor } from "~/utils/translate";

export function messageText(message: string, language: Language): string {
  return renderMessage(message, language, translatorFor(language));
}
