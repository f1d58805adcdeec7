import type { LoaderFunctionArgs } from "@remix-run/node";
import { stringify } from "csv-stringify/sync";
import { isLanguage } from "~/i18n";
import { collectPersonalData, personalDataRows } from "~/models/personal-data.server";
import { requireUser } from "~/utils/auth.server";
import { requestLanguage, translatorFor } from "~/utils/i18n.server";

/** Subject access: everything held about the signed-in person, as CSV with headings in the reader's language. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const data = collectPersonalData(user.id);
  if (!data) throw new Response("Not found", { status: 404 });
  const language = await requestLanguage(request);
  const t = translatorFor(isLanguage(language) ? language : "en");
  const rows = personalDataRows(data).map((r) => [r.section, r.field, r.value]);
  // Cells that start with = + - @ are prefixed so a spreadsheet never runs them as formulas.
  const safe = rows.map((row) => row.map((cell) => (/^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell)));
  const csv = stringify([[t("rights:csv.section"), t("rights:csv.field"), t("rights:csv.value")], ...safe]);
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="wardfund-my-data.csv"',
      "Cache-Control": "no-store",
    },
  });
}
