import { NavLink } from "@remix-run/react";

const SECTIONS = [
  { to: "/finance", label: "Balances", end: true },
  { to: "/finance/ledger", label: "Ledger" },
  { to: "/finance/payments", label: "Payments and clawbacks" },
  { to: "/finance/exports", label: "Exports" },
  { to: "/finance/years", label: "Financial years" },
];

export function FinanceNav() {
  return (
    <nav aria-label="Finance" className="mb-6">
      <ul className="flex flex-wrap gap-4 border-b border-gray-300 pb-2">
        {SECTIONS.map((s) => (
          <li key={s.to}>
            <NavLink to={s.to} end={s.end} className="nav-link">
              {s.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
