/** ISO 3166-1 alpha-2 country codes from i18n-iso-countries, with the short English names GOV.UK uses. */
import countries from "i18n-iso-countries";
import en from "i18n-iso-countries/langs/en.json" with { type: "json" };

countries.registerLocale(en);

export type Country = { code: string; name: string };

/**
 * The names GOV.UK's country and territory registers use, where the ISO list's differs: people
 * know these, and read "People's Republic of China" or "Korea, Republic of" as a form's jargon.
 */
const GOV_UK_NAMES: Record<string, string> = {
  BL: "St Barthélemy",
  BN: "Brunei",
  BO: "Bolivia",
  BS: "The Bahamas",
  CD: "Congo (Democratic Republic)",
  CG: "Congo",
  CI: "Ivory Coast",
  CN: "China",
  CZ: "Czechia",
  FK: "Falkland Islands",
  FM: "Micronesia",
  GB: "United Kingdom",
  GM: "The Gambia",
  GS: "South Georgia and South Sandwich Islands",
  IR: "Iran",
  KN: "St Kitts and Nevis",
  KP: "North Korea",
  KR: "South Korea",
  LA: "Laos",
  LC: "St Lucia",
  MD: "Moldova",
  MF: "St Martin",
  MK: "North Macedonia",
  MM: "Myanmar (Burma)",
  PM: "St Pierre and Miquelon",
  PN: "Pitcairn, Henderson, Ducie and Oeno Islands",
  PS: "Occupied Palestinian Territories",
  RE: "Réunion",
  RU: "Russia",
  SH: "St Helena, Ascension and Tristan da Cunha",
  ST: "Sao Tome and Principe",
  SY: "Syria",
  TL: "East Timor",
  TR: "Turkey",
  TW: "Taiwan",
  TZ: "Tanzania",
  US: "United States",
  VA: "Vatican City",
  VC: "St Vincent",
  VE: "Venezuela",
  VG: "British Virgin Islands",
  VI: "United States Virgin Islands",
  VN: "Vietnam",
};

const names = countries.getNames("en", { select: "official" });

/** Every country, sorted by name. Kosovo's user-assigned code XK is included, as trade data uses it. */
export const COUNTRIES: ReadonlyArray<Country> = Object.entries(names)
  .map(([code, name]) => ({ code, name: GOV_UK_NAMES[code] ?? name }))
  .sort((a, b) => a.name.localeCompare(b.name, "en"));

const byCode = new Map(COUNTRIES.map((c) => [c.code, c.name]));

export function isCountryCode(code: string): boolean {
  return byCode.has(code);
}

export function countryName(code: string): string {
  return byCode.get(code) ?? code;
}
