/**
 * Reading a buyer's contract register from a CSV or Excel (.xlsx) file. All or nothing: any
 * problem and no rows come back, each problem named by spreadsheet row (the header is row 1) and
 * column, with a message saying how to fix it. Row 0 stands for the file as a whole.
 *
 * Pure apart from reading the bytes it is given: no database, no file system. A workbook is read
 * in a worker thread within limits (./workbook), so no upload can hold up other requests.
 */
import { parse } from "csv-parse/sync";
import { isCountryCode } from "../../questionnaires/countries";
import {
  EMAIL_ADDRESS,
  MAX_CONTRACT_TEXT,
  MAX_OVERRIDE_REASON,
  MAX_REFERENCE_LENGTH,
  type Tier,
  checkTierOverride,
  formulaProblem,
  isoDateFromDate,
  parseMoney,
  parseTier,
  parseUkDate,
  quoted,
} from "./contracts";
import { hasControlChars } from "./text";
import { describeWorkbookProblem, readFirstSheet } from "./workbook";

/** Files bigger than this are refused before they are read: 20 MB holds far more than 20,000 rows. */
export const MAX_REGISTER_BYTES = 20 * 1024 * 1024;
export const MAX_REGISTER_ROWS = 20_000;
/** Past this many problems the rest are counted, not listed: the first few hundred show the pattern. */
export const MAX_LISTED_PROBLEMS = 500;
export { MAX_REFERENCE_LENGTH };
export const MAX_TEXT_LENGTH = MAX_CONTRACT_TEXT;

export type RegisterColumn = {
  name: string;
  /** Whether every row needs a value. Optional columns may also be left out of the file. */
  required: boolean;
  description: string;
  example: string;
};

export const REGISTER_COLUMNS: ReadonlyArray<RegisterColumn> = [
  { name: "reference", required: true, description: "Your reference for the contract, unique in the file, up to 50 characters", example: "CON-2025-001" },
  { name: "title", required: true, description: "What the contract is for", example: "Facilities management, head office" },
  { name: "supplier_name", required: true, description: "The supplier's legal name", example: "Acme Services Ltd" },
  {
    name: "supplier_company_number",
    required: false,
    description: "Companies House number: 8 digits (01234567) or 2 letters and 6 digits (SC123456). Format the column as text so leading zeros stay",
    example: "01234567",
  },
  { name: "supplier_country", required: false, description: "Where the supplier is registered, as a 2-letter ISO code; GB when empty", example: "GB" },
  { name: "category", required: true, description: "The category of goods or services", example: "Facilities management" },
  { name: "annual_value_gbp", required: true, description: "Value a year in pounds, like 6,500,000.00; sets the tier", example: "6,500,000.00" },
  { name: "total_value_gbp", required: true, description: "Value over the whole contract in pounds, like 19,500,000.00", example: "19,500,000.00" },
  { name: "start_date", required: true, description: "Start date, day first: 01/04/2025 (or 2025-04-01)", example: "01/04/2025" },
  { name: "end_date", required: true, description: "End date, on or after the start date: 31/03/2028", example: "31/03/2028" },
  { name: "contract_manager_email", required: false, description: "Email address of the buyer's contract manager", example: "jo.bloggs@example.gov.uk" },
  { name: "tier_override", required: false, description: "gold, silver or bronze to set the tier instead of the annual value; usually empty", example: "" },
  { name: "tier_override_reason", required: false, description: "Why the tier is overridden; required when tier_override is given", example: "" },
];

const COLUMN_NAMES = REGISTER_COLUMNS.map((c) => c.name);

/**
 * Columns an export of the register adds after the register's own: what Lantern works out (the
 * tier, the status on the day of the export, the risk assessment). An exported file imports again
 * as it is; these columns are not read.
 */
export const EXPORT_ONLY_COLUMNS: ReadonlyArray<string> = ["tier", "status", "risk_indicator_count", "priority", "risk_assessed_at"];

export type ContractRow = {
  /** The spreadsheet row the contract came from. */
  row: number;
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
  tierOverride: { tier: Tier; reason: string } | null;
};

export type RegisterProblem = { row: number; column: string; message: string };

export type RegisterImport = { ok: true; rows: ContractRow[] } | { ok: false; problems: RegisterProblem[] };

/** A cell as read: CSV gives strings; a workbook also gives dates, booleans and numbers (kept as their text). */
type RawCell = string | Date | boolean | XlsxNumber | null | undefined;
type XlsxNumber = { number: string };

const REFUSED = Symbol("refused");

const isXlsxNumber = (cell: RawCell): cell is XlsxNumber => typeof cell === "object" && cell !== null && !(cell instanceof Date);

function isBlank(cell: RawCell): boolean {
  return cell === null || cell === undefined || (typeof cell === "string" && cell.trim() === "");
}

function columnLetter(index: number): string {
  let letters = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

const fileProblem = (message: string): RegisterImport => ({ ok: false, problems: [{ row: 0, column: "", message }] });

const tooManyContracts = (contracts: number) =>
  `The file has ${contracts.toLocaleString("en-GB")} contracts: the most one file can hold is ${MAX_REGISTER_ROWS.toLocaleString("en-GB")}. Split it into smaller files`;

const tooBig = (bytes: number) =>
  fileProblem(`The file is ${(bytes / 1024 / 1024).toFixed(1)} MB: the most it can be is ${MAX_REGISTER_BYTES / 1024 / 1024} MB. Split the register into smaller files`);

// ---- CSV --------------------------------------------------------------------------------------

export function parseRegisterCsv(text: string): RegisterImport {
  if (text.length > MAX_REGISTER_BYTES) return tooBig(text.length);
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_REGISTER_BYTES) return tooBig(bytes);
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true }) as string[][];
  } catch (error) {
    const records = (error as { records?: number }).records;
    const message = (error as Error).message.replace(/ at line \d+.*$/, "");
    return {
      ok: false,
      problems: [{ row: typeof records === "number" ? records + 1 : 0, column: "", message: `The file is not valid CSV here (${message}): check the quotes in this row, or save the file again as CSV` }],
    };
  }
  return checkRegister(records);
}

/** The template to download: the header and one example row. */
export function registerTemplateCsv(): string {
  const line = (cells: string[]) => cells.map(csvCell).join(",");
  return `${line(COLUMN_NAMES)}\r\n${line(REGISTER_COLUMNS.map((c) => c.example))}\r\n`;
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

// ---- Excel ------------------------------------------------------------------------------------

/**
 * The first sheet of an .xlsx workbook. Numbers are kept as the text the workbook stores, so money
 * is read without floating-point rounding; cells formatted as dates come as dates. A formula cell
 * gives the value the spreadsheet last calculated (the formula itself is not read). A workbook
 * beyond the limits of ./workbook (a cell over 32 kB, more rows than a register holds, parts that
 * unpack too big) is refused with the reason, before its XML is parsed.
 */
export async function parseRegisterXlsx(buffer: Buffer): Promise<RegisterImport> {
  if (buffer.length > MAX_REGISTER_BYTES) return tooBig(buffer.length);
  // The header and the contracts: the same most as a CSV file may hold.
  const sheet = await readFirstSheet(buffer, { maxValueRows: MAX_REGISTER_ROWS + 1 });
  if (!sheet.ok) return fileProblem(describeWorkbookProblem(sheet.problem, (valueRows) => tooManyContracts(valueRows - 1)));
  return checkRegister(sheet.table);
}

// ---- the checks, the same for both --------------------------------------------------------------

function checkRegister(table: RawCell[][]): RegisterImport {
  const problems = new ProblemList();
  const header = table[0];
  if (!header || header.every(isBlank)) return fileProblem("The file is empty: start from the template, with the column names in row 1");

  const ignored = new Set<number>();
  const columns = checkHeader(header, problems, ignored);
  if (!columns) return { ok: false, problems: problems.list() };

  let dataRows = 0;
  for (let r = 1; r < table.length; r++) if (!table[r]!.every(isBlank)) dataRows++;
  if (dataRows === 0) return { ok: false, problems: [{ row: 2, column: "", message: "The file has no contracts: add one row for each contract below the header" }] };
  if (dataRows > MAX_REGISTER_ROWS) return fileProblem(tooManyContracts(dataRows));

  const rows: ContractRow[] = [];
  const references = new Map<string, number>();
  for (let r = 1; r < table.length; r++) {
    const cells = table[r]!;
    if (cells.every(isBlank)) continue;
    const row = checkRow(r + 1, cells, columns, problems, references, ignored);
    if (row) rows.push(row);
  }
  return problems.size > 0 ? { ok: false, problems: problems.list() } : { ok: true, rows };
}

class ProblemList {
  private readonly listed: RegisterProblem[] = [];
  private unlisted = 0;
  get size() {
    return this.listed.length + this.unlisted;
  }
  add(row: number, column: string, message: string) {
    if (this.listed.length < MAX_LISTED_PROBLEMS) this.listed.push({ row, column, message });
    else this.unlisted++;
  }
  list(): RegisterProblem[] {
    if (this.unlisted === 0) return this.listed;
    return [...this.listed, { row: 0, column: "", message: `${this.unlisted.toLocaleString("en-GB")} more problems are not listed: fix these and import the file again` }];
  }
}

/** Column name to its index in the file, or undefined when the header is wrong (problems are added). */
function checkHeader(header: RawCell[], problems: ProblemList, ignored: Set<number>): Map<string, number> | undefined {
  const columns = new Map<string, number>();
  header.forEach((cell, index) => {
    if (isBlank(cell)) return;
    const shown = cellText(cell).trim();
    const name = shown.toLowerCase();
    if (EXPORT_ONLY_COLUMNS.includes(name)) {
      ignored.add(index);
    } else if (!COLUMN_NAMES.includes(name)) {
      const hint = /[;\t|]/.test(shown) ? ": the file looks separated by semicolons or tabs; save it as CSV (comma delimited)" : ": use the column names from the template";
      problems.add(1, shown.slice(0, 60), `${quoted(shown)} in column ${columnLetter(index)} is not a register column${hint}`);
    } else if (columns.has(name)) {
      problems.add(1, name, `'${name}' appears twice (columns ${columnLetter(columns.get(name)!)} and ${columnLetter(index)}): keep one`);
    } else {
      columns.set(name, index);
    }
  });
  for (const column of REGISTER_COLUMNS) {
    if (column.required && !columns.has(column.name)) problems.add(1, column.name, `The column '${column.name}' is missing: add it to row 1 (${column.description})`);
  }
  if (columns.has("tier_override") !== columns.has("tier_override_reason")) {
    const missing = columns.has("tier_override") ? "tier_override_reason" : "tier_override";
    problems.add(1, missing, `The column '${missing}' is missing: tier_override and tier_override_reason go together`);
  }
  return problems.size > 0 ? undefined : columns;
}

function cellText(cell: RawCell): string {
  if (cell === null || cell === undefined) return "";
  if (typeof cell === "string") return cell;
  if (typeof cell === "boolean") return cell ? "TRUE" : "FALSE";
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? "" : cell.toISOString().slice(0, 10);
  return cell.number;
}

const COMPANY_NUMBER = /^(\d{8}|[A-Z]{2}\d{6})$/;

function checkRow(
  rowNumber: number,
  cells: RawCell[],
  columns: Map<string, number>,
  problems: ProblemList,
  references: Map<string, number>,
  ignored: Set<number>,
): ContractRow | undefined {
  const before = problems.size;
  const add = (column: string, message: string) => problems.add(rowNumber, column, message);

  const named = new Set(columns.values());
  cells.forEach((cell, index) => {
    if (!named.has(index) && !ignored.has(index) && !isBlank(cell)) add(`column ${columnLetter(index)}`, `This cell is outside the columns named in row 1: remove it or give the column a name from the template`);
  });

  /** The raw cell, once it has passed the checks every cell gets; REFUSED when it failed them. */
  const raw = (name: string): RawCell | typeof REFUSED => {
    const index = columns.get(name);
    const cell = index === undefined ? null : cells[index];
    if (typeof cell !== "string") return cell;
    if (hasControlChars(cell)) {
      add(name, "This cell contains control characters (invisible characters no one types): remove them and type it again");
      return REFUSED;
    }
    const formula = formulaProblem(cell);
    if (formula) {
      add(name, formula);
      return REFUSED;
    }
    return cell;
  };

  const text = (name: string, required: boolean, max = MAX_TEXT_LENGTH, what = name.replace(/_/g, " ")): string | null => {
    const cell = raw(name);
    if (cell === REFUSED) return null;
    if (cell instanceof Date) {
      add(name, `This cell is formatted as a date: format it as text and type the ${what} again`);
      return null;
    }
    const value = cellText(cell).trim();
    if (value === "") {
      if (required) add(name, `Enter the ${what}`);
      return null;
    }
    if (value.length > max) {
      add(name, `The ${what} is ${value.length} characters long: it must be ${max} characters or fewer`);
      return null;
    }
    return value;
  };

  const money = (name: string): number | null => {
    const cell = raw(name);
    if (cell === REFUSED) return null;
    if (cell instanceof Date) {
      add(name, "This cell is formatted as a date: format it as a number and enter the amount in pounds");
      return null;
    }
    const parsed = isXlsxNumber(cell) ? moneyFromNumber(cell.number) : parseMoney(cellText(cell));
    if (!parsed.ok) {
      add(name, parsed.error);
      return null;
    }
    return parsed.value;
  };

  const date = (name: string): string | null => {
    const cell = raw(name);
    if (cell === REFUSED) return null;
    if (isXlsxNumber(cell)) {
      add(name, `This cell holds the number ${cell.number}, not a date: format the cell as a date, or type the date like 31/03/2025`);
      return null;
    }
    const parsed = cell instanceof Date ? isoDateFromDate(cell) : parseUkDate(cellText(cell));
    if (!parsed.ok) {
      add(name, parsed.error);
      return null;
    }
    return parsed.value;
  };

  const reference = text("reference", true, MAX_REFERENCE_LENGTH);
  if (reference !== null) {
    const key = reference.toLowerCase();
    const first = references.get(key);
    if (first !== undefined) add("reference", `The reference '${reference}' is already used in row ${first}: each contract needs its own reference`);
    else references.set(key, rowNumber);
  }
  const title = text("title", true);
  const supplierName = text("supplier_name", true, MAX_TEXT_LENGTH, "supplier's name");
  const companyCell = raw("supplier_company_number");
  const supplierCompanyNumber = companyCell === REFUSED ? null : companyNumber(companyCell, add);
  const country = text("supplier_country", false, 10, "supplier's country");
  const supplierCountry = (country ?? "GB").toUpperCase();
  if (country !== null && !isCountryCode(supplierCountry)) add("supplier_country", `'${country}' is not a country code: use the 2-letter ISO code, like GB or FR`);
  const category = text("category", true);
  const annualValuePence = money("annual_value_gbp");
  const totalValuePence = money("total_value_gbp");
  const startDate = date("start_date");
  const endDate = date("end_date");
  if (startDate && endDate && endDate < startDate) add("end_date", `The end date ${endDate} is before the start date ${startDate}: check both dates`);
  const contractManagerEmail = text("contract_manager_email", false, 254, "contract manager's email address");
  if (contractManagerEmail !== null && !EMAIL_ADDRESS.test(contractManagerEmail)) {
    add("contract_manager_email", `'${contractManagerEmail}' is not an email address: write it like name@example.gov.uk`);
  }
  const overrideText = text("tier_override", false, 20);
  const overrideReason = text("tier_override_reason", false, MAX_OVERRIDE_REASON, "reason for the tier override");
  let tierOverride: ContractRow["tierOverride"] = null;
  if (overrideText !== null) {
    const tier = parseTier(overrideText);
    if (!tier) add("tier_override", `'${overrideText}' is not a tier: write gold, silver or bronze, or leave it empty`);
    else {
      const problem = checkTierOverride({ tier, reason: overrideReason });
      if (problem) add("tier_override_reason", problem);
      else tierOverride = { tier, reason: overrideReason! };
    }
  } else if (overrideReason !== null) {
    add("tier_override", "A reason is given but no tier: write gold, silver or bronze here, or empty the reason");
  }

  if (problems.size > before) return undefined;
  return {
    row: rowNumber,
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
  };
}

/**
 * A Companies House number. A workbook cell holding a number has lost its leading zeros (a number
 * cannot keep them), and the only 8-character company number it can stand for is the number padded
 * back to 8 digits, so that is taken. Text with 7 digits is refused: it may equally be a mistyped
 * number missing some other digit.
 */
function companyNumber(cell: RawCell, add: (column: string, message: string) => void): string | null {
  const column = "supplier_company_number";
  if (cell === null || cell === undefined || isBlank(cell)) return null;
  if (isXlsxNumber(cell)) {
    if (/^\d{1,8}$/.test(cell.number)) return cell.number.padStart(8, "0");
    add(column, `'${cell.number}' is not a company number: it has 8 characters, like 01234567 or SC123456`);
    return null;
  }
  if (cell instanceof Date || typeof cell === "boolean") {
    add(column, "This cell is not a company number: format the column as text and type the number, like 01234567");
    return null;
  }
  const value = cell.trim().toUpperCase().replace(/\s+/g, "");
  if (COMPANY_NUMBER.test(value)) return value;
  if (/^\d{1,7}$/.test(value)) {
    add(column, `${quoted(cell.trim())} has ${value.length} digits: company numbers have 8 characters. If a spreadsheet dropped leading zeros, add them back (like 0${value.padStart(7, "0")}) and format the column as text`);
  } else {
    add(column, `${quoted(cell.trim())} is not a Companies House number: use 8 digits (01234567) or 2 letters and 6 digits (SC123456)`);
  }
  return null;
}

/** A number cell's stored text to pence: the workbook already holds a number, so no commas or £ to read. */
function moneyFromNumber(stored: string): { ok: true; value: number } | { ok: false; error: string } {
  const value = Number(stored);
  if (!Number.isFinite(value)) return { ok: false, error: `'${stored}' is not an amount in pounds: enter it like 1234.56` };
  if (value < 0) return { ok: false, error: `'${stored}' is negative: enter the amount as 0 or more, like 1,234.56` };
  const pence = Math.round(value * 100);
  // A stored 1234.56 is 123455.99999999999 pence once multiplied: allow for that, not for a real fraction of a penny.
  if (Math.abs(value * 100 - pence) > Math.max(1e-6, pence * 1e-14)) {
    return { ok: false, error: `'${stored}' has more than 2 decimal places: round it to the nearest penny` };
  }
  if (!Number.isSafeInteger(pence)) return { ok: false, error: `'${stored}' is too large to be a contract value: check it` };
  return { ok: true, value: pence };
}
