import type { LoaderFunctionArgs } from "@remix-run/node";
import writeExcelFile, { type Cell, type SheetData } from "write-excel-file/node";
import { PACK_COLUMNS, type PackColumn, type PackRow, type PackValue, packRows, statementDocument, statementThemes } from "../domain/statement";
import { requireRole } from "../services/auth.server";
import { download } from "../services/download.server";
import { statisticsFor } from "../services/department-statistics.server";
import { httpError, textErrors } from "../services/errors.server";
import { type ExportCell, csvCell as csvOf, textCell, xlsxCell as xlsxOf } from "../services/spreadsheet.server";

const FORMATS = ["csv", "xlsx", "txt"] as const;
type Format = (typeof FORMATS)[number];

/** Each table's sheet in the workbook, with the columns that mean something for it. */
const SHEETS: Array<{ table: keyof ReturnType<typeof packRows>; sheet: string; columns: PackColumn[] }> = [
  {
    table: "findings",
    sheet: "Findings",
    columns: ["period", "id", "title", "theme", "numerator", "denominator", "percent", "too_few", "not_asked", "previous_numerator", "previous_denominator", "previous_percent", "change"],
  },
  { table: "programme", sheet: "Programme", columns: ["period", "id", "title", "numerator", "denominator", "percent", "goal", "previous_numerator", "previous_denominator", "previous_percent", "change"] },
  { table: "scoreChange", sheet: "Score change", columns: ["period", "id", "title", "denominator", "change"] },
  { table: "statement", sheet: "Statement", columns: ["period", "id", "theme", "title"] },
];

/** A value of the pack as a typed cell, written like every other download's. */
const cellOf = (value: PackValue): ExportCell => (value === null ? { kind: "empty" } : typeof value === "number" ? { kind: "count", value } : textCell(value));
const csvCell = (value: PackValue) => csvOf(cellOf(value));
const xlsxCell = (value: PackValue): Cell => xlsxOf(cellOf(value));

/**
 * The statistics page's tables, for the same query: every table in one CSV (its first column names
 * the table), an XLSX workbook with a sheet per table, or the statement's sentences as plain text.
 */
export const loader = (args: LoaderFunctionArgs) => textErrors(() => exportFile(args));

async function exportFile({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "buyer", ["admin", "analyst"]);
  const params = new URL(request.url).searchParams;
  const formatText = params.get("format") ?? "csv";
  if (!(FORMATS as readonly string[]).includes(formatText)) httpError(400, `Choose a download format: csv, xlsx or txt (not “${formatText.slice(0, 20)}”).`);
  const format = formatText as Format;

  // Read exactly as the page does, falling back the same way, so the files match what it shows.
  const { query, scope, findings: found, programme } = await statisticsFor(user, params);
  const themes = statementThemes(found.current.figures);
  const name = `${query.period.id}`;

  let file: { filename: string; contentType: string; body: Uint8Array };
  if (format === "txt") {
    const text = statementDocument({
      organisation: user.organisationName,
      periodLabel: query.period.label,
      periodId: query.period.id,
      suppliers: found.current.suppliers,
      scope,
      themes,
    });
    file = { filename: `lantern-statement-${name}.txt`, contentType: "text/plain; charset=utf-8", body: Buffer.from(text, "utf8") };
  } else {
    const pack = packRows({ findings: found, programme, themes });
    if (format === "csv") {
      const rows: PackRow[] = [...pack.findings, ...pack.programme, ...pack.scoreChange, ...pack.statement];
      const lines = [PACK_COLUMNS.join(","), ...rows.map((row) => PACK_COLUMNS.map((c) => csvCell(row[c])).join(","))];
      // A byte order mark, so spreadsheets read the quotation marks and accents as UTF-8.
      file = { filename: `lantern-statistics-${name}.csv`, contentType: "text/csv; charset=utf-8", body: Buffer.from(`\uFEFF${lines.join("\r\n")}\r\n`, "utf8") };
    } else {
      const sheets = SHEETS.map(({ table, sheet, columns }) => {
        const header: Cell[] = columns.map((c) => ({ type: String, value: c, fontWeight: "bold" }));
        const data: SheetData = [header, ...pack[table].map((row) => columns.map((c) => xlsxCell(row[c])))];
        return { data, sheet, stickyRowsCount: 1 };
      });
      const body = await writeExcelFile(sheets).toBuffer();
      file = { filename: `lantern-statistics-${name}.xlsx`, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body };
    }
  }
  return download(file);
}
