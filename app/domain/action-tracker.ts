/**
 * The department's actions tracker as a query string: which filters, sort and page, checked so that
 * anything unknown or malformed is left out (the default), never an error. Pure, for the page and
 * the service alike.
 */
import { TIERS } from "./contracts";
import { ACTION_STATUSES, type ActionStatus, OWNER_SIDES, type OwnerSide } from "./conversations";
import { hasControlChars, isId } from "./text";
import { searchParamsOf } from "./query-string";

export const TRACKER_SORTS = ["due", "supplier", "status", "tier"] as const;
export type TrackerSort = (typeof TRACKER_SORTS)[number];

/** A tier, or "none" for suppliers with no linked contract. */
export const TIER_FILTERS = [...TIERS, "none"] as const;
export type TierFilter = (typeof TIER_FILTERS)[number];

export type TrackerFilters = { owner?: OwnerSide; manager?: string; status?: ActionStatus; overdue?: boolean; supplier?: string; tier?: TierFilter };
export type TrackerQuery = TrackerFilters & { sort: TrackerSort; direction: "asc" | "desc"; page: number };

const oneOf = <T extends string>(values: ReadonlyArray<T>, value: string | null): T | undefined => (values.includes(value as T) ? (value as T) : undefined);

/** The tracker's query string, checked: anything unknown or malformed is left out (the default), never an error. */
export function readTrackerQuery(params: URLSearchParams): TrackerQuery {
  const sort = oneOf(TRACKER_SORTS, params.get("sort")) ?? "due";
  const direction = params.get("direction") === "desc" ? "desc" : "asc";
  const page = Math.min(Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1), 100_000);
  const manager = (params.get("manager") ?? "").trim();
  const supplier = params.get("supplier") ?? "";
  return {
    owner: oneOf(OWNER_SIDES, params.get("owner")),
    manager: manager && manager.length <= 254 && !hasControlChars(manager) ? manager : undefined,
    status: oneOf(ACTION_STATUSES, params.get("status")),
    overdue: params.get("overdue") === "1" ? true : undefined,
    supplier: isId(supplier) ? supplier : undefined,
    tier: oneOf(TIER_FILTERS, params.get("tier")),
    sort,
    direction,
    page,
  };
}

/** A query as URL parameters, leaving out what is not set: for links that keep the filters. */
export function trackerQueryParams(query: Partial<TrackerQuery>): URLSearchParams {
  return searchParamsOf({
    owner: query.owner,
    manager: query.manager,
    status: query.status,
    overdue: query.overdue ? 1 : undefined,
    supplier: query.supplier,
    tier: query.tier,
    sort: query.sort,
    direction: query.direction,
    page: query.page,
  });
}
