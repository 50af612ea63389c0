import { useEffect, useRef } from "react";

export type ErrorItem = { href: string; text: string };

/** GOV.UK error summary: focused when it appears, each error linked to its field. */
export function ErrorSummary({ errors, title = "There is a problem" }: { errors: ErrorItem[]; title?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const key = errors.map((e) => e.href + e.text).join("|");
  useEffect(() => {
    if (errors.length > 0) ref.current?.focus();
  }, [key, errors.length]);
  if (errors.length === 0) return null;
  return (
    <div className="govuk-error-summary" data-module="govuk-error-summary" ref={ref} tabIndex={-1}>
      <div role="alert">
        <h2 className="govuk-error-summary__title">{title}</h2>
        <div className="govuk-error-summary__body">
          <ul className="govuk-list govuk-error-summary__list">
            {errors.map((e) => (
              <li key={e.href + e.text}>
                <a href={e.href}>{e.text}</a>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}
