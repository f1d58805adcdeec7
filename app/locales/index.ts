/** Every catalogue, bundled for the server and the browser (they are small). */
import cyAccount from "./cy/account.json";
import cyBids from "./cy/bids.json";
import cyAdmin from "./cy/admin.json";
import cyCommon from "./cy/common.json";
import cyDelivery from "./cy/delivery.json";
import cyEvents from "./cy/events.json";
import cyFinance from "./cy/finance.json";
import cyForms from "./cy/forms.json";
import cyFunds from "./cy/funds.json";
import cyKiosk from "./cy/kiosk.json";
import cyMail from "./cy/mail.json";
import cyPages from "./cy/pages.json";
import cyPayments from "./cy/payments.json";
import cyProjects from "./cy/projects.json";
import cyPublic from "./cy/public.json";
import cyRights from "./cy/rights.json";
import cyRounds from "./cy/rounds.json";
import cyRoutes from "./cy/routes.json";
import cyVoting from "./cy/voting.json";
import enAccount from "./en/account.json";
import enBids from "./en/bids.json";
import enAdmin from "./en/admin.json";
import enCommon from "./en/common.json";
import enDelivery from "./en/delivery.json";
import enEvents from "./en/events.json";
import enFinance from "./en/finance.json";
import enForms from "./en/forms.json";
import enFunds from "./en/funds.json";
import enKiosk from "./en/kiosk.json";
import enMail from "./en/mail.json";
import enPages from "./en/pages.json";
import enPayments from "./en/payments.json";
import enProjects from "./en/projects.json";
import enPublic from "./en/public.json";
import enRights from "./en/rights.json";
import enRounds from "./en/rounds.json";
import enRoutes from "./en/routes.json";
import enVoting from "./en/voting.json";

export const resources = {
  en: {
    account: enAccount,
    bids: enBids,
    admin: enAdmin,
    common: enCommon,
    delivery: enDelivery,
    events: enEvents,
    finance: enFinance,
    forms: enForms,
    funds: enFunds,
    kiosk: enKiosk,
    mail: enMail,
    pages: enPages,
    payments: enPayments,
    projects: enProjects,
    public: enPublic,
    rights: enRights,
    rounds: enRounds,
    routes: enRoutes,
    voting: enVoting,
  },
  cy: {
    account: cyAccount,
    bids: cyBids,
    admin: cyAdmin,
    common: cyCommon,
    delivery: cyDelivery,
    events: cyEvents,
    finance: cyFinance,
    forms: cyForms,
    funds: cyFunds,
    kiosk: cyKiosk,
    mail: cyMail,
    pages: cyPages,
    payments: cyPayments,
    projects: cyProjects,
    public: cyPublic,
    rights: cyRights,
    rounds: cyRounds,
    routes: cyRoutes,
    voting: cyVoting,
  },
};
