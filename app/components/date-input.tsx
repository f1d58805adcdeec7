/**
 * The GOV.UK date input: day, month and year boxes in a fieldset whose legend names the date, a
 * hint, and one error message on the fieldset (the boxes at fault are highlighted). Works without
 * JavaScript; the form posts `<name>-day`, `<name>-month` and `<name>-year` (see forms/date-input).
 */
import { useTranslation } from "react-i18next";
import { useErrorText, type FormState } from "~/components/forms";
import { datePartsOf, readDateParts, type DatePart } from "~/core/time/date-parts";

const BOXES: { part: DatePart; width: string; autoComplete: string }[] = [
  { part: "day", width: "w-14", autoComplete: "bday-day" },
  { part: "month", width: "w-14", autoComplete: "bday-month" },
  { part: "year", width: "w-20", autoComplete: "bday-year" },
];

export function DateInput({
  name,
  legend,
  hint,
  defaultValue,
  state,
  birthday = false,
}: {
  name: string;
  legend: string;
  hint?: string;
  /** A stored date, YYYY-MM-DD. */
  defaultValue?: string | null;
  state?: FormState;
  /** Lets browsers fill the boxes from the person's date of birth. */
  birthday?: boolean;
}) {
  const { t } = useTranslation("forms");
  const errorText = useErrorText();
  const id = `field-${name}`;
  const error = state?.errors?.[name];
  const stored = datePartsOf(defaultValue);
  const posted = state?.values;
  const valueOf = (part: DatePart) => posted?.[`${name}-${part}`] ?? (posted ? "" : stored[part]);
  // The boxes to highlight: the ones the message is about (missing or unreadable), else all three.
  const highlighted = new Set<DatePart>();
  if (error && posted) {
    const check = readDateParts({ day: valueOf("day"), month: valueOf("month"), year: valueOf("year") }, { label: "" });
    for (const part of check.ok ? (["day", "month", "year"] as const) : check.parts) highlighted.add(part);
  }
  const describedBy = [`${id}-hint`, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className={`field ${error ? "field-error" : ""}`}>
      <fieldset role="group" aria-describedby={describedBy} className="date-input">
        <legend className="block font-semibold">{legend}</legend>
        <p id={`${id}-hint`} className="hint">
          {hint ?? t("dateInput.hint")}
        </p>
        {error ? (
          <p id={`${id}-error`} className="error-message">
            <span className="sr-only">{t("errorPrefix")} </span>
            {errorText(error)}
          </p>
        ) : null}
        <div className="flex gap-4">
          {BOXES.map((box, index) => {
            const boxId = index === 0 ? id : `${id}-${box.part}`;
            return (
              <div key={box.part}>
                <label htmlFor={boxId} className="block">
                  {t(`dateInput.${box.part}`)}
                </label>
                <input
                  id={boxId}
                  name={`${name}-${box.part}`}
                  className={`input ${box.width}`}
                  inputMode="numeric"
                  spellCheck={false}
                  autoComplete={birthday ? box.autoComplete : "off"}
                  defaultValue={valueOf(box.part)}
                  {...(highlighted.has(box.part) ? { "aria-invalid": true as const } : {})}
                />
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}
