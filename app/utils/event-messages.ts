/**
 * The refusals of issuing and casting at a decision-day event in the reader's language. The event's
 * own refusals are catalogue keys already; the voter's one-time code and the ranking are checked by
 * the online vote's rules, whose English messages app/utils/voting-messages.ts knows.
 */
import { useTranslation } from "react-i18next";
import { issueRefusalKey } from "~/core/events/messages";
import { messageKey, renderMessage } from "~/core/messages/message-key";
import { Refusal } from "~/utils/refusal";
import { votingMessage } from "~/utils/voting-messages";

/** The refusal with its message as a catalogue key (and values) wherever one is known. */
export function eventRefusal(error: Refusal): Refusal {
  const key = issueRefusalKey(error.field, error.code);
  if (key) return new Refusal(key, { field: error.field, status: error.status });
  const known = votingMessage(error.message);
  if (!known) return error;
  return new Refusal(messageKey(known.key, known.values), {
    field: error.field,
    status: error.status,
    code: error.code,
  });
}

/** Shows a message (a catalogue key, a known voting message or other text) in the reader's language. */
export function useEventText(): (message: string) => string {
  const { t, i18n } = useTranslation();
  return (message) => {
    const known = votingMessage(message);
    return known ? t(known.key, known.values) : renderMessage(message, i18n.language, t);
  };
}
