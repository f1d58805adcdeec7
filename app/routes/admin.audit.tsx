import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { listAuditEvents } from "~/models/audit.server";
import { requireRole } from "~/utils/auth.server";
import { AuditTable } from "~/components/audit-table";

export const meta: MetaFunction = () => [{ title: "Audit trail – Wardfund" }];

const PAGE_SIZE = 50;
const query = z.object({
  entityType: z.string().trim().max(40).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin", "finance");
  const url = new URL(request.url);
  const { entityType, page } = query.parse(Object.fromEntries(url.searchParams));
  const events = listAuditEvents({
    entityType: entityType || undefined,
    limit: PAGE_SIZE + 1,
    offset: (page - 1) * PAGE_SIZE,
  });
  return json({
    events: events.slice(0, PAGE_SIZE),
    hasMore: events.length > PAGE_SIZE,
    page,
    entityType: entityType ?? "",
  });
}

export default function AuditTrail() {
  const data = useLoaderData<typeof loader>();
  const next = new URLSearchParams({
    page: String(data.page + 1),
    ...(data.entityType ? { entityType: data.entityType } : {}),
  });
  const previous = new URLSearchParams({
    page: String(data.page - 1),
    ...(data.entityType ? { entityType: data.entityType } : {}),
  });
  return (
    <div>
      <h1>Audit trail</h1>
      <p>Every change is recorded here with who made it and when. Records cannot be edited or removed.</p>
      <Form method="get" className="mb-4 flex items-end gap-4">
        <div>
          <label htmlFor="entityType" className="block font-semibold">
            Record type
          </label>
          <select id="entityType" name="entityType" defaultValue={data.entityType} className="input">
            <option value="">All</option>
            {["user", "ward", "council", "postcodes", "group"].map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button-secondary">
          Filter
        </button>
      </Form>
      <AuditTable events={data.events} />
      <nav aria-label="Pages" className="mt-4 flex gap-4">
        {data.page > 1 ? <Link to={`?${previous}`}>Newer</Link> : null}
        {data.hasMore ? <Link to={`?${next}`}>Older</Link> : null}
      </nav>
    </div>
  );
}
