/**
 * A supplier answers an accepted invitation with an assessment (a new one, the one under way, or a
 * current submitted one), which is then shared with the buyer.
 */
import type { Db } from "../../db/index";
import type { AssessmentStatus } from "../domain/progress";
import { isCurrentSubmission } from "../domain/supplier-invitations";
import { isId } from "../domain/text";
import { startAssessment } from "./assessments.server";
import { audit } from "./audit.server";
import type { CurrentUser } from "./auth.server";
import { getDb } from "./db.server";
import { httpError } from "./errors.server";
import { notifyShared } from "./notifications.server";
import { shareWithBuyer } from "./shares.server";
import { MISSING_INVITATION, requireSupplier } from "./supplier-invitation-access.server";

async function supplierInvitation(db: Db, user: CurrentUser, invitationId: string) {
  requireSupplier(user);
  if (!isId(invitationId)) httpError(404, MISSING_INVITATION);
  const row = await db
    .selectFrom("supplier_invitation as i")
    .innerJoin("organisation as buyer", "buyer.id", "i.organisation_id")
    .innerJoin("contract as c", "c.id", "i.contract_id")
    .select(["i.id", "i.organisation_id as buyerOrganisationId", "buyer.name as buyerName", "c.reference as contractReference", "c.title as contractTitle", "i.accepted_at as acceptedAt", "i.assessment_id as assessmentId", "i.linked_at as linkedAt", "i.cancelled_at as cancelledAt", "i.cancel_reason as cancelReason"])
    .where("i.id", "=", invitationId)
    .where("i.supplier_organisation_id", "=", user.organisationId)
    .executeTakeFirst();
  if (!row) httpError(404, MISSING_INVITATION);
  return row;
}

/** The organisation's assessments an invitation can be answered with, newest first. */
async function assessmentChoices(db: Db, organisationId: string) {
  return db
    .selectFrom("assessment")
    .leftJoin("submission", "submission.assessment_id", "assessment.id")
    .select(["assessment.id", "assessment.status", "assessment.created_at as createdAt", "assessment.updated_at as updatedAt", "submission.created_at as submittedAt"])
    .where("assessment.organisation_id", "=", organisationId)
    .orderBy("assessment.created_at", "desc")
    .execute();
}

export async function invitationChoicePage(user: CurrentUser, invitationId: string, now = new Date()) {
  const db = await getDb();
  const invitation = await supplierInvitation(db, user, invitationId);
  const all = await assessmentChoices(db, user.organisationId);
  const current = all.filter((a) => a.status !== "draft" && a.submittedAt && isCurrentSubmission(a.submittedAt, now));
  const draft = all.find((a) => a.status === "draft") ?? null;
  const linked = invitation.assessmentId ? (all.find((a) => a.id === invitation.assessmentId) ?? null) : null;
  return {
    invitation,
    current: current.map((a) => ({ id: a.id, status: a.status as AssessmentStatus, submittedAt: a.submittedAt! })),
    draft: draft ? { id: draft.id, createdAt: draft.createdAt } : null,
    linked: linked ? { id: linked.id, status: linked.status, submittedAt: linked.submittedAt } : null,
    canChoose: user.role === "admin" && !invitation.assessmentId && !invitation.cancelledAt,
  };
}

export type LinkOutcome = { ok: true; assessmentId: string; started: boolean; buyerName: string } | { ok: false; error: string };

/**
 * Answer the invitation with an assessment: "new" starts one (or continues the draft under way), or
 * the id of a current submitted one. The assessment is then shared with the buyer.
 */
export async function linkAssessment(user: CurrentUser, invitationId: string, choice: string, now = new Date()): Promise<LinkOutcome> {
  const db = await getDb();
  const invitation = await supplierInvitation(db, user, invitationId);
  if (user.role !== "admin") httpError(403, "Only an administrator can choose the assessment that answers an invitation: ask one of your administrators.");
  const alreadyLinked = "This invitation has already been answered with an assessment, which cannot be changed. If the buyer needs another, ask them to send a new invitation.";
  if (invitation.assessmentId) httpError(409, alreadyLinked);
  if (invitation.cancelledAt) httpError(409, `${invitation.buyerName} has cancelled this invitation, so it cannot be answered.`);
  let assessmentId: string;
  let started = false;
  if (choice === "new") {
    assessmentId = await startAssessment(user, now);
    started = true;
  } else {
    const assessment = isId(choice)
      ? await db.selectFrom("assessment").leftJoin("submission", "submission.assessment_id", "assessment.id").select(["assessment.id", "assessment.organisation_id", "assessment.status", "submission.created_at as submittedAt"]).where("assessment.id", "=", choice).executeTakeFirst()
      : undefined;
    if (!assessment || assessment.organisation_id !== user.organisationId) return { ok: false, error: "Choose one of your organisation's assessments, or start a new one" };
    if (assessment.status === "draft") {
      const current = await db.selectFrom("assessment").select("id").where("organisation_id", "=", user.organisationId).where("status", "=", "draft").orderBy("created_at", "desc").executeTakeFirst();
      if (current?.id !== assessment.id) return { ok: false, error: "That assessment is not the one your organisation is working on: choose the assessment under way, or a submitted one" };
      started = true;
    } else if (!assessment.submittedAt || !isCurrentSubmission(assessment.submittedAt, now)) {
      return { ok: false, error: "That assessment was submitted more than 12 months ago and is no longer current: choose to start a new assessment" };
    }
    assessmentId = assessment.id;
  }
  await db.transaction().execute(async (trx) => {
    const linked = await trx
      .updateTable("supplier_invitation")
      .set({ assessment_id: assessmentId, linked_at: now.toISOString() })
      .where("id", "=", invitation.id)
      .where("assessment_id", "is", null)
      .where("cancelled_at", "is", null)
      .executeTakeFirst();
    if (linked.numUpdatedRows === 0n) httpError(409, alreadyLinked);
    await shareWithBuyer(trx, { assessmentId, supplierOrganisationId: user.organisationId, buyerOrganisationId: invitation.buyerOrganisationId, userId: user.id, invitationId: invitation.id, at: now });
    // A submitted assessment is the buyer's to read now; a draft is told of when it is submitted.
    await notifyShared(trx, { assessmentId, buyerOrganisationId: invitation.buyerOrganisationId }, now);
    await audit(trx, [{ organisationId: invitation.buyerOrganisationId, userId: user.id, entity: "supplier_invitation", entityId: invitation.id, action: "linked", newValue: assessmentId, at: now }]);
  });
  return { ok: true, assessmentId, started, buyerName: invitation.buyerName };
}

/** Invitations the supplier's organisation has accepted but not yet answered with an assessment. */
export async function pendingInvitationsForSupplier(user: CurrentUser) {
  requireSupplier(user);
  const db = await getDb();
  return db
    .selectFrom("supplier_invitation as i")
    .innerJoin("organisation as buyer", "buyer.id", "i.organisation_id")
    .innerJoin("contract as c", "c.id", "i.contract_id")
    .select(["i.id", "buyer.name as buyerName", "c.reference as contractReference", "c.title as contractTitle", "i.accepted_at as acceptedAt"])
    .where("i.supplier_organisation_id", "=", user.organisationId)
    .where("i.assessment_id", "is", null)
    .where("i.cancelled_at", "is", null)
    .orderBy("i.accepted_at", "desc")
    .execute();
}
