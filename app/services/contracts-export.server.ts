/** A buyer's contract register, filtered, downloaded as CSV or an Excel workbook. */
import { REGISTER_COLUMNS } from "../domain/register-import";
import type { CurrentUser } from "./auth.server";
import { ukDateOf } from "../domain/programme";
import { type ContractRowFromDb, requireBuyer, statusOf, tierOf } from "./contract-rows.server";
import { type ContractFilters, filteredContracts } from "./contracts-filter.server";
import { type DepartmentSettings, tierThresholds } from "./department-settings.server";
import { type ExportCell, type ExportFormat, spreadsheetFile, textCell } from "./spreadsheet.server";

export { EXPORT_FORMATS, type ExportFormat } from "./spreadsheet.server";

/** The import's columns, so an export can be imported again, then what Lantern worked out. */
export const EXPORT_COLUMNS = [...REGISTER_COLUMNS.map((c) => c.name), "tier", "status", "risk_indicator_count", "priority", "risk_assessed_at"] as const;

function exportRow(r: ContractRowFromDb, settings: DepartmentSettings, today: string): ExportCell[] {
  const text = textCell;
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
    text(statusOf(r, today).status),
    assessed ? { kind: "count", value: r.risk_count ?? 0 } : { kind: "empty" },
    assessed ? text((r.risk_count ?? 0) >= settings.priorityThreshold ? "yes" : "no") : { kind: "empty" },
    assessed ? { kind: "date", iso: r.risk_assessed_at!.slice(0, 10) } : { kind: "empty" },
  ];
}

/**
 * Every contract matching the filters (not a page), as CSV or an Excel workbook, in the import's
 * columns plus tier, status (live or ended today) and risk. Every text cell is neutralised so no spreadsheet runs it as a formula.
 */
export async function exportContracts(user: CurrentUser, filters: ContractFilters, format: ExportFormat, now = new Date()) {
  requireBuyer(user);
  const settings = await tierThresholds(user.organisationId);
  const base = await filteredContracts(user, filters, settings, now);
  const rows = await base.selectAll("contract").orderBy("reference").execute();
  return spreadsheetFile({ name: "contracts", sheet: "Contracts", columns: EXPORT_COLUMNS, rows: rows.map((r) => exportRow(r, settings, ukDateOf(now))) }, format, now);
}
