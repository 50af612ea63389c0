/**
 * The conversation form: what it shows about the submitted assessment (answered questions,
 * recommendations, red flags), reading it as posted, and recording a new conversation from it.
 * A new conversation is created only when its form is saved or finished, and only when valid.
 */
import type { Questionnaire } from "../../questionnaires/format";
import { snapshotQuestionnaire } from "../../db/submissions";
import type { Answers } from "../domain/answers";
import { type ActionInput, type ConversationInput, actionField, checkConversation, isHighestRiskBand } from "../domain/conversations";
import { formatAnswer } from "../domain/format-answer";
import { questionIndex } from "../domain/questions";
import type { AssessmentResult } from "../domain/scoring";
import type { CurrentUser } from "./auth.server";
import { type SaveConversationOutcome, findDraft, requireWriter, saveConversation, openDraft } from "./conversations.server";
import { countryName } from "./countries.server";
import { getDb } from "./db.server";
import { httpError } from "./errors.server";
import { dateField, field } from "./forms.server";
import { requireSharedAssessment } from "./shares.server";

/** The most action rows a posted form may carry. */
export const MAX_ACTION_ROWS = 100;

/** The conversation form as posted. */
export function readConversationForm(form: FormData): ConversationInput {
  // Object.fromEntries makes every posted id an own key ("verification-__proto__" included), so an unknown one is refused, never dropped.
  const verifications: Record<string, string> = Object.fromEntries(
    [...form.entries()].flatMap(([key, value]) => (key.startsWith("verification-") && typeof value === "string" ? [[key.slice("verification-".length), value]] : [])),
  );
  const actions: ActionInput[] = [];
  for (let i = 0; i < MAX_ACTION_ROWS && form.has(actionField(i, "description")); i++) {
    const id = field(form, actionField(i, "id"));
    actions.push({
      ...(id ? { id } : {}),
      description: field(form, actionField(i, "description")),
      ownerSide: field(form, actionField(i, "ownerSide")),
      ownerName: field(form, actionField(i, "ownerName")),
      dueOn: dateField(form, actionField(i, "dueOn")),
      recommendationId: field(form, actionField(i, "recommendationId")),
    });
  }
  return {
    heldOn: dateField(form, "heldOn"),
    buyerAttendees: field(form, "buyerAttendees"),
    supplierAttendees: field(form, "supplierAttendees"),
    notes: field(form, "notes"),
    recommendationsDiscussed: form.getAll("recommendationsDiscussed").filter((v): v is string => typeof v === "string"),
    verifications,
    actions,
    nextReviewOn: dateField(form, "nextReviewOn"),
  };
}

/** What the form shows about the submitted assessment: answers in words, and what in the result each answer led to. */
export function conversationFormView(questionnaire: Questionnaire, answers: Answers, result: AssessmentResult) {
  const questions = [...questionIndex(questionnaire).values()]
    .filter((e) => answers[e.question.id] !== undefined && answers[e.question.id] !== null)
    .map((e) => ({ id: e.question.id, text: e.question.text, themeId: e.theme.id, theme: e.theme.title, answer: formatAnswer(e.question, answers[e.question.id], countryName) }));
  return {
    questions,
    recommendations: result.recommendations.map((r) => ({ id: r.id, title: r.title, questionIds: r.triggeredBy.map((t) => t.questionId) })),
    redFlags: result.redFlags.map((f) => ({ title: f.title, questionIds: f.triggeredBy.map((t) => t.questionId) })),
  };
}

/** The submitted assessment a new conversation would be about, for someone who may record one. */
async function submittedAssessment(user: CurrentUser, assessmentId: string) {
  requireWriter(user);
  const db = await getDb();
  const assessment = await requireSharedAssessment(user, assessmentId, db);
  const submission = await db.selectFrom("submission").selectAll().where("assessment_id", "=", assessment.id).executeTakeFirst();
  if (!submission) httpError(404, "This assessment has not been submitted, so there is nothing to discuss yet.");
  const supplier = await db.selectFrom("organisation").select(["id", "name"]).where("id", "=", submission.organisation_id).executeTakeFirstOrThrow();
  const questionnaire = await snapshotQuestionnaire(db, submission.questionnaire);
  return {
    assessmentId: assessment.id,
    supplier,
    submittedAt: submission.created_at,
    questionnaire,
    answers: JSON.parse(submission.answers) as Answers,
    result: JSON.parse(submission.result) as AssessmentResult,
    draftId: await findDraft(db, user, assessment.id),
  };
}

/**
 * The empty form for a new conversation, or the organisation's draft to carry on with instead
 * (one draft per buyer and assessment).
 */
export async function newConversationForm(user: CurrentUser, assessmentId: string) {
  const a = await submittedAssessment(user, assessmentId);
  if (a.draftId) return { draftId: a.draftId } as const;
  return {
    draftId: null,
    assessmentId: a.assessmentId,
    supplierName: a.supplier.name,
    submittedAt: a.submittedAt,
    band: a.result.band,
    highestRisk: isHighestRiskBand(a.questionnaire.bands, a.result.band.id),
    ...conversationFormView(a.questionnaire, a.answers, a.result),
  } as const;
}

export type CreateConversationOutcome = { ok: true; id: string } | Extract<SaveConversationOutcome, { ok: false }> | { ok: false; draftId: string };

/**
 * Record a new conversation from the form: checked first, so invalid input creates nothing; then
 * created and saved as a draft or finished. When a colleague has started a draft meanwhile, nothing
 * is created and its id is returned (one draft per buyer and assessment).
 */
export async function createConversation(user: CurrentUser, assessmentId: string, input: ConversationInput, finish: boolean, now = new Date()): Promise<CreateConversationOutcome> {
  const a = await submittedAssessment(user, assessmentId);
  if (a.draftId) return { ok: false, draftId: a.draftId };
  const checked = checkConversation(
    input,
    {
      answeredQuestionIds: new Set(Object.keys(a.answers).filter((id) => a.answers[id] !== null && a.answers[id] !== undefined)),
      recommendationIds: new Set(a.result.recommendations.map((r) => r.id)),
      actionIds: new Set(),
      highestRisk: isHighestRiskBand(a.questionnaire.bands, a.result.band.id),
    },
    finish,
  );
  if (!checked.ok) return checked;
  const opened = await openDraft(user, a.assessmentId, now);
  if (!opened.created) return { ok: false, draftId: opened.id };
  const saved = await saveConversation(user, opened.id, input, finish, now);
  if (!saved.ok) return saved;
  return { ok: true, id: opened.id };
}
