/** Every catalogue, bundled for the server and the browser (they are small). */
import cyBids from "./cy/bids.json";
import cyCommon from "./cy/common.json";
import cyDelivery from "./cy/delivery.json";
import cyFinance from "./cy/finance.json";
import cyForms from "./cy/forms.json";
import cyMail from "./cy/mail.json";
import cyPages from "./cy/pages.json";
import cyRights from "./cy/rights.json";
import cyRoutes from "./cy/routes.json";
import enBids from "./en/bids.json";
import enCommon from "./en/common.json";
import enDelivery from "./en/delivery.json";
import enFinance from "./en/finance.json";
import enForms from "./en/forms.json";
import enMail from "./en/mail.json";
import enPages from "./en/pages.json";
import enRights from "./en/rights.json";
import enRoutes from "./en/routes.json";

export const resources = {
  en: {
    bids: enBids,
    common: enCommon,
    delivery: enDelivery,
    finance: enFinance,
    forms: enForms,
    mail: enMail,
    pages: enPages,
    rights: enRights,
    routes: enRoutes,
  },
  cy: {
    bids: cyBids,
    common: cyCommon,
    delivery: cyDelivery,
    finance: cyFinance,
    forms: cyForms,
    mail: cyMail,
    pages: cyPages,
    rights: cyRights,
    routes: cyRoutes,
  },
};
