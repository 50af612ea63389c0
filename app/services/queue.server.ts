/**
 * The buyer's work queue: what its organisation has to do next about the assessments shared with it.
 */
import { type ActionStatus, type OwnerSide, type QueueItem, actionInQueue, isOverdue, isoToday, itemOverdue, orderQueue, reviewInQueue } from "../domain/conversations";
import { type FollowUpReason, orderByFollowUp } from "../domain/follow-up";
import type { CurrentUser } from "./auth.server";
import { handedInAt } from "./action-times.server";
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
        .selectFrom("conversation_action as ca")
        .innerJoin("conversation", "conversation.id", "ca.conversation_id")
        .select(["ca.id", "ca.assessment_id", "ca.description", "ca.owner_side", "ca.owner_name", "ca.due_on", "ca.status"])
        .select((eb) => eb.case().when("ca.status", "=", "awaiting_confirmation").then(handedInAt()).else(null).end().as("marked_at"))
        .where("ca.organisation_id", "=", user.organisationId)
        .where("conversation.status", "=", "finished")
        .where("ca.status", "in", ["open", "in_progress", "awaiting_confirmation"])
        .where("ca.assessment_id", "in", ids.slice(i, i + 500))
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
          // Awaiting confirmation: overdue only if the supplier handed it in after its due date.
          overdue: isOverdue({ status: r.status, dueOn: r.due_on, markedOn: r.marked_at?.slice(0, 10) ?? null }, today),
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
