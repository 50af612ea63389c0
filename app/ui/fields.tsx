/** GOV.UK form field markup for simple server-validated forms. */
import type { InputHTMLAttributes, ReactNode } from "react";
import { type DateParts, datePartsAtFault } from "../domain/dates";

export function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={`${id}-error`} className="govuk-error-message">
      <span className="govuk-visually-hidden">Error:</span> {message}
    </p>
  );
}

export function Hint({ id, text }: { id: string; text?: ReactNode }) {
  if (!text) return null;
  return (
    <div id={`${id}-hint`} className="govuk-hint">
      {text}
    </div>
  );
}

/** The aria-describedby of a field with an optional hint and error. */
export const describedBy = (id: string, hint?: unknown, error?: unknown) =>
  [hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined;

/** A text input; `inputPrefix` (like "£") shows before it, as GOV.UK's prefixed input. */
export function TextInput({
  id,
  name,
  label,
  hint,
  error,
  inputPrefix,
  className = "",
  ...rest
}: { id: string; name: string; label: ReactNode; hint?: ReactNode; error?: string; inputPrefix?: string } & InputHTMLAttributes<HTMLInputElement>) {
  const input = (
    <input
      id={id}
      name={name}
      className={`govuk-input${error ? " govuk-input--error" : ""} ${className}`.trim()}
      aria-describedby={describedBy(id, hint, error)}
      {...rest}
    />
  );
  return (
    <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <label className="govuk-label" htmlFor={id}>
        {label}
      </label>
      <Hint id={id} text={hint} />
      <FieldError id={id} message={error} />
      {inputPrefix ? (
        <div className="govuk-input__wrapper">
          <div className="govuk-input__prefix" aria-hidden="true">
            {inputPrefix}
          </div>
          {input}
        </div>
      ) : (
        input
      )}
    </div>
  );
}

/**
 * GOV.UK's date input: day, month and year fields named `ID-day`, `ID-month`, `ID-year` (read them
 * with dateField, check them with parseDateParts). `legend` may be visually hidden for a date that
 * sits inside a question that already names it.
 */
export function DateInput({ id, legend, hint, value, error, legendClass = "govuk-fieldset__legend--s" }: { id: string; legend: ReactNode; hint?: string; value: DateParts; error?: string; legendClass?: string }) {
  // GOV.UK marks only the fields at fault (a missing month), or all three when the date breaks a rule.
  const atFault = error ? datePartsAtFault(value) : [];
  const marked = (name: keyof DateParts) => Boolean(error) && (atFault.length === 0 || atFault.includes(name));
  const part = (name: keyof DateParts, label: string, width: 2 | 4) => (
    <div className="govuk-date-input__item">
      <div className="govuk-form-group">
        <label className="govuk-label govuk-date-input__label" htmlFor={`${id}-${name}`}>
          {label}
        </label>
        <input
          className={`govuk-input govuk-date-input__input govuk-input--width-${width}${marked(name) ? " govuk-input--error" : ""}`}
          id={`${id}-${name}`}
          name={`${id}-${name}`}
          type="text"
          inputMode="numeric"
          defaultValue={value[name]}
        />
      </div>
    </div>
  );
  return (
    <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <fieldset className="govuk-fieldset" role="group" aria-describedby={describedBy(id, hint, error)}>
        <legend className={`govuk-fieldset__legend ${legendClass}`}>{legend}</legend>
        <Hint id={id} text={hint} />
        <FieldError id={id} message={error} />
        <div className="govuk-date-input" id={id}>
          {part("day", "Day", 2)}
          {part("month", "Month", 2)}
          {part("year", "Year", 4)}
        </div>
      </fieldset>
    </div>
  );
}
