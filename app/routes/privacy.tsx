import type { LoaderFunctionArgs } from "@remix-run/node";
import { PublicPageView, publicPageMeta } from "~/components/public-page";
import { publicPageLoader } from "~/utils/public-page-route.server";

export const meta = publicPageMeta;

export function loader(args: LoaderFunctionArgs) {
  return publicPageLoader(args, "privacy");
}

export default PublicPageView;
