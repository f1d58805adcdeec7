import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listWards } from "~/models/council.server";
import { requireRole } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Wards – Wardfund" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return json({ wards: listWards() });
}

export default function Wards() {
  const { wards } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>Wards</h1>
      <p>
        <Link to="/admin/wards/new" className="button">
          Add a ward
        </Link>
      </p>
      <table>
        <caption className="sr-only">Wards</caption>
        <thead>
          <tr>
            <th scope="col">Ward</th>
            <th scope="col">GSS code</th>
            <th scope="col" className="text-right">
              Population
            </th>
            <th scope="col">Councillors</th>
            <th scope="col" className="text-right">
              Postcodes
            </th>
          </tr>
        </thead>
        <tbody>
          {wards.map((w) => (
            <tr key={w.id}>
              <td>
                <Link to={`/admin/wards/${w.id}`}>{w.name}</Link>
              </td>
              <td>{w.gssCode}</td>
              <td className="text-right">{w.population.toLocaleString("en-GB")}</td>
              <td>{w.councillors.map((c) => c.name).join(", ") || "None"}</td>
              <td className="text-right">{w.postcodeCount.toLocaleString("en-GB")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
