import { NavLink } from "@remix-run/react";
import { useTranslation } from "react-i18next";

export interface Section {
  to: string;
  label: string;
  end?: boolean;
}

/**
 * The sub-navigation of an area (administration, finance): a labelled list of links. Labels come from
 * the common catalogue's `sections` (by path); a section not yet catalogued shows the label it was given.
 */
export function SectionNav({
  label,
  sections,
  className,
}: {
  label: string;
  sections: readonly Section[];
  className?: string;
}) {
  const { t } = useTranslation();
  return (
    <nav aria-label={t(`sections.label.${label}`, { defaultValue: label })} className={className}>
      <ul className="flex flex-wrap gap-4">
        {sections.map((s) => (
          <li key={s.to}>
            <NavLink to={s.to} end={s.end} className="nav-link">
              {t(`sections.${s.to}`, { defaultValue: s.label })}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
