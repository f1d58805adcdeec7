import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getCouncilSettings, listWards } from "~/models/council.server";
import { getAuth } from "~/utils/auth.server";
import { isDesignatedDecisionMaker } from "~/models/decisions.server";
import { homePathFor } from "~/utils/home";

export const meta: MetaFunction = () => [{ title: "Wardfund" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, headers } = await getAuth(request);
  const council = getCouncilSettings();
  const wards = listWards().map((w) => ({
    id: w.id,
    name: w.name,
    gssCode: w.gssCode,
    councillors: w.councillors.map((c) => c.name),
  }));
  return json(
    {
      councilName: council?.name ?? "Your council",
      wards,
      home: user ? homePathFor(user.roles, user.groupIds.length > 0, isDesignatedDecisionMaker(user.id)) : null,
      userName: user?.name ?? null,
    },
    { headers },
  );
}

export default function Index() {
  const data = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>{data.councilName}: community grants in the open</h1>
      <p className="max-w-3xl text-lg">
        Councillors have ward budgets to support local groups, and residents decide together how participatory budgeting
        pots are spent. Every decision and every pound is published here.
      </p>
      {data.home ? (
        <p className="notice">
          Signed in as {data.userName}. <Link to={data.home}>Go to your home page</Link>.
        </p>
      ) : (
        <p className="notice">
          <Link to="/login">Sign in</Link> or <Link to="/register">create an account</Link> to vote or to bid for your
          group.
        </p>
      )}
      <h2>Wards</h2>
      <table>
        <caption className="sr-only">Wards and their councillors</caption>
        <thead>
          <tr>
            <th scope="col">Ward</th>
            <th scope="col">GSS code</th>
            <th scope="col">Councillors</th>
          </tr>
        </thead>
        <tbody>
          {data.wards.map((w) => (
            <tr key={w.id}>
              <td>
                <Link to={`/wards/${w.gssCode}`}>{w.name}</Link>
              </td>
              <td>{w.gssCode}</td>
              <td>{w.councillors.join(", ") || "None"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
