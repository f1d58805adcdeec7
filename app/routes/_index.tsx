import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Trans, useTranslation } from "react-i18next";
import { LocalisedText } from "~/components/localised-text";
import { getCouncilSettings, listWards } from "~/models/council.server";
import { getAuth } from "~/utils/auth.server";
import { isDesignatedDecisionMaker } from "~/models/decisions.server";
import { homePathFor } from "~/utils/home";
import { translatorFor, languageOfMatches } from "~/utils/translate";

export const meta: MetaFunction = ({ matches }) => [{ title: translatorFor(languageOfMatches(matches))("appName") }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, headers } = await getAuth(request);
  const council = getCouncilSettings();
  const wards = listWards().map((w) => ({
    id: w.id,
    name: { en: w.name, cy: w.nameCy },
    gssCode: w.gssCode,
    councillors: w.councillors.map((c) => c.name),
  }));
  return json(
    {
      councilName: council?.name ?? "Wardfund",
      wards,
      home: user ? homePathFor(user.roles, user.groupIds.length > 0, isDesignatedDecisionMaker(user.id)) : null,
      userName: user?.name ?? null,
    },
    { headers },
  );
}

export default function Index() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("routes");
  return (
    <div>
      <h1>{t("home.heading", { council: data.councilName })}</h1>
      <p className="max-w-3xl text-lg">{t("home.intro")}</p>
      {data.home ? (
        <p className="notice">
          <Trans
            t={t}
            i18nKey="home.signedIn"
            values={{ name: data.userName }}
            components={{ home: <Link to={data.home} /> }}
          />
        </p>
      ) : (
        <p className="notice">
          <Trans
            t={t}
            i18nKey="home.signInPrompt"
            components={{ signIn: <Link to="/login" />, register: <Link to="/register" /> }}
          />
        </p>
      )}
      <h2>{t("home.wards")}</h2>
      <table>
        <caption className="sr-only">{t("home.wardsCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("home.ward")}</th>
            <th scope="col">{t("home.gssCode")}</th>
            <th scope="col">{t("home.councillors")}</th>
          </tr>
        </thead>
        <tbody>
          {data.wards.map((w) => (
            <tr key={w.id}>
              <td>
                <Link to={`/wards/${w.gssCode}`}>
                  <LocalisedText value={w.name} />
                </Link>
              </td>
              <td>{w.gssCode}</td>
              <td>{w.councillors.join(", ") || t("common:none")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
