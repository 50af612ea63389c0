import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applySkipLogic } from "../../app/domain/visibility";
import { kpiOutcomes } from "../../app/domain/kpis";
import { scoreAnswers } from "../../app/domain/scoring";
import { riskContext } from "../../app/domain/rating";
import { screen } from "../../app/domain/screening";
import { referenceData } from "../../app/services/reference.server";
import { listImportBans } from "../../db/import-bans";
import { listAssessments, saveAnswers, startAssessment, storedAnswers, submitAssessment } from "../../app/services/assessments.server";
import type { CurrentUser } from "../../app/services/auth.server";
import { checkCredentials } from "../../app/services/auth.server";
import { acceptInvitation, findInvitation, inviteColleague } from "../../app/services/invitations.server";
import { currentQuestionnaire } from "../../app/services/questionnaires.server";
import { getReport, respondToRecommendation, respondToRecommendations } from "../../app/services/reports.server";
import { plausibleAnswers } from "../../db/seed";
import { createTestDb, type TestDb } from "../setup/db";
import { userFor } from "../setup/requests";

const NOW = new Date("2026-06-01T09:00:00Z");
let t: TestDb;
let admin: CurrentUser;
let contributor: CurrentUser;
let otherSupplier: CurrentUser;
let buyer: CurrentUser;

beforeAll(async () => {
  t = await createTestDb(NOW);
  admin = await userFor(t.db, "admin@acme.example");
  contributor = await userFor(t.db, "contributor@acme.example");
  otherSupplier = await userFor(t.db, "admin@brightwear.example");
  buyer = await userFor(t.db, "manager@dpw.example");
});
afterAll(async () => t.close());

const qn = () => currentQuestionnaire();

async function answerEverything(user: CurrentUser, id: string, strength: number) {
  const answers = plausibleAnswers(qn(), strength);
  const outcome = await saveAnswers(user, id, Object.entries(answers).map(([questionId, value]) => ({ questionId, value, baseRevision: 0 })), NOW);
  expect(outcome).toMatchObject({ ok: true });
  return answers;
}

async function expectStatus(promise: Promise<unknown>, status: number) {
  await expect(promise).rejects.toMatchObject({ init: { status } });
}

describe("an assessment from start to completed report", () => {
  let assessmentId: string;
  let answers: ReturnType<typeof plausibleAnswers>;

  it("starts one draft per organisation; starting again returns the same draft", async () => {
    assessmentId = await startAssessment(admin, NOW);
    expect(await startAssessment(contributor, NOW)).toBe(assessmentId);
    expect((await listAssessments(admin)).map((a) => [a.id, a.status])).toEqual([[assessmentId, "draft"]]);
    await expectStatus(listAssessments(buyer), 403);
  });

  it("submits into a frozen submission: exact answers, questionnaire version and result", async () => {
    answers = await answerEverything(admin, assessmentId, 0.4);
    const outcome = await submitAssessment(contributor, assessmentId, NOW);
    expect(outcome.ok).toBe(true);
    const row = await t.db.selectFrom("submission").selectAll().where("assessment_id", "=", assessmentId).executeTakeFirstOrThrow();
    expect(row.questionnaire_version).toBe(qn().version);
    // The exact questionnaire, kept once as a snapshot named by its hash.
    const snapshot = await t.db.selectFrom("questionnaire_snapshot").selectAll().where("hash", "=", row.questionnaire).executeTakeFirstOrThrow();
    expect(JSON.parse(snapshot.body)).toEqual(JSON.parse(JSON.stringify(qn())));
    expect(JSON.parse(row.kpis!)).toEqual(kpiOutcomes(qn(), applySkipLogic(qn(), answers).answers, riskContext(qn(), referenceData(), screen(qn(), applySkipLogic(qn(), answers).answers, await listImportBans(t.db), []).summary)));
    expect(JSON.parse(row.answers)).toEqual(applySkipLogic(qn(), answers).answers);
    // Scored with the published reference data and the screening of the named suppliers as they stood.
    const visible = applySkipLogic(qn(), answers).answers;
    const screening = screen(qn(), visible, await listImportBans(t.db), []);
    const expected = scoreAnswers(qn(), answers, riskContext(qn(), referenceData(), screening.summary));
    expected.screening = screening;
    expect(JSON.parse(row.result)).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(expected.exposure?.level).toMatch(/^(low|medium|high)$/);
  });

  it("refuses changes and a second submission once submitted", async () => {
    await expectStatus(saveAnswers(admin, assessmentId, [{ questionId: "org.size", value: "micro", baseRevision: 1 }], NOW), 409);
    await expectStatus(submitAssessment(admin, assessmentId, NOW), 409);
  });

  it("is not completed until every recommendation has a response", async () => {
    const report = await getReport(admin, assessmentId);
    expect(report.result.recommendations.length).toBeGreaterThan(3);
    expect(report.allResponded).toBe(false);
    expect(report.unanswered).toBe(report.result.recommendations.length);
    await expectStatus(getReport(otherSupplier, assessmentId), 403);
  });

  it("rejects bad responses with a specific message and stores nothing", async () => {
    const report = await getReport(admin, assessmentId);
    const rec = report.result.recommendations[0]!.id;
    const cases: Array<[Record<string, unknown>, Record<string, string>]> = [
      [{ response: "maybe" }, { response: "Select how you will respond to this recommendation" }],
      [{ response: "accepted" }, { targetDate: "Enter the date by which you will do this" }],
      [{ response: "accepted", targetDate: "2026-02-30" }, { targetDate: "Target date must be a real date" }],
      [{ response: "accepted", targetDate: "2026-05-31" }, { targetDate: "Target date must be today or in the future" }],
      [{ response: "not_applicable", reason: "  " }, { reason: "Enter why this recommendation does not apply to you" }],
      [{ response: "not_applicable", reason: "x".repeat(1001) }, { reason: "Reason must be 1000 characters or fewer" }],
    ];
    for (const [input, errors] of cases) {
      const outcome = await respondToRecommendation(admin, assessmentId, rec, { response: input.response, targetDate: input.targetDate, reason: input.reason }, NOW);
      expect(outcome).toEqual({ ok: false, errors });
    }
    await expectStatus(respondToRecommendation(admin, assessmentId, "REC-NOT-THERE", { response: "in_progress", targetDate: null, reason: null }, NOW), 400);
    await expectStatus(respondToRecommendation(otherSupplier, assessmentId, rec, { response: "in_progress", targetDate: null, reason: null }, NOW), 403);
    expect(await t.db.selectFrom("recommendation_response").select("recommendation_id").where("submission_id", "=", report.submission.id).execute()).toEqual([]);
  });

  it("saves several responses on one form all or nothing, dates from GOV.UK's date input", async () => {
    const report = await getReport(admin, assessmentId);
    const [a, b, c] = report.result.recommendations.map((r) => r.id);
    const refused = await respondToRecommendations(
      admin,
      assessmentId,
      {
        [a!]: { response: "in_progress", targetDate: null, reason: null },
        [b!]: { response: "accepted", targetDate: { day: "31", month: "", year: "2026" }, reason: null },
        [c!]: { response: "accepted", targetDate: { day: "31", month: "4", year: "2027" }, reason: null },
      },
      NOW,
    );
    expect(refused).toEqual({ ok: false, errors: { [b!]: { targetDate: "Target date must include a month" }, [c!]: { targetDate: "Target date must be a real date" } } });
    expect(await t.db.selectFrom("recommendation_response").select("recommendation_id").where("submission_id", "=", report.submission.id).execute()).toEqual([]);
    const saved = await respondToRecommendations(
      admin,
      assessmentId,
      { [a!]: { response: "in_progress", targetDate: null, reason: null }, [b!]: { response: "accepted", targetDate: { day: "1", month: "3", year: "2027" }, reason: null } },
      NOW,
    );
    expect(saved).toEqual({ ok: true, saved: 2 });
    // the same responses again change nothing and are not logged twice
    expect(await respondToRecommendations(admin, assessmentId, { [a!]: { response: "in_progress", targetDate: null, reason: null } }, NOW)).toEqual({ ok: true, saved: 0 });
    const after = await getReport(admin, assessmentId);
    expect(after.responses[b!]).toMatchObject({ response: "accepted", targetDate: "2027-03-01" });
    expect(after.allResponded).toBe(false);
    await expectStatus(respondToRecommendations(admin, assessmentId, { "REC-NOT-THERE": { response: "in_progress", targetDate: null, reason: null } }, NOW), 400);
  });

  it("completes when every recommendation has a response", async () => {
    const recs = (await getReport(admin, assessmentId)).result.recommendations;
    for (const [i, rec] of recs.entries()) {
      const input = [
        { response: "accepted", targetDate: "2026-12-31", reason: null },
        { response: "in_progress", targetDate: null, reason: null },
        { response: "not_applicable", targetDate: null, reason: "We employ no agency workers." },
      ][i % 3]!;
      expect(await respondToRecommendation(i % 2 ? admin : contributor, assessmentId, rec.id, input, NOW)).toEqual({ ok: true });
    }
    const report = await getReport(admin, assessmentId);
    expect(report.allResponded).toBe(true);
    expect(report.responses[recs[0]!.id]).toMatchObject({ response: "accepted", targetDate: "2026-12-31" });
    expect(report.responses[recs[2]!.id]).toMatchObject({ response: "not_applicable", reason: "We employ no agency workers." });
    expect((await listAssessments(admin))[0]!.status).toBe("completed");
  });

  it("a past submission does not change when the questionnaire in use changes", async () => {
    const before = await getReport(admin, assessmentId);
    const live = qn();
    const originalTitle = live.themes[0]!.title;
    const originalRecTitle = live.recommendations[0]!.title;
    live.themes[0]!.title = "Renamed theme";
    live.recommendations[0]!.title = "Renamed recommendation";
    try {
      const after = await getReport(admin, assessmentId);
      expect(after.questionnaire.themes[0]!.title).toBe(originalTitle);
      expect(after.result).toEqual(before.result);
    } finally {
      live.themes[0]!.title = originalTitle;
      live.recommendations[0]!.title = originalRecTitle;
    }
  });

  it("starts the next assessment pre-filled; answers must be confirmed before submitting; the report shows the change", async () => {
    const nextId = await startAssessment(admin, new Date("2027-06-01T09:00:00Z"));
    expect(nextId).not.toBe(assessmentId);
    const stored = await storedAnswers(nextId);
    const carried = applySkipLogic(qn(), answers).answers;
    expect(Object.fromEntries([...stored].map(([id, a]) => [id, a.value]))).toEqual(carried);
    expect([...stored.values()].every((a) => a.prefilled)).toBe(true);

    const blocked = await submitAssessment(admin, nextId, NOW);
    expect(blocked.ok).toBe(false);
    if (blocked.ok) return;
    expect(blocked.missing).toEqual([]);
    expect(blocked.unconfirmed.map((u) => u.questionId).sort()).toEqual(Object.keys(carried).sort());

    // confirm every answer unchanged, but improve two
    const better = plausibleAnswers(qn(), 1);
    const confirm = Object.entries(carried).map(([questionId, value]) => ({ questionId, value, baseRevision: 1 }));
    expect(await saveAnswers(admin, nextId, confirm, NOW)).toMatchObject({ ok: true });
    expect([...(await storedAnswers(nextId)).values()].some((a) => a.prefilled)).toBe(false);
    const log = await t.db.selectFrom("audit_log").select("action").where("entity_id", "=", nextId).where("action", "=", "answer_confirmed").execute();
    expect(log).toHaveLength(Object.keys(carried).length);
    const improved = Object.entries(better).filter(([id, v]) => JSON.stringify(carried[id]) !== JSON.stringify(v));
    const current = await storedAnswers(nextId);
    expect(await saveAnswers(admin, nextId, improved.map(([questionId, value]) => ({ questionId, value, baseRevision: current.get(questionId)?.revision ?? 0 })), NOW)).toMatchObject({ ok: true });
    expect((await submitAssessment(admin, nextId, NOW)).ok).toBe(true);
    const report = await getReport(admin, nextId);
    const previous = scoreAnswers(qn(), carried);
    expect(report.changes).toEqual(
      report.result.themes.map((th) => {
        const old = previous.themes.find((p) => p.themeId === th.themeId)!.percent;
        return { themeId: th.themeId, previous: old, current: th.percent, change: old !== null && th.percent !== null ? Math.round((th.percent - old) * 10) / 10 : null };
      }),
    );
    expect(report.changes!.some((c) => (c.change ?? 0) > 0)).toBe(true);
  });
});

describe("inviting a colleague", () => {
  it("only an admin invites; the invitation is emailed; accepting creates a contributor once", async () => {
    await expectStatus(inviteColleague(contributor, "new.person@acme.example", "http://localhost", NOW), 403);
    expect(await inviteColleague(admin, "contributor@acme.example", "http://localhost", NOW)).toEqual({
      ok: false,
      error: "This person already has an account in your organisation",
    });
    // An account in another organisation gets the same answer as a new address, and is never moved.
    expect(await inviteColleague(admin, "Admin@Brightwear.example", "http://localhost", NOW)).toEqual({ ok: true, email: "admin@brightwear.example" });
    const elsewhere = await t.db.selectFrom("email_outbox").selectAll().where("recipient", "=", "admin@brightwear.example").executeTakeFirstOrThrow();
    expect(elsewhere.body).not.toMatch(/\/invitations\//);
    expect(elsewhere.body).toMatch(/cannot be accepted with this address/);
    const brightwear = await t.db.selectFrom("user").innerJoin("organisation", "organisation.id", "user.organisation_id").select("organisation.name").where("email", "=", "admin@brightwear.example").executeTakeFirstOrThrow();
    expect(brightwear.name).toBe("Brightwear Textiles Ltd");

    const sent = await inviteColleague(admin, " New.Person@acme.example ", "http://localhost", NOW);
    expect(sent).toEqual({ ok: true, email: "new.person@acme.example" });
    const mail = await t.db.selectFrom("email_outbox").selectAll().where("recipient", "=", "new.person@acme.example").executeTakeFirstOrThrow();
    const token = /\/invitations\/([A-Za-z0-9_-]+)/.exec(mail.body)![1]!;
    expect(await findInvitation(token, NOW)).toMatchObject({ email: "new.person@acme.example", organisationName: "Acme Facilities Ltd" });
    expect(await findInvitation(token, new Date("2026-07-01T00:00:00Z"))).toBeUndefined(); // expired after 14 days

    await acceptInvitation(token, "New Person", "a long enough password", NOW);
    const user = await checkCredentials("new.person@acme.example", "a long enough password");
    expect(user).toMatchObject({ name: "New Person", role: "contributor", organisation_id: admin.organisationId });
    await expectStatus(acceptInvitation(token, "Someone Else", "another long password", NOW), 404);
  });

  it("an invitation whose address gained an account elsewhere cannot be used, and says why", async () => {
    await inviteColleague(admin, "late.joiner@example.org", "http://localhost", NOW);
    const mail = await t.db.selectFrom("email_outbox").selectAll().where("recipient", "=", "late.joiner@example.org").executeTakeFirstOrThrow();
    const token = /\/invitations\/([A-Za-z0-9_-]+)/.exec(mail.body)![1]!;
    const other = await t.db.selectFrom("organisation").select("id").where("name", "=", "Brightwear Textiles Ltd").executeTakeFirstOrThrow();
    await t.db
      .insertInto("user")
      .values({ id: crypto.randomUUID(), organisation_id: other.id, email: "late.joiner@example.org", name: "Late Joiner", role: "contributor", password_hash: "x", created_at: NOW.toISOString() })
      .execute();
    expect(await findInvitation(token, NOW)).toMatchObject({ hasAccount: true });
    await expectStatus(acceptInvitation(token, "Late Joiner", "a long enough password", NOW), 409);
    const user = await t.db.selectFrom("user").select("organisation_id").where("email", "=", "late.joiner@example.org").executeTakeFirstOrThrow();
    expect(user.organisation_id).toBe(other.id);
  });
});
