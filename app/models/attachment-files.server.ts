/**
 * Where bid files and monitoring photos are kept on disk, and the one way a new one is written:
 * under a random storage key, never overwriting, readable by the app's user only, and removed again
 * if the row that records it is not written.
 */
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** An uploaded file as the models take it: its name as sent, its size and its bytes. */
export interface Upload {
  fileName: string;
  sizeBytes: number;
  bytes: Uint8Array;
}

/** Where files are kept: ATTACHMENTS_DIR, or `data/attachments` under the working directory. */
export function attachmentsDir(): string {
  // Read on each call (not cached with the rest of the environment) so tests can point it at a temporary folder.
  return path.resolve(process.env.ATTACHMENTS_DIR ?? "data/attachments");
}

/** The path of a stored file, or null when it is missing from disk. */
export function storedFilePath(storageKey: string): string | null {
  const file = path.join(attachmentsDir(), path.basename(storageKey));
  return fs.existsSync(file) ? file : null;
}

/**
 * Writes the upload's bytes under a new storage key, then runs `record` (which writes the row that
 * names the file, usually in a transaction). If `record` throws, the file is removed and the error
 * propagates.
 */
export function storeUpload<T>(upload: Upload, record: (stored: { storageKey: string; sha256: string }) => T): T {
  const storageKey = randomUUID();
  const dir = attachmentsDir();
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, storageKey);
  fs.writeFileSync(file, upload.bytes, { flag: "wx", mode: 0o600 });
  try {
    return record({ storageKey, sha256: createHash("sha256").update(upload.bytes).digest("hex") });
  } catch (error) {
    fs.rmSync(file, { force: true });
    throw error;
  }
}
