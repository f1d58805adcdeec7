import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { openIssue, waitForIssue } from "~/models/events/events.server";
import { kioskFromRequest } from "~/models/events/kiosk.server";

/**
 * A waiting kiosk's long poll: answers as soon as a ballot is issued to it, or after 25 seconds,
 * with whether one is waiting. Only an enrolled kiosk's signed cookie is accepted.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const kiosk = kioskFromRequest(request);
  const noStore = { "Cache-Control": "no-store" };
  if (!kiosk) return json({ issued: false, enrolled: false }, { status: 401, headers: noStore });
  if (!openIssue(kiosk.device.id)) await waitForIssue(kiosk.device.id, 25_000);
  return json({ issued: openIssue(kiosk.device.id) !== null, enrolled: true }, { headers: noStore });
}
