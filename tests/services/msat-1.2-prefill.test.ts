/**
 * A supplier that submitted on MSAT 1.1 starts its next assessment on 1.2 pre-filled with what
 * still fits: every answer whose question is kept and whose value is still an option, and nothing
 * for the question whose meaning widened (signs of forced labour, now with child labour) or for a
 * "no" to the narrower Xinjiang question. The 1.1 submission itself is not touched.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Answers } from "../../app/domain/answers";
import { applySkipLogic } from "../../app/domain/visibility";
import { saveAnswers, startAssessment, submitAssessment } from "../../app/services/assessments.server";
import type { CurrentUser } from "../../app/services/auth.server";
import { currentQuestionnaire, questionnaireVersion } from "../../app/services/questionnaires.server";
import { newId } from "../../db/ids";
import { plausibleAnswers } from "../../db/seed";
import { createTestDb, type TestDb } from "../setup/db";
import { userFor } from "../setup/requests";

const NOW = new Date("2026-06-01T09:00:00Z");
const LATER = new Date("2027-05-01T09:00:00Z");
let t: TestDb;
let admin: CurrentUser;

beforeAll(async () => {
  t = await createTestDb(NOW);
  admin = await userFor(t.db, "admin@acme.example");
});
afterAll(async () => t?.close());

describe("pre-filling a 1.2 assessment from a 1.1 submission", () => {
  it("carries every answer that still fits, and asks again what changed meaning", async () => {
    expect(currentQuestionnaire().version).toBe("1.2.0");
    const v11 = questionnaireVersion("msat", "1.1.0")!;
    // A draft started while 1.1 was current, answered with cotton (so the Xinjiang question is asked) and signs found.
    const draft = newId();
    await t.db
      .insertInto("assessment")
      .values({ id: draft, organisation_id: admin.organisationId, questionnaire_id: "msat", questionnaire_version: "1.1.0", status: "draft", previous_submission_id: null, created_by: admin.id, created_at: NOW.toISOString(), updated_at: NOW.toISOString() })
      .execute();
    const answers: Answers = applySkipLogic(v11, {
      ...plausibleAnswers(v11, 0.9),
      "risk.commodities": ["cotton"],
      "risk.xuar_inputs": "no_traced",
      "grievance.indicators_found": "yes",
      "grievance.ilo_indicators_found": ["excessive_overtime"],
      "grievance.remediation_actions": ["improved_conditions"],
      "grievance.checked_outcome": "yes",
      "recruitment.found_fees_paid": "yes",
      "recruitment.fees_repaid": "in_progress",
    }).answers;
    expect(answers["risk.xuar_inputs"]).toBe("no_traced");
    const saved = await saveAnswers(admin, draft, Object.entries(answers).map(([questionId, value]) => ({ questionId, value, baseRevision: 0 })), NOW);
    expect(saved).toMatchObject({ ok: true });
    expect((await submitAssessment(admin, draft, NOW)).ok).toBe(true);

    const next = await startAssessment(admin, LATER);
    const assessment = await t.db.selectFrom("assessment").select(["questionnaire_version", "previous_submission_id"]).where("id", "=", next).executeTakeFirstOrThrow();
    expect(assessment.questionnaire_version).toBe("1.2.0");
    expect(assessment.previous_submission_id).not.toBeNull();
    const rows = await t.db.selectFrom("answer").select(["question_id", "value", "prefilled"]).where("assessment_id", "=", next).execute();
    const carried = Object.fromEntries(rows.map((r) => [r.question_id, JSON.parse(r.value) as unknown]));
    expect(rows.every((r) => Number(r.prefilled) === 1)).toBe(true);

    const { "grievance.indicators_found": _signs, "risk.xuar_inputs": _xuar, ...fits } = answers;
    expect(carried).toEqual(fits);
    expect(Object.keys(answers).filter((id) => !(id in carried)).sort()).toEqual(["grievance.indicators_found", "risk.xuar_inputs"]);

    // The 1.1 submission is as it was.
    const submission = await t.db.selectFrom("submission").select(["questionnaire_version", "answers"]).where("assessment_id", "=", draft).executeTakeFirstOrThrow();
    expect(submission.questionnaire_version).toBe("1.1.0");
    expect(JSON.parse(submission.answers)).toEqual(answers);
  });
});
