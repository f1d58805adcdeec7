/**
 * Equality monitoring: optional, anonymous, and reported only in aggregate. Any answer given by
 * fewer than 10 people is hidden, and so are as many others as it takes for no hidden number to be
 * worked out from the shown ones and the total (secondary suppression, app/core/results/suppression.ts).
 */
import { suppressTable } from "../results/suppression";

export const SMALL_GROUP_THRESHOLD = 10;
export const PREFER_NOT_TO_SAY = "Prefer not to say";
export const AGE_BAND_QUESTION = {
  key: "age-band",
  label: "Your age",
  options: ["16 to 17", "18 to 24", "25 to 34", "35 to 44", "45 to 54", "55 to 64", "65 to 74", "75 or over"],
};

export type ReportedCount = { answer: string; count: number | null; display: string };

/** How a hidden count is shown: the same whether it was small or hidden to protect a small one. */
export const HIDDEN_DISPLAY = "hidden";

/** Suppresses every count below the threshold. Small counts become null with display "fewer than 10". */
export function suppressSmallCounts(
  counts: readonly { answer: string; count: number }[],
  threshold = SMALL_GROUP_THRESHOLD,
): ReportedCount[] {
  return counts.map(({ answer, count }) =>
    count >= threshold
      ? { answer, count, display: String(count) }
      : { answer, count: null, display: `fewer than ${threshold}` },
  );
}

export interface EqualityQuestionView {
  key: string;
  label: string;
  options: string[];
}

export interface EqualityReportQuestion {
  key: string;
  label: string;
  /** Responses to this question in total, suppressed like the answers when small. */
  total: ReportedCount;
  answers: ReportedCount[];
}

/**
 * The report for one round: for each question, every option (plus "Prefer not to say") with its
 * count, small counts suppressed with secondary suppression. Answers that are no longer options are grouped as "Other".
 */
export function buildEqualityReport(
  questions: readonly EqualityQuestionView[],
  rows: readonly { questionKey: string; answer: string; count: number }[],
  threshold = SMALL_GROUP_THRESHOLD,
): EqualityReportQuestion[] {
  return questions.map((q) => {
    const options = [...q.options, PREFER_NOT_TO_SAY];
    const counts = new Map(options.map((o) => [o, 0]));
    let other = 0;
    for (const row of rows) {
      if (row.questionKey !== q.key) continue;
      if (counts.has(row.answer)) counts.set(row.answer, counts.get(row.answer)! + row.count);
      else other += row.count;
    }
    const list = options.map((answer) => ({ answer, count: counts.get(answer)! }));
    if (other > 0) list.push({ answer: "Other", count: other });
    const table = suppressTable(
      list.map((a) => a.count),
      threshold,
    );
    const reported = (answer: string, cell: (typeof table.cells)[number]): ReportedCount =>
      cell.hidden
        ? { answer, count: null, display: HIDDEN_DISPLAY }
        : { answer, count: cell.count, display: String(cell.count) };
    return {
      key: q.key,
      label: q.label,
      total: reported("All responses", table.total),
      answers: list.map((a, i) => reported(a.answer, table.cells[i]!)),
    };
  });
}

/** Checks an answer set from the form: every answer must be one of the question's options or blank. */
export function checkEqualityAnswers(
  questions: readonly EqualityQuestionView[],
  answers: Record<string, unknown>,
): { ok: true; answers: { questionKey: string; answer: string }[] } | { ok: false; errors: Record<string, string> } {
  const out: { questionKey: string; answer: string }[] = [];
  const errors: Record<string, string> = {};
  for (const q of questions) {
    const raw = answers[q.key];
    if (raw === undefined || raw === "") continue;
    if (typeof raw !== "string" || ![...q.options, PREFER_NOT_TO_SAY].includes(raw)) {
      errors[q.key] = "Choose one of the answers, or leave it blank";
      continue;
    }
    out.push({ questionKey: q.key, answer: raw });
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, answers: out };
}
