/**
 * Reporting periods: UK financial years, 1 April to 31 March, written "2020-21", with boundaries at
 * midnight UK local time (1 April is always in British Summer Time, so a period starts at 23:00 UTC
 * on 31 March).
 */

export type Period = {
  /** "2020-21" */
  id: string;
  /** The calendar year it starts in. */
  startYear: number;
  /** First instant in the period, ISO 8601 UTC. */
  start: string;
  /** First instant after the period, ISO 8601 UTC. */
  end: string;
  /** "April 2020 to March 2021" */
  label: string;
};

export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2098;

const londonParts = new Intl.DateTimeFormat("en-GB", {
  timeZone: "Europe/London",
  hourCycle: "h23",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** The local date and time in the UK at an instant, as numbers. */
function inLondon(instant: Date) {
  const parts = Object.fromEntries(londonParts.formatToParts(instant).map((p) => [p.type, p.value]));
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second) };
}

/** The instant of midnight at the start of a UK local date. */
export function ukMidnight(year: number, month: number, day: number): Date {
  const guess = Date.UTC(year, month - 1, day);
  const local = inLondon(new Date(guess));
  // The UK is UTC or UTC+1: the offset is how far local time runs ahead of UTC at that instant.
  const offsetMs = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second) - guess;
  return new Date(guess - offsetMs);
}

export function periodStarting(startYear: number): Period {
  const next = startYear + 1;
  return {
    id: `${startYear}-${String(next % 100).padStart(2, "0")}`,
    startYear,
    start: ukMidnight(startYear, 4, 1).toISOString(),
    end: ukMidnight(next, 4, 1).toISOString(),
    label: `April ${startYear} to March ${next}`,
  };
}

/** Read "2020-21"; anything else (or a year outside FIRST_YEAR..LAST_YEAR) is an error message. */
export function parsePeriod(text: string): { ok: true; period: Period } | { ok: false; error: string } {
  const m = /^(\d{4})-(\d{2})$/.exec(text.trim());
  if (!m) return { ok: false, error: `"${text}" is not a financial year: write it like 2020-21` };
  const startYear = Number(m[1]);
  if ((startYear + 1) % 100 !== Number(m[2])) return { ok: false, error: `"${text}" is not a financial year: the second year must follow the first, as in ${startYear}-${String((startYear + 1) % 100).padStart(2, "0")}` };
  if (startYear < FIRST_YEAR || startYear > LAST_YEAR) return { ok: false, error: `Choose a financial year from ${FIRST_YEAR}-${String((FIRST_YEAR + 1) % 100).padStart(2, "0")} to ${LAST_YEAR}-${String((LAST_YEAR + 1) % 100).padStart(2, "0")}` };
  return { ok: true, period: periodStarting(startYear) };
}

/** The financial year an instant falls in, by UK local date. */
export function periodOf(instant: Date): Period {
  const local = inLondon(instant);
  return periodStarting(local.month >= 4 ? local.year : local.year - 1);
}

export function previousPeriod(period: Period): Period {
  return periodStarting(period.startYear - 1);
}

/** Whether an ISO instant falls in the period. ISO strings of the same form compare as instants. */
export function inPeriod(period: Period, isoInstant: string): boolean {
  const t = new Date(isoInstant).getTime();
  return t >= new Date(period.start).getTime() && t < new Date(period.end).getTime();
}
