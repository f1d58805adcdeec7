import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/utils/auth.server";
import { requestTranslator } from "~/utils/i18n.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Wardfund` }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const { t } = await requestTranslator(request);
  return json({ title: t("rights:data.title") });
}

export default function YourData() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <div className="max-w-2xl">
      <h1>{data.title}</h1>
      <p>{t("rights:data.intro")}</p>
      <ul className="list-disc pl-6">
        <li>{t("rights:data.itemAccount")}</li>
        <li>{t("rights:data.itemParticipation")}</li>
        <li>{t("rights:data.itemGroups")}</li>
        <li>{t("rights:data.itemAudit")}</li>
      </ul>
      <p>{t("rights:data.noBallots")}</p>
      <ul className="list-none pl-0">
        <li>
          <a href="/account/data.json" download>
            {t("rights:data.downloadJson")}
          </a>
        </li>
        <li>
          <a href="/account/data.csv" download>
            {t("rights:data.downloadCsv")}
          </a>
        </li>
      </ul>
      <p className="mt-8">
        <a href="/account">{t("rights:backToAccount")}</a>
      </p>
    </div>
  );
}
