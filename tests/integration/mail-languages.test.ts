/**
 * Every notification mail in its recipient's language: each one is sent, through the model that
 * sends it, to a Welsh-speaking and an English-speaking recipient, on a fresh copy of the seeded
 * council (a real SQLite file) for each test, and read back from the real outbox. The Welsh copy must
 * start "Annwyl", hold none of the common English words once the content people wrote themselves
 * (titles, names) is set aside, write money and dates the Welsh way, and link with ?lng=cy; the
 * English copy says the same in English and links with ?lng=en.
 */
import { eq, gt, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { financialYearOf, londonDateOf } from "~/core/ledger";
import {
  auditEvents,
  bids,
  communityGroups,
  funds,
  grantOffers,
  grantTranches,
  groupMembers,
  outbox,
  pbRounds,
  roleGrants,
  users,
  wardDigests,
  wards,
} from "~/db/schema";
import { withdrawBid } from "~/models/bids.server";
import { closeVoting, countRound, ratifyCount } from "~/models/counts.server";
import { decideBid } from "~/models/decisions.server";
import { sendWardDigests } from "~/models/digests.server";
import { confirmPayment, requestPayment } from "~/models/finance.server";
import { closeFinancialYear } from "~/models/ledger.server";
import { sendMonitoringReminders, submitMonitoringReport } from "~/models/monitoring.server";
import { respondToOffer } from "~/models/offers.server";
import { commitTranche, withdrawTranche } from "~/models/tranches.server";
import { loadPrincipal, type Principal } from "~/utils/auth.server";
import { messageText } from "~/utils/message-text";
import { Refusal } from "~/utils/refusal";
import { createCountFixture, groupId, groupLead, submittedBid, wardId } from "../factories";
import { englishWordsIn } from "../support/english-words";
import { useGrantWorld, THIS_FY, type GrantTemplate, type GrantWorld } from "../support/grant-world";

let template: GrantTemplate;
let world: GrantWorld;

useGrantWorld((w, t) => {
  world = w;
  template = t;
  chooseLanguages();
});

const year = Number(THIS_FY.slice(0, 4));
/** A day late in this financial year, so a project ending next December runs mostly into next year. */
const lateInYear = new Date(`${year + 1}-02-01T12:00:00Z`);
let keys = 0;
const key = () => `mail-languages-${(keys += 1)}`;

const ENGLISH_MEMBER = "yusuf.osman@residents.example";
const GROUPS = ["Abbey Fields Allotment Society", "Brookside Community Larder", "Castle Hill Youth Football Club"];
const WELSH_COUNCILLOR = "councillor@eastbrook.example"; // Abbey Fields
const ENGLISH_COUNCILLOR = "cllr.daniel.hughes@eastbrook.example"; // Brookside

const idOf = (email: string) => world.db.select().from(users).where(eq(users.email, email)).get()!.id;
const person = (email: string): Principal => loadPrincipal(idOf(email), world.db)!;
const setLanguage = (email: string, language: "en" | "cy") =>
  world.db.update(users).set({ language }).where(eq(users.email, email)).run();
const leadOf = (group: string) => loadPrincipal(groupLead(world.db, groupId(world.db, group)), world.db)!;
const councillorOf = (ward: string) =>
  loadPrincipal(
    world.db
      .select()
      .from(roleGrants)
      .where(eq(roleGrants.wardId, wardId(world.db, ward)))
      .get()!.userId,
    world.db,
  )!;
const emailsOf = (ids: string[]) =>
  ids.length
    ? world.db
        .select()
        .from(users)
        .where(inArray(users.id, ids))
        .all()
        .map((u) => u.email)
    : [];

/**
 * Each test group's members read Welsh, and an English-speaking resident joins each group; finance
 * officers, ward councillors and the funds are split between the languages the same way.
 */
function chooseLanguages() {
  for (const name of GROUPS) {
    const group = groupId(world.db, name);
    const members = world.db.select().from(groupMembers).where(eq(groupMembers.groupId, group)).all();
    world.db
      .update(users)
      .set({ language: "cy" })
      .where(
        inArray(
          users.id,
          members.map((m) => m.userId),
        ),
      )
      .run();
    world.db
      .insert(groupMembers)
      .values({ groupId: group, userId: idOf(ENGLISH_MEMBER), memberRole: "member" })
      .run();
  }
  setLanguage(ENGLISH_MEMBER, "en");
  setLanguage("finance@eastbrook.example", "en");
  setLanguage("finance2@eastbrook.example", "cy");
  setLanguage("admin2@eastbrook.example", "en");
  setLanguage(WELSH_COUNCILLOR, "cy");
  setLanguage(ENGLISH_COUNCILLOR, "en");
  for (const fund of world.db.select().from(funds).all())
    world.db
      .update(funds)
      .set({ nameCy: `Cyllidebau Ward y Cynghorwyr ${fund.fy}` })
      .where(eq(funds.id, fund.id))
      .run();
}

function welshSpeakersOf(group: string): string[] {
  const ids = world.db
    .select()
    .from(groupMembers)
    .where(eq(groupMembers.groupId, groupId(world.db, group)))
    .all()
    .map((m) => m.userId);
  return emailsOf(ids).filter((email) => email !== ENGLISH_MEMBER);
}

type Mail = typeof outbox.$inferSelect;

/** The mail `run` queued. */
function mailOf(run: () => unknown): Mail[] {
  const last = world.db.select({ id: outbox.id }).from(outbox).all().at(-1)?.id ?? 0;
  run();
  return world.db.select().from(outbox).where(gt(outbox.id, last)).all();
}

/** What people wrote themselves (bid titles without a Welsh version, group and person names): not ours to translate. */
function peoplesOwnWords(): string[] {
  const titles = world.db
    .select()
    .from(bids)
    .all()
    .map((b) => b.titleCy ?? b.title);
  const groups = world.db
    .select()
    .from(communityGroups)
    .all()
    .map((g) => g.name);
  const names = world.db
    .select()
    .from(users)
    .all()
    .map((u) => u.name);
  return [...titles, ...groups, ...names].filter((text) => text.length > 0).sort((a, b) => b.length - a.length);
}

function withoutPeoplesWords(text: string): string {
  let out = text;
  for (const words of peoplesOwnWords()) out = out.split(words).join(" ");
  return out;
}

const LINK = /http:\/\/localhost:\d+\/\S*/g;

/**
 * The mails about one thing, to each listed recipient in their language, and checks each one;
 * returns them by address. `aside` is text in a Welsh mail that is quoted rather than written here.
 */
function expectEachInTheirLanguage(
  mails: Mail[],
  subject: RegExp,
  to: { welsh: string[]; english: string[] },
  aside: string[] = [],
): Map<string, Mail> {
  const about = mails.filter((m) => subject.test(m.subject) || to.welsh.includes(m.toAddress));
  const byAddress = new Map(about.map((m) => [m.toAddress, m]));
  expect([...byAddress.keys()].sort()).toEqual([...to.welsh, ...to.english].sort());
  for (const address of to.english) {
    const mail = byAddress.get(address)!;
    expect(mail.subject).toMatch(subject);
    expect(mail.body).toMatch(/^Dear /);
    for (const link of mail.body.match(LINK) ?? []) expect(link).toContain("lng=en");
  }
  for (const address of to.welsh) {
    const mail = byAddress.get(address)!;
    expect(mail.subject).not.toMatch(subject);
    expect(mail.body).toMatch(/^Annwyl /);
    let text = withoutPeoplesWords(`${mail.subject}\n${mail.body}`);
    for (const quoted of aside) text = text.split(quoted).join(" ");
    expect(englishWordsIn(text.replace(LINK, " ")), `${mail.subject}\n${mail.body}`).toEqual([]);
    for (const link of mail.body.match(LINK) ?? []) expect(link).toContain("lng=cy");
  }
  return byAddress;
}

function refused(run: () => unknown): Refusal {
  try {
    run();
  } catch (error) {
    if (error instanceof Refusal) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

const ABBEY_GROUP = GROUPS[0]!;
const BROOKSIDE_GROUP = GROUPS[1]!;
const CASTLE_GROUP = GROUPS[2]!;

describe("mail about a grant that runs into next year", () => {
  it("tells the group of the decision, the offer and each year's part, and finance of a refused part", () => {
    const grantBid = (title: string) =>
      submittedBid(world.db, {
        group: ABBEY_GROUP,
        wards: ["Abbey Fields"],
        pence: 480_000,
        fundId: template.thisFundId,
        endOn: `${year + 1}-12-31`,
        title,
        submittedAt: new Date(`${year + 1}-01-10T12:00:00Z`).toISOString(),
      });
    const first = grantBid("Perllan gymunedol");
    const second = grantBid("Gardd synhwyraidd");
    const group = { welsh: welshSpeakersOf(ABBEY_GROUP), english: [ENGLISH_MEMBER] };
    const decide = (bidId: number) =>
      mailOf(() =>
        decideBid(
          councillorOf("Abbey Fields"),
          { bidId, hasInterest: false, outcome: "approve", schedule: "by-year", idempotencyKey: key() },
          lateInYear,
          world.db,
        ),
      );
    const decided = expectEachInTheirLanguage(decide(first), /^Your bid .* has been approved$/, group);
    decide(second);
    const nextYear = `${year + 1}/${String(year + 2).slice(2)}`;
    expect(decided.get(ENGLISH_MEMBER)!.body).toMatch(
      new RegExp(`£[\\d,.]+ in ${nextYear} will be committed once that year's ward budget is set`),
    );
    const welsh = decided.get(group.welsh[0]!)!;
    expect(welsh.subject).toMatch(/^Mae eich cais .* wedi'i gymeradwyo$/);
    expect(welsh.body).toContain("Y grant yw £4,800.00.");
    expect(welsh.body).toMatch(new RegExp(`caiff £[\\d,.]+ yn ${nextYear} ei ymrwymo`));
    expect(welsh.body).toMatch(/\/bids\/\d+\/offer\?lng=cy\./);

    expectEachInTheirLanguage(
      mailOf(() => respondToOffer(leadOf(ABBEY_GROUP), { bidId: first, accept: true }, lateInYear, world.db)),
      /^Grant offer accepted: /,
      group,
    );
    respondToOffer(leadOf(ABBEY_GROUP), { bidId: second, accept: true }, lateInYear, world.db);

    const nextPart = (bidId: number) => {
      const offer = world.db.select().from(grantOffers).where(eq(grantOffers.bidId, bidId)).get()!;
      return world.db
        .select()
        .from(grantTranches)
        .where(eq(grantTranches.offerId, offer.id))
        .all()
        .find((tr) => tr.fy === nextYear)!;
    };
    const finance = person("finance@eastbrook.example");
    const committed = expectEachInTheirLanguage(
      mailOf(() =>
        commitTranche(finance, { trancheId: nextPart(first).id, idempotencyKey: key() }, lateInYear, world.db),
      ),
      new RegExp(`^${nextYear} part of your grant committed: `),
      group,
    );
    expect(committed.get(group.welsh[0]!)!.subject).toMatch(new RegExp(`^Rhan ${nextYear} o'ch grant wedi'i hymrwymo`));

    // Next year's £5,000 for the ward cannot hold the second grant's part as well: the other finance officers hear.
    let refusal: Refusal | undefined;
    const refusedMail = mailOf(() => {
      refusal = refused(() =>
        commitTranche(finance, { trancheId: nextPart(second).id, idempotencyKey: key() }, lateInYear, world.db),
      );
    });
    const reasons = [messageText(refusal!.message, "cy"), messageText(refusal!.message, "en")];
    const toFinance = expectEachInTheirLanguage(
      refusedMail,
      new RegExp(`^The ${nextYear} part of grant .* could not be committed$`),
      { welsh: ["finance2@eastbrook.example"], english: ["admin2@eastbrook.example"] },
      reasons,
    );
    expect(toFinance.get("finance2@eastbrook.example")!.body).toContain(reasons[0]);
    expect(toFinance.get("finance2@eastbrook.example")!.body).toMatch(/\/finance\/payments\?lng=cy\./);

    const withdrawn = expectEachInTheirLanguage(
      mailOf(() =>
        withdrawTranche(
          finance,
          { trancheId: nextPart(second).id, reason: "Cafodd y grŵp arian o le arall", idempotencyKey: key() },
          lateInYear,
          world.db,
        ),
      ),
      new RegExp(`^The ${nextYear} part of your grant is withdrawn: `),
      group,
    );
    expect(withdrawn.get(group.welsh[0]!)!.body).toContain("Cafodd y grŵp arian o le arall");
  });
});

describe("mail about paying a grant and hearing how it went", () => {
  it("tells the group of the payment, reminds it of its report, thanks it, and prompts finance on an underspend", () => {
    const bidId = submittedBid(world.db, {
      group: BROOKSIDE_GROUP,
      wards: ["Brookside"],
      pence: 40_000,
      endOn: `${year + 1}-02-28`,
      fundId: template.thisFundId,
      title: "Oergell y pantri",
    });
    const group = { welsh: welshSpeakersOf(BROOKSIDE_GROUP), english: [ENGLISH_MEMBER] };
    decideBid(
      councillorOf("Brookside"),
      { bidId, hasInterest: false, outcome: "approve", schedule: "single", idempotencyKey: key() },
      new Date(),
      world.db,
    );
    respondToOffer(leadOf(BROOKSIDE_GROUP), { bidId, accept: true }, new Date(), world.db);
    const grantId = world.db.select().from(bids).where(eq(bids.id, bidId)).get()!.grantId!;
    const request = requestPayment(
      person("finance@eastbrook.example"),
      { grantId, pence: 40_000, idempotencyKey: key() },
      world.db,
    );
    const paid = expectEachInTheirLanguage(
      mailOf(() =>
        confirmPayment(
          person("finance2@eastbrook.example"),
          { payRequestEntryId: request.entryId, paymentRef: "AP-IAITH-1", idempotencyKey: key() },
          world.db,
        ),
      ),
      /^Payment made: /,
      group,
    );
    expect(paid.get(group.welsh[0]!)!.body).toContain("Mae'r cyngor wedi talu £400.00 o'ch grant");

    const reminders = expectEachInTheirLanguage(
      mailOf(() => sendMonitoringReminders(new Date(`${year + 2}-01-01T12:00:00Z`), world.db)),
      /^Monitoring report due: /,
      group,
    );
    // The project ended on 28 February: the Welsh month's name, and the report's link in Welsh.
    expect(reminders.get(group.welsh[0]!)!.body).toContain(`i ben ar 28 Chwefror ${year + 1}`);
    expect(reminders.get(ENGLISH_MEMBER)!.body).toContain(`ended on 28 February ${year + 1}`);
    expect(reminders.get(group.welsh[0]!)!.body).toMatch(/\/bids\/\d+\/monitoring\?lng=cy\./);

    const reported = mailOf(() =>
      submitMonitoringReport(
        leadOf(BROOKSIDE_GROUP),
        bidId,
        { whatWasDone: "Rhedeg y pantri", peopleReached: 60, spend: [{ lineNo: 1, actualPence: 30_000 }] },
        new Date(),
        world.db,
      ),
    );
    expectEachInTheirLanguage(
      reported.filter((m) => !m.toAddress.startsWith("finance") && !m.toAddress.startsWith("admin2")),
      /^Monitoring report received: /,
      group,
    );
    const clawback = expectEachInTheirLanguage(
      reported.filter((m) => m.toAddress.startsWith("finance") || m.toAddress.startsWith("admin2")),
      /^Possible clawback: /,
      { welsh: ["finance2@eastbrook.example"], english: ["finance@eastbrook.example", "admin2@eastbrook.example"] },
    );
    expect(clawback.get("finance2@eastbrook.example")!.body).toContain("Ystyriwch adfachu £100.00");
  });
});

describe("mail about decisions", () => {
  it("says why a bid was not approved or what to change, and that an offer was declined", () => {
    const group = { welsh: welshSpeakersOf(CASTLE_GROUP), english: [ENGLISH_MEMBER] };
    const bid = (title: string) =>
      submittedBid(world.db, {
        group: CASTLE_GROUP,
        wards: ["Castle Hill"],
        pence: 20_000,
        title,
        fundId: template.thisFundId,
      });
    const decide = (bidId: number, outcome: "reject" | "request-changes" | "approve", reason?: string) =>
      mailOf(() =>
        decideBid(
          councillorOf("Castle Hill"),
          { bidId, hasInterest: false, outcome, reason, schedule: "single", idempotencyKey: key() },
          new Date(),
          world.db,
        ),
      );
    const rejected = expectEachInTheirLanguage(
      decide(bid("Cit newydd"), "reject", "Mae'r gronfa wedi'i dyrannu"),
      /^Your bid .* has not been approved$/,
      group,
    );
    expect(rejected.get(group.welsh[0]!)!.body).toContain("Y rheswm: Mae'r gronfa wedi'i dyrannu");
    const sentBack = expectEachInTheirLanguage(
      decide(bid("Hyfforddiant"), "request-changes", "Ychwanegwch ddyfynbris"),
      /^Your bid .* has been sent back for changes$/,
      group,
    );
    expect(sentBack.get(group.welsh[0]!)!.body).toContain("Beth i'w newid: Ychwanegwch ddyfynbris");
    expect(sentBack.get(ENGLISH_MEMBER)!.body).toContain("Make the changes and send it again at");

    const offered = bid("Goliau");
    decide(offered, "approve");
    expectEachInTheirLanguage(
      mailOf(() => respondToOffer(leadOf(CASTLE_GROUP), { bidId: offered, accept: false }, new Date(), world.db)),
      /^Grant offer declined: /,
      group,
    );
  });

  it("tells finance when a withdrawn grant's commitment cannot go back to a closed year", () => {
    const bidId = submittedBid(world.db, {
      group: CASTLE_GROUP,
      wards: ["Castle Hill"],
      pence: 20_000,
      title: "Offer garddio",
      fundId: template.thisFundId,
    });
    decideBid(
      councillorOf("Castle Hill"),
      { bidId, hasInterest: false, outcome: "approve", schedule: "single", idempotencyKey: key() },
      new Date(),
      world.db,
    );
    respondToOffer(leadOf(CASTLE_GROUP), { bidId, accept: true }, new Date(), world.db);
    const finance = person("finance@eastbrook.example");
    closeFinancialYear({ id: finance.id, name: finance.name }, THIS_FY, new Date(), world.db);
    const mails = mailOf(() => withdrawBid(leadOf(CASTLE_GROUP), bidId, "Nid oes angen y grant mwyach", world.db));
    const ledgerSaid = world.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.action, "tranche.decommit-refused"))
      .get()!.reason!;
    const toFinance = expectEachInTheirLanguage(
      mails.filter((m) => /^(finance|admin2)/.test(m.toAddress)),
      /^Withdrawn grant .* is still committed$/,
      { welsh: ["finance2@eastbrook.example"], english: ["finance@eastbrook.example", "admin2@eastbrook.example"] },
      [ledgerSaid],
    );
    expect(toFinance.get("finance2@eastbrook.example")!.body).toContain("Mae angen i swyddog cyllid ei gywiro.");
  });

  it("tells the group what each ward decided of a two-ward bid, with the wards' Welsh names", () => {
    world.db.update(wards).set({ nameCy: "Caeau'r Abaty" }).where(eq(wards.name, "Abbey Fields")).run();
    world.db.update(wards).set({ nameCy: "Glan y Nant" }).where(eq(wards.name, "Brookside")).run();
    const group = { welsh: welshSpeakersOf(ABBEY_GROUP), english: [ENGLISH_MEMBER] };
    const bidId = submittedBid(world.db, {
      group: ABBEY_GROUP,
      wards: ["Abbey Fields", "Brookside"],
      pence: 10_000,
      title: "Gwelyau uchel",
      fundId: template.thisFundId,
    });
    const decide = (ward: string) =>
      mailOf(() =>
        decideBid(
          councillorOf(ward),
          { bidId, hasInterest: false, outcome: "approve", idempotencyKey: key() },
          new Date(),
          world.db,
        ),
      );
    const first = expectEachInTheirLanguage(
      decide("Abbey Fields"),
      /^A ward has decided its share of your bid /,
      group,
    );
    expect(first.get(ENGLISH_MEMBER)!.body).toContain(
      "Abbey Fields ward approved £50.00 of its £50.00 share. £50.00 is approved so far; Brookside ward has still to decide.",
    );
    expect(first.get(group.welsh[0]!)!.body).toContain(
      "Cymeradwyodd ward Caeau'r Abaty £50.00 o'i chyfran o £50.00. Mae £50.00 wedi'i gymeradwyo hyd yma; mae ward " +
        "Glan y Nant eto i benderfynu.",
    );
    const second = expectEachInTheirLanguage(decide("Brookside"), /^Your bid .* has been approved$/, group);
    expect(second.get(group.welsh[0]!)!.body).toContain("Cyfanswm y cynnig yw £100.00.");
  });

  it("asks the designated decision-maker, in their language, to decide a bid every ward councillor is conflicted on", () => {
    const refer = () => {
      const bidId = submittedBid(world.db, {
        group: ABBEY_GROUP,
        wards: ["Abbey Fields"],
        pence: 30_000,
        title: "Sied offer",
        fundId: template.thisFundId,
      });
      const councillors = world.db
        .select()
        .from(roleGrants)
        .where(eq(roleGrants.wardId, wardId(world.db, "Abbey Fields")))
        .all();
      return mailOf(() => {
        for (const c of councillors)
          decideBid(
            loadPrincipal(c.userId, world.db)!,
            { bidId, hasInterest: true, interestDetails: "Aelod o'r teulu", idempotencyKey: key() },
            new Date(),
            world.db,
          );
      });
    };
    setLanguage("cabinet@eastbrook.example", "cy");
    const welsh = expectEachInTheirLanguage(refer(), /needs your decision$/, {
      welsh: ["cabinet@eastbrook.example"],
      english: [],
    });
    expect(welsh.get("cabinet@eastbrook.example")!.body).toMatch(/\/decisions\?lng=cy\./);
    setLanguage("cabinet@eastbrook.example", "en");
    const english = expectEachInTheirLanguage(refer(), /needs your decision$/, {
      welsh: [],
      english: ["cabinet@eastbrook.example"],
    });
    expect(english.get("cabinet@eastbrook.example")!.body).toContain(
      "Every councillor of Abbey Fields ward has declared",
    );
  });
});

describe("mail about a participatory budgeting round and the ward digest", () => {
  it("tells each winning project's group of its grant offer, with the round's and project's Welsh names", async () => {
    const fixture = createCountFixture(world.db, { ballots: 40, seed: 3 });
    world.db.update(pbRounds).set({ nameCy: "Rownd y Gymuned" }).where(eq(pbRounds.id, fixture.roundId)).run();
    for (const bidId of fixture.bidIds)
      world.db
        .update(bids)
        .set({ titleCy: `Prosiect ${bidId}` })
        .where(eq(bids.id, bidId))
        .run();
    const winnersGroup = world.db.select().from(bids).where(eq(bids.id, fixture.bidIds[0]!)).get()!.groupId;
    const groupName = world.db.select().from(communityGroups).where(eq(communityGroups.id, winnersGroup)).get()!.name;
    if (!GROUPS.includes(groupName)) {
      world.db
        .update(users)
        .set({ language: "cy" })
        .where(eq(users.id, groupLead(world.db, winnersGroup)))
        .run();
      world.db
        .insert(groupMembers)
        .values({ groupId: winnersGroup, userId: idOf(ENGLISH_MEMBER) })
        .run();
    }
    const admin = person("admin@eastbrook.example");
    const second = person("admin2@eastbrook.example");
    if (!second.roles.includes("admin")) world.db.insert(roleGrants).values({ userId: second.id, role: "admin" }).run();
    closeVoting(admin, fixture.roundId, "Pleidleisio ar ben", new Date(), world.db);
    countRound(admin, fixture.roundId, new Date(), world.db);
    const mails = mailOf(() =>
      ratifyCount(second, fixture.roundId, { noInterestDeclared: true }, new Date(), world.db),
    );
    expect(mails.length).toBeGreaterThan(0);
    const welshReaders = emailsOf(
      world.db
        .select()
        .from(groupMembers)
        .where(eq(groupMembers.groupId, winnersGroup))
        .all()
        .map((m) => m.userId),
    ).filter((email) => email !== ENGLISH_MEMBER);
    // One mail per winning project: each winner's mails, to the group's Welsh and English readers.
    const winners = new Set(mails.map((m) => m.subject.split(" ").at(-1)));
    for (const reference of winners) {
      const about = mails.filter((m) => m.subject.endsWith(` ${reference!}`));
      const byAddress = expectEachInTheirLanguage(about, /^Your project won: grant offer for /, {
        welsh: welshReaders,
        english: [ENGLISH_MEMBER],
      });
      const welsh = byAddress.get(welshReaders[0]!)!;
      expect(welsh.body).toMatch(/^Annwyl [^\n]+\n\nDewisodd y trigolion "Prosiect \d+" yn Rownd y Gymuned\./);
      expect(byAddress.get(ENGLISH_MEMBER)!.body).toContain(" was chosen by residents in ");
    }
  });

  it("writes each councillor's ward digest, as mailed and as kept, in their language", () => {
    const month = londonDateOf(new Date()).slice(0, 7);
    expect(financialYearOf(`${month}-01`)).toBe(THIS_FY);
    submittedBid(world.db, {
      group: ABBEY_GROUP,
      wards: ["Abbey Fields"],
      pence: 25_000,
      title: "Meinciau",
      fundId: template.thisFundId,
    });
    const mails = mailOf(() => sendWardDigests(month, new Date(), world.db));
    const welsh = mails.find((m) => m.toAddress === WELSH_COUNCILLOR)!;
    const english = mails.find((m) => m.toAddress === ENGLISH_COUNCILLOR)!;
    expectEachInTheirLanguage([welsh, english], /^Your ward digest for /, {
      welsh: [WELSH_COUNCILLOR],
      english: [ENGLISH_COUNCILLOR],
    });
    expect(welsh.subject).toMatch(/^Eich crynodeb ward ar gyfer \S+ \d{4}$/);
    expect(welsh.body).toContain("Ceisiadau a ddaeth i law\n- ");
    expect(welsh.body).toContain('"Meinciau" gan Abbey Fields Allotment Society, £250.00');
    expect(welsh.body).toContain(`- Cyllidebau Ward y Cynghorwyr ${THIS_FY}`);
    expect(welsh.body).toMatch(/\/councillor\/digest\?lng=cy\./);
    expect(english.body).toContain("Here is what happened in your ward budget in ");
    const kept = world.db
      .select()
      .from(wardDigests)
      .where(eq(wardDigests.councillorId, idOf(WELSH_COUNCILLOR)))
      .get()!;
    expect(kept.subject).toBe(welsh.subject);
    expect(kept.body).toMatch(/^Annwyl [^\n]+\n\nDyma beth ddigwyddodd yn eich cyllideb ward ym mis /);
  });
});
