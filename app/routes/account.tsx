import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listGroupsOf } from "~/models/groups.server";
import { listWards, wardForPostcode } from "~/models/council.server";
import { requireUser } from "~/utils/auth.server";
import { roleLabel } from "~/utils/roles";

export const meta: MetaFunction = () => [{ title: "My account – Wardfund" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const ward = user.postcode ? wardForPostcode(user.postcode) : undefined;
  const wards = listWards();
  return json({
    user: { name: user.name, email: user.email, postcode: user.postcode },
    ward: ward ?? null,
    roles: user.roles.map(roleLabel),
    councillorWards: wards.filter((w) => user.councillorWardIds.includes(w.id)).map((w) => w.name),
    groups: listGroupsOf(user.id),
  });
}

export default function Account() {
  const data = useLoaderData<typeof loader>();
  return (
    <div>
      <h1>My account</h1>
      <dl className="grid max-w-2xl grid-cols-[12rem_1fr] gap-2">
        <dt className="font-semibold">Name</dt>
        <dd>{data.user.name}</dd>
        <dt className="font-semibold">Email</dt>
        <dd>{data.user.email}</dd>
        <dt className="font-semibold">Postcode</dt>
        <dd>{data.user.postcode ?? "Not given"}</dd>
        <dt className="font-semibold">Ward</dt>
        <dd>{data.ward ? `${data.ward.name} (${data.ward.gssCode})` : "Unknown: your postcode is not in this council's area"}</dd>
        <dt className="font-semibold">Roles</dt>
        <dd>
          {data.roles.join(", ")}
          {data.councillorWards.length ? ` (councillor for ${data.councillorWards.join(", ")})` : ""}
        </dd>
      </dl>
      <h2>My community groups</h2>
      {data.groups.length ? (
        <ul className="list-disc pl-6">
          {data.groups.map((g) => (
            <li key={g.id}>{g.name}</li>
          ))}
        </ul>
      ) : (
        <p>You are not a member of any community group.</p>
      )}
    </div>
  );
}
