/**
 * Proves, by search, that every recommendation and red flag in the MSAT file can be triggered by
 * some set of valid answers that respects skip logic, and that every KPI numerator can be met.
 *
 * For a target condition we take the questions it mentions plus, transitively, the questions their
 * showIf conditions mention; give each a short list of candidate answers (every option; for lists
 * each option alone, every exclusive option, all the others together and the empty answer; numbers
 * around every threshold any condition or scoring band uses; unanswered) and try the cartesian
 * product, capped. Each candidate answer goes through validateAnswer, and only the answers that
 * applySkipLogic keeps are scored, so a witness never relies on an answer to a hidden question.
 */
import { describe, it, expect } from "vitest";
import { resolve } from "node:path";
import type { Condition, Question, Questionnaire } from "../../questionnaires/format";
import { loadQuestionnaire } from "../../questionnaires/format";
import { COUNTRIES, isCountryCode } from "../../questionnaires/countries";
import type { AnswerValue, Answers } from "../../app/domain/answers";
import { validateAnswer } from "../../app/domain/answers";
import { evaluate, referencedQuestions } from "../../app/domain/conditions";
import { allQuestions, questionIndex } from "../../app/domain/questions";
import { scoreAnswers } from "../../app/domain/scoring";
import { applySkipLogic } from "../../app/domain/visibility";
import { type Leaf, ROOT, leaves } from "./helpers";

const qn = loadQuestionnaire(resolve(ROOT, "questionnaires/msat/msat-1.0.0.yaml"));

/** Most combinations a single search may try; a search that would need more fails. */
const CAP = 20_000;



/** Every condition in the file: showIf, recommendations, red flags, KPIs. */
function allConditions(questionnaire: Questionnaire): Condition[] {
  return [
    ...allQuestions(questionnaire).flatMap((q) => (q.showIf ? [q.showIf] : [])),
    ...questionnaire.recommendations.map((r) => r.when),
    ...questionnaire.redFlags.map((f) => f.when),
    ...questionnaire.kpis.flatMap((k) => (k.denominator ? [k.numerator, k.denominator] : [k.numerator])),
  ];
}

const leavesByQuestion = new Map<string, Leaf[]>();
for (const leaf of allConditions(qn).flatMap(leaves)) if ("q" in leaf) leavesByQuestion.set(leaf.q, [...(leavesByQuestion.get(leaf.q) ?? []), leaf]);

/** Values the conditions compare a question with. */
function mentionedValues(id: string): Array<string | number> {
  return (leavesByQuestion.get(id) ?? []).flatMap((leaf) => {
    if ("equals" in leaf) return [leaf.equals];
    if ("oneOf" in leaf) return leaf.oneOf;
    if ("includes" in leaf) return [leaf.includes];
    if ("allOf" in leaf) return leaf.allOf;
    if ("lessThan" in leaf) return [leaf.lessThan];
    if ("atLeast" in leaf) return [leaf.atLeast];
    return [];
  });
}

/** Raw candidate answers for a question, before validation. */
function rawCandidates(question: Question): unknown[] {
  switch (question.type) {
    case "yesno":
      return ["yes", "no", "dont_know"]; // dont_know is dropped by validation where it is not offered
    case "single":
      return question.options.map((o) => o.value);
    case "multi": {
      const each = question.options.map((o) => [o.value]); // includes each exclusive option alone
      const others = question.options.filter((o) => !o.exclusive).map((o) => o.value);
      return [...each, others, []];
    }
    case "number":
    case "percent": {
      const thresholds = new Set<number>([0, 100]);
      for (const v of mentionedValues(question.id)) if (typeof v === "number") thresholds.add(v);
      for (const band of question.scoring ?? []) {
        if (band.min !== undefined) thresholds.add(band.min);
        if (band.max !== undefined) thresholds.add(band.max);
      }
      return [...thresholds].flatMap((t) => [t - 1, t, t + 1]);
    }
    case "country": {
      const mentioned = [...new Set(mentionedValues(question.id).map(String))];
      const other = COUNTRIES.find((c) => !mentioned.includes(c.code))!.code;
      const codes = [...mentioned, other];
      return question.multiple ? codes.map((c) => [c]) : codes;
    }
    case "text":
      return ["An example answer"];
    case "group":
      return [
        [
          Object.fromEntries(
            question.fields.map((f) => [f.id, f.type === "country" ? "GB" : f.type === "single" ? f.options![0]!.value : "Example"]),
          ),
        ],
      ];
  }
}

/** Valid, distinct candidate answers; undefined stands for "unanswered" (a blank answer validates to it too). */
function candidates(question: Question): Array<AnswerValue | undefined> {
  const out = new Map<string, AnswerValue | undefined>([["null", undefined]]);
  for (const raw of rawCandidates(question)) {
    const result = validateAnswer(question, raw, isCountryCode);
    if (!result.ok) continue; // e.g. -1 for a number, dont_know where it is not offered
    const value = result.value ?? undefined;
    out.set(JSON.stringify(value ?? null), value);
  }
  return [...out.values()];
}

/** The questions a condition depends on, with the questions their showIf depend on, in file order. */
function dependencies(conds: Condition[]): string[] {
  const index = questionIndex(qn);
  const ids = new Set<string>();
  const add = (cond: Condition) => {
    for (const id of referencedQuestions(cond)) {
      if (ids.has(id)) continue;
      ids.add(id);
      const showIf = index.get(id)?.question.showIf;
      if (showIf) add(showIf);
    }
  };
  conds.forEach(add);
  return [...ids].sort((a, b) => index.get(a)!.index - index.get(b)!.index);
}

type Search = { witness: Answers | undefined; combinations: number; tried: number; questions: string[] };

/** The first set of kept answers, over the questions `conds` depend on, for which `holds` is true. */
function search(conds: Condition[], holds: (answers: Answers) => boolean): Search {
  const index = questionIndex(qn);
  const questions = dependencies(conds);
  const lists = questions.map((id) => candidates(index.get(id)!.question));
  const combinations = lists.reduce((n, l) => n * l.length, 1);
  if (combinations > CAP) return { witness: undefined, combinations, tried: 0, questions };
  const digits = lists.map(() => 0);
  for (let tried = 1; tried <= combinations; tried++) {
    const raw: Answers = {};
    questions.forEach((id, i) => {
      const value = lists[i]![digits[i]!];
      if (value !== undefined) raw[id] = value;
    });
    const { answers } = applySkipLogic(qn, raw);
    if (holds(answers)) return { witness: answers, combinations, tried, questions };
    for (let i = digits.length - 1; i >= 0; i--) {
      digits[i]! += 1;
      if (digits[i]! < lists[i]!.length) break;
      digits[i] = 0;
    }
  }
  return { witness: undefined, combinations, tried: combinations, questions };
}

/** A witness must be a set of valid answers to visible questions only. */
function expectRespectsSkipLogic(witness: Answers) {
  expect(applySkipLogic(qn, witness).answers).toEqual(witness);
  const index = questionIndex(qn);
  for (const [id, value] of Object.entries(witness)) {
    expect(validateAnswer(index.get(id)!.question, value, isCountryCode), id).toEqual({ ok: true, value });
  }
}

const memo = new Map<string, Search>();
const memoised = (key: string, run: () => Search) => {
  if (!memo.has(key)) memo.set(key, run());
  return memo.get(key)!;
};

function recommendationSearch(id: string): Search {
  const rec = qn.recommendations.find((r) => r.id === id)!;
  return memoised(`rec:${id}`, () =>
    search([rec.when], (answers) => scoreAnswers(qn, answers).recommendations.some((r) => r.id === id)),
  );
}

function redFlagSearch(id: string): Search {
  const flag = qn.redFlags.find((f) => f.id === id)!;
  return memoised(`flag:${id}`, () => search([flag.when], (answers) => scoreAnswers(qn, answers).redFlags.some((f) => f.id === id)));
}

/** A KPI numerator within its denominator, when it has one. */
function kpiSearch(id: string): Search {
  const kpi = qn.kpis.find((k) => k.id === id)!;
  const conds = kpi.denominator ? [kpi.numerator, kpi.denominator] : [kpi.numerator];
  return memoised(`kpi:${id}`, () => search(conds, (answers) => conds.every((c) => evaluate(c, answers))));
}

describe("the search itself", () => {
  it("offers every option, list combinations and threshold values as candidates", () => {
    const index = questionIndex(qn);
    const get = (id: string) => candidates(index.get(id)!.question);
    expect(get("mapping.has_mapped")).toEqual([undefined, "yes", "no"]);
    expect(get("risk.screened_entity_lists")).toEqual([undefined, "yes", "no", "dont_know"]);
    expect(get("risk.sources")).toEqual([
      undefined,
      ["global_indices"],
      ["government_reports"],
      ["commercial_tools"],
      ["ngo_reports"],
      ["own_audits"],
      ["worker_feedback"],
      ["none"],
      ["global_indices", "government_reports", "commercial_tools", "ngo_reports", "own_audits", "worker_feedback"],
    ]);
    // lessThan 50 and bands at 0, 25, 50, 80 (and 100): values either side of each
    expect(get("training.key_staff_pct")).toEqual([undefined, 0, 1, 99, 100, 49, 50, 51, 79, 80, 81, 24, 25, 26]);
    expect(get("org.hq_country")).toContain("GB");
    expect(get("risk.delivery_countries")).toContainEqual(["CN"]);
  });

  it("takes in the questions that decide whether a mentioned question is shown", () => {
    expect(dependencies([{ q: "recruitment.monitoring_methods", answered: true }])).toEqual([
      "recruitment.uses_labour_providers",
      "recruitment.monitors_labour_providers",
      "recruitment.monitoring_methods",
    ]);
  });

  it("fails rather than report an unreachable condition as reachable", () => {
    // deepest_tier is only shown when has_mapped is yes, so "has_mapped no and a tier" cannot happen
    const impossible: Condition = { and: [{ q: "mapping.has_mapped", equals: "no" }, { q: "mapping.deepest_tier", answered: true }] };
    const result = search([impossible], (answers) => evaluate(impossible, answers));
    expect(result.witness).toBeUndefined();
    expect(result.tried).toBe(result.combinations);
    expect(result.combinations).toBe(12); // has_mapped: 3 candidates x deepest_tier: 4
  });
});

describe("every recommendation can be triggered", () => {
  it.each(qn.recommendations.map((r) => r.id))("%s", (id) => {
    const result = recommendationSearch(id);
    expect(result.combinations, `search space for ${id} over ${result.questions.join(", ")}`).toBeLessThanOrEqual(CAP);
    expect(result.witness, `no answers trigger ${id}`).toBeDefined();
    const witness = result.witness!;
    expectRespectsSkipLogic(witness);
    const triggered = scoreAnswers(qn, witness).recommendations.find((r) => r.id === id)!;
    // it is explained by answers that were given
    expect(triggered.triggeredBy.length).toBeGreaterThan(0);
    for (const t of triggered.triggeredBy) expect(witness[t.questionId]).toEqual(t.answer);
  });
});

describe("every red flag can be raised", () => {
  it.each(qn.redFlags.map((f) => f.id))("%s", (id) => {
    const result = redFlagSearch(id);
    expect(result.combinations, `search space for ${id}`).toBeLessThanOrEqual(CAP);
    expect(result.witness, `no answers raise ${id}`).toBeDefined();
    const witness = result.witness!;
    expectRespectsSkipLogic(witness);
    const score = scoreAnswers(qn, witness);
    const raised = score.redFlags.find((f) => f.id === id)!;
    expect(raised.triggeredBy.length).toBeGreaterThan(0);
    for (const t of raised.triggeredBy) expect(witness[t.questionId]).toEqual(t.answer);
    expect(score.band.id).toBe(qn.redFlagBand);
  });
});

describe("every KPI numerator can be met", () => {
  it.each(qn.kpis.map((k) => [k.id, k] as const))("%s", (id, kpi) => {
    const result = kpiSearch(id);
    expect(result.combinations, `search space for ${id}`).toBeLessThanOrEqual(CAP);
    expect(result.witness, `no answers meet ${id}`).toBeDefined();
    expectRespectsSkipLogic(result.witness!);
    // and it is not met by an empty assessment
    expect(evaluate(kpi.numerator, {})).toBe(false);
  });
});

describe("witnesses", () => {
  it("were found for all 67 recommendations, 5 red flags and 9 KPIs", () => {
    const found = (ids: string[], run: (id: string) => Search) => ids.filter((id) => run(id).witness !== undefined);
    expect(found(qn.recommendations.map((r) => r.id), recommendationSearch)).toHaveLength(67);
    expect(found(qn.redFlags.map((f) => f.id), redFlagSearch)).toHaveLength(5);
    expect(found(qn.kpis.map((k) => k.id), kpiSearch)).toHaveLength(9);
  });

  it("include the ones that need a follow-up chain", () => {
    // reached only through uses_labour_providers = yes -> monitors_labour_providers = yes
    expect(recommendationSearch("REC-REC-04").witness).toEqual({
      "recruitment.uses_labour_providers": "yes",
      "recruitment.monitors_labour_providers": "yes",
      "recruitment.monitoring_methods": ["vetting"],
    });
    // remediation is only asked when an ILO indicator was found
    expect(redFlagSearch("RF-ILO-NO-REMEDY").witness).toEqual({
      "grievance.ilo_indicators_found": ["abuse_of_vulnerability"],
      "grievance.remediation_actions": ["none"],
    });
    // 0 concerns raised is an answer, and the question is only shown when there is a grievance route
    expect(recommendationSearch("REC-GRV-03").witness).toEqual({
      "grievance.mechanisms": ["whistleblowing_line"],
      "grievance.concerns_raised": 0,
    });
    expect(kpiSearch("large_uk_hq").witness).toEqual({ "org.size": "large", "org.hq_country": "GB" });
    expect(kpiSearch("assessed_price_leadtime_payment").witness).toEqual({
      "purchasing.assessed_practices": "yes",
      "purchasing.aspects_assessed": ["pricing", "lead_times", "payment_terms", "order_changes", "forecasting"],
    });
  });
});
