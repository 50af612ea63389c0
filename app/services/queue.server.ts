/**
 * The buyer's work queue: what its organisation has to do next about the assessments shared with it.
 */
import { snapshotQuestionnaire } from "../../db/submissions";
import type { Questionnaire } from "../../questionnaires/format";
import { type Tier, tierFor } from "../domain/contracts";
import {
  type ActionStatus,
  type OwnerSide,
  type QueueItem,
  actionInQueue,
  bandsHighestRiskFirst,
  highestTier,
  isoToday,
  itemOverdue,
  orderQueue,
  reviewInQueue,
} from "../domain/conversations";
import type { AssessmentResult } from "../domain/scoring";
import type { CurrentUser } from "./auth.server";
import { tierThresholds } from "./department-settings.server";
import { getDb } from "./db.server";
import { httpError } from "./errors.server";

// ---- the buyer's work queue -----------------------------------------------------------------------

export type QueueEntry = QueueItem & {
  assessmentId: string;
  supplierName: string;
  band: { id: string; label: string };
  overdue: boolean;
  /** Conversations to hold: the organisation's draft, if one is started. */
  draftId?: string | null;
  /** Conversations to hold: a red flag asks for a follow-up conversation, which none has answered yet. */
  followUpNeeded?: boolean;
  /** Actions: what, who, the status. */
  actionId?: string;
  description?: string;
  ownerSide?: OwnerSide;
  ownerName?: string;
  status?: ActionStatus;
  /** Reviews: the conversation the review follows. */
  conversationId?: string;
};

/**
 * What the buyer's organisation has to do next, each list in the queue's order (contract tier,
 * then rating band, then due date): completed assessments shared with it that have no finished
 * conversation, actions overdue or due within 14 days, and reviews due within 30 days or past.
 */
export async function getQueue(user: CurrentUser, now = new Date()) {
  if (user.organisationKind !== "buyer") httpError(403, "Only a buying organisation has a work queue.");
  const db = await getDb();
  const today = isoToday(now);
  const shared = await db
    .selectFrom("assessment_share")
    .innerJoin("assessment", "assessment.id", "assessment_share.assessment_id")
    .innerJoin("submission", "submission.assessment_id", "assessment.id")
    .innerJoin("organisation", "organisation.id", "assessment.organisation_id")
    .select(["assessment.id", "assessment.status", "organisation.name", "submission.result", "submission.questionnaire"])
    .where("assessment_share.buyer_organisation_id", "=", user.organisationId)
    .where("assessment_share.revoked_at", "is", null)
    .where("assessment.status", "!=", "draft")
    .execute();
  if (shared.length === 0) return { today, conversations: [], actions: [], reviews: [] };
  const ids = shared.map((s) => s.id);

  const settings = await tierThresholds(user.organisationId);
  const contracts = await db
    .selectFrom("supplier_invitation")
    .innerJoin("contract", "contract.id", "supplier_invitation.contract_id")
    .select(["supplier_invitation.assessment_id", "contract.annual_value_pence", "contract.tier_override", "contract.tier_override_reason"])
    .where("supplier_invitation.organisation_id", "=", user.organisationId)
    .where("contract.organisation_id", "=", user.organisationId)
    .where("supplier_invitation.cancelled_at", "is", null)
    .where("supplier_invitation.assessment_id", "in", ids)
    .execute();
  const tiersOf = new Map<string, Tier[]>();
  for (const c of contracts) {
    const override = c.tier_override && c.tier_override_reason ? { tier: c.tier_override, reason: c.tier_override_reason } : null;
    const list = tiersOf.get(c.assessment_id!) ?? [];
    list.push(tierFor(Number(c.annual_value_pence), settings, override).tier);
    tiersOf.set(c.assessment_id!, list);
  }

  const snapshots = new Map<string, Questionnaire>();
  for (const hash of new Set(shared.map((s) => s.questionnaire))) snapshots.set(hash, await snapshotQuestionnaire(db, hash));
  const about = new Map(
    shared.map((s) => {
      const result = JSON.parse(s.result) as AssessmentResult;
      const bands = snapshots.get(s.questionnaire)!.bands;
      const rank = bandsHighestRiskFirst(bands).indexOf(result.band.id);
      return [
        s.id,
        {
          assessmentId: s.id,
          status: s.status,
          supplierName: s.name,
          band: { id: result.band.id, label: result.band.label },
          bandRank: rank < 0 ? bands.length : rank,
          followUpNeeded: result.redFlags.some((f) => f.followUp === true),
          tier: highestTier(tiersOf.get(s.id) ?? []),
        },
      ];
    }),
  );

  const conversationRows = await db
    .selectFrom("conversation")
    .select(["id", "assessment_id", "status", "next_review_on", "finished_at", "created_at"])
    .where("organisation_id", "=", user.organisationId)
    .where("assessment_id", "in", ids)
    .orderBy("created_at")
    .execute();
  const finished = new Map<string, (typeof conversationRows)[number]>();
  const drafts = new Map<string, string>();
  for (const c of conversationRows) {
    if (c.status === "finished") {
      const seen = finished.get(c.assessment_id);
      if (!seen || (c.finished_at ?? "") > (seen.finished_at ?? "")) finished.set(c.assessment_id, c);
    } else if (!drafts.has(c.assessment_id)) drafts.set(c.assessment_id, c.id);
  }

  const conversations: QueueEntry[] = [];
  const reviews: QueueEntry[] = [];
  for (const a of about.values()) {
    const base = { assessmentId: a.assessmentId, supplierName: a.supplierName, band: a.band, bandRank: a.bandRank, tier: a.tier };
    const last = finished.get(a.assessmentId);
    if (!last && a.status === "completed") {
      conversations.push({ ...base, kind: "conversation", key: a.assessmentId, dueOn: null, overdue: false, draftId: drafts.get(a.assessmentId) ?? null, followUpNeeded: a.followUpNeeded });
    }
    if (last && reviewInQueue(last.next_review_on, today)) {
      const entry = { ...base, kind: "review" as const, key: last.id, dueOn: last.next_review_on, conversationId: last.id, draftId: drafts.get(a.assessmentId) ?? null };
      reviews.push({ ...entry, overdue: itemOverdue(entry, today) });
    }
  }

  const actionRows = await db
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
    .where("conversation_action.status", "in", ["open", "in_progress"])
    .where("conversation_action.assessment_id", "in", ids)
    .execute();
  const actions: QueueEntry[] = [];
  for (const r of actionRows) {
    if (!actionInQueue({ status: r.status, dueOn: r.due_on }, today)) continue;
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

  return { today, conversations: orderQueue(conversations), actions: orderQueue(actions), reviews: orderQueue(reviews) };
}
