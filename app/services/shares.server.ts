/**
 * Who may see a supplier's assessment: its own organisation, and each buyer it is currently shared
 * with. A share is made by the supplier (directly, or by answering a buyer's invitation) and can be
 * revoked; a revoked share keeps its row (revoked_at set) so sharing again restores it.
 */
import type { Transaction } from "kysely";
import type { Assessment, Database } from "../../db/schema";
import type { Db } from "../../db/index";
import { newId } from "../../db/ids";
import { isId } from "../domain/text";
import { audit } from "./audit.server";
import type { CurrentUser } from "./auth.server";
import { getDb } from "./db.server";
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
