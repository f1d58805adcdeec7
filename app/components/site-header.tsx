import { Form, NavLink } from "@remix-run/react";
import type { Role } from "~/db/schema";

export interface HeaderUser {
  name: string;
  roles: Role[];
  isGroupMember: boolean;
  /** Holds the designated decision-maker's office (decides bids referred from conflicted wards). */
  isDecisionMaker?: boolean;
}

export function navigationFor(user: HeaderUser | null): { to: string; label: string }[] {
  const items = [
    { to: "/", label: "Home" },
    { to: "/wards", label: "Wards" },
    { to: "/rounds", label: "Have your say" },
  ];
  if (!user) return items;
  if (user.isGroupMember) items.push({ to: "/groups", label: "My groups" });
  if (user.isDecisionMaker) items.push({ to: "/decisions", label: "Referred bids" });
  if (user.roles.includes("councillor")) items.push({ to: "/councillor", label: "Ward budgets" });
  if (user.roles.includes("finance")) items.push({ to: "/finance", label: "Finance" });
  if (user.roles.includes("finance") || user.roles.includes("admin")) items.push({ to: "/funds", label: "Funds" });
  if (user.roles.includes("admin")) items.push({ to: "/admin", label: "Administration" });
  items.push({ to: "/account", label: "My account" });
  return items;
}

export function SiteHeader({ councilName, user }: { councilName: string; user: HeaderUser | null }) {
  return (
    <header className="site-header">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-4 px-4 py-3">
        <a href="/" className="text-xl font-bold no-underline">
          Wardfund <span className="font-normal">· {councilName}</span>
        </a>
        <nav aria-label="Main">
          <ul className="flex flex-wrap items-center gap-4">
            {navigationFor(user).map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.to === "/"} className="nav-link">
                  {item.label}
                </NavLink>
              </li>
            ))}
            {user ? (
              <li>
                <Form method="post" action="/logout">
                  <button type="submit" className="underline">
                    Sign out<span className="sr-only"> {user.name}</span>
                  </button>
                </Form>
              </li>
            ) : (
              <>
                <li>
                  <NavLink to="/login" className="nav-link">
                    Sign in
                  </NavLink>
                </li>
                <li>
                  <NavLink to="/register" className="nav-link">
                    Register
                  </NavLink>
                </li>
              </>
            )}
          </ul>
        </nav>
      </div>
    </header>
  );
}
