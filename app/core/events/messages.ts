/**
 * The catalogue keys (namespace `events`) for the refusals of issuing at an event that a form shows
 * beside a field, by the refusal's field and code; null where the refusal's own message (a catalogue key
 * from app/models/events, with its values) stands.
 */
const REGISTER_KEYS: Record<string, string> = {
  "register-not-found": "events:errors.registerNotFound",
  "register-matched-online": "events:errors.registerMatchedOnline",
  "register-claimed": "events:errors.registerClaimed",
  "register-taken": "events:errors.registerClaimed",
};

const KEYS: Record<string, Record<string, string>> = {
  pin: { wrong: "events:errors.pinWrong", locked: "events:errors.pinLocked" },
  voterCode: {
    "bad-code": "events:errors.codeBad",
    "already-voted": "events:errors.codeUsed",
    taken: "events:errors.codeTaken",
  },
  registerReference: REGISTER_KEYS,
  registerPostcode: REGISTER_KEYS,
};

export function issueRefusalKey(field: string, code: string | undefined): string | null {
  return (code && KEYS[field]?.[code]) || null;
}
