import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { castFromForm, kioskFromRequest } from "~/models/events/kiosk.server";
import { assertSameOrigin } from "~/utils/origin.server";

/**
 * The kiosk page's script casts here and reads a JSON answer, so a dropped connection is told
 * apart from a refusal (the page then says the ballot was not cast). Only an enrolled kiosk's
 * signed cookie is accepted; the ballot must have been issued to that kiosk.
 */
export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const kiosk = kioskFromRequest(request);
  const noStore = { "Cache-Control": "no-store" };
  if (!kiosk)
    return json(
      { ok: false, alreadyCast: false, message: "kiosk:cast.notEnrolled", errors: {}, values: {} },
      { status: 401, headers: noStore },
    );
  const answer = await castFromForm(kiosk, await request.formData(), new URL(request.url).origin);
  return json(answer, { status: answer.ok ? 200 : answer.alreadyCast ? 409 : 422, headers: noStore });
}

export async function loader() {
  return new Response("Cast with POST.", { status: 405, headers: { Allow: "POST" } });
}
