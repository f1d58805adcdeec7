/**
 * The monthly ward digest's text: what happened in a councillor's wards in one month. Pure: the
 * model gathers the facts, this lays them out as a plain-text email (also shown in the app).
 */
import { formatDate, formatMoney, monthName } from "../locale-format";

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

/** "November 2026" / "Tachwedd 2026". */
export function monthLabel(month: string, language = "en"): string {
  const [year, m] = month.split("-");
  return `${monthName(Number(m), language)} ${year}`;
}

/** "YYYY-MM" of the month before `month`. */
export function previousMonth(month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

export function isMonth(value: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

/** A catalogue lookup fixed to the reader's language (i18next's `t`). */
export type DigestTranslate = (key: string, values?: Record<string, string | number>) => string;

const OUTCOME_KEYS: Record<string, string> = {
  approve: "approve",
  "part-approve": "partApprove",
  reject: "reject",
  "request-changes": "requestChanges",
};

/**
 * The digest in the reader's language: `t` writes from the mail catalogue, money and dates follow
 * `language`, and council content (ward, round and fund names) is given in that language already.
 * The body starts with its greeting (the stored copy shown in the app keeps it).
 */
export function renderDigest(
  facts: DigestFacts,
  t: DigestTranslate,
  language: string,
): { subject: string; greeting: string; text: string; body: string } {
  const label = monthLabel(facts.month, language);
  const money = (pence: number) => formatMoney(pence, language);
  const date = (value: string) => formatDate(value, language);
  const section = (title: string, lines: string[], empty: string) => [
    t(`mail:digest.${title}`),
    ...(lines.length ? lines.map((l) => `- ${l}`) : [`- ${t(`mail:digest.${empty}`)}`]),
    "",
  ];
  const lines = [
    t("mail:digest.intro", { count: facts.wards.length, month: label }),
    "",
    ...section(
      "wards",
      facts.wards.map((w) =>
        t("mail:digest.wardLine", {
          ward: w.name,
          set: money(w.setPence),
          committed: money(w.committedPence),
          paid: money(w.paidPence),
          available: money(w.availablePence),
        }),
      ),
      "noWards",
    ),
    ...section(
      "received",
      facts.received.map((b) =>
        t("mail:digest.receivedLine", {
          reference: b.reference,
          title: b.title,
          group: b.groupName,
          amount: b.amountPence ? `, ${money(b.amountPence)}` : "",
        }),
      ),
      "none",
    ),
    ...section(
      "decisions",
      facts.decisions.map((d) =>
        t("mail:digest.decisionLine", {
          reference: d.reference,
          title: d.title,
          outcome: OUTCOME_KEYS[d.outcome] ? t(`mail:digest.outcome.${OUTCOME_KEYS[d.outcome]}`) : d.outcome,
          decider: d.deciderName,
          amount: d.amountPence ? ` (${money(d.amountPence)})` : "",
        }),
      ),
      "none",
    ),
    ...section(
      "payments",
      facts.payments.map((p) =>
        t("mail:digest.paymentLine", { date: date(p.date), amount: money(p.pence), title: p.title }),
      ),
      "none",
    ),
    ...section(
      "monitoringDue",
      facts.monitoringDue.map((m) =>
        t("mail:digest.monitoringLine", { reference: m.reference, title: m.title, date: date(m.dueOn) }),
      ),
      "noneOutstanding",
    ),
    ...section(
      "rounds",
      facts.roundsOpen.map((r) =>
        t(r.phase === "voting" ? "mail:digest.roundVoting" : "mail:digest.roundAccepting", { name: r.name }),
      ),
      "none",
    ),
    ...section(
      "funds",
      facts.fundsOpen.map((f) =>
        f.closesOn
          ? t("mail:digest.fundLineCloses", { name: f.name, date: date(f.closesOn) })
          : t("mail:digest.fundLine", { name: f.name }),
      ),
      "none",
    ),
    t("mail:digest.footer"),
  ];
  const greeting = t("mail:greeting", { name: facts.councillorName });
  const text = lines.join("\n");
  return { subject: t("mail:digest.subject", { month: label }), greeting, text, body: `${greeting}\n\n${text}` };
}
