import fs from "node:fs";
import { PassThrough } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable, json, redirect } from "@remix-run/node";
import tar from "tar-stream";
import { z } from "zod";
import { auditPackFiles, exportAuditPackToTempDir } from "~/models/audit-pack.server";
import { requireRole } from "~/utils/auth.server";
import { formDataOrNull, NOT_A_FORM } from "~/utils/request-form.server";

const schema = z.object({
  reason: z.string().trim().min(1).max(200).default("Audit pack download"),
  bom: z.enum(["yes", "no"]).default("no"),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "finance");
  return redirect("/finance/exports");
}

/**
 * The audit pack as a tar archive: the pack is written to a temporary folder (one read
 * transaction, checkpointed and audited), then streamed file by file and the folder removed.
 */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "finance");
  const fields = await formDataOrNull(request);
  if (!fields) return json({ error: NOT_A_FORM }, { status: 400 });
  const parsed = schema.safeParse(Object.fromEntries(fields));
  if (!parsed.success) return json({ error: "The export options are not valid." }, { status: 400 });
  const pack = exportAuditPackToTempDir({ actor: user, reason: parsed.data.reason, bom: parsed.data.bom === "yes" });
  const archive = tar.pack();
  const out = new PassThrough();
  // Remove the temporary pack however the download ends: finished, failed, or the client gone.
  let cleaned = false;
  const cleanup = () => {
    if (cleaned) return;
    cleaned = true;
    pack.cleanup();
  };
  archive.once("end", cleanup);
  archive.once("error", cleanup);
  out.once("close", cleanup);
  void (async () => {
    try {
      for (const file of auditPackFiles(pack.dir)) {
        const size = fs.statSync(file.path).size;
        const entry = archive.entry({ name: `${pack.packName}/${file.name}`, size, mode: 0o644 });
        await pipeline(fs.createReadStream(file.path), entry);
      }
      archive.finalize();
    } catch (error) {
      archive.destroy(error as Error);
    }
  })();
  archive.pipe(out);
  return new Response(createReadableStreamFromReadable(out), {
    headers: {
      "Content-Type": "application/x-tar",
      "Content-Disposition": `attachment; filename="${pack.packName}.tar"`,
      "Cache-Control": "no-store",
    },
  });
}
