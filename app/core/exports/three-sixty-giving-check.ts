/**
 * A structural check of a 360Giving JSON package against the rules of the standard's schema that
 * decide validity: the package has a `grants` array; each grant has `id`, `title`, `description`,
 * `currency`, `amountAwarded`, `awardDate` and `fundingOrganization`, and exactly one of
 * `recipientOrganization` and `recipientIndividual`; organisations have `id` and `name`; amounts are
 * numbers; dates are `YYYY-MM-DD` or full date-times; grant ids are unique. It is not the Data
 * Quality Tool: it catches a broken file before anyone uploads it.
 */

const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const DATE_TIME =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isText = (value: unknown): value is string => typeof value === "string" && value.trim() !== "";
const isDateOrDateTime = (value: unknown) => typeof value === "string" && (DATE.test(value) || DATE_TIME.test(value));

function checkOrganisations(value: unknown, where: string, problems: string[]): void {
  if (!Array.isArray(value) || value.length === 0) {
    problems.push(`${where} must be a non-empty array`);
    return;
  }
  value.forEach((org, i) => {
    if (!isObject(org)) return void problems.push(`${where}[${i}] must be an object`);
    if (!isText(org.id)) problems.push(`${where}[${i}].id is required`);
    if (!isText(org.name)) problems.push(`${where}[${i}].name is required`);
  });
}

/** Problems with one grant, each naming the grant and the field. */
export function checkThreeSixtyGivingGrant(grant: unknown, index = 0): string[] {
  const problems: string[] = [];
  if (!isObject(grant)) return [`grants[${index}] must be an object`];
  const where = `grants[${index}]${isText(grant.id) ? ` (${grant.id})` : ""}`;
  for (const key of ["id", "title", "description"] as const)
    if (!isText(grant[key])) problems.push(`${where}.${key} is required`);
  if (grant.currency !== "GBP") problems.push(`${where}.currency must be an ISO 4217 code (GBP)`);
  for (const key of ["amountAwarded", "amountAppliedFor", "amountDisbursed"] as const) {
    const required = key === "amountAwarded";
    if (grant[key] === undefined && !required) continue;
    if (typeof grant[key] !== "number" || !Number.isFinite(grant[key]))
      problems.push(`${where}.${key} must be a number`);
  }
  if (!isDateOrDateTime(grant.awardDate)) problems.push(`${where}.awardDate must be YYYY-MM-DD or a date-time`);
  if (
    grant.dateModified !== undefined &&
    !(typeof grant.dateModified === "string" && DATE_TIME.test(grant.dateModified))
  ) {
    problems.push(`${where}.dateModified must be a full date-time`);
  }
  checkOrganisations(grant.fundingOrganization, `${where}.fundingOrganization`, problems);
  const hasOrg = grant.recipientOrganization !== undefined;
  const hasInd = grant.recipientIndividual !== undefined;
  if (hasOrg === hasInd)
    problems.push(`${where} must have exactly one of recipientOrganization and recipientIndividual`);
  if (hasOrg) checkOrganisations(grant.recipientOrganization, `${where}.recipientOrganization`, problems);
  if (hasInd) {
    const ind = grant.recipientIndividual;
    if (!isObject(ind) || !isText(ind.id) || !isText(ind.name))
      problems.push(`${where}.recipientIndividual needs id and name`);
  }
  if (grant.plannedDates !== undefined) {
    if (!Array.isArray(grant.plannedDates)) problems.push(`${where}.plannedDates must be an array`);
    else
      grant.plannedDates.forEach((d, i) => {
        for (const key of ["startDate", "endDate"]) {
          const value = isObject(d) ? d[key] : undefined;
          if (value !== undefined && !isDateOrDateTime(value))
            problems.push(`${where}.plannedDates[${i}].${key} must be a date`);
        }
      });
  }
  if (grant.fromOpenCall !== undefined && grant.fromOpenCall !== "Yes" && grant.fromOpenCall !== "No")
    problems.push(`${where}.fromOpenCall must be Yes or No`);
  return problems;
}

/** Problems with a whole package; an empty list means it passed. */
export function checkThreeSixtyGivingPackage(pkg: unknown): string[] {
  if (!isObject(pkg)) return ["the package must be a JSON object"];
  if (!Array.isArray(pkg.grants)) return ["the package must have a grants array"];
  const problems = pkg.grants.flatMap((grant, i) => checkThreeSixtyGivingGrant(grant, i));
  const seen = new Set<string>();
  for (const grant of pkg.grants) {
    if (!isObject(grant) || typeof grant.id !== "string") continue;
    if (seen.has(grant.id)) problems.push(`grant id ${grant.id} appears more than once`);
    seen.add(grant.id);
  }
  return problems;
}
