import type { LoaderFunctionArgs } from "@remix-run/node";
import { collectPersonalData } from "~/models/personal-data.server";
import { requireUser } from "~/utils/auth.server";

/** Subject access: everything held about the signed-in person, as JSON. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const data = collectPersonalData(user.id);
  if (!data) throw new Response("Not found", { status: 404 });
  return new Response(JSON.stringify({ generatedAt: new Date().toISOString(), ...data }, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": 'attachment; filename="wardfund-my-data.json"',
      "Cache-Control": "no-store",
    },
  });
}
