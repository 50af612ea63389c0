/**
 * The register filtered by status (live or ended), tier, category, contract manager, search text,
 * risk and the state of each contract's latest invitation: the query the register's pages, counts
 * and exports start from.
 */
import type { ExpressionBuilder } from "kysely";
import type { Db } from "../../db/index";
import type { Database } from "../../db/schema";
import type { ContractStatusFilter, Tier, TierThresholds } from "../domain/contracts";
import { ASSESSMENT_VALUE_THRESHOLD_PENCE, type RiskFilter } from "../domain/prioritisation";
import { ukDateOf } from "../domain/programme";
import { INVITATION_STATUSES, type InvitationStatus } from "../domain/supplier-invitations";
import type { CurrentUser } from "./auth.server";
import { getDb } from "./db.server";
import type { DepartmentSettings } from "./department-settings.server";

/**
 * The state of a contract's latest supplier invitation; without one, "result_shared" when its
 * supplier already shares a submitted assessment with the department, else "not_invited".
 */
export const STATUS_FILTERS = ["not_invited", "result_shared", ...INVITATION_STATUSES] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

/** `contractStatus` undefined or "all" is every contract; `today` is the UK calendar day it is judged on. */
export type ContractFilters = {
  contractStatus?: ContractStatusFilter;
  tier?: Tier;
  category?: string;
  manager?: string;
  search?: string;
  risk?: RiskFilter;
  status?: StatusFilter;
};

/** A contract is live: set live by hand, or not set by hand and its end date is today or later. */
export function isLive(eb: ExpressionBuilder<Database, "contract">, today: string) {
  return eb.or([eb("contract.status_override", "=", "live"), eb.and([eb("contract.status_override", "is", null), eb("contract.end_date", ">=", today)])]);
}

/** A contract has ended: set ended by hand, or not set by hand and its end date is before today. */
export function isEnded(eb: ExpressionBuilder<Database, "contract">, today: string) {
  return eb.or([eb("contract.status_override", "=", "ended"), eb.and([eb("contract.status_override", "is", null), eb("contract.end_date", "<", today)])]);
}

/**
 * The supplier organisations that share a submitted (not draft) assessment with the department
 * now: a contract of theirs with no invitation reads "Result shared".
 */
export function suppliersSharingWith(db: Db, organisationId: string) {
  return db
    .selectFrom("assessment_share as share")
    .innerJoin("assessment as shared", "shared.id", "share.assessment_id")
    .select("shared.organisation_id")
    .where("share.buyer_organisation_id", "=", organisationId)
    .where("share.revoked_at", "is", null)
    .where("shared.status", "!=", "draft");
}

/**
 * The ids of the organisation's contracts whose latest invitation (latest by created_at, then id)
 * is in this state: invitationStatus() in SQL, so the register can filter and page on it. Driven
 * from the invitations, which are few beside the contracts.
 */
function contractsWhoseLatestInvitationIs(db: Db, organisationId: string, status: InvitationStatus, now: Date) {
  const at = now.toISOString();
  let latest = db
    .selectFrom("supplier_invitation as si")
    .leftJoin("assessment as a", "a.id", "si.assessment_id")
    .select("si.contract_id")
    .where("si.organisation_id", "=", organisationId)
    .where((e) =>
      e.not(
        e.exists(
          e
            .selectFrom("supplier_invitation as later")
            .select("later.id")
            .whereRef("later.contract_id", "=", "si.contract_id")
            .where((l) => l.or([l("later.created_at", ">", l.ref("si.created_at")), l.and([l("later.created_at", "=", l.ref("si.created_at")), l("later.id", ">", l.ref("si.id"))])])),
        ),
      ),
    );
  if (status === "cancelled") latest = latest.where("si.cancelled_at", "is not", null);
  else {
    latest = latest.where("si.cancelled_at", "is", null);
    if (status === "completed") latest = latest.where("a.status", "=", "completed");
    else if (status === "submitted") latest = latest.where("a.status", "=", "submitted");
    else if (status === "in_progress") latest = latest.where("a.status", "=", "draft");
    else {
      latest = latest.where("a.id", "is", null);
      if (status === "registered") latest = latest.where("si.accepted_at", "is not", null);
      else {
        latest = latest.where("si.accepted_at", "is", null);
        latest = status === "expired" ? latest.where("si.expires_at", "<=", at) : latest.where("si.expires_at", ">", at);
      }
    }
  }
  return latest;
}

/** A contract is in a tier: by its override where there is one, else by its value against the thresholds. */
export function inTier(eb: ExpressionBuilder<Database, "contract">, tier: Tier, settings: TierThresholds) {
  const { goldAbovePence: gold, bronzeBelowPence: bronze } = settings;
  return eb.or([
    eb("contract.tier_override", "=", tier),
    eb.and([
      eb("contract.tier_override", "is", null),
      tier === "gold"
        ? eb("contract.annual_value_pence", ">", gold)
        : tier === "bronze"
          ? eb("contract.annual_value_pence", "<", bronze)
          : eb.and([eb("contract.annual_value_pence", ">=", bronze), eb("contract.annual_value_pence", "<=", gold)]),
    ]),
  ]);
}

/** The register filtered: the query every list, count and export starts from. */
export async function filteredContracts(user: CurrentUser, filters: ContractFilters, settings: DepartmentSettings, now: Date) {
  const today = ukDateOf(now);
  const db = await getDb();
  const status = filters.status;
  const all = db.selectFrom("contract");
  // Joined to the (few) contracts whose latest invitation is in the state, so the database looks
  // those up rather than testing every contract; the join adds no column that is read.
  const from =
    status && status !== "not_invited" && status !== "result_shared"
      ? (all.innerJoin(contractsWhoseLatestInvitationIs(db, user.organisationId, status, now).as("latest"), (join) => join.onRef("latest.contract_id", "=", "contract.id")) as unknown as typeof all)
      : all;
  let base = from.where("contract.organisation_id", "=", user.organisationId);
  if (filters.contractStatus === "live") base = base.where((eb) => isLive(eb, today));
  else if (filters.contractStatus === "ended") base = base.where((eb) => isEnded(eb, today));
  if (filters.category) base = base.where("category", "=", filters.category);
  if (filters.manager) base = base.where("contract_manager_email", "=", filters.manager);
  if (filters.search) {
    const like = `%${filters.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    base = base.where((eb) => eb.or([eb("reference", "like", like), eb("title", "like", like), eb("supplier_name", "like", like)]));
  }
  if (filters.tier) base = base.where((eb) => inTier(eb, filters.tier!, settings));
  switch (filters.risk) {
    case "not_assessed":
      base = base.where("risk_assessed_at", "is", null);
      break;
    case "priority":
      base = base.where("risk_assessed_at", "is not", null).where("risk_count", ">=", settings.priorityThreshold);
      break;
    case "not_priority":
      base = base.where("risk_assessed_at", "is not", null).where("risk_count", "<", settings.priorityThreshold);
      break;
    case "over_1m_not_assessed":
      base = base.where("risk_assessed_at", "is", null).where("annual_value_pence", ">", ASSESSMENT_VALUE_THRESHOLD_PENCE);
      break;
  }
  if (status === "not_invited" || status === "result_shared") {
    // contract_id and organisation_id are never null, so NOT IN is safe here.
    base = base.where("contract.id", "not in", (eb) => eb.selectFrom("supplier_invitation as si").select("si.contract_id").where("si.organisation_id", "=", user.organisationId));
    const sharing = suppliersSharingWith(db, user.organisationId);
    base =
      status === "result_shared"
        ? base.where("contract.supplier_organisation_id", "in", sharing)
        : base.where((eb) => eb.or([eb("contract.supplier_organisation_id", "is", null), eb("contract.supplier_organisation_id", "not in", sharing)]));
  }
  return base;
}
