/**
 * Programme KPIs on a small hand-built department: each KPI's numerator and denominator for the
 * 2025-26 financial year and the year before, the period's boundaries (UK dates and instants), the
 * statistics filters, another department's records never counting, and the department's goals.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../db/ids";
import { insertSubmission } from "../../db/submissions";
import { plausibleAnswers } from "../../db/seed";
import { DEFAULT_TIER_THRESHOLDS } from "../../app/domain/contracts";
import type { ConversationInput } from "../../app/domain/conversations";
import { periodStarting } from "../../app/domain/periods";
import { DEFAULT_GOALS, type ProgrammeFigures, type ProgrammeKpiId } from "../../app/domain/programme";
import { scoreAnswers } from "../../app/domain/scoring";
import { postActionUpdate } from "../../app/services/actions.server";
import type { CurrentUser } from "../../app/services/auth.server";
import { tierThresholds } from "../../app/services/department-settings.server";
import { saveConversation, startConversation } from "../../app/services/conversations.server";
import { goalsPage, programmeKpis, readGoals, saveGoals } from "../../app/services/programme.server";
import { currentQuestionnaire } from "../../app/services/questionnaires.server";
import type { StatisticsFilters, StatisticsQuery } from "../../app/services/statistics.server";
import { action as goalsAction, loader as goalsLoader } from "../../app/routes/statistics-goals";
import { createTestDb, type TestDb } from "../setup/db";
import { formRequest, signedInCookie, userFor } from "../setup/requests";

const NOW = new Date("2026-06-01T09:00:00Z");
const PERIOD = periodStarting(2025); // 2025-03-31T23:00Z to 2026-03-31T23:00Z
let t: TestDb;
let dpwAdmin: CurrentUser;
let dpwManager: CurrentUser;
let dpwAnalyst: CurrentUser;
let nhsManager: CurrentUser;
let dpw: string;
let nhs: string;
const suppliers: Record<string, { orgId: string; userId: string; email: string }> = {};
const contracts: Record<string, string> = {};
/** Answers per submission, counted from the stored JSON. */
const answerCount: Record<string, number> = {};

const query = (filters: StatisticsFilters = {}, period = PERIOD): StatisticsQuery => ({ period, filters, smallNumbers: false });
const at = (iso: string) => new Date(iso);

// ---- building the department ----------------------------------------------------------------

async function addSupplier(key: string) {
  const orgId = newId();
  const userId = newId();
  const email = `admin@${key}.example`;
  await t.db.insertInto("organisation").values({ id: orgId, name: `${key} Ltd`, kind: "supplier", slug: `${key}-ltd`, company_number: null, country: "GB", created_at: NOW.toISOString() }).execute();
  await t.db.insertInto("user").values({ id: userId, organisation_id: orgId, email, name: `${key} admin`, role: "admin", password_hash: "x", created_at: NOW.toISOString() }).execute();
  suppliers[key] = { orgId, userId, email };
}

type ContractSpec = { start?: string; end?: string; pence?: number; category?: string; supplier?: string; tier?: "gold" | "silver" | "bronze"; assessedAt?: string; riskCount?: number };

async function addContract(organisationId: string, reference: string, spec: ContractSpec = {}) {
  const id = newId();
  await t.db
    .insertInto("contract")
    .values({
      id,
      organisation_id: organisationId,
      reference,
      title: `Services ${reference}`,
      supplier_name: `Supplier of ${reference}`,
      supplier_company_number: null,
      supplier_country: "GB",
      supplier_organisation_id: spec.supplier ? suppliers[spec.supplier]!.orgId : null,
      category: spec.category ?? "Cleaning",
      annual_value_pence: spec.pence ?? 100_000_00,
      total_value_pence: (spec.pence ?? 100_000_00) * 3,
      start_date: spec.start ?? "2024-04-01",
      end_date: spec.end ?? "2028-03-31",
      contract_manager_email: null,
      tier_override: spec.tier ?? null,
      tier_override_reason: spec.tier ? "Set by hand" : null,
      risk_indicators: spec.assessedAt ? "[]" : null,
      risk_count: spec.assessedAt ? (spec.riskCount ?? 0) : null,
      risk_assessed_by: spec.assessedAt ? dpwManager.id : null,
      risk_assessed_at: spec.assessedAt ?? null,
      created_at: NOW.toISOString(),
      updated_at: NOW.toISOString(),
    })
    .execute();
  contracts[reference] = id;
  return id;
}

/**
 * A submitted assessment of a supplier: completed (with its last recommendation response then) or
 * still awaiting responses. Its result calls for follow-up (rated High risk) unless `calls` is false
 * (Medium risk, no red flag).
 */
async function addSubmission(supplier: string, submittedAt: string, status: "submitted" | "completed", lastResponseAt?: string, calls = true) {
  const { orgId, userId } = suppliers[supplier]!;
  const qn = currentQuestionnaire();
  const answers = plausibleAnswers(qn, 0.4);
  const scored = scoreAnswers(qn, answers);
  const result = calls ? { ...scored, band: { id: "high", label: "High risk" } } : { ...scored, redFlags: [], band: { id: "medium", label: "Medium risk" } };
  const assessmentId = newId();
  const submissionId = newId();
  await t.db
    .insertInto("assessment")
    .values({ id: assessmentId, organisation_id: orgId, questionnaire_id: qn.id, questionnaire_version: qn.version, status, previous_submission_id: null, created_by: userId, created_at: submittedAt, updated_at: submittedAt })
    .execute();
  await insertSubmission(t.db, { id: submissionId, assessmentId, organisationId: orgId, qn, answers, result, context: {}, submittedBy: userId, createdAt: submittedAt, source: "app" });
  if (lastResponseAt) {
    await t.db
      .insertInto("recommendation_response")
      .values([
        { submission_id: submissionId, recommendation_id: "first", response: "accepted", target_date: null, reason: null, responded_by: userId, created_at: submittedAt, updated_at: submittedAt },
        { submission_id: submissionId, recommendation_id: "last", response: "accepted", target_date: null, reason: null, responded_by: userId, created_at: lastResponseAt, updated_at: NOW.toISOString() },
      ])
      .execute();
  }
  const stored = await t.db.selectFrom("submission").select("answers").where("id", "=", submissionId).executeTakeFirstOrThrow();
  answerCount[assessmentId] = Object.keys(JSON.parse(stored.answers)).length;
  return assessmentId;
}

async function share(assessmentId: string, supplier: string, buyerOrganisationId: string, revokedAt: string | null = null) {
  const { orgId, userId } = suppliers[supplier]!;
  await t.db
    .insertInto("assessment_share")
    .values({ id: newId(), assessment_id: assessmentId, supplier_organisation_id: orgId, buyer_organisation_id: buyerOrganisationId, shared_by: userId, shared_at: "2025-01-01T00:00:00.000Z", invitation_id: null, revoked_at: revokedAt, revoked_by: revokedAt ? userId : null })
    .execute();
}

async function invite(organisationId: string, contract: string, createdAt: string, opts: { cancelledAt?: string; assessmentId?: string; supplier?: string } = {}) {
  await t.db
    .insertInto("supplier_invitation")
    .values({
      id: newId(),
      organisation_id: organisationId,
      contract_id: contracts[contract]!,
      email: "contact@supplier.example",
      contact_name: null,
      code_hash: randomBytes(16).toString("hex"),
      invited_by: dpwManager.id,
      created_at: createdAt,
      expires_at: new Date(new Date(createdAt).getTime() + 30 * 86_400_000).toISOString(),
      supplier_organisation_id: opts.supplier ? suppliers[opts.supplier]!.orgId : null,
      accepted_by: null,
      accepted_at: opts.assessmentId ? createdAt : null,
      assessment_id: opts.assessmentId ?? null,
      linked_at: opts.assessmentId ? createdAt : null,
      cancelled_at: opts.cancelledAt ?? null,
      cancelled_by: opts.cancelledAt ? dpwManager.id : null,
      cancel_reason: opts.cancelledAt ? "No longer needed" : null,
    })
    .execute();
}

const parts = (iso: string) => {
  const [year, month, day] = iso.split("-");
  return { day: day!, month: month!, year: year! };
};

/** Hold and finish a conversation through the app, verifying answers and agreeing actions (due dates). Returns the action ids in order. */
async function holdConversation(user: CurrentUser, assessmentId: string, finishedAt: string, verifications: string[], dues: string[]) {
  const id = await startConversation(user, assessmentId, at(finishedAt));
  const submission = await t.db.selectFrom("submission").select("answers").where("assessment_id", "=", assessmentId).executeTakeFirstOrThrow();
  const questionIds = Object.keys(JSON.parse(submission.answers));
  const input: ConversationInput = {
    heldOn: parts("2025-01-20"),
    buyerAttendees: user.name,
    supplierAttendees: "Supplier's representative",
    notes: "",
    recommendationsDiscussed: [],
    verifications: Object.fromEntries(verifications.map((level, i) => [questionIds[i]!, level])),
    actions: dues.map((due, i) => ({ description: `Action ${i + 1}`, ownerSide: "supplier", ownerName: "Sam", dueOn: parts(due), recommendationId: "" })),
    nextReviewOn: { day: "", month: "", year: "" },
  };
  expect(await saveConversation(user, id, input, true, at(finishedAt))).toEqual({ ok: true, finished: true });
  return (await t.db.selectFrom("conversation_action").select("id").where("conversation_id", "=", id).orderBy("description").execute()).map((a) => a.id);
}

async function update(actionId: string, status: "open" | "in_progress" | "done" | "cancelled", when: string, note = "") {
  expect(await postActionUpdate(dpwManager, actionId, { status, note }, at(when))).toEqual({ ok: true });
}

// ---- reading the figures ----------------------------------------------------------------------

type Pair = [numerator: number, denominator: number];
const pairs = (figures: ProgrammeFigures) => Object.fromEntries(figures.kpis.map((k) => [k.id, [k.numerator, k.denominator] as Pair])) as Record<ProgrammeKpiId, Pair>;
const kpi = (figures: ProgrammeFigures, id: ProgrammeKpiId) => figures.kpis.find((k) => k.id === id)!;

let convAt: { s2: string[]; s5: string[]; s1Current: string[]; s1Previous: string[] };

beforeAll(async () => {
  t = await createTestDb(NOW);
  dpwAdmin = await userFor(t.db, "admin@dpw.example");
  dpwManager = await userFor(t.db, "manager@dpw.example");
  dpwAnalyst = await userFor(t.db, "analyst@dpw.example");
  nhsManager = await userFor(t.db, "manager@nhs.example");
  dpw = dpwAdmin.organisationId;
  nhs = nhsManager.organisationId;
  for (const key of ["s1", "s2", "s3", "s4", "s5"]) await addSupplier(key);

  // The register (values £100,000 unless said; live 1 April 2024 to 31 March 2028 unless said).
  await addContract(dpw, "A", { supplier: "s1", assessedAt: "2024-10-01T09:00:00.000Z", riskCount: 5 });
  await addContract(dpw, "B", { supplier: "s5", category: "Catering", pence: 50_000_50, assessedAt: "2025-07-01T09:00:00.000Z", riskCount: 1 });
  await addContract(dpw, "C", { pence: 200_000_00, tier: "gold" });
  await addContract(dpw, "D", { assessedAt: PERIOD.end, riskCount: 6 }); // assessed at the very instant the period ends
  await addContract(dpw, "E", { start: "2023-04-01", end: "2025-03-31", assessedAt: "2024-06-01T09:00:00.000Z", riskCount: 4 }); // ended the day before
  await addContract(dpw, "F", { start: "2023-01-01", end: "2025-04-01" }); // ends on the period's first day
  await addContract(dpw, "G", { supplier: "s2", start: "2026-03-31", end: "2027-03-31", assessedAt: "2026-03-31T22:59:59.999Z", riskCount: 4 }); // starts on its last day
  await addContract(dpw, "H", { start: "2026-04-01", assessedAt: "2026-04-02T09:00:00.000Z", riskCount: 7 }); // starts the day after
  await addContract(dpw, "I", { supplier: "s3", assessedAt: "2025-05-01T09:00:00.000Z", riskCount: 7 });
  await addContract(dpw, "J", { supplier: "s4", assessedAt: "2025-05-01T09:00:00.000Z", riskCount: 4 });
  await addContract(dpw, "K", { assessedAt: "2025-05-01T09:00:00.000Z", riskCount: 4 });
  // Another department's register, with the same suppliers.
  await addContract(nhs, "NHS-1", { supplier: "s1", assessedAt: "2025-05-01T09:00:00.000Z", riskCount: 7 });
  await addContract(nhs, "NHS-2", { supplier: "s4" });

  // Suppliers' submissions and who they are shared with.
  const s1 = await addSubmission("s1", "2025-01-10T10:00:00.000Z", "completed", "2025-05-05T10:00:00.000Z"); // completed after the previous year ended
  await share(s1, "s1", dpw);
  await share(s1, "s1", nhs);
  const s2 = await addSubmission("s2", "2025-12-01T10:00:00.000Z", "completed"); // nothing to respond to: completed on submission
  await share(s2, "s2", dpw);
  const s3Nhs = await addSubmission("s3", "2025-09-01T10:00:00.000Z", "submitted", undefined, false); // Medium risk, no red flag: calls for no follow-up
  await share(s3Nhs, "s3", nhs);
  const s3Revoked = await addSubmission("s3", "2025-09-02T10:00:00.000Z", "completed");
  await share(s3Revoked, "s3", dpw, "2025-10-01T10:00:00.000Z");
  const s4 = await addSubmission("s4", "2025-10-01T10:00:00.000Z", "completed", "2026-04-05T10:00:00.000Z"); // completed after the period
  await share(s4, "s4", dpw);
  await share(s4, "s4", nhs);
  const s4Later = await addSubmission("s4", "2026-04-10T10:00:00.000Z", "completed");
  await share(s4Later, "s4", dpw);
  const s5 = await addSubmission("s5", "2025-11-01T10:00:00.000Z", "submitted");
  await share(s5, "s5", dpw);

  // Invitations.
  await invite(dpw, "A", "2024-09-01T10:00:00.000Z", { assessmentId: s1, supplier: "s1" });
  await invite(dpw, "I", "2025-06-01T10:00:00.000Z", { cancelledAt: "2025-08-01T10:00:00.000Z" });
  await invite(nhs, "I", "2025-06-01T10:00:00.000Z"); // another department's row never counts, whatever it names
  await invite(dpw, "J", "2026-04-02T10:00:00.000Z"); // after the period
  await invite(dpw, "K", "2025-06-01T10:00:00.000Z", { cancelledAt: "2026-05-01T10:00:00.000Z" }); // cancelled only after the period
  await invite(nhs, "NHS-1", "2025-06-01T10:00:00.000Z");

  // Conversations: finished in the period, on its first UK morning, just before it, and after it.
  convAt = {
    s1Previous: await holdConversation(dpwManager, s1, "2025-03-31T22:30:00.000Z", ["evidence_seen", "evidence_seen"], ["2025-05-01", "2025-05-02"]),
    s1Current: await holdConversation(dpwManager, s1, "2025-03-31T23:30:00.000Z", ["verified"], ["2025-06-30"]),
    s5: await holdConversation(
      dpwManager,
      s5,
      "2025-12-15T10:00:00.000Z",
      ["evidence_seen", "evidence_seen", "verified", "self_declared"],
      ["2026-01-31", "2026-02-28", "2026-06-30", "2026-01-15", "2026-03-01", "2026-03-01", "2026-01-10", "2026-01-10"],
    ),
    s2: await holdConversation(dpwManager, s2, "2026-04-20T10:00:00.000Z", ["verified"], ["2026-05-01"]),
  };
  await startConversation(dpwManager, s4, at("2025-12-01T10:00:00.000Z")); // a draft: not a follow-up
  const nhsActions = await holdConversation(nhsManager, s4, "2025-12-01T10:00:00.000Z", ["verified", "verified", "verified"], ["2026-01-01"]);
  expect(await postActionUpdate(nhsManager, nhsActions[0]!, { status: "done", note: "" }, at("2025-12-02T10:00:00.000Z"))).toEqual({ ok: true });

  // Action updates.
  const [a1, a2, a3, a4, , a6, a7, a8] = convAt.s5;
  await update(a1!, "done", "2026-01-20T10:00:00.000Z"); // due 31 January: on time
  await update(a2!, "done", "2026-03-05T10:00:00.000Z"); // due 28 February: late
  await update(a3!, "done", "2026-06-30T23:30:00.000Z"); // due 30 June: 00:30 on 1 July in the UK, late
  await update(a4!, "done", "2026-01-15T23:30:00.000Z"); // due 15 January: 23:30 GMT, on time
  await update(a6!, "cancelled", "2026-01-20T10:00:00.000Z", "Not needed");
  await update(a7!, "done", "2026-01-05T10:00:00.000Z"); // due 10 January, reopened, done again late
  await update(a7!, "in_progress", "2026-01-08T10:00:00.000Z", "Reopened");
  await update(a7!, "done", "2026-01-12T10:00:00.000Z");
  await update(a7!, "done", "2026-01-20T10:00:00.000Z", "A later note");
  await update(a8!, "done", "2026-01-05T10:00:00.000Z"); // due 10 January: on time, a later note changes nothing
  await update(a8!, "done", "2026-02-20T10:00:00.000Z", "Evidence attached");
  await update(convAt.s1Current[0]!, "done", "2025-06-01T10:00:00.000Z");
  await update(convAt.s1Previous[1]!, "done", "2025-04-10T10:00:00.000Z");
  await update(convAt.s2[0]!, "done", "2026-04-25T10:00:00.000Z");
});
afterAll(async () => t?.close());

describe("the contracts considered", () => {
  it("are those in force in the period, by UK dates, risk-assessed by its end", async () => {
    const { current, previous } = await programmeKpis(t.db, dpw, query());
    // Current: A, B, C, D, F, G, I, J, K (E ended the day before, H starts the day after).
    // Assessed by the end: A, B, G, I, J, K (D was assessed at the very instant it ended).
    expect(pairs(current).contracts_risk_assessed).toEqual([6, 9]);
    expect(pairs(previous).contracts_risk_assessed).toEqual([2, 9]); // A, B, C, D, E, F, I, J, K; A and E assessed
    expect(current.period.id).toBe("2025-26");
    expect(previous.period.id).toBe("2024-25");
  });

  it("are measured by annual value in whole pounds, rounded half up", async () => {
    const { current, previous } = await programmeKpis(t.db, dpw, query());
    expect(kpi(current, "contracts_risk_assessed_value")).toMatchObject({ unit: "£", numerator: 550_001, denominator: 950_001, percent: 58 });
    expect(pairs(previous).contracts_risk_assessed_value).toEqual([200_000, 950_001]);
  });

  it("say how many risk-assessed contracts are a priority, under the department's threshold", async () => {
    const { current, previous } = await programmeKpis(t.db, dpw, query());
    expect(kpi(current, "priority_contracts")).toMatchObject({ numerator: 5, denominator: 6, percent: 83 }); // A, G, I, J, K
    expect(pairs(previous).priority_contracts).toEqual([2, 2]); // A, E
    const strict = await programmeKpis(t.db, dpw, query(), { ...DEFAULT_TIER_THRESHOLDS, priorityThreshold: 6 });
    expect(pairs(strict.current).priority_contracts).toEqual([1, 6]); // I
  });
});

describe("priority suppliers", () => {
  it("invited: an invitation made before the period's end and not cancelled before it", async () => {
    const { current, previous } = await programmeKpis(t.db, dpw, query());
    // A (invited in 2024), K (cancelled only after the period); not I (cancelled in it), J (invited after it), G (never).
    expect(kpi(current, "priority_suppliers_invited")).toMatchObject({ numerator: 2, denominator: 5, percent: 40, goal: 90, met: false });
    expect(pairs(previous).priority_suppliers_invited).toEqual([1, 2]); // A of A, E
  });

  it("submitted: by the invitation's assessment, or any submission the supplier shares with the department, before the end", async () => {
    const { current, previous } = await programmeKpis(t.db, dpw, query());
    // A (its invitation's assessment), G (shared by its supplier), J (shared); not I (shared with another department, or revoked), K (no supplier).
    expect(pairs(current).priority_suppliers_submitted).toEqual([3, 5]);
    expect(pairs(previous).priority_suppliers_submitted).toEqual([1, 2]);
  });

  it("completed: the assessment completed before the period's end", async () => {
    const { current, previous } = await programmeKpis(t.db, dpw, query());
    // A (last response in May 2025), G (nothing to respond to); not J (completed after the period).
    expect(pairs(current).priority_suppliers_completed).toEqual([2, 5]);
    expect(pairs(previous).priority_suppliers_completed).toEqual([0, 2]); // A completed only in May 2025
  });
});

describe("follow-up", () => {
  it("follow_up_held: suppliers counted in the period whose result called for follow-up, with a finished conversation of the department", async () => {
    const { current, previous } = await programmeKpis(t.db, dpw, query());
    // s2 (followed up after the period), s5 (awaiting responses: completed or not plays no part) and s4 (only a draft
    // here; the other department's conversation does not count); not s3 (share revoked), nor s4's submission after the period.
    expect(kpi(current, "follow_up_held")).toMatchObject({ numerator: 2, denominator: 3, percent: 67, goal: 100, met: false });
    expect(kpi(previous, "follow_up_held")).toMatchObject({ numerator: 1, denominator: 1, percent: 100, met: true }); // s1
  });

  it("actions_closed: actions of conversations finished in the period that are done, cancelled ones left out", async () => {
    const { current, previous } = await programmeKpis(t.db, dpw, query());
    // s5's conversation: 8 actions, one cancelled, one open; s1's conversation finished at 00:30 on 1 April 2025 (UK): one done.
    expect(kpi(current, "actions_closed")).toMatchObject({ numerator: 7, denominator: 8, percent: 88 });
    // s1's conversation finished at 23:30 on 31 March 2025 (UK): one of two done.
    expect(pairs(previous).actions_closed).toEqual([1, 2]);
  });

  it("actions_closed_on_time: done on or before the due date, as a UK date, by the update that set it done", async () => {
    const { current, previous } = await programmeKpis(t.db, dpw, query());
    // On time: a1, a4 (23:30 GMT on its due date), a8 (first done), s1's; late: a2, a3 (00:30 BST the day after), a7 (done again after reopening).
    expect(kpi(current, "actions_closed_on_time")).toMatchObject({ numerator: 4, denominator: 7, percent: 57 });
    expect(pairs(previous).actions_closed_on_time).toEqual([1, 1]);
  });

  it("answers_verified: answers seen with evidence or verified, of the answers of the conversations finished in the period", async () => {
    const rows = await t.db.selectFrom("conversation").select(["assessment_id", "finished_at"]).where("organisation_id", "=", dpw).where("status", "=", "finished").execute();
    const answersOf = (from: string, to: string) => rows.filter((r) => r.finished_at! >= from && r.finished_at! < to).reduce((n, r) => n + answerCount[r.assessment_id]!, 0);
    const previousPeriod = periodStarting(2024);
    expect(answersOf(PERIOD.start, PERIOD.end)).toBeGreaterThan(10);
    const { current, previous } = await programmeKpis(t.db, dpw, query());
    expect(pairs(current).answers_verified).toEqual([4, answersOf(PERIOD.start, PERIOD.end)]); // s5: 3, s1: 1
    expect(pairs(previous).answers_verified).toEqual([2, answersOf(previousPeriod.start, previousPeriod.end)]);
  });
});

describe("filters", () => {
  it("by category: the contracts in it, and the follow-up of suppliers holding one", async () => {
    const { current } = await programmeKpis(t.db, dpw, query({ category: "Catering" }));
    const p = pairs(current);
    expect(p.contracts_risk_assessed).toEqual([1, 1]); // B
    expect(p.contracts_risk_assessed_value).toEqual([50_001, 50_001]);
    expect(p.priority_contracts).toEqual([0, 1]);
    expect(p.priority_suppliers_invited).toEqual([0, 0]);
    expect(kpi(current, "priority_suppliers_invited")).toMatchObject({ percent: null, goal: 90, met: null });
    // B's supplier is s5: its conversation only.
    expect(p.follow_up_held).toEqual([1, 1]);
    expect(p.actions_closed).toEqual([6, 7]);
    expect(p.actions_closed_on_time).toEqual([3, 6]);
    expect(p.answers_verified).toEqual([3, answerCount[(await t.db.selectFrom("assessment").select("id").where("organisation_id", "=", suppliers.s5!.orgId).executeTakeFirstOrThrow()).id]]);
  });

  it("by tier (a tier set by hand wins) and by priority (as the register shows it now)", async () => {
    const gold = pairs((await programmeKpis(t.db, dpw, query({ tier: "gold" }))).current);
    expect(gold.contracts_risk_assessed).toEqual([0, 1]); // C
    expect(gold.actions_closed).toEqual([0, 0]); // C has no supplier in Lantern
    const bronze = pairs((await programmeKpis(t.db, dpw, query({ tier: "bronze" }))).current);
    expect(bronze.contracts_risk_assessed).toEqual([6, 8]);
    const priority = pairs((await programmeKpis(t.db, dpw, query({ priorityOnly: true }))).current);
    expect(priority.contracts_risk_assessed).toEqual([5, 6]); // A, D, G, I, J, K; D assessed only at the end
    expect(priority.priority_suppliers_submitted).toEqual([3, 5]);
    expect(priority.follow_up_held).toEqual([1, 2]); // s2 and s4 hold priority contracts
  });
});

describe("another department", () => {
  it("has its own figures, and none of them count for this one", async () => {
    const { current } = await programmeKpis(t.db, nhs, query());
    const p = pairs(current);
    expect(p.contracts_risk_assessed).toEqual([1, 2]);
    expect(p.priority_suppliers_invited).toEqual([1, 1]);
    expect(p.priority_suppliers_submitted).toEqual([1, 1]); // s1's submission, shared with it too
    expect(p.follow_up_held).toEqual([1, 1]); // s4, its own conversation; s3's Medium result called for none
    expect(p.actions_closed).toEqual([1, 1]);
    expect(p.answers_verified[0]).toBe(3);
  });

  it("a department with no records has no percentages at all", async () => {
    const empty = newId();
    await t.db.insertInto("organisation").values({ id: empty, name: "Empty Office", kind: "buyer", slug: "empty-office", company_number: null, country: null, created_at: NOW.toISOString() }).execute();
    const { current, previous } = await programmeKpis(t.db, empty, query());
    for (const figures of [current, previous]) {
      expect(figures.kpis.map((k) => k.id)).toEqual(["contracts_risk_assessed", "contracts_risk_assessed_value", "priority_contracts", "priority_suppliers_invited", "priority_suppliers_submitted", "priority_suppliers_completed", "follow_up_held", "actions_closed", "actions_closed_on_time", "answers_verified"]);
      for (const k of figures.kpis) expect(k).toMatchObject({ numerator: 0, denominator: 0, percent: null, met: null });
    }
  });
});

describe("goals", () => {
  it("are the defaults until the department saves its own", async () => {
    expect(await readGoals(t.db, dpw)).toEqual(DEFAULT_GOALS);
    const { current } = await programmeKpis(t.db, dpw, query());
    expect(current.kpis.map((k) => k.goal)).toEqual([null, null, null, 90, 90, 90, 100, null, null, null]);
    expect(await goalsPage(dpwAnalyst)).toEqual({ goals: DEFAULT_GOALS, saved: false, canEdit: false });
  });

  it("are saved by an administrator, creating the settings with the default thresholds, with an audit row per change", async () => {
    expect(await t.db.selectFrom("department_settings").select("organisation_id").where("organisation_id", "=", dpw).executeTakeFirst()).toBeUndefined();
    const input = { contracts_risk_assessed: "60", priority_suppliers_invited: "", priority_suppliers_submitted: "90", priority_suppliers_completed: "75%", follow_up_held: "100" };
    expect(await saveGoals(dpwAdmin, input, NOW)).toEqual({ ok: true, goals: { contracts_risk_assessed: 60, priority_suppliers_submitted: 90, priority_suppliers_completed: 75, follow_up_held: 100 } });
    expect(await tierThresholds(dpw)).toEqual({ ...DEFAULT_TIER_THRESHOLDS, priorityThreshold: 4 });
    const audit = await t.db.selectFrom("audit_log").select(["user_id", "entity", "entity_id", "field", "old_value", "new_value"]).where("entity", "=", "department_settings").where("entity_id", "=", dpw).orderBy("id").execute();
    expect(audit).toEqual([
      { user_id: dpwAdmin.id, entity: "department_settings", entity_id: dpw, field: "kpi_goals.contracts_risk_assessed", old_value: null, new_value: "60" },
      { user_id: dpwAdmin.id, entity: "department_settings", entity_id: dpw, field: "kpi_goals.priority_suppliers_invited", old_value: "90", new_value: null },
      { user_id: dpwAdmin.id, entity: "department_settings", entity_id: dpw, field: "kpi_goals.priority_suppliers_completed", old_value: "90", new_value: "75" },
    ]);
    const { current } = await programmeKpis(t.db, dpw, query());
    expect(kpi(current, "contracts_risk_assessed")).toMatchObject({ percent: 67, goal: 60, met: true });
    expect(kpi(current, "priority_suppliers_invited")).toMatchObject({ percent: 40, goal: null, met: null });
    expect(kpi(current, "priority_suppliers_completed")).toMatchObject({ percent: 40, goal: 75, met: false });
    expect(await goalsPage(dpwAdmin)).toMatchObject({ saved: true, canEdit: true });
  });

  it("keep a department's own thresholds when saved", async () => {
    await t.db.insertInto("department_settings").values({ organisation_id: nhs, gold_above_pence: 1_000_00, bronze_below_pence: 10_00, priority_threshold: 2, kpi_goals: null, updated_at: NOW.toISOString() }).execute();
    const nhsAdminId = newId();
    await t.db.insertInto("user").values({ id: nhsAdminId, organisation_id: nhs, email: "admin@nhs.example", name: "Nia Admin", role: "admin", password_hash: "x", created_at: NOW.toISOString() }).execute();
    const nhsAdmin = await userFor(t.db, "admin@nhs.example");
    expect(await saveGoals(nhsAdmin, { answers_verified: "25" }, NOW)).toMatchObject({ ok: true });
    expect(await tierThresholds(nhs)).toEqual({ goldAbovePence: 1_000_00, bronzeBelowPence: 10_00, priorityThreshold: 2 });
    expect(await readGoals(t.db, nhs)).toEqual({ answers_verified: 25 });
    expect(await readGoals(t.db, dpw)).toMatchObject({ contracts_risk_assessed: 60 }); // each department its own
  });

  it("refuse invalid input, changing nothing, and anyone but an administrator", async () => {
    const before = await t.db.selectFrom("department_settings").select("kpi_goals").where("organisation_id", "=", dpw).executeTakeFirstOrThrow();
    expect(await saveGoals(dpwAdmin, { contracts_risk_assessed: "110", actions_closed: "ninety" }, NOW)).toEqual({
      ok: false,
      errors: {
        contracts_risk_assessed: "The goal for contracts risk-assessed must be from 0 to 100",
        actions_closed: "Enter the goal for agreed actions done as a whole number from 0 to 100, like 90, or leave it blank for no goal",
      },
    });
    await expect(saveGoals(dpwAnalyst, { actions_closed: "50" }, NOW)).rejects.toMatchObject({ init: { status: 403 } });
    await expect(saveGoals(dpwManager, { actions_closed: "50" }, NOW)).rejects.toMatchObject({ init: { status: 403 } });
    await expect(saveGoals(await userFor(t.db, "admin@acme.example"), { actions_closed: "50" }, NOW)).rejects.toMatchObject({ init: { status: 403 } });
    expect(await t.db.selectFrom("department_settings").select("kpi_goals").where("organisation_id", "=", dpw).executeTakeFirstOrThrow()).toEqual(before);
  });

  it("are shown and saved through the page: administrators edit, analysts read", async () => {
    const adminCookie = await signedInCookie(t.db, "admin@dpw.example");
    const analystCookie = await signedInCookie(t.db, "analyst@dpw.example");
    const get = (cookie: string) => new Request("http://localhost/statistics/goals", { headers: { Cookie: cookie } });
    expect(await goalsLoader({ request: get(analystCookie), params: {}, context: {} })).toMatchObject({ canEdit: false, values: { contracts_risk_assessed: "60", priority_suppliers_invited: "" } });
    const invalid = (await goalsAction({ request: formRequest("/statistics/goals", adminCookie, [["contracts_risk_assessed", "12.5"]]), params: {}, context: {} })) as unknown as { init: { status: number }; data: { errors: Record<string, string> } };
    expect(invalid.init.status).toBe(400);
    expect(invalid.data.errors).toEqual({ contracts_risk_assessed: "The goal for contracts risk-assessed must be a whole number from 0 to 100, without a decimal point" });
    const fields: Array<[string, string]> = [["contracts_risk_assessed", "70"], ["follow_up_held", "95"]];
    expect(await goalsAction({ request: formRequest("/statistics/goals", adminCookie, fields), params: {}, context: {} })).toMatchObject({ done: true, values: { contracts_risk_assessed: "70", follow_up_held: "95", priority_suppliers_submitted: "" } });
    expect(await readGoals(t.db, dpw)).toEqual({ contracts_risk_assessed: 70, follow_up_held: 95 });
    await expect(goalsAction({ request: formRequest("/statistics/goals", analystCookie, fields), params: {}, context: {} })).rejects.toSatisfy((e: unknown) => (e instanceof Response ? e.status === 403 : (e as { init?: { status: number } }).init?.status === 403));
  });
});
