/**
 * A buyer's contract register read a page at a time: the query string, sorted and filtered, each
 * contract's tier, priority and latest invitation, and how much of the register is risk-assessed.
 */
import { TIERS } from "../domain/contracts";
import { ASSESSMENT_VALUE_THRESHOLD_PENCE, type Coverage, RISK_FILTERS, coverageOf, needsAssessmentByValue } from "../domain/prioritisation";
import { type InvitationStatus, invitationStatus } from "../domain/supplier-invitations";
import { hasControlChars } from "../domain/text";
import { isOwnKey } from "../domain/own-keys";
import type { CurrentUser } from "./auth.server";
import { requireBuyer, tierOf } from "./contract-rows.server";
import { type ContractFilters, STATUS_FILTERS, filteredContracts } from "./contracts-filter.server";
import { getDb } from "./db.server";
import { type DepartmentSettings, tierThresholds } from "./department-settings.server";

export const PAGE_SIZE = 50;

export const SORTS = { reference: "reference", title: "title", supplier: "supplier_name", value: "annual_value_pence", end: "end_date" } as const;

export type ContractQuery = ContractFilters & { sort: keyof typeof SORTS; direction: "asc" | "desc"; page: number };

/** The register's query string, checked: anything unknown falls back to the default, never an error. */
export function readContractQuery(params: URLSearchParams): ContractQuery {
  const sort = isOwnKey(SORTS, params.get("sort")) ? (params.get("sort") as keyof typeof SORTS) : "value";
  const direction = params.get("direction") === "asc" ? "asc" : params.get("direction") === "desc" ? "desc" : sort === "value" ? "desc" : "asc";
  const oneOf = <T extends string>(name: string, values: ReadonlyArray<T>): T | undefined => (values.includes(params.get(name) as T) ? (params.get(name) as T) : undefined);
  const page = Math.min(Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1), 100_000);
  const text = (name: string) => {
    const value = (params.get(name) ?? "").trim().slice(0, 200);
    return value && !hasControlChars(value) ? value : undefined;
  };
  return {
    sort,
    direction,
    tier: oneOf("tier", TIERS),
    category: text("category"),
    manager: text("manager"),
    search: text("q"),
    risk: oneOf("risk", RISK_FILTERS),
    status: oneOf("status", STATUS_FILTERS),
    page,
  };
}

/** A query as URL parameters, leaving out what is not set: for links that keep the filters. */
export function contractQueryParams(query: Partial<ContractQuery>): URLSearchParams {
  const entries: Record<string, string | number | undefined> = {
    q: query.search,
    tier: query.tier,
    category: query.category,
    manager: query.manager,
    risk: query.risk,
    status: query.status,
    sort: query.sort,
    direction: query.direction,
    page: query.page,
  };
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(entries)) if (v !== undefined && v !== "") params.set(k, String(v));
  return params;
}

/** The state of each contract's latest invitation; contracts never invited are left out. */
async function latestInvitationStatuses(contractIds: string[], now: Date): Promise<Map<string, InvitationStatus>> {
  const statuses = new Map<string, InvitationStatus>();
  if (contractIds.length === 0) return statuses;
  const db = await getDb();
  const rows = await db
    .selectFrom("supplier_invitation as si")
    .leftJoin("assessment as a", "a.id", "si.assessment_id")
    .select(["si.contract_id", "si.expires_at", "si.accepted_at", "si.cancelled_at", "a.status"])
    .where("si.contract_id", "in", contractIds)
    .orderBy("si.created_at")
    .orderBy("si.id")
    .execute();
  // In order, so the latest invitation of each contract is written last.
  for (const r of rows) statuses.set(r.contract_id, invitationStatus({ expires_at: r.expires_at, accepted_at: r.accepted_at, cancelled_at: r.cancelled_at, assessmentStatus: r.status ?? null }, now));
  return statuses;
}

export type RegisterSummary = Coverage & { priority: number; overThresholdNotAssessed: number };

/**
 * The register as a whole in one pass of the database: how much of it is risk-assessed, by count
 * and by annual value, how many are priority or over £1m and not assessed, and the contract
 * managers the filter offers. Grouped by contract manager, then added up here.
 */
async function registerOverview(user: CurrentUser, settings: DepartmentSettings) {
  const db = await getDb();
  const groups = await db
    .selectFrom("contract")
    .where("organisation_id", "=", user.organisationId)
    .select((eb) => [
      "contract_manager_email",
      eb.fn.countAll<number | string>().as("total"),
      eb.fn.count<number | string>("risk_assessed_at").as("assessed"),
      eb.fn.sum<number | string | null>("annual_value_pence").as("total_pence"),
      eb.fn.sum<number | string | null>(eb.case().when("risk_assessed_at", "is not", null).then(eb.ref("annual_value_pence")).else(eb.lit(0)).end()).as("assessed_pence"),
      eb.fn.count<number | string>(eb.case().when("risk_count", ">=", settings.priorityThreshold).then(eb.lit(1)).end()).as("priority"),
      eb.fn
        .count<number | string>(eb.case().when(eb.and([eb("risk_assessed_at", "is", null), eb("annual_value_pence", ">", ASSESSMENT_VALUE_THRESHOLD_PENCE)])).then(eb.lit(1)).end())
        .as("over_not_assessed"),
    ])
    .groupBy("contract_manager_email")
    .execute();
  // PostgreSQL sums bigints as numeric (text); SQLite as an integer.
  const whole = (v: number | string | null) => BigInt(v === null ? 0 : typeof v === "number" ? Math.round(v) : String(v).replace(/\.0*$/, ""));
  let total = 0;
  let assessed = 0;
  let totalPence = 0n;
  let assessedPence = 0n;
  let priority = 0;
  let overThresholdNotAssessed = 0;
  for (const g of groups) {
    total += Number(g.total);
    assessed += Number(g.assessed);
    totalPence += whole(g.total_pence);
    assessedPence += whole(g.assessed_pence);
    priority += Number(g.priority);
    overThresholdNotAssessed += Number(g.over_not_assessed);
  }
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const summary: RegisterSummary = { ...coverageOf({ assessed, total, assessedPence, totalPence }), priority, overThresholdNotAssessed };
  return {
    summary,
    managers: groups.flatMap((g) => (g.contract_manager_email === null ? [] : [g.contract_manager_email])).sort(byName),
  };
}

/** How much of the whole register is risk-assessed, by count and by annual value; added up in the database. */
export async function registerSummary(user: CurrentUser, settings?: DepartmentSettings): Promise<RegisterSummary> {
  requireBuyer(user);
  return (await registerOverview(user, settings ?? (await tierThresholds(user.organisationId)))).summary;
}

/** One page of the register, with each contract's tier and priority under the department's settings. */
export async function listContracts(user: CurrentUser, query: ContractQuery, now = new Date()) {
  requireBuyer(user);
  const db = await getDb();
  const settings = await tierThresholds(user.organisationId);
  const base = await filteredContracts(user, query, settings, now);
  const [{ count }, rows, categories, overview] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as("count")).executeTakeFirstOrThrow(),
    base
      .selectAll("contract")
      .orderBy(SORTS[query.sort], query.direction)
      .orderBy("reference", "asc")
      .limit(PAGE_SIZE)
      .offset((query.page - 1) * PAGE_SIZE)
      .execute(),
    db.selectFrom("contract").select("category").distinct().where("organisation_id", "=", user.organisationId).orderBy("category").execute(),
    registerOverview(user, settings),
  ]);
  const statuses = await latestInvitationStatuses(
    rows.map((r) => r.id),
    now,
  );
  return {
    total: Number(count),
    pages: Math.max(1, Math.ceil(Number(count) / PAGE_SIZE)),
    categories: categories.map((c) => c.category),
    managers: overview.managers,
    summary: overview.summary,
    priorityThreshold: settings.priorityThreshold,
    contracts: rows.map((r) => {
      const annual = Number(r.annual_value_pence);
      return {
        id: r.id,
        reference: r.reference,
        title: r.title,
        supplierName: r.supplier_name,
        supplierCompanyNumber: r.supplier_company_number,
        category: r.category,
        annualValuePence: annual,
        totalValuePence: Number(r.total_value_pence),
        startDate: r.start_date,
        endDate: r.end_date,
        contractManager: r.contract_manager_email,
        tier: tierOf(r, settings).tier,
        overridden: r.tier_override !== null,
        riskAssessed: r.risk_assessed_at !== null,
        riskCount: r.risk_assessed_at !== null ? r.risk_count : null,
        priority: r.risk_assessed_at !== null && (r.risk_count ?? 0) >= settings.priorityThreshold,
        needsAssessment: r.risk_assessed_at === null && needsAssessmentByValue(annual),
        invitationStatus: statuses.get(r.id) ?? null,
      };
    }),
  };
}
