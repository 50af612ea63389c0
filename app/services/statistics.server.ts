/**
 * A department's statement statistics from its suppliers' answers: for a UK financial year, each
 * supplier organisation counts once, by its latest submission made in the period among the
 * submissions currently shared with the department. Drafts have no submission, so never count; a
 * revoked share takes the submission out of every period. Each submission's KPI outcomes were worked
 * out on the questionnaire version it answered (db/submissions.ts); a KPI that version lacks leaves
 * it out of that KPI's denominator, and the figure says how many were left out.
 */
import { sql } from "kysely";
import type { Db } from "../../db/index";
import { snapshotQuestionnaire } from "../../db/submissions";
import type { Questionnaire } from "../../questionnaires/format";
import { type Tier, TIERS } from "../domain/contracts";
import { type KpiDefinition, type KpiFigure, type KpiOutcomes, kpiDefinitions, kpiFigure, tallyKpis } from "../domain/kpis";
import { type Period, parsePeriod, periodOf, previousPeriod } from "../domain/periods";
import { type DepartmentSettings, inTier, tierThresholds } from "./contracts.server";
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
};

export type Findings = { current: PeriodFindings; previous: PeriodFindings; definitions: KpiDefinition[] };

type CountedRow = {
  organisation_id: string;
  questionnaire: string;
  questionnaire_id: string;
  questionnaire_version: string;
  kpis: string | null;
  overall: number | string | null;
  previous_overall: number | string | null;
  bucket: number | string;
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

/** The supplier organisations a department's contracts matching the filters name; undefined when unfiltered. */
function supplierFilter(departmentId: string, filters: StatisticsFilters, settings: DepartmentSettings) {
  if (!filters.tier && !filters.category && !filters.priorityOnly) return undefined;
  return (db: Db) => {
    let q = db
      .selectFrom("contract")
      .select("contract.supplier_organisation_id")
      .where("contract.organisation_id", "=", departmentId)
      .where("contract.supplier_organisation_id", "is not", null);
    if (filters.category) q = q.where("contract.category", "=", filters.category);
    if (filters.tier) q = q.where((eb) => inTier(eb, filters.tier!, settings));
    if (filters.priorityOnly) q = q.where("contract.risk_assessed_at", "is not", null).where("contract.risk_count", ">=", settings.priorityThreshold);
    return q;
  };
}

/**
 * The counted submissions of a period and the one before it, in one pass: every submission shared
 * with the department up to the period's end, each with the overall score of the same supplier's
 * previous one, then the latest per supplier and period.
 */
async function countedSubmissions(db: Db, departmentId: string, q: StatisticsQuery, settings: DepartmentSettings): Promise<CountedRow[]> {
  const previous = previousPeriod(q.period);
  const suppliers = supplierFilter(departmentId, q.filters, settings);
  let shared = db
    .selectFrom("submission as s")
    .select([
      "s.id",
      "s.organisation_id",
      "s.questionnaire",
      "s.questionnaire_id",
      "s.questionnaire_version",
      "s.kpis",
      "s.overall",
      "s.created_at",
      sql<number>`case when s.created_at >= ${q.period.start} then 1 when s.created_at >= ${previous.start} then 0 else -1 end`.as("bucket"),
      sql<number | null>`lag(s.overall) over (partition by s.organisation_id order by s.created_at, s.id)`.as("previous_overall"),
    ])
    .where("s.created_at", "<", q.period.end)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("assessment_share as sh")
          .select(sql`1`.as("one"))
          .whereRef("sh.assessment_id", "=", "s.assessment_id")
          .where("sh.buyer_organisation_id", "=", departmentId)
          .where("sh.revoked_at", "is", null),
      ),
    );
  if (suppliers) shared = shared.where("s.organisation_id", "in", suppliers(db));
  const ranked = db
    .selectFrom(shared.as("shared"))
    .selectAll("shared")
    .select(sql<number>`row_number() over (partition by shared.organisation_id, shared.bucket order by shared.created_at desc, shared.id desc)`.as("rank"));
  return (await db
    .selectFrom(ranked.as("ranked"))
    .select(["organisation_id", "questionnaire", "questionnaire_id", "questionnaire_version", "kpis", "overall", "previous_overall", "bucket"])
    .where("ranked.rank", "=", 1)
    .where("ranked.bucket", ">=", 0)
    .execute()) as CountedRow[];
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

function periodFindings(period: Period, rows: CountedRow[], definitions: KpiDefinition[], smallNumbers: boolean): PeriodFindings {
  const tallies = tallyKpis(
    definitions.map((d) => d.id),
    rows.map((r) => (r.kpis ? (JSON.parse(r.kpis) as KpiOutcomes) : {})),
  );
  const versions = new Map<string, { questionnaire: string; version: string; suppliers: number }>();
  let changed = 0;
  let change = 0;
  for (const r of rows) {
    const key = `${r.questionnaire_id}@${r.questionnaire_version}`;
    const v = versions.get(key) ?? { questionnaire: r.questionnaire_id, version: r.questionnaire_version, suppliers: 0 };
    v.suppliers++;
    versions.set(key, v);
    if (r.overall !== null && r.previous_overall !== null) {
      changed++;
      change += Number(r.overall) - Number(r.previous_overall);
    }
  }
  return {
    period,
    suppliers: rows.length,
    versions: [...versions.values()].sort((a, b) => a.questionnaire.localeCompare(b.questionnaire) || compareVersions(b.version, a.version)),
    figures: definitions.map((d) => kpiFigure(d, tallies.get(d.id)!, smallNumbers)),
    scoreChange: { suppliers: changed, averageChange: changed === 0 ? null : Math.round((change / changed) * 10) / 10 },
  };
}

/** The findings table for a period and the one before it. */
export async function findings(db: Db, departmentId: string, q: StatisticsQuery, settings?: DepartmentSettings): Promise<Findings> {
  const rows = await countedSubmissions(db, departmentId, q, settings ?? (await tierThresholds(departmentId)));
  // KPI names come from the newest version: the current questionnaire, then what was answered.
  const snapshots: Questionnaire[] = [];
  for (const hash of new Set(rows.map((r) => r.questionnaire))) snapshots.push(await snapshotQuestionnaire(db, hash));
  const current = currentQuestionnaire();
  const versions = [current, ...snapshots.filter((s) => s.id === current.id).sort((a, b) => compareVersions(b.version, a.version)), ...snapshots.filter((s) => s.id !== current.id)];
  const definitions = kpiDefinitions(versions);
  return {
    current: periodFindings(
      q.period,
      rows.filter((r) => Number(r.bucket) === 1),
      definitions,
      q.smallNumbers,
    ),
    previous: periodFindings(
      previousPeriod(q.period),
      rows.filter((r) => Number(r.bucket) === 0),
      definitions,
      q.smallNumbers,
    ),
    definitions,
  };
}
