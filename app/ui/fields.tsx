/** GOV.UK form field markup for simple server-validated forms. */
import type { InputHTMLAttributes, ReactNode } from "react";

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

export function TextInput({
  id,
  name,
  label,
  hint,
  error,
  className = "",
  ...rest
}: { id: string; name: string; label: ReactNode; hint?: ReactNode; error?: string } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <label className="govuk-label" htmlFor={id}>
        {label}
      </label>
      <Hint id={id} text={hint} />
      <FieldError id={id} message={error} />
      <input
        id={id}
        name={name}
        className={`govuk-input${error ? " govuk-input--error" : ""} ${className}`.trim()}
        aria-describedby={describedBy(id, hint, error)}
        {...rest}
      />
    </div>
  );
}
