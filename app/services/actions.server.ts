/**
 * Following through on the actions agreed in a finished conversation. Two organisations see an
 * action: the buyer that agreed it (while the assessment is shared with it) and the supplier whose
 * assessment it is. Either side posts updates (a status and a note); each is kept, with its
 * organisation, so both see the whole story. Closing takes both sides: the supplier marks an action
 * done and the buyer confirms it (app/domain/action-moves.ts says who may move an action where).
 */
import type { Db } from "../../db/index";
import { newId } from "../../db/ids";
import { allowedMoves, checkActionMove, handedInAt } from "../domain/action-moves";
import { type ActionStatus, type OwnerSide, isOverdue, isoToday } from "../domain/conversations";
import type { AssessmentResult } from "../domain/scoring";
import { isId } from "../domain/text";
import { handedInAt as handedInAtSql } from "./action-times.server";
import { audit } from "./audit.server";
import type { CurrentUser } from "./auth.server";
import { type AuditView, canRecordConversations, readAudit } from "./conversations.server";
import { getDb } from "./db.server";
import { httpError } from "./errors.server";
import { notifyActionEvent } from "./notifications.server";

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
  const markedAt = action.status === "awaiting_confirmation" ? handedInAt(updates.map((u) => ({ status: u.status, createdAt: u.created_at }))) : null;
  const side = user.organisationKind as OwnerSide;
  const canUpdate = canUpdateAction(user);
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
      markedAt,
      overdue: isOverdue({ status: action.status, dueOn: action.due_on, markedOn: markedAt?.slice(0, 10) ?? null }, isoToday(now)),
    },
    buyerName: nameOf(action.organisation_id),
    supplierName: nameOf(action.supplier_organisation_id),
    updates: updates.map(
      (u): ActionUpdateView => ({ id: u.id, status: u.status, note: u.note, createdAt: u.created_at, userName: u.name, organisationName: u.organisationName, side: u.kind === "buyer" ? "buyer" : "supplier" }),
    ),
    canUpdate,
    side,
    /** The statuses this user may move the action to (a note alone is always possible when it may update). */
    moves: canUpdate ? allowedMoves(side, action.status) : [],
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

const CHANGED_MEANWHILE = "Someone else changed this action while you were writing. Check its status and updates, then try again";

/**
 * Post an update: a change of status this side may make (with the note it needs) or a note alone.
 * Stored with its side, applied to the action, audited and told to the other side, in one
 * transaction; a move the state machine refuses, or one overtaken by another change, changes nothing.
 */
export async function postActionUpdate(user: CurrentUser, actionId: string, input: { status: string; note: string }, now = new Date()): Promise<ActionUpdateOutcome> {
  const db = await getDb();
  const action = await requireAction(user, actionId, db);
  if (!canUpdateAction(user)) httpError(403, "Analysts can read actions but not update them.");
  const side = user.organisationKind as OwnerSide;
  const at = now.toISOString();
  return db.transaction().execute(async (trx): Promise<ActionUpdateOutcome> => {
    const current = await trx.selectFrom("conversation_action").select(["status", "cancel_reason"]).where("id", "=", action.id).executeTakeFirstOrThrow();
    const checked = checkActionMove(side, current.status, input);
    if (!checked.ok) return checked;
    const { status, note, event, changed } = checked.value;
    // A note alone keeps the cancel reason; cancelling sets it; any other move clears it.
    const cancelReason = !changed ? current.cancel_reason : status === "cancelled" ? note : null;
    // Only from the status the move was checked against: a concurrent change makes this a no-op.
    const moved = await trx
      .updateTable("conversation_action")
      .set({ status, cancel_reason: cancelReason, updated_at: at })
      .where("id", "=", action.id)
      .where("status", "=", current.status)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) return { ok: false, errors: { status: CHANGED_MEANWHILE } };
    const id = newId();
    await trx.insertInto("action_update").values({ id, action_id: action.id, organisation_id: user.organisationId, user_id: user.id, status, note, created_at: at }).execute();
    const base = { organisationId: user.organisationId, userId: user.id, entity: "conversation_action", entityId: action.id, at: now };
    await audit(trx, [
      ...(current.status !== status ? [{ ...base, action: "status_changed", field: "status", oldValue: current.status, newValue: status }] : []),
      ...(current.cancel_reason !== cancelReason ? [{ ...base, action: "status_changed", field: "cancel_reason", oldValue: current.cancel_reason, newValue: cancelReason }] : []),
      { ...base, action: "update_posted", field: id, newValue: note },
    ]);
    // The other side hears of it in the same transaction: a refused or failed move tells nobody.
    await notifyActionEvent(trx, { actionId: action.id, event, actor: user, note }, now);
    return { ok: true };
  });
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
    .selectFrom("conversation_action as ca")
    .innerJoin("conversation", "conversation.id", "ca.conversation_id")
    .innerJoin("assessment", "assessment.id", "ca.assessment_id")
    .innerJoin("organisation as buyer", "buyer.id", "ca.organisation_id")
    .select(["ca.id", "ca.description", "ca.owner_side", "ca.owner_name", "ca.due_on", "ca.status", "buyer.id as buyerId", "buyer.name as buyerName"])
    .select((eb) => eb.case().when("ca.status", "=", "awaiting_confirmation").then(handedInAtSql()).else(null).end().as("marked_at"))
    .where("assessment.organisation_id", "=", user.organisationId)
    .where("conversation.status", "=", "finished")
    .orderBy("buyer.name")
    .orderBy("ca.due_on")
    .orderBy("ca.id")
    .execute();
  const today = isoToday(now);
  const buyers: Array<{ id: string; name: string; actions: SupplierActionRow[] }> = [];
  for (const r of rows) {
    let group = buyers.find((b) => b.id === r.buyerId);
    if (!group) buyers.push((group = { id: r.buyerId, name: r.buyerName, actions: [] }));
    group.actions.push({ id: r.id, description: r.description, ownerSide: r.owner_side, ownerName: r.owner_name, dueOn: r.due_on, status: r.status, overdue: isOverdue({ status: r.status, dueOn: r.due_on, markedOn: r.marked_at?.slice(0, 10) ?? null }, today) });
  }
  const count = (test: (a: SupplierActionRow) => boolean) => buyers.reduce((n, b) => n + b.actions.filter(test).length, 0);
  return { buyers, total: rows.length, overdue: count((a) => a.overdue), awaiting: count((a) => a.status === "awaiting_confirmation") };
}
