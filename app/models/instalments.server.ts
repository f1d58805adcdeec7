/**
 * Queries on a grant offer's instalments shared by the offer, tranche and monitoring models (kept
 * apart from offers.server so that tranches.server, which offers.server calls, need not import it).
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "~/db/client.server";
import { grantInstalments, grantOffers, grantTranches } from "~/db/schema";

/**
 * Instalments of a bid's offer that still wait to be paid: unpaid, and not in a year whose part of
 * the grant was cancelled or withdrawn (nothing will ever pay those).
 */
export function waitingInstalments(tx: Db, bidId: number): { id: number; seq: number; fy: string }[] {
  return tx
    .select({ id: grantInstalments.id, seq: grantInstalments.seq, fy: grantInstalments.fy })
    .from(grantInstalments)
    .innerJoin(grantOffers, eq(grantOffers.id, grantInstalments.offerId))
    .where(
      and(
        eq(grantOffers.bidId, bidId),
        isNull(grantInstalments.paidAt),
        sql`not exists (select 1 from ${grantTranches} t where t.offer_id = ${grantOffers.id} and t.fy =
          ${grantInstalments.fy} and t.status in ('cancelled', 'decommitted'))`,
      ),
    )
    .all();
}
