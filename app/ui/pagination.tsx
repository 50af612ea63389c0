import { Link } from "@remix-run/react";
import { plural } from "../domain/text";

/** GOV.UK pagination with Previous and Next links; nothing when everything fits on one page. */
export function Pagination({ page, pages, label, href }: { page: number; pages: number; label: string; href: (page: number) => string }) {
  if (pages <= 1) return null;
  return (
    <nav className="govuk-pagination" aria-label={label}>
      {page > 1 ? (
        <div className="govuk-pagination__prev">
          <Link className="govuk-link govuk-pagination__link" to={href(page - 1)} rel="prev">
            <span className="govuk-pagination__link-title">
              Previous<span className="govuk-visually-hidden"> page</span>
            </span>
          </Link>
        </div>
      ) : null}
      {page < pages ? (
        <div className="govuk-pagination__next">
          <Link className="govuk-link govuk-pagination__link" to={href(page + 1)} rel="next">
            <span className="govuk-pagination__link-title">
              Next<span className="govuk-visually-hidden"> page</span>
            </span>
          </Link>
        </div>
      ) : null}
    </nav>
  );
}

/** "1,234 contracts, page 2 of 25." or the given text when there are none. */
export function countText(total: number, noun: [string, string], page: number, pages: number, none: string): string {
  if (total === 0) return none;
  return `${plural(total, noun[0], noun[1])}${pages > 1 ? `, page ${page} of ${pages}` : ""}.`;
}
