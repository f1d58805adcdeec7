/** Every catalogue, bundled for the server and the browser (they are small). */
import cyCommon from "./cy/common.json";
import cyDelivery from "./cy/delivery.json";
import cyEvents from "./cy/events.json";
import cyForms from "./cy/forms.json";
import cyMail from "./cy/mail.json";
import cyPages from "./cy/pages.json";
import cyRights from "./cy/rights.json";
import cyRoutes from "./cy/routes.json";
import enCommon from "./en/common.json";
import enDelivery from "./en/delivery.json";
import enEvents from "./en/events.json";
import enForms from "./en/forms.json";
import enMail from "./en/mail.json";
import enPages from "./en/pages.json";
import enRights from "./en/rights.json";
import enRoutes from "./en/routes.json";

export const resources = {
  en: {
    common: enCommon,
    delivery: enDelivery,
    events: enEvents,
    forms: enForms,
    mail: enMail,
    pages: enPages,
    rights: enRights,
    routes: enRoutes,
  },
  cy: {
    common: cyCommon,
    delivery: cyDelivery,
    events: cyEvents,
    forms: cyForms,
    mail: cyMail,
    pages: cyPages,
    rights: cyRights,
    routes: cyRoutes,
  },
};
