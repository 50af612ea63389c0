/**
 * Who counts in a department's statement statistics for a financial year: each supplier once, by
 * its latest submission made in the period among those currently shared with the department. Each
 * test builds its own department and suppliers, so its figures are exact.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../db/ids";
import { addOrganisation } from "../../db/organisations";
import { plausibleAnswers } from "../../db/seed";
import { insertSubmission } from "../../db/submissions";
import type { Answers } from "../../app/domain/answers";
import { type KpiFigure, describeFigure, kpiOutcomes, tallyKpis } from "../../app/domain/kpis";
import { type Period, parsePeriod } from "../../app/domain/periods";
import { scoreAnswers } from "../../app/domain/scoring";
import { applySkipLogic } from "../../app/domain/visibility";
import type { Questionnaire } from "../../questionnaires/format";
import { saveAnswers, startAssessment, submitAssessment } from "../../app/services/assessments.server";
import type { CurrentUser } from "../../app/services/auth.server";
import { currentQuestionnaire, questionnaireVersion } from "../../app/services/questionnaires.server";
import { shareAssessment, stopSharing } from "../../app/services/shares.server";
import { type PeriodFindings, type StatisticsQuery, findings } from "../../app/services/statistics.server";
import { createTestDb, type TestDb } from "../setup/db";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t.close());

function period(id: string): Period {
  const parsed = parsePeriod(id);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.period;
}
const P2024 = period("2024-25");
const at = (iso: string) => new Date(iso);

// ---- organisations and people ------------------------------------------------------------------

let organisations = 0;

async function newOrganisation(kind: "buyer" | "supplier", name: string): Promise<CurrentUser> {
  organisations += 1;
  const slug = `${kind}-${organisations}`;
  const added = await addOrganisation(t.db, { kind, slug, name });
  if (!added.ok) throw new Error(added.problems.join("; "));
  const user = { id: newId(), email: `admin@${slug}.example`, name: `Admin of ${name}` };
  await t.db
    .insertInto("user")
    .values({ ...user, organisation_id: added.id, role: "admin", password_hash: "not-used", created_at: "2024-01-01T00:00:00.000Z" })
    .execute();
  return { ...user, role: "admin", organisationId: added.id, organisationName: name, organisationKind: kind, sessionId: "unused" };
}

const newDepartment = async (name = "Department") => (await newOrganisation("buyer", name)).organisationId;
const newSupplier = (name = "Supplier Ltd") => newOrganisation("supplier", name);

// ---- answers whose KPI outcomes are known ------------------------------------------------------

/**
 * Complete answers that differ only in supply-chain mapping, so the two mapping KPIs tell which
 * submission counted:
 *   unmapped: supply_chain_mapped 1 (denominator only), mapped_tier2_plus 0 (outside)
 *   tier1:    supply_chain_mapped 2 (numerator),        mapped_tier2_plus 1
 *   deep:     supply_chain_mapped 2,                    mapped_tier2_plus 2
 */
type Mapping = "unmapped" | "tier1" | "deep";

function answersFor(qn: Questionnaire, mapping: Mapping): Answers {
  const chosen: Answers =
    mapping === "unmapped" ? { "mapping.has_mapped": "no" } : { "mapping.has_mapped": "yes", "mapping.deepest_tier": mapping === "tier1" ? "tier1" : "tier3_plus" };
  return applySkipLogic(qn, { ...plausibleAnswers(qn, 1), ...chosen }).answers;
}

/** Submit an assessment as the supplier would, at a given instant; returns the assessment id. */
async function submit(supplier: CurrentUser, when: Date, mapping: Mapping): Promise<string> {
  const id = await startAssessment(supplier, when);
  const stored = await t.db.selectFrom("answer").select(["question_id", "revision"]).where("assessment_id", "=", id).execute();
  const revisions = new Map(stored.map((a) => [a.question_id, a.revision]));
  const answers = answersFor(currentQuestionnaire(), mapping);
  const changes = Object.entries(answers).map(([questionId, value]) => ({ questionId, value, baseRevision: revisions.get(questionId) ?? 0 }));
  expect(await saveAnswers(supplier, id, changes, when)).toMatchObject({ ok: true });
  // Answers carried over from the last submission await confirmation where they are still asked.
  const { visible } = applySkipLogic(currentQuestionnaire(), answers);
  const carried = await t.db.selectFrom("answer").select(["question_id", "value", "revision"]).where("assessment_id", "=", id).where("prefilled", "=", 1).execute();
  const waiting = carried.filter((a) => visible.has(a.question_id));
  if (waiting.length > 0) {
    expect(await saveAnswers(supplier, id, waiting.map((a) => ({ questionId: a.question_id, value: JSON.parse(a.value), baseRevision: a.revision })), when)).toMatchObject({ ok: true });
  }
  expect(await submitAssessment(supplier, id, when)).toMatchObject({ ok: true });
  return id;
}

async function share(supplier: CurrentUser, assessmentId: string, departmentId: string, when = at("2025-06-01T09:00:00Z")) {
  expect(await shareAssessment(supplier, assessmentId, departmentId, when)).toMatchObject({ ok: true });
}

async function revoke(supplier: CurrentUser, assessmentId: string, departmentId: string, when = at("2025-06-02T09:00:00Z")) {
  expect(await stopSharing(supplier, assessmentId, departmentId, true, when)).toMatchObject({ ok: true });
}

/** Submit and share with each department named; returns the assessment id. */
async function submitShared(supplier: CurrentUser, when: string, mapping: Mapping, ...departments: string[]): Promise<string> {
  const id = await submit(supplier, at(when), mapping);
  for (const department of departments) await share(supplier, id, department);
  return id;
}

/**
 * A submission written as an import would write it: on any questionnaire (an older version, or a
 * fixture), with the overall score given when a test needs exact scores. Returns the assessment id.
 */
async function insertSubmitted(supplier: CurrentUser, qn: Questionnaire, when: string, mapping: Mapping, overall?: number): Promise<string> {
  const assessmentId = newId();
  await t.db
    .insertInto("assessment")
    .values({
      id: assessmentId,
      organisation_id: supplier.organisationId,
      questionnaire_id: qn.id,
      questionnaire_version: qn.version,
      status: "submitted",
      previous_submission_id: null,
      created_by: supplier.id,
      created_at: when,
      updated_at: when,
    })
    .execute();
  const answers = answersFor(qn, mapping);
  const result = scoreAnswers(qn, answers);
  await insertSubmission(t.db, {
    id: newId(),
    assessmentId,
    organisationId: supplier.organisationId,
    qn,
    answers,
    result: overall === undefined ? result : { ...result, overall },
    context: {},
    submittedBy: supplier.id,
    createdAt: when,
    source: "import",
  });
  return assessmentId;
}

// ---- reading the figures -----------------------------------------------------------------------

function stats(departmentId: string, query: Partial<StatisticsQuery> = {}) {
  return findings(t.db, departmentId, { period: P2024, filters: {}, smallNumbers: true, ...query });
}

type Shown = Pick<KpiFigure, "numerator" | "denominator" | "notAsked" | "outside" | "percent" | "tooFew">;

function figure(found: PeriodFindings, kpiId: string): Shown {
  const f = found.figures.find((x) => x.id === kpiId);
  if (!f) throw new Error(`no figure for ${kpiId}: ${found.figures.map((x) => x.id).join(", ")}`);
  return { numerator: f.numerator, denominator: f.denominator, notAsked: f.notAsked, outside: f.outside, percent: f.percent, tooFew: f.tooFew };
}

const shown = (numerator: number, denominator: number, percent: number | null, more: Partial<Shown> = {}): Shown => ({
  numerator,
  denominator,
  notAsked: 0,
  outside: 0,
  percent,
  tooFew: false,
  ...more,
});

/** The two mapping KPIs, which tell which submissions counted. */
const mapping = (found: PeriodFindings) => ({ mapped: figure(found, "supply_chain_mapped"), tier2: figure(found, "mapped_tier2_plus") });

// ---- who counts --------------------------------------------------------------------------------

describe("who counts in a department's statistics", () => {
  it("never counts a draft, even one whose answers are complete", async () => {
    const department = await newDepartment();
    const draftOnly = await newSupplier("Draft Only Ltd");
    const draftId = await startAssessment(draftOnly, at("2024-06-01T09:00:00Z"));
    const answers = answersFor(currentQuestionnaire(), "deep");
    expect(await saveAnswers(draftOnly, draftId, Object.entries(answers).map(([questionId, value]) => ({ questionId, value, baseRevision: 0 })), at("2024-06-01T09:00:00Z"))).toMatchObject({ ok: true });
    // A draft cannot be shared; a share row written behind the app's back still adds nothing.
    await t.db
      .insertInto("assessment_share")
      .values({ id: newId(), assessment_id: draftId, supplier_organisation_id: draftOnly.organisationId, buyer_organisation_id: department, shared_by: draftOnly.id, shared_at: "2024-06-01T09:00:00.000Z", invitation_id: null, revoked_at: null, revoked_by: null })
      .execute();

    // A supplier with a shared submission and a better draft under way counts by the submission.
    const redrafting = await newSupplier("Redrafting Ltd");
    await submitShared(redrafting, "2024-05-01T09:00:00Z", "unmapped", department);
    const redraft = await startAssessment(redrafting, at("2024-09-01T09:00:00Z"));
    const revisions = new Map((await t.db.selectFrom("answer").select(["question_id", "revision"]).where("assessment_id", "=", redraft).execute()).map((a) => [a.question_id, a.revision]));
    expect(await saveAnswers(redrafting, redraft, Object.entries(answers).map(([questionId, value]) => ({ questionId, value, baseRevision: revisions.get(questionId) ?? 0 })), at("2024-09-01T09:00:00Z"))).toMatchObject({ ok: true });

    const { current, previous } = await stats(department);
    expect(current.suppliers).toBe(1);
    expect(mapping(current)).toEqual({ mapped: shown(0, 1, 0), tier2: shown(0, 0, null, { outside: 1 }) });
    expect(previous.suppliers).toBe(0);
  });

  it("counts a submission only in the period it was made in: one before counts in the previous period's figures, one after in neither", async () => {
    const department = await newDepartment();
    const before = await newSupplier("Before Ltd");
    await submitShared(before, "2023-10-01T09:00:00Z", "deep", department);
    const after = await newSupplier("After Ltd");
    await submitShared(after, "2025-06-01T09:00:00Z", "deep", department);
    const both = await newSupplier("Both Years Ltd");
    await submitShared(both, "2023-11-01T09:00:00Z", "unmapped", department);
    await submitShared(both, "2024-10-01T09:00:00Z", "tier1", department);
    // A later submission made after the period does not displace the one made in it.
    const laterOutside = await newSupplier("Later Outside Ltd");
    await submitShared(laterOutside, "2024-07-01T09:00:00Z", "deep", department);
    await submitShared(laterOutside, "2025-05-01T09:00:00Z", "unmapped", department);

    const { current, previous } = await stats(department);
    expect(current.period.id).toBe("2024-25");
    expect(current.suppliers).toBe(2); // Both Years (tier1), Later Outside (deep)
    expect(mapping(current)).toEqual({ mapped: shown(2, 2, 100), tier2: shown(1, 2, 50) });
    expect(previous.period.id).toBe("2023-24");
    expect(previous.suppliers).toBe(2); // Before (deep), Both Years (unmapped)
    expect(mapping(previous)).toEqual({ mapped: shown(1, 2, 50), tier2: shown(1, 1, 100, { outside: 1 }) });

    const next = await stats(department, { period: period("2025-26") });
    expect(next.current.suppliers).toBe(2); // After (deep), Later Outside (unmapped)
    expect(mapping(next.current)).toEqual({ mapped: shown(1, 2, 50), tier2: shown(1, 1, 100, { outside: 1 }) });
    expect(next.previous).toEqual(current);
  });

  it("puts a submission at 00:00 BST on 1 April in the year starting then, and one a millisecond earlier in the year before", async () => {
    const department = await newDepartment();
    const firstInstant = await newSupplier("First Instant Ltd");
    await submitShared(firstInstant, "2024-03-31T23:00:00.000Z", "deep", department);
    const justBefore = await newSupplier("Just Before Ltd");
    await submitShared(justBefore, "2024-03-31T22:59:59.999Z", "unmapped", department);
    const lastInstant = await newSupplier("Last Instant Ltd");
    await submitShared(lastInstant, "2025-03-31T22:59:59.999Z", "tier1", department);
    const justAfter = await newSupplier("Just After Ltd");
    await submitShared(justAfter, "2025-03-31T23:00:00.000Z", "unmapped", department);

    const { current, previous } = await stats(department);
    expect(current.suppliers).toBe(2); // First Instant (deep), Last Instant (tier1)
    expect(mapping(current)).toEqual({ mapped: shown(2, 2, 100), tier2: shown(1, 2, 50) });
    expect(previous.suppliers).toBe(1); // Just Before (unmapped)
    expect(mapping(previous)).toEqual({ mapped: shown(0, 1, 0), tier2: shown(0, 0, null, { outside: 1 }) });

    const next = await stats(department, { period: period("2025-26") });
    expect(next.current.suppliers).toBe(1); // Just After (unmapped)
    expect(mapping(next.current)).toEqual({ mapped: shown(0, 1, 0), tier2: shown(0, 0, null, { outside: 1 }) });
    expect(next.previous.suppliers).toBe(2);
  });

  it("counts a supplier with two submissions in the period once, by the latest", async () => {
    const department = await newDepartment();
    const gotWorse = await newSupplier("Got Worse Ltd");
    await submitShared(gotWorse, "2024-05-01T09:00:00Z", "deep", department);
    await submitShared(gotWorse, "2025-02-01T09:00:00Z", "unmapped", department);
    const gotBetter = await newSupplier("Got Better Ltd");
    await submitShared(gotBetter, "2024-05-01T09:00:00Z", "unmapped", department);
    await submitShared(gotBetter, "2025-02-01T09:00:00Z", "deep", department);

    const { current } = await stats(department);
    expect(current.suppliers).toBe(2);
    expect(current.versions).toEqual([{ questionnaire: "msat", version: currentQuestionnaire().version, suppliers: 2 }]);
    expect(mapping(current)).toEqual({ mapped: shown(1, 2, 50), tier2: shown(1, 1, 100, { outside: 1 }) });
  });

  it("takes a submission whose share was revoked out of every period", async () => {
    const department = await newDepartment();
    const leaving = await newSupplier("Leaving Ltd");
    const older = await submitShared(leaving, "2023-06-01T09:00:00Z", "tier1", department);
    const newer = await submitShared(leaving, "2024-06-01T09:00:00Z", "deep", department);
    const staying = await newSupplier("Staying Ltd");
    await submitShared(staying, "2024-06-01T09:00:00Z", "unmapped", department);

    const shared = await stats(department);
    expect([shared.current.suppliers, shared.previous.suppliers]).toEqual([2, 1]);

    await revoke(leaving, newer, department);
    await revoke(leaving, older, department);
    const { current, previous } = await stats(department);
    expect(current.suppliers).toBe(1);
    expect(mapping(current)).toEqual({ mapped: shown(0, 1, 0), tier2: shown(0, 0, null, { outside: 1 }) });
    expect(previous.suppliers).toBe(0);
    expect((await stats(department, { period: period("2025-26") })).previous).toEqual(current);
    expect((await stats(department, { period: period("2023-24") })).current.suppliers).toBe(0);
  });

  it("counts the supplier's earlier submission still shared in the period when its latest is revoked, and the latest again once re-shared", async () => {
    const department = await newDepartment();
    const supplier = await newSupplier("Second Thoughts Ltd");
    await submitShared(supplier, "2024-05-01T09:00:00Z", "unmapped", department);
    const latest = await submitShared(supplier, "2024-11-01T09:00:00Z", "deep", department);

    expect(mapping((await stats(department)).current)).toEqual({ mapped: shown(1, 1, 100), tier2: shown(1, 1, 100) });

    await revoke(supplier, latest, department);
    const revoked = (await stats(department)).current;
    expect(revoked.suppliers).toBe(1);
    expect(mapping(revoked)).toEqual({ mapped: shown(0, 1, 0), tier2: shown(0, 0, null, { outside: 1 }) });

    await share(supplier, latest, department, at("2025-06-03T09:00:00Z"));
    expect(mapping((await stats(department)).current)).toEqual({ mapped: shown(1, 1, 100), tier2: shown(1, 1, 100) });
  });

  it("does not count a submission shared with another department only", async () => {
    const department = await newDepartment("Ours");
    const other = await newDepartment("Theirs");
    const theirsOnly = await newSupplier("Theirs Only Ltd");
    await submitShared(theirsOnly, "2024-06-01T09:00:00Z", "deep", other);
    const withBoth = await newSupplier("With Both Ltd");
    await submitShared(withBoth, "2024-06-01T09:00:00Z", "unmapped", department, other);
    // Shared with both, then withdrawn from ours only.
    const withdrawn = await newSupplier("Withdrawn From Ours Ltd");
    const withdrawnId = await submitShared(withdrawn, "2024-06-01T09:00:00Z", "tier1", department, other);
    await revoke(withdrawn, withdrawnId, department);

    const ours = (await stats(department)).current;
    expect(ours.suppliers).toBe(1);
    expect(mapping(ours)).toEqual({ mapped: shown(0, 1, 0), tier2: shown(0, 0, null, { outside: 1 }) });
    const theirs = (await stats(other)).current;
    expect(theirs.suppliers).toBe(3);
    expect(mapping(theirs)).toEqual({ mapped: shown(2, 3, 67), tier2: shown(1, 2, 50, { outside: 1 }) });
  });
});

// ---- questionnaire versions --------------------------------------------------------------------

describe("submissions on different questionnaire versions", () => {
  const v10 = questionnaireVersion("msat", "1.0.0")!;
  const v11 = questionnaireVersion("msat", "1.1.0")!;
  /** The KPIs 1.1 asks and 1.0 does not, as the files stand. */
  const onlyIn11 = v11.kpis.filter((k) => !v10.kpis.some((old) => old.id === k.id));
  /** One more KPI neither file has, on a copy of 1.1, so the figures below are known exactly whatever the files say. */
  const addedKpi: Questionnaire["kpis"][number] = {
    id: "fixture_mapped_tier3_plus",
    title: "Of those who mapped, mapped to their third tier or beyond",
    theme: "supply chain mapping",
    numerator: { q: "mapping.deepest_tier", equals: "tier3_plus" },
    denominator: { q: "mapping.has_mapped", equals: "yes" },
  };
  const newer: Questionnaire = { ...v11, kpis: [...v11.kpis, addedKpi] };

  it("leaves a submission whose version lacks a KPI out of its denominator, counted as not asked; a KPI both versions have counts both", async () => {
    const department = await newDepartment();
    const onOld = await newSupplier("Old Version Ltd");
    await share(onOld, await insertSubmitted(onOld, v10, "2024-06-01T09:00:00.000Z", "deep"), department);
    const answered: Mapping[] = ["deep", "tier1", "unmapped"];
    for (const m of answered) {
      const supplier = await newSupplier(`New Version ${m} Ltd`);
      await share(supplier, await insertSubmitted(supplier, newer, "2024-07-01T09:00:00.000Z", m), department);
    }

    const { current, definitions } = await stats(department);
    expect(current.suppliers).toBe(4);
    expect(current.versions).toEqual([
      { questionnaire: "msat", version: "1.1.0", suppliers: 3 },
      { questionnaire: "msat", version: "1.0.0", suppliers: 1 },
    ]);
    // In both versions: the old deep, the new deep and the new tier1 mapped; the new unmapped did not.
    expect(figure(current, "supply_chain_mapped")).toEqual(shown(3, 4, 75));
    expect(figure(current, "mapped_tier2_plus")).toEqual(shown(2, 3, 67, { outside: 1 }));
    for (const kpi of v10.kpis) expect(figure(current, kpi.id).notAsked).toBe(0);

    // Only the newer version asks it: the old submission is not asked; new deep yes, new tier1 no, new unmapped outside.
    expect(figure(current, addedKpi.id)).toEqual(shown(1, 2, 50, { notAsked: 1, outside: 1 }));
    expect(definitions.find((d) => d.id === addedKpi.id)).toMatchObject({ title: addedKpi.title, ofThose: true });

    // The same for each KPI 1.1 itself adds, with the outcomes the newer version gives the answers.
    const outcomes = answered.map((m) => kpiOutcomes(newer, answersFor(newer, m)));
    for (const kpi of onlyIn11) {
      const expected = tallyKpis([kpi.id], outcomes).get(kpi.id)!;
      expect(figure(current, kpi.id)).toMatchObject({ ...expected, notAsked: 1 });
      expect(definitions.find((d) => d.id === kpi.id)).toMatchObject({ title: kpi.title });
    }
  });
});

// ---- small numbers -----------------------------------------------------------------------------

describe("small numbers", () => {
  it("shows too few to report below 5 in the denominator, and the numbers when small numbers are asked for", async () => {
    const department = await newDepartment();
    for (const m of ["deep", "deep", "tier1", "unmapped"] as Mapping[]) await submitShared(await newSupplier(), "2024-06-01T09:00:00Z", m, department);

    const withheld = (await stats(department, { smallNumbers: false })).current;
    expect(mapping(withheld)).toEqual({ mapped: shown(3, 4, null, { tooFew: true }), tier2: shown(2, 3, null, { outside: 1, tooFew: true }) });
    expect(describeFigure(withheld.figures.find((f) => f.id === "supply_chain_mapped")!)).toBe("Too few to report (3 of 4)");

    const small = (await stats(department, { smallNumbers: true })).current;
    expect(mapping(small)).toEqual({ mapped: shown(3, 4, 75), tier2: shown(2, 3, 67, { outside: 1 }) });

    await submitShared(await newSupplier(), "2024-06-01T09:00:00Z", "unmapped", department);
    const five = (await stats(department, { smallNumbers: false })).current;
    expect(mapping(five)).toEqual({ mapped: shown(3, 5, 60), tier2: shown(2, 3, null, { outside: 2, tooFew: true }) });
  });
});

// ---- score change ------------------------------------------------------------------------------

describe("change in overall score", () => {
  const qn = () => currentQuestionnaire();

  it("averages each counted supplier's change against its previous submission shared with the department", async () => {
    const department = await newDepartment();
    const other = await newDepartment("Elsewhere");
    const steady = await newSupplier("Steady Ltd");
    await share(steady, await insertSubmitted(steady, qn(), "2022-05-01T09:00:00.000Z", "deep", 68.0), department);
    await share(steady, await insertSubmitted(steady, qn(), "2023-05-01T09:00:00.000Z", "deep", 70.0), department);
    await share(steady, await insertSubmitted(steady, qn(), "2024-06-01T09:00:00.000Z", "deep", 72.5), department); // +2.5
    // Its middle submission is no longer shared: the change is against the one before it.
    const skipped = await newSupplier("Skipped Ltd");
    await share(skipped, await insertSubmitted(skipped, qn(), "2022-05-01T09:00:00.000Z", "deep", 50.0), department);
    const middle = await insertSubmitted(skipped, qn(), "2023-05-01T09:00:00.000Z", "deep", 90.0);
    await share(skipped, middle, department);
    await revoke(skipped, middle, department);
    await share(skipped, await insertSubmitted(skipped, qn(), "2024-06-01T09:00:00.000Z", "deep", 55.0), department); // +5.0
    // Its earlier submission went to another department only: nothing to compare with here.
    const elsewhere = await newSupplier("Elsewhere First Ltd");
    await share(elsewhere, await insertSubmitted(elsewhere, qn(), "2023-05-01T09:00:00.000Z", "deep", 40.0), other);
    await share(elsewhere, await insertSubmitted(elsewhere, qn(), "2024-06-01T09:00:00.000Z", "deep", 80.0), department);
    // A first submission has nothing to compare with.
    const newcomer = await newSupplier("Newcomer Ltd");
    await share(newcomer, await insertSubmitted(newcomer, qn(), "2024-06-01T09:00:00.000Z", "deep", 65.0), department);
    // Two in the period: the latest against the one before it, even in the same period.
    const twice = await newSupplier("Twice Ltd");
    await share(twice, await insertSubmitted(twice, qn(), "2024-05-01T09:00:00.000Z", "deep", 60.0), department);
    await share(twice, await insertSubmitted(twice, qn(), "2024-12-01T09:00:00.000Z", "deep", 64.4), department); // +4.4
    // A submission after the period is no previous submission, and changes nothing here.
    await share(twice, await insertSubmitted(twice, qn(), "2025-05-01T09:00:00.000Z", "deep", 10.0), department);

    const { current, previous } = await stats(department);
    expect(current.suppliers).toBe(5);
    // (2.5 + 5.0 + 4.4) / 3 = 3.9666…
    expect(current.scoreChange).toEqual({ suppliers: 3, averageChange: 4 });
    // 2023-24: Steady (70.0 against 68.0) only; Skipped's 2023 submission is no longer shared.
    expect(previous.suppliers).toBe(1);
    expect(previous.scoreChange).toEqual({ suppliers: 1, averageChange: 2 });
  });

  it("rounds the average change half up to one decimal place, working in exact tenths", async () => {
    const department = await newDepartment();
    const pairs: Array<[number, number]> = [
      [70.0, 70.1],
      [60.0, 60.0],
    ];
    for (const [before, after] of pairs) {
      const supplier = await newSupplier();
      await share(supplier, await insertSubmitted(supplier, qn(), "2023-05-01T09:00:00.000Z", "deep", before), department);
      await share(supplier, await insertSubmitted(supplier, qn(), "2024-06-01T09:00:00.000Z", "deep", after), department);
    }
    // (0.1 + 0.0) / 2 = 0.05, which rounds half up to 0.1.
    expect((await stats(department)).current.scoreChange).toEqual({ suppliers: 2, averageChange: 0.1 });

    // Three falls that average to a fall of 0.0333… read as no change: 0, not −0.
    const falling = await newDepartment();
    const falls: Array<[number, number]> = [
      [70.1, 70.0],
      [60.0, 60.0],
      [50.0, 50.0],
    ];
    for (const [before, after] of falls) {
      const supplier = await newSupplier();
      await share(supplier, await insertSubmitted(supplier, qn(), "2023-05-01T09:00:00.000Z", "deep", before), falling);
      await share(supplier, await insertSubmitted(supplier, qn(), "2024-06-01T09:00:00.000Z", "deep", after), falling);
    }
    const change = (await stats(falling)).current.scoreChange;
    expect(change.suppliers).toBe(3);
    expect(Object.is(change.averageChange, 0)).toBe(true);
  });
});

// ---- filters -----------------------------------------------------------------------------------

describe("filters", () => {
  const POUNDS_MILLION = 100 * 1_000_000;

  it("count only suppliers holding a contract of the department that matches every filter", async () => {
    const officer = await newOrganisation("buyer", "Department");
    const department = officer.organisationId;
    const other = await newDepartment("Other Department");
    let contracts = 0;
    async function contract(
      buyer: string,
      supplier: CurrentUser,
      c: { category: string; millions: number; override?: "gold" | "silver" | "bronze"; riskCount?: number },
    ) {
      contracts += 1;
      const now = "2024-04-01T09:00:00.000Z";
      await t.db
        .insertInto("contract")
        .values({
          id: newId(),
          organisation_id: buyer,
          reference: `C-${contracts}`,
          title: `Contract ${contracts}`,
          supplier_name: supplier.organisationName,
          supplier_company_number: null,
          supplier_country: "GB",
          supplier_organisation_id: supplier.organisationId,
          category: c.category,
          annual_value_pence: c.millions * POUNDS_MILLION,
          total_value_pence: c.millions * POUNDS_MILLION * 3,
          start_date: "2024-04-01",
          end_date: "2027-03-31",
          contract_manager_email: null,
          tier_override: c.override ?? null,
          tier_override_reason: c.override ? "Strategic supplier" : null,
          risk_indicators: c.riskCount === undefined ? null : "[]",
          risk_count: c.riskCount ?? null,
          risk_assessed_by: c.riskCount === undefined ? null : officer.id,
          risk_assessed_at: c.riskCount === undefined ? null : now,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }

    // Default thresholds: gold above £40m a year, bronze below £5m, priority at 4 risk indicators.
    const s1 = await newSupplier("Gold Facilities Ltd");
    await contract(department, s1, { category: "Facilities", millions: 50, riskCount: 5 });
    await contract(department, s1, { category: "Cleaning", millions: 1 });
    const s2 = await newSupplier("Silver Textiles Ltd");
    await contract(department, s2, { category: "Textiles", millions: 10, riskCount: 4 });
    const s3 = await newSupplier("Overridden Textiles Ltd");
    await contract(department, s3, { category: "Textiles", millions: 1, override: "gold", riskCount: 3 });
    const s4 = await newSupplier("Someone Else's Ltd");
    await contract(other, s4, { category: "Facilities", millions: 50, riskCount: 6 });
    const s5 = await newSupplier("Bronze Facilities Ltd");
    await contract(department, s5, { category: "Facilities", millions: 1 });
    const s6 = await newSupplier("No Contract Ltd");
    const chosen: Array<[CurrentUser, Mapping]> = [
      [s1, "deep"],
      [s2, "tier1"],
      [s3, "unmapped"],
      [s4, "deep"],
      [s5, "deep"],
      [s6, "unmapped"],
    ];
    for (const [supplier, m] of chosen) await submitShared(supplier, "2024-06-01T09:00:00Z", m, department);

    const counted = async (filters: StatisticsQuery["filters"]) => (await stats(department, { filters })).current.suppliers;
    expect(await counted({})).toBe(6);
    expect(await counted({ tier: "gold" })).toBe(2); // s1, s3 (override)
    expect(await counted({ tier: "silver" })).toBe(1); // s2
    expect(await counted({ tier: "bronze" })).toBe(2); // s1 (its cleaning contract), s5; not s3
    expect(await counted({ category: "Facilities" })).toBe(2); // s1, s5; s4's contract is another department's
    expect(await counted({ category: "Textiles" })).toBe(2); // s2, s3
    expect(await counted({ category: "Catering" })).toBe(0);
    expect(await counted({ priorityOnly: true })).toBe(2); // s1 (5), s2 (4, at the threshold)
    expect(await counted({ tier: "gold", category: "Textiles" })).toBe(1); // s3
    expect(await counted({ priorityOnly: true, category: "Textiles" })).toBe(1); // s2
    // s1 holds a bronze contract and a priority contract, but no contract that is both.
    expect(await counted({ priorityOnly: true, tier: "bronze" })).toBe(0);

    const gold = (await stats(department, { filters: { tier: "gold" } })).current;
    expect(mapping(gold)).toEqual({ mapped: shown(1, 2, 50), tier2: shown(1, 1, 100, { outside: 1 }) });
    expect((await stats(department, { filters: { tier: "gold" } })).previous.suppliers).toBe(0);

    // The department's own thresholds: gold above £8m, priority at 5 indicators.
    await t.db
      .insertInto("department_settings")
      .values({ organisation_id: department, gold_above_pence: 8 * POUNDS_MILLION, bronze_below_pence: 5 * POUNDS_MILLION, priority_threshold: 5, kpi_goals: null, updated_at: "2024-04-01T09:00:00.000Z" })
      .execute();
    expect(await counted({ tier: "gold" })).toBe(3); // s1, s2, s3
    expect(await counted({ tier: "silver" })).toBe(0);
    expect(await counted({ priorityOnly: true })).toBe(1); // s1
  });
});
