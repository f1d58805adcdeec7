import type { Role } from "~/db/schema";

/** Where a person lands after signing in: the home of the most specific role they hold. */
export function homePathFor(roles: Role[], isGroupMember: boolean): string {
  if (roles.includes("admin")) return "/admin";
  if (roles.includes("finance")) return "/finance";
  if (roles.includes("councillor")) return "/councillor";
  if (isGroupMember) return "/groups";
  return "/account";
}
