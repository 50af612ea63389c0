/**
 * What the risk model needs besides the answers: the import-ban screening of the named
 * sub-suppliers and the published reference data. Used when scoring and when showing a draft.
 */
import { listImportBans } from "../../db/import-bans";
import type { Questionnaire } from "../../questionnaires/format";
import type { ImportBan } from "../../questionnaires/reference";
import type { Answers } from "../domain/answers";
import type { ConditionContext } from "../domain/conditions";
import { riskContext } from "../domain/rating";
import { type ScreeningDecision, type ScreeningOutcome, screen } from "../domain/screening";
import { applySkipLogic } from "../domain/visibility";
import { getDb } from "./db.server";
import { referenceData } from "./reference.server";

async function decisionsFor(assessmentId: string): Promise<ScreeningDecision[]> {
  const db = await getDb();
  const rows = await db
    .selectFrom("screening_decision")
    .innerJoin("user", "user.id", "screening_decision.decided_by")
    .select(["entity_key", "ban_id", "decision", "reason", "user.name as decidedBy", "screening_decision.updated_at as decidedAt"])
    .where("assessment_id", "=", assessmentId)
    .execute();
  return rows.map((r) => ({ entityKey: r.entity_key, banId: r.ban_id, decision: r.decision, reason: r.reason, decidedBy: r.decidedBy, decidedAt: r.decidedAt }));
}

/** What screening compares the answers with: the current list and the supplier's decisions. */
export async function screeningInputs(assessmentId: string): Promise<{ bans: ImportBan[]; decisions: ScreeningDecision[] }> {
  const db = await getDb();
  return { bans: await listImportBans(db), decisions: await decisionsFor(assessmentId) };
}

/** The screening of a draft's answers as they stand (hidden questions never count). */
export async function screenAnswers(qn: Questionnaire, answers: Answers, assessmentId: string): Promise<ScreeningOutcome> {
  const { bans, decisions } = await screeningInputs(assessmentId);
  return screen(qn, applySkipLogic(qn, answers).answers, bans, decisions);
}

/** The context the questionnaire's risk model reads: reference data and this screening. */
export function contextFor(qn: Questionnaire, outcome: ScreeningOutcome): ConditionContext {
  return riskContext(qn, referenceData(), outcome.summary);
}

