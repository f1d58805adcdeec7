import type { BidStep } from "~/core/bids";

/** The address of one step of the bid form. */
export const editUrl = (bidId: number, step: BidStep, extra = "") => `/bids/${bidId}/edit?step=${step}${extra}`;
