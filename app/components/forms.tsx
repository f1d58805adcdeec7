/**
 * Form building blocks with the accessibility wiring done once: every input has a visible label,
 * an optional hint, and an error that is linked by aria-describedby and announced; the error
 * summary at the top of a form lists every problem as a link to its field and takes focus.
 */
import {
  useEffect,
  useRef,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from "react";
import { useTranslation } from "react-i18next";
import { renderMessage } from "~/core/messages/message-key";

/**
 * A field error is either text or a catalogue key ("forms:zod.required"); keys are translated here,
 * so schemas shared by server and browser can name their messages without knowing the language.
 */
export function useErrorText(): (message: string) => string {
  const { t, i18n } = useTranslation();
  return (message) => renderMessage(message, i18n.language, t);
}

export interface FormState {
  errors?: Record<string, string>;
  values?: Record<string, string>;
  formError?: string;
}

export function ErrorSummary({ state, labels }: { state: FormState | undefined; labels?: Record<string, string> }) {
  const ref = useRef<HTMLDivElement>(null);
  const { t } = useTranslation();
  const errorText = useErrorText();
  const errors = state?.errors ?? {};
  const entries = Object.entries(errors);
  const hasProblems = entries.length > 0 || Boolean(state?.formError);
  useEffect(() => {
    if (hasProblems) ref.current?.focus();
  }, [hasProblems, state]);
  if (!hasProblems) return null;
  return (
    <div ref={ref} tabIndex={-1} role="alert" aria-labelledby="error-summary-title" className="error-summary">
      <h2 id="error-summary-title" className="text-lg font-bold">
        {t("forms:problem")}
      </h2>
      {state?.formError ? <p>{errorText(state.formError)}</p> : null}
      {entries.length > 0 ? (
        <ul className="list-disc pl-6">
          {entries.map(([field, message]) => (
            <li key={field}>
              <a href={`#field-${field}`} className="underline">
                {labels?.[field] ? `${labels[field]}: ` : ""}
                {errorText(message)}
              </a>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

interface FieldFrameProps {
  name: string;
  /** Defaults to `field-{name}`, which the error summary links to; set it when one page repeats a form. */
  id?: string;
  label: ReactNode;
  hint?: string;
  error?: string;
  children: (aria: { id: string; "aria-describedby"?: string; "aria-invalid"?: true }) => ReactNode;
}

function FieldFrame({ name, id = `field-${name}`, label, hint, error, children }: FieldFrameProps) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={`field ${error ? "field-error" : ""}`}>
      <label htmlFor={id} className="block font-semibold">
        {label}
      </label>
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="error-message">
          <span className="sr-only">{t("forms:errorPrefix")} </span>
          {errorText(error)}
        </p>
      ) : null}
      {children({ id, "aria-describedby": describedBy, ...(error ? { "aria-invalid": true as const } : {}) })}
    </div>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "id"> & {
  name: string;
  id?: string;
  label: ReactNode;
  hint?: string;
  state?: FormState;
};

export function TextField({ name, id, label, hint, state, defaultValue, ...rest }: InputProps) {
  const error = state?.errors?.[name];
  return (
    <FieldFrame name={name} id={id} label={label} hint={hint} error={error}>
      {(aria) => (
        <input
          {...aria}
          {...rest}
          name={name}
          defaultValue={rest.type === "password" ? undefined : (state?.values?.[name] ?? defaultValue)}
          className="input"
        />
      )}
    </FieldFrame>
  );
}

type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "name" | "id"> & {
  name: string;
  label: ReactNode;
  hint?: string;
  state?: FormState;
};

export function TextAreaField({ name, label, hint, state, defaultValue, ...rest }: TextAreaProps) {
  const error = state?.errors?.[name];
  return (
    <FieldFrame name={name} label={label} hint={hint} error={error}>
      {(aria) => (
        <textarea
          {...aria}
          {...rest}
          name={name}
          defaultValue={state?.values?.[name] ?? defaultValue}
          className="input"
        />
      )}
    </FieldFrame>
  );
}

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, "name" | "id"> & {
  name: string;
  id?: string;
  label: ReactNode;
  hint?: string;
  state?: FormState;
  /** `lang` marks an option whose text is in another language than the page (council content). */
  options: { value: string; label: string; lang?: string }[];
};

export function SelectField({ name, id, label, hint, state, options, defaultValue, ...rest }: SelectProps) {
  const error = state?.errors?.[name];
  return (
    <FieldFrame name={name} id={id} label={label} hint={hint} error={error}>
      {(aria) => (
        <select {...aria} {...rest} name={name} defaultValue={state?.values?.[name] ?? defaultValue} className="input">
          {options.map((o) => (
            <option key={o.value} value={o.value} lang={o.lang}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}

export function CheckboxGroup({
  name,
  legend,
  hint,
  state,
  options,
  defaultChecked = [],
}: {
  name: string;
  legend: string;
  hint?: string;
  state?: FormState;
  options: { value: string; label: string }[];
  defaultChecked?: string[];
}) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const error = state?.errors?.[name];
  const submitted = state?.values?.[name];
  const checked = submitted !== undefined ? submitted.split(",") : defaultChecked;
  const id = `field-${name}`;
  return (
    <fieldset className={`field ${error ? "field-error" : ""}`} aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="font-semibold">{legend}</legend>
      {hint ? <p className="hint">{hint}</p> : null}
      {error ? (
        <p id={`${id}-error`} className="error-message">
          <span className="sr-only">{t("forms:errorPrefix")} </span>
          {errorText(error)}
        </p>
      ) : null}
      <div id={id} tabIndex={-1}>
        {options.map((o, i) => (
          <div key={o.value} className="flex items-center gap-2 py-1">
            <input
              type="checkbox"
              id={`${id}-${i}`}
              name={name}
              value={o.value}
              defaultChecked={checked.includes(o.value)}
              className="h-5 w-5"
            />
            <label htmlFor={`${id}-${i}`}>{o.label}</label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

export function SubmitButton({
  children,
  name,
  value,
  secondary,
}: {
  children: ReactNode;
  name?: string;
  value?: string;
  secondary?: boolean;
}) {
  return (
    <button type="submit" name={name} value={value} className={secondary ? "button button-secondary" : "button"}>
      {children}
    </button>
  );
}
