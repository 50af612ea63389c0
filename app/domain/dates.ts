/**
 * Dates as people enter them: GOV.UK's date input (day, month and year fields) to an ISO date and
 * back. One pattern for every date a form asks for.
 */
import { isoDate } from "./contracts";

export type DateParts = { day: string; month: string; year: string };

export const datePartsOf = (iso: string | null | undefined): DateParts => {
  if (!iso) return { day: "", month: "", year: "" };
  const [year, month, day] = iso.split("-");
  return { day: String(Number(day)), month: String(Number(month)), year: year! };
};

/**
 * A GOV.UK date input (day, month, year fields) to an ISO date: null when all three are empty,
 * or the reason it is not a date, in the words the field's error message needs.
 */
export function parseDateParts(parts: DateParts, label: string): { ok: true; value: string | null } | { ok: false; error: string } {
  const day = parts.day.trim();
  const month = parts.month.trim();
  const year = parts.year.trim();
  if (!day && !month && !year) return { ok: true, value: null };
  const missing = [!day && "day", !month && "month", !year && "year"].filter(Boolean) as string[];
  if (missing.length > 0) return { ok: false, error: `${label} must include a ${missing.join(" and ")}` };
  if (![day, month, year].every((p) => /^\d+$/.test(p))) return { ok: false, error: `${label} must be a real date, in numbers, like 27 3 2026` };
  if (year.length !== 4) return { ok: false, error: `${label} must include a year with 4 numbers, like 2026` };
  const parsed = isoDate(Number(year), Number(month), Number(day), `${day}/${month}/${year}`);
  if (!parsed.ok) return { ok: false, error: `${label} must be a real date` };
  return { ok: true, value: parsed.value };
}
