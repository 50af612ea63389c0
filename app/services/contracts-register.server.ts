/**
 * A buyer's contract register read a page at a time: the query string, sorted and filtered (live
 * contracts unless asked otherwise), each contract's status, tier, priority and latest invitation,
 * and how much of the live register is risk-assessed.
 */
import type { ExpressionBuilder } from "kysely";
import type { Database } from "../../db/schema";
import { CONTRACT_STATUS_FILTERS, type ContractStatusFilter, TIERS, type TierThresholds } from "../domain/contracts";
import { ASSESSMENT_VALUE_THRESHOLD_PENCE, type Coverage, RISK_FILTERS, coverageOf, needsAssessmentByValue } from "../domain/prioritisation";
import { ukDateOf } from "../domain/programme";
import { type InvitationStatus, invitationStatus } from "../domain/supplier-invitations";
import { hasControlChars } from "../domain/text";
import { isOwnKey } from "../domain/own-keys";
import type { CurrentUser } from "./auth.server";
import { requireBuyer, statusOf, tierOf } from "./contract-rows.server";
import { type ContractFilters, STATUS_FILTERS, filteredContracts, isLive, suppliersSharingWith } from "./contracts-filter.server";
import { getDb } from "./db.server";
import { type DepartmentSettings, tierThresholds } from "./department-settings.server";
import { searchParamsOf } from "../domain/query-string";

export const PAGE_SIZE = 50;

/**
 * The columns the register sorts by, each with the direction a first click on its heading asks
 * for: the most valuable, the riskiest and Gold first; the rest from A, from the earliest end
 * date, and from "Not invited" through the invitation's stages.
 */
export const SORTS = {
  reference: "asc",
  title: "asc",
  supplier: "asc",
  value: "desc",
  end: "asc",
  tier: "asc",
  risk: "desc",
  invitation: "asc",
} as const satisfies Record<string, "asc" | "desc">;
export type SortKey = keyof typeof SORTS;

/** The invitation column as it reads: the latest invitation's state, else whether a result is shared. */
export type RegisterInvitationStatus = InvitationStatus | "result_shared";

/** The invitation column's order when sorted: not invited first, then through the funnel; expired and cancelled last. */
const INVITATION_ORDER: ReadonlyArray<RegisterInvitationStatus | "not_invited"> = ["not_invited", "result_shared", "invited", "registered", "in_progress", "submitted", "completed", "expired", "cancelled"];
const rankOf = (status: RegisterInvitationStatus | "not_invited") => INVITATION_ORDER.indexOf(status);

export type ContractQuery = ContractFilters & { contractStatus: ContractStatusFilter; sort: SortKey; direction: "asc" | "desc"; page: number };

/** The register's query string, checked: anything unknown falls back to the default, never an error. */
export function readContractQuery(params: URLSearchParams): ContractQuery {
  const sort: SortKey = isOwnKey(SORTS, params.get("sort")) ? (params.get("sort") as SortKey) : "value";
  const direction = params.get("direction") === "asc" ? "asc" : params.get("direction") === "desc" ? "desc" : SORTS[sort];
  const oneOf = <T extends string>(name: string, values: ReadonlyArray<T>): T | undefined => (values.includes(params.get(name) as T) ? (params.get(name) as T) : undefined);
  const page = Math.min(Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1), 100_000);
  const text = (name: string) => {
    const value = (params.get(name) ?? "").trim().slice(0, 200);
    return value && !hasControlChars(value) ? value : undefined;
  };
  return {
    sort,
    direction,
    contractStatus: oneOf("contract_status", CONTRACT_STATUS_FILTERS) ?? "live",
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
  return searchParamsOf({
    q: query.search,
    contract_status: query.contractStatus,
    tier: query.tier,
    category: query.category,
    manager: query.manager,
    risk: query.risk,
    status: query.status,
    sort: query.sort,
    direction: query.direction,
    page: query.page,
  });
}

/**
 * What each contract's invitation column reads: the state of its latest invitation; with none, "result_shared"
 * when its supplier organisation shares a submitted assessment with the department now. Contracts
 * with neither are left out (not invited).
 */
async function invitationStatuses(user: CurrentUser, contracts: Array<{ id: string; supplier_organisation_id: string | null }>, now: Date): Promise<Map<string, RegisterInvitationStatus>> {
  const statuses = new Map<string, RegisterInvitationStatus>();
  if (contracts.length === 0) return statuses;
  const db = await getDb();
  const rows = await db
    .selectFrom("supplier_invitation as si")
    .leftJoin("assessment as a", "a.id", "si.assessment_id")
    .select(["si.contract_id", "si.expires_at", "si.accepted_at", "si.cancelled_at", "a.status"])
    .where(
      "si.contract_id",
      "in",
      contracts.map((c) => c.id),
    )
    .orderBy("si.created_at")
    .orderBy("si.id")
    .execute();
  // In order, so the latest invitation of each contract is written last.
  for (const r of rows) statuses.set(r.contract_id, invitationStatus({ expires_at: r.expires_at, accepted_at: r.accepted_at, cancelled_at: r.cancelled_at, assessmentStatus: r.status ?? null }, now));
  const suppliers = [...new Set(contracts.flatMap((c) => (c.supplier_organisation_id !== null && !statuses.has(c.id) ? [c.supplier_organisation_id] : [])))];
  if (suppliers.length > 0) {
    const sharing = new Set((await suppliersSharingWith(db, user.organisationId).where("shared.organisation_id", "in", suppliers).execute()).map((r) => r.organisation_id));
    for (const c of contracts) if (!statuses.has(c.id) && c.supplier_organisation_id !== null && sharing.has(c.supplier_organisation_id)) statuses.set(c.id, "result_shared");
  }
  return statuses;
}

/** Live contracts' coverage (ended ones are history), how many are priority or over £1m and not assessed, and how many have ended. */
export type RegisterSummary = Coverage & { priority: number; overThresholdNotAssessed: number; ended: number };

/**
 * The register as a whole in one pass of the database: how much of the live register is
 * risk-assessed, by count and by annual value, how many live contracts are priority or over £1m
 * and not assessed, how many have ended, and the contract managers the filter offers (of live and
 * ended contracts alike). Grouped by contract manager, then added up here.
 */
async function registerOverview(user: CurrentUser, settings: DepartmentSettings, now: Date) {
  const db = await getDb();
  const today = ukDateOf(now);
  const groups = await db
    .selectFrom("contract")
    .where("organisation_id", "=", user.organisationId)
    .select((eb) => {
      const live = isLive(eb, today);
      const ifLive = (condition?: ReturnType<typeof eb.and>) => eb.case().when(condition ? eb.and([live, condition]) : live).then(eb.lit(1)).end();
      return [
        "contract_manager_email",
        eb.fn.countAll<number | string>().as("all"),
        eb.fn.count<number | string>(ifLive()).as("total"),
        eb.fn.count<number | string>(ifLive(eb.and([eb("risk_assessed_at", "is not", null)]))).as("assessed"),
        eb.fn.sum<number | string | null>(eb.case().when(live).then(eb.ref("annual_value_pence")).else(eb.lit(0)).end()).as("total_pence"),
        eb.fn.sum<number | string | null>(eb.case().when(eb.and([live, eb("risk_assessed_at", "is not", null)])).then(eb.ref("annual_value_pence")).else(eb.lit(0)).end()).as("assessed_pence"),
        eb.fn.count<number | string>(ifLive(eb.and([eb("risk_count", ">=", settings.priorityThreshold)]))).as("priority"),
        eb.fn.count<number | string>(ifLive(eb.and([eb("risk_assessed_at", "is", null), eb("annual_value_pence", ">", ASSESSMENT_VALUE_THRESHOLD_PENCE)]))).as("over_not_assessed"),
      ];
    })
    .groupBy("contract_manager_email")
    .execute();
  // PostgreSQL sums bigints as numeric (text); SQLite as an integer.
  const whole = (v: number | string | null) => BigInt(v === null ? 0 : typeof v === "number" ? Math.round(v) : String(v).replace(/\.0*$/, ""));
  let all = 0;
  let total = 0;
  let assessed = 0;
  let totalPence = 0n;
  let assessedPence = 0n;
  let priority = 0;
  let overThresholdNotAssessed = 0;
  for (const g of groups) {
    all += Number(g.all);
    total += Number(g.total);
    assessed += Number(g.assessed);
    totalPence += whole(g.total_pence);
    assessedPence += whole(g.assessed_pence);
    priority += Number(g.priority);
    overThresholdNotAssessed += Number(g.over_not_assessed);
  }
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const summary: RegisterSummary = { ...coverageOf({ assessed, total, assessedPence, totalPence }), priority, overThresholdNotAssessed, ended: all - total };
  return {
    summary,
    managers: groups.flatMap((g) => (g.contract_manager_email === null ? [] : [g.contract_manager_email])).sort(byName),
  };
}

/** How much of the live register is risk-assessed, by count and by annual value; added up in the database. */
export async function registerSummary(user: CurrentUser, settings?: DepartmentSettings, now = new Date()): Promise<RegisterSummary> {
  requireBuyer(user);
  return (await registerOverview(user, settings ?? (await tierThresholds(user.organisationId)), now)).summary;
}

type ContractEb = ExpressionBuilder<Database, "contract">;

/** Gold 0, Silver 1, Bronze 2: by the override where there is one, else by the value against the thresholds. */
function tierRank(eb: ContractEb, settings: TierThresholds) {
  return eb
    .case()
    .when("contract.tier_override", "=", "gold")
    .then(eb.lit(0))
    .when("contract.tier_override", "=", "silver")
    .then(eb.lit(1))
    .when("contract.tier_override", "=", "bronze")
    .then(eb.lit(2))
    .when("contract.annual_value_pence", ">", settings.goldAbovePence)
    .then(eb.lit(0))
    .when("contract.annual_value_pence", "<", settings.bronzeBelowPence)
    .then(eb.lit(2))
    .else(eb.lit(1))
    .end();
}

/**
 * A contract's place in INVITATION_ORDER, in SQL: its latest invitation's state as
 * invitationStatus() gives it, else "result_shared" or "not_invited". A lookup by contract per row,
 * through the index on supplier_invitation(contract_id).
 */
function invitationRank(eb: ContractEb, organisationId: string, now: Date, db: Awaited<ReturnType<typeof getDb>>) {
  const latest = eb
    .selectFrom("supplier_invitation as si")
    .leftJoin("assessment as ia", "ia.id", "si.assessment_id")
    .select((e) =>
      e
        .case()
        .when("si.cancelled_at", "is not", null)
        .then(e.lit(rankOf("cancelled")))
        .when("ia.status", "=", "completed")
        .then(e.lit(rankOf("completed")))
        .when("ia.status", "=", "submitted")
        .then(e.lit(rankOf("submitted")))
        .when("ia.status", "=", "draft")
        .then(e.lit(rankOf("in_progress")))
        .when("si.accepted_at", "is not", null)
        .then(e.lit(rankOf("registered")))
        .when("si.expires_at", "<=", now.toISOString())
        .then(e.lit(rankOf("expired")))
        .else(e.lit(rankOf("invited")))
        .end()
        .as("rank"),
    )
    .whereRef("si.contract_id", "=", "contract.id")
    .orderBy("si.created_at", "desc")
    .orderBy("si.id", "desc")
    .limit(1)
    .$asScalar();
  const none = eb.case().when("contract.supplier_organisation_id", "in", suppliersSharingWith(db, organisationId)).then(eb.lit(rankOf("result_shared"))).else(eb.lit(rankOf("not_invited"))).end();
  return eb.fn.coalesce(latest, none);
}

/** One page of the register, with each contract's status, tier and priority under the department's settings. */
export async function listContracts(user: CurrentUser, query: Omit<ContractQuery, "contractStatus"> & { contractStatus?: ContractStatusFilter }, now = new Date()) {
  requireBuyer(user);
  const db = await getDb();
  const settings = await tierThresholds(user.organisationId);
  const base = await filteredContracts(user, query, settings, now);
  const today = ukDateOf(now);
  const direction = query.direction;
  let sorted = base.selectAll("contract");
  switch (query.sort) {
    case "reference":
      sorted = sorted.orderBy("contract.reference", direction);
      break;
    case "title":
      sorted = sorted.orderBy("contract.title", direction);
      break;
    case "supplier":
      sorted = sorted.orderBy("contract.supplier_name", direction);
      break;
    case "value":
      sorted = sorted.orderBy("contract.annual_value_pence", direction);
      break;
    case "end":
      sorted = sorted.orderBy("contract.end_date", direction);
      break;
    case "tier":
      sorted = sorted.orderBy((eb) => tierRank(eb, settings), direction).orderBy("contract.annual_value_pence", direction === "asc" ? "desc" : "asc");
      break;
    case "risk":
      // Not yet assessed last whichever way: unknown risk is neither high nor low.
      sorted = sorted
        .orderBy((eb) => eb.case().when("contract.risk_assessed_at", "is", null).then(eb.lit(1)).else(eb.lit(0)).end(), "asc")
        .orderBy("contract.risk_count", direction)
        .orderBy("contract.annual_value_pence", "desc");
      break;
    case "invitation":
      sorted = sorted.orderBy((eb) => invitationRank(eb, user.organisationId, now, db), direction);
      break;
  }
  const [{ count }, rows, categories, overview] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as("count")).executeTakeFirstOrThrow(),
    sorted
      .orderBy("contract.reference", "asc")
      .limit(PAGE_SIZE)
      .offset((query.page - 1) * PAGE_SIZE)
      .execute(),
    db.selectFrom("contract").select("category").distinct().where("organisation_id", "=", user.organisationId).orderBy("category").execute(),
    registerOverview(user, settings, now),
  ]);
  const statuses = await invitationStatuses(user, rows, now);
  return {
    total: Number(count),
    pages: Math.max(1, Math.ceil(Number(count) / PAGE_SIZE)),
    categories: categories.map((c) => c.category),
    managers: overview.managers,
    summary: overview.summary,
    priorityThreshold: settings.priorityThreshold,
    contracts: rows.map((r) => {
      const annual = Number(r.annual_value_pence);
      const status = statusOf(r, today);
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
        status: status.status,
        statusSetByHand: status.overrideReason !== null,
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
