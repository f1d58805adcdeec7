import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet } from "@remix-run/react";
import { SectionNav } from "~/components/section-nav";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { requireRole } from "~/utils/auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  return null;
}

const SECTIONS = [
  { to: "/admin", label: "Overview", end: true },
  { to: "/admin/settings", label: "Council settings" },
  { to: "/admin/wards", label: "Wards" },
  { to: "/admin/users", label: "Users and roles" },
  { to: "/admin/groups", label: "Community groups" },
  { to: "/admin/delivery", label: "Progress updates to check" },
  { to: "/admin/rounds", label: "PB rounds" },
  { to: "/admin/postcodes", label: "Postcodes" },
  { to: "/admin/outbox", label: "Outbox" },
  { to: "/admin/audit", label: "Audit trail" },
  { to: "/admin/pages", label: "Published pages" },
];

export default function AdminLayout() {
  return (
    <div className="grid gap-8 md:grid-cols-[12rem_1fr]">
      <SectionNav label="Administration" sections={SECTIONS} className="[&_ul]:flex-col [&_ul]:gap-2" />
      <div>
        <Outlet />
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
