/** Every catalogue, bundled for the server and the browser (they are small). */
import cyAdmin from "./cy/admin.json";
import cyCommon from "./cy/common.json";
import cyDelivery from "./cy/delivery.json";
import cyForms from "./cy/forms.json";
import cyMail from "./cy/mail.json";
import cyPages from "./cy/pages.json";
import cyRights from "./cy/rights.json";
import cyRoutes from "./cy/routes.json";
import enAdmin from "./en/admin.json";
import enCommon from "./en/common.json";
import enDelivery from "./en/delivery.json";
import enForms from "./en/forms.json";
import enMail from "./en/mail.json";
import enPages from "./en/pages.json";
import enRights from "./en/rights.json";
import enRoutes from "./en/routes.json";

export const resources = {
  en: {
    admin: enAdmin,
    common: enCommon,
    delivery: enDelivery,
    forms: enForms,
    mail: enMail,
    pages: enPages,
    rights: enRights,
    routes: enRoutes,
  },
  cy: {
    admin: cyAdmin,
    common: cyCommon,
    delivery: cyDelivery,
    forms: cyForms,
    mail: cyMail,
    pages: cyPages,
    rights: cyRights,
    routes: cyRoutes,
  },
};
