import { SectionNav } from "~/components/section-nav";

const SECTIONS = [
  { to: "/finance", label: "Balances", end: true },
  { to: "/finance/ledger", label: "Ledger" },
  { to: "/finance/payments", label: "Payments and clawbacks" },
  { to: "/finance/exports", label: "Exports" },
  { to: "/finance/spending", label: "Publish spending" },
  { to: "/finance/years", label: "Financial years" },
];

export function FinanceNav() {
  return <SectionNav label="Finance" sections={SECTIONS} className="mb-6 border-b border-gray-300 pb-2" />;
}
