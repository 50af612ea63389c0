import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import writeExcelFile from "write-excel-file/node";
import type { SheetData } from "write-excel-file/node";
import {
  MAX_LISTED_PROBLEMS,
  MAX_REGISTER_BYTES,
  MAX_REGISTER_ROWS,
  REGISTER_COLUMNS,
  type RegisterImport,
  type RegisterProblem,
  parseRegisterCsv,
  parseRegisterXlsx,
  registerTemplateCsv,
} from "../../app/domain/register-import";

const HEADER = REGISTER_COLUMNS.map((c) => c.name);
type Cells = Record<string, string>;

/** A valid row for contract i: values vary so every tier and date shape is exercised. */
function validRow(i: number): Cells {
  const annual = [45_000_000, 40_000_000, 5_000_000, 4_999_999.99, 120_000][i % 5]!;
  return {
    reference: `CON-${String(i).padStart(6, "0")}`,
    title: `Contract ${i}, "services"`,
    supplier_name: `Supplier ${i % 700} Ltd`,
    supplier_company_number: i % 3 === 0 ? "" : i % 3 === 1 ? String(i).padStart(8, "0") : `sc${String(i).padStart(6, "0")}`,
    supplier_country: i % 4 === 0 ? "" : i % 4 === 1 ? "GB" : "fr",
    category: ["Facilities management", "Construction", "IT hardware"][i % 3]!,
    annual_value_gbp: i % 2 === 0 ? annual.toLocaleString("en-GB", { minimumFractionDigits: 2 }) : String(annual),
    total_value_gbp: `£${(annual * 3).toLocaleString("en-GB", { maximumFractionDigits: 2 })}`,
    start_date: i % 2 === 0 ? "1/4/2025" : "2025-04-01",
    end_date: "31/03/2028",
    contract_manager_email: i % 5 === 0 ? "" : `manager${i % 20}@example.gov.uk`,
    tier_override: i % 50 === 0 ? "Gold" : "",
    tier_override_reason: i % 50 === 0 ? "Critical to frontline services" : "",
  };
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function toCsv(rows: Cells[], header: string[] = HEADER): string {
  const lines = [header.map(csvCell).join(",")];
  for (const row of rows) lines.push(header.map((h) => csvCell(row[h] ?? "")).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

function validRows(count: number): Cells[] {
  return Array.from({ length: count }, (_, i) => validRow(i + 1));
}

/** The file is refused: problems and no rows. */
function problemsOf(result: RegisterImport): RegisterProblem[] {
  expect(result.ok).toBe(false);
  expect(result).not.toHaveProperty("rows");
  if (result.ok) throw new Error("expected problems");
  expect(result.problems.length).toBeGreaterThan(0);
  return result.problems;
}

function rowsOf(result: RegisterImport) {
  if (!result.ok) throw new Error(`expected rows, got problems: ${JSON.stringify(result.problems.slice(0, 5))}`);
  return result.rows;
}

/** A valid file with one cell changed, refused with exactly one problem at that row and column. */
function oneProblem(row: number, column: string, value: string, extra: Cells = {}): RegisterProblem {
  const rows = validRows(10);
  rows[row - 2] = { ...rows[row - 2]!, [column]: value, ...extra };
  const problems = problemsOf(parseRegisterCsv(toCsv(rows)));
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatchObject({ row, column });
  return problems[0]!;
}

const dir = mkdtempSync(join(tmpdir(), "lantern-register-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a workbook to the temp dir and reads it back, as an upload would arrive. */
async function xlsxFile(name: string, data: SheetData): Promise<Buffer> {
  const path = join(dir, name);
  await writeExcelFile(data).toFile(path);
  return readFileSync(path);
}

describe("the template", () => {
  it("documents every column and parses as a valid one-contract register", () => {
    const template = registerTemplateCsv();
    expect(template.split("\r\n")[0]).toBe(HEADER.join(","));
    for (const column of REGISTER_COLUMNS) expect(column.description.length).toBeGreaterThan(10);
    const rows = rowsOf(parseRegisterCsv(template));
    expect(rows).toEqual([
      {
        row: 2,
        reference: "CON-2025-001",
        title: "Facilities management, head office",
        supplierName: "Acme Services Ltd",
        supplierCompanyNumber: "01234567",
        supplierCountry: "GB",
        category: "Facilities management",
        annualValuePence: 650_000_000,
        totalValuePence: 1_950_000_000,
        startDate: "2025-04-01",
        endDate: "2028-03-31",
        contractManagerEmail: "jo.bloggs@example.gov.uk",
        tierOverride: null,
      },
    ]);
  });
});

describe("a valid CSV register", () => {
  it("reads 5,000 rows with every value converted", () => {
    const text = toCsv(validRows(5000));
    writeFileSync(join(dir, "valid.csv"), text);
    const rows = rowsOf(parseRegisterCsv(readFileSync(join(dir, "valid.csv"), "utf8")));
    expect(rows).toHaveLength(5000);
    expect(rows[0]).toMatchObject({
      row: 2,
      reference: "CON-000001",
      title: 'Contract 1, "services"',
      supplierCompanyNumber: "00000001",
      supplierCountry: "GB",
      annualValuePence: 4_000_000_000,
      totalValuePence: 12_000_000_000,
      startDate: "2025-04-01",
      endDate: "2028-03-31",
    });
    expect(rows[1]).toMatchObject({ supplierCompanyNumber: "SC000002", supplierCountry: "FR", annualValuePence: 500_000_000, totalValuePence: 1_500_000_000 });
    expect(rows[2]).toMatchObject({ supplierCompanyNumber: null, supplierCountry: "FR", annualValuePence: 499_999_999 });
    expect(rows[3]).toMatchObject({ supplierCountry: "GB" });
    expect(rows[4]).toMatchObject({ contractManagerEmail: null });
    expect(rows[49]).toMatchObject({ row: 51, tierOverride: { tier: "gold", reason: "Critical to frontline services" } });
    expect(rows.every((r) => Number.isSafeInteger(r.annualValuePence) && Number.isSafeInteger(r.totalValuePence))).toBe(true);
  });

  // How fast is measured by the register benchmark (tests/bench/register.ts), not here.
  it("reads 10,000 rows, each in order", () => {
    const rows = rowsOf(parseRegisterCsv(toCsv(validRows(10_000))));
    expect(rows).toHaveLength(10_000);
    expect(rows.map((r) => r.row)).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 2));
  });

  it("accepts a byte order mark, header names in any case, and leaves out optional columns", () => {
    const header = ["reference", "title", "supplier_name", "category", "annual_value_gbp", "total_value_gbp", "start_date", "end_date"];
    const text = toCsv(validRows(2), header).replace(/^reference,title,/, " Reference ,TITLE,");
    const rows = rowsOf(parseRegisterCsv(`\uFEFF${text}`));
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ supplierCountry: "GB", supplierCompanyNumber: null, contractManagerEmail: null, tierOverride: null });
  });

  it("counts blank lines and multi-line cells as spreadsheet rows do", () => {
    const rows = validRows(2);
    rows[0]!.title = "Line one\nline two";
    const [header, first, second] = toCsv(rows).split("\r\n");
    const result = parseRegisterCsv([header, first, "", ",,,,,,,,,,,,", second].join("\r\n"));
    expect(rowsOf(result).map((r) => r.row)).toEqual([2, 5]);
    expect(rowsOf(result)[0]!.title).toBe("Line one\nline two");
  });

  it("allows a total value below the annual value, and zero", () => {
    const rows = rowsOf(parseRegisterCsv(toCsv([{ ...validRow(1), annual_value_gbp: "100", total_value_gbp: "0" }])));
    expect(rows[0]).toMatchObject({ annualValuePence: 10000, totalValuePence: 0 });
  });
});

describe("a CSV register that is refused", () => {
  it("names a wrong header in row 1 and reads no rows", () => {
    const header = HEADER.map((h) => (h === "supplier_name" ? "supplier" : h));
    const problems = problemsOf(parseRegisterCsv(toCsv(validRows(3), header)));
    expect(problems).toEqual([
      { row: 1, column: "supplier", message: expect.stringMatching(/'supplier' in column C is not a register column/) },
      { row: 1, column: "supplier_name", message: expect.stringMatching(/column 'supplier_name' is missing/) },
    ]);
  });

  it("names duplicate and missing columns in row 1", () => {
    const header = [...HEADER.filter((h) => h !== "end_date"), "title"];
    const problems = problemsOf(parseRegisterCsv(toCsv(validRows(3), header)));
    expect(problems).toContainEqual({ row: 1, column: "title", message: expect.stringMatching(/appears twice \(columns B and M\)/) });
    expect(problems).toContainEqual({ row: 1, column: "end_date", message: expect.stringMatching(/missing/) });
    expect(problems.every((p) => p.row === 1)).toBe(true);
  });

  it("says so when the file is separated by semicolons", () => {
    const problems = problemsOf(parseRegisterCsv(`${HEADER.join(";")}\n${HEADER.map(() => "x").join(";")}\n`));
    expect(problems[0]!.message).toMatch(/semicolons/);
  });

  it("needs tier_override and tier_override_reason together", () => {
    const header = HEADER.filter((h) => h !== "tier_override_reason");
    const problems = problemsOf(parseRegisterCsv(toCsv(validRows(2), header)));
    expect(problems).toEqual([{ row: 1, column: "tier_override_reason", message: expect.stringMatching(/go together/) }]);
  });

  it("refuses an empty file and a file with only a header", () => {
    expect(problemsOf(parseRegisterCsv(""))[0]).toMatchObject({ row: 0, message: expect.stringMatching(/empty/) });
    expect(problemsOf(parseRegisterCsv(toCsv([])))[0]).toMatchObject({ row: 2, message: expect.stringMatching(/no contracts/) });
  });

  it("names a bad date", () => {
    expect(oneProblem(4, "start_date", "31/02/2025").message).toMatch(/February 2025 has 28 days/);
    expect(oneProblem(3, "end_date", "31/03/28").message).toMatch(/2-digit year/);
  });

  it("names an end date before the start date", () => {
    expect(oneProblem(5, "end_date", "31/03/2024").message).toMatch(/before the start date/);
  });

  it("names a negative value", () => {
    expect(oneProblem(6, "annual_value_gbp", "-5").message).toMatch(/negative/);
    expect(oneProblem(2, "total_value_gbp", "-1,000.00").message).toMatch(/negative/);
  });

  it("names other bad money", () => {
    expect(oneProblem(2, "annual_value_gbp", "1,23,4").message).toMatch(/commas in the wrong places/);
    expect(oneProblem(2, "annual_value_gbp", "12.345").message).toMatch(/2 decimal places/);
    expect(oneProblem(2, "total_value_gbp", "").message).toMatch(/Enter an amount/);
  });

  it("names a duplicate reference, whatever its case, with the row it repeats", () => {
    const rows = validRows(10);
    rows[7]!.reference = rows[2]!.reference!.toLowerCase();
    const problems = problemsOf(parseRegisterCsv(toCsv(rows)));
    expect(problems).toEqual([{ row: 9, column: "reference", message: expect.stringMatching(/already used in row 4/) }]);
  });

  it("names a reference that is too long or missing", () => {
    expect(oneProblem(2, "reference", "R".repeat(51)).message).toMatch(/50 characters or fewer/);
    expect(oneProblem(2, "reference", "   ").message).toMatch(/Enter the reference/);
    expect(oneProblem(3, "supplier_name", "").message).toMatch(/Enter the supplier's name/);
  });

  it("names an unknown tier, an override without a reason and a reason without an override", () => {
    expect(oneProblem(3, "tier_override", "platinum", { tier_override_reason: "Because" }).message).toMatch(/not a tier/);
    expect(oneProblem(3, "tier_override_reason", "", { tier_override: "silver" }).message).toMatch(/reason/);
    expect(oneProblem(3, "tier_override", "", { tier_override_reason: "Because" }).message).toMatch(/no tier/);
  });

  it("names a formula injection cell", () => {
    const problem = oneProblem(7, "title", '=HYPERLINK("http://x","y")');
    expect(problem.message).toMatch(/starts with '='.*formula/);
    expect(oneProblem(2, "supplier_name", "@SUM(A1)").message).toMatch(/'@'/);
    expect(oneProblem(2, "category", "\tConstruction").message).toMatch(/a tab/);
    expect(oneProblem(2, "supplier_name", " +cmd").message).toMatch(/'\+'/);
  });

  it("names control characters", () => {
    expect(oneProblem(2, "title", "Bad\u0000title").message).toMatch(/control characters/);
    expect(oneProblem(2, "reference", "REF\u001B1").message).toMatch(/control characters/);
  });

  it("names bad company numbers, countries and emails", () => {
    expect(oneProblem(2, "supplier_company_number", "1234567").message).toMatch(/7 digits.*01234567/);
    expect(oneProblem(2, "supplier_company_number", "ABC12345").message).toMatch(/not a Companies House number/);
    expect(oneProblem(2, "supplier_company_number", "123456789").message).toMatch(/not a Companies House number/);
    expect(oneProblem(2, "supplier_country", "UK").message).toMatch(/not a country code/);
    expect(oneProblem(2, "supplier_country", "GBR").message).toMatch(/not a country code/);
    expect(oneProblem(2, "contract_manager_email", "jo.bloggs").message).toMatch(/not an email address/);
    expect(oneProblem(2, "contract_manager_email", "jo@localhost").message).toMatch(/not an email address/);
  });

  it("cuts long values short when it shows them back", () => {
    const message = oneProblem(2, "annual_value_gbp", `${"9".repeat(5000)}x`).message;
    expect(message.length).toBeLessThan(200);
    expect(message).toContain("…");
  });

  it("names values outside the named columns", () => {
    const text = toCsv(validRows(2)).replace(/\r\n$/, ",surprise\r\n");
    expect(problemsOf(parseRegisterCsv(text))).toEqual([{ row: 3, column: "column N", message: expect.stringMatching(/outside the columns/) }]);
  });

  it("names the row of broken CSV quoting", () => {
    const [header, first, second] = toCsv(validRows(2)).split("\r\n");
    const problems = problemsOf(parseRegisterCsv([header, first, `x"y${second}`].join("\r\n")));
    expect(problems).toEqual([{ row: 3, column: "", message: expect.stringMatching(/not valid CSV/) }]);
  });

  it("lists every problem in the file, up to a limit", () => {
    const rows = validRows(30);
    rows[1]!.start_date = "bad";
    rows[20]!.annual_value_gbp = "-1";
    const problems = problemsOf(parseRegisterCsv(toCsv(rows)));
    expect(problems.map((p) => [p.row, p.column])).toEqual([
      [3, "start_date"],
      [22, "annual_value_gbp"],
    ]);
    const many = validRows(MAX_LISTED_PROBLEMS + 10).map((r) => ({ ...r, start_date: "soon" }));
    const listed = problemsOf(parseRegisterCsv(toCsv(many)));
    expect(listed).toHaveLength(MAX_LISTED_PROBLEMS + 1);
    expect(listed.at(-1)).toEqual({ row: 0, column: "", message: expect.stringMatching(/^10 more problems/) });
  });

  it("refuses a file over 20 MB before parsing it", () => {
    const row = toCsv([validRow(1)]).split("\r\n")[1]!;
    // It ends in an unterminated quote: had the file been parsed, that would be the problem named.
    const text = `${HEADER.join(",")}\r\n${`${row}\r\n`.repeat(Math.ceil(MAX_REGISTER_BYTES / row.length) + 1)}"unterminated`;
    writeFileSync(join(dir, "big.csv"), text);
    const problems = problemsOf(parseRegisterCsv(readFileSync(join(dir, "big.csv"), "utf8")));
    expect(problems).toEqual([{ row: 0, column: "", message: expect.stringMatching(/the most it can be is 20 MB/) }]);
  });

  it("counts bytes, not characters, against the limit", () => {
    const text = "é".repeat(MAX_REGISTER_BYTES / 2 + 1);
    expect(problemsOf(parseRegisterCsv(text))[0]!.message).toMatch(/20 MB/);
  });

  it(`refuses more than ${MAX_REGISTER_ROWS.toLocaleString("en-GB")} rows`, () => {
    const rows = validRows(MAX_REGISTER_ROWS + 1);
    const problems = problemsOf(parseRegisterCsv(toCsv(rows)));
    expect(problems).toEqual([{ row: 0, column: "", message: expect.stringMatching(/20,001 contracts.*20,000/) }]);
    expect(parseRegisterCsv(toCsv(rows.slice(0, MAX_REGISTER_ROWS))).ok).toBe(true);
  });
});

describe("an Excel register", () => {
  /** Sheet data from rows, with money as numbers and dates as date cells, as a spreadsheet would hold them. */
  function sheet(rows: Cells[]): SheetData {
    return [
      [...HEADER],
      ...rows.map((row, i) =>
        HEADER.map((h) => {
          const value = row[h] ?? "";
          if (value === "") return null;
          if (h === "annual_value_gbp" && i % 2 === 0) return Number(value.replace(/[£,]/g, ""));
          if (h === "start_date" && i % 3 === 0) return { value: new Date(Date.UTC(2025, 3, 1)), format: "dd/mm/yyyy" };
          if (h === "supplier_company_number" && /^\d+$/.test(value) && i % 2 === 0) return Number(value);
          return value;
        }),
      ),
    ];
  }

  it("reads 5,000 rows, with numbers, dates and text cells", async () => {
    const buffer = await xlsxFile("valid.xlsx", sheet(validRows(5000)));
    const rows = rowsOf(await parseRegisterXlsx(buffer));
    expect(rows).toHaveLength(5000);
    const csvRows = rowsOf(parseRegisterCsv(toCsv(validRows(5000))));
    expect(rows).toEqual(csvRows);
  });

  it("reads money stored as numbers to exact pence", async () => {
    const data = sheet([validRow(1)]);
    data[1]![HEADER.indexOf("annual_value_gbp")] = 1234.56;
    data[1]![HEADER.indexOf("total_value_gbp")] = 0.29;
    const rows = rowsOf(await parseRegisterXlsx(await xlsxFile("money.xlsx", data)));
    expect(rows[0]).toMatchObject({ annualValuePence: 123456, totalValuePence: 29 });
  });

  it("pads a company number a spreadsheet stored as a number back to 8 digits", async () => {
    const data = sheet([validRow(1)]);
    data[1]![HEADER.indexOf("supplier_company_number")] = 1234567;
    const rows = rowsOf(await parseRegisterXlsx(await xlsxFile("company.xlsx", data)));
    expect(rows[0]!.supplierCompanyNumber).toBe("01234567");
  });

  it("refuses a formula injection cell, naming row and column", async () => {
    const data = sheet(validRows(5));
    data[3]![HEADER.indexOf("supplier_name")] = '=HYPERLINK("http://x","y")';
    const problems = problemsOf(await parseRegisterXlsx(await xlsxFile("injection.xlsx", data)));
    expect(problems).toEqual([{ row: 4, column: "supplier_name", message: expect.stringMatching(/formula/) }]);
  });

  it("refuses a wrong header, a bad date, a negative value, a duplicate reference and an unknown tier", async () => {
    const header = sheet(validRows(2));
    header[0]![0] = "ref";
    expect(problemsOf(await parseRegisterXlsx(await xlsxFile("header.xlsx", header)))).toContainEqual({
      row: 1,
      column: "ref",
      message: expect.stringMatching(/not a register column/),
    });

    const data = sheet(validRows(6));
    data[2]![HEADER.indexOf("end_date")] = "31/02/2026";
    data[3]![HEADER.indexOf("annual_value_gbp")] = -5;
    data[4]![HEADER.indexOf("reference")] = validRow(1).reference;
    data[5]![HEADER.indexOf("tier_override")] = "platinum";
    data[5]![HEADER.indexOf("tier_override_reason")] = "Because";
    data[6]![HEADER.indexOf("start_date")] = 45000;
    const problems = problemsOf(await parseRegisterXlsx(await xlsxFile("bad.xlsx", data)));
    expect(problems.map((p) => [p.row, p.column])).toEqual([
      [3, "end_date"],
      [4, "annual_value_gbp"],
      [5, "reference"],
      [6, "tier_override"],
      [7, "start_date"],
    ]);
    expect(problems[1]!.message).toMatch(/negative/);
    expect(problems[4]!.message).toMatch(/number 45000, not a date/);
  });

  it("refuses a file over 20 MB before reading it", async () => {
    const problems = problemsOf(await parseRegisterXlsx(Buffer.alloc(MAX_REGISTER_BYTES + 1)));
    expect(problems).toEqual([{ row: 0, column: "", message: expect.stringMatching(/20 MB/) }]);
  });

  it("refuses a file that is not a workbook", async () => {
    const problems = problemsOf(await parseRegisterXlsx(Buffer.from(registerTemplateCsv())));
    expect(problems).toEqual([{ row: 0, column: "", message: expect.stringMatching(/cannot be read as an Excel workbook/) }]);
  });
});
