/** ISO 3166-1 alpha-2 country codes and English names, from i18n-iso-countries. */
import countries from "i18n-iso-countries";
import en from "i18n-iso-countries/langs/en.json" with { type: "json" };

countries.registerLocale(en);

export type Country = { code: string; name: string };

const names = countries.getNames("en", { select: "official" });

/** Every country, sorted by name. Kosovo's user-assigned code XK is included, as trade data uses it. */
export const COUNTRIES: ReadonlyArray<Country> = Object.entries(names)
  .map(([code, name]) => ({ code, name }))
  .sort((a, b) => a.name.localeCompare(b.name, "en"));

const byCode = new Map(COUNTRIES.map((c) => [c.code, c.name]));

export function isCountryCode(code: string): boolean {
  return byCode.has(code);
}

export function countryName(code: string): string {
  return byCode.get(code) ?? code;
}
