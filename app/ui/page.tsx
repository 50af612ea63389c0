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

export function formatDate(iso: string): string {
  return new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
}

export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString("en-GB", { day: "numeric", month: "long", year: "numeric", hour: "numeric", minute: "2-digit", timeZone: "UTC" }) + " UTC";
}
