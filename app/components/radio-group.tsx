/**
 * A group of radio buttons in a fieldset with a legend, an optional hint and an error linked by
 * aria-describedby. The first radio carries `field-{name}` so the error summary can link to it.
 */
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useErrorText, type FormState } from "~/components/forms";

export function RadioGroup({
  name,
  legend,
  hint,
  state,
  options,
  defaultValue,
}: {
  name: string;
  legend: string;
  hint?: string;
  state?: FormState;
  options: { value: string; label: string; hint?: string; children?: ReactNode }[];
  defaultValue?: string;
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const error = state?.errors?.[name];
  const checked = state?.values?.[name] ?? defaultValue;
  const describedBy =
    [hint ? `field-${name}-hint` : null, error ? `field-${name}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <fieldset className={`field ${error ? "field-error" : ""}`} aria-describedby={describedBy}>
      <legend className="font-semibold">{legend}</legend>
      {hint ? (
        <p id={`field-${name}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`field-${name}-error`} className="error-message">
          <span className="sr-only">{t("forms:errorPrefix")} </span>
          {errorText(error)}
        </p>
      ) : null}
      {options.map((option, i) => {
        const id = i === 0 ? `field-${name}` : `field-${name}-${option.value}`;
        return (
          <div key={option.value} className="my-2">
            <input
              type="radio"
              id={id}
              name={name}
              value={option.value}
              defaultChecked={checked === option.value}
              aria-describedby={option.hint ? `${id}-hint` : undefined}
            />{" "}
            <label htmlFor={id}>{option.label}</label>
            {option.hint ? (
              <p id={`${id}-hint`} className="hint ml-6">
                {option.hint}
              </p>
            ) : null}
            {option.children ? <div className="ml-6">{option.children}</div> : null}
          </div>
        );
      })}
    </fieldset>
  );
}
