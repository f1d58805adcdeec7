import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Markdown } from "~/components/markdown";
import type { publicPageLoader } from "~/utils/public-page-route.server";

type Loader = typeof publicPageLoader;

export const publicPageMeta: MetaFunction = ({ data }) => [
  { title: `${(data as { title?: string } | undefined)?.title ?? ""} – Wardfund` },
];

export function PublicPageView() {
  const data = useLoaderData<Loader>();
  return <Markdown tree={data.tree} />;
}
