/**
 * Transparency Code register of grants to VCSE organisations: awards net of withdrawals.
 *
 * A download is a deliberate act: it is a POST (so it passes the origin check), it writes a ledger
 * checkpoint and an audit event, and only finance officers may make it. A GET goes back to the
 * exports page.
 */
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { openExport, parseExportForm } from "~/models/exports.server";
import { requireRole } from "~/utils/auth.server";
import { attachmentResponse } from "~/utils/downloads.server";
import { requestLanguage } from "~/utils/i18n.server";
import { answeringRefusals } from "~/utils/refusal.server";
import { formDataOrNull, NOT_A_FORM } from "~/utils/request-form.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "finance");
  return redirect("/finance/exports");
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "finance");
  const fields = await formDataOrNull(request);
  if (!fields) return json({ error: NOT_A_FORM }, { status: 400 });
  const form = parseExportForm("vcse-grants", fields);
  if (!form.ok) return json(form, { status: 400 });
  const language = await requestLanguage(request);
  return answeringRefusals({}, () => {
    // Wardfund's own column headings follow the reader's language; the standard's names do not change.
    const file = openExport(user, "vcse-grants", { ...form.data, language });
    const checkpoint = `${file.checkpoint.seq} ${file.checkpoint.hash}`;
    return attachmentResponse(file.body, { ...file, headers: { "X-Ledger-Checkpoint": checkpoint } });
  });
}
