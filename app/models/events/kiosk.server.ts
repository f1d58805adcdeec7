/**
 * A kiosk request: the enrolled device named by its signed cookie, its event and round, and the
 * cast of the ballot issued to it, answered the same way for the page's form and its script.
 */
import { formatPence } from "~/core/money";
import { rankingFromSelections } from "~/core/voting";
import { findRound, projectsOnBallot } from "~/models/rounds/queries.server";
import { formatReceipt } from "~/models/voting/receipts.server";
import { Refusal } from "~/utils/refusal";
import { castKioskBallot, kioskDevice } from "./events.server";
import { kioskTokenFromRequest } from "./kiosk-cookie.server";
import { receiptQrSvg } from "./qr.server";

export function kioskFromRequest(request: Request) {
  const token = kioskTokenFromRequest(request);
  if (!token) return null;
  const found = kioskDevice(token);
  if (!found) return null;
  const round = findRound(found.event.roundId);
  if (!round) return null;
  return { device: found.device, event: found.event, round };
}

export type Kiosk = NonNullable<ReturnType<typeof kioskFromRequest>>;

export function kioskBallot(roundId: number) {
  return projectsOnBallot(roundId).map((p) => ({
    bidId: p.bidId,
    position: p.ballotPosition,
    title: p.title,
    titleCy: p.titleCy,
    summary: p.summary,
    summaryCy: p.summaryCy,
    cost: formatPence(p.amountPence ?? 0),
  }));
}

export type KioskCastAnswer =
  | { ok: true; receipt: string; svg: string }
  | {
      ok: false;
      alreadyCast: boolean;
      message: string;
      errors: Record<string, string>;
      values: Record<string, string>;
    };

/** Casts the issued ballot from the posted form; refusals come back as answers, anything else throws. */
export async function castFromForm(kiosk: Kiosk, formData: FormData, origin: string): Promise<KioskCastAnswer> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData) if (typeof value === "string" && key.startsWith("rank-")) values[key] = value;
  const issueId = Number(formData.get("issueId"));
  if (!Number.isSafeInteger(issueId) || issueId <= 0)
    return { ok: false, alreadyCast: false, message: "kiosk:cast.notValid", errors: {}, values };
  const ballotIds = projectsOnBallot(kiosk.round.id).map((p) => p.bidId);
  const checked = rankingFromSelections(values, ballotIds, kiosk.round.maxRanked);
  if (!checked.ok) return { ok: false, alreadyCast: false, message: checked.formError, errors: checked.errors, values };
  try {
    const id = await castKioskBallot(kiosk.device, kiosk.round.id, issueId, checked.ranking);
    const receipt = formatReceipt(id);
    const checkUrl = `${origin}/rounds/${kiosk.round.id}/receipt?receipt=${encodeURIComponent(receipt)}`;
    return { ok: true, receipt, svg: await receiptQrSvg(checkUrl) };
  } catch (error) {
    if (error instanceof Refusal)
      return { ok: false, alreadyCast: error.code === "already-cast", message: error.message, errors: {}, values };
    throw error;
  }
}
