/**
 * A colleague's save racing a submission: the save either lands first and is frozen into the
 * submission, or comes after and is refused (409). Never answered 200 and left out.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveAnswers, startAssessment, submitAssessment } from "../../app/services/assessments.server";
import type { CurrentUser } from "../../app/services/auth.server";
import { currentQuestionnaire } from "../../app/services/questionnaires.server";
import { plausibleAnswers } from "../../db/seed";
import { createTestDb, type TestDb } from "../setup/db";
import { userFor } from "../setup/requests";

let t: TestDb;
let admin: CurrentUser;
let contributor: CurrentUser;
beforeAll(async () => {
  t = await createTestDb();
  admin = await userFor(t.db, "admin@acme.example");
  contributor = await userFor(t.db, "contributor@acme.example");
});
afterAll(async () => t?.close());

describe("a save racing a submission", () => {
  it("is frozen into the submission or refused, every time", { timeout: 120_000 }, async () => {
    const answers = plausibleAnswers(currentQuestionnaire(), 0.7);
    const outcomes: string[] = [];
    for (let round = 0; round < 8; round++) {
      const id = await startAssessment(admin);
      const revisions = await t.db.selectFrom("answer").select(["question_id", "revision"]).where("assessment_id", "=", id).execute();
      const base = Object.fromEntries(revisions.map((r) => [r.question_id, r.revision]));
      // answer (or confirm the pre-filled answers) so the draft can be submitted
      const filled = await saveAnswers(admin, id, Object.entries(answers).map(([questionId, value]) => ({ questionId, value, baseRevision: base[questionId] ?? 0 })));
      expect(filled).toMatchObject({ ok: true });
      const revision = (filled as { revisions: Record<string, number> }).revisions["org.size"]!;
      const changed = round % 2 === 0 ? "medium" : "small";
      const [save, submit] = await Promise.allSettled([
        saveAnswers(contributor, id, [{ questionId: "org.size", value: changed, baseRevision: revision }]),
        submitAssessment(admin, id),
      ]);
      expect(submit.status).toBe("fulfilled");
      expect(submit.status === "fulfilled" && submit.value.ok).toBe(true);
      const submission = await t.db.selectFrom("submission").select("answers").where("assessment_id", "=", id).executeTakeFirstOrThrow();
      const frozen = (JSON.parse(submission.answers) as Record<string, unknown>)["org.size"];
      if (save.status === "fulfilled") {
        expect(save.value).toMatchObject({ ok: true });
        expect(frozen).toBe(changed);
        outcomes.push("saved first");
      } else {
        expect(save.reason).toMatchObject({ init: { status: 409 } });
        expect(frozen).toBe(answers["org.size"]);
        outcomes.push("refused");
      }
    }
    expect(outcomes).toHaveLength(8);
  });
});
