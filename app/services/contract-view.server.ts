/** One contract of the buyer's register in full: its supplier, tier and risk prioritisation. */
import { needsAssessmentByValue } from "../domain/prioritisation";
import type { CurrentUser } from "./auth.server";
import { ukDateOf } from "../domain/programme";
import { fieldsOf, ownContract, requireBuyer, savedIndicators, statusOf, tierOf } from "./contract-rows.server";
import { getDb } from "./db.server";
import { tierThresholds } from "./department-settings.server";

/** One contract of the user's organisation in full, with its tier and risk prioritisation. */
export async function getContract(user: CurrentUser, contractId: string, now = new Date()) {
  requireBuyer(user);
  const row = await ownContract(user, contractId);
  const db = await getDb();
  const settings = await tierThresholds(user.organisationId);
  const [supplier, assessor] = await Promise.all([
    row.supplier_organisation_id ? db.selectFrom("organisation").select(["id", "name"]).where("id", "=", row.supplier_organisation_id).executeTakeFirst() : undefined,
    row.risk_assessed_by ? db.selectFrom("user").select("name").where("id", "=", row.risk_assessed_by).executeTakeFirst() : undefined,
  ]);
  const decision = tierOf(row, settings);
  const status = statusOf(row, ukDateOf(now));
  const annual = Number(row.annual_value_pence);
  const records = row.risk_assessed_at ? savedIndicators(row.risk_indicators) : null;
  return {
    id: row.id,
    ...fieldsOf(row),
    supplierOrganisation: supplier ? { id: supplier.id, name: supplier.name } : null,
    tier: decision.tier,
    tierByValue: decision.byValue,
    tierOverrideReason: decision.overrideReason,
    status: status.status,
    statusByDate: status.byDate,
    statusOverrideReason: status.overrideReason,
    overAssessmentThreshold: needsAssessmentByValue(annual),
    risk: records
      ? {
          records,
          count: row.risk_count ?? 0,
          priority: (row.risk_count ?? 0) >= settings.priorityThreshold,
          threshold: settings.priorityThreshold,
          assessedBy: assessor?.name ?? null,
          assessedAt: row.risk_assessed_at!,
        }
      : null,
    priorityThreshold: settings.priorityThreshold,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
