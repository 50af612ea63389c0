/**
 * A contract of a buyer's register as the database holds it: who may reach the register, the
 * organisation's own contract (or a 404), and how a row's columns map to the contract's fields,
 * its tier and its saved risk indicators. Shared by the register's use cases.
 */
import type { Selectable } from "kysely";
import type { ContractTable } from "../../db/schema";
import { type ContractFields, type TierThresholds, contractStatus, tierFor } from "../domain/contracts";
import { type IndicatorRecord, RISK_CHARACTERISTICS } from "../domain/prioritisation";
import { isId } from "../domain/text";
import type { CurrentUser } from "./auth.server";
import { getDb } from "./db.server";
import { httpError } from "./errors.server";

export function requireBuyer(user: CurrentUser, roles?: string[], refusal = "Only an administrator can change the contract register.") {
  if (user.organisationKind !== "buyer") httpError(403, "Only a buying organisation keeps a contract register.");
  if (roles && !roles.includes(user.role)) httpError(403, refusal);
}

/** A contract's columns from its checked fields (without the id, organisation and times). */
export function contractValues(row: ContractFields) {
  return {
    reference: row.reference,
    title: row.title,
    supplier_name: row.supplierName,
    supplier_company_number: row.supplierCompanyNumber,
    supplier_country: row.supplierCountry,
    category: row.category,
    annual_value_pence: row.annualValuePence,
    total_value_pence: row.totalValuePence,
    start_date: row.startDate,
    end_date: row.endDate,
    contract_manager_email: row.contractManagerEmail,
    tier_override: row.tierOverride?.tier ?? null,
    tier_override_reason: row.tierOverride?.reason ?? null,
  };
}

/** The columns that hold a contract's fields (ContractFields). */
type FieldColumns =
  | "reference"
  | "title"
  | "supplier_name"
  | "supplier_company_number"
  | "supplier_country"
  | "category"
  | "annual_value_pence"
  | "total_value_pence"
  | "start_date"
  | "end_date"
  | "contract_manager_email"
  | "tier_override"
  | "tier_override_reason";

/** What the register's pages and exports read of a contract. */
export type ContractRowFromDb = Pick<Selectable<ContractTable>, FieldColumns | "id" | "risk_count" | "risk_assessed_at" | "status_override" | "status_override_reason">;

export function tierOf(r: Pick<ContractRowFromDb, "annual_value_pence" | "tier_override" | "tier_override_reason">, settings: TierThresholds) {
  return tierFor(Number(r.annual_value_pence), settings, r.tier_override ? { tier: r.tier_override, reason: r.tier_override_reason ?? "" } : null);
}

/** A contract's status on `today` (ISO date, UK calendar): set by hand, else by its end date. */
export function statusOf(r: Pick<ContractRowFromDb, "end_date" | "status_override" | "status_override_reason">, today: string) {
  return contractStatus({ endDate: r.end_date, statusOverride: r.status_override, statusOverrideReason: r.status_override_reason }, today);
}

/** A contract of the user's own organisation, or 404 (another organisation's looks the same as none). */
export async function ownContract(user: CurrentUser, contractId: string) {
  if (!isId(contractId)) httpError(404, "There is no such contract in your register.");
  const db = await getDb();
  const row = await db.selectFrom("contract").selectAll().where("id", "=", contractId).where("organisation_id", "=", user.organisationId).executeTakeFirst();
  if (!row) httpError(404, "There is no such contract in your register.");
  return row;
}

export function fieldsOf(row: Pick<ContractRowFromDb, FieldColumns>): ContractFields {
  return {
    reference: row.reference,
    title: row.title,
    supplierName: row.supplier_name,
    supplierCompanyNumber: row.supplier_company_number,
    supplierCountry: row.supplier_country,
    category: row.category,
    annualValuePence: Number(row.annual_value_pence),
    totalValuePence: Number(row.total_value_pence),
    startDate: row.start_date,
    endDate: row.end_date,
    contractManagerEmail: row.contract_manager_email,
    tierOverride: row.tier_override ? { tier: row.tier_override, reason: row.tier_override_reason ?? "" } : null,
  };
}

/** A contract's saved indicator records, in the guidance's order; an unreadable value counts as none. */
export function savedIndicators(json: string | null): IndicatorRecord[] | null {
  if (json === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (!Array.isArray(value)) return null;
  const records = value.filter((r): r is IndicatorRecord => typeof r === "object" && r !== null && typeof r.characteristic === "string" && typeof r.present === "boolean" && typeof r.note === "string");
  const order = RISK_CHARACTERISTICS.map((c) => c.id as string);
  return records.sort((a, b) => order.indexOf(a.characteristic) - order.indexOf(b.characteristic));
}
