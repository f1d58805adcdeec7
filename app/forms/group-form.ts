/** The community-group form's schema, shared by registration and editing. */
import { z } from "zod";
import { normaliseCharityNumber, normaliseCompanyNumber } from "~/core/groups/identifiers";
import { normalisePostcode } from "~/core/places/postcode";
import { ORGANISATION_TYPES, type OrganisationType } from "~/db/schema";
import { emailField } from "~/utils/account-fields";

/** Client-safe: the form shows these names. */
export const ORGANISATION_TYPE_LABELS: Record<OrganisationType, string> = {
  "registered-charity": "Registered charity",
  cio: "Charitable incorporated organisation (CIO)",
  cic: "Community interest company (CIC)",
  "constituted-group": "Constituted community group",
  "school-pta": "School or PTA",
  "faith-group": "Faith group",
  "company-limited-by-guarantee": "Company limited by guarantee",
};

const optional = (v: string) => (v.trim() === "" ? null : v.trim());

export const groupSchema = z
  .object({
    name: z.string().trim().min(2, "Enter the group's name").max(120, "Name must be 120 characters or fewer"),
    organisationType: z.enum(ORGANISATION_TYPES, { errorMap: () => ({ message: "Choose the kind of organisation" }) }),
    charityNumber: z
      .string()
      .transform(optional)
      .transform((v, ctx) => {
        if (v === null) return null;
        const parsed = normaliseCharityNumber(v);
        if (!parsed)
          ctx.addIssue({ code: "custom", message: "Enter a charity number like 1123456, SC012345 or NIC100002" });
        return parsed?.number ?? null;
      }),
    companyNumber: z
      .string()
      .transform(optional)
      .transform((v, ctx) => {
        if (v === null) return null;
        const parsed = normaliseCompanyNumber(v);
        if (!parsed)
          ctx.addIssue({ code: "custom", message: "Enter a Companies House number like 01234567 or SC123456" });
        return parsed;
      }),
    address: z.string().trim().min(5, "Enter the group's address").max(300),
    postcode: z.string().transform((v, ctx) => {
      const pc = normalisePostcode(v);
      if (!pc) ctx.addIssue({ code: "custom", message: "Enter a real UK postcode, like AB1 2CD" });
      return pc ?? "";
    }),
    contactEmail: emailField("Enter an email address for the group"),
    contactPhone: z
      .string()
      .transform(optional)
      .refine((v) => v === null || /^[0-9 +()-]{10,20}$/.test(v), "Enter a phone number like 01632 960123"),
  })
  .superRefine((v, ctx) => {
    const needsCharity = v.organisationType === "registered-charity" || v.organisationType === "cio";
    if (needsCharity && !v.charityNumber)
      ctx.addIssue({
        code: "custom",
        path: ["charityNumber"],
        message: "A registered charity or CIO must give its charity number",
      });
    const needsCompany = v.organisationType === "cic" || v.organisationType === "company-limited-by-guarantee";
    if (needsCompany && !v.companyNumber)
      ctx.addIssue({
        code: "custom",
        path: ["companyNumber"],
        message: "A company must give its Companies House number",
      });
  });

export const GROUP_FIELD_LABELS = {
  name: "Group name",
  organisationType: "Kind of organisation",
  charityNumber: "Charity number",
  companyNumber: "Company number",
  address: "Address",
  postcode: "Postcode",
  contactEmail: "Contact email",
  contactPhone: "Contact phone",
};
