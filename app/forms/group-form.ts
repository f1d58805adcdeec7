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
    name: z.string().trim().min(2, "forms:group.nameRequired").max(120, "forms:group.nameTooLong"),
    organisationType: z.enum(ORGANISATION_TYPES, { errorMap: () => ({ message: "forms:group.chooseType" }) }),
    charityNumber: z
      .string()
      .transform(optional)
      .transform((v, ctx) => {
        if (v === null) return null;
        const parsed = normaliseCharityNumber(v);
        if (!parsed) ctx.addIssue({ code: "custom", message: "forms:group.charityFormat" });
        return parsed?.number ?? null;
      }),
    companyNumber: z
      .string()
      .transform(optional)
      .transform((v, ctx) => {
        if (v === null) return null;
        const parsed = normaliseCompanyNumber(v);
        if (!parsed) ctx.addIssue({ code: "custom", message: "forms:group.companyFormat" });
        return parsed;
      }),
    address: z.string().trim().min(5, "forms:group.addressRequired").max(300),
    postcode: z.string().transform((v, ctx) => {
      const pc = normalisePostcode(v);
      if (!pc) ctx.addIssue({ code: "custom", message: "forms:group.postcodeFormat" });
      return pc ?? "";
    }),
    contactEmail: emailField("forms:group.emailRequired"),
    contactPhone: z
      .string()
      .transform(optional)
      .refine((v) => v === null || /^[0-9 +()-]{10,20}$/.test(v), "forms:group.phoneFormat"),
  })
  .superRefine((v, ctx) => {
    const needsCharity = v.organisationType === "registered-charity" || v.organisationType === "cio";
    if (needsCharity && !v.charityNumber)
      ctx.addIssue({
        code: "custom",
        path: ["charityNumber"],
        message: "forms:group.charityNeeded",
      });
    const needsCompany = v.organisationType === "cic" || v.organisationType === "company-limited-by-guarantee";
    if (needsCompany && !v.companyNumber)
      ctx.addIssue({
        code: "custom",
        path: ["companyNumber"],
        message: "forms:group.companyNeeded",
      });
  });

/** The catalogue keys of the form's field labels (forms:group.*). */
export const GROUP_FIELD_LABEL_KEYS = {
  name: "forms:group.name",
  organisationType: "forms:group.organisationType",
  charityNumber: "forms:group.charityNumber",
  companyNumber: "forms:group.companyNumber",
  address: "forms:group.address",
  postcode: "forms:group.postcode",
  contactEmail: "forms:group.contactEmail",
  contactPhone: "forms:group.contactPhone",
};

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
