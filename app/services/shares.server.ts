/**
 * Who may see a supplier's assessment: its own organisation, and each buyer it is currently shared
 * with. A share is made by the supplier (directly, or by answering a buyer's invitation) and can be
 * revoked; a revoked share keeps its row (revoked_at set) so sharing again restores it.
 */
import { refreshStatistics } from "../../db/statistics";
import type { Transaction } from "kysely";
import type { Assessment, Database } from "../../db/schema";
import type { Db } from "../../db/index";
import { newId } from "../../db/ids";
import { isId } from "../domain/text";
import { getAssessment } from "./assessments.server";
import { audit } from "./audit.server";
import type { CurrentUser } from "./auth.server";
import { getDb } from "./db.server";
import { notifyShared } from "./notifications.server";
import { httpError } from "./errors.server";

export type ShareInput = {
  assessmentId: string;
  supplierOrganisationId: string;
  buyerOrganisationId: string;
  userId: string;
  invitationId?: string | null;
  at: Date;
};

/** Share (or share again) a submitted assessment with a buyer, inside the caller's transaction. */
export async function shareWithBuyer(trx: Transaction<Database>, input: ShareInput): Promise<void> {
  const at = input.at.toISOString();
  const existing = await trx
    .selectFrom("assessment_share")
    .select(["id", "revoked_at"])
    .where("assessment_id", "=", input.assessmentId)
    .where("buyer_organisation_id", "=", input.buyerOrganisationId)
    .executeTakeFirst();
  if (existing && existing.revoked_at === null) return;
  if (existing) {
    await trx
      .updateTable("assessment_share")
      .set({ revoked_at: null, revoked_by: null, shared_at: at, shared_by: input.userId, invitation_id: input.invitationId ?? null })
      .where("id", "=", existing.id)
      .execute();
  } else {
    await trx
      .insertInto("assessment_share")
      .values({
        id: newId(),
        assessment_id: input.assessmentId,
        supplier_organisation_id: input.supplierOrganisationId,
        buyer_organisation_id: input.buyerOrganisationId,
        shared_by: input.userId,
        shared_at: at,
        invitation_id: input.invitationId ?? null,
        revoked_at: null,
        revoked_by: null,
      })
      .execute();
  }
  await refreshStatistics(trx, input.buyerOrganisationId, input.supplierOrganisationId);
  await audit(trx, [
    { organisationId: input.supplierOrganisationId, userId: input.userId, entity: "assessment", entityId: input.assessmentId, action: "shared", newValue: input.buyerOrganisationId, at: input.at },
  ]);
}

/**
 * The assessment, if it is currently shared with the buyer user's organisation. Anything else is a
 * 404, the same answer as for an assessment that does not exist, so ids reveal nothing.
 */
export async function requireSharedAssessment(user: CurrentUser, assessmentId: string, db?: Db): Promise<Assessment> {
  const missing = "There is no shared assessment at this address. It may not have been shared with your organisation, or the supplier may have stopped sharing it.";
  if (user.organisationKind !== "buyer") httpError(403, "Only a buying organisation sees assessments shared with it.");
  if (!isId(assessmentId)) httpError(404, missing);
  const conn = db ?? (await getDb());
  const assessment = await conn
    .selectFrom("assessment")
    .innerJoin("assessment_share", "assessment_share.assessment_id", "assessment.id")
    .selectAll("assessment")
    .where("assessment.id", "=", assessmentId)
    .where("assessment_share.buyer_organisation_id", "=", user.organisationId)
    .where("assessment_share.revoked_at", "is", null)
    .where("assessment.status", "!=", "draft")
    .executeTakeFirst();
  if (!assessment) httpError(404, missing);
  return assessment;
}

// ---- the supplier's sharing page ----------------------------------------------------------------

function requireSupplier(user: CurrentUser) {
  if (user.organisationKind !== "supplier") httpError(403, "Only the supplier decides who sees its assessments.");
}

function requireSupplierAdmin(user: CurrentUser) {
  requireSupplier(user);
  if (user.role !== "admin") httpError(403, "Only your organisation's administrators can change who sees an assessment.");
}

/** The assessment, if the user may change who it is shared with: an administrator of its organisation. */
export async function requireSharingAdmin(user: CurrentUser, assessmentId: string): Promise<Assessment> {
  requireSupplierAdmin(user);
  return getAssessment(user, assessmentId);
}

export type ShareView = {
  buyerOrganisationId: string;
  buyerName: string;
  sharedAt: string;
  sharedBy: string;
  /** The contract reference when the share came from answering a buyer's invitation. */
  contractReference: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
};

/** Who an assessment is shared with (now and before), and the buying organisations it could be shared with. */
export async function getSharing(user: CurrentUser, assessmentId: string) {
  requireSupplier(user);
  const db = await getDb();
  const assessment = await getAssessment(user, assessmentId, db);
  const rows = await db
    .selectFrom("assessment_share")
    .innerJoin("organisation as buyer", "buyer.id", "assessment_share.buyer_organisation_id")
    .innerJoin("user as sharer", "sharer.id", "assessment_share.shared_by")
    .leftJoin("user as revoker", "revoker.id", "assessment_share.revoked_by")
    .leftJoin("supplier_invitation", "supplier_invitation.id", "assessment_share.invitation_id")
    .leftJoin("contract", "contract.id", "supplier_invitation.contract_id")
    .select([
      "assessment_share.buyer_organisation_id",
      "buyer.name as buyerName",
      "assessment_share.shared_at",
      "sharer.name as sharedBy",
      "contract.reference",
      "assessment_share.revoked_at",
      "revoker.name as revokedBy",
    ])
    .where("assessment_share.assessment_id", "=", assessment.id)
    .where("assessment_share.supplier_organisation_id", "=", user.organisationId)
    .orderBy("buyer.name")
    .execute();
  const shares: ShareView[] = rows.map((r) => ({
    buyerOrganisationId: r.buyer_organisation_id,
    buyerName: r.buyerName,
    sharedAt: r.shared_at,
    sharedBy: r.sharedBy,
    contractReference: r.reference,
    revokedAt: r.revoked_at,
    revokedBy: r.revokedBy,
  }));
  const current = shares.filter((s) => s.revokedAt === null);
  const revoked = shares.filter((s) => s.revokedAt !== null).sort((a, b) => (a.revokedAt! < b.revokedAt! ? 1 : -1));
  const sharedIds = new Set(current.map((s) => s.buyerOrganisationId));
  const buyers = (await db.selectFrom("organisation").select(["id", "name"]).where("kind", "=", "buyer").orderBy("name").execute()).filter((b) => !sharedIds.has(b.id));
  return {
    assessment: { id: assessment.id, status: assessment.status, createdAt: assessment.created_at },
    canChange: user.role === "admin",
    current,
    revoked,
    buyers,
  };
}

export type ShareOutcome = { ok: true; buyerName: string } | { ok: false; errors: Record<string, string> };

/** Share a submitted assessment with a buying organisation (administrators only). */
export async function shareAssessment(user: CurrentUser, assessmentId: string, buyerOrganisationId: unknown, now = new Date()): Promise<ShareOutcome> {
  requireSupplierAdmin(user);
  const db = await getDb();
  const assessment = await getAssessment(user, assessmentId, db);
  if (assessment.status === "draft") httpError(409, "This assessment is still a draft: you can share it once you have submitted it.");
  if (typeof buyerOrganisationId !== "string" || buyerOrganisationId === "") {
    return { ok: false, errors: { buyerOrganisationId: "Select the buying organisation to share this assessment with" } };
  }
  const buyer = isId(buyerOrganisationId) ? await db.selectFrom("organisation").select(["id", "name", "kind"]).where("id", "=", buyerOrganisationId).executeTakeFirst() : undefined;
  if (!buyer) return { ok: false, errors: { buyerOrganisationId: "Select a buying organisation from the list: the one chosen is not in Lantern" } };
  if (buyer.kind !== "buyer") return { ok: false, errors: { buyerOrganisationId: `${buyer.name} is not a buying organisation: select a buying organisation from the list` } };
  const outcome = await db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom("assessment_share")
      .select("revoked_at")
      .where("assessment_id", "=", assessment.id)
      .where("buyer_organisation_id", "=", buyer.id)
      .executeTakeFirst();
    if (existing && existing.revoked_at === null) return false;
    await shareWithBuyer(trx, { assessmentId: assessment.id, supplierOrganisationId: user.organisationId, buyerOrganisationId: buyer.id, userId: user.id, at: now });
    await notifyShared(trx, { assessmentId: assessment.id, buyerOrganisationId: buyer.id }, now);
    return true;
  });
  if (!outcome) return { ok: false, errors: { buyerOrganisationId: `This assessment is already shared with ${buyer.name}` } };
  return { ok: true, buyerName: buyer.name };
}

/**
 * Stop sharing with a buyer (administrators only, after confirming): the buyer no longer sees the
 * assessment, its report or the notes on it. The row stays, so sharing again restores it.
 */
export async function stopSharing(user: CurrentUser, assessmentId: string, buyerOrganisationId: unknown, confirmed: boolean, now = new Date()): Promise<ShareOutcome> {
  requireSupplierAdmin(user);
  const db = await getDb();
  const assessment = await getAssessment(user, assessmentId, db);
  const share = isId(buyerOrganisationId)
    ? await db
        .selectFrom("assessment_share")
        .innerJoin("organisation", "organisation.id", "assessment_share.buyer_organisation_id")
        .select(["assessment_share.id", "organisation.name"])
        .where("assessment_share.assessment_id", "=", assessment.id)
        .where("assessment_share.buyer_organisation_id", "=", buyerOrganisationId)
        .where("assessment_share.revoked_at", "is", null)
        .executeTakeFirst()
    : undefined;
  if (!share) httpError(404, "This assessment is not shared with that organisation, so there is nothing to stop.");
  if (!confirmed) return { ok: false, errors: { confirm: `Confirm that you understand ${share.name} will no longer see this assessment` } };
  await db.transaction().execute(async (trx) => {
    const at = now.toISOString();
    const changed = await trx
      .updateTable("assessment_share")
      .set({ revoked_at: at, revoked_by: user.id })
      .where("id", "=", share.id)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) === 0) return;
    await refreshStatistics(trx, buyerOrganisationId as string, assessment.organisation_id);
    await audit(trx, [
      { organisationId: user.organisationId, userId: user.id, entity: "assessment", entityId: assessment.id, action: "share_revoked", newValue: buyerOrganisationId as string, at: now },
    ]);
  });
  return { ok: true, buyerName: share.name };
}
