// Server-only entry to the country table, so its data never reaches the browser bundle.
export { COUNTRIES, countryName, isCountryCode } from "../../questionnaires/countries";
