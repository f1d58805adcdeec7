/** Every catalogue, bundled for the server and the browser (they are small). */
import cyCommon from "./cy/common.json";
import cyForms from "./cy/forms.json";
import cyPages from "./cy/pages.json";
import cyRights from "./cy/rights.json";
import cyRoutes from "./cy/routes.json";
import enCommon from "./en/common.json";
import enForms from "./en/forms.json";
import enPages from "./en/pages.json";
import enRights from "./en/rights.json";
import enRoutes from "./en/routes.json";

export const resources = {
  en: { common: enCommon, forms: enForms, pages: enPages, rights: enRights, routes: enRoutes },
  cy: { common: cyCommon, forms: cyForms, pages: cyPages, rights: cyRights, routes: cyRoutes },
};
