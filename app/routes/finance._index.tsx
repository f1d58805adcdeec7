import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getCouncilSettings, listWards } from "~/models/council.server";
import { requireRole } from "~/utils/auth.server";

export const meta: MetaFunction = () => [{ title: "Finance – Wardfund" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "finance");
  const council = getCouncilSettings();
  return json({ name: user.name, orgIdentifier: council?.orgIdentifier ?? "", wardCount: listWards().length });
}

export default function FinanceHome() {
  const data = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>Finance</h1>
      <p>Welcome, {data.name}.</p>
      <dl className="grid max-w-xl grid-cols-[14rem_1fr] gap-2">
        <dt className="font-semibold">360Giving organisation id</dt>
        <dd>{data.orgIdentifier}</dd>
        <dt className="font-semibold">Wards</dt>
        <dd>{data.wardCount}</dd>
      </dl>
    </div>
  );
}
