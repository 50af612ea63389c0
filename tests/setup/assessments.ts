/** A submitted assessment made as the supplier would make it, for service tests. */
import { expect } from "vitest";
import type { Db } from "../../db/index";
import { plausibleAnswers } from "../../db/seed";
import { saveAnswers, startAssessment, submitAssessment } from "../../app/services/assessments.server";
import type { CurrentUser } from "../../app/services/auth.server";
import { currentQuestionnaire } from "../../app/services/questionnaires.server";

/**
 * Start an assessment, answer it plausibly (`strength` 0 to 1), confirm any answers carried over
 * from the last submission, and submit it; every step must succeed. Returns the assessment id.
 */
export async function submitPlausible(db: Db, user: CurrentUser, strength: number, when: Date): Promise<string> {
  const id = await startAssessment(user, when);
  const answers = plausibleAnswers(currentQuestionnaire(), strength);
  const stored = await db.selectFrom("answer").select(["question_id", "revision"]).where("assessment_id", "=", id).execute();
  const revisions = new Map(stored.map((a) => [a.question_id, a.revision]));
  expect(await saveAnswers(user, id, Object.entries(answers).map(([questionId, value]) => ({ questionId, value, baseRevision: revisions.get(questionId) ?? 0 })), when)).toMatchObject({ ok: true });
  // Carried-over answers the new values left unchanged still wait for confirmation: confirm them.
  const waiting = await db.selectFrom("answer").select(["question_id", "value", "revision"]).where("assessment_id", "=", id).where("prefilled", "=", 1).execute();
  if (waiting.length > 0) expect(await saveAnswers(user, id, waiting.map((a) => ({ questionId: a.question_id, value: JSON.parse(a.value), baseRevision: a.revision })), when)).toMatchObject({ ok: true });
  expect(await submitAssessment(user, id, when)).toMatchObject({ ok: true });
  return id;
}
