/**
 * Dates as people enter them: GOV.UK's date input (day, month and year fields) to an ISO date and
 * back. One pattern for every date a form asks for.
 */
import { MAX_YEAR, MIN_YEAR, isoDate } from "./contracts";

export type DateParts = { day: string; month: string; year: string };

export const datePartsOf = (iso: string | null | undefined): DateParts => {
  if (!iso) return { day: "", month: "", year: "" };
  const [year, month, day] = iso.split("-");
  return { day: String(Number(day)), month: String(Number(month)), year: year! };
};

export type DatePart = keyof DateParts;

const MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

/** The month field as a number: GOV.UK's pattern accepts a month's name or its first three letters ("Dec", "december"). */
function monthOf(text: string): string {
  const name = text.toLowerCase().replace(/\.$/, "");
  const index = name.length >= 3 ? MONTH_NAMES.findIndex((m) => m === name || (name.length === 3 && m.startsWith(name)) || (name === "sept" && m === "september")) : -1;
  return index === -1 ? text : String(index + 1);
}

const trimmed = (parts: DateParts): DateParts => ({ day: parts.day.trim(), month: monthOf(parts.month.trim()), year: parts.year.trim() });

/**
 * Which of the three fields are at fault, so only those are marked: the missing ones, else those that
 * are not numbers, else the year, month or day that cannot be. Empty when the date itself is real
 * (an error about it is then a rule, like "after the start date", and marks the whole input).
 */
export function datePartsAtFault(parts: DateParts): DatePart[] {
  const { day, month, year } = trimmed(parts);
  const all = { day, month, year };
  const missing = (["day", "month", "year"] as const).filter((p) => !all[p]);
  if (missing.length > 0 && missing.length < 3) return missing;
  const notNumbers = (["day", "month", "year"] as const).filter((p) => all[p] && !/^\d+$/.test(all[p]));
  if (notNumbers.length > 0) return notNumbers;
  if (missing.length === 3) return [];
  if (year.length !== 4 || Number(year) < MIN_YEAR || Number(year) > MAX_YEAR) return ["year"];
  if (Number(month) < 1 || Number(month) > 12) return ["month"];
  return isoDate(Number(year), Number(month), Number(day), "").ok ? [] : ["day"];
}

/** Where an error summary links for a date input's error: its first field at fault, else its day. */
export function dateErrorTarget(id: string, parts?: DateParts): string {
  return `#${id}-${(parts && datePartsAtFault(parts)[0]) ?? "day"}`;
}

/**
 * A GOV.UK date input (day, month, year fields) to an ISO date, with GOV.UK's error messages
 * ("Due date must include a month", "Due date must be a real date"). `label` starts the message, so
 * give it capitalised ("Due date"). All three fields empty is no date (null), unless `required`
 * gives the message to show then ("Enter the start date").
 */
export function parseDateParts(parts: DateParts, label: string, options: { required?: string } = {}): { ok: true; value: string | null } | { ok: false; error: string } {
  const { day, month, year } = trimmed(parts);
  if (!day && !month && !year) return options.required ? { ok: false, error: options.required } : { ok: true, value: null };
  const missing = [!day && "day", !month && "month", !year && "year"].filter(Boolean) as string[];
  if (missing.length > 0) return { ok: false, error: `${label} must include a ${missing.join(" and ")}` };
  if (![day, month, year].every((p) => /^\d+$/.test(p))) return { ok: false, error: `${label} must be a real date` };
  if (year.length !== 4) return { ok: false, error: `${label} must include a year with 4 numbers, like 2026` };
  if (Number(year) < MIN_YEAR || Number(year) > MAX_YEAR) return { ok: false, error: `${label} must be in a year from ${MIN_YEAR} to ${MAX_YEAR}` };
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
