/**
 * The monthly ward digest's text: what happened in a councillor's wards in one month. Pure: the
 * model gathers the facts, this lays them out as a plain-text email (also shown in the app).
 */
import { formatPence } from "../money/format";
import { MONTHS } from "../time/format";

export interface DigestFacts {
  councillorName: string;
  month: string;
  wards: { name: string; setPence: number; committedPence: number; paidPence: number; availablePence: number }[];
  received: { reference: string; title: string; groupName: string; amountPence: number | null }[];
  decisions: { reference: string; title: string; outcome: string; amountPence: number | null; deciderName: string }[];
  payments: { title: string; pence: number; date: string }[];
  monitoringDue: { reference: string; title: string; dueOn: string }[];
  roundsOpen: { name: string; phase: string }[];
  fundsOpen: { name: string; closesOn: string | null }[];
}

export function monthLabel(month: string): string {
  const [year, m] = month.split("-");
  return `${MONTHS[Number(m) - 1] ?? m} ${year}`;
}

/** "YYYY-MM" of the month before `month`. */
export function previousMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

export function isMonth(value: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

const OUTCOMES: Record<string, string> = {
  approve: "approved",
  "part-approve": "approved in part",
  reject: "rejected",
  "request-changes": "sent back for changes",
};

export function renderDigest(facts: DigestFacts): { subject: string; body: string } {
  const label = monthLabel(facts.month);
  const section = (title: string, lines: string[], empty: string) => [
    `${title}`,
    ...(lines.length ? lines.map((l) => `- ${l}`) : [`- ${empty}`]),
    "",
  ];
  const body = [
    `Dear ${facts.councillorName},`,
    "",
    `Here is what happened in your ward budget${facts.wards.length > 1 ? "s" : ""} in ${label}.`,
    "",
    ...section(
      "Ward budgets",
      facts.wards.map(
        (w) =>
          `${w.name}: ${formatPence(w.setPence)} set, ${formatPence(w.committedPence)} committed, ` +
          `${formatPence(w.paidPence)} paid, ${formatPence(w.availablePence)} available`,
      ),
      "No ward budget set this year.",
    ),
    ...section(
      "Bids received",
      facts.received.map(
        (b) =>
          `${b.reference} "${b.title}" from ${b.groupName}${b.amountPence ? `, ${formatPence(b.amountPence)}` : ""}`,
      ),
      "None.",
    ),
    ...section(
      "Decisions",
      facts.decisions.map(
        (d) =>
          `${d.reference} "${d.title}" ${OUTCOMES[d.outcome] ?? d.outcome} by ${d.deciderName}${d.amountPence ? ` (${formatPence(d.amountPence)})` : ""}`,
      ),
      "None.",
    ),
    ...section(
      "Payments",
      facts.payments.map((p) => `${p.date}: ${formatPence(p.pence)} for "${p.title}"`),
      "None.",
    ),
    ...section(
      "Monitoring reports due",
      facts.monitoringDue.map((m) => `${m.reference} "${m.title}", due ${m.dueOn}`),
      "None outstanding.",
    ),
    ...section(
      "Participatory budgeting rounds open",
      facts.roundsOpen.map((r) => `${r.name} (${r.phase === "voting" ? "voting open" : "accepting bids"})`),
      "None.",
    ),
    ...section(
      "Funds open for bids",
      facts.fundsOpen.map((f) => `${f.name}${f.closesOn ? `, closes ${f.closesOn}` : ""}`),
      "None.",
    ),
    "Read this digest and earlier ones at /councillor/digest. You can turn these emails off on your account page.",
  ].join("\n");
  return { subject: `Your ward digest for ${label}`, body };
}
