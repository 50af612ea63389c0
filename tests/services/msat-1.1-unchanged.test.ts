/**
 * MSAT 1.1 stays as it was when later versions land: a draft started on 1.1 can still be finished,
 * and a 1.1 submission's report and PDF read exactly as they did (the snapshots were recorded with
 * 1.1 as the newest version; a change to them is a change to what past suppliers were told).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loader as pdfLoader } from "../../app/routes/assessment-report-pdf";
import { loader as reportLoader } from "../../app/routes/assessment-report";
import { saveAnswers, submitAssessment } from "../../app/services/assessments.server";
import type { CurrentUser } from "../../app/services/auth.server";
import { questionnaireVersion } from "../../app/services/questionnaires.server";
import { respondToRecommendation } from "../../app/services/reports.server";
import { newId } from "../../db/ids";
import { plausibleAnswers } from "../../db/seed";
import { createTestDb, type TestDb } from "../setup/db";
import { pdfText } from "../setup/pdf";
import { signedInCookie, userFor } from "../setup/requests";

const NOW = new Date("2026-06-01T09:00:00Z");
let t: TestDb;
let admin: CurrentUser;
let cookie: string;
let assessmentId: string;

beforeAll(async () => {
  t = await createTestDb(NOW);
  admin = await userFor(t.db, "admin@acme.example");
  cookie = await signedInCookie(t.db, "admin@acme.example");
  // A draft started while 1.1 was current.
  assessmentId = newId();
  await t.db
    .insertInto("assessment")
    .values({ id: assessmentId, organisation_id: admin.organisationId, questionnaire_id: "msat", questionnaire_version: "1.1.0", status: "draft", previous_submission_id: null, created_by: admin.id, created_at: NOW.toISOString(), updated_at: NOW.toISOString() })
    .execute();
});
afterAll(async () => t?.close());


describe("a draft on MSAT 1.1", () => {
  it("is finished and submitted on 1.1, and its report and PDF read as they always have", async () => {
    const qn = questionnaireVersion("msat", "1.1.0")!;
    // UK-only, so the snapshot does not move when the published country figures are updated.
    const answers = plausibleAnswers(qn, 0.5);
    for (const id of ["risk.own_countries", "risk.tier1_countries", "mapping.tier2_countries"]) if (id in answers) answers[id] = ["GB"];
    delete answers["mapping.entities"];
    const saved = await saveAnswers(admin, assessmentId, Object.entries(answers).map(([questionId, value]) => ({ questionId, value, baseRevision: 0 })), NOW);
    expect(saved).toMatchObject({ ok: true });
    const submitted = await submitAssessment(admin, assessmentId, NOW);
    expect(submitted.ok).toBe(true);
    const row = await t.db.selectFrom("submission").select(["questionnaire_version", "result"]).where("assessment_id", "=", assessmentId).executeTakeFirstOrThrow();
    expect(row.questionnaire_version).toBe("1.1.0");
    const result = JSON.parse(row.result) as Record<string, unknown>;
    expect(result.exposure).toBeDefined();
    expect(result.rating).toBeDefined();
    expect(result.screening).toBeDefined();

    const recommendations = (result.recommendations as Array<{ id: string }>).map((r) => r.id);
    for (const id of recommendations) {
      const outcome = await respondToRecommendation(admin, assessmentId, id, { response: "in_progress", targetDate: "", reason: "" }, NOW);
      expect(outcome).toMatchObject({ ok: true });
    }

    const request = new Request(`http://localhost/assessments/${assessmentId}/report`, { headers: { Cookie: cookie } });
    const page = await reportLoader({ request, params: { assessmentId }, context: {} });
    const { id: _id, ...shown } = page;
    expect(shown.ratingView).not.toBeNull();
    expect(shown.screening).not.toBeNull();
    expect(JSON.parse(JSON.stringify(shown))).toMatchSnapshot("report page data");

    const pdf = (await pdfLoader({ request, params: { assessmentId }, context: {} })) as Response;
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const text = pdfText(Buffer.from(await pdf.arrayBuffer()));
    expect(text).toContain("Modern slavery assessment report");
    expect(text).toMatchSnapshot("PDF text");
  });
});
