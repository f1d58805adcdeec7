/**
 * The demo council: a fictional borough with ten wards (GSS-shaped codes in the unused E0599xxxx
 * range), two or three councillors per ward, a finance officer, an administrator, a dozen community
 * groups with members, residents, and a made-up postcode table. Everything is deterministic so that
 * tests and screenshots see the same council every time.
 */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { hashPassword } from "~/utils/auth.server";
import { writeTransaction, type Db } from "~/db/client.server";
import {
  communityGroups,
  councilSettings,
  groupBankDetails,
  groupMembers,
  roleGrants,
  users,
  wards,
  type OrganisationType,
  type Role,
} from "~/db/schema";
import { recordAudit } from "~/models/audit.server";
import { londonDateOf, type IsoDate } from "~/core/ledger";
import { seedDemoLedger } from "./ledger";
import { seedDemoCount } from "./count";
import { seedDemoDeliveryUpdates } from "./delivery";
import { seedDemoRounds } from "./rounds";
import { seedDemoBallots, seedDemoCodes, seedEqualityQuestions } from "./votes";

import { DEMO_PASSWORD } from "./demo-password";

export { DEMO_PASSWORD };

export const DEMO_COUNCIL_NAME = "Eastbrook Borough Council";

export interface DemoSignIn {
  role: string;
  email: string;
  home: string;
}

const WARDS: [name: string, population: number, district: string][] = [
  ["Abbey Fields", 11240, "EB1"],
  ["Brookside", 9870, "EB2"],
  ["Castle Hill", 12510, "EB3"],
  ["Dyers Green", 8730, "EB4"],
  ["Elmwood", 10420, "EB5"],
  ["Ferry Lane", 9310, "EB6"],
  ["Granary Quarter", 13980, "EB7"],
  ["Hollins Park", 7650, "EB8"],
  ["Ironbridge", 11060, "EB9"],
  ["Juniper Vale", 9990, "EB10"],
];

/** The demo council offers Welsh and English, so its wards have Welsh names too. */
const WARD_NAMES_CY: Record<string, string> = {
  "Abbey Fields": "Caeau'r Abaty",
  Brookside: "Glan y Nant",
  "Castle Hill": "Bryn y Castell",
  "Dyers Green": "Lawnt y Lliwyddion",
  Elmwood: "Coed Llwyfen",
  "Ferry Lane": "Lôn y Fferi",
  "Granary Quarter": "Ardal yr Ysgubor",
  "Hollins Park": "Parc y Celyn",
  Ironbridge: "Pont Haearn",
  "Juniper Vale": "Cwm Meryw",
};

const COUNCILLORS = [
  "Amira Patel",
  "Ben Okafor",
  "Catherine Lloyd",
  "Daniel Hughes",
  "Eleanor Shaw",
  "Farid Rahman",
  "Grace Mensah",
  "Harry Whitfield",
  "Isla Campbell",
  "James Doyle",
  "Kiran Sandhu",
  "Laura Bennett",
  "Mohammed Iqbal",
  "Niamh O'Connor",
  "Oliver Grant",
  "Priya Sharma",
  "Rhys Evans",
  "Sophie Turner",
  "Tomasz Nowak",
  "Uma Krishnan",
  "Victoria Adeyemi",
  "William Foster",
  "Yasmin Ali",
  "Zoe Marshall",
  "Arthur Pemberton",
];

const GROUPS: [
  name: string,
  type: OrganisationType,
  charityNumber: string | null,
  companyNumber: string | null,
  wardIndex: number,
][] = [
  ["Abbey Fields Allotment Society", "constituted-group", null, null, 0],
  ["Brookside Community Larder", "cio", "1187654", null, 1],
  ["Castle Hill Youth Football Club", "constituted-group", null, null, 2],
  ["Dyers Green Residents' Association", "constituted-group", null, null, 3],
  ["Elmwood Primary PTA", "school-pta", "1098765", null, 4],
  ["Ferry Lane Friends of the Park", "constituted-group", null, null, 5],
  ["Granary Quarter Arts CIC", "cic", null, "12345678", 6],
  ["Hollins Park Bowls Club", "constituted-group", null, null, 7],
  ["Ironbridge Men's Shed", "registered-charity", "1176543", null, 8],
  ["Juniper Vale Food Bank", "registered-charity", "1165432", "09876543", 9],
  ["St Mary's Church Hall Trust", "faith-group", "1154321", null, 2],
  ["Eastbrook Carers' Network", "company-limited-by-guarantee", "1143210", "08765432", 0],
];

const RESIDENTS = [
  "Alice Green",
  "Bilal Hussain",
  "Chloe Davies",
  "Dev Mistry",
  "Emma Clarke",
  "Finn Murphy",
  "Georgia Hall",
  "Hamza Khan",
  "Imogen Wright",
  "Jack Robinson",
  "Keisha Brown",
  "Liam Walsh",
  "Maya Singh",
  "Noah Thompson",
  "Olivia Price",
  "Patrick Byrne",
  "Ruby Jenkins",
  "Samir Haddad",
  "Tara Quinn",
  "Umar Farooq",
  "Violet King",
  "Wei Zhang",
  "Xander Cole",
  "Yusuf Osman",
];

const slug = (name: string) =>
  name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z ]/g, "")
    .trim()
    .replace(/\s+/g, ".");

const INWARD_LETTERS = ["AA", "AB", "AD", "AE", "AF", "AG", "AH", "AJ", "AL", "AN"];

/** Postcodes of a ward: `EBn dXX` for sectors 1..5 and ten unit letter pairs: fifty per ward. */
function wardPostcodes(district: string): string[] {
  const codes: string[] = [];
  for (let sector = 1; sector <= 5; sector += 1)
    for (const unit of INWARD_LETTERS) codes.push(`${district} ${sector}${unit}`);
  return codes;
}

export function isSeeded(database: Db): boolean {
  return database.select({ id: councilSettings.id }).from(councilSettings).get() !== undefined;
}

/** Seeds an empty database with the demo council. Returns the sign-ins to print. */
export async function seedDemoCouncil(
  database: Db,
  options: {
    today?: IsoDate;
    withLedger?: boolean;
    onVotingCodes?: (codes: string[], votingRoundId: number) => void;
    /** The three officers' shares of each voting round's ballot key (any two open its ballots at the count). */
    onBallotKeyShares?: (shares: string[], votingRoundId: number) => void;
  } = {},
): Promise<DemoSignIn[]> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const signIns = seedPeopleAndPlaces(database, passwordHash);
  if (options.withLedger ?? true) {
    const today = options.today ?? londonDateOf(new Date());
    writeTransaction((tx) => seedDemoLedger(tx, today), database);
    const rounds = await seedDemoRounds(database, today);
    seedEqualityQuestions(database);
    // A round in voting with a few hundred (sealed) ballots, and a finished round counted and ratified.
    await seedDemoBallots(database, rounds.votingRoundId, 300, 2026);
    await seedDemoBallots(database, rounds.finishedRoundId, 400, 2027);
    seedDemoCount(database, rounds.finishedRoundId);
    await seedDemoDeliveryUpdates(database);
    const codes = seedDemoCodes(database, rounds.votingRoundId, 10);
    options.onVotingCodes?.(codes, rounds.votingRoundId);
    options.onBallotKeyShares?.(rounds.votingKeyShares, rounds.votingRoundId);
    options.onBallotKeyShares?.(rounds.registerKeyShares, rounds.registerRoundId);
  }
  return signIns;
}

function seedPeopleAndPlaces(database: Db, passwordHash: string): DemoSignIn[] {
  return writeTransaction((tx) => {
    tx.insert(councilSettings)
      .values({
        id: 1,
        name: DEMO_COUNCIL_NAME,
        orgIdentifier: "GB-LAE-EBK",
        financialYearStartMonth: 4,
        designatedDecisionMaker: "Cabinet Member for Communities",
        languages: "cy,en",
      })
      .run();
    const wardRows = WARDS.map(([name, population], i) =>
      tx
        .insert(wards)
        .values({ name, nameCy: WARD_NAMES_CY[name], population, gssCode: `E0599${String(i + 1).padStart(4, "0")}` })
        .returning()
        .get(),
    );
    const addUser = (name: string, email: string, roles: Role[], postcode: string | null, wardIds: number[] = []) => {
      const id = randomUUID();
      // Demo accounts count as confirmed: their addresses are made up, so no link could reach them.
      const emailVerifiedAt = "2025-01-01T00:00:00.000Z";
      tx.insert(users).values({ id, name, email, passwordHash, postcode, emailVerifiedAt }).run();
      for (const role of roles) {
        if (role === "councillor")
          for (const wardId of wardIds) tx.insert(roleGrants).values({ userId: id, role, wardId }).run();
        else tx.insert(roleGrants).values({ userId: id, role }).run();
      }
      return id;
    };
    const postcodeOf = (wardIndex: number, n: number) => wardPostcodes(WARDS[wardIndex]![2])[n % 50]!;

    const adminId = addUser("Alex Morgan", "admin@eastbrook.example", ["admin", "resident"], postcodeOf(0, 1));
    addUser("Fiona Reid", "finance@eastbrook.example", ["finance", "resident"], postcodeOf(1, 2));
    addUser("Farah Begum", "finance2@eastbrook.example", ["finance"], null);
    addUser("Sam Okafor", "admin2@eastbrook.example", ["admin"], null);
    let councillorIndex = 0;
    wardRows.forEach((ward, wardIndex) => {
      const seats = wardIndex % 2 === 0 ? 3 : 2;
      for (let seat = 0; seat < seats && councillorIndex < COUNCILLORS.length; seat += 1) {
        const name = COUNCILLORS[councillorIndex]!;
        const email = councillorIndex === 0 ? "councillor@eastbrook.example" : `cllr.${slug(name)}@eastbrook.example`;
        addUser(name, email, ["councillor", "resident"], postcodeOf(wardIndex, councillorIndex + 3), [ward.id]);
        councillorIndex += 1;
      }
    });
    // The Cabinet Member for Communities decides bids every ward councillor has an interest in.
    const cabinetId = addUser("Rosa Delgado", "cabinet@eastbrook.example", ["resident"], postcodeOf(4, 7));
    tx.update(councilSettings).set({ designatedDecisionMakerId: cabinetId }).run();
    const residentIds = RESIDENTS.map((name, i) =>
      addUser(
        name,
        i === 0 ? "resident@eastbrook.example" : `${slug(name)}@residents.example`,
        ["resident"],
        postcodeOf(i % WARDS.length, i + 10),
      ),
    );
    GROUPS.forEach(([name, organisationType, charityNumber, companyNumber, wardIndex], i) => {
      const group = tx
        .insert(communityGroups)
        .values({
          name,
          organisationType,
          charityNumber,
          companyNumber,
          address: `${10 + i} ${WARDS[wardIndex]![0]} Road, Eastbrook`,
          postcode: postcodeOf(wardIndex, i + 20),
          contactEmail: `hello@${slug(name).replace(/\./g, "-")}.example`,
          createdBy: residentIds[i],
          verifiedAt: i < 9 ? "2026-04-15T10:00:00.000Z" : null,
          verifiedBy: i < 9 ? adminId : null,
          verificationNote: i < 9 ? "Constitution and latest accounts checked" : null,
        })
        .returning()
        .get();
      // Residents 0–11 lead a group, 12–21 are members, and the last two belong to none.
      const lead = residentIds[i]!;
      const member = residentIds[12 + (i % 10)]!;
      tx.insert(groupMembers).values({ groupId: group.id, userId: lead, memberRole: "lead" }).run();
      if (i < 11) {
        const bank = tx
          .insert(groupBankDetails)
          .values({
            groupId: group.id,
            version: 1,
            accountName: name,
            sortCode: "20-00-00",
            accountNumber: String(55_550_000 + i * 1_111),
            enteredBy: lead,
          })
          .returning({ id: groupBankDetails.id })
          .get();
        // The verified groups were verified with this, their first and only version of bank details.
        if (group.verifiedAt)
          tx.update(communityGroups)
            .set({ verifiedBankDetailsId: bank.id })
            .where(eq(communityGroups.id, group.id))
            .run();
      }
      tx.insert(groupMembers).values({ groupId: group.id, userId: member, memberRole: "member" }).run();
    });
    const insertPostcode = tx.$client.prepare("insert into postcodes (postcode, ward_gss_code) values (?, ?)");
    wardRows.forEach((ward, i) => {
      for (const code of wardPostcodes(WARDS[i]![2])) insertPostcode.run(code, ward.gssCode);
    });
    recordAudit(tx, {
      actor: null,
      action: "demo.seeded",
      entityType: "council",
      entityId: 1,
      after: { wards: wardRows.length, groups: GROUPS.length },
    });
    return [
      { role: "Administrator", email: "admin@eastbrook.example", home: "/admin" },
      {
        role: "Second administrator (checks paper batches, ratifies counts)",
        email: "admin2@eastbrook.example",
        home: "/admin",
      },
      { role: "Finance officer", email: "finance@eastbrook.example", home: "/finance" },
      { role: "Second finance officer (confirms payments)", email: "finance2@eastbrook.example", home: "/finance" },
      { role: "Councillor (Abbey Fields)", email: "councillor@eastbrook.example", home: "/councillor" },
      { role: "Councillor (Brookside)", email: "cllr.daniel.hughes@eastbrook.example", home: "/councillor" },
      {
        role: "Designated decision-maker (Cabinet Member for Communities)",
        email: "cabinet@eastbrook.example",
        home: "/decisions",
      },
      { role: "Group member (Abbey Fields Allotment Society)", email: "resident@eastbrook.example", home: "/groups" },
      {
        role: "Group member, grant awaiting its monitoring report (Castle Hill Youth Football Club)",
        email: "olivia.price@residents.example",
        home: "/groups",
      },
      {
        role: "Group member, grant with progress updates (Brookside Community Larder)",
        email: "bilal.hussain@residents.example",
        home: "/groups",
      },
      { role: "Resident", email: "yusuf.osman@residents.example", home: "/account" },
    ];
  }, database);
}
