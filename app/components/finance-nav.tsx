import { useTranslation } from "react-i18next";
import { SectionNav } from "~/components/section-nav";

const SECTIONS = [
  { to: "/finance", key: "balances", end: true },
  { to: "/finance/ledger", key: "ledger" },
  { to: "/finance/payments", key: "payments" },
  { to: "/finance/exports", key: "exports" },
  { to: "/finance/spending", key: "spending" },
  { to: "/finance/years", key: "years" },
] as const;

export function FinanceNav() {
  const { t } = useTranslation("finance");
  const sections = SECTIONS.map(({ key, ...section }) => ({ ...section, label: t(`nav.${key}`) }));
  return <SectionNav label={t("nav.label")} sections={sections} className="mb-6 border-b border-gray-300 pb-2" />;
}
