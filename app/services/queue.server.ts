/**
 * The buyer's work queue: what its organisation has to do next about the assessments shared with it.
 */
import { type ActionStatus, type OwnerSide, type QueueItem, actionInQueue, isoToday, itemOverdue, orderQueue, reviewInQueue } from "../domain/conversations";
import { type FollowUpReason, orderByFollowUp } from "../domain/follow-up";
import type { CurrentUser } from "./auth.server";
import { getDb } from "./db.server";
import { httpError } from "./errors.server";
import { sharedResults } from "./follow-up.server";

// ---- the buyer's work queue -----------------------------------------------------------------------

/** A result that needs follow-up, with why and what to do next. */
export type FollowUpEntry = {
  assessmentId: string;
  supplierName: string;
  band: { id: string; label: string };
  tier: QueueItem["tier"];
  reasons: FollowUpReason[];
  openRedFlags: number;
  /** The department's draft conversation, its last finished one, and the next review agreed. */
  draftId: string | null;
  lastConversationId: string | null;
  nextReviewOn: string | null;
};

export type QueueEntry = QueueItem & {
  assessmentId: string;
  supplierName: string;
  band: { id: string; label: string };
  overdue: boolean;
  draftId?: string | null;
  actionId?: string;
  description?: string;
  ownerSide?: OwnerSide;
  ownerName?: string;
  status?: ActionStatus;
  /** Reviews: the conversation the review follows. */
  conversationId?: string;
};

/**
 * What the buyer's organisation has to do next:
 * - every current result that needs follow-up by the one rule (app/domain/follow-up.ts), open red
 *   flags first, then contract tier, then rating;
 * - actions overdue or due within 14 days, and every action awaiting the department's confirmation;
 * - reviews coming up within 30 days (a review already due is a reason for follow-up above).
 */
export async function getQueue(user: CurrentUser, now = new Date()) {
  if (user.organisationKind !== "buyer") httpError(403, "Only a buying organisation has a work queue.");
  const today = isoToday(now);
  const shared = await sharedResults(user.organisationId, now);
  const current = shared.filter((r) => r.current);

  const followUp: FollowUpEntry[] = orderByFollowUp(current.filter((r) => r.followUp.needed)).map((r) => ({
    assessmentId: r.assessmentId,
    supplierName: r.supplierName,
    band: r.band,
    tier: r.tier,
    reasons: r.followUp.reasons,
    openRedFlags: r.followUp.openRedFlags,
    draftId: r.draftConversationId,
    lastConversationId: r.lastConversationId,
    nextReviewOn: r.nextReviewOn,
  }));

  const reviews: QueueEntry[] = [];
  for (const r of current) {
    if (!r.lastConversationId || r.nextReviewOn === null || r.nextReviewOn <= today || !reviewInQueue(r.nextReviewOn, today)) continue;
    const entry = { kind: "review" as const, key: r.lastConversationId, assessmentId: r.assessmentId, supplierName: r.supplierName, band: r.band, bandRank: r.bandRank, tier: r.tier, dueOn: r.nextReviewOn };
    reviews.push({ ...entry, overdue: itemOverdue(entry, today), conversationId: r.lastConversationId, draftId: r.draftConversationId });
  }

  const about = new Map(shared.map((r) => [r.assessmentId, r]));
  const actions: QueueEntry[] = [];
  if (shared.length > 0) {
    const db = await getDb();
    const ids = shared.map((r) => r.assessmentId);
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await db
        .selectFrom("conversation_action")
        .innerJoin("conversation", "conversation.id", "conversation_action.conversation_id")
        .select([
          "conversation_action.id",
          "conversation_action.assessment_id",
          "conversation_action.description",
          "conversation_action.owner_side",
          "conversation_action.owner_name",
          "conversation_action.due_on",
          "conversation_action.status",
        ])
        .where("conversation_action.organisation_id", "=", user.organisationId)
        .where("conversation.status", "=", "finished")
        .where("conversation_action.status", "in", ["open", "in_progress", "awaiting_confirmation"])
        .where("conversation_action.assessment_id", "in", ids.slice(i, i + 500))
        .execute();
      for (const r of rows) {
        // Awaiting the department's confirmation: its move, whatever the due date.
        if (r.status !== "awaiting_confirmation" && !actionInQueue({ status: r.status, dueOn: r.due_on }, today)) continue;
        const a = about.get(r.assessment_id)!;
        actions.push({
          kind: "action",
          key: r.id,
          assessmentId: a.assessmentId,
          supplierName: a.supplierName,
          band: a.band,
          bandRank: a.bandRank,
          tier: a.tier,
          dueOn: r.due_on,
          overdue: itemOverdue({ dueOn: r.due_on }, today),
          actionId: r.id,
          description: r.description,
          ownerSide: r.owner_side,
          ownerName: r.owner_name,
          status: r.status,
        });
      }
    }
  }

  return { today, followUp, results: current.length, actions: orderQueue(actions), reviews: orderQueue(reviews) };
}
