/**
 * Participatory budgeting rounds: the round and its area, the review of each bid, and the vote.
 *
 * Ballot secrecy is a property of these tables (docs/decisions/006-ballot-secrecy.md). While voting,
 * a cast writes `pb_participation` (who voted), `pb_receipts` (the receipt, published as a list)
 * and `pb_sealed_ballots` (the ranking sealed to the round's public key, `pb_rounds.ballot_public_key`,
 * whose private half the server never stores). At the count the sealed ballots are opened with the
 * officers' key shares and written to `pb_ballots` as plain rankings in one transaction, and the
 * sealed rows are erased. No table records when a ballot was cast. `pb_ballots`, `pb_receipts` and
 * `pb_sealed_ballots` are WITHOUT ROWID tables keyed by random ids, so storage order is no clue either.
 * `pb_equality_responses` is anonymous in the same way and shares nothing with any of them.
 */
import { sql } from "drizzle-orm";
import { blob, check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { bids } from "./bids";
import { wards } from "./council";
import { funds } from "./funds";
import { users } from "./identity";

export const ROUND_PHASES = [
  "draft",
  "accepting-bids",
  "reviewing",
  "voting",
  "counting",
  "results",
  "delivery",
  "closed",
] as const;
export type RoundPhase = (typeof ROUND_PHASES)[number];
export const COUNTING_RULES = ["greedy", "mes"] as const;
export const TIE_BREAK_RULES = ["project-id", "lowest-cost", "ballot-order"] as const;
/** Who may vote online: any account in the area, residents matched to the council's register, or code holders only. */
export const VOTER_RULES = ["account", "register", "codes"] as const;

export const pbRounds = sqliteTable(
  "pb_rounds",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** The fund (kind pb-round) whose single budget is the pot. */
    fundId: text("fund_id")
      .notNull()
      .references(() => funds.id),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    potPence: integer("pot_pence").notNull(),
    minBidPence: integer("min_bid_pence").notNull(),
    maxBidPence: integer("max_bid_pence").notNull(),
    phase: text("phase", { enum: ROUND_PHASES }).notNull().default("draft"),
    /** Phase dates (ISO timestamps, UTC). A phase starts on its date or when moved by hand. */
    bidsOpenAt: text("bids_open_at").notNull(),
    bidsCloseAt: text("bids_close_at").notNull(),
    votingOpensAt: text("voting_opens_at").notNull(),
    votingClosesAt: text("voting_closes_at").notNull(),
    resultsAt: text("results_at"),
    maxRanked: integer("max_ranked").notNull().default(5),
    minVoterAge: integer("min_voter_age").notNull().default(16),
    countingRule: text("counting_rule", { enum: COUNTING_RULES }).notNull().default("greedy"),
    tieBreak: text("tie_break", { enum: TIE_BREAK_RULES }).notNull().default("project-id"),
    /** Seed of the random ballot order (recorded so the order can be reproduced). */
    ballotOrderSeed: text("ballot_order_seed"),
    rulesLockedAt: text("rules_locked_at"),
    /**
     * The round's ballot key (X25519, base64): online ballots are sealed to it. Its private half is
     * split into officers' shares when the key is made and is never stored.
     */
    ballotPublicKey: text("ballot_public_key"),
    ballotKeyCreatedAt: text("ballot_key_created_at"),
    /** Who may vote (app/core/voting/voter-rules.ts); fixed with the other rules when voting opens. */
    voterRule: text("voter_rule", { enum: VOTER_RULES }).notNull().default("account"),
    createdBy: text("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: text("created_at")
      .notNull()
      .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`),
  },
  (t) => [
    uniqueIndex("pb_rounds_fund_unique").on(t.fundId),
    check("pb_rounds_limits", sql`${t.minBidPence} > 0 and ${t.maxBidPence} >= ${t.minBidPence} and ${t.potPence} > 0`),
    check("pb_rounds_max_ranked", sql`${t.maxRanked} between 1 and 50`),
  ],
);

export const pbRoundWards = sqliteTable(
  "pb_round_wards",
  {
    roundId: integer("round_id")
      .notNull()
      .references(() => pbRounds.id),
    wardId: integer("ward_id")
      .notNull()
      .references(() => wards.id),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.wardId] })],
);

/** A bid in a round: its eligibility review (reason published), merge and ballot position. */
export const pbProjects = sqliteTable(
  "pb_projects",
  {
    bidId: integer("bid_id")
      .primaryKey()
      .references(() => bids.id),
    roundId: integer("round_id")
      .notNull()
      .references(() => pbRounds.id),
    eligibility: text("eligibility", { enum: ["pending", "eligible", "ineligible"] })
      .notNull()
      .default("pending"),
    eligibilityReason: text("eligibility_reason"),
    reviewedBy: text("reviewed_by").references(() => users.id),
    reviewedAt: text("reviewed_at"),
    /** Merged duplicates point at the bid they were merged into and are not on the ballot. */
    mergedIntoBidId: integer("merged_into_bid_id").references(() => bids.id),
    /** 1-based position on the ballot, fixed before voting opens. */
    ballotPosition: integer("ballot_position"),
    /** Public delivery status after the results (e.g. "planning", "under way", "done"). */
    deliveryStatus: text("delivery_status"),
    /** The officer's public note on the delivery status, and when it was last set. */
    deliveryNote: text("delivery_note"),
    deliveryUpdatedAt: text("delivery_updated_at"),
  },
  (t) => [
    index("pb_projects_round_idx").on(t.roundId),
    uniqueIndex("pb_projects_ballot_position").on(t.roundId, t.ballotPosition),
  ],
);

/** "This person has voted in this round": one row per person and per code, enforced by the database. */
export const VOTE_CHANNELS = ["online", "code", "paper"] as const;
export const pbParticipation = sqliteTable(
  "pb_participation",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    roundId: integer("round_id")
      .notNull()
      .references(() => pbRounds.id),
    userId: text("user_id").references(() => users.id),
    codeId: integer("code_id").references(() => pbVoteCodes.id),
    channel: text("channel", { enum: VOTE_CHANNELS }).notNull(),
    /** The voter's ward, for turnout by ward (null when not known, e.g. a code handed out at an event). */
    wardId: integer("ward_id").references(() => wards.id),
  },
  (t) => [
    uniqueIndex("pb_participation_user_unique").on(t.roundId, t.userId),
    uniqueIndex("pb_participation_code_unique").on(t.roundId, t.codeId),
    check("pb_participation_who", sql`(${t.userId} is not null) + (${t.codeId} is not null) <= 1`),
  ],
);

/**
 * The plain ballots that are counted: online ballots once opened at the count, and paper ballots.
 * `id` is random (not a receipt); `ranking` is a JSON array of bid ids, most wanted first. No column
 * names the voter, the channel or the time. Created WITHOUT ROWID by migration (see the SQL), so
 * storage order is the random id's order.
 */
export const pbBallots = sqliteTable(
  "pb_ballots",
  {
    id: text("id").primaryKey(),
    roundId: integer("round_id")
      .notNull()
      .references(() => pbRounds.id),
    ranking: text("ranking").notNull(),
  },
  (t) => [index("pb_ballots_round_idx").on(t.roundId)],
);

/**
 * Online ballots while the round is voting: `sealed` is a libsodium sealed box (crypto_box_seal) of
 * `{"ranking":[…],"receipt":"…"}` to the round's ballot key. `id` is random. WITHOUT ROWID (see the
 * SQL). Erased (with secure_delete) once opened at the count.
 */
export const pbSealedBallots = sqliteTable(
  "pb_sealed_ballots",
  {
    id: text("id").primaryKey(),
    roundId: integer("round_id")
      .notNull()
      .references(() => pbRounds.id),
    sealed: blob("sealed", { mode: "buffer" }).notNull(),
  },
  (t) => [index("pb_sealed_ballots_round_idx").on(t.roundId)],
);

/**
 * The receipts of a round's online ballots, published as a list apart from the rankings: a receipt
 * proves that a ballot was included, never what it ranked. WITHOUT ROWID (see the SQL).
 */
export const pbReceipts = sqliteTable(
  "pb_receipts",
  {
    roundId: integer("round_id")
      .notNull()
      .references(() => pbRounds.id),
    receipt: text("receipt").notNull(),
  },
  (t) => [primaryKey({ columns: [t.roundId, t.receipt] })],
);

export const pbCodeBatches = sqliteTable("pb_code_batches", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  roundId: integer("round_id")
    .notNull()
    .references(() => pbRounds.id),
  label: text("label").notNull(),
  size: integer("size").notNull(),
  createdBy: text("created_by")
    .notNull()
    .references(() => users.id),
  createdAt: text("created_at").notNull(),
});

/** One-time voting codes, stored as SHA-256 only; usable once, tied to a round, revocable. */
export const pbVoteCodes = sqliteTable(
  "pb_vote_codes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    roundId: integer("round_id")
      .notNull()
      .references(() => pbRounds.id),
    batchId: integer("batch_id")
      .notNull()
      .references(() => pbCodeBatches.id),
    codeHash: text("code_hash").notNull(),
    usedOn: text("used_on"),
    revokedAt: text("revoked_at"),
    revokedBy: text("revoked_by").references(() => users.id),
  },
  (t) => [uniqueIndex("pb_vote_codes_hash_unique").on(t.codeHash), index("pb_vote_codes_batch_idx").on(t.batchId)],
);

/**
 * A batch of paper ballots keyed in at a decision-day event. The first officer's keying and the
 * second officer's re-keying are kept as JSON arrays of rankings (bid ids); the batch counts only
 * once they agree (or every mismatch was resolved), when its ballots go into `pb_ballots`.
 */
export const pbPaperBatches = sqliteTable(
  "pb_paper_batches",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    roundId: integer("round_id")
      .notNull()
      .references(() => pbRounds.id),
    label: text("label").notNull(),
    status: text("status", { enum: ["entered", "checked", "mismatch", "accepted"] })
      .notNull()
      .default("entered"),
    firstKeying: text("first_keying").notNull(),
    enteredBy: text("entered_by")
      .notNull()
      .references(() => users.id),
    enteredAt: text("entered_at").notNull(),
    secondKeying: text("second_keying"),
    checkedBy: text("checked_by").references(() => users.id),
    checkedAt: text("checked_at"),
    /** JSON: how each mismatch was resolved, [{ index, ranking, resolvedBy, note }]. */
    resolutions: text("resolutions"),
    acceptedAt: text("accepted_at"),
    /** How many ballots the batch added to the count when accepted (voids left out). */
    ballotsAccepted: integer("ballots_accepted"),
  },
  (t) => [
    index("pb_paper_batches_round_idx").on(t.roundId),
    check("pb_paper_batches_two_people", sql`${t.checkedBy} is null or ${t.checkedBy} <> ${t.enteredBy}`),
  ],
);

/** A count of a closed round: the engine's full report and the hash of the ballot file it counted. */
export const pbCounts = sqliteTable(
  "pb_counts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    roundId: integer("round_id")
      .notNull()
      .references(() => pbRounds.id),
    rule: text("rule", { enum: COUNTING_RULES }).notNull(),
    /** The published ballot file (case-format JSON) exactly as counted, and its SHA-256. */
    ballotFile: text("ballot_file").notNull(),
    ballotFileSha256: text("ballot_file_sha256").notNull(),
    report: text("report").notNull(),
    /** The other rule's selection over the same ballots, for "what the other rule would have chosen". */
    otherRuleReport: text("other_rule_report"),
    countedBy: text("counted_by")
      .notNull()
      .references(() => users.id),
    countedAt: text("counted_at").notNull(),
    status: text("status", { enum: ["counted", "ratified", "released"] })
      .notNull()
      .default("counted"),
    decidedBy: text("decided_by").references(() => users.id),
    decidedAt: text("decided_at"),
    /** Why the result was released rather than ratified (published with the result). */
    decisionReason: text("decision_reason"),
  },
  (t) => [uniqueIndex("pb_counts_round_unique").on(t.roundId)],
);

/** Optional equality-monitoring questions the council asks after voting. */
export const equalityQuestions = sqliteTable("equality_questions", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  key: text("key").notNull().unique(),
  label: text("label").notNull(),
  /** JSON array of answer options ("Prefer not to say" is always added). */
  options: text("options").notNull(),
  position: integer("position").notNull().default(0),
  active: integer("active", { mode: "boolean" }).notNull().default(true),
});

/** Anonymous answers: random id, round, question, answer, day. No link to a voter or a ballot. */
export const pbEqualityResponses = sqliteTable(
  "pb_equality_responses",
  {
    id: text("id").primaryKey(),
    roundId: integer("round_id")
      .notNull()
      .references(() => pbRounds.id),
    questionKey: text("question_key").notNull(),
    answer: text("answer").notNull(),
    answeredOn: text("answered_on").notNull(),
  },
  (t) => [index("pb_equality_responses_round_idx").on(t.roundId, t.questionKey)],
);
