import type { Role } from "~/db/schema";

/**
 * Where a person lands after signing in: the home of the most specific role they hold, as the
 * README's table of demo sign-ins lists them. The designated decision-maker (who decides bids every
 * ward councillor is conflicted on) lands on the bids referred to them.
 */
export function homePathFor(roles: Role[], isGroupMember: boolean, isDecisionMaker = false): string {
  if (roles.includes("admin")) return "/admin";
  if (roles.includes("finance")) return "/finance";
  if (isDecisionMaker) return "/decisions";
  if (roles.includes("councillor")) return "/councillor";
  if (isGroupMember) return "/groups";
  return "/account";
}
