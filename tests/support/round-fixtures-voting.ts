/**
 * A PB round with projects on the ballot, written straight into the database for the voting tests,
 * the e2e specs and the vote benchmark (the rounds module builds rounds the real way).
 */
import type { Db } from "~/db/client.server";

export const PROJECT_TITLES = [
  "Playground for Abbey Fields",
  "Community fridge",
  "Street trees on Mill Lane",
  "Youth football kit",
  "Riverside benches",
  "Library reading club",
  "Bike repair café",
  "Pond clean-up",
];

export interface VotingRoundOptions {
  name?: string;
  /** Ward ids of the area; default: every ward. */
  wardIds?: number[];
  projects?: number;
  maxRanked?: number;
  minVoterAge?: number;
  phase?: string;
  votingOpensAt?: string;
  votingClosesAt?: string;
}

export interface VotingRound {
  roundId: number;
  fundId: string;
  /** Bid ids in ballot order. */
  bidIds: number[];
  titles: string[];
}

let made = 0;

export function createVotingRound(database: Db, options: VotingRoundOptions = {}): VotingRound {
  const client = database.$client;
  made += 1;
  const stamp = `${Date.now().toString(36)}${made}`;
  const fundId = `PB-T${stamp}`;
  const creator = (client.prepare("select id from users order by (email = 'admin@eastbrook.example') desc limit 1").get() as { id: string } | undefined)?.id;
  if (!creator) throw new Error("The voting fixture needs at least one user");
  let groupId = (client.prepare("select id from community_groups order by id limit 1").get() as { id: number } | undefined)?.id;
  if (!groupId) {
    groupId = Number(
      client
        .prepare("insert into community_groups (name, organisation_type, address, postcode, contact_email, created_by) values (?, 'community-group', '1 High Street', 'EB1 1AA', 'hello@example.org', ?)")
        .run(`Fixture group ${stamp}`, creator).lastInsertRowid,
    );
  }
  const wardIds = options.wardIds ?? (client.prepare("select id from wards order by id").all() as { id: number }[]).map((w) => w.id);
  const count = options.projects ?? 6;
  const now = Date.now();
  const opens = options.votingOpensAt ?? new Date(now - 86_400_000).toISOString();
  const closes = options.votingClosesAt ?? new Date(now + 7 * 86_400_000).toISOString();
  const tx = client.transaction(() => {
    client.prepare("insert into funds (id, kind, name, fy, pot_pence, created_by) values (?, 'pb-round', ?, '2026/27', 5000000, ?)").run(fundId, options.name ?? "Eastbrook Decides", creator);
    client.prepare("insert into budgets (id, fund_id, ward_id, name) values (?, ?, null, ?)").run(`${fundId}-POT`, fundId, "Pot");
    const roundId = Number(
      client
        .prepare(
          `insert into pb_rounds (fund_id, name, pot_pence, min_bid_pence, max_bid_pence, phase, bids_open_at, bids_close_at, voting_opens_at, voting_closes_at, max_ranked, min_voter_age, created_by)
           values (?, ?, 5000000, 100000, 2500000, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(fundId, options.name ?? "Eastbrook Decides", options.phase ?? "voting", "2026-01-01T00:00:00.000Z", "2026-02-01T00:00:00.000Z", opens, closes, options.maxRanked ?? 3, options.minVoterAge ?? 16, creator).lastInsertRowid,
    );
    for (const wardId of wardIds) client.prepare("insert into pb_round_wards (round_id, ward_id) values (?, ?)").run(roundId, wardId);
    const bidIds: number[] = [];
    const titles: string[] = [];
    for (let i = 0; i < count; i++) {
      const title = PROJECT_TITLES[i % PROJECT_TITLES.length]! + (i >= PROJECT_TITLES.length ? ` ${i + 1}` : "");
      const bidId = Number(
        client
          .prepare("insert into bids (reference, fund_id, group_id, status, title, summary, amount_pence, created_by) values (?, ?, ?, 'on-ballot', ?, ?, ?, ?)")
          .run(`${fundId}-${String(i + 1).padStart(4, "0")}`, fundId, groupId, title, `${title}: what it is and who it helps.`, 500_000 + i * 250_000, creator).lastInsertRowid,
      );
      if (wardIds[0]) client.prepare("insert into bid_wards (bid_id, ward_id) values (?, ?)").run(bidId, wardIds[i % wardIds.length]);
      client.prepare("insert into pb_projects (bid_id, round_id, eligibility, ballot_position) values (?, ?, 'eligible', ?)").run(bidId, roundId, i + 1);
      bidIds.push(bidId);
      titles.push(title);
    }
    return { roundId, fundId, bidIds, titles };
  });
  return tx.immediate();
}

/** Moves a round to another phase (the rounds module does this for real). */
export function setRoundPhase(database: Db, roundId: number, phase: string): void {
  database.$client.prepare("update pb_rounds set phase = ? where id = ?").run(phase, roundId);
}
