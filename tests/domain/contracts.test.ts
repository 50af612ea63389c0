import { describe, expect, it } from "vitest";
import {
  type ContractInput,
  DEFAULT_TIER_THRESHOLDS,
  checkContract,
  contractInput,
  formulaProblem,
  poundsInput,
  poundsText,
  ukDate,
  checkTierOverride,
  checkTierThresholds,
  formatMoney,
  isFormulaInjection,
  isoDateFromDate,
  neutraliseForExport,
  parseMoney,
  parseTier,
  parseUkDate,
  tierFor,
} from "../../app/domain/contracts";
import { isCountryCode } from "../../questionnaires/countries";

const POUND = 100;
const MILLION = 1_000_000 * POUND;

function money(text: string): number {
  const parsed = parseMoney(text);
  if (!parsed.ok) throw new Error(`expected ${text} to parse: ${parsed.error}`);
  return parsed.value;
}

function moneyError(text: string): string {
  const parsed = parseMoney(text);
  if (parsed.ok) throw new Error(`expected ${text} to be refused, got ${parsed.value}`);
  return parsed.error;
}

function dateError(text: string): string {
  const parsed = parseUkDate(text);
  if (parsed.ok) throw new Error(`expected ${text} to be refused, got ${parsed.value}`);
  return parsed.error;
}

describe("tiers", () => {
  const tier = (pence: number) => tierFor(pence, DEFAULT_TIER_THRESHOLDS).tier;

  it("puts the default boundaries in Silver: exactly £40m and exactly £5m", () => {
    expect(tier(40 * MILLION)).toBe("silver");
    expect(tier(5 * MILLION)).toBe("silver");
  });

  it("is Gold one penny over £40m and Bronze one penny under £5m", () => {
    expect(tier(40 * MILLION + 1)).toBe("gold");
    expect(tier(5 * MILLION - 1)).toBe("bronze");
    expect(tier(0)).toBe("bronze");
    expect(tier(Number.MAX_SAFE_INTEGER)).toBe("gold");
  });

  it("uses the department's own thresholds", () => {
    const thresholds = { goldAbovePence: 10 * MILLION, bronzeBelowPence: 1 * MILLION };
    expect(tierFor(10 * MILLION, thresholds).tier).toBe("silver");
    expect(tierFor(10 * MILLION + 1, thresholds).tier).toBe("gold");
    expect(tierFor(1 * MILLION - 1, thresholds).tier).toBe("bronze");
    // Equal thresholds leave Silver a single value wide.
    const equal = { goldAbovePence: 5 * MILLION, bronzeBelowPence: 5 * MILLION };
    expect(tierFor(5 * MILLION, equal).tier).toBe("silver");
  });

  it("defaults to the default thresholds", () => {
    expect(tierFor(41 * MILLION).tier).toBe("gold");
  });

  it("refuses thresholds that make no sense", () => {
    expect(checkTierThresholds(DEFAULT_TIER_THRESHOLDS)).toEqual([]);
    expect(checkTierThresholds({ goldAbovePence: 1 * MILLION, bronzeBelowPence: 2 * MILLION })).toHaveLength(1);
    expect(checkTierThresholds({ goldAbovePence: 1.5, bronzeBelowPence: 0 })).toHaveLength(1);
    expect(checkTierThresholds({ goldAbovePence: 10, bronzeBelowPence: -1 })).toHaveLength(1);
    expect(() => tierFor(5, { goldAbovePence: 1, bronzeBelowPence: 2 })).toThrow(RangeError);
  });

  it("refuses pence that are not a whole, non-negative number", () => {
    expect(() => tierFor(1.5)).toThrow(RangeError);
    expect(() => tierFor(-1)).toThrow(RangeError);
    expect(() => tierFor(Number.NaN)).toThrow(RangeError);
  });

  it("applies an override with a reason and keeps the tier the value gives", () => {
    const decision = tierFor(1 * MILLION, DEFAULT_TIER_THRESHOLDS, { tier: "gold", reason: "  Critical national infrastructure " });
    expect(decision).toEqual({ tier: "gold", byValue: "bronze", overrideReason: "Critical national infrastructure" });
    expect(tierFor(1 * MILLION, DEFAULT_TIER_THRESHOLDS, null)).toEqual({ tier: "bronze", byValue: "bronze", overrideReason: null });
  });

  it("treats an override without a reason as invalid", () => {
    expect(checkTierOverride({ tier: "gold", reason: "" })).toMatch(/reason/);
    expect(checkTierOverride({ tier: "gold", reason: "   " })).toMatch(/reason/);
    expect(checkTierOverride({ tier: "gold", reason: null })).toMatch(/reason/);
    expect(checkTierOverride({ tier: "platinum", reason: "x" })).toMatch(/gold, silver or bronze/);
    expect(checkTierOverride({ tier: "silver", reason: "x".repeat(1001) })).toMatch(/1,000 characters/);
    expect(checkTierOverride({ tier: "silver", reason: "Supplier in a high-risk sector" })).toBeNull();
    expect(() => tierFor(1 * MILLION, DEFAULT_TIER_THRESHOLDS, { tier: "gold", reason: " " })).toThrow(/reason/);
  });

  it("reads tier names whatever their case", () => {
    expect(parseTier("Gold")).toBe("gold");
    expect(parseTier(" SILVER ")).toBe("silver");
    expect(parseTier("bronze")).toBe("bronze");
    expect(parseTier("platinum")).toBeUndefined();
    expect(parseTier("")).toBeUndefined();
  });
});

describe("parseMoney", () => {
  it.each([
    ["1234", 123400],
    ["1,234", 123400],
    ["£1,234.56", 123456],
    ["1234.5", 123450],
    ["0", 0],
    ["0.01", 1],
    [" £ 40,000,000 ", 40 * MILLION],
    ["1,234,567.89", 123456789],
    ["+12", 1200],
    ["90,071,992,547,409.91", Number.MAX_SAFE_INTEGER],
  ])("reads %j as %d pence", (text, pence) => {
    expect(money(text)).toBe(pence);
  });

  it("returns safe integers, never floats", () => {
    for (const text of ["0.1", "0.29", "1.15", "4.35", "1,000,000.07"]) {
      const pence = money(text);
      expect(Number.isSafeInteger(pence)).toBe(true);
    }
    expect(money("4.35")).toBe(435);
    expect(money("1.15")).toBe(115);
  });

  it.each([
    ["-5", /negative/],
    ["£-5", /negative/],
    ["-£5", /negative/],
    ["(500)", /negative/],
    ["1.234", /more than 2 decimal places/],
    ["1,234.567", /more than 2 decimal places/],
    ["12abc", /no letters/],
    ["2m", /no letters/],
    ["1,23,4", /commas in the wrong places/],
    ["12,34", /commas in the wrong places/],
    ["1234,567", /commas in the wrong places/],
    [",123", /commas in the wrong places/],
    ["1e6", /exponent/],
    ["1.5E+06", /exponent/],
    ["", /Enter an amount/],
    ["   ", /Enter an amount/],
    ["$100", /pounds sterling/],
    ["100 GBP", /pounds sterling/],
    ["1 234", /spaces/],
    ["1.2.3", /more than one decimal point/],
    [".5", /0 before the decimal point/],
    ["5.", /ends with a decimal point/],
    ["90,071,992,547,409.92", /too large/],
    ["99999999999999999999", /too large/],
  ])("refuses %j with a message saying how to fix it", (text, message) => {
    expect(moneyError(text)).toMatch(message);
  });

  it("formats pence back to pounds", () => {
    expect(formatMoney(123456)).toBe("£1,234.56");
    expect(formatMoney(40 * MILLION)).toBe("£40,000,000");
    expect(formatMoney(5)).toBe("£0.05");
  });
});

describe("parseUkDate", () => {
  it.each([
    ["31/03/2025", "2025-03-31"],
    ["1/4/2025", "2025-04-01"],
    ["01/04/2025", "2025-04-01"],
    ["2025-03-31", "2025-03-31"],
    [" 29/02/2024 ", "2024-02-29"],
    ["03/04/2025", "2025-04-03"],
  ])("reads %j as %s", (text, iso) => {
    expect(parseUkDate(text)).toEqual({ ok: true, value: iso });
  });

  it("reads day first, so 03/04/2025 is 3 April (UK order), not 4 March", () => {
    expect(parseUkDate("03/04/2025")).toEqual({ ok: true, value: "2025-04-03" });
  });

  it("refuses dates that do not exist", () => {
    expect(dateError("31/02/2025")).toMatch(/February 2025 has 28 days/);
    expect(dateError("29/02/2025")).toMatch(/not a real date/);
    expect(dateError("2025-02-30")).toMatch(/not a real date/);
    expect(dateError("00/01/2025")).toMatch(/not a real date/);
    expect(dateError("31/04/2025")).toMatch(/April 2025 has 30 days/);
  });

  it("refuses US order with a hint when the month cannot be a month", () => {
    expect(dateError("12/31/2025")).toMatch(/no month 31.*did you mean 31\/12\/2025/);
    expect(dateError("2025-13-01")).toMatch(/no month 13/);
  });

  it("refuses 2-digit years and other shapes", () => {
    expect(dateError("31/03/25")).toMatch(/2-digit year/);
    expect(dateError("31-03-2025")).toMatch(/day\/month\/year/);
    expect(dateError("31.03.2025")).toMatch(/day\/month\/year/);
    expect(dateError("2025/03/31")).toMatch(/day\/month\/year/);
    expect(dateError("March 31 2025")).toMatch(/day\/month\/year/);
    expect(dateError("45000")).toMatch(/day\/month\/year/);
    expect(dateError("")).toMatch(/Enter a date/);
    expect(dateError("01/01/1066")).toMatch(/year from 1900/);
  });

  it("accepts dates a spreadsheet gives as Date objects", () => {
    expect(isoDateFromDate(new Date(Date.UTC(2025, 2, 31)))).toEqual({ ok: true, value: "2025-03-31" });
    expect(isoDateFromDate(new Date(Number.NaN)).ok).toBe(false);
  });
});

describe("formula injection", () => {
  it.each(["=1+1", '=HYPERLINK("http://x","y")', "+1+1", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\tfoo", "\r=1", "＝1+1", "-", "+"])(
    "sees %j as a formula",
    (cell) => {
      expect(isFormulaInjection(cell)).toBe(true);
    },
  );

  it.each(["-5", "-1,234.56", "+12", "Acme Ltd", "1+1", "", "a=b", "5-"])("sees %j as not a formula", (cell) => {
    expect(isFormulaInjection(cell)).toBe(false);
  });

  it("neutralises formulas for export with a leading single quote", () => {
    expect(neutraliseForExport('=HYPERLINK("http://x","y")')).toBe(`'=HYPERLINK("http://x","y")`);
    expect(neutraliseForExport("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(neutraliseForExport("+44 20 7946 0000")).toBe("'+44 20 7946 0000");
    expect(neutraliseForExport("\t=1")).toBe("'\t=1");
    expect(neutraliseForExport("\r=1")).toBe("'\r=1");
    expect(neutraliseForExport("  =1+1")).toBe("'  =1+1");
  });

  it("leaves ordinary text and plain numbers alone", () => {
    expect(neutraliseForExport("Acme Ltd")).toBe("Acme Ltd");
    expect(neutraliseForExport("-5")).toBe("-5");
    expect(neutraliseForExport("It's fine")).toBe("It's fine");
    expect(neutraliseForExport("")).toBe("");
  });
});

describe("checkContract, the form's checks by the import's rules", () => {
  const VALID: ContractInput = {
    reference: " CON-9 ",
    title: "Facilities management",
    supplier_name: "Acme Services Ltd",
    supplier_company_number: "sc 123456",
    supplier_country: "fr",
    category: "Facilities",
    annual_value_gbp: "£6,500,000.50",
    total_value_gbp: "19500000",
    start_date: "1/4/2025",
    end_date: "2028-03-31",
    contract_manager_email: "jo@example.gov.uk",
    tier_override: "Gold",
    tier_override_reason: " Critical ",
  };
  const countries = { isCountryCode };
  const errorsOf = (change: Partial<ContractInput>) => {
    const checked = checkContract({ ...VALID, ...change }, countries);
    return checked.ok ? {} : checked.errors;
  };

  it("reads a valid contract, trimmed and normalised", () => {
    expect(checkContract(VALID, countries)).toEqual({
      ok: true,
      value: {
        reference: "CON-9",
        title: "Facilities management",
        supplierName: "Acme Services Ltd",
        supplierCompanyNumber: "SC123456",
        supplierCountry: "FR",
        category: "Facilities",
        annualValuePence: 650_000_050,
        totalValuePence: 1_950_000_000,
        startDate: "2025-04-01",
        endDate: "2028-03-31",
        contractManagerEmail: "jo@example.gov.uk",
        tierOverride: { tier: "gold", reason: "Critical" },
      },
    });
  });

  it("round-trips through contractInput", () => {
    const checked = checkContract(VALID, countries);
    if (!checked.ok) throw new Error("expected valid");
    const again = checkContract(contractInput(checked.value), countries);
    expect(again).toEqual(checked);
    expect(contractInput(checked.value)).toMatchObject({ annual_value_gbp: "6500000.50", start_date: "01/04/2025", supplier_company_number: "SC123456" });
  });

  it("defaults the country to GB and leaves optional fields empty", () => {
    const checked = checkContract({ ...VALID, supplier_company_number: "", supplier_country: "", contract_manager_email: "", tier_override: "", tier_override_reason: "" }, countries);
    expect(checked).toMatchObject({ ok: true, value: { supplierCompanyNumber: null, supplierCountry: "GB", contractManagerEmail: null, tierOverride: null } });
  });

  it("names each missing required field", () => {
    const empty = Object.fromEntries(Object.keys(VALID).map((k) => [k, ""])) as ContractInput;
    const checked = checkContract(empty, countries);
    expect(checked.ok ? {} : checked.errors).toEqual({
      reference: "Enter the reference",
      title: "Enter the title",
      supplier_name: "Enter the supplier's name",
      category: "Enter the category",
      annual_value_gbp: "Enter the annual value in pounds, like 1,234,567.89",
      total_value_gbp: "Enter the total value in pounds, like 3,703,703.67",
      start_date: "Enter the start date, like 01/04/2025",
      end_date: "Enter the end date, like 31/03/2028",
    });
  });

  it("refuses formula starts and control characters in any field, as the import does", () => {
    expect(errorsOf({ title: "=1+2" }).title).toBe("The title starts with '=', which a spreadsheet would run as a formula: remove it, or start the text with a letter or digit");
    expect(errorsOf({ supplier_name: "  @SUM(A1)" }).supplier_name).toMatch(/starts with '@'/);
    expect(errorsOf({ category: "\tCleaning" }).category).toMatch(/starts with a tab/);
    expect(errorsOf({ annual_value_gbp: "=2*3" }).annual_value_gbp).toMatch(/formula/);
    expect(errorsOf({ title: "Bad\u0007title" }).title).toMatch(/control characters/);
    expect(errorsOf({ annual_value_gbp: "-5" }).annual_value_gbp).toMatch(/is negative/);
    expect(formulaProblem("=A1")).toBe("This cell starts with '=', which a spreadsheet would run as a formula: remove it, or start the text with a letter or digit");
    expect(formulaProblem("-5")).toBeNull();
  });

  it("reads money and dates strictly, and the end must not be before the start", () => {
    expect(errorsOf({ annual_value_gbp: "2m" }).annual_value_gbp).toMatch(/no letters/);
    expect(errorsOf({ total_value_gbp: "1.005" }).total_value_gbp).toBeDefined();
    expect(errorsOf({ start_date: "01/02/25" }).start_date).toMatch(/2-digit year/);
    expect(errorsOf({ start_date: "31/02/2025" }).start_date).toMatch(/not a real date/);
    expect(errorsOf({ end_date: "31/03/2025" }).end_date).toBe("The end date must be on or after the start date (01/04/2025): check both dates");
    expect(errorsOf({ end_date: "01/04/2025" })).toEqual({});
  });

  it("checks the company number, country, email, and that an override has a reason", () => {
    expect(errorsOf({ supplier_company_number: "1234567" }).supplier_company_number).toMatch(/Companies House number of 8 characters/);
    expect(errorsOf({ supplier_country: "XX" }).supplier_country).toMatch(/'XX' is not a country code/);
    expect(errorsOf({ contract_manager_email: "jo@" }).contract_manager_email).toMatch(/correct format/);
    expect(errorsOf({ tier_override_reason: "" }).tier_override_reason).toBe("Give a reason for putting the contract in a different tier");
    expect(errorsOf({ tier_override: "platinum" }).tier_override).toMatch(/'platinum' is not a tier/);
    expect(errorsOf({ tier_override: "" }).tier_override).toMatch(/A reason is given but no tier/);
    expect(errorsOf({ reference: "R".repeat(51) }).reference).toBe("Reference must be 50 characters or fewer (it has 51)");
  });

  it("writes pence and dates back as the form shows them", () => {
    expect([poundsText(0), poundsText(5), poundsText(123_456), poundsText(100_000_000_00)]).toEqual(["0.00", "0.05", "1234.56", "100000000.00"]);
    expect([poundsInput(0), poundsInput(5), poundsInput(123_456), poundsInput(40_000_000_00)]).toEqual(["0", "0.05", "1234.56", "40000000"]);
    expect(ukDate("2025-03-31")).toBe("31/03/2025");
  });
});
