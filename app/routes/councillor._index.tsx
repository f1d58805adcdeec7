import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listWards } from "~/models/council.server";
import { requireRole } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Ward budgets – Wardfund" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "councillor");
  const wards = listWards()
    .filter((w) => user.councillorWardIds.includes(w.id))
    .map((w) => ({ id: w.id, name: w.name, gssCode: w.gssCode, population: w.population, colleagues: w.councillors.filter((c) => c.id !== user.id).map((c) => c.name) }));
  return json({ name: user.name, wards });
}

export default function CouncillorHome() {
  const data = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>Ward budgets</h1>
      <p>
        Welcome, {data.name}. You are a councillor for {data.wards.length === 1 ? "one ward" : `${data.wards.length} wards`}.
      </p>
      {data.wards.map((w) => (
        <section key={w.id} className="panel" aria-labelledby={`ward-${w.id}`}>
          <h2 id={`ward-${w.id}`} className="mt-0">
            {w.name}
          </h2>
          <p className="muted">
            {w.gssCode} · population {w.population.toLocaleString("en-GB")}
            {w.colleagues.length ? ` · with ${w.colleagues.join(" and ")}` : ""}
          </p>
          <p>No ward budget has been set for this financial year yet.</p>
        </section>
      ))}
    </div>
  );
}
