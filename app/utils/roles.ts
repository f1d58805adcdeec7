import type { Role } from "~/db/schema";

export const ROLE_LABELS: Record<Role, string> = {
  resident: "Resident",
  councillor: "Councillor",
  finance: "Finance officer",
  admin: "Administrator",
};

export const roleLabel = (role: Role) => ROLE_LABELS[role];

export const ROLE_OPTIONS = (Object.keys(ROLE_LABELS) as Role[]).map((value) => ({ value, label: ROLE_LABELS[value] }));

/**
 * Every role a person holds, as their account page lists it, most specific first: the granted
 * roles (a councillor with their wards), the designated decision-maker's office, group membership
 * with the groups, and last "Resident".
 */
export function describeRoles(facts: {
  roles: Role[];
  councillorWards: string[];
  groupNames: string[];
  decisionMakerOffice: string | null;
}): string[] {
  const described: string[] = [];
  if (facts.roles.includes("admin")) described.push(ROLE_LABELS.admin);
  if (facts.roles.includes("finance")) described.push(ROLE_LABELS.finance);
  if (facts.roles.includes("councillor"))
    described.push(
      facts.councillorWards.length > 0 ? `Councillor for ${facts.councillorWards.join(", ")}` : ROLE_LABELS.councillor,
    );
  if (facts.decisionMakerOffice) described.push(`Designated decision-maker (${facts.decisionMakerOffice})`);
  if (facts.groupNames.length > 0) described.push(`Group member (${facts.groupNames.join(", ")})`);
  if (facts.roles.includes("resident")) described.push(ROLE_LABELS.resident);
  return described;
}
