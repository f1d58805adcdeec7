import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requestTranslator } from "~/utils/i18n.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Wardfund` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { t } = await requestTranslator(request);
  return json({ title: t("rights:closed.title") });
}

export default function AccountClosed() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="max-w-2xl">
      <h1>{data.title}</h1>
      <p>{t("rights:closed.body")}</p>
    </div>
  );
}
