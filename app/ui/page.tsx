import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

export function BackLink({ href, children = "Back" }: { href: string; children?: ReactNode }) {
  return (
    <Link to={href} className="govuk-back-link">
      {children}
    </Link>
  );
}

export function Tag({ colour, children }: { colour?: "grey" | "blue" | "green" | "red" | "yellow" | "orange" | "light-blue" | "purple"; children: ReactNode }) {
  return <strong className={`govuk-tag${colour ? ` govuk-tag--${colour}` : ""}`}>{children}</strong>;
}

/** Dates as GOV.UK writes them ("7 December 2026", "7 December 2026 at 2:05pm"), on the UK clock. */
export { formatDate, formatDateTime } from "../domain/dates";
