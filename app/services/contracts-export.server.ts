/** A buyer's contract register, filtered, downloaded as CSV or an Excel workbook. */
import writeExcelFile, { type Cell, type SheetData } from "write-excel-file/node";
import { neutraliseForExport, poundsText, ukDate } from "../domain/contracts";
import { REGISTER_COLUMNS } from "../domain/register-import";
import type { CurrentUser } from "./auth.server";
import { type ContractRowFromDb, requireBuyer, tierOf } from "./contract-rows.server";
import { type ContractFilters, filteredContracts } from "./contracts-filter.server";
import { type DepartmentSettings, tierThresholds } from "./department-settings.server";

export const EXPORT_FORMATS = ["csv", "xlsx"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The import's columns, so an export can be imported again, then what Lantern worked out. */
export const EXPORT_COLUMNS = [...REGISTER_COLUMNS.map((c) => c.name), "tier", "risk_indicator_count", "priority", "risk_assessed_at"] as const;

type ExportCell = { kind: "text"; value: string } | { kind: "money"; pence: number } | { kind: "date"; iso: string } | { kind: "count"; value: number } | { kind: "empty" };

function exportRow(r: ContractRowFromDb, settings: DepartmentSettings): ExportCell[] {
  const text = (value: string | null): ExportCell => (value === null || value === "" ? { kind: "empty" } : { kind: "text", value });
  const assessed = r.risk_assessed_at !== null;
  return [
    text(r.reference),
    text(r.title),
    text(r.supplier_name),
    text(r.supplier_company_number),
    text(r.supplier_country),
    text(r.category),
    { kind: "money", pence: Number(r.annual_value_pence) },
    { kind: "money", pence: Number(r.total_value_pence) },
    { kind: "date", iso: r.start_date },
    { kind: "date", iso: r.end_date },
    text(r.contract_manager_email),
    text(r.tier_override),
    text(r.tier_override_reason),
    text(tierOf(r, settings).tier),
    assessed ? { kind: "count", value: r.risk_count ?? 0 } : { kind: "empty" },
    assessed ? text((r.risk_count ?? 0) >= settings.priorityThreshold ? "yes" : "no") : { kind: "empty" },
    assessed ? { kind: "date", iso: r.risk_assessed_at!.slice(0, 10) } : { kind: "empty" },
  ];
}

/** A CSV field: quoted when it holds a quote, comma, line break or edge spaces. */
function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvCell(cell: ExportCell): string {
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

function xlsxCell(cell: ExportCell): Cell {
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
 * Every contract matching the filters (not a page), as CSV or an Excel workbook, in the import's
 * columns plus tier and risk. Every text cell is neutralised so no spreadsheet runs it as a formula.
 */
export async function exportContracts(user: CurrentUser, filters: ContractFilters, format: ExportFormat, now = new Date()) {
  requireBuyer(user);
  const settings = await tierThresholds(user.organisationId);
  const base = await filteredContracts(user, filters, settings, now);
  const rows = await base.selectAll("contract").orderBy("reference").execute();
  const cells = rows.map((r) => exportRow(r, settings));
  const date = now.toISOString().slice(0, 10);
  if (format === "csv") {
    const lines = [EXPORT_COLUMNS.join(","), ...cells.map((row) => row.map(csvCell).join(","))];
    // A byte order mark, so spreadsheets read the £ and accents as UTF-8.
    return { filename: `contracts-${date}.csv`, contentType: "text/csv; charset=utf-8", body: Buffer.from(`\uFEFF${lines.join("\r\n")}\r\n`, "utf8"), count: rows.length };
  }
  const header: Cell[] = EXPORT_COLUMNS.map((name) => ({ type: String, value: name, fontWeight: "bold" }));
  const sheet: SheetData = [header, ...cells.map((row) => row.map(xlsxCell))];
  const body = await writeExcelFile(sheet, { sheet: "Contracts", stickyRowsCount: 1 }).toBuffer();
  return { filename: `contracts-${date}.xlsx`, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body, count: rows.length };
}
