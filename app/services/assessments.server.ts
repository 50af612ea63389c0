/**
 * The supplier's assessment: start (pre-filled from the last submission), save answers with
 * revision checks, submit into an immutable submission. Every function takes the acting user and
 * scopes by their organisation.
 */
import { newId } from "../../db/ids";
import { insertSubmission, snapshotQuestionnaire } from "../../db/submissions";
import { refreshStatisticsForAssessment } from "../../db/statistics";
import type { Db } from "../../db/index";
import type { Assessment, Database } from "../../db/schema";
import type { AssessmentStatus } from "../domain/progress";
import { PostgresAdapter, type Transaction } from "kysely";
import type { Question, Questionnaire } from "../../questionnaires/format";
import { isCountryCode } from "../../questionnaires/countries";
import { type AnswerValue, type Answers, type GroupRow, sameAnswer, validateAnswer } from "../domain/answers";
import { missingAnswers, themeProgress } from "../domain/progress";
import { questionIndex } from "../domain/questions";
import { isId } from "../domain/text";
import { type AssessmentResult, scoreAnswers } from "../domain/scoring";
import { applySkipLogic } from "../domain/visibility";
import { audit } from "./audit.server";
import type { CurrentUser } from "./auth.server";
import { getDb } from "./db.server";
import { httpError } from "./errors.server";
import { notifySubmitted } from "./notifications.server";
import { contextFor, screeningInputs } from "./risk.server";
import { screen } from "../domain/screening";
import { currentQuestionnaire, questionnaireVersion } from "./questionnaires.server";

export type StoredAnswer = {
  /** null once an answer has been cleared (the row stays, so its revision keeps counting). */
  value: AnswerValue | null;
  revision: number;
  prefilled: boolean;
  /** Every row of a list answer while some miss a required field (see IncompleteRows). */
  draft: GroupRow[] | null;
  updatedBy: string;
  updatedAt: string;
};

export type AnswerChange = { questionId: string; value: unknown; baseRevision: number };

export type Conflict = {
  questionId: string;
  question: string;
  yours: AnswerValue | null;
  theirs: AnswerValue | null;
  changedBy: string;
  changedAt: string;
  revision: number;
};

export type SaveOutcome =
  /** `incomplete`: answers saved with rows that miss a required field, kept as drafts, and why. */
  | { ok: true; revisions: Record<string, number>; incomplete: Record<string, string> }
  | { ok: false; errors: Record<string, string>; conflicts: Conflict[] };

const parseValue = (text: string): AnswerValue | null => JSON.parse(text) as AnswerValue | null;

function requireSupplier(user: CurrentUser) {
  if (user.organisationKind !== "supplier") httpError(403, "Only a supplier's users can work on its assessments.");
}

/**
 * Inside a transaction: the assessment must still be a draft. On PostgreSQL the row is locked, so
 * saves to one assessment and its submission take turns (a save also updates the row, so a shared
 * lock would deadlock two saves); SQLite transactions hold the database's write lock from their start.
 */
async function lockDraft(trx: Transaction<Database>, assessmentId: string, refusal: string): Promise<void> {
  const postgres = trx.getExecutor().adapter instanceof PostgresAdapter;
  const row = await trx
    .selectFrom("assessment")
    .select("status")
    .where("id", "=", assessmentId)
    .$if(postgres, (q) => q.forUpdate())
    .executeTakeFirst();
  if (row?.status !== "draft") httpError(409, refusal);
}

/** The assessment, if it belongs to the user's organisation. */
export async function getAssessment(user: CurrentUser, assessmentId: string, db?: Db): Promise<Assessment> {
  if (!isId(assessmentId)) httpError(404, "There is no assessment at this address.");
  const conn = db ?? (await getDb());
  const assessment = await conn.selectFrom("assessment").selectAll().where("id", "=", assessmentId).executeTakeFirst();
  if (!assessment) httpError(404, "There is no assessment at this address.");
  if (assessment.organisation_id !== user.organisationId) {
    httpError(403, "This assessment belongs to another organisation.");
  }
  return assessment;
}

/** The questionnaire an assessment answers: the submission's frozen copy once submitted. */
export async function questionnaireFor(assessment: Assessment, db?: Db): Promise<Questionnaire> {
  if (assessment.status !== "draft") {
    const conn = db ?? (await getDb());
    const submission = await conn.selectFrom("submission").select("questionnaire").where("assessment_id", "=", assessment.id).executeTakeFirstOrThrow();
    return snapshotQuestionnaire(conn, submission.questionnaire);
  }
  const qn = questionnaireVersion(assessment.questionnaire_id, assessment.questionnaire_version);
  if (!qn) throw new Error(`Questionnaire ${assessment.questionnaire_id} ${assessment.questionnaire_version} is missing`);
  return qn;
}

export async function storedAnswers(assessmentId: string, db?: Db): Promise<Map<string, StoredAnswer>> {
  const conn = db ?? (await getDb());
  const rows = await conn
    .selectFrom("answer")
    .innerJoin("user", "user.id", "answer.updated_by")
    .select(["answer.question_id", "answer.value", "answer.revision", "answer.prefilled", "answer.draft", "answer.updated_at", "user.name"])
    .where("answer.assessment_id", "=", assessmentId)
    .execute();
  const answers = new Map<string, StoredAnswer>();
  for (const row of rows) {
    answers.set(row.question_id, {
      value: parseValue(row.value),
      revision: row.revision,
      prefilled: row.prefilled === 1,
      draft: row.draft === null ? null : (JSON.parse(row.draft) as GroupRow[]),
      updatedBy: row.name,
      updatedAt: row.updated_at,
    });
  }
  return answers;
}

/** Plain answers (without cleared ones) from stored answers. */
export function answerValues(stored: Map<string, StoredAnswer>): Answers {
  const answers: Answers = {};
  for (const [id, a] of stored) if (a.value !== null) answers[id] = a.value;
  return answers;
}

export type AssessmentSummary = {
  id: string;
  status: AssessmentStatus;
  questionnaireTitle: string;
  questionnaireVersion: string;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  overall: number | null;
  band: string | null;
};

export async function listAssessments(user: CurrentUser): Promise<AssessmentSummary[]> {
  requireSupplier(user);
  const db = await getDb();
  const rows = await db
    .selectFrom("assessment")
    .leftJoin("submission", "submission.assessment_id", "assessment.id")
    .select([
      "assessment.id",
      "assessment.status",
      "assessment.questionnaire_id",
      "assessment.questionnaire_version",
      "assessment.created_at",
      "assessment.updated_at",
      "submission.created_at as submitted_at",
      "submission.result",
    ])
    .where("assessment.organisation_id", "=", user.organisationId)
    .orderBy("assessment.created_at", "desc")
    .execute();
  return rows.map((row) => {
    const result = row.result ? (JSON.parse(row.result) as AssessmentResult) : undefined;
    const qn = questionnaireVersion(row.questionnaire_id, row.questionnaire_version);
    return {
      id: row.id,
      status: row.status,
      questionnaireTitle: qn?.title ?? row.questionnaire_id,
      questionnaireVersion: row.questionnaire_version,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      submittedAt: row.submitted_at,
      overall: result?.overall ?? null,
      band: result?.band.label ?? null,
    };
  });
}

/**
 * Start an assessment on the newest questionnaire, or return the draft already under way. Answers
 * from the organisation's last submission are carried over, marked for confirmation.
 */
export async function startAssessment(user: CurrentUser, now = new Date()): Promise<string> {
  requireSupplier(user);
  const db = await getDb();
  const qn = currentQuestionnaire();
  return db.transaction().execute(async (trx) => {
    const draft = await trx
      .selectFrom("assessment")
      .select("id")
      .where("organisation_id", "=", user.organisationId)
      .where("status", "=", "draft")
      .executeTakeFirst();
    if (draft) return draft.id;

    const previous = await trx
      .selectFrom("submission")
      .select(["id", "answers"])
      .where("organisation_id", "=", user.organisationId)
      .orderBy("created_at", "desc")
      .limit(1)
      .executeTakeFirst();

    const id = newId();
    const at = now.toISOString();
    await trx
      .insertInto("assessment")
      .values({
        id,
        organisation_id: user.organisationId,
        questionnaire_id: qn.id,
        questionnaire_version: qn.version,
        status: "draft",
        previous_submission_id: previous?.id ?? null,
        created_by: user.id,
        created_at: at,
        updated_at: at,
      })
      .execute();

    if (previous) {
      // Only answers that still fit the current questionnaire carry over.
      const index = questionIndex(qn);
      const carried = Object.entries(JSON.parse(previous.answers) as Answers).flatMap(([questionId, value]) => {
        const entry = index.get(questionId);
        if (!entry) return [];
        const check = validateAnswer(entry.question, value, isCountryCode);
        return check.ok && check.value !== null ? [{ questionId, value: check.value }] : [];
      });
      if (carried.length > 0) {
        await trx
          .insertInto("answer")
          .values(
            carried.map((a) => ({
              assessment_id: id,
              question_id: a.questionId,
              value: JSON.stringify(a.value),
              revision: 1,
              prefilled: 1,
              updated_by: user.id,
              updated_at: at,
              created_at: at,
            })),
          )
          .execute();
      }
    }
    await audit(trx, [{ organisationId: user.organisationId, userId: user.id, entity: "assessment", entityId: id, action: "started", at: now }]);
    return id;
  });
}

function questionOrFail(qn: Questionnaire, questionId: unknown): Question {
  if (typeof questionId !== "string") httpError(400, "Each answer must name its question.");
  const entry = questionIndex(qn).get(questionId);
  if (!entry) httpError(400, `Unknown question '${questionId}'.`);
  return entry.question;
}

/**
 * Save answers. All or nothing: any invalid value, any answer to a question the other answers
 * hide (unless told to ignore those), or any answer a colleague changed since the revision it was
 * based on, and nothing changes.
 * Saving an unchanged pre-filled answer confirms it.
 */
export async function saveAnswers(
  user: CurrentUser,
  assessmentId: string,
  changes: AnswerChange[],
  now = new Date(),
  options: { ignoreHidden?: boolean } = {},
): Promise<SaveOutcome> {
  requireSupplier(user);
  const db = await getDb();
  const assessment = await getAssessment(user, assessmentId, db);
  if (assessment.status !== "draft") httpError(409, "This assessment has been submitted, so its answers can no longer be changed.");
  const qn = await questionnaireFor(assessment, db);

  const errors: Record<string, string> = {};
  const values = new Map<string, AnswerValue | null>();
  // Rows missing a required field are kept, never dropped: the complete rows are the answer and
  // every row is stored as a draft, shown again with its error until it is completed or removed.
  const drafts = new Map<string, GroupRow[]>();
  const incomplete: Record<string, string> = {};
  for (const change of changes) {
    const question = questionOrFail(qn, change.questionId);
    if (!Number.isInteger(change.baseRevision) || change.baseRevision < 0) {
      httpError(400, `The answer to '${question.id}' must say which revision it was based on.`);
    }
    const check = validateAnswer(question, change.value, isCountryCode);
    if (check.ok) values.set(question.id, check.value);
    else if (check.incomplete) {
      values.set(question.id, check.incomplete.complete);
      drafts.set(question.id, check.incomplete.rows);
      incomplete[question.id] = check.error;
    } else errors[question.id] = check.error;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors, conflicts: [] };

  return db.transaction().execute(async (trx) => {
    // A submission may have frozen the answers since the check above: look again, holding the
    // assessment row so a submission waits for this save (and this save for a submission).
    await lockDraft(trx, assessmentId, "This assessment has been submitted, so its answers can no longer be changed.");
    const stored = await storedAnswers(assessmentId, trx);
    const merged = answerValues(stored);
    for (const [id, value] of values) {
      if (value === null) delete merged[id];
      else merged[id] = value;
    }
    const { visible } = applySkipLogic(qn, merged);
    const hidden = [...values.keys()].filter((id) => !visible.has(id) && (values.get(id) !== null || drafts.has(id)));
    if (options.ignoreHidden) {
      // A posted page may carry answers to follow-ups its other answers now hide: keep the stored ones.
      for (const id of [...values.keys()]) {
        if (visible.has(id)) continue;
        values.delete(id);
        drafts.delete(id);
        delete incomplete[id];
      }
      changes = changes.filter((c) => values.has(c.questionId));
    } else if (hidden.length > 0) {
      for (const id of hidden) errors[id] = "This question does not apply given your other answers, so it cannot be answered";
      return { ok: false as const, errors, conflicts: [] };
    }

    const conflicts: Conflict[] = [];
    const revisions: Record<string, number> = {};
    const writes: Array<{ id: string; value: AnswerValue | null; draft: GroupRow[] | null; base: number; old?: StoredAnswer; confirm: boolean }> = [];
    for (const change of changes) {
      const id = change.questionId;
      const value = values.get(id) ?? null;
      const draft = drafts.get(id) ?? null;
      const old = stored.get(id);
      const unchanged = sameAnswer(old?.value, value) && sameDraft(old?.draft ?? null, draft);
      if (unchanged && !old?.prefilled) {
        revisions[id] = old?.revision ?? 0; // nothing to write; the caller is now up to date
        continue;
      }
      if ((old?.revision ?? 0) !== change.baseRevision && !unchanged) {
        conflicts.push({
          questionId: id,
          question: questionIndex(qn).get(id)!.question.text,
          yours: value,
          theirs: old?.value ?? null,
          changedBy: old?.updatedBy ?? "",
          changedAt: old?.updatedAt ?? "",
          revision: old?.revision ?? 0,
        });
        continue;
      }
      writes.push({ id, value, draft, base: old?.revision ?? 0, old, confirm: unchanged });
    }
    if (conflicts.length > 0) return { ok: false as const, errors: {}, conflicts };

    const at = now.toISOString();
    for (const w of writes) {
      const text = JSON.stringify(w.value);
      const draftText = w.draft === null ? null : JSON.stringify(w.draft);
      let written: bigint;
      if (w.old) {
        const result = await trx
          .updateTable("answer")
          .set({ value: text, draft: draftText, revision: w.base + 1, prefilled: 0, updated_by: user.id, updated_at: at })
          .where("assessment_id", "=", assessmentId)
          .where("question_id", "=", w.id)
          .where("revision", "=", w.base)
          .executeTakeFirst();
        written = result.numUpdatedRows;
      } else {
        const result = await trx
          .insertInto("answer")
          .values({ assessment_id: assessmentId, question_id: w.id, value: text, draft: draftText, revision: 1, prefilled: 0, updated_by: user.id, updated_at: at, created_at: at })
          .onConflict((oc) => oc.columns(["assessment_id", "question_id"]).doNothing())
          .executeTakeFirst();
        written = result.numInsertedOrUpdatedRows ?? 0n;
      }
      if (written === 0n) {
        // A colleague's save landed between our read and our write: report it as a conflict.
        const latest = (await storedAnswers(assessmentId, trx)).get(w.id);
        conflicts.push({
          questionId: w.id,
          question: questionIndex(qn).get(w.id)!.question.text,
          yours: w.value,
          theirs: latest?.value ?? null,
          changedBy: latest?.updatedBy ?? "",
          changedAt: latest?.updatedAt ?? "",
          revision: latest?.revision ?? 0,
        });
        throw new ConflictAbort(conflicts);
      }
      revisions[w.id] = w.base + 1;
    }
    await audit(
      trx,
      writes.map((w) => ({
        organisationId: user.organisationId,
        userId: user.id,
        entity: "assessment",
        entityId: assessmentId,
        action: w.confirm ? "answer_confirmed" : "answer_changed",
        field: w.id,
        oldValue: w.old ? JSON.stringify(w.old.value) : null,
        newValue: JSON.stringify(w.draft === null ? w.value : { value: w.value, draft: w.draft }),
        at: now,
      })),
    );
    if (writes.length > 0) {
      await trx.updateTable("assessment").set({ updated_at: at }).where("id", "=", assessmentId).execute();
    }
    return { ok: true as const, revisions, incomplete };
  }).catch((error: unknown) => {
    if (error instanceof ConflictAbort) return { ok: false as const, errors: {}, conflicts: error.conflicts };
    throw error;
  });
}

/** Visible answers that still hold rows missing a required field, with what is missing. */
export function incompleteAnswers(qn: Questionnaire, stored: Map<string, StoredAnswer>, visible: Set<string>) {
  const index = questionIndex(qn);
  return [...stored.entries()]
    .filter(([id, a]) => a.draft !== null && visible.has(id))
    .map(([id, a]) => {
      const { question, theme } = index.get(id)!;
      const check = validateAnswer(question, a.draft, isCountryCode);
      return { questionId: id, text: question.text, themeId: theme.id, error: check.ok ? "Check this answer" : check.error };
    });
}

const sameDraft = (a: GroupRow[] | null, b: GroupRow[] | null) => JSON.stringify(a) === JSON.stringify(b);

/** Thrown inside a transaction to roll it back when a write lost a race. */
class ConflictAbort extends Error {
  constructor(readonly conflicts: Conflict[]) {
    super("conflict");
  }
}

/** Everything a page about a draft needs: the questionnaire, stored answers and progress. */
export async function assessmentState(user: CurrentUser, assessmentId: string) {
  requireSupplier(user);
  const db = await getDb();
  const assessment = await getAssessment(user, assessmentId, db);
  const qn = await questionnaireFor(assessment, db);
  const stored = await storedAnswers(assessmentId, db);
  const answers = answerValues(stored);
  return { assessment, qn, stored, answers, progress: themeProgress(qn, answers) };
}

export type SubmitOutcome =
  | { ok: true; submissionId: string }
  | {
      ok: false;
      missing: ReturnType<typeof missingAnswers>;
      unconfirmed: Array<{ questionId: string; text: string; themeId: string }>;
      /** Answers with rows that miss a required field: complete or remove them first. */
      incomplete: Array<{ questionId: string; text: string; themeId: string; error: string }>;
    };

/**
 * Freeze the answers, the exact questionnaire and the result into a submission. The answers are
 * read, checked and scored inside the transaction that changes the status, holding the assessment
 * row, so a colleague's save lands either before (and is frozen) or after (and is refused).
 */
export async function submitAssessment(user: CurrentUser, assessmentId: string, now = new Date()): Promise<SubmitOutcome> {
  requireSupplier(user);
  const db = await getDb();
  const assessment = await getAssessment(user, assessmentId, db);
  if (assessment.status !== "draft") httpError(409, "This assessment has already been submitted.");
  const qn = await questionnaireFor(assessment, db);
  // Read outside the transaction: SQLite runs one statement at a time on the connection it holds.
  const { bans, decisions } = await screeningInputs(assessmentId);
  const submissionId = newId();
  const at = now.toISOString();
  return db.transaction().execute(async (trx): Promise<SubmitOutcome> => {
    await lockDraft(trx, assessmentId, "This assessment has already been submitted.");
    const stored = await storedAnswers(assessmentId, trx);
    const answers = answerValues(stored);
    const { visible, answers: visibleAnswers } = applySkipLogic(qn, answers);
    const missing = missingAnswers(qn, answers);
    const index = questionIndex(qn);
    const unconfirmed = [...stored.entries()]
      .filter(([id, a]) => a.prefilled && visible.has(id))
      .map(([id]) => ({ questionId: id, text: index.get(id)!.question.text, themeId: index.get(id)!.theme.id }));
    const incomplete = incompleteAnswers(qn, stored, visible);
    if (missing.length > 0 || unconfirmed.length > 0 || incomplete.length > 0) return { ok: false, missing, unconfirmed, incomplete };

    // The screening at this moment is frozen with the result: later list changes never alter it.
    const screening = screen(qn, visibleAnswers, bans, decisions);
    const context = contextFor(qn, screening);
    const result = scoreAnswers(qn, visibleAnswers, context);
    if (qn.exposure) result.screening = screening;
    await trx
      .updateTable("assessment")
      .set({ status: result.recommendations.length === 0 ? "completed" : "submitted", updated_at: at })
      .where("id", "=", assessmentId)
      .execute();
    await insertSubmission(trx, {
      id: submissionId,
      assessmentId,
      organisationId: user.organisationId,
      qn,
      answers: visibleAnswers,
      result,
      context,
      submittedBy: user.id,
      createdAt: at,
      source: "app",
    });
    // Shared before it was submitted (through an invitation): it starts counting now.
    await refreshStatisticsForAssessment(trx, assessmentId);
    await notifySubmitted(trx, { assessmentId, submissionId, supplierOrganisationId: user.organisationId }, now);
    await audit(trx, [
      {
        organisationId: user.organisationId,
        userId: user.id,
        entity: "assessment",
        entityId: assessmentId,
        action: "submitted",
        newValue: JSON.stringify({ overall: result.overall, band: result.band.id, redFlags: result.redFlags.map((f) => f.id) }),
        at: now,
      },
    ]);
    return { ok: true, submissionId };
  });
}
