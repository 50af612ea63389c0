/**
 * Recording a buyer's follow-up conversation with a supplier about a shared assessment: a draft
 * the buyer's administrators and contract managers fill in, then finish (read-only from then on).
 * Only the buying organisation that holds it sees it, and only while the assessment is shared with
 * it. A finished conversation is what clears the red flags that ask for a follow-up.
 */
import { snapshotQuestionnaire } from "../../db/submissions";
import { refreshStatisticsForAssessment } from "../../db/statistics";
import type { Selectable, Transaction } from "kysely";
import type { ConversationActionTable, Database } from "../../db/schema";
import type { Db } from "../../db/index";
import { newId } from "../../db/ids";
import type { Questionnaire } from "../../questionnaires/format";
import type { Answers } from "../domain/answers";
import {
  type ActionStatus,
  type CheckedConversation,
  type ConversationInput,
  type OwnerSide,
  type VerificationLevel,
  checkConversation,
  defaultNextReview,
  isHighestRiskBand,
} from "../domain/conversations";
import type { AssessmentResult } from "../domain/scoring";
import { isId } from "../domain/text";
import { type AuditEntry, audit } from "./audit.server";
import type { CurrentUser } from "./auth.server";
import { getDb } from "./db.server";
import { httpError } from "./errors.server";
import { notifyActionsAgreed } from "./notifications.server";
import { requireSharedAssessment } from "./shares.server";
import { handedInAt } from "./action-times.server";

/** Buyer roles that record conversations; analysts read them. */
export const CONVERSATION_WRITERS = ["admin", "contract_manager"] as const;
export const canRecordConversations = (user: Pick<CurrentUser, "organisationKind" | "role">) =>
  user.organisationKind === "buyer" && (CONVERSATION_WRITERS as readonly string[]).includes(user.role);

const MISSING = "There is no conversation at this address. It may belong to another organisation, or the supplier may have stopped sharing the assessment.";

function requireBuyer(user: CurrentUser) {
  if (user.organisationKind !== "buyer") httpError(403, "Only a buying organisation records conversations with its suppliers.");
}

export function requireWriter(user: CurrentUser) {
  requireBuyer(user);
  if (!canRecordConversations(user)) httpError(403, "Analysts can read conversations but not record them.");
}

/**
 * Start a conversation about a shared assessment, or carry on with the organisation's draft for it:
 * one draft per buyer and assessment. Returns the conversation id.
 */
export async function startConversation(user: CurrentUser, assessmentId: string, now = new Date()): Promise<string> {
  return (await openDraft(user, assessmentId, now)).id;
}

/**
 * The organisation's draft about a shared, submitted assessment: the one it has (`created: false`),
 * or a new empty one. One draft per buyer and assessment, decided inside one transaction.
 */
export async function openDraft(user: CurrentUser, assessmentId: string, now = new Date()): Promise<{ id: string; created: boolean }> {
  requireWriter(user);
  const db = await getDb();
  const assessment = await requireSharedAssessment(user, assessmentId, db);
  const submission = await db.selectFrom("submission").select("id").where("assessment_id", "=", assessment.id).executeTakeFirst();
  if (!submission) httpError(404, "This assessment has not been submitted, so there is nothing to discuss yet.");
  return db.transaction().execute(async (trx) => {
    const draft = await findDraft(trx, user, assessment.id);
    if (draft) return { id: draft, created: false };
    const id = newId();
    const at = now.toISOString();
    await trx
      .insertInto("conversation")
      .values({
        id,
        assessment_id: assessment.id,
        submission_id: submission.id,
        organisation_id: user.organisationId,
        status: "draft",
        held_on: null,
        buyer_attendees: "",
        supplier_attendees: "",
        notes: "",
        recommendations_discussed: "[]",
        next_review_on: null,
        created_by: user.id,
        created_at: at,
        updated_at: at,
        finished_at: null,
      })
      .execute();
    await audit(trx, [{ organisationId: user.organisationId, userId: user.id, entity: "conversation", entityId: id, action: "created", newValue: assessment.id, at: now }]);
    return { id, created: true };
  });
}

/** The id of the organisation's draft conversation about an assessment, if it has one. */
export async function findDraft(db: Db, user: CurrentUser, assessmentId: string): Promise<string | undefined> {
  const draft = await db
    .selectFrom("conversation")
    .select("id")
    .where("organisation_id", "=", user.organisationId)
    .where("assessment_id", "=", assessmentId)
    .where("status", "=", "draft")
    .orderBy("created_at")
    .executeTakeFirst();
  return draft?.id;
}

/** The conversation row, if it belongs to the user's (buying) organisation and the assessment is still shared with it. */
export async function requireConversation(user: CurrentUser, conversationId: string, db?: Db) {
  requireBuyer(user);
  if (!isId(conversationId)) httpError(404, MISSING);
  const conn = db ?? (await getDb());
  const row = await conn
    .selectFrom("conversation")
    .innerJoin("assessment_share", (j) =>
      j
        .onRef("assessment_share.assessment_id", "=", "conversation.assessment_id")
        .onRef("assessment_share.buyer_organisation_id", "=", "conversation.organisation_id")
        .on("assessment_share.revoked_at", "is", null),
    )
    .selectAll("conversation")
    .where("conversation.id", "=", conversationId)
    .where("conversation.organisation_id", "=", user.organisationId)
    .executeTakeFirst();
  if (!row) httpError(404, MISSING);
  return row;
}

export type ConversationActionView = {
  id: string;
  description: string;
  ownerSide: OwnerSide;
  ownerName: string;
  dueOn: string;
  recommendationId: string | null;
  status: ActionStatus;
  /** For an action awaiting confirmation: the day the supplier handed it in (UTC date), so "overdue" means handed in late. */
  markedOn: string | null;
};

/** A conversation with what the form needs: the submission's answered questions, its recommendations, and the actions. */
export async function getConversation(user: CurrentUser, conversationId: string) {
  const db = await getDb();
  const conversation = await requireConversation(user, conversationId, db);
  const submission = await db.selectFrom("submission").selectAll().where("id", "=", conversation.submission_id).executeTakeFirstOrThrow();
  const supplier = await db.selectFrom("organisation").select(["id", "name"]).where("id", "=", submission.organisation_id).executeTakeFirstOrThrow();
  const questionnaire = await snapshotQuestionnaire(db, submission.questionnaire);
  const answers = JSON.parse(submission.answers) as Answers;
  const result = JSON.parse(submission.result) as AssessmentResult;
  const verificationRows = await db.selectFrom("answer_verification").select(["question_id", "level"]).where("conversation_id", "=", conversation.id).execute();
  const verifications: Record<string, VerificationLevel> = Object.fromEntries(verificationRows.map((v) => [v.question_id, v.level]));
  const actionRows = await db
    .selectFrom("conversation_action as ca")
    .selectAll("ca")
    .select((eb) => eb.case().when("ca.status", "=", "awaiting_confirmation").then(handedInAt()).else(null).end().as("marked_at"))
    .where("ca.conversation_id", "=", conversation.id)
    .orderBy("ca.created_at")
    .orderBy("ca.id")
    .execute();
  const actions: ConversationActionView[] = actionRows.map((a) => ({
    id: a.id,
    description: a.description,
    ownerSide: a.owner_side,
    ownerName: a.owner_name,
    dueOn: a.due_on,
    recommendationId: a.recommendation_id,
    status: a.status,
    markedOn: a.marked_at?.slice(0, 10) ?? null,
  }));
  const highestRisk = isHighestRiskBand(questionnaire.bands, result.band.id);
  return {
    conversation: {
      id: conversation.id,
      assessmentId: conversation.assessment_id,
      status: conversation.status,
      heldOn: conversation.held_on,
      buyerAttendees: conversation.buyer_attendees,
      supplierAttendees: conversation.supplier_attendees,
      notes: conversation.notes,
      recommendationsDiscussed: JSON.parse(conversation.recommendations_discussed) as string[],
      nextReviewOn: conversation.next_review_on,
      createdAt: conversation.created_at,
      updatedAt: conversation.updated_at,
      finishedAt: conversation.finished_at,
    },
    supplier,
    submittedAt: submission.created_at,
    questionnaire,
    answers,
    result,
    highestRisk,
    /** The next review the form suggests once the date held is known. */
    suggestedNextReview: conversation.held_on ? defaultNextReview(conversation.held_on, highestRisk) : null,
    verifications,
    actions,
    canEdit: conversation.status === "draft" && canRecordConversations(user),
  };
}

export type SaveConversationOutcome = { ok: true; finished: boolean } | { ok: false; errors: Record<string, string> };

type ConversationRow = Awaited<ReturnType<typeof requireConversation>>;

/**
 * Save the draft, or finish it. Invalid input changes nothing and returns field errors; every
 * change is audited with its old and new value. A finished conversation cannot be changed (409).
 */
export async function saveConversation(user: CurrentUser, conversationId: string, input: ConversationInput, finish: boolean, now = new Date()): Promise<SaveConversationOutcome> {
  requireWriter(user);
  const db = await getDb();
  const conversation = await requireConversation(user, conversationId, db);
  if (conversation.status !== "draft") httpError(409, "This conversation is finished, so it can no longer be changed.");
  const submission = await db.selectFrom("submission").select(["questionnaire", "answers", "result"]).where("id", "=", conversation.submission_id).executeTakeFirstOrThrow();
  const questionnaire = await snapshotQuestionnaire(db, submission.questionnaire);
  const answers = JSON.parse(submission.answers) as Answers;
  const result = JSON.parse(submission.result) as AssessmentResult;
  const stored = await db.selectFrom("conversation_action").selectAll().where("conversation_id", "=", conversation.id).execute();
  const checked = checkConversation(
    input,
    {
      answeredQuestionIds: new Set(Object.keys(answers).filter((id) => answers[id] !== null && answers[id] !== undefined)),
      recommendationIds: new Set(result.recommendations.map((r) => r.id)),
      actionIds: new Set(stored.map((a) => a.id)),
      highestRisk: isHighestRiskBand(questionnaire.bands, result.band.id),
    },
    finish,
  );
  if (!checked.ok) return checked;
  await db.transaction().execute(async (trx) => {
    const still = await trx.selectFrom("conversation").select("status").where("id", "=", conversation.id).executeTakeFirstOrThrow();
    if (still.status !== "draft") httpError(409, "This conversation was finished by someone else while you were editing it, so your changes were not saved.");
    await store(trx, user, conversation, stored, checked.value, finish, now);
    // The supplier hears of the actions it agreed to (nothing when none were agreed).
    if (finish) await notifyActionsAgreed(trx, conversation.id, now);
  });
  return { ok: true, finished: finish };
}

async function store(
  trx: Transaction<Database>,
  user: CurrentUser,
  conversation: ConversationRow,
  stored: Array<Selectable<ConversationActionTable>>,
  value: CheckedConversation,
  finish: boolean,
  now: Date,
) {
  const at = now.toISOString();
  const entries: AuditEntry[] = [];
  const log = (entity: string, entityId: string, action: string, field: string | null, oldValue: string | null, newValue: string | null) =>
    entries.push({ organisationId: user.organisationId, userId: user.id, entity, entityId, action, field, oldValue, newValue, at: now });

  const fields = {
    held_on: value.heldOn,
    buyer_attendees: value.buyerAttendees,
    supplier_attendees: value.supplierAttendees,
    notes: value.notes,
    recommendations_discussed: JSON.stringify(value.recommendationsDiscussed),
    next_review_on: value.nextReviewOn,
  };
  for (const [name, next] of Object.entries(fields) as Array<[keyof typeof fields, string | null]>) {
    const old = conversation[name];
    if (old !== next) log("conversation", conversation.id, "updated", name, old, next);
  }

  const verificationRows = await trx.selectFrom("answer_verification").select(["question_id", "level"]).where("conversation_id", "=", conversation.id).execute();
  const before = new Map(verificationRows.map((v) => [v.question_id, v.level]));
  const questionIds = new Set([...before.keys(), ...Object.keys(value.verifications)]);
  for (const questionId of questionIds) {
    const old = before.get(questionId) ?? "self_declared";
    const next = value.verifications[questionId] ?? "self_declared";
    if (old === next) continue;
    if (next === "self_declared") {
      await trx.deleteFrom("answer_verification").where("conversation_id", "=", conversation.id).where("question_id", "=", questionId).execute();
    } else if (before.has(questionId)) {
      await trx.updateTable("answer_verification").set({ level: next }).where("conversation_id", "=", conversation.id).where("question_id", "=", questionId).execute();
    } else {
      await trx.insertInto("answer_verification").values({ conversation_id: conversation.id, question_id: questionId, level: next, note: null }).execute();
    }
    log("conversation", conversation.id, "verification", questionId, old, next);
  }

  const byId = new Map(stored.map((a) => [a.id, a]));
  for (const id of value.removedActionIds) {
    const old = byId.get(id)!;
    await trx.deleteFrom("conversation_action").where("id", "=", id).where("conversation_id", "=", conversation.id).execute();
    log("conversation_action", id, "removed", null, old.description, null);
    log("conversation", conversation.id, "action_removed", id, old.description, null);
  }
  for (const action of value.actions) {
    const row = {
      description: action.description,
      owner_side: action.ownerSide,
      owner_name: action.ownerName,
      due_on: action.dueOn,
      recommendation_id: action.recommendationId,
    };
    if (action.id === undefined) {
      const id = newId();
      await trx
        .insertInto("conversation_action")
        .values({ id, conversation_id: conversation.id, assessment_id: conversation.assessment_id, organisation_id: user.organisationId, ...row, status: "open", cancel_reason: null, created_at: at, updated_at: at })
        .execute();
      log("conversation_action", id, "created", null, null, JSON.stringify(row));
      continue;
    }
    const old = byId.get(action.id)!;
    const changed = (Object.keys(row) as Array<keyof typeof row>).filter((k) => old[k] !== row[k]);
    if (changed.length === 0) continue;
    await trx.updateTable("conversation_action").set({ ...row, updated_at: at }).where("id", "=", action.id).execute();
    for (const k of changed) log("conversation_action", action.id, "updated", k, old[k], row[k]);
  }

  if (finish) log("conversation", conversation.id, "finished", "status", "draft", "finished");
  if (entries.length > 0 || finish) {
    await trx
      .updateTable("conversation")
      .set({ ...fields, updated_at: at, ...(finish ? { status: "finished" as const, finished_at: at } : {}) })
      .where("id", "=", conversation.id)
      .execute();
  }
  // A finished conversation is a follow-up in the department's statistics.
  if (finish) await refreshStatisticsForAssessment(trx, conversation.assessment_id);
  await audit(trx, entries);
}

/**
 * Whether the red flags of an assessment that ask for a follow-up are cleared for a buyer: only a
 * finished conversation with the supplier about it does that.
 */
export async function followUpCleared(assessmentId: string, buyerOrgId: string, db?: Db): Promise<boolean> {
  if (!isId(assessmentId) || !isId(buyerOrgId)) return false;
  const conn = db ?? (await getDb());
  const row = await conn
    .selectFrom("conversation")
    .select("id")
    .where("assessment_id", "=", assessmentId)
    .where("organisation_id", "=", buyerOrgId)
    .where("status", "=", "finished")
    .executeTakeFirst();
  return row !== undefined;
}

/** The buyer's conversations about an assessment, newest first (for links from the result page). */
export async function listConversations(user: CurrentUser, assessmentId: string) {
  const db = await getDb();
  const assessment = await requireSharedAssessment(user, assessmentId, db);
  return db
    .selectFrom("conversation")
    .select(["id", "status", "held_on as heldOn", "created_at as createdAt", "finished_at as finishedAt"])
    .where("assessment_id", "=", assessment.id)
    .where("organisation_id", "=", user.organisationId)
    .orderBy("created_at", "desc")
    .execute();
}

export type AuditView = { id: number; at: string; userName: string; organisationName: string; entity: string; entityId: string; action: string; field: string | null; oldValue: string | null; newValue: string | null };

/** Audit log entries about some records, oldest first, with who made them and for which organisation. */
export async function readAudit(db: Db, records: Array<{ entity: string; ids: string[] }>): Promise<AuditView[]> {
  const wanted = records.filter((r) => r.ids.length > 0);
  if (wanted.length === 0) return [];
  const rows = await db
    .selectFrom("audit_log")
    .innerJoin("user", "user.id", "audit_log.user_id")
    .innerJoin("organisation", "organisation.id", "audit_log.organisation_id")
    .select([
      "audit_log.id",
      "audit_log.created_at",
      "audit_log.entity",
      "audit_log.entity_id",
      "audit_log.action",
      "audit_log.field",
      "audit_log.old_value",
      "audit_log.new_value",
      "user.name",
      "organisation.name as organisationName",
    ])
    .where((eb) => eb.or(wanted.map((r) => eb.and([eb("audit_log.entity", "=", r.entity), eb("audit_log.entity_id", "in", r.ids)]))))
    .orderBy("audit_log.created_at")
    .orderBy("audit_log.id")
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.created_at,
    userName: r.name,
    organisationName: r.organisationName,
    entity: r.entity,
    entityId: r.entity_id,
    action: r.action,
    field: r.field,
    oldValue: r.old_value,
    newValue: r.new_value,
  }));
}

/** The history of a conversation and of the actions agreed in it (its organisation only). */
export async function conversationHistory(user: CurrentUser, conversationId: string): Promise<AuditView[]> {
  const db = await getDb();
  const conversation = await requireConversation(user, conversationId, db);
  const actionIds = (await db.selectFrom("conversation_action").select("id").where("conversation_id", "=", conversation.id).execute()).map((a) => a.id);
  // An action removed from a draft is recorded on the conversation too, so its removal shows here.
  return readAudit(db, [
    { entity: "conversation", ids: [conversation.id] },
    { entity: "conversation_action", ids: actionIds },
  ]);
}
