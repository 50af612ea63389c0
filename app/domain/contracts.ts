/**
 * Contracts in a buyer's register: the tier (Gold / Silver / Bronze) a contract's annual value
 * puts it in, the strict readers for the money and dates a register holds, and the checks of one
 * contract's fields that the import and the add and edit form share. Money is always integer
 * pence, never a float; dates are ISO strings (YYYY-MM-DD), read in UK order.
 */
import { normaliseCompanyNumber } from "./organisations";
import { hasControlChars } from "./text";

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

/** How a cell that would run as a formula starts, as a person would name it. */
export function describeFormulaStart(cell: string): string {
  if (cell[0] === "\t") return "a tab";
  if (cell[0] === "\r") return "a carriage return";
  return `'${cell.trimStart()[0]}'`;
}

/**
 * Why text may not be stored as it is because a spreadsheet would run it as a formula, or null.
 * `what` names the text in the message: "This cell" in an import, the field's name in a form.
 */
export function formulaProblem(text: string, what = "This cell"): string | null {
  if (!isFormulaInjection(text) && !isFormulaInjection(text.trim())) return null;
  return `${what} starts with ${describeFormulaStart(text)}, which a spreadsheet would run as a formula: remove it, or start the text with a letter or digit`;
}

// ---- one contract's fields --------------------------------------------------------------------

export const MAX_REFERENCE_LENGTH = 50;
export const MAX_CONTRACT_TEXT = 500;
export const MAX_EMAIL_LENGTH = 254;
export const EMAIL_ADDRESS = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** A contract as the register holds it, checked. */
export type ContractFields = {
  reference: string;
  title: string;
  supplierName: string;
  supplierCompanyNumber: string | null;
  supplierCountry: string;
  category: string;
  annualValuePence: number;
  totalValuePence: number;
  startDate: string;
  endDate: string;
  contractManagerEmail: string | null;
  tierOverride: TierOverride | null;
};

/** The fields of one contract by their register column names, which the add and edit form uses too. */
export const CONTRACT_FIELDS = [
  "reference",
  "title",
  "supplier_name",
  "supplier_company_number",
  "supplier_country",
  "category",
  "annual_value_gbp",
  "total_value_gbp",
  "start_date",
  "end_date",
  "contract_manager_email",
  "tier_override",
  "tier_override_reason",
] as const;
export type ContractFieldName = (typeof CONTRACT_FIELDS)[number];
export type ContractInput = Record<ContractFieldName, string>;
export type ContractErrors = Partial<Record<ContractFieldName, string>>;
export type ContractCheck = { ok: true; value: ContractFields } | { ok: false; errors: ContractErrors };

/** What each field is called in a message. */
export const CONTRACT_FIELD_NAMES: Record<ContractFieldName, string> = {
  reference: "reference",
  title: "title",
  supplier_name: "supplier's name",
  supplier_company_number: "Companies House number",
  supplier_country: "supplier's country",
  category: "category",
  annual_value_gbp: "annual value",
  total_value_gbp: "total value",
  start_date: "start date",
  end_date: "end date",
  contract_manager_email: "contract manager's email address",
  tier_override: "tier",
  tier_override_reason: "reason for the tier",
};

const capitalised = (text: string) => text[0]!.toUpperCase() + text.slice(1);

/**
 * Check one contract typed into a form: every field as text, named by its register column. The
 * rules are the import's: control characters and formula starts refused, money and dates read
 * strictly, the end on or after the start, a country code, a Companies House number, and an
 * override of the tier only with a reason. Uniqueness of the reference is the caller's to check;
 * the country codes are passed in so this module stays light enough for the browser's bundle.
 */
export function checkContract(input: ContractInput, known: { isCountryCode: (code: string) => boolean }): ContractCheck {
  const errors: ContractErrors = {};
  const cleaned = {} as Record<ContractFieldName, string | null>;
  for (const name of CONTRACT_FIELDS) {
    const value = input[name] ?? "";
    const label = `The ${CONTRACT_FIELD_NAMES[name]}`;
    if (hasControlChars(value)) {
      errors[name] = `${label} contains control characters (invisible characters no one types): remove them and type it again`;
      cleaned[name] = null;
      continue;
    }
    const formula = formulaProblem(value, label);
    if (formula) {
      errors[name] = formula;
      cleaned[name] = null;
      continue;
    }
    cleaned[name] = value.trim();
  }

  const text = (name: ContractFieldName, required: boolean, max: number): string | null => {
    const value = cleaned[name];
    if (value === null || errors[name]) return null;
    if (value === "") {
      if (required) errors[name] = `Enter the ${CONTRACT_FIELD_NAMES[name]}`;
      return null;
    }
    if (value.length > max) {
      errors[name] = `${capitalised(CONTRACT_FIELD_NAMES[name])} must be ${max.toLocaleString("en-GB")} characters or fewer (it has ${value.length.toLocaleString("en-GB")})`;
      return null;
    }
    return value;
  };
  const parsed = <T,>(name: ContractFieldName, read: (text: string) => Parsed<T>, empty: string): T | null => {
    const value = cleaned[name];
    if (value === null || errors[name]) return null;
    if (value === "") {
      errors[name] = empty;
      return null;
    }
    const result = read(value);
    if (!result.ok) {
      errors[name] = result.error;
      return null;
    }
    return result.value;
  };

  const reference = text("reference", true, MAX_REFERENCE_LENGTH);
  const title = text("title", true, MAX_CONTRACT_TEXT);
  const supplierName = text("supplier_name", true, MAX_CONTRACT_TEXT);
  const companyText = text("supplier_company_number", false, 20);
  let supplierCompanyNumber: string | null = null;
  if (companyText !== null) {
    const company = normaliseCompanyNumber(companyText);
    if (company.ok) supplierCompanyNumber = company.value;
    else errors.supplier_company_number = company.error;
  }
  const countryText = text("supplier_country", false, 10);
  const supplierCountry = (countryText ?? "GB").toUpperCase();
  if (countryText !== null && !known.isCountryCode(supplierCountry)) errors.supplier_country = `${quoted(countryText)} is not a country code: choose the supplier's country, or use the 2-letter ISO code, like GB or FR`;
  const category = text("category", true, MAX_CONTRACT_TEXT);
  const annualValuePence = parsed("annual_value_gbp", parseMoney, "Enter the annual value in pounds, like 1,234,567.89");
  const totalValuePence = parsed("total_value_gbp", parseMoney, "Enter the total value in pounds, like 3,703,703.67");
  const startDate = parsed("start_date", parseUkDate, "Enter the start date, like 01/04/2025");
  const endDate = parsed("end_date", parseUkDate, "Enter the end date, like 31/03/2028");
  if (startDate && endDate && endDate < startDate) {
    errors.end_date = `The end date must be on or after the start date (${ukDate(startDate)}): check both dates`;
  }
  const contractManagerEmail = text("contract_manager_email", false, MAX_EMAIL_LENGTH);
  if (contractManagerEmail !== null && !EMAIL_ADDRESS.test(contractManagerEmail)) {
    errors.contract_manager_email = "Enter the contract manager's email address in the correct format, like name@example.gov.uk";
  }
  const tierText = text("tier_override", false, 20);
  const reason = text("tier_override_reason", false, MAX_OVERRIDE_REASON);
  let tierOverride: TierOverride | null = null;
  if (tierText !== null) {
    const tier = parseTier(tierText);
    if (!tier) errors.tier_override = `${quoted(tierText)} is not a tier: choose gold, silver or bronze, or leave the tier to follow the annual value`;
    else if (!errors.tier_override_reason) {
      const problem = checkTierOverride({ tier, reason });
      if (problem) errors.tier_override_reason = problem;
      else tierOverride = { tier, reason: reason! };
    }
  } else if (reason !== null && !errors.tier_override) {
    errors.tier_override = "A reason is given but no tier: choose gold, silver or bronze, or empty the reason";
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      reference: reference!,
      title: title!,
      supplierName: supplierName!,
      supplierCompanyNumber,
      supplierCountry,
      category: category!,
      annualValuePence: annualValuePence!,
      totalValuePence: totalValuePence!,
      startDate: startDate!,
      endDate: endDate!,
      contractManagerEmail,
      tierOverride,
    },
  };
}

/** A contract's fields as the form (and an export) writes them: the reverse of checkContract. */
export function contractInput(contract: ContractFields): ContractInput {
  return {
    reference: contract.reference,
    title: contract.title,
    supplier_name: contract.supplierName,
    supplier_company_number: contract.supplierCompanyNumber ?? "",
    supplier_country: contract.supplierCountry,
    category: contract.category,
    annual_value_gbp: poundsInput(contract.annualValuePence),
    total_value_gbp: poundsInput(contract.totalValuePence),
    start_date: ukDate(contract.startDate),
    end_date: ukDate(contract.endDate),
    contract_manager_email: contract.contractManagerEmail ?? "",
    tier_override: contract.tierOverride?.tier ?? "",
    tier_override_reason: contract.tierOverride?.reason ?? "",
  };
}

/** Pence as pounds a reader and parseMoney both take: 123456 to "1234.56", 100 to "1.00". */
export function poundsText(pence: number): string {
  return `${Math.floor(pence / 100)}.${String(pence % 100).padStart(2, "0")}`;
}

/** Pence as pounds for a form's field: a plain number parseMoney takes, pence only when there are some (4000000000 to "40000000", 123456 to "1234.56"). */
export function poundsInput(pence: number): string {
  return pence % 100 === 0 ? String(Math.floor(pence / 100)) : poundsText(pence);
}

/** An ISO date (YYYY-MM-DD) written day first: 2025-03-31 to 31/03/2025. */
export function ukDate(iso: string): string {
  const [year, month, day] = iso.split("-");
  return `${day}/${month}/${year}`;
}

// ---- a contract's status ----------------------------------------------------------------------

/**
 * Live or ended. A contract is live until its end date has passed (one not yet started counts as
 * live: it is being let and the supplier is known), ended from the day after. A contract manager
 * can set it by hand with a reason, for a contract terminated early or extended while the
 * paperwork catches up; the end date is then not looked at.
 */
export type ContractStatus = "live" | "ended";

export const CONTRACT_STATUSES: ReadonlyArray<ContractStatus> = ["live", "ended"];

export const CONTRACT_STATUS_LABELS: Record<ContractStatus, string> = { live: "Live", ended: "Ended" };

/** The register's status filter: live contracts by default, ended ones, or all. */
export const CONTRACT_STATUS_FILTERS = ["live", "ended", "all"] as const;
export type ContractStatusFilter = (typeof CONTRACT_STATUS_FILTERS)[number];
export const CONTRACT_STATUS_FILTER_LABELS: Record<ContractStatusFilter, string> = { live: "Live", ended: "Ended", all: "All" };

export type StatusOverride = { status: ContractStatus; reason: string };

export type StatusDecision = {
  status: ContractStatus;
  /** What the end date alone gives. */
  byDate: ContractStatus;
  /** The reason when the status was set by hand, else null. */
  overrideReason: string | null;
};

export function isContractStatus(value: unknown): value is ContractStatus {
  return value === "live" || value === "ended";
}

/** What the end date alone gives on `today` (an ISO date, the UK's calendar day): live through the end date. */
export function statusByDate(endDate: string, today: string): ContractStatus {
  return endDate >= today ? "live" : "ended";
}

/** A contract's status on `today` (ISO date): the override where there is one, else its end date. */
export function contractStatus(contract: { endDate: string; statusOverride: ContractStatus | null; statusOverrideReason?: string | null }, today: string): StatusDecision {
  const byDate = statusByDate(contract.endDate, today);
  if (contract.statusOverride === null) return { status: byDate, byDate, overrideReason: null };
  return { status: contract.statusOverride, byDate, overrideReason: (contract.statusOverrideReason ?? "").trim() };
}

/** The status form's choices: follow the end date, or set it by hand. */
export const STATUS_CHOICES = ["follow", "live", "ended"] as const;
export type StatusChoice = (typeof STATUS_CHOICES)[number];

export type StatusCheck = { ok: true; value: StatusOverride | null } | { ok: false; errors: Partial<Record<"status" | "reason", string>> };

/**
 * The status form as posted: "follow" (the end date decides; any reason typed is dropped) or
 * "live" / "ended" by hand, which needs a reason a spreadsheet would not run as a formula.
 */
export function checkStatusChoice(choice: string, reasonText: string): StatusCheck {
  if (choice !== "follow" && !isContractStatus(choice)) return { ok: false, errors: { status: "Select whether the status follows the end date, or is live or ended" } };
  if (choice === "follow") return { ok: true, value: null };
  const reason = reasonText.trim();
  const label = "The reason for the status";
  let problem: string | null = null;
  if (reason === "") problem = `Enter why the contract is ${CONTRACT_STATUS_LABELS[choice].toLowerCase()} whatever its end date, like "terminated early on 30 September 2026"`;
  else if (hasControlChars(reason)) problem = `${label} contains control characters (invisible characters no one types): remove them and type it again`;
  else if (reason.length > MAX_OVERRIDE_REASON) problem = `${label} must be ${MAX_OVERRIDE_REASON.toLocaleString("en-GB")} characters or fewer (it has ${reason.length.toLocaleString("en-GB")})`;
  else problem = formulaProblem(reason, label);
  if (problem) return { ok: false, errors: { reason: problem } };
  return { ok: true, value: { status: choice, reason } };
}
