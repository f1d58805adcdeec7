import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { listAuditEvents } from "~/models/audit.server";
import { requireRole } from "~/utils/auth.server";
import { AuditTable } from "~/components/audit-table";
import { titleMeta } from "~/utils/translate";

export const meta = titleMeta("routes:audit.title");

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
  const { t } = useTranslation("routes");
  return (
    <div>
      <h1>{t("audit.title")}</h1>
      <p>{t("audit.intro")}</p>
      <Form method="get" className="mb-4 flex items-end gap-4">
        <div>
          <label htmlFor="entityType" className="block font-semibold">
            {t("audit.recordType")}
          </label>
          <select id="entityType" name="entityType" defaultValue={data.entityType} className="input">
            <option value="">{t("audit.all")}</option>
            {["user", "ward", "council", "postcodes", "group", "public-page"].map((type) => (
              <option key={type} value={type} translate="no">
                {type}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="button button-secondary">
          {t("audit.filter")}
        </button>
      </Form>
      <AuditTable events={data.events} />
      <nav aria-label={t("audit.pages")} className="mt-4 flex gap-4">
        {data.page > 1 ? <Link to={`?${previous}`}>{t("audit.newer")}</Link> : null}
        {data.hasMore ? <Link to={`?${next}`}>{t("audit.older")}</Link> : null}
      </nav>
    </div>
  );
}
