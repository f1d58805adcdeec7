import { NavLink } from "@remix-run/react";

export interface Section {
  to: string;
  label: string;
  end?: boolean;
}

/** The sub-navigation of an area (administration, finance): a labelled list of links. */
export function SectionNav({
  label,
  sections,
  className,
}: {
  label: string;
  sections: readonly Section[];
  className?: string;
}) {
  return (
    <nav aria-label={label} className={className}>
      <ul className="flex flex-wrap gap-4">
        {sections.map((s) => (
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
