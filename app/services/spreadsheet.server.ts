/**
 * A table downloaded as CSV or an Excel workbook: typed cells written the same way by every export
 * (the register, the actions tracker). Every text cell is neutralised so no spreadsheet runs it as a
 * formula; CSV starts with a byte order mark so spreadsheets read the £ and accents as UTF-8.
 */
import writeExcelFile, { type Cell, type SheetData } from "write-excel-file/node";
import { neutraliseForExport, poundsText, ukDate } from "../domain/contracts";
import type { DownloadFile } from "./download.server";

export const EXPORT_FORMATS = ["csv", "xlsx"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The format asked for in a query string; CSV for anything else. */
export const exportFormatOf = (value: string | null): ExportFormat => (EXPORT_FORMATS.includes(value as ExportFormat) ? (value as ExportFormat) : "csv");

export type ExportCell = { kind: "text"; value: string } | { kind: "money"; pence: number } | { kind: "date"; iso: string } | { kind: "count"; value: number } | { kind: "empty" };

/** A text cell, or an empty one for null or "". */
export const textCell = (value: string | null): ExportCell => (value === null || value === "" ? { kind: "empty" } : { kind: "text", value });

/** A CSV field: quoted when it holds a quote, comma, line break or edge spaces. */
export function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvCell(cell: ExportCell): string {
  switch (cell.kind) {
    case "text":
      return csvField(neutraliseForExport(cell.value));
    case "money":
      return poundsText(cell.pence);
    case "date":
      return ukDate(cell.iso);
    case "count":
      return String(cell.value);
    case "empty":
      return "";
  }
}

export function xlsxCell(cell: ExportCell): Cell {
  switch (cell.kind) {
    case "text":
      return { type: String, value: neutraliseForExport(cell.value) };
    case "money":
      return { type: Number, value: cell.pence / 100, format: "#,##0.00" };
    case "date":
      return { type: Date, value: new Date(`${cell.iso}T00:00:00Z`), format: "dd/mm/yyyy" };
    case "count":
      return { type: Number, value: cell.value };
    case "empty":
      return null;
  }
}

/**
 * One table as a file to download: `name-yyyy-mm-dd.csv` or `.xlsx` (one sheet, its header row
 * bold and kept in view), with the number of rows.
 */
export async function spreadsheetFile(
  table: { name: string; sheet: string; columns: readonly string[]; rows: ExportCell[][] },
  format: ExportFormat,
  now: Date,
): Promise<DownloadFile & { body: Buffer; count: number }> {
  const date = now.toISOString().slice(0, 10);
  const count = table.rows.length;
  if (format === "csv") {
    const lines = [table.columns.map(csvField).join(","), ...table.rows.map((row) => row.map(csvCell).join(","))];
    return { filename: `${table.name}-${date}.csv`, contentType: "text/csv; charset=utf-8", body: Buffer.from(`\uFEFF${lines.join("\r\n")}\r\n`, "utf8"), count };
  }
  const header: Cell[] = table.columns.map((name) => ({ type: String, value: name, fontWeight: "bold" }));
  const sheet: SheetData = [header, ...table.rows.map((row) => row.map(xlsxCell))];
  const body = await writeExcelFile(sheet, { sheet: table.sheet, stickyRowsCount: 1 }).toBuffer();
  return { filename: `${table.name}-${date}.xlsx`, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body, count };
}
