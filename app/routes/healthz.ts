/**
 * GET /healthz for a load balancer or monitor: no sign-in and no personal data. 200 when the
 * database answers, accepts a write and has every migration applied; 503 otherwise.
 */
import { json } from "@remix-run/node";
import { checkHealth } from "~/models/health.server";

export async function loader() {
  const { ok, ...health } = checkHealth();
  return json(
    { status: ok ? "ok" : "unavailable", ...health },
    { status: ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
