/**
 * Contracts in a buyer's register: the tier (Gold / Silver / Bronze) a contract's annual value
 * puts it in, and the strict readers for the money and dates a register holds. Money is always
 * integer pence, never a float; dates are ISO strings (YYYY-MM-DD), read in UK order.
 */

export type Tier = "gold" | "silver" | "bronze";

export const TIERS: ReadonlyArray<Tier> = ["gold", "silver", "bronze"];

export const TIER_LABELS: Record<Tier, string> = { gold: "Gold", silver: "Silver", bronze: "Bronze" };

/**
 * A department's tier boundaries, in pence a year. Gold is strictly above `goldAbovePence`,
 * Bronze strictly below `bronzeBelowPence`, and Silver everything from one to the other inclusive:
 * a contract worth exactly either boundary is Silver.
 */
export type TierThresholds = { goldAbovePence: number; bronzeBelowPence: number };

/** Gold over £40m a year, Silver £5m to £40m (both inclusive), Bronze under £5m. */
export const DEFAULT_TIER_THRESHOLDS: TierThresholds = { goldAbovePence: 40_000_000_00, bronzeBelowPence: 5_000_000_00 };

/** A contract manager's decision to put a contract in another tier than its value gives, and why. */
export type TierOverride = { tier: Tier; reason: string };

export type TierDecision = {
  tier: Tier;
  /** The tier the annual value alone gives. */
  byValue: Tier;
  /** The override's reason when an override set the tier, else null. */
  overrideReason: string | null;
};

export const MAX_OVERRIDE_REASON = 1000;

/** What is wrong with a department's thresholds, if anything: one message per problem. */
export function checkTierThresholds(thresholds: TierThresholds): string[] {
  const problems: string[] = [];
  const { goldAbovePence: gold, bronzeBelowPence: bronze } = thresholds;
  if (!Number.isSafeInteger(gold) || gold < 0) problems.push("The Gold threshold must be a whole number of pence, 0 or more");
  if (!Number.isSafeInteger(bronze) || bronze < 0) problems.push("The Bronze threshold must be a whole number of pence, 0 or more");
  if (problems.length === 0 && bronze > gold) problems.push("The Bronze threshold must not be above the Gold threshold");
  return problems;
}

/** What is wrong with an override, if anything: an override without a reason is not allowed. */
export function checkTierOverride(override: { tier: string; reason: string | null | undefined }): string | null {
  if (!isTier(override.tier)) return `${quoted(override.tier)} is not a tier: choose gold, silver or bronze`;
  const reason = (override.reason ?? "").trim();
  if (reason === "") return "Give a reason for putting the contract in a different tier";
  if (reason.length > MAX_OVERRIDE_REASON) return `The reason must be ${MAX_OVERRIDE_REASON.toLocaleString("en-GB")} characters or fewer`;
  return null;
}

export function isTier(value: unknown): value is Tier {
  return value === "gold" || value === "silver" || value === "bronze";
}

/** "Gold", " silver ", "BRONZE" to the tier; anything else to undefined. */
export function parseTier(text: string): Tier | undefined {
  const tier = text.trim().toLowerCase();
  return isTier(tier) ? tier : undefined;
}

/**
 * The tier for a contract worth `annualPence` a year. Inputs are checked by the caller (the
 * import, a form): invalid pence, thresholds or an override without a reason are programming
 * errors here and throw.
 */
export function tierFor(annualPence: number, thresholds: TierThresholds = DEFAULT_TIER_THRESHOLDS, override?: TierOverride | null): TierDecision {
  if (!Number.isSafeInteger(annualPence) || annualPence < 0) throw new RangeError(`annual value must be a whole number of pence, 0 or more: ${annualPence}`);
  const thresholdProblems = checkTierThresholds(thresholds);
  if (thresholdProblems.length > 0) throw new RangeError(thresholdProblems.join("; "));
  const byValue: Tier = annualPence > thresholds.goldAbovePence ? "gold" : annualPence < thresholds.bronzeBelowPence ? "bronze" : "silver";
  if (!override) return { tier: byValue, byValue, overrideReason: null };
  const problem = checkTierOverride(override);
  if (problem) throw new RangeError(problem);
  return { tier: override.tier, byValue, overrideReason: override.reason.trim() };
}

/** A value as shown back in a message: quoted, and cut short so a huge cell cannot flood the page. */
export function quoted(value: string): string {
  return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
}

// ---- money ------------------------------------------------------------------------------------

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const PLAIN_DIGITS = /^\d+(\.\d+)?$/;
const GROUPED_DIGITS = /^\d{1,3}(,\d{3})+(\.\d+)?$/;
const EXPONENT = /^[+-]?(\d+\.?\d*|\.\d+)e[+-]?\d+$/i;
const MAX_PENCE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * An amount in pounds sterling to pence: "1234", "1,234", "£1,234.56", "1234.5". Refuses what a
 * person could have meant otherwise (negatives, fractions of a penny, misplaced commas, exponent
 * forms, other currencies), each with a message saying how to fix it.
 */
export function parseMoney(text: string): Parsed<number> {
  const shown = text.trim();
  if (shown === "") return { ok: false, error: "Enter an amount in pounds, like 1,234.56" };
  let amount = shown;
  if (amount.startsWith("-") || amount.startsWith("£-") || amount.startsWith("−") || /^\(.*\)$/.test(amount)) {
    return { ok: false, error: `${quoted(shown)} is negative: enter the amount as 0 or more, like 1,234.56` };
  }
  if (amount.startsWith("£")) {
    amount = amount.slice(1).trimStart();
    if (amount.startsWith("-")) return { ok: false, error: `${quoted(shown)} is negative: enter the amount as 0 or more, like 1,234.56` };
  } else if (/^[$€¥]|^(GBP|USD|EUR)\b/i.test(amount) || /(GBP|USD|EUR|[$€¥])$/i.test(amount)) {
    return { ok: false, error: `${quoted(shown)} must be in pounds sterling with no currency code: write it like 1,234.56` };
  }
  if (amount.startsWith("+")) amount = amount.slice(1);
  if (EXPONENT.test(amount)) return { ok: false, error: `${quoted(shown)} is in exponent form: write the whole number, like 1500000 rather than 1.5E+06` };
  if (/\s/.test(amount)) return { ok: false, error: `${quoted(shown)} contains spaces: remove them, like 1,234,567` };
  if (/[^\d,.]/.test(amount)) return { ok: false, error: `${quoted(shown)} must be a number in pounds with no letters, like 1,234.56 (write 2m as 2,000,000)` };
  if ((amount.match(/\./g) ?? []).length > 1) return { ok: false, error: `${quoted(shown)} has more than one decimal point: use a point only before the pence, like 1,234.56` };
  if (amount.startsWith(".")) return { ok: false, error: `${quoted(shown)} needs a 0 before the decimal point, like 0.50` };
  if (amount.endsWith(".")) return { ok: false, error: `${quoted(shown)} ends with a decimal point: remove it or add the pence, like 1,234.50` };
  if (amount.includes(",") && !GROUPED_DIGITS.test(amount)) {
    return { ok: false, error: `${quoted(shown)} has commas in the wrong places: put them only between groups of three digits, like 1,234,567, or leave them out` };
  }
  if (!amount.includes(",") && !PLAIN_DIGITS.test(amount)) return { ok: false, error: `${quoted(shown)} is not an amount in pounds: write it like 1,234.56` };
  const [whole = "", fraction = ""] = amount.replace(/,/g, "").split(".");
  if (fraction.length > 2) return { ok: false, error: `${quoted(shown)} has more than 2 decimal places: round it to the nearest penny, like 1,234.57` };
  const pence = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0"));
  if (pence > MAX_PENCE) return { ok: false, error: `${quoted(shown)} is too large to be a contract value: check it` };
  return { ok: true, value: Number(pence) };
}

/** "£1,234.56" for 123456 pence. */
export function formatMoney(pence: number): string {
  const pounds = Math.floor(pence / 100);
  const rest = pence % 100;
  return `£${pounds.toLocaleString("en-GB")}${rest === 0 ? "" : `.${String(rest).padStart(2, "0")}`}`;
}

// ---- dates ------------------------------------------------------------------------------------

const UK_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2199;

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Year, month and day to an ISO date, or the reason they are not a real date. */
export function isoDate(year: number, month: number, day: number, shown: string): Parsed<string> {
  if (year < MIN_YEAR || year > MAX_YEAR) return { ok: false, error: `${quoted(shown)} has the year ${year}: enter a year from ${MIN_YEAR} to ${MAX_YEAR}` };
  if (month < 1 || month > 12) {
    const hint = shown.includes("/") && day >= 1 && day <= 12 && month <= 31 ? ` Dates are day first: did you mean ${month}/${day}/${year}?` : "";
    return { ok: false, error: `${quoted(shown)} has no month ${month}: enter the date as day/month/year, like 31/03/2025.${hint}` };
  }
  const days = daysIn(year, month);
  if (day < 1 || day > days) return { ok: false, error: `${quoted(shown)} is not a real date: ${MONTHS[month - 1]} ${year} has ${days} days` };
  return { ok: true, value: `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}` };
}

/**
 * A date as a UK reader writes it (31/03/2025 or 1/4/2025, always day first) or as ISO
 * (2025-03-31), to an ISO date string. Two-digit years and other shapes are refused: 01/02/25
 * could be three different dates.
 */
export function parseUkDate(text: string): Parsed<string> {
  const shown = text.trim();
  if (shown === "") return { ok: false, error: "Enter a date, like 31/03/2025" };
  const uk = UK_DATE.exec(shown);
  if (uk) return isoDate(Number(uk[3]), Number(uk[2]), Number(uk[1]), shown);
  const iso = ISO_DATE.exec(shown);
  if (iso) return isoDate(Number(iso[1]), Number(iso[2]), Number(iso[3]), shown);
  if (/^\d{1,2}\/\d{1,2}\/\d{2}$/.test(shown)) return { ok: false, error: `${quoted(shown)} has a 2-digit year: write the year in full, like 31/03/2025` };
  return { ok: false, error: `${quoted(shown)} is not a date: write it as day/month/year, like 31/03/2025, or as 2025-03-31` };
}

/** A date cell a spreadsheet gave as a Date (midnight UTC) to an ISO date; the time of day is ignored. */
export function isoDateFromDate(date: Date): Parsed<string> {
  if (Number.isNaN(date.getTime())) return { ok: false, error: "The cell holds a date the spreadsheet could not read: type it as 31/03/2025" };
  const year = date.getUTCFullYear();
  const shown = `${date.getUTCDate()}/${date.getUTCMonth() + 1}/${year}`;
  return isoDate(year, date.getUTCMonth() + 1, date.getUTCDate(), shown);
}

// ---- spreadsheet formula injection (OWASP "CSV injection") ------------------------------------

/** Characters that make a spreadsheet treat a cell as a formula, with their full-width forms. */
const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
/** A plain signed number ("-5", "+1,234.50") is a value, not a formula. */
const SIGNED_NUMBER = /^[+-](\d+|\d{1,3}(,\d{3})+)(\.\d+)?$/;

/**
 * Whether a spreadsheet opening this cell would run it as a formula: it starts with =, +, -, @,
 * a tab or a carriage return. A plain negative or signed number is a number, not a formula.
 */
export function isFormulaInjection(cell: string): boolean {
  return FORMULA_START.test(cell) && !SIGNED_NUMBER.test(cell);
}

/**
 * A cell made safe to put in an exported spreadsheet: a leading single quote makes the spreadsheet
 * show it as text. Leading spaces are looked past, as some spreadsheets trim them on import.
 */
export function neutraliseForExport(cell: string): string {
  return isFormulaInjection(cell) || isFormulaInjection(cell.trimStart()) ? `'${cell}` : cell;
}
