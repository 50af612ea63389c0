/**
 * The report of a submitted assessment, and the supplier's responses to its recommendations. The
 * report is whole as soon as the assessment is submitted; the assessment is completed once every
 * recommendation has a response. A buyer it is shared with reads the same report.
 */
import { snapshotQuestionnaire } from "../../db/submissions";
import { refreshStatisticsForAssessment } from "../../db/statistics";
import type { Answers } from "../domain/answers";
import type { RecommendationResponseView, Report, ResponseKind, ThemeChange } from "../domain/report";
import type { AssessmentResult } from "../domain/scoring";
import type { Questionnaire } from "../../questionnaires/format";
import type { Assessment } from "../../db/schema";
import type { Db } from "../../db/index";
import { audit } from "./audit.server";
import type { CurrentUser } from "./auth.server";
import { hasControlChars, controlCharsMessage } from "../domain/text";
import { type DateParts, parseDateParts } from "../domain/dates";
import { getAssessment } from "./assessments.server";
import { getDb } from "./db.server";
import { httpError } from "./errors.server";
import { requireSharedAssessment } from "./shares.server";

/** The supplier's own report: its organisation's assessment, changes against its own previous submission. */
export async function getReport(user: CurrentUser, assessmentId: string) {
  const db = await getDb();
  const assessment = await getAssessment(user, assessmentId, db);
  return loadReport(db, assessment, { organisationId: user.organisationId });
}

/**
 * A buyer's reading of a report it has been shared: 404 unless currently shared with the buyer's
 * organisation. The changes are shown against the previous submission only if that one is also
 * shared with this buyer, so nothing the supplier did not share leaks through the comparison.
 */
export async function getSharedReport(user: CurrentUser, assessmentId: string) {
  const db = await getDb();
  const assessment = await requireSharedAssessment(user, assessmentId, db);
  return loadReport(db, assessment, { organisationId: assessment.organisation_id, sharedWith: user.organisationId });
}

/** Which earlier submission the reader may compare with: the supplier's own, and if a buyer reads, one shared with it. */
type PreviousScope = { organisationId: string; sharedWith?: string };

async function loadReport(db: Db, assessment: Assessment, scope: PreviousScope): Promise<Report & { assessment: Assessment }> {
  const submission = await db.selectFrom("submission").selectAll().where("assessment_id", "=", assessment.id).executeTakeFirst();
  if (!submission) httpError(404, "This assessment has not been submitted yet, so it has no report.");
  const result = JSON.parse(submission.result) as AssessmentResult;
  const responseRows = await db
    .selectFrom("recommendation_response")
    .innerJoin("user", "user.id", "recommendation_response.responded_by")
    .select([
      "recommendation_response.recommendation_id",
      "recommendation_response.response",
      "recommendation_response.target_date",
      "recommendation_response.reason",
      "recommendation_response.updated_at",
      "user.name",
    ])
    .where("submission_id", "=", submission.id)
    .execute();
  const responses: Record<string, RecommendationResponseView> = {};
  for (const r of responseRows) {
    responses[r.recommendation_id] = {
      recommendationId: r.recommendation_id,
      response: r.response,
      targetDate: r.target_date,
      reason: r.reason,
      respondedBy: r.name,
      updatedAt: r.updated_at,
    };
  }

  let changes: ThemeChange[] | null = null;
  let previousSubmittedAt: string | null = null;
  if (assessment.previous_submission_id) {
    const sharedWith = scope.sharedWith;
    const previous = await db
      .selectFrom("submission")
      .select(["result", "created_at"])
      .where("id", "=", assessment.previous_submission_id)
      .where("organisation_id", "=", scope.organisationId)
      .$if(sharedWith !== undefined, (q) =>
        q.where((eb) =>
          eb.exists(
            eb
              .selectFrom("assessment_share")
              .select("assessment_share.id")
              .whereRef("assessment_share.assessment_id", "=", "submission.assessment_id")
              .where("assessment_share.buyer_organisation_id", "=", sharedWith!)
              .where("assessment_share.revoked_at", "is", null),
          ),
        ),
      )
      .executeTakeFirst();
    if (previous) {
      const before = JSON.parse(previous.result) as AssessmentResult;
      previousSubmittedAt = previous.created_at;
      changes = result.themes.map((t) => {
        const old = before.themes.find((b) => b.themeId === t.themeId)?.percent ?? null;
        return {
          themeId: t.themeId,
          previous: old,
          current: t.percent,
          change: old !== null && t.percent !== null ? Math.round((t.percent - old) * 10) / 10 : null,
        };
      });
    }
  }

  const unanswered = result.recommendations.filter((r) => !responses[r.id]).length;
  return {
    assessment,
    submission: { id: submission.id, submittedAt: submission.created_at, version: submission.questionnaire_version },
    questionnaire: await snapshotQuestionnaire(db, submission.questionnaire),
    answers: JSON.parse(submission.answers) as Answers,
    result,
    responses,
    allResponded: unanswered === 0,
    unanswered,
    changes,
    previousSubmittedAt,
  };
}

/** `targetDate`: an ISO date, or a GOV.UK date input's day, month and year as posted. */
export type ResponseInput = { response: unknown; targetDate: unknown; reason: unknown };

const isDateParts = (value: unknown): value is DateParts =>
  typeof value === "object" && value !== null && ["day", "month", "year"].every((k) => typeof (value as Record<string, unknown>)[k] === "string");

const REASON_MAX = 1000;

/** Validate a response; returns field errors, or the clean values. */
export function checkResponse(input: ResponseInput, today: string) {
  const errors: Record<string, string> = {};
  const response = input.response;
  if (response !== "accepted" && response !== "in_progress" && response !== "not_applicable") {
    errors.response = "Select how you will respond to this recommendation";
    return { errors };
  }
  let targetDate: string | null = null;
  let reason: string | null = null;
  if (response === "accepted" && isDateParts(input.targetDate)) {
    // GOV.UK's date input: its own errors ("must include a month"), then the checks below
    const parsed = parseDateParts(input.targetDate, "Target date");
    if (!parsed.ok) errors.targetDate = parsed.error;
    else input = { ...input, targetDate: parsed.value ?? "" };
  }
  if (response === "accepted" && !errors.targetDate) {
    const text = typeof input.targetDate === "string" ? input.targetDate.trim() : "";
    const valid = /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);
    if (!text) errors.targetDate = "Enter the date by which you will do this";
    else if (!valid) errors.targetDate = "Target date must be a real date";
    else if (text < today) errors.targetDate = "Target date must be today or in the future";
    else targetDate = text;
  }
  if (response === "not_applicable") {
    const text = typeof input.reason === "string" ? input.reason.trim() : "";
    if (!text) errors.reason = "Enter why this recommendation does not apply to you";
    else if (text.length > REASON_MAX) errors.reason = `Reason must be ${REASON_MAX} characters or fewer`;
    else if (hasControlChars(text)) errors.reason = controlCharsMessage("Reason");
    else reason = text;
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { errors, value: { response, targetDate, reason } as { response: ResponseKind; targetDate: string | null; reason: string | null } };
}

export async function respondToRecommendation(
  user: CurrentUser,
  assessmentId: string,
  recommendationId: string,
  input: ResponseInput,
  now = new Date(),
) {
  const outcome = await respondToRecommendations(user, assessmentId, { [recommendationId]: input }, now);
  return outcome.ok ? { ok: true as const } : { ok: false as const, errors: outcome.errors[recommendationId]! };
}

/**
 * Record the supplier's responses to several recommendations at once (the report's one form): all
 * or nothing, so one wrong answer leaves every response as it was and the form shows each error.
 * The assessment is completed once every recommendation has a response.
 */
export async function respondToRecommendations(user: CurrentUser, assessmentId: string, inputs: Record<string, ResponseInput>, now = new Date()) {
  if (user.organisationKind !== "supplier") httpError(403, "Only the supplier responds to its recommendations.");
  const report = await getReport(user, assessmentId);
  const known = new Set(report.result.recommendations.map((r) => r.id));
  const unknown = Object.keys(inputs).find((id) => !known.has(id));
  if (unknown !== undefined) httpError(400, `Recommendation '${unknown.slice(0, 40)}' is not part of this report.`);
  const today = now.toISOString().slice(0, 10);
  const errors: Record<string, Record<string, string>> = {};
  const values: Array<{ id: string; value: { response: ResponseKind; targetDate: string | null; reason: string | null } }> = [];
  for (const [id, input] of Object.entries(inputs)) {
    const checked = checkResponse(input, today);
    if (checked.value) values.push({ id, value: checked.value });
    else errors[id] = checked.errors;
  }
  if (Object.keys(errors).length > 0) return { ok: false as const, errors };

  const db = await getDb();
  const at = now.toISOString();
  let saved = 0;
  await db.transaction().execute(async (trx) => {
    const entries = [];
    for (const { id, value } of values) {
      const old = report.responses[id];
      // the same response again changes nothing and is not recorded twice
      if (old && old.response === value.response && old.targetDate === value.targetDate && old.reason === value.reason) continue;
      const row = { response: value.response, target_date: value.targetDate, reason: value.reason, responded_by: user.id, updated_at: at };
      await trx
        .insertInto("recommendation_response")
        .values({ submission_id: report.submission.id, recommendation_id: id, created_at: at, ...row })
        .onConflict((oc) => oc.columns(["submission_id", "recommendation_id"]).doUpdateSet(row))
        .execute();
      saved += 1;
      entries.push({
        organisationId: user.organisationId,
        userId: user.id,
        entity: "submission",
        entityId: report.submission.id,
        action: "recommendation_response",
        field: id,
        oldValue: old ? JSON.stringify({ response: old.response, targetDate: old.targetDate, reason: old.reason }) : null,
        newValue: JSON.stringify(value),
        at: now,
      });
    }
    const count = await trx
      .selectFrom("recommendation_response")
      .select((eb) => eb.fn.countAll<string | number>().as("n"))
      .where("submission_id", "=", report.submission.id)
      .executeTakeFirstOrThrow();
    if (Number(count.n) >= report.result.recommendations.length) {
      const completed = await trx.updateTable("assessment").set({ status: "completed", updated_at: at }).where("id", "=", assessmentId).where("status", "=", "submitted").executeTakeFirst();
      if (Number(completed.numUpdatedRows) > 0) await refreshStatisticsForAssessment(trx, assessmentId);
    }
    if (entries.length > 0) await audit(trx, entries);
  });
  return { ok: true as const, saved };
}
