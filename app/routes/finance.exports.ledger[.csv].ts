import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable, json, redirect } from "@remix-run/node";
import { z } from "zod";
import { writeTransaction } from "~/db/client.server";
import { recordAudit } from "~/models/audit.server";
import { checkLedgerCsvFilters, LedgerCsvFilterError, ledgerCsvFileName, streamLedgerCsv } from "~/models/ledger-csv.server";
import { writeCheckpoint } from "~/models/ledger.server";
import { requireRole } from "~/utils/auth.server";

const schema = z.object({
  fy: z.string().optional(),
  bom: z.enum(["yes", "no"]).default("no"),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "finance");
  return redirect("/finance/exports");
}

/** The full ledger as CSV (one row per posting), streamed; the export is checkpointed and audited. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "finance");
  const parsed = schema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return json({ error: "The export options are not valid." }, { status: 400 });
  let filters;
  try {
    filters = checkLedgerCsvFilters(parsed.data.fy ? { fy: parsed.data.fy } : {});
  } catch (error) {
    if (error instanceof LedgerCsvFilterError) return json({ error: error.message }, { status: 400 });
    throw error;
  }
  writeTransaction((tx) => {
    const checkpoint = writeCheckpoint(tx, "export: ledger CSV", user);
    recordAudit(tx, { actor: user, action: "export.ledger-csv", entityType: "export", entityId: "ledger-csv", after: { filters, head: checkpoint } });
  });
  const body = createReadableStreamFromReadable(streamLedgerCsv(filters, { bom: parsed.data.bom === "yes" }));
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${ledgerCsvFileName(filters)}"`,
      "Cache-Control": "no-store",
    },
  });
}
