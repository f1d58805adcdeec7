/**
 * The demo council's participatory budgeting: one round open for voting now (eight projects on the
 * ballot, one bid found ineligible) and one finished round waiting to be counted. Bids are written
 * by the factories (as the bid form would leave them once submitted); everything else goes
 * through the rounds model, so the pots are in the ledger and every step is in the audit trail.
 * A third round has closed for bids and waits for its review. The ballot orders come from fixed
 * seeds, so the demo is the same every time. A fourth round, open for voting in Brookside, is for
 * residents on the council's register (scripts/seed/register.ts) only.
 */
import { asc, eq } from "drizzle-orm";
import type { IsoDate } from "~/core/ledger";
import { setRoundPhase } from "~/models/rounds/phases.server";
import { createBallotKey } from "~/models/voting/ballot-key.server";
import { fixBallotOrder, reviewProject } from "~/models/rounds/review.server";
import { createRound, type RoundInput } from "~/models/rounds/setup.server";
import { setVoterRule, uploadRegister } from "~/models/voting/register.server";
import { DEMO_REGISTER_COLUMNS, demoRegisterCsv } from "./register";
import type { Principal } from "~/utils/auth.server";
import { writeTransaction, type Db } from "~/db/client.server";
import { communityGroups, funds, pbRounds, users, wards, type RoundPhase } from "~/db/schema";
import { fundOfRound, groupLead, insertBid } from "../../tests/factories";

interface DemoProject {
  group: number;
  title: string;
  summary: string;
  pence: number;
  wards: number[];
}

const VOTING_PROJECTS: DemoProject[] = [
  {
    group: 0,
    title: "Community orchard on Abbey Fields",
    summary: "Twenty fruit trees, planted and cared for by volunteers, with fruit free to pick.",
    pence: 450_000,
    wards: [0],
  },
  {
    group: 1,
    title: "Larder cold room",
    summary: "A walk-in cold room so the larder can take fresh food from supermarkets every day.",
    pence: 1_200_000,
    wards: [1],
  },
  {
    group: 2,
    title: "Floodlights for the youth pitch",
    summary: "LED floodlights so teams can train on winter evenings.",
    pence: 1_400_000,
    wards: [2],
  },
  {
    group: 3,
    title: "Dyers Green play street kit",
    summary: "Barriers, signs and games so neighbours can close the street for play once a month.",
    pence: 180_000,
    wards: [3],
  },
  {
    group: 4,
    title: "Reading garden canopy",
    summary: "A shade canopy over the school's reading garden, open to families at weekends.",
    pence: 650_000,
    wards: [4],
  },
  {
    group: 5,
    title: "Riverside path benches",
    summary: "Six benches along the river path, with arm rests for older walkers.",
    pence: 320_000,
    wards: [5, 6],
  },
  {
    group: 6,
    title: "Underpass lighting art",
    summary: "Light installations designed with young people to make the underpass feel safe.",
    pence: 900_000,
    wards: [6],
  },
  {
    group: 8,
    title: "Men's Shed tool library",
    summary: "A tool library anyone in the ward can borrow from, run by shed members.",
    pence: 240_000,
    wards: [8, 9],
  },
];

const INELIGIBLE_PROJECT: DemoProject = {
  group: 7,
  title: "New bowls club car park",
  summary: "Resurfacing the private car park of the bowls club.",
  pence: 1_450_000,
  wards: [7],
};

const FINISHED_PROJECTS: DemoProject[] = [
  {
    group: 0,
    title: "Allotment composting toilets",
    summary: "Two composting toilets so families can spend the day at the allotments.",
    pence: 600_000,
    wards: [0],
  },
  {
    group: 1,
    title: "Cooking classes at the larder",
    summary: "A year of weekly cooking classes using food from the larder.",
    pence: 250_000,
    wards: [1],
  },
  {
    group: 2,
    title: "Girls' football sessions",
    summary: "Coaching and kit for a new girls' team, ages 8 to 14.",
    pence: 400_000,
    wards: [2],
  },
  {
    group: 3,
    title: "Dyers Green noticeboards",
    summary: "Three weatherproof noticeboards for local news and events.",
    pence: 150_000,
    wards: [3],
  },
  {
    group: 4,
    title: "Holiday lunch club",
    summary: "Lunches and activities for children during the summer holidays.",
    pence: 800_000,
    wards: [4],
  },
  {
    group: 5,
    title: "Wildflower meadow",
    summary: "Turning a mown corner of the park into a wildflower meadow.",
    pence: 350_000,
    wards: [5],
  },
  {
    group: 9,
    title: "Food bank delivery bike",
    summary: "An electric cargo bike to deliver food parcels to people who cannot travel.",
    pence: 700_000,
    wards: [9],
  },
  {
    group: 10,
    title: "Church hall hearing loop",
    summary: "A hearing loop so everyone can follow events in the hall.",
    pence: 280_000,
    wards: [2],
  },
];

const DAY_MS = 86_400_000;

/** Noon UTC `days` after `today` (negative for before), as an ISO timestamp. */
function at(today: IsoDate, days: number): string {
  return new Date(Date.parse(`${today}T12:00:00.000Z`) + days * DAY_MS).toISOString();
}

function addBids(database: Db, fundId: string, projects: DemoProject[], submittedAt: string): number[] {
  return writeTransaction((tx) => {
    const groupRows = tx.select().from(communityGroups).orderBy(asc(communityGroups.id)).all();
    const wardRows = tx.select().from(wards).orderBy(asc(wards.gssCode)).all();
    return projects.map((p, i) => {
      const group = groupRows[p.group]!;
      const half = Math.floor(p.pence / 2);
      return insertBid(tx, {
        fundId,
        groupId: group.id,
        wardIds: p.wards.map((w) => wardRows[w]!.id),
        title: p.title,
        summary: p.summary,
        description: `${p.summary} The group will run the project and report back on what it achieved.`,
        submittedBy: groupLead(tx, group.id),
        lines: [
          { description: "Materials and equipment", amountPence: half },
          { description: "Labour, delivery and volunteers' costs", amountPence: p.pence - half },
        ],
        beneficiaries: "Residents of the ward and visitors",
        beneficiaryCount: 200 + i * 50,
        submittedAt,
      });
    });
  }, database);
}

function moveTo(database: Db, roundId: number, phase: RoundPhase, now: string) {
  writeTransaction((tx) => setRoundPhase(tx, roundId, phase, null, "Demo round set up", new Date(now)), database);
}

function roundInput(
  name: string,
  description: string,
  today: IsoDate,
  offsets: [number, number, number, number, number],
  potPence: number,
  wardIds: number[],
): RoundInput {
  return {
    name,
    description,
    wardIds,
    potPence,
    minBidPence: 50_000,
    maxBidPence: 1_500_000,
    bidsOpenAt: at(today, offsets[0]),
    bidsCloseAt: at(today, offsets[1]),
    votingOpensAt: at(today, offsets[2]),
    votingClosesAt: at(today, offsets[3]),
    resultsAt: at(today, offsets[4]),
    maxRanked: 5,
    minVoterAge: 16,
    countingRule: "greedy",
    tieBreak: "project-id",
  };
}

/** Bids waiting for review in a third round (for trying the review page). */
const REVIEWING_PROJECTS: DemoProject[] = [
  {
    group: 7,
    title: "Bowls for all taster days",
    summary: "Free taster sessions and loan bowls so anyone can try the game.",
    pence: 120_000,
    wards: [7],
  },
  {
    group: 8,
    title: "Repair café",
    summary: "A monthly repair café where volunteers fix small appliances and bikes.",
    pence: 300_000,
    wards: [8],
  },
  {
    group: 9,
    title: "Ironbridge community fridge",
    summary: "A shared fridge where shops and neighbours leave surplus food for anyone.",
    pence: 450_000,
    wards: [8],
  },
];

/** Bids on the ballot of the Brookside round, which only residents on the register can vote in (besides codes). */
const REGISTER_PROJECTS: DemoProject[] = [
  {
    group: 1,
    title: "Brookside play street days",
    summary: "Monthly Sunday afternoons when Brookside Road closes to traffic so children can play out.",
    pence: 180_000,
    wards: [1],
  },
  {
    group: 2,
    title: "Brookside bus shelter planters",
    summary: "Planters and seating around the three bus shelters on the high street, looked after by neighbours.",
    pence: 250_000,
    wards: [1],
  },
  {
    group: 3,
    title: "Warm room at Brookside library",
    summary: "The library's back room open with tea and activities on winter weekday afternoons.",
    pence: 320_000,
    wards: [1],
  },
];

/**
 * The demo rounds. Each round that reaches voting gets its ballot key first, as an officer would
 * make it; the shares of the rounds still voting are returned (printed at start-up, so the demo's
 * officers can open their ballots at the count); the finished round's are thrown away.
 */
export async function seedDemoRounds(
  database: Db,
  today: IsoDate,
): Promise<{
  votingRoundId: number;
  finishedRoundId: number;
  reviewingRoundId: number;
  registerRoundId: number;
  votingKeyShares: string[];
  registerKeyShares: string[];
}> {
  const admin = database.select().from(users).where(eq(users.email, "admin@eastbrook.example")).get()!;
  const officer: Principal = {
    id: admin.id,
    email: admin.email,
    name: admin.name,
    postcode: admin.postcode,
    verified: true,
    roles: ["admin"],
    councillorWardIds: [],
    groupIds: [],
  };

  const votingInput = roundInput(
    "Eastbrook Decides",
    "£40,000 for projects anywhere in the borough, chosen by residents. Rank up to five projects you would like to " +
      "see.",
    today,
    [-60, -30, -3, 14, 17],
    4_000_000,
    [],
  );
  const votingRoundId = createRound(officer, votingInput, database);
  inWelshToo(
    database,
    votingRoundId,
    "Eastbrook yn Penderfynu",
    "£40,000 ar gyfer prosiectau unrhyw le yn y fwrdeistref, wedi'u dewis gan drigolion. Rhowch hyd at bum prosiect " +
      "yr hoffech eu gweld mewn trefn.",
  );
  const votingFund = fundOfRound(database, votingRoundId);
  moveTo(database, votingRoundId, "accepting-bids", votingInput.bidsOpenAt);
  const votingBids = addBids(database, votingFund, [...VOTING_PROJECTS, INELIGIBLE_PROJECT], at(today, -40));
  moveTo(database, votingRoundId, "reviewing", votingInput.bidsCloseAt);
  const reviewedAt = new Date(at(today, -10));
  votingBids
    .slice(0, VOTING_PROJECTS.length)
    .forEach((bidId) => reviewProject(officer, votingRoundId, bidId, "eligible", "", database, reviewedAt));
  reviewProject(
    officer,
    votingRoundId,
    votingBids.at(-1)!,
    "ineligible",
    "The round funds projects on public land or open to everyone; this car park is private to the club.",
    database,
    reviewedAt,
  );
  fixBallotOrder(officer, votingRoundId, { method: "random", seed: "eastbrook-decides-demo" }, database);
  const votingKeyShares = await createBallotKey(officer, votingRoundId, new Date(at(today, -16)), database);
  moveTo(database, votingRoundId, "voting", votingInput.votingOpensAt);

  const finishedInput = roundInput(
    "Spring Community Chest",
    "£30,000 for community projects in the borough, decided by residents in the spring.",
    today,
    [-150, -120, -100, -80, -75],
    3_000_000,
    [],
  );
  const finishedRoundId = createRound(officer, finishedInput, database);
  inWelshToo(
    database,
    finishedRoundId,
    "Cist Gymunedol y Gwanwyn",
    "£30,000 ar gyfer prosiectau cymunedol yn y fwrdeistref, wedi'u penderfynu gan drigolion yn y gwanwyn.",
  );
  const finishedFund = fundOfRound(database, finishedRoundId);
  moveTo(database, finishedRoundId, "accepting-bids", finishedInput.bidsOpenAt);
  const finishedBids = addBids(database, finishedFund, FINISHED_PROJECTS, at(today, -130));
  moveTo(database, finishedRoundId, "reviewing", finishedInput.bidsCloseAt);
  finishedBids.forEach((bidId) =>
    reviewProject(officer, finishedRoundId, bidId, "eligible", "", database, new Date(at(today, -110))),
  );
  fixBallotOrder(officer, finishedRoundId, { method: "random", seed: "spring-community-chest-demo" }, database);
  await createBallotKey(officer, finishedRoundId, new Date(at(today, -100)), database);
  moveTo(database, finishedRoundId, "voting", finishedInput.votingOpensAt);
  moveTo(database, finishedRoundId, "counting", finishedInput.votingClosesAt);
  const reviewingInput = roundInput(
    "Hollins Park and Ironbridge Neighbourhood Fund",
    "£15,000 for projects in Hollins Park and Ironbridge. Bids are being checked; voting opens soon.",
    today,
    [-40, -5, 10, 24, 28],
    1_500_000,
    wardIdsOf(database, [7, 8]),
  );
  const reviewingRoundId = createRound(officer, reviewingInput, database);
  inWelshToo(
    database,
    reviewingRoundId,
    "Cronfa Gymdogaeth Parc y Celyn a Phont Haearn",
    "£15,000 ar gyfer prosiectau ym Mharc y Celyn a Phont Haearn. Mae'r ceisiadau'n cael eu gwirio; mae'r " +
      "pleidleisio'n agor cyn hir.",
  );
  moveTo(database, reviewingRoundId, "accepting-bids", reviewingInput.bidsOpenAt);
  addBids(database, fundOfRound(database, reviewingRoundId), REVIEWING_PROJECTS, at(today, -20));
  moveTo(database, reviewingRoundId, "reviewing", reviewingInput.bidsCloseAt);
  const registerInput = roundInput(
    "Brookside Residents Decide",
    "£8,000 for projects in Brookside, chosen by residents on the council's register. Match yourself to the " +
      "register with the reference on your polling card, or with your postcode, date of birth and surname.",
    today,
    [-45, -20, -2, 12, 15],
    800_000,
    wardIdsOf(database, [1]),
  );
  registerInput.maxBidPence = 400_000;
  const registerRoundId = createRound(officer, registerInput, database);
  moveTo(database, registerRoundId, "accepting-bids", registerInput.bidsOpenAt);
  const registerBids = addBids(database, fundOfRound(database, registerRoundId), REGISTER_PROJECTS, at(today, -30));
  moveTo(database, registerRoundId, "reviewing", registerInput.bidsCloseAt);
  registerBids.forEach((bidId) =>
    reviewProject(officer, registerRoundId, bidId, "eligible", "", database, new Date(at(today, -10))),
  );
  fixBallotOrder(officer, registerRoundId, { method: "random", seed: "brookside-residents-decide-demo" }, database);
  setVoterRule(officer, registerRoundId, "register", database);
  uploadRegister(
    officer,
    registerRoundId,
    demoRegisterCsv(),
    DEMO_REGISTER_COLUMNS,
    "brookside-register-extract.csv",
    database,
  );
  const registerKeyShares = await createBallotKey(officer, registerRoundId, new Date(at(today, -15)), database);
  moveTo(database, registerRoundId, "voting", registerInput.votingOpensAt);
  return { votingRoundId, finishedRoundId, reviewingRoundId, registerRoundId, votingKeyShares, registerKeyShares };
}

/** The demo council offers Welsh: each round's name and rules, and its fund's name, in Welsh too. */
function inWelshToo(database: Db, roundId: number, nameCy: string, descriptionCy: string): void {
  const round = database
    .update(pbRounds)
    .set({ nameCy, descriptionCy })
    .where(eq(pbRounds.id, roundId))
    .returning()
    .get();
  database.update(funds).set({ nameCy }).where(eq(funds.id, round.fundId)).run();
}

function wardIdsOf(database: Db, indexes: number[]): number[] {
  const rows = database.select().from(wards).orderBy(asc(wards.gssCode)).all();
  return indexes.map((i) => rows[i]!.id);
}
