/**
 * The buyer's overview: its register, its invitations and the results shared with it, at a glance.
 */
import { DEFAULT_PRIORITY_THRESHOLD } from "../domain/prioritisation";
import { ukDateOf } from "../domain/programme";
import { INVITATION_STATUSES, type InvitationStatus, invitationStatus } from "../domain/supplier-invitations";
import type { CurrentUser } from "./auth.server";
import { isLive } from "./contracts-filter.server";
import { getDb } from "./db.server";
import { httpError } from "./errors.server";

// ---- the buyer's overview -------------------------------------------------------------------------

/**
 * The organisation's figures at a glance: its register (coverage and priority of live contracts
 * only, as on the register's page: ended contracts are history), its invitations and the results
 * shared with it.
 */
export async function buyerOverview(user: CurrentUser, now = new Date()) {
  if (user.organisationKind !== "buyer") httpError(403, "Only a buying organisation has an overview of its register and results.");
  const db = await getDb();
  const settings = await db.selectFrom("department_settings").select("priority_threshold").where("organisation_id", "=", user.organisationId).executeTakeFirst();
  const priorityThreshold = settings?.priority_threshold ?? DEFAULT_PRIORITY_THRESHOLD;
  const today = ukDateOf(now);
  const register = await db
    .selectFrom("contract")
    .select((eb) => {
      const live = isLive(eb, today);
      return [
        eb.fn.countAll<string | number>().as("all"),
        eb.fn.count<string | number>(eb.case().when(live).then(eb.lit(1)).end()).as("total"),
        eb.fn.count<string | number>(eb.case().when(eb.and([live, eb("risk_assessed_at", "is not", null)])).then(eb.lit(1)).end()).as("assessed"),
        eb.fn.count<string | number>(eb.case().when(eb.and([live, eb("risk_assessed_at", "is not", null), eb("risk_count", ">=", priorityThreshold)])).then(eb.lit(1)).end()).as("priority"),
      ];
    })
    .where("organisation_id", "=", user.organisationId)
    .executeTakeFirstOrThrow();
  const contracts = Number(register.total);
  const assessed = Number(register.assessed);

  const invitationRows = await db
    .selectFrom("supplier_invitation")
    .leftJoin("assessment", "assessment.id", "supplier_invitation.assessment_id")
    .select(["supplier_invitation.expires_at", "supplier_invitation.accepted_at", "supplier_invitation.cancelled_at", "assessment.status"])
    .where("supplier_invitation.organisation_id", "=", user.organisationId)
    .execute();
  const invitations = Object.fromEntries(INVITATION_STATUSES.map((s) => [s, 0])) as Record<InvitationStatus, number>;
  for (const row of invitationRows) {
    invitations[invitationStatus({ expires_at: row.expires_at, accepted_at: row.accepted_at, cancelled_at: row.cancelled_at, assessmentStatus: row.status ?? null }, now)] += 1;
  }

  const shared = await db
    .selectFrom("assessment_share")
    .innerJoin("assessment", "assessment.id", "assessment_share.assessment_id")
    .select((eb) => eb.fn.countAll<string | number>().as("n"))
    .where("assessment_share.buyer_organisation_id", "=", user.organisationId)
    .where("assessment_share.revoked_at", "is", null)
    .where("assessment.status", "!=", "draft")
    .executeTakeFirstOrThrow();

  return {
    /** Live contracts. */
    contracts,
    endedContracts: Number(register.all) - contracts,
    riskAssessed: assessed,
    riskAssessedPercent: contracts === 0 ? null : Math.round((assessed / contracts) * 100),
    priority: Number(register.priority ?? 0),
    priorityThreshold,
    invitations,
    invitationsTotal: invitationRows.length,
    results: Number(shared.n),
  };
}
