/** The department's agreed actions, as the tracker filters and sorts them, downloaded as CSV or an Excel workbook. */
import { ACTION_STATUS_LABELS } from "../domain/conversations";
import { TIER_LABELS } from "../domain/contracts";
import type { CurrentUser } from "./auth.server";
import type { TrackerQuery } from "../domain/action-tracker";
import { allTrackedActions } from "./actions-tracker.server";
import { type ExportCell, type ExportFormat, spreadsheetFile, textCell } from "./spreadsheet.server";

export const ACTION_EXPORT_COLUMNS = ["supplier", "action", "owner_side", "owner", "due_on", "status", "overdue", "marked_done_on", "tier", "contract_managers", "agreed_on"] as const;

export async function exportTrackedActions(user: CurrentUser, query: Omit<TrackerQuery, "page">, format: ExportFormat, now = new Date()) {
  const actions = await allTrackedActions(user, query, now);
  const date = (iso: string | null): ExportCell => (iso ? { kind: "date", iso: iso.slice(0, 10) } : { kind: "empty" });
  const rows = actions.map((a): ExportCell[] => [
    textCell(a.supplierName),
    textCell(a.description),
    textCell(a.ownerSide === "buyer" ? "Your organisation" : "Supplier"),
    textCell(a.ownerName),
    date(a.dueOn),
    textCell(ACTION_STATUS_LABELS[a.status]),
    textCell(a.overdue ? "yes" : "no"),
    date(a.markedAt),
    textCell(a.tier ? TIER_LABELS[a.tier] : null),
    textCell(a.managers.join(", ")),
    date(a.agreedOn),
  ]);
  return spreadsheetFile({ name: "agreed-actions", sheet: "Agreed actions", columns: ACTION_EXPORT_COLUMNS, rows }, format, now);
}
