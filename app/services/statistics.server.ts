/**
 * A department's statement statistics from its suppliers' answers: for a UK financial year, each
 * supplier organisation counts once, by its latest submission made in the period among the
 * submissions currently shared with the department. Drafts have no submission, so never count; a
 * revoked share takes the submission out of every period. Each submission's KPI outcomes were worked
 * out on the questionnaire version it answered (db/submissions.ts); a KPI that version lacks leaves
 * it out of that KPI's denominator, and the figure says how many were left out. Who counts is kept
 * up to date in statistics_entry (db/statistics.ts); here it is only added up.
 */
import { sql } from "kysely";
import type { Db } from "../../db/index";
import { fillSubmissionFigures, snapshotQuestionnaire } from "../../db/submissions";
import { rebuildStatistics } from "../../db/statistics";
import { riskContext } from "../domain/rating";
import { referenceData } from "./reference.server";
import type { Questionnaire } from "../../questionnaires/format";
import { type Tier, TIERS } from "../domain/contracts";
import { type KpiDefinition, type KpiFigure, type KpiTally, kpiDefinitions, kpiFigure } from "../domain/kpis";
import { type Period, parsePeriod, periodOf, previousPeriod } from "../domain/periods";
import { inTier } from "./contracts-filter.server";
import { type DepartmentSettings, tierThresholds } from "./department-settings.server";
import { currentQuestionnaire } from "./questionnaires.server";

export type StatisticsFilters = {
  tier?: Tier;
  category?: string;
  /** Only suppliers holding a priority contract (risk-assessed at or above the department's threshold). */
  priorityOnly?: boolean;
};

export type StatisticsQuery = {
  period: Period;
  filters: StatisticsFilters;
  /** Show percentages whose denominator is under 5 rather than "too few to report". */
  smallNumbers: boolean;
};

export type PeriodFindings = {
  period: Period;
  /** Supplier organisations counted: one submission each. */
  suppliers: number;
  /** How many counted submissions answered each questionnaire version, newest first. */
  versions: Array<{ questionnaire: string; version: string; suppliers: number }>;
  figures: KpiFigure[];
  /** Change in overall score against each counted supplier's previous submission shared with the department. */
  scoreChange: { suppliers: number; averageChange: number | null };
  /** Counted suppliers whose result called for follow-up (app/domain/follow-up.ts), and of those, how many the department discussed in a finished conversation. */
  followUp: FollowUpTally;
};

export type FollowUpTally = { called: number; followed: number };

export type Findings = { current: PeriodFindings; previous: PeriodFindings; definitions: KpiDefinition[] };

/** One group of counted suppliers: a period and a questionnaire version, with per-KPI-position sums. */
type GroupRow = {
  period: string;
  questionnaire: string;
  suppliers: number | string;
  change_tenths: number | string | null;
  changed: number | string;
  called: number | string | null;
  followed: number | string | null;
  [bit: string]: number | string | null;
};

/** Read the dashboard's query string; anything not understood falls back (the page says which period it shows). */
export function readStatisticsQuery(params: URLSearchParams, now = new Date()): { query: StatisticsQuery; errors: Partial<Record<"period" | "tier", string>> } {
  const errors: Partial<Record<"period" | "tier", string>> = {};
  let period = periodOf(now);
  const periodText = params.get("period");
  if (periodText) {
    const parsed = parsePeriod(periodText);
    if (parsed.ok) period = parsed.period;
    else errors.period = parsed.error;
  }
  const tierText = params.get("tier") ?? "";
  const tier = (TIERS as readonly string[]).includes(tierText) ? (tierText as Tier) : undefined;
  if (tierText && !tier) errors.tier = `"${tierText}" is not a tier: choose Gold, Silver or Bronze`;
  const category = (params.get("category") ?? "").trim().slice(0, 200) || undefined;
  return {
    query: { period, filters: { tier, category, priorityOnly: params.get("priority") === "1" }, smallNumbers: params.get("small") === "1" },
    errors,
  };
}

/**
 * The supplier organisations holding one of the department's contracts that match the filters (one
 * contract must match every filter); undefined when unfiltered. Shared with the programme KPIs.
 */
export function suppliersHolding(db: Db, departmentId: string, filters: StatisticsFilters, settings: DepartmentSettings) {
  if (!filters.tier && !filters.category && !filters.priorityOnly) return undefined;
  let q = db
    .selectFrom("contract")
    .select("contract.supplier_organisation_id")
    .where("contract.organisation_id", "=", departmentId)
    .where("contract.supplier_organisation_id", "is not", null);
  if (filters.category) q = q.where("contract.category", "=", filters.category);
  if (filters.tier) q = q.where((eb) => inTier(eb, filters.tier!, settings));
  if (filters.priorityOnly) q = q.where("contract.risk_assessed_at", "is not", null).where("contract.risk_count", ">=", settings.priorityThreshold);
  return q;
}

/**
 * The counted suppliers of a period and the one before it, added up in SQL per period and
 * questionnaire version: how many, the score change in whole tenths, and for each KPI position of the
 * version how many are in its denominator (d0, d1, ...) and numerator (n0, n1, ...).
 */
async function countedGroups(db: Db, departmentId: string, q: StatisticsQuery, settings: DepartmentSettings, positions: number): Promise<GroupRow[]> {
  const previous = previousPeriod(q.period);
  const suppliers = suppliersHolding(db, departmentId, q.filters, settings);
  const bits = Array.from({ length: positions }, (_, i) => [
    sql<number>`sum((kpi_denominator >> ${sql.lit(i)}) & 1)`.as(`d${i}`),
    sql<number>`sum((kpi_numerator >> ${sql.lit(i)}) & 1)`.as(`n${i}`),
  ]).flat();
  // Overall scores have one decimal place: changes add up in whole tenths, so no binary fraction
  // tips a half the wrong way (70.1 - 70.0 is 0.0999… in floating point).
  let query = db
    .selectFrom("statistics_entry")
    .select([
      "period",
      "questionnaire",
      sql<number>`count(*)`.as("suppliers"),
      sql<number | null>`sum(cast(round(overall * 10) as integer) - cast(round(previous_overall * 10) as integer))`.as("change_tenths"),
      sql<number>`count(overall - previous_overall)`.as("changed"),
      sql<number>`sum(called_for_follow_up)`.as("called"),
      sql<number>`sum(called_for_follow_up * followed_up)`.as("followed"),
      ...bits,
    ])
    .where("buyer_organisation_id", "=", departmentId)
    .where("period", "in", [q.period.id, previous.id])
    .groupBy(["period", "questionnaire"]);
  if (suppliers) query = query.where("supplier_organisation_id", "in", suppliers);
  return (await query.execute()) as unknown as GroupRow[];
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** The mean of whole tenths to one decimal place, rounded half up in integers (never -0). */
function meanOfTenthsHalfUp(sumTenths: number, count: number): number {
  return Math.floor((2 * sumTenths + count) / (2 * count)) / 10;
}

function periodFindings(period: Period, groups: GroupRow[], snapshots: Map<string, Questionnaire>, definitions: KpiDefinition[], smallNumbers: boolean): PeriodFindings {
  const tallies = new Map<string, KpiTally>(definitions.map((d) => [d.id, { numerator: 0, denominator: 0, notAsked: 0, outside: 0 }]));
  const versions = new Map<string, { questionnaire: string; version: string; suppliers: number }>();
  let suppliers = 0;
  let changed = 0;
  let changeTenths = 0;
  const followUp: FollowUpTally = { called: 0, followed: 0 };
  for (const g of groups) {
    followUp.called += Number(g.called ?? 0);
    followUp.followed += Number(g.followed ?? 0);
    const qn = snapshots.get(g.questionnaire)!;
    const count = Number(g.suppliers);
    suppliers += count;
    changed += Number(g.changed);
    changeTenths += Number(g.change_tenths ?? 0);
    const key = `${qn.id}@${qn.version}`;
    const v = versions.get(key) ?? { questionnaire: qn.id, version: qn.version, suppliers: 0 };
    v.suppliers += count;
    versions.set(key, v);
    const position = new Map(qn.kpis.map((k, i) => [k.id, i]));
    for (const [id, t] of tallies) {
      const i = position.get(id);
      if (i === undefined) {
        t.notAsked += count;
        continue;
      }
      const inDenominator = Number(g[`d${i}`]);
      t.denominator += inDenominator;
      t.numerator += Number(g[`n${i}`]);
      t.outside += count - inDenominator;
    }
  }
  return {
    period,
    suppliers,
    versions: [...versions.values()].sort((a, b) => a.questionnaire.localeCompare(b.questionnaire) || compareVersions(b.version, a.version)),
    figures: definitions.map((d) => kpiFigure(d, tallies.get(d.id)!, smallNumbers)),
    scoreChange: { suppliers: changed, averageChange: changed === 0 ? null : meanOfTenthsHalfUp(changeTenths, changed) },
    followUp,
  };
}

/** Every questionnaire submissions have answered, by snapshot hash (each parsed once per process). */
async function allSnapshots(db: Db): Promise<Map<string, Questionnaire>> {
  const hashes = await db.selectFrom("questionnaire_snapshot").select("hash").execute();
  const snapshots = new Map<string, Questionnaire>();
  for (const { hash } of hashes) snapshots.set(hash, await snapshotQuestionnaire(db, hash));
  return snapshots;
}

/** The findings table for a period and the one before it. */
export async function findings(db: Db, departmentId: string, q: StatisticsQuery, settings?: DepartmentSettings): Promise<Findings> {
  const snapshots = await allSnapshots(db);
  const positions = Math.max(0, ...[...snapshots.values()].map((s) => s.kpis.length));
  const groups = await countedGroups(db, departmentId, q, settings ?? (await tierThresholds(departmentId)), positions);
  // KPI names come from the newest version: the current questionnaire, then what was answered.
  const answered = [...new Set(groups.map((g) => g.questionnaire))].map((hash) => snapshots.get(hash)!);
  const current = currentQuestionnaire();
  const versions = [current, ...answered.filter((s) => s.id === current.id).sort((a, b) => compareVersions(b.version, a.version)), ...answered.filter((s) => s.id !== current.id)];
  const definitions = kpiDefinitions(versions);
  const previous = previousPeriod(q.period);
  return {
    current: periodFindings(q.period, groups.filter((g) => g.period === q.period.id), snapshots, definitions, q.smallNumbers),
    previous: periodFindings(previous, groups.filter((g) => g.period === previous.id), snapshots, definitions, q.smallNumbers),
    definitions,
  };
}

/**
 * After migrating: work out the KPI outcomes and overall score of submissions kept before they were
 * (with the reference data and each one's stored screening), and if there were any, who counts for
 * every department. Does nothing when every submission has its figures. Returns how many it filled.
 */
export async function fillStatistics(db: Db): Promise<number> {
  const filled = await fillSubmissionFigures(db, (qn, screening) => riskContext(qn, referenceData(), screening));
  if (filled > 0) await db.transaction().execute((trx) => rebuildStatistics(trx));
  return filled;
}
