/**
 * A round's ballot key, and opening the sealed ballots at the count (docs/decisions/006-ballot-secrecy.md).
 *
 * - `createBallotKey`: before voting opens, an officer makes the round's X25519 key pair
 *   (libsodium, through its native binding sodium-native). Only the public key is stored; the
 *   private key is split (shamir-secret-sharing, 2 of 3) into shares that are returned once, to be
 *   printed and handed to three officers, and then forgotten. The audit trail records who was shown
 *   the shares and when.
 * - `sealBallot`: a cast seals `{"ranking":[…],"receipt":"…"}` to the public key (crypto_box_seal).
 * - `openSealedBallots`: at the count two officers enter two shares; the key is rebuilt in memory,
 *   checked against the stored public key, every sealed ballot is opened, and the rankings are
 *   written as plain ballots (no receipt, no time, random ids, in ranking order) in one
 *   transaction that also erases the sealed rows (secure_delete is on, so their bytes are zeroed);
 *   then the write-ahead log is checkpointed and truncated.
 */
import { eq, sql } from "drizzle-orm";
import sodium from "sodium-native";
import { combine, split } from "shamir-secret-sharing";
import { formatShare, readShare, SHARE_COUNT, SHARE_THRESHOLD } from "~/core/voting";
import { db, writeTransaction, type Db } from "~/db/client.server";
import { pbBallots, pbReceipts, pbRounds, pbSealedBallots } from "~/db/schema";
import { recordAudit, type Actor } from "~/models/audit.server";
import { findRound } from "~/models/rounds/queries.server";
import { newBallotId } from "~/models/voting/receipts.server";
import { pooledRandomBytes } from "~/utils/random-pool.server";
import { Refusal } from "~/utils/refusal";

/** An X25519 private key is 32 bytes; each Shamir share is one byte longer. */
const SHARE_BYTES = 33;
const KEY_PHASES = ["draft", "accepting-bids", "reviewing", "voting"];

const KEY_BYTES = sodium.crypto_box_PUBLICKEYBYTES;

/** A stored public key (base64) as bytes; refused unless it is a key's length. */
function publicKeyBytes(publicKey: string): Buffer {
  const key = Buffer.from(publicKey, "base64");
  if (key.length !== KEY_BYTES) throw new Error("A round's ballot public key must be 32 bytes");
  return key;
}

/** The public key that belongs to a private one (X25519 scalar multiplication of the base point). */
function publicKeyOf(privateKey: Buffer): Buffer {
  const publicKey = Buffer.alloc(KEY_BYTES);
  sodium.crypto_scalarmult_base(publicKey, privateKey);
  return publicKey;
}

export interface SealedContent {
  ranking: readonly number[];
  receipt: string;
}

/** Seals a ballot to a round's public key (base64). Synchronous, for the cast transaction. */
export function sealBallot(publicKey: string, content: SealedContent): Buffer {
  const plain = Buffer.from(JSON.stringify({ ranking: content.ranking, receipt: content.receipt }));
  const sealed = Buffer.alloc(plain.length + sodium.crypto_box_SEALBYTES);
  sodium.crypto_box_seal(sealed, plain, publicKeyBytes(publicKey));
  return sealed;
}

/** A new random id for a sealed ballot (16 random bytes, hex). */
export function newSealedBallotId(): string {
  return pooledRandomBytes(16).toString("hex");
}

/** Called as voting opens: a round without a ballot key cannot take sealed ballots, so it does not open. */
export function requireBallotKey(tx: Db, roundId: number): void {
  const row = tx.select({ key: pbRounds.ballotPublicKey }).from(pbRounds).where(eq(pbRounds.id, roundId)).get();
  if (!row?.key) throw new Refusal("admin:refusal.ballotKeyNeeded");
}

/**
 * Makes a round's ballot key and returns its three shares as text, once. Refused when the round
 * already has a key (the shares cannot be shown again) or is past voting.
 */
export async function createBallotKey(
  actor: Actor,
  roundId: number,
  now = new Date(),
  database: Db = db(),
): Promise<string[]> {
  const round = findRound(roundId, database);
  if (!round) throw Refusal.notFound("admin:refusal.noRound");
  if (round.ballotPublicKey) throw new Refusal("admin:refusal.ballotKeyExists");
  if (!KEY_PHASES.includes(round.phase)) throw new Refusal("admin:refusal.ballotKeyLate");
  const publicBytes = Buffer.alloc(KEY_BYTES);
  const privateBytes = Buffer.alloc(sodium.crypto_box_SECRETKEYBYTES);
  sodium.crypto_box_keypair(publicBytes, privateBytes);
  let shares: Uint8Array[];
  try {
    // A plain view of the same bytes (the library wants a Uint8Array itself), zeroed with them below.
    const secret = new Uint8Array(privateBytes.buffer, privateBytes.byteOffset, privateBytes.length);
    shares = await split(secret, SHARE_COUNT, SHARE_THRESHOLD);
  } finally {
    sodium.sodium_memzero(privateBytes);
  }
  const publicKey = publicBytes.toString("base64");
  const texts = shares.map((share) => formatShare(roundId, share));
  for (const share of shares) share.fill(0);
  writeTransaction((tx) => {
    const changed = tx
      .update(pbRounds)
      .set({ ballotPublicKey: publicKey, ballotKeyCreatedAt: now.toISOString() })
      .where(eq(pbRounds.id, roundId))
      .run().changes;
    const current = findRound(roundId, tx)!;
    if (changed !== 1 || current.ballotPublicKey !== publicKey) throw new Refusal("admin:refusal.ballotKeyExists");
    recordAudit(tx, {
      actor,
      action: "pb-round.ballot-key-made",
      entityType: "pb_round",
      entityId: roundId,
      after: {
        publicKey,
        shares: SHARE_COUNT,
        threshold: SHARE_THRESHOLD,
        sharesShownTo: actor.id,
        sharesShownAt: now.toISOString(),
      },
    });
  }, database);
  return texts;
}

/** Reads the entered shares (fields `share1`, `share2`); rebuilds the private key, checked against the public one. */
async function privateKeyFromShares(roundId: number, publicKey: string, inputs: readonly string[]): Promise<Buffer> {
  const fieldErrors: Record<string, string> = {};
  const shares: Uint8Array[] = [];
  inputs.forEach((input, i) => {
    const reading = readShare(roundId, input, SHARE_BYTES);
    if (!reading.ok) fieldErrors[`share${i + 1}`] = reading.message;
    else if (shares.some((s) => s[SHARE_BYTES - 1] === reading.share[SHARE_BYTES - 1]))
      fieldErrors[`share${i + 1}`] = "admin:refusal.sameShare";
    else shares.push(reading.share);
  });
  if (inputs.length < SHARE_THRESHOLD) fieldErrors[`share${inputs.length + 1}`] = "admin:refusal.enterShares";
  const first = Object.entries(fieldErrors)[0];
  if (first) throw new Refusal(first[1], { field: first[0], fieldErrors });
  let privateKey: Buffer;
  try {
    const combined = await combine(shares);
    privateKey = Buffer.from(combined);
    combined.fill(0);
  } catch {
    throw new Refusal("admin:refusal.sharesMisfit", { field: "share1" });
  }
  if (privateKey.length !== KEY_BYTES || !publicKeyOf(privateKey).equals(publicKeyBytes(publicKey))) {
    sodium.sodium_memzero(privateKey);
    throw new Refusal("admin:refusal.sharesWrongRound", {
      field: "share1",
      fieldErrors: { share1: "admin:refusal.sharesWrongKey", share2: "admin:refusal.checkShare" },
    });
  }
  return privateKey;
}

/** The ranking JSON written for a plain ballot; plain ballots are written in this text's order. */
const rankingText = (ranking: readonly number[]) => JSON.stringify(ranking);

export interface OpenedBallots {
  opened: number;
}

/** How many sealed ballots a round holds (not yet opened). */
export function sealedBallotCount(roundId: number, database: Db = db()): number {
  return database.$client
    .prepare("select count(*) from pb_sealed_ballots where round_id = ?")
    .pluck()
    .get(roundId) as number;
}

/**
 * Opens a round's sealed ballots with two officers' shares (round in counting, not yet counted).
 * Every sealed ballot must open and carry an issued receipt, each receipt once, and there must be
 * one sealed ballot per receipt; otherwise nothing is written and the count cannot go on.
 */
export async function openSealedBallots(
  actor: Actor,
  roundId: number,
  shareInputs: readonly string[],
  now = new Date(),
  database: Db = db(),
): Promise<OpenedBallots> {
  const round = findRound(roundId, database);
  if (!round) throw Refusal.notFound("admin:refusal.noRound");
  if (round.phase !== "counting") throw new Refusal("admin:refusal.closeBeforeOpening");
  if (!round.ballotPublicKey) throw new Refusal("admin:refusal.noBallotKey");
  const privateKey = await privateKeyFromShares(roundId, round.ballotPublicKey, shareInputs);
  const publicKey = publicKeyBytes(round.ballotPublicKey);
  const client = database.$client;
  client.pragma("secure_delete = ON");
  let opened: number;
  try {
    opened = writeTransaction((tx) => {
      const sealed = tx
        .select({ sealed: pbSealedBallots.sealed })
        .from(pbSealedBallots)
        .where(eq(pbSealedBallots.roundId, roundId))
        .all();
      const receipts = new Set(
        tx
          .select({ receipt: pbReceipts.receipt })
          .from(pbReceipts)
          .where(eq(pbReceipts.roundId, roundId))
          .all()
          .map((r) => r.receipt),
      );
      const seen = new Set<string>();
      const rankings: string[] = [];
      for (const row of sealed) {
        let content: SealedContent;
        try {
          const plain = Buffer.alloc(Math.max(0, row.sealed.length - sodium.crypto_box_SEALBYTES));
          if (!sodium.crypto_box_seal_open(plain, row.sealed, publicKey, privateKey)) throw new Error("not opened");
          content = JSON.parse(plain.toString("utf8")) as SealedContent;
        } catch {
          throw new Refusal("admin:refusal.ballotWontOpen");
        }
        if (!receipts.has(content.receipt) || seen.has(content.receipt))
          throw new Refusal("admin:refusal.receiptUnknown");
        seen.add(content.receipt);
        rankings.push(rankingText(content.ranking));
      }
      if (seen.size !== receipts.size) throw new Refusal("admin:refusal.receiptsMissing");
      rankings.sort();
      const insert = tx
        .insert(pbBallots)
        .values({ id: sql.placeholder("id"), roundId, ranking: sql.placeholder("ranking") })
        .prepare();
      for (const ranking of rankings) insert.run({ id: newBallotId(), ranking });
      tx.delete(pbSealedBallots).where(eq(pbSealedBallots.roundId, roundId)).run();
      recordAudit(tx, {
        actor,
        action: "pb-round.ballots-opened",
        entityType: "pb_round",
        entityId: roundId,
        after: { opened: rankings.length, openedAt: now.toISOString() },
      });
      return rankings.length;
    }, database);
  } finally {
    sodium.sodium_memzero(privateKey);
  }
  // The sealed rows are gone from the tables (and zeroed); the log that held them is emptied too.
  client.pragma("wal_checkpoint(TRUNCATE)");
  return { opened };
}
