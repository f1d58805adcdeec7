/**
 * Refusals carry catalogue keys; these read them in English, as an English reader sees them, so a
 * test can say what the person is told: `expect(inEnglish(() => issue())).toThrow(/not in the area/)`.
 */
import { messageText } from "~/utils/message-text";

function english(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const read = new Error(messageText(error.message, "en"));
  return Object.assign(read, { name: error.name, cause: error });
}

export function inEnglish<T>(run: () => T): () => T {
  return () => {
    try {
      return run();
    } catch (error) {
      throw english(error);
    }
  };
}

export async function inEnglishAsync<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (error) {
    throw english(error);
  }
}
