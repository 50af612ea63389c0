/**
 * Following through on the actions agreed in a finished conversation. Two organisations see an
 * action: the buyer that agreed it (while the assessment is shared with it) and the supplier whose
 * assessment it is. Either side posts updates (a status and a note); each is kept, with its
 * organisation, so both see the whole story.
 */
import { snapshotQuestionnaire } from "../../db/submissions";
import type { Db } from "../../db/index";
import { newId } from "../../db/ids";
import type { Questionnaire } from "../../questionnaires/format";
import { type Tier, tierFor } from "../domain/contracts";
import {
  type ActionStatus,
  type OwnerSide,
  type QueueItem,
  actionInQueue,
  bandsHighestRiskFirst,
  checkActionUpdate,
  highestTier,
  isOverdue,
  isoToday,
  itemOverdue,
  orderQueue,
  reviewInQueue,
} from "../domain/conversations";
import type { AssessmentResult } from "../domain/scoring";
import { isId } from "../domain/text";
import { audit } from "./audit.server";
import type { CurrentUser } from "./auth.server";
import { tierThresholds } from "./department-settings.server";
import { type AuditView, canRecordConversations, readAudit } from "./conversations.server";
import { getDb } from "./db.server";
import { httpError } from "./errors.server";

const MISSING = "There is no action at this address. It may belong to another organisation, or it may no longer be shared with yours.";

/** The action row with its conversation's buyer and the supplier, if the user's organisation is one of the two. */
export async function requireAction(user: CurrentUser, actionId: string, db?: Db) {
  if (!isId(actionId)) httpError(404, MISSING);
  const conn = db ?? (await getDb());
  const row = await conn
    .selectFrom("conversation_action")
    .innerJoin("conversation", "conversation.id", "conversation_action.conversation_id")
    .innerJoin("assessment", "assessment.id", "conversation_action.assessment_id")
    .selectAll("conversation_action")
    .select(["assessment.organisation_id as supplier_organisation_id", "conversation.status as conversation_status"])
    .where("conversation_action.id", "=", actionId)
    .executeTakeFirst();
  // An action is agreed only once its conversation is finished; a draft's rows are still being written.
  if (!row || row.conversation_status !== "finished") httpError(404, MISSING);
  if (user.organisationKind === "supplier") {
    if (row.supplier_organisation_id !== user.organisationId) httpError(404, MISSING);
  } else {
    if (row.organisation_id !== user.organisationId) httpError(404, MISSING);
    const share = await conn
      .selectFrom("assessment_share")
      .select("id")
      .where("assessment_id", "=", row.assessment_id)
      .where("buyer_organisation_id", "=", user.organisationId)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    if (!share) httpError(404, MISSING);
  }
  return row;
}

/** Who may post updates: the supplier's people, and the buyer's administrators and contract managers. */
export const canUpdateAction = (user: Pick<CurrentUser, "organisationKind" | "role">) => user.organisationKind === "supplier" || canRecordConversations(user);

export type ActionUpdateView = { id: string; status: ActionStatus; note: string | null; createdAt: string; userName: string; organisationName: string; side: OwnerSide };

/** One action, both organisations' names and every update (oldest first). */
export async function getAction(user: CurrentUser, actionId: string, now = new Date()) {
  const db = await getDb();
  const action = await requireAction(user, actionId, db);
  const names = await db.selectFrom("organisation").select(["id", "name"]).where("id", "in", [action.organisation_id, action.supplier_organisation_id]).execute();
  const nameOf = (id: string) => names.find((n) => n.id === id)?.name ?? "";
  const submission = await db
    .selectFrom("conversation")
    .innerJoin("submission", "submission.id", "conversation.submission_id")
    .select(["submission.result", "conversation.held_on"])
    .where("conversation.id", "=", action.conversation_id)
    .executeTakeFirstOrThrow();
  const recommendations = (JSON.parse(submission.result) as AssessmentResult).recommendations;
  const recommendation = action.recommendation_id ? (recommendations.find((r) => r.id === action.recommendation_id)?.title ?? null) : null;
  const updates = await db
    .selectFrom("action_update")
    .innerJoin("user", "user.id", "action_update.user_id")
    .innerJoin("organisation", "organisation.id", "action_update.organisation_id")
    .select(["action_update.id", "action_update.status", "action_update.note", "action_update.created_at", "user.name", "organisation.name as organisationName", "organisation.kind"])
    .where("action_update.action_id", "=", action.id)
    .orderBy("action_update.created_at")
    .orderBy("action_update.id")
    .execute();
  return {
    action: {
      id: action.id,
      conversationId: action.conversation_id,
      assessmentId: action.assessment_id,
      description: action.description,
      ownerSide: action.owner_side,
      ownerName: action.owner_name,
      dueOn: action.due_on,
      status: action.status,
      cancelReason: action.cancel_reason,
      recommendation,
      heldOn: submission.held_on,
      overdue: isOverdue({ status: action.status, dueOn: action.due_on }, isoToday(now)),
    },
    buyerName: nameOf(action.organisation_id),
    supplierName: nameOf(action.supplier_organisation_id),
    updates: updates.map(
      (u): ActionUpdateView => ({ id: u.id, status: u.status, note: u.note, createdAt: u.created_at, userName: u.name, organisationName: u.organisationName, side: u.kind === "buyer" ? "buyer" : "supplier" }),
    ),
    canUpdate: canUpdateAction(user),
    side: user.organisationKind as OwnerSide,
    /** Every recommendation of the assessment by id, so the history can name them by title. */
    recommendationTitles: Object.fromEntries(recommendations.map((r) => [r.id, r.title])) as Record<string, string>,
  };
}

/** The history of an action: its agreement and every change since, from both sides. */
export async function actionHistory(user: CurrentUser, actionId: string): Promise<AuditView[]> {
  const db = await getDb();
  const action = await requireAction(user, actionId, db);
  return readAudit(db, [{ entity: "conversation_action", ids: [action.id] }]);
}

export type ActionUpdateOutcome = { ok: true } | { ok: false; errors: Record<string, string> };

/** Post an update: a status (cancelling needs a reason) and a note. Stored with its side, applied to the action, audited. */
export async function postActionUpdate(user: CurrentUser, actionId: string, input: { status: string; note: string }, now = new Date()): Promise<ActionUpdateOutcome> {
  const db = await getDb();
  const action = await requireAction(user, actionId, db);
  if (!canUpdateAction(user)) httpError(403, "Analysts can read actions but not update them.");
  const checked = checkActionUpdate(input);
  if (!checked.ok) return checked;
  const { status, note } = checked.value;
  if (status === action.status && note === null) return { ok: false, errors: { note: "Enter a note, or select a different status" } };
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom("conversation_action").select(["status", "cancel_reason"]).where("id", "=", action.id).executeTakeFirstOrThrow();
    const id = newId();
    await trx.insertInto("action_update").values({ id, action_id: action.id, organisation_id: user.organisationId, user_id: user.id, status, note, created_at: at }).execute();
    const cancelReason = status === "cancelled" ? note : null;
    await trx.updateTable("conversation_action").set({ status, cancel_reason: cancelReason, updated_at: at }).where("id", "=", action.id).execute();
    const base = { organisationId: user.organisationId, userId: user.id, entity: "conversation_action", entityId: action.id, at: now };
    await audit(trx, [
      ...(current.status !== status ? [{ ...base, action: "status_changed", field: "status", oldValue: current.status, newValue: status }] : []),
      ...(current.cancel_reason !== cancelReason ? [{ ...base, action: "status_changed", field: "cancel_reason", oldValue: current.cancel_reason, newValue: cancelReason }] : []),
      { ...base, action: "update_posted", field: id, newValue: note },
    ]);
  });
  return { ok: true };
}

export type SupplierActionRow = {
  id: string;
  description: string;
  ownerSide: OwnerSide;
  ownerName: string;
  dueOn: string;
  status: ActionStatus;
  overdue: boolean;
};

/** The actions agreed with the supplier's organisation, by buyer (name order), each by due date. */
export async function listSupplierActions(user: CurrentUser, now = new Date()) {
  if (user.organisationKind !== "supplier") httpError(403, "Only a supplier sees the actions agreed with it here.");
  const db = await getDb();
  const rows = await db
    .selectFrom("conversation_action")
    .innerJoin("conversation", "conversation.id", "conversation_action.conversation_id")
    .innerJoin("assessment", "assessment.id", "conversation_action.assessment_id")
    .innerJoin("organisation as buyer", "buyer.id", "conversation_action.organisation_id")
    .select([
      "conversation_action.id",
      "conversation_action.description",
      "conversation_action.owner_side",
      "conversation_action.owner_name",
      "conversation_action.due_on",
      "conversation_action.status",
      "buyer.id as buyerId",
      "buyer.name as buyerName",
    ])
    .where("assessment.organisation_id", "=", user.organisationId)
    .where("conversation.status", "=", "finished")
    .orderBy("buyer.name")
    .orderBy("conversation_action.due_on")
    .orderBy("conversation_action.id")
    .execute();
  const today = isoToday(now);
  const buyers: Array<{ id: string; name: string; actions: SupplierActionRow[] }> = [];
  for (const r of rows) {
    let group = buyers.find((b) => b.id === r.buyerId);
    if (!group) buyers.push((group = { id: r.buyerId, name: r.buyerName, actions: [] }));
    group.actions.push({ id: r.id, description: r.description, ownerSide: r.owner_side, ownerName: r.owner_name, dueOn: r.due_on, status: r.status, overdue: isOverdue({ status: r.status, dueOn: r.due_on }, today) });
  }
  return { buyers, total: rows.length, overdue: buyers.reduce((n, b) => n + b.actions.filter((a) => a.overdue).length, 0) };
}
