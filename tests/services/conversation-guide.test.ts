/**
 * The conversation guide page and its PDF: only for a buyer the submitted assessment is currently
 * shared with (404 otherwise, 403 for a supplier), with the supplier's responses and the questions
 * to ask from the questionnaire file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plausibleAnswers } from "../../db/seed";
import { saveAnswers, startAssessment, submitAssessment } from "../../app/services/assessments.server";
import type { CurrentUser } from "../../app/services/auth.server";
import { currentQuestionnaire } from "../../app/services/questionnaires.server";
import { getReport, respondToRecommendation } from "../../app/services/reports.server";
import { shareAssessment, stopSharing } from "../../app/services/shares.server";
import { loader as guideLoader } from "../../app/routes/result-guide";
import { loader as guidePdfLoader } from "../../app/routes/result-guide-pdf";
import { createTestDb, type TestDb } from "../setup/db";
import { signedInCookie, userFor } from "../setup/requests";

const NOW = new Date("2026-06-01T09:00:00Z");
let t: TestDb;
let supplier: CurrentUser;
let dpwId: string;
let assessmentId: string;

async function expectStatus(promise: Promise<unknown>, status: number) {
  await expect(promise).rejects.toMatchObject({ init: { status } });
}

/** A download answers a refusal itself, in plain text, with the status. */
async function expectRefused(promise: Promise<unknown>, status: number) {
  const response = (await promise) as Response;
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
}

const args = async (email: string, suffix = "") => {
  const cookie = await signedInCookie(t.db, email);
  return { request: new Request(`http://localhost/results/${assessmentId}/guide${suffix}`, { headers: { Cookie: cookie } }), params: { assessmentId }, context: {} };
};
const call = async (loader: typeof guideLoader | typeof guidePdfLoader, email: string, suffix = "") => loader(await args(email, suffix));
const page = async (email: string) => guideLoader(await args(email));

beforeAll(async () => {
  t = await createTestDb(NOW);
  supplier = await userFor(t.db, "admin@acme.example");
  dpwId = (await userFor(t.db, "manager@dpw.example")).organisationId;
  assessmentId = await startAssessment(supplier, NOW);
  const answers = plausibleAnswers(currentQuestionnaire(), 0.3);
  const stored = await t.db.selectFrom("answer").select(["question_id", "revision"]).where("assessment_id", "=", assessmentId).execute();
  const revisions = new Map(stored.map((a) => [a.question_id, a.revision]));
  const saved = await saveAnswers(supplier, assessmentId, Object.entries(answers).map(([questionId, value]) => ({ questionId, value, baseRevision: revisions.get(questionId) ?? 0 })), NOW);
  expect(saved).toMatchObject({ ok: true });
  const waiting = await t.db.selectFrom("answer").select(["question_id", "value", "revision"]).where("assessment_id", "=", assessmentId).where("prefilled", "=", 1).execute();
  if (waiting.length > 0) await saveAnswers(supplier, assessmentId, waiting.map((a) => ({ questionId: a.question_id, value: JSON.parse(a.value), baseRevision: a.revision })), NOW);
  expect(await submitAssessment(supplier, assessmentId, NOW)).toMatchObject({ ok: true });
});
afterAll(async () => t.close());

describe("the conversation guide", () => {
  it("is not found for a buyer the assessment is not shared with, and forbidden to suppliers", async () => {
    await expectStatus(call(guideLoader, "manager@dpw.example"), 404);
    await expectRefused(call(guidePdfLoader, "manager@dpw.example", ".pdf"), 404);
    await expectStatus(call(guideLoader, "admin@acme.example"), 403);
  });

  it("gives every buyer role it is shared with the agenda, with probes and the supplier's responses", async () => {
    expect(await shareAssessment(supplier, assessmentId, dpwId, NOW)).toMatchObject({ ok: true });
    const report = await getReport(supplier, assessmentId);
    expect(report.result.recommendations.length).toBeGreaterThan(0);
    const first = report.result.recommendations[0]!;
    expect(await respondToRecommendation(supplier, assessmentId, first.id, { response: "accepted", targetDate: "2026-12-31", reason: "" }, NOW)).toMatchObject({ ok: true });

    for (const email of ["manager@dpw.example", "admin@dpw.example", "analyst@dpw.example"]) {
      const guide = await page(email);
      expect(guide).toMatchObject({ assessmentId, supplierName: "Acme Facilities Ltd", version: currentQuestionnaire().version });
      expect(guide.guide.sections.map((s) => s.id)).toEqual(["red-flags", "caps", "recommendations", "themes"]);
      const recs = guide.guide.sections[2].items;
      expect(recs).toHaveLength(report.result.recommendations.length);
      expect(recs.every((r) => r.probes.length > 0 && r.probes.every((p) => p.endsWith("?")))).toBe(true);
      expect(recs.find((r) => r.id === first.id)!.response).toEqual({ response: "accepted", targetDate: "2026-12-31", reason: null });
      expect(guide.guide.sections[0].items.every((f) => f.probes.length > 0)).toBe(true);
      // Priorities never go back up the agenda.
      const order = { high: 0, medium: 1, low: 2 } as const;
      expect(recs.map((r) => order[r.priority])).toEqual([...recs.map((r) => order[r.priority])].sort());
    }
  });

  it("downloads as an A4 PDF named after the supplier and the submission date, never cached", async () => {
    const response = await guidePdfLoader(await args("analyst@dpw.example", ".pdf"));
    expect(response.headers.get("Content-Type")).toBe("application/pdf");
    expect(response.headers.get("Content-Disposition")).toBe('attachment; filename="conversation-guide-acme-facilities-ltd-2026-06-01.pdf"');
    expect(response.headers.get("Cache-Control")).toContain("no-store");
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.subarray(0, 5).toString()).toBe("%PDF-");
    // A4 is 595.28 x 841.89 points.
    expect(body.toString("latin1")).toMatch(/MediaBox \[0 0 595\.28 841\.89\]/);
  });

  it("is not found again once the supplier stops sharing", async () => {
    await stopSharing(supplier, assessmentId, dpwId, true, NOW);
    await expectStatus(call(guideLoader, "manager@dpw.example"), 404);
    await expectRefused(call(guidePdfLoader, "manager@dpw.example", ".pdf"), 404);
  });
});
