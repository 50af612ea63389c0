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

// ---- dates as GOV.UK writes them ----------------------------------------------------------------

const UK_TIME = "Europe/London";
const dayMonthYear = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: UK_TIME });
const hourMinute = new Intl.DateTimeFormat("en-GB", { hour: "numeric", minute: "2-digit", hourCycle: "h23", timeZone: UK_TIME });

/** An ISO date (2026-12-07) or instant, on the UK clock, as GOV.UK writes dates: "7 December 2026". */
export function formatDate(iso: string): string {
  return dayMonthYear.format(new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T12:00:00Z` : iso));
}

/** A time of day as GOV.UK writes it: "2:05pm", "9am", "midday", "midnight" (UK clock). */
export function formatTime(iso: string): string {
  const parts = Object.fromEntries(hourMinute.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  const hour = Number(parts.hour) % 24;
  const minute = parts.minute ?? "00";
  if (minute === "00" && (hour === 0 || hour === 12)) return hour === 0 ? "midnight" : "midday";
  return `${hour % 12 === 0 ? 12 : hour % 12}${minute === "00" ? "" : `:${minute}`}${hour < 12 ? "am" : "pm"}`;
}

/** An instant as GOV.UK writes it: "7 December 2026 at 2:05pm" (UK clock). */
export function formatDateTime(iso: string): string {
  return `${formatDate(iso)} at ${formatTime(iso)}`;
}
