import { type MouseEvent, useEffect, useRef } from "react";

export type ErrorItem = { href: string; text: string };

/**
 * As GOV.UK Frontend's error summary script does: move to the field without following the link,
 * since a navigation (even to a #fragment) would drop the posted values and errors the page shows.
 */
function goToField(event: MouseEvent<HTMLAnchorElement>, href: string) {
  if (!href.startsWith("#")) return;
  const field = document.getElementById(href.slice(1));
  if (!field) return;
  event.preventDefault();
  const legend = field.closest("fieldset")?.querySelector("legend");
  const label = document.querySelector(`label[for="${CSS.escape(field.id)}"]`);
  // A radio or checkbox is named by its fieldset's legend; any other field by its label.
  const choice = field instanceof HTMLInputElement && (field.type === "radio" || field.type === "checkbox");
  (choice ? (legend ?? label ?? field) : (label ?? legend ?? field)).scrollIntoView();
  field.focus({ preventScroll: true });
}

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
                <a href={e.href} onClick={(event) => goToField(event, e.href)}>
                  {e.text}
                </a>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}
