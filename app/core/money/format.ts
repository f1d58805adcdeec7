/**
 * Formats integer pence for people ("£1,500.50") and for files ("1500.50").
 *
 * Both work on the integer directly (pounds = pence ÷ 100 by integer division, pence = remainder),
 * so no binary float is ever rounded: `Number#toFixed` would turn 1.005 into "1.00". The display
 * form matches `Intl.NumberFormat('en-GB', {style: 'currency', currency: 'GBP'})` for every safe
 * integer, including "-£5.00" for negatives. The file form has no "£" and no commas, 2 decimal
 * places and a leading "-" when negative (the CSV convention for all exports).
 */
import { assertPence, type Pence } from "./pence";

function splitPoundsAndPence(pence: Pence): { negative: boolean; pounds: string; penceDigits: string } {
  assertPence(pence);
  const magnitude = Math.abs(pence);
  const pounds = Math.trunc(magnitude / 100);
  const remainder = magnitude - pounds * 100;
  return { negative: pence < 0, pounds: String(pounds), penceDigits: String(remainder).padStart(2, "0") };
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** `formatPence(150050)` → `"£1,500.50"`; `formatPence(-5)` → `"-£0.05"`. For display only. */
export function formatPence(pence: Pence): string {
  const { negative, pounds, penceDigits } = splitPoundsAndPence(pence);
  return `${negative ? "-" : ""}£${groupThousands(pounds)}.${penceDigits}`;
}

/** `formatPenceAsDecimal(150050)` → `"1500.50"`; `(-150050)` → `"-1500.50"`. For CSV and exports. */
export function formatPenceAsDecimal(pence: Pence): string {
  const { negative, pounds, penceDigits } = splitPoundsAndPence(pence);
  return `${negative ? "-" : ""}${pounds}.${penceDigits}`;
}
