/**
 * Demo votes for a round: plausible ballots (with participation records for demo residents of the
 * area where there are enough, and one-time codes and paper for the rest), a batch of unused
 * one-time codes to try, and the council's demo equality-monitoring questions. Deterministic for a
 * given seed, apart from the random ballot ids and codes.
 */
import { randomBytes } from "node:crypto";
import { AGE_BAND_QUESTION, PREFER_NOT_TO_SAY } from "~/core/voting";
import { writeTransaction, type Db } from "~/db/client.server";
import { projectsOnBallot } from "~/models/rounds/queries.server";
import { generateCodeBatch, hashVotingCode } from "~/models/voting/codes.server";
import { newSealedBallotId, sealBallot } from "~/models/voting/ballot-key.server";
import { newBallotId } from "~/models/voting/receipts.server";

export const DEMO_EQUALITY_QUESTIONS = [
  { key: "disability", label: "Do you consider yourself to have a disability?", options: ["Yes", "No"] },
  {
    key: "ethnicity-group",
    label: "Your ethnic group",
    options: [
      "Asian or Asian British",
      "Black, Black British, Caribbean or African",
      "Mixed or multiple ethnic groups",
      "White",
      "Other ethnic group",
    ],
  },
  {
    key: "carer",
    label: "Do you look after someone because of illness, disability or old age?",
    options: ["Yes", "No"],
  },
];

/** mulberry32: a small seeded generator, so the demo is the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Adds the demo equality questions (once). */
export function seedEqualityQuestions(database: Db): void {
  const insert = database.$client.prepare(
    "insert into equality_questions (key, label, options, position) values (?, ?, ?, ?) on conflict(key) do nothing",
  );
  DEMO_EQUALITY_QUESTIONS.forEach((q, i) => insert.run(q.key, q.label, JSON.stringify(q.options), i + 1));
}

/** A ranking drawn by popularity without replacement; lengths from 1 to maxRanked, mostly 3 or more. */
function drawRanking(bidIds: number[], weights: number[], maxRanked: number, random: () => number): number[] {
  const limit = Math.min(maxRanked, bidIds.length);
  const length = Math.max(1, Math.min(limit, Math.round(limit * (0.4 + 0.7 * random()))));
  const pool = bidIds.map((id, i) => ({ id, w: weights[i]! * (0.5 + random()) }));
  const out: number[] = [];
  while (out.length < length && pool.length) {
    const total = pool.reduce((s, p) => s + p.w, 0);
    let pick = random() * total;
    let index = 0;
    while (index < pool.length - 1 && pick > pool[index]!.w) {
      pick -= pool[index]!.w;
      index += 1;
    }
    out.push(pool.splice(index, 1)[0]!.id);
  }
  return out;
}

/**
 * Casts `count` demo ballots in a round. Demo residents living in the round's area vote online
 * first; the rest are split between one-time codes (a "Demo: used codes" batch) and paper (one
 * accepted paper batch). About half the voters answer the equality questions. In a round that is
 * voting, online and code ballots are sealed to the round's ballot key with a receipt, as a cast
 * does; in a round past voting (the finished demo round) they are written as plain ballots, as
 * if already opened at the count. Such rounds are opened for the inserts and put back to their
 * phase in the same transaction (the triggers accept ballots only while voting).
 */
export async function seedDemoBallots(database: Db, roundId: number, count: number, seed: number): Promise<void> {
  const random = seededRandom(seed);
  const client = database.$client;
  const round = client
    .prepare(
      "select phase, max_ranked as maxRanked, voting_opens_at as opens, voting_closes_at as closes, created_by as " +
        "createdBy, ballot_public_key as publicKey from pb_rounds where id = ?",
    )
    .get(roundId) as
    | { phase: string; maxRanked: number; opens: string; closes: string; createdBy: string; publicKey: string | null }
    | undefined;
  if (!round) throw new Error(`No round ${roundId}`);
  const projects = projectsOnBallot(roundId, database);
  if (projects.length === 0) throw new Error(`Round ${roundId} has no projects on the ballot`);
  const bidIds = projects.map((p) => p.bidId);
  const weights = projects.map((_, i) => 1 / (1 + ((i * 7) % projects.length)) ** 0.7);
  const residents = client
    .prepare(
      `select u.id, w.id as wardId from users u join role_grants g on g.user_id = u.id and g.role = 'resident'
       join postcodes p on p.postcode = u.postcode join wards w on w.gss_code = p.ward_gss_code
       join pb_round_wards rw on rw.ward_id = w.id and rw.round_id = ?
       where not exists (select 1 from pb_participation x where x.round_id = ? and x.user_id = u.id)
       group by u.id order by u.email`,
    )
    .all(roundId, roundId) as { id: string; wardId: number }[];
  const startMs = Date.parse(round.opens);
  const endMs = Math.max(startMs, Math.min(Date.parse(round.closes), Date.now()) - 1);
  const dayOf = () => new Date(startMs + Math.floor(random() * (endMs - startMs + 1))).toISOString().slice(0, 10);
  const sealTo = round.phase === "voting" ? round.publicKey : null;
  if (round.phase === "voting" && !sealTo) throw new Error(`Round ${roundId} is voting without a ballot key`);
  seedEqualityQuestions(database);
  const questions = [AGE_BAND_QUESTION, ...DEMO_EQUALITY_QUESTIONS];
  writeTransaction(() => {
    if (round.phase !== "voting") client.prepare("update pb_rounds set phase = 'voting' where id = ?").run(roundId);
    const participation = client.prepare(
      "insert into pb_participation (round_id, user_id, code_id, channel, ward_id) values (?, ?, ?, ?, ?)",
    );
    const ballot = client.prepare("insert into pb_ballots (id, round_id, ranking) values (?, ?, ?)");
    const receipt = client.prepare("insert into pb_receipts (round_id, receipt) values (?, ?)");
    const sealed = client.prepare("insert into pb_sealed_ballots (id, round_id, sealed) values (?, ?, ?)");
    let paper = 0;
    const equality = client.prepare(
      "insert into pb_equality_responses (id, round_id, question_key, answer, answered_on) values (?, ?, ?, ?, ?)",
    );
    let codeBatch: number | null = null;
    const insertCode = client.prepare(
      "insert into pb_vote_codes (round_id, batch_id, code_hash, used_on) values (?, ?, ?, ?)",
    );
    for (let i = 0; i < count; i++) {
      const day = dayOf();
      const resident = residents[i];
      let onPaper = false;
      if (resident) {
        participation.run(roundId, resident.id, null, "online", resident.wardId);
      } else if (random() < 0.6) {
        codeBatch ??= Number(
          client
            .prepare(
              "insert into pb_code_batches (round_id, label, size, created_by, created_at) values (?, 'Demo: used " +
                "codes', 0, ?, ?)",
            )
            .run(roundId, round.createdBy, new Date().toISOString()).lastInsertRowid,
        );
        const codeId = Number(
          insertCode.run(roundId, codeBatch, hashVotingCode(randomBytes(16).toString("hex")), day).lastInsertRowid,
        );
        participation.run(roundId, null, codeId, "code", null);
      } else {
        onPaper = true;
        paper += 1;
      }
      const ranking = drawRanking(bidIds, weights, round.maxRanked, random);
      const receiptId = onPaper ? null : newBallotId();
      if (receiptId) receipt.run(roundId, receiptId);
      if (sealTo && receiptId)
        sealed.run(newSealedBallotId(), roundId, sealBallot(sealTo, { ranking, receipt: receiptId }));
      else ballot.run(newBallotId(), roundId, JSON.stringify(ranking));
      if (random() < 0.5) {
        for (const q of questions) {
          const options = [...q.options, PREFER_NOT_TO_SAY];
          const answer = options[Math.floor(random() ** 1.3 * options.length)]!;
          equality.run(randomBytes(16).toString("hex"), roundId, q.key, answer, day);
        }
      }
    }
    if (codeBatch !== null)
      client
        .prepare(
          "update pb_code_batches set size = (select count(*) from pb_vote_codes where batch_id = ?) where id = ?",
        )
        .run(codeBatch, codeBatch);
    if (paper > 0)
      client
        .prepare(
          "insert into pb_paper_batches (round_id, label, status, first_keying, entered_by, entered_at, accepted_at, " +
            "ballots_accepted) values (?, 'Demo: paper ballots', 'accepted', '[]', ?, ?, ?, ?)",
        )
        .run(roundId, round.createdBy, new Date(endMs).toISOString(), new Date(endMs).toISOString(), paper);
    if (round.phase !== "voting")
      client.prepare("update pb_rounds set phase = ? where id = ?").run(round.phase, roundId);
  }, database);
}

/** Makes a batch of `n` unused one-time codes and returns them in plain text (to print at start-up). */
export function seedDemoCodes(database: Db, roundId: number, n: number): string[] {
  const creator =
    (database.$client.prepare("select created_by from pb_rounds where id = ?").pluck().get(roundId) as
      string | undefined) ?? null;
  if (!creator) throw new Error(`No round ${roundId}`);
  return generateCodeBatch({ id: creator, name: "Demo" }, roundId, "Demo codes", n, database).codes;
}
