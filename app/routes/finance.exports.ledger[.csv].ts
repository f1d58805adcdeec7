import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { z } from "zod";
import { openLedgerCsvExport } from "~/models/ledger-csv.server";
import { requireRole } from "~/utils/auth.server";
import { attachmentResponse } from "~/utils/downloads.server";
import { isRefusal } from "~/utils/refusal";
import { formDataOrNull, NOT_A_FORM } from "~/utils/request-form.server";

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
  const fields = await formDataOrNull(request);
  if (!fields) return json({ error: NOT_A_FORM }, { status: 400 });
  const parsed = schema.safeParse(Object.fromEntries(fields));
  if (!parsed.success) return json({ error: "The export options are not valid." }, { status: 400 });
  try {
    const file = openLedgerCsvExport(user, parsed.data.fy ? { fy: parsed.data.fy } : {}, {
      bom: parsed.data.bom === "yes",
    });
    return attachmentResponse(file.body, file);
  } catch (error) {
    if (isRefusal(error)) return json({ error: error.message }, { status: error.status });
    throw error;
  }
}
