import type { Role } from "~/db/schema";

export const ROLE_LABELS: Record<Role, string> = {
  resident: "Resident",
  councillor: "Councillor",
  finance: "Finance officer",
  admin: "Administrator",
};

export const roleLabel = (role: Role) => ROLE_LABELS[role];

export const ROLE_OPTIONS = (Object.keys(ROLE_LABELS) as Role[]).map((value) => ({ value, label: ROLE_LABELS[value] }));
