/**
 * A department's statement statistics in one call, as the dashboard, its downloads and the `kpis`
 * command show them: the findings from suppliers' answers and the programme KPIs from the
 * department's own records, for a year and the year before, under the same filters.
 */
import type { Db } from "../../db/index";
import { TIER_LABELS } from "../domain/contracts";
import { SMALL_NUMBER } from "../domain/kpis";
import { describeScope } from "../domain/statement";
import type { CurrentUser } from "./auth.server";
import { type DepartmentSettings, tierThresholds } from "./department-settings.server";
import { getDb } from "./db.server";
import { programmeKpis } from "./programme.server";
import { type StatisticsQuery, findings, readStatisticsQuery } from "./statistics.server";

export type StatisticsProblems = Partial<Record<"period" | "tier" | "category", string>>;

/** Both tables for a department; the settings (tiers, priority threshold) are read once for both. */
export async function departmentStatistics(db: Db, departmentId: string, query: StatisticsQuery, settings?: DepartmentSettings) {
  const s = settings ?? (await tierThresholds(departmentId));
  const found = await findings(db, departmentId, query, s);
  const programme = await programmeKpis(db, departmentId, query, s, { current: found.current.followUp, previous: found.previous.followUp });
  return { findings: found, programme };
}

/**
 * The statistics a buyer asked for in a query string: anything not understood (a period, a tier, a
 * category not in the department's register) is reported and falls back, so the page, the downloads
 * and the problems shown always agree.
 */
export async function statisticsFor(user: CurrentUser, params: URLSearchParams, now = new Date()) {
  const { query, errors } = readStatisticsQuery(params, now);
  const db = await getDb();
  const [settings, categoryRows] = await Promise.all([
    tierThresholds(user.organisationId),
    db.selectFrom("contract").select("category").distinct().where("organisation_id", "=", user.organisationId).orderBy("category").execute(),
  ]);
  const categories = categoryRows.map((r) => r.category);
  const problems: StatisticsProblems = { ...errors };
  if (query.filters.category !== undefined && !categories.includes(query.filters.category)) {
    problems.category = `"${query.filters.category}" is not a category in your contract register: choose one from the list`;
    query.filters.category = undefined;
  }
  const scope = describeScope({
    tierLabel: query.filters.tier ? TIER_LABELS[query.filters.tier] : undefined,
    category: query.filters.category,
    priorityOnly: query.filters.priorityOnly,
    smallNumbers: query.smallNumbers,
    smallNumber: SMALL_NUMBER,
  });
  return { query, problems, categories, scope, ...(await departmentStatistics(db, user.organisationId, query, settings)) };
}
