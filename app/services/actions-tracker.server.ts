/**
 * The department's actions tracker: every action it agreed in a finished conversation about an
 * assessment still shared with it, filtered, sorted and paged in the database, and downloaded.
 *
 * Each action's supplier is the assessment's organisation. Its contracts are the department's
 * contracts linked to that organisation (`contract.supplier_organisation_id`, as
 * supplier-links.server.ts says): the contract managers are their `contract_manager_email`s and the
 * tier is the highest of their tiers (none when no contract is linked).
 */
import { type ExpressionBuilder, type SelectQueryBuilder, sql } from "kysely";
import type { Database } from "../../db/schema";
import type { TrackerFilters, TrackerQuery, TrackerSort } from "../domain/action-tracker";
import { TIERS, type Tier, type TierThresholds, tierFor } from "../domain/contracts";
import { ACTION_STATUSES, type ActionStatus, type OwnerSide, WORKING_STATUSES, highestTier, isOverdue, isoToday } from "../domain/conversations";
import { handedInAt } from "./action-times.server";
import type { CurrentUser } from "./auth.server";
import { getDb } from "./db.server";
import { tierThresholds } from "./department-settings.server";
import { httpError } from "./errors.server";
import { contractsOfSupplier } from "./supplier-links.server";

export const TRACKER_PAGE_SIZE = 50;

function requireBuyer(user: CurrentUser) {
  if (user.organisationKind !== "buyer") httpError(403, "Only a buying organisation tracks the actions it agreed. Your organisation's actions are under Agreed actions.");
}

/** A contract's tier as a rank (0 gold, 1 silver, 2 bronze), in SQL: the override where set, else by value (as tierFor). */
function tierRank(eb: ExpressionBuilder<Database, "contract">, settings: TierThresholds) {
  return eb
    .case()
    .when("contract.tier_override", "=", "gold")
    .then(0)
    .when("contract.tier_override", "=", "silver")
    .then(1)
    .when("contract.tier_override", "=", "bronze")
    .then(2)
    .when("contract.annual_value_pence", ">", settings.goldAbovePence)
    .then(0)
    .when("contract.annual_value_pence", "<", settings.bronzeBelowPence)
    .then(2)
    .else(1)
    .end();
}

const RANK_TIER: Record<number, Tier> = { 0: "gold", 1: "silver", 2: "bronze" };
/** The rank that sorts a supplier with no linked contract after bronze. */
const NO_TIER = 3;

const STATUS_RANK = Object.fromEntries(ACTION_STATUSES.map((s, i) => [s, i])) as Record<ActionStatus, number>;

/**
 * The department's agreed actions matching the filters: the query the page, its count and the
 * download start from. The tier of each action's supplier is joined only when a filter or the sort
 * needs it.
 */
async function trackedActions(user: CurrentUser, filters: TrackerFilters, settings: TierThresholds, today: string, withTier: boolean) {
  const db = await getDb();
  const org = user.organisationId;
  let base = db
    .selectFrom("conversation_action as ca")
    .innerJoin("conversation as cv", "cv.id", "ca.conversation_id")
    .innerJoin("assessment as a", "a.id", "ca.assessment_id")
    .innerJoin("organisation as s", "s.id", "a.organisation_id")
    .where("ca.organisation_id", "=", org)
    .where("cv.status", "=", "finished")
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("assessment_share as sh")
          .select("sh.id")
          .whereRef("sh.assessment_id", "=", "ca.assessment_id")
          .where("sh.buyer_organisation_id", "=", org)
          .where("sh.revoked_at", "is", null),
      ),
    );
  if (filters.owner) base = base.where("ca.owner_side", "=", filters.owner);
  if (filters.status) base = base.where("ca.status", "=", filters.status);
  if (filters.supplier) base = base.where("a.organisation_id", "=", filters.supplier);
  if (filters.manager) {
    // The suppliers of the manager's linked contracts, found once (not per action).
    const managed = db
      .selectFrom("contract as mc")
      .select("mc.supplier_organisation_id")
      .where("mc.organisation_id", "=", org)
      .where("mc.contract_manager_email", "=", filters.manager)
      .where("mc.supplier_organisation_id", "is not", null)
      .$narrowType<{ supplier_organisation_id: string }>();
    base = base.where("a.organisation_id", "in", managed);
  }
  if (filters.overdue) {
    // isOverdue in SQL: still being worked on past the due date, or handed in after it.
    base = base.where((eb) =>
      eb.or([
        eb.and([eb("ca.status", "in", [...WORKING_STATUSES]), eb("ca.due_on", "<", today)]),
        eb.and([eb("ca.status", "=", "awaiting_confirmation"), eb(eb.fn("substr", [handedInAt(), sql.lit(1), sql.lit(10)]), ">", eb.ref("ca.due_on"))]),
      ]),
    );
  }
  if (!withTier) return base.select(sql.lit(NO_TIER).as("tier_rank"));
  const tiers = db
    .selectFrom("contract")
    .select((eb) => ["contract.supplier_organisation_id as supplier_id", eb.fn.min(tierRank(eb, settings)).as("rank")])
    .where("contract.organisation_id", "=", org)
    .where("contract.supplier_organisation_id", "is not", null)
    .groupBy("contract.supplier_organisation_id");
  let tiered = base.leftJoin(tiers.as("t"), "t.supplier_id", "a.organisation_id").select((eb) => eb.fn.coalesce("t.rank", sql.lit(NO_TIER)).as("tier_rank"));
  if (filters.tier) {
    const rank = filters.tier === "none" ? NO_TIER : TIERS.indexOf(filters.tier);
    tiered = tiered.where((eb) => eb(eb.fn.coalesce("t.rank", sql.lit(NO_TIER)), "=", rank));
  }
  return tiered as unknown as typeof base extends SelectQueryBuilder<infer D, infer T, infer _O> ? SelectQueryBuilder<D, T, { tier_rank: number }> : never;
}

type Base = Awaited<ReturnType<typeof trackedActions>>;

function sorted(q: Base, sort: TrackerSort, direction: "asc" | "desc") {
  let out = q;
  switch (sort) {
    case "supplier":
      out = out.orderBy("s.name", direction);
      break;
    case "status":
      out = out.orderBy((eb) => {
        let c = eb.case("ca.status").when(ACTION_STATUSES[0]).then(STATUS_RANK[ACTION_STATUSES[0]]);
        for (const s of ACTION_STATUSES.slice(1)) c = c.when(s).then(STATUS_RANK[s]);
        return c.end();
      }, direction);
      break;
    case "tier":
      out = out.orderBy(sql`tier_rank`, direction);
      break;
    case "due":
      break;
  }
  return out.orderBy("ca.due_on", sort === "due" ? direction : "asc").orderBy("ca.id", sort === "due" ? direction : "asc");
}

export type TrackedAction = {
  id: string;
  description: string;
  ownerSide: OwnerSide;
  ownerName: string;
  dueOn: string;
  status: ActionStatus;
  overdue: boolean;
  /** When the supplier marked it done, for an action awaiting confirmation. */
  markedAt: string | null;
  agreedOn: string | null;
  supplierId: string;
  supplierName: string;
  tier: Tier | null;
  managers: string[];
};

async function readRows(user: CurrentUser, q: Base, settings: TierThresholds, today: string): Promise<TrackedAction[]> {
  const rows = await q
    .select(["ca.id", "ca.description", "ca.owner_side", "ca.owner_name", "ca.due_on", "ca.status", "a.organisation_id as supplier_id", "s.name as supplier_name", "cv.held_on"])
    .select((eb) => eb.case().when("ca.status", "=", "awaiting_confirmation").then(handedInAt()).else(null).end().as("marked_at"))
    .execute();
  const contracts = await contractsOfSupplier(await getDb(), user.organisationId, [...new Set(rows.map((r) => r.supplier_id))]);
  const bySupplier = new Map<string, { tiers: Tier[]; managers: Set<string> }>();
  for (const c of contracts) {
    const entry = bySupplier.get(c.supplier_organisation_id!) ?? { tiers: [], managers: new Set<string>() };
    const override = c.tier_override ? { tier: c.tier_override, reason: c.tier_override_reason || "set by hand" } : null;
    entry.tiers.push(tierFor(Number(c.annual_value_pence), settings, override).tier);
    if (c.contract_manager_email) entry.managers.add(c.contract_manager_email);
    bySupplier.set(c.supplier_organisation_id!, entry);
  }
  return rows.map((r) => {
    const linked = bySupplier.get(r.supplier_id);
    const markedAt = r.marked_at ?? null;
    return {
      id: r.id,
      description: r.description,
      ownerSide: r.owner_side,
      ownerName: r.owner_name,
      dueOn: r.due_on,
      status: r.status,
      overdue: isOverdue({ status: r.status, dueOn: r.due_on, markedOn: markedAt?.slice(0, 10) ?? null }, today),
      markedAt,
      agreedOn: r.held_on,
      supplierId: r.supplier_id,
      supplierName: r.supplier_name,
      tier: linked ? highestTier(linked.tiers) : null,
      managers: linked ? [...linked.managers].sort() : [],
    };
  });
}

/** The suppliers with agreed actions, and the contract managers of their linked contracts: the filters' choices. */
async function filterChoices(user: CurrentUser) {
  const db = await getDb();
  const org = user.organisationId;
  const suppliersWithActions = db
    .selectFrom("conversation_action as ca")
    .innerJoin("conversation as cv", "cv.id", "ca.conversation_id")
    .innerJoin("assessment as a", "a.id", "ca.assessment_id")
    .select("a.organisation_id")
    .where("ca.organisation_id", "=", org)
    .where("cv.status", "=", "finished");
  const [suppliers, managers] = await Promise.all([
    db.selectFrom("organisation").select(["id", "name"]).where("id", "in", suppliersWithActions).orderBy("name").orderBy("id").execute(),
    db
      .selectFrom("contract")
      .select("contract_manager_email")
      .distinct()
      .where("organisation_id", "=", org)
      .where("supplier_organisation_id", "in", suppliersWithActions)
      .where("contract_manager_email", "is not", null)
      .orderBy("contract_manager_email")
      .execute(),
  ]);
  return { suppliers, managers: managers.map((m) => m.contract_manager_email!) };
}

/** One page of the tracker, with the count, the filters' choices and the page's actions. */
export async function listTrackedActions(user: CurrentUser, query: TrackerQuery, now = new Date()) {
  requireBuyer(user);
  const today = isoToday(now);
  const settings = await tierThresholds(user.organisationId);
  const withTier = query.sort === "tier" || query.tier !== undefined;
  const base = await trackedActions(user, query, settings, today, withTier);
  const counted = await (await trackedActions(user, query, settings, today, query.tier !== undefined))
    .clearSelect()
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .executeTakeFirst();
  const total = Number(counted?.n ?? 0);
  const pages = Math.max(1, Math.ceil(total / TRACKER_PAGE_SIZE));
  const page = Math.min(query.page, pages);
  const [actions, choices] = await Promise.all([
    readRows(user, sorted(base, query.sort, query.direction).limit(TRACKER_PAGE_SIZE).offset((page - 1) * TRACKER_PAGE_SIZE), settings, today),
    filterChoices(user),
  ]);
  return { today, total, page, pages, actions, ...choices };
}

/** Every action matching the filters (not a page), in the tracker's order: for the download. */
export async function allTrackedActions(user: CurrentUser, query: Omit<TrackerQuery, "page">, now = new Date()): Promise<TrackedAction[]> {
  requireBuyer(user);
  const today = isoToday(now);
  const settings = await tierThresholds(user.organisationId);
  const base = await trackedActions(user, query, settings, today, query.sort === "tier" || query.tier !== undefined);
  return readRows(user, sorted(base, query.sort, query.direction), settings, today);
}
