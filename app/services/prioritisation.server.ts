/**
 * Risk-prioritising one contract: the form's starting point (the saved record, else Lantern's
 * suggestions from the reference data) and saving the contract manager's answers.
 */
import { type IndicatorAnswer, type IndicatorAnswerErrors, type IndicatorRecord, type RiskCharacteristicId, RISK_CHARACTERISTICS, type SuggestionReference, assessPriority, commoditiesNamedIn, readIndicatorAnswers, suggestIndicators } from "../domain/prioritisation";
import { countryRiskFrom } from "../domain/rating";
import { audit } from "./audit.server";
import type { CurrentUser } from "./auth.server";
import { ownContract, requireBuyer, savedIndicators } from "./contract-rows.server";
import { countryName } from "./countries.server";
import { tierThresholds } from "./department-settings.server";
import { getDb } from "./db.server";
import { currentQuestionnaire } from "./questionnaires.server";
import { referenceData } from "./reference.server";

/** Who may record a contract's risk indicators. */
export const RISK_ROLES = ["admin", "contract_manager"];

/** The published thresholds Lantern's questionnaire uses for country risk; these if it has none. */
const FALLBACK_COUNTRY_RISK = { mediumFrom: 5, highFrom: 10 };

/** The reference data suggestions are made from: country prevalence and the high-risk commodities. */
export function suggestionReference(): SuggestionReference & { commodities: Array<{ id: string; label: string }> } {
  const reference = referenceData();
  const thresholds = currentQuestionnaire().exposure?.countryRisk ?? FALLBACK_COUNTRY_RISK;
  const commodities = [...reference.commodities].map(([id, c]) => ({ id, label: c.label }));
  return {
    countryRisk: countryRiskFrom(reference.prevalence, thresholds),
    highRiskCategories: [],
    highRiskCommodities: commodities.map((c) => c.id),
    countryName,
    commodityLabel: (id) => commodities.find((c) => c.id === id)?.label ?? id,
    commodities,
  };
}

export type RiskAnswers = Record<RiskCharacteristicId, IndicatorAnswer>;

/** The risk form for a contract: saved answers, else the suggestions marked present for the buyer to confirm. */
export async function riskAssessmentForm(user: CurrentUser, contractId: string) {
  requireBuyer(user, RISK_ROLES, "Only an administrator or a contract manager can record a contract's risk indicators.");
  const row = await ownContract(user, contractId);
  const reference = suggestionReference();
  const suggestions = suggestIndicators(
    { category: row.category, supplierCountry: row.supplier_country, commodities: commoditiesNamedIn(`${row.category} ${row.title}`, reference.commodities) },
    reference,
  );
  const saved = row.risk_assessed_at ? savedIndicators(row.risk_indicators) : null;
  const answers = Object.fromEntries(
    RISK_CHARACTERISTICS.map((c) => {
      const record = saved?.find((r) => r.characteristic === c.id);
      if (saved) return [c.id, { present: record ? (record.present ? "yes" : "no") : "", note: record?.note ?? "" }];
      return [c.id, { present: suggestions.some((s) => s.characteristic === c.id) ? "yes" : "", note: "" }];
    }),
  ) as RiskAnswers;
  const { priorityThreshold } = await tierThresholds(user.organisationId);
  return {
    contract: { id: row.id, reference: row.reference, title: row.title, supplierName: row.supplier_name, category: row.category, supplierCountry: row.supplier_country },
    answers,
    suggestions: Object.fromEntries(suggestions.map((s) => [s.characteristic, s.reason])) as Partial<Record<RiskCharacteristicId, string>>,
    saved: saved !== null,
    priorityThreshold,
  };
}

export type SaveRiskOutcome = { ok: true; count: number; priority: boolean; threshold: number } | { ok: false; errors: IndicatorAnswerErrors };

/**
 * Save a contract manager's indicator records: every characteristic answered yes or no, notes
 * checked. The records, their count, who and when are stored with an audit row of the old and new
 * count (and records); invalid answers change nothing.
 */
export async function saveRiskAssessment(user: CurrentUser, contractId: string, answers: Partial<Record<string, IndicatorAnswer>>, now = new Date()): Promise<SaveRiskOutcome> {
  requireBuyer(user, RISK_ROLES, "Only an administrator or a contract manager can record a contract's risk indicators.");
  const row = await ownContract(user, contractId);
  const read = readIndicatorAnswers(answers);
  if (!read.ok) return read;
  const { priorityThreshold } = await tierThresholds(user.organisationId);
  const records: IndicatorRecord[] = read.records;
  const result = assessPriority(records, { threshold: priorityThreshold });
  const json = JSON.stringify(records);
  const db = await getDb();
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("contract").select(["risk_count", "risk_indicators", "risk_assessed_at"]).where("id", "=", row.id).executeTakeFirstOrThrow();
    await trx
      .updateTable("contract")
      .set({ risk_indicators: json, risk_count: result.count, risk_assessed_by: user.id, risk_assessed_at: now.toISOString() })
      .where("id", "=", row.id)
      .execute();
    const base = { organisationId: user.organisationId, userId: user.id, entity: "contract", entityId: row.id, action: "risk_assessed", at: now };
    await audit(trx, [
      { ...base, field: "risk_count", oldValue: before.risk_assessed_at ? String(before.risk_count ?? 0) : null, newValue: String(result.count) },
      { ...base, field: "risk_indicators", oldValue: before.risk_assessed_at ? before.risk_indicators : null, newValue: json },
    ]);
  });
  return { ok: true, count: result.count, priority: result.priority, threshold: priorityThreshold };
}
