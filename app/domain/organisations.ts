/** Organisations as the real world names them: slugs and Companies House numbers. */

/** A stable, URL-safe name: lower case letters, digits and single hyphens, at most 60 characters. */
export function slugify(name: string): string {
  return (
    name
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/&/g, " and ")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60)
      .replace(/-+$/, "") || "organisation"
  );
}

export function slugProblem(slug: string): string | undefined {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug)) return "A slug is lower-case letters and digits in words joined by single hyphens, like department-for-public-works";
  if (slug.length > 60) return "A slug is 60 characters or fewer";
  return undefined;
}

/**
 * A Companies House company number: eight characters, either eight digits (England and Wales,
 * written with leading zeros) or a two-letter prefix and six digits (SC Scotland, NI Northern
 * Ireland, OC LLPs, and others). Spaces are ignored and letters upper-cased.
 */
export function normaliseCompanyNumber(text: string): { ok: true; value: string } | { ok: false; error: string } {
  const value = text.replace(/\s+/g, "").toUpperCase();
  if (/^(\d{8}|[A-Z]{2}\d{6})$/.test(value)) return { ok: true, value };
  return { ok: false, error: "Enter a Companies House number of 8 characters: 8 digits, like 01234567, or 2 letters and 6 digits, like SC123456" };
}
