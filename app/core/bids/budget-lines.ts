/**
 * A bid's budget lines must add up to the amount it asks for, to the penny. Amounts are integer
 * pence; the check names the difference in a sentence a group can act on.
 */
import { messageKey } from "../messages/message-key";
import { formatPence, type Pence } from "../money";

export interface BudgetLine {
  description: string;
  amountPence: Pence;
}

export type BudgetLineCheck = { ok: true; totalPence: Pence } | { ok: false; totalPence: Pence; message: string };

export function totalOfLines(lines: readonly BudgetLine[]): Pence {
  let total = 0;
  for (const line of lines) {
    if (!Number.isSafeInteger(line.amountPence) || line.amountPence <= 0)
      throw new RangeError("Budget line amounts must be whole, positive pence.");
    total += line.amountPence;
  }
  if (!Number.isSafeInteger(total)) throw new RangeError("Budget lines total is too large.");
  return total as Pence;
}

export function checkBudgetLines(amountPence: Pence, lines: readonly BudgetLine[]): BudgetLineCheck {
  if (lines.length === 0) return { ok: false, totalPence: 0 as Pence, message: "bids:issue.linesMissing" };
  const totalPence = totalOfLines(lines);
  if (totalPence === amountPence) return { ok: true, totalPence };
  const gap = amountPence - totalPence;
  const values = {
    total: formatPence(totalPence),
    gap: formatPence(Math.abs(gap) as Pence),
    amount: formatPence(amountPence),
  };
  const message = messageKey(gap > 0 ? "bids:issue.linesShort" : "bids:issue.linesOver", values);
  return { ok: false, totalPence, message };
}
