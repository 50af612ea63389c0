/**
 * MSAT 1.1.0: the risk model (exposure, rating matrix, caps and red flags) rated as an anti-slavery
 * expert would rate the cases MSAT 1.0 got wrong, the content fixes, what carries over from 1.0, and
 * a search proving every recommendation, red flag, cap, exposure rule and KPI can be triggered by
 * valid answers (with the published reference data and every screening outcome).
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { Condition, Question, Questionnaire, RiskLevel, ScreeningState } from "../../questionnaires/format";
import { SCREENING_STATES, choiceValues, loadQuestionnaire } from "../../questionnaires/format";
import { COUNTRIES, isCountryCode } from "../../questionnaires/countries";
import { loadReferenceData } from "../../questionnaires/reference";
import type { AnswerValue, Answers } from "../../app/domain/answers";
import { validateAnswer } from "../../app/domain/answers";
import { type ConditionContext, type ScreeningSummary, evaluate, referencedQuestions } from "../../app/domain/conditions";
import { allQuestions, questionIndex } from "../../app/domain/questions";
import { rate, riskContext } from "../../app/domain/rating";
import { type AssessmentResult, maxPoints, scoreAnswers } from "../../app/domain/scoring";
import { applySkipLogic } from "../../app/domain/visibility";
import { type Leaf, ROOT, bestAnswers as bestAnswersOf, leaves, question } from "./helpers";

const qn = loadQuestionnaire(resolve(ROOT, "questionnaires/msat/msat-1.1.0.yaml"));
const v10 = loadQuestionnaire(resolve(ROOT, "questionnaires/msat/msat-1.0.0.yaml"));
const reference = loadReferenceData(resolve(ROOT, "questionnaires/data"));

const NO_MATCH: ScreeningSummary = { unresolved_active: false, confirmed_active: false, resolved_inactive: false, any_match: false };
/** The screening summary when the named suppliers have one kind of match (every kind is a match). */
const screening = (state?: ScreeningState): ScreeningSummary => (state ? { ...NO_MATCH, [state]: true, any_match: true } : NO_MATCH);
const context = (state?: ScreeningState): ConditionContext => riskContext(qn, reference, screening(state));
const score = (answers: Answers, state?: ScreeningState) => scoreAnswers(qn, answers, context(state));

const ids = (list: Array<{ id: string }> | undefined) => (list ?? []).map((x) => x.id);
const capIds = (r: AssessmentResult) => ids(r.rating?.caps);
const factorIds = (r: AssessmentResult) => ids(r.exposure?.factors);
const recIds = (r: AssessmentResult) => ids(r.recommendations);
const rec = (r: AssessmentResult, id: string) => r.recommendations.find((x) => x.id === id);

const bestAnswers = (base: Answers = {}) => bestAnswersOf(qn, base);

/** A UK-only supplier in no higher-risk industry, handling no high-risk goods, with no vulnerable workforce. */
const LOW_EXPOSURE: Answers = {
  "org.size": "large",
  "org.hq_country": "GB",
  "risk.sectors": ["none"],
  "risk.own_countries": ["GB"],
  "risk.tier1_countries": ["GB"],
  "risk.commodities": ["none"],
  "risk.workforce": ["none"],
  "recruitment.uses_labour_providers": "no",
  "mapping.subcontracts_labour": "no",
};
const MEDIUM_EXPOSURE: Answers = { ...LOW_EXPOSURE, "risk.sectors": ["cleaning"] };
const HIGH_EXPOSURE: Answers = { ...LOW_EXPOSURE, "risk.tier1_countries": ["PK"] };
const EXPOSURE: Record<RiskLevel, Answers> = { low: LOW_EXPOSURE, medium: MEDIUM_EXPOSURE, high: HIGH_EXPOSURE };

// ---------------------------------------------------------------------------------------------
describe("MSAT 1.1.0: the file", () => {
  it("loads, keeps the nine themes and declares a risk model", () => {
    expect([qn.id, qn.version]).toEqual(["msat", "1.1.0"]);
    expect(qn.themes.map((t) => t.id)).toEqual(v10.themes.map((t) => t.id));
    expect(allQuestions(qn)).toHaveLength(73);
    expect(qn.recommendations).toHaveLength(86);
    expect(qn.exposure?.countryRisk).toEqual({ source: "country-prevalence.csv", mediumFrom: 5, highFrom: 10 });
    expect(qn.exposure?.mediumFactorsForHigh).toBe(4);
    expect(qn.bands.map((b) => [b.id, b.label])).toEqual([
      ["high", "High risk"],
      ["medium", "Medium risk"],
      ["low", "Low risk"],
    ]);
    expect(qn.redFlagBand).toBe("high");
  });

  it("says 'this contract' nowhere: an assessment belongs to the organisation and is shared with several buyers", () => {
    const strings: string[] = [];
    const walk = (v: unknown) => {
      if (typeof v === "string") strings.push(v);
      else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === "object") Object.values(v).forEach(walk);
    };
    walk(qn);
    expect(strings.length).toBeGreaterThan(1000);
    expect(strings.filter((s) => /this contract|the contract\b/i.test(s))).toEqual([]);
    expect(readFileSync(resolve(ROOT, "questionnaires/msat/msat-1.1.0.yaml"), "utf8")).not.toMatch(/this contract/i);
    // the 1.0 file did say it, and stays as it was
    expect(readFileSync(resolve(ROOT, "questionnaires/msat/msat-1.0.0.yaml"), "utf8")).toMatch(/this contract/i);
  });

  it("offers exactly the commodity ids of the reference data, plus an exclusive 'none of these'", () => {
    const q = question(qn, "risk.commodities");
    expect(q.type).toBe("multi");
    if (q.type !== "multi") return;
    expect(q.options.filter((o) => !o.exclusive).map((o) => o.value)).toEqual([...reference.commodities.keys()]);
    expect(q.options.filter((o) => o.exclusive).map((o) => o.value)).toEqual(["none"]);
    for (const o of q.options.filter((o) => !o.exclusive)) expect(o.label, o.value).toBe(reference.commodities.get(o.value)!.label);
  });

  it("does not score exposure: the questions that describe where and how the supplier works earn no points", () => {
    for (const id of ["risk.sectors", "risk.own_countries", "risk.tier1_countries", "risk.commodities", "risk.xuar_inputs", "risk.workforce", "mapping.tier2_countries", "recruitment.uses_labour_providers", "mapping.subcontracts_labour"]) {
      expect(maxPoints(question(qn, id)), id).toBe(0);
    }
    const unscored = allQuestions(qn).filter((q) => q.help?.includes("is not scored") || q.help?.includes("not scored:"));
    for (const q of unscored) expect(maxPoints(q), q.id).toBe(0);
  });

  it("names the high-risk industries of procurement guidance", () => {
    expect(choiceValues(question(qn, "risk.sectors"))).toEqual([
      "agriculture",
      "mining",
      "fishing",
      "construction",
      "electronics_manufacturing",
      "textiles_garments",
      "food_processing",
      "cleaning",
      "catering",
      "security",
      "hospitality",
      "logistics_warehousing",
      "health_social_care",
      "none",
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
describe("MSAT 1.1.0: what carries over from 1.0", () => {
  const retired = ["risk.delivery_countries", "risk.high_risk_commodities"];

  it("keeps every 1.0 question id except the two whose meaning changed", () => {
    const now = new Set(allQuestions(qn).map((q) => q.id));
    expect(allQuestions(v10).map((q) => q.id).filter((id) => !now.has(id))).toEqual(retired);
  });

  it("keeps every option value of the questions it keeps, except 'none' of the indicator list", () => {
    const dropped: string[] = [];
    for (const old of allQuestions(v10)) {
      if (retired.includes(old.id)) continue;
      const kept = question(qn, old.id);
      const before = choiceValues(old) ?? [];
      const after = choiceValues(kept) ?? [];
      for (const v of before) if (!after.includes(v)) dropped.push(`${old.id}:${v}`);
    }
    expect(dropped).toEqual(["grievance.ilo_indicators_found:none"]);
  });

  it("carries a 1.0 answer into 1.1 whenever its question is kept and the value still fits", () => {
    // every single answer the 1.0 questionnaire accepts, one question at a time
    const refused: string[] = [];
    for (const old of allQuestions(v10)) {
      if (retired.includes(old.id)) continue;
      for (const v of choiceValues(old) ?? []) {
        const raw = old.type === "multi" ? [v] : v;
        if (!validateAnswer(question(qn, old.id), raw, isCountryCode).ok) refused.push(`${old.id}:${v}`);
      }
    }
    expect(refused).toEqual(["grievance.ilo_indicators_found:none"]);
  });

  it("keeps the fixed ids with their type and skip logic", () => {
    for (const id of ["org.size", "org.hq_country", "mapping.has_mapped", "mapping.deepest_tier", "mapping.entities", "partners.works_with_partners", "voice.supports_representation", "recruitment.prohibits_worker_fees", "recruitment.uses_labour_providers", "recruitment.monitors_labour_providers", "purchasing.assessed_practices", "purchasing.aspects_assessed"]) {
      const before = question(v10, id);
      const after = question(qn, id);
      expect(after.type, id).toBe(before.type);
      expect(after.showIf, id).toEqual(before.showIf);
      expect(choiceValues(after), id).toEqual(choiceValues(before));
    }
  });

  it("keeps every KPI of 1.0 with the same meaning, first and in the same order", () => {
    const meaning = ({ id, numerator, denominator }: (typeof qn.kpis)[number]) => ({ id, numerator, denominator });
    expect(qn.kpis.slice(0, v10.kpis.length).map(meaning)).toEqual(v10.kpis.map(meaning));
    expect(qn.kpis.length).toBeGreaterThan(v10.kpis.length);
  });
});

// ---------------------------------------------------------------------------------------------
describe("MSAT 1.1.0: country risk from the Global Slavery Index", () => {
  const level = context().countryRisk!;

  it("is high from 10 per 1,000, medium from 5, low below, and unknown without a published figure", () => {
    expect(level("PK")).toBe("high"); // 10.6
    expect(level("JO")).toBe("high"); // 10.0, exactly at the line
    expect(level("VE")).toBe("medium"); // 9.5
    expect(level("MY")).toBe("medium"); // 6.3, just below the global figure
    expect(level("BR")).toBe("medium"); // 5.0, exactly at the line
    expect(level("CN")).toBe("low"); // 4.0: state-imposed forced labour is covered by the goods and Xinjiang rules
    expect(level("GB")).toBe("low"); // 1.8
    expect(level("IS")).toBeUndefined(); // no estimate published
  });

  it("a country without data is neither medium nor high by country, and the other rules still apply", () => {
    const r = score(bestAnswers({ ...LOW_EXPOSURE, "risk.tier1_countries": ["IS"], "risk.sectors": ["fishing"] }));
    expect(factorIds(r)).toEqual(["EXP-SECTOR"]);
    expect(r.exposure?.level).toBe("medium");
  });

  it("four medium factors together make exposure high; three do not", () => {
    const three = { ...LOW_EXPOSURE, "risk.sectors": ["cleaning"], "risk.workforce": ["low_paid"], "recruitment.uses_labour_providers": "yes" };
    const r3 = score(bestAnswers(three));
    expect(factorIds(r3)).toEqual(["EXP-SECTOR", "EXP-WORKFORCE", "EXP-LABOUR-MODEL"]);
    expect([r3.exposure?.level, r3.exposure?.escalated]).toEqual(["medium", false]);
    const r4 = score(bestAnswers({ ...three, "risk.commodities": ["ppe_gloves"] }));
    expect(factorIds(r4)).toEqual(["EXP-SECTOR", "EXP-COMMODITY", "EXP-WORKFORCE", "EXP-LABOUR-MODEL"]);
    expect([r4.exposure?.level, r4.exposure?.escalated]).toEqual(["high", true]);
  });

  it("not mapping beyond tier 1 does not lower exposure: high-risk goods of unknown origin are a factor of their own", () => {
    const goods = { ...LOW_EXPOSURE, "risk.commodities": ["coffee"] };
    const mapped = score(bestAnswers(goods));
    const unmapped = score(bestAnswers({ ...goods, "mapping.has_mapped": "no" }));
    expect(factorIds(mapped)).toEqual(["EXP-COMMODITY"]);
    expect(factorIds(unmapped)).toEqual(["EXP-COMMODITY", "EXP-OPAQUE-CHAIN"]);
  });
});

// ---------------------------------------------------------------------------------------------
describe("MSAT 1.1.0: the cases MSAT 1.0 rated wrongly", () => {
  it("no fee ban, unmonitored labour providers, fees unknown, cotton and gloves from China and Malaysia: not Low, exposure high", () => {
    const answers = bestAnswers({
      ...LOW_EXPOSURE,
      "risk.tier1_countries": ["CN", "MY"],
      "risk.commodities": ["cotton", "ppe_gloves"],
      "risk.xuar_inputs": "no_traced",
      "recruitment.prohibits_worker_fees": "no",
      "recruitment.uses_labour_providers": "yes",
      "recruitment.monitors_labour_providers": "no",
      "recruitment.found_fees_paid": "dont_know",
    });
    // MSAT 1.0 would have rated these answers Low: a high score and no red flag
    expect(scoreAnswers(v10, { ...answers, "risk.delivery_countries": ["CN", "MY"], "risk.high_risk_commodities": ["cotton_textiles", "gloves_ppe"] }).band.id).toBe("low");

    const r = score(answers);
    expect(r.overall).toBeGreaterThanOrEqual(85); // the score alone would give Low even with high exposure
    expect(r.exposure?.level).toBe("high");
    expect(factorIds(r)).toContain("EXP-LISTED-GOODS"); // cotton from China, rubber gloves from Malaysia
    expect(factorIds(r)).toContain("EXP-COUNTRY-MEDIUM"); // Malaysia, 6.3 per 1,000
    expect(r.rating?.matrixBand.id).toBe("low");
    expect(capIds(r)).toEqual(["CAP-FEES-UNKNOWN", "CAP-FEES-NO-BAN-EXPOSED"]);
    expect(r.band).toEqual({ id: "medium", label: "Medium risk" });
    expect(r.redFlags).toEqual([]);
    expect(r.rating?.explanation).toContain("exposure is high");
    expect(r.rating?.explanation).toContain("does not know whether workers paid for their jobs");
    expect(r.rating?.explanation).toContain("without a ban on charging workers recruitment fees");
    expect(recIds(r)).toEqual(expect.arrayContaining(["REC-RISK-05", "REC-REC-01", "REC-REC-03", "REC-REC-09"]));
    for (const id of ["REC-RISK-05", "REC-REC-01", "REC-REC-03", "REC-REC-09"]) expect(rec(r, id)?.priority, id).toBe("high");
  });

  it("fees found and repayment only in progress: never Low, and the reason is shown", () => {
    for (const exposure of ["low", "medium", "high"] as const) {
      const r = score(bestAnswers({ ...EXPOSURE[exposure], "recruitment.found_fees_paid": "yes", "recruitment.fees_repaid": "in_progress" }));
      expect(r.exposure?.level, exposure).toBe(exposure);
      expect(r.rating?.matrixBand.id, exposure).toBe("low");
      expect(capIds(r), exposure).toEqual(["CAP-FEES-NOT-REPAID"]);
      expect(r.band.id, exposure).toBe("medium");
      expect(r.redFlags, exposure).toEqual([]);
      expect(r.rating?.explanation).toContain("workers found to have paid for their jobs have not yet been repaid in full");
      expect(rec(r, "REC-REC-08")?.priority).toBe("high");
    }
    // part repaid, or not repaid: the red flag
    for (const repaid of ["partly", "not_repaid"]) {
      const r = score(bestAnswers({ ...LOW_EXPOSURE, "recruitment.found_fees_paid": "yes", "recruitment.fees_repaid": repaid }));
      expect(ids(r.redFlags)).toEqual(["RF-FEES-NOT-REPAID"]);
      expect(r.band.id).toBe("high");
    }
    // repaid in full: nothing holds the rating back
    expect(score(bestAnswers({ ...LOW_EXPOSURE, "recruitment.found_fees_paid": "yes", "recruitment.fees_repaid": "all_repaid" })).band.id).toBe("low");
  });

  it("physical violence and debt bondage remediated only by a corrective action plan: highest band, a red flag with follow-up, high-priority recommendations", () => {
    const r = score(
      bestAnswers({
        ...LOW_EXPOSURE,
        "grievance.indicators_found": "yes",
        "grievance.ilo_indicators_found": ["physical_sexual_violence", "debt_bondage"],
        "grievance.remediation_actions": ["corrective_action_plan"],
        "grievance.checked_outcome": "no",
      }),
    );
    expect(r.overall).toBeGreaterThan(90);
    expect(r.band).toEqual({ id: "high", label: "High risk" });
    expect(r.redFlags.map((f) => [f.id, f.followUp])).toEqual([["RF-SEVERE-INDICATORS", true]]);
    expect(r.rating?.explanation).toBe("High risk because of a red flag: Serious signs of forced labour found.");
    expect(capIds(r)).toEqual(["CAP-INDICATORS-NOT-REMEDIATED"]);
    for (const id of ["REC-GRV-10", "REC-GRV-09", "REC-GRV-07", "REC-GRV-06"]) expect(rec(r, id)?.priority, id).toBe("high");
  });

  it("serious signs force the highest band whatever the remediation reported", () => {
    const r = score(
      bestAnswers({
        ...LOW_EXPOSURE,
        "grievance.indicators_found": "yes",
        "grievance.ilo_indicators_found": ["retention_of_documents"],
        "grievance.remediation_actions": ["worker_support", "referred_authorities", "returned_documents", "corrective_action_plan"],
        "grievance.checked_outcome": "yes",
      }),
    );
    expect(ids(r.redFlags)).toEqual(["RF-SEVERE-INDICATORS"]);
    expect(r.band.id).toBe("high");
    // and held documents reported as current practice are a red flag of their own
    expect(ids(score(bestAnswers({ ...LOW_EXPOSURE, "recruitment.holds_id_documents": "yes" })).redFlags)).toEqual(["RF-ID-DOCS"]);
  });

  it("other signs of forced labour, found and not shown to be put right, can never leave a supplier Low", () => {
    const found = { ...LOW_EXPOSURE, "grievance.indicators_found": "yes", "grievance.ilo_indicators_found": ["excessive_overtime"], "grievance.remediation_actions": ["improved_conditions"] };
    const unchecked = score(bestAnswers({ ...found, "grievance.checked_outcome": "dont_know" }));
    expect(capIds(unchecked)).toEqual(["CAP-INDICATORS-NOT-REMEDIATED"]);
    expect(unchecked.band.id).toBe("medium");
    expect(unchecked.rating?.explanation).toContain("has not confirmed with the workers affected");
    const checked = score(bestAnswers({ ...found, "grievance.checked_outcome": "yes" }));
    expect(capIds(checked)).toEqual([]);
    expect(checked.band.id).toBe("low");
  });

  it("'don't know' whether signs of forced labour were found caps at Medium", () => {
    const r = score(bestAnswers({ ...LOW_EXPOSURE, "grievance.indicators_found": "dont_know" }));
    expect(capIds(r)).toEqual(["CAP-INDICATORS-UNKNOWN"]);
    expect(r.band.id).toBe("medium");
    expect(r.rating?.explanation).toContain("not knowing is not the same as finding none");
    expect(rec(r, "REC-GRV-12")?.priority).toBe("high");
  });

  it("a supplier who screened, found a match and dealt with it is not forced High; one who never screened is not rated better", () => {
    const screened = score(bestAnswers({ ...LOW_EXPOSURE, "risk.screened_entity_lists": "yes", "risk.screening_match": "yes", "risk.screening_resolved": "yes" }), "resolved_inactive");
    expect(screened.redFlags).toEqual([]);
    expect(capIds(screened)).toEqual([]);
    expect(screened.band.id).toBe("low");
    expect(rec(screened, "REC-RISK-11")?.priority).toBe("low");

    const rank = (id: string) => ["low", "medium", "high"].indexOf(id);
    for (const state of [undefined, "resolved_inactive", "unresolved_active", "confirmed_active"] as const) {
      const never = score(bestAnswers({ ...LOW_EXPOSURE, "risk.screened_entity_lists": "no" }), state);
      expect(never.overall!, String(state)).toBeLessThan(screened.overall!);
      expect(rank(never.band.id), String(state)).toBeGreaterThanOrEqual(rank(screened.band.id));
      expect(recIds(never)).toContain("REC-RISK-07");
    }

    // the supplier's own unresolved match holds the rating at Medium, but is not a red flag
    const open = score(bestAnswers({ ...LOW_EXPOSURE, "risk.screened_entity_lists": "yes", "risk.screening_match": "yes", "risk.screening_resolved": "no" }));
    expect(open.redFlags).toEqual([]);
    expect(capIds(open)).toEqual(["CAP-SCREENING-MATCH-UNRESOLVED"]);
    expect(open.band.id).toBe("medium");
    expect(rec(open, "REC-RISK-08")?.priority).toBe("high");
  });

  it("screening of the named suppliers: unresolved active match is a red flag; confirmed active is capped; resolved inactive is a recommendation", () => {
    const answers = bestAnswers(LOW_EXPOSURE);

    const unresolved = score(answers, "unresolved_active");
    expect(unresolved.redFlags.map((f) => [f.id, f.followUp])).toEqual([["RF-IMPORT-BAN-UNRESOLVED", true]]);
    expect(unresolved.band.id).toBe("high");
    expect(unresolved.exposure?.level).toBe("high");
    expect(rec(unresolved, "REC-RISK-18")?.priority).toBe("high");

    const confirmed = score(answers, "confirmed_active");
    expect(confirmed.redFlags).toEqual([]);
    expect(confirmed.exposure?.level).toBe("high");
    expect(factorIds(confirmed)).toEqual(["EXP-IMPORT-BAN"]);
    expect(capIds(confirmed)).toEqual(["CAP-IMPORT-BAN-CONFIRMED"]);
    expect(confirmed.band.id).toBe("medium");
    expect(confirmed.rating?.explanation).toContain("one of the suppliers it names is confirmed as a company or region under an active forced labour import ban");
    const engage = rec(confirmed, "REC-RISK-09")!;
    expect(engage.priority).toBe("high");
    expect(engage.good).toMatch(/put things right for the workers/);

    const lifted = score(answers, "resolved_inactive");
    expect(lifted.redFlags).toEqual([]);
    expect(capIds(lifted)).toEqual([]);
    expect(lifted.exposure?.level).toBe("low");
    expect(lifted.band.id).toBe("low");
    expect(rec(lifted, "REC-RISK-11")?.priority).toBe("low");

    // the act of screening is never the red flag
    const screenedAndMatched = score(bestAnswers({ ...LOW_EXPOSURE, "risk.screened_entity_lists": "yes", "risk.screening_match": "yes", "risk.screening_resolved": "yes" }));
    expect(screenedAndMatched.redFlags).toEqual([]);
    expect(screenedAndMatched.band.id).toBe("low");
  });

  it("inputs from the Xinjiang region: 'yes' is a red flag and high exposure; 'don't know' weighs in exposure and caps", () => {
    const cotton = { ...LOW_EXPOSURE, "risk.commodities": ["cotton"] };
    expect(applySkipLogic(qn, { "risk.commodities": ["coffee"] }).visible.has("risk.xuar_inputs")).toBe(false);
    expect(applySkipLogic(qn, { "risk.commodities": ["polysilicon_solar"] }).visible.has("risk.xuar_inputs")).toBe(true);

    const yes = score(bestAnswers({ ...cotton, "risk.xuar_inputs": "yes" }));
    expect(ids(yes.redFlags)).toEqual(["RF-XUAR-INPUTS"]);
    expect(factorIds(yes)).toContain("EXP-XUAR");
    expect(yes.exposure?.level).toBe("high");
    expect(rec(yes, "REC-RISK-12")?.priority).toBe("high");

    const unknown = score(bestAnswers({ ...cotton, "risk.xuar_inputs": "dont_know" }));
    expect(unknown.redFlags).toEqual([]);
    expect(factorIds(unknown)).toEqual(["EXP-COMMODITY", "EXP-XUAR-UNKNOWN"]);
    expect(capIds(unknown)).toEqual(["CAP-XUAR-UNKNOWN"]);
    expect(unknown.band.id).toBe("medium");
    expect(rec(unknown, "REC-RISK-13")?.priority).toBe("high");

    const traced = score(bestAnswers({ ...cotton, "risk.xuar_inputs": "no_traced" }));
    expect([traced.redFlags, capIds(traced), traced.band.id]).toEqual([[], [], "low"]);
  });

  it("a required statement not published is a recommendation, not a worker-risk red flag", () => {
    const r = score(bestAnswers({ ...LOW_EXPOSURE, "governance.statement": "required_not_published" }));
    expect(r.redFlags).toEqual([]);
    expect(r.band.id).toBe("low");
    expect(rec(r, "REC-GOV-06")?.priority).toBe("high");
  });
});

// ---------------------------------------------------------------------------------------------
describe("MSAT 1.1.0: the rating matrix and caps at their edges", () => {
  const matrix = qn.rating!.matrix;

  it("needs a stronger score for each better band as exposure rises", () => {
    const need = (level: RiskLevel, band: string) => matrix[level].find((c) => c.band === band)!.min;
    expect((["low", "medium", "high"] as const).map((l) => [need(l, "low"), need(l, "medium"), need(l, "high")])).toEqual([
      [60, 30, 0],
      [70, 40, 0],
      [85, 55, 0],
    ]);
  });

  describe.each(["low", "medium", "high"] as const)("with %s exposure", (level) => {
    const answers = applySkipLogic(qn, bestAnswers(EXPOSURE[level])).answers;
    const ctx = context();
    const lowMin = matrix[level].find((c) => c.band === "low")!.min;
    const mediumMin = matrix[level].find((c) => c.band === "medium")!.min;

    it("the answers give this exposure and no cap", () => {
      const r = score(answers);
      expect(r.exposure?.level).toBe(level);
      expect(capIds(r)).toEqual([]);
    });

    it.each([
      ["at the Low line", 0, "low"],
      ["just below the Low line", -0.1, "medium"],
    ])("%s", (_, delta, band) => {
      const r = rate(qn, lowMin + delta, answers, ctx, []);
      expect([r.exposure.level, r.band.id]).toEqual([level, band]);
    });

    it.each([
      ["at the Medium line", 0, "medium"],
      ["just below the Medium line", -0.1, "high"],
    ])("%s", (_, delta, band) => {
      const r = rate(qn, mediumMin + delta, answers, ctx, []);
      expect(r.band.id).toBe(band);
      if (band === "high") expect(r.explanation).toContain(`With ${level} exposure, Medium risk needs ${mediumMin}% or more.`);
    });

    it("a cap binds only where the score would give a better band, and never improves a rating", () => {
      const capped = { ...answers, "recruitment.found_fees_paid": "dont_know" };
      const atLow = rate(qn, lowMin, capped, ctx, []);
      expect([atLow.matrixBand.id, atLow.band.id, ids(atLow.caps)]).toEqual(["low", "medium", ["CAP-FEES-UNKNOWN"]]);
      expect(atLow.explanation).toContain("can be no better than Medium risk because the supplier does not know whether workers paid for their jobs");
      const belowLow = rate(qn, lowMin - 0.1, capped, ctx, []);
      expect([belowLow.band.id, belowLow.explanation.includes("no better than")]).toEqual(["medium", false]);
      const belowMedium = rate(qn, mediumMin - 0.1, capped, ctx, []);
      expect(belowMedium.band.id).toBe("high");
    });

    it("a red flag forces High at any score", () => {
      expect(rate(qn, 100, answers, ctx, [{ title: "A red flag" }]).band.id).toBe("high");
    });
  });

  it("a strong supplier with low exposure can be Low; the same answers in high-prevalence countries need a higher score", () => {
    const strong = bestAnswers(LOW_EXPOSURE);
    expect(score(strong).band.id).toBe("low");

    // a good but not outstanding programme (82.8%): enough for Low at low or medium exposure, not at high
    const good = bestAnswers({
      ...LOW_EXPOSURE,
      "mapping.deepest_tier": "tier1",
      "monitoring.social_audits": ["third_party_announced"],
      "voice.hears_from_workers": "no",
      "training.key_staff_pct": 60,
      "purchasing.rewards_good_practice": "no",
      "purchasing.stable_relationships": "no",
      "grievance.open_to_supply_chain": "no",
      "governance.supplier_contract_clauses": "tier1",
      "recruitment.fees_scope": "tier1",
      "voice.rights_communicated": "partly",
      "monitoring.allows_site_visits": "announced",
      "monitoring.measures_effectiveness": "no",
      "training.requires_supplier_training": "no",
    });
    const here = score(good);
    expect(here.overall!).toBeGreaterThanOrEqual(70);
    expect(here.overall!).toBeLessThan(85);
    expect([here.exposure?.level, here.band.id]).toEqual(["low", "low"]);

    const abroad = score({ ...good, "risk.own_countries": ["GB", "TR"], "risk.tier1_countries": ["PK", "AE"] });
    expect(abroad.overall).toBe(here.overall);
    expect([abroad.exposure?.level, abroad.band.id]).toEqual(["high", "medium"]);
    expect(abroad.rating?.nextBand).toEqual({ id: "low", label: "Low risk", min: 85 });
    expect(abroad.rating?.explanation).toContain("With high exposure, Low risk needs 85% or more.");
  });
});

// ---------------------------------------------------------------------------------------------
describe("MSAT 1.1.0: content fixes", () => {
  it("'don't know' about harm found scores below 'no harm found'", () => {
    for (const id of ["recruitment.found_fees_paid", "grievance.indicators_found"]) {
      const no = score(bestAnswers({ ...LOW_EXPOSURE, [id]: "no" }));
      const dontKnow = score(bestAnswers({ ...LOW_EXPOSURE, [id]: "dont_know" }));
      expect(dontKnow.overall!, id).toBeLessThan(no.overall!);
      expect(no.overall, id).toBe(100);
    }
  });

  it("REC-GRV-03 is not for a micro business", () => {
    const quiet = { ...LOW_EXPOSURE, "grievance.mechanisms": ["whistleblowing_line"], "grievance.concerns_raised": 0 };
    expect(recIds(score({ ...quiet, "org.size": "micro" }))).not.toContain("REC-GRV-03");
    expect(recIds(score({ ...quiet, "org.size": "small" }))).not.toContain("REC-GRV-03");
    expect(recIds(score({ ...quiet, "org.size": "large" }))).toContain("REC-GRV-03");
  });

  it("REC-GRV-07 does not suggest police referral for overtime alone", () => {
    const base = { ...LOW_EXPOSURE, "grievance.indicators_found": "yes", "grievance.remediation_actions": ["improved_conditions"] };
    const overtime = score({ ...base, "grievance.ilo_indicators_found": ["excessive_overtime"] });
    expect(recIds(overtime)).not.toContain("REC-GRV-07");
    expect(recIds(overtime)).toContain("REC-GRV-11");
    expect(recIds(score({ ...base, "grievance.ilo_indicators_found": ["excessive_overtime", "debt_bondage"] }))).toContain("REC-GRV-07");
  });

  it("REC-MON-03 does not ask a questionnaire-only supplier for unannounced audits before basic ones", () => {
    const questionnaireOnly = score({ "monitoring.social_audits": ["supplier_self_assessment"] });
    expect(recIds(questionnaireOnly)).not.toContain("REC-MON-03");
    expect(recIds(questionnaireOnly)).toContain("REC-MON-09");
    expect(recIds(score({ "monitoring.social_audits": ["third_party_announced", "supplier_self_assessment"] }))).toEqual(["REC-MON-03"]);
  });

  it("board approval is a legal requirement only for a statement the Act requires", () => {
    const required = score({ "governance.statement": "required_published", "governance.board_approved": "no" });
    const voluntary = score({ "governance.statement": "voluntary_published", "governance.board_approved": "no" });
    expect(rec(required, "REC-GOV-09")?.why).toMatch(/legal requirements/);
    expect(recIds(voluntary)).not.toContain("REC-GOV-09");
    expect(rec(voluntary, "REC-GOV-10")?.why).toMatch(/does not require/);
    expect(question(qn, "governance.board_approved").help).toMatch(/voluntary statement it is good practice rather than a legal duty/);
  });

  it("REC-RISK-06 and REC-MAP-03 are one recommendation", () => {
    expect(qn.recommendations.some((r) => r.id === "REC-MAP-03")).toBe(false);
    const tier2 = score(bestAnswers({ ...LOW_EXPOSURE, "risk.commodities": ["electronics"], "mapping.deepest_tier": "tier2" }));
    expect(recIds(tier2)).toContain("REC-RISK-06");
    const traced = score(bestAnswers({ ...LOW_EXPOSURE, "risk.commodities": ["electronics"], "mapping.deepest_tier": "tier3_plus" }));
    expect(recIds(traced)).not.toContain("REC-RISK-06");
  });

  it("no recommendation tells the supplier to cut and run: acting on a match agrees with the response plan", () => {
    for (const r of qn.recommendations) expect(`${r.why} ${r.good}`, r.id).not.toMatch(/stop or suspend/i);
    const act = qn.recommendations.find((r) => r.id === "REC-RISK-08")!;
    expect(act.good).toMatch(/put right/);
    expect(act.good).toMatch(/state/);
  });

  it("REC-RISK-05 uses country risk from the reference data, not a list of countries", () => {
    const when = JSON.stringify(qn.recommendations.find((r) => r.id === "REC-RISK-05")!.when);
    expect(when).toContain("countryRisk");
    expect(when).not.toMatch(/"(CN|MY|TH|IN)"/);
    expect(recIds(score({ ...LOW_EXPOSURE, "risk.tier1_countries": ["TR"] }))).toContain("REC-RISK-05"); // 15.6
    expect(recIds(score({ ...LOW_EXPOSURE, "risk.tier1_countries": ["TH"] }))).toEqual(expect.arrayContaining(["REC-RISK-10"])); // 5.7
    expect(recIds(score({ ...LOW_EXPOSURE, "risk.tier1_countries": ["TH"] }))).not.toContain("REC-RISK-05");
  });

  it("the payment help states the published rule", () => {
    const help = question(qn, "purchasing.payment_days").help!;
    expect(help).toContain("30-day");
    expect(help).toContain("within 60 days");
    expect(help).not.toMatch(/expected to pay their own suppliers within 30 days/);
  });

  it("asks about vulnerable groups and the pay and conditions of the workforce delivering to public buyers", () => {
    expect(choiceValues(question(qn, "risk.workforce"))).toEqual(expect.arrayContaining(["migrant_workers", "women_low_paid", "young_workers"]));
    expect(applySkipLogic(qn, { "risk.workforce": ["young_workers"] }).visible.has("risk.vulnerable_protections")).toBe(true);
    expect(applySkipLogic(qn, { "risk.workforce": ["none"] }).visible.has("risk.vulnerable_protections")).toBe(false);
    const children = score({ "risk.workforce": ["young_workers"], "risk.vulnerable_protections": ["rights_in_language"] });
    expect(rec(children, "REC-RISK-15")?.priority).toBe("high");
    expect(maxPoints(question(qn, "recruitment.public_sector_workforce"))).toBe(4);
    expect(rec(score({ "recruitment.public_sector_workforce": ["dont_know"] }), "REC-REC-10")?.priority).toBe("high");
  });
});

// ---------------------------------------------------------------------------------------------
// Reachability: every recommendation, red flag, cap, exposure rule and KPI numerator can be met by
// valid answers that respect skip logic, with the published reference data and some screening
// outcome. As in the 1.0 search, candidate answers are tried in a capped cartesian product; an `or`
// is searched one branch at a time, since one reachable branch is enough.

const CAP = 20_000;


/** The condition as alternatives, any one of which makes it true (an `or` split into its branches). */
function alternatives(cond: Condition): Condition[] {
  if ("or" in cond) return cond.or.flatMap(alternatives);
  if ("and" in cond) {
    return cond.and.map(alternatives).reduce<Condition[][]>((acc, alts) => acc.flatMap((prefix) => alts.map((a) => [...prefix, a])), [[]]).map((and) => ({ and }));
  }
  return [cond];
}

const everyCondition: Condition[] = [
  ...allQuestions(qn).flatMap((q) => (q.showIf ? [q.showIf] : [])),
  ...qn.recommendations.map((r) => r.when),
  ...qn.redFlags.map((f) => f.when),
  ...qn.rating!.caps.map((c) => c.when),
  ...qn.exposure!.rules.map((r) => r.when),
  ...qn.kpis.flatMap((k) => (k.denominator ? [k.numerator, k.denominator] : [k.numerator])),
];
const mentioned = new Map<string, Array<string | number>>();
for (const leaf of everyCondition.flatMap(leaves)) {
  if (!("q" in leaf)) continue;
  const values = "equals" in leaf ? [leaf.equals] : "oneOf" in leaf ? leaf.oneOf : "includes" in leaf ? [leaf.includes] : "allOf" in leaf ? leaf.allOf : "lessThan" in leaf ? [leaf.lessThan] : "atLeast" in leaf ? [leaf.atLeast] : [];
  mentioned.set(leaf.q, [...(mentioned.get(leaf.q) ?? []), ...values]);
}

/** One country of each kind the risk model tells apart: high, medium, low but listed for goods, low, no data. */
const COUNTRY_KINDS = ["PK", "IN", "CN", "GB", "IS"];

function rawCandidates(q: Question): unknown[] {
  switch (q.type) {
    case "yesno":
      return ["yes", "no", "dont_know"];
    case "single":
      return q.options.map((o) => o.value);
    case "multi": {
      const others = q.options.filter((o) => !o.exclusive).map((o) => o.value);
      return [...q.options.map((o) => [o.value]), others, []];
    }
    case "number":
    case "percent": {
      const thresholds = new Set<number>([0, 100]);
      for (const v of mentioned.get(q.id) ?? []) if (typeof v === "number") thresholds.add(v);
      for (const b of q.scoring ?? []) for (const t of [b.min, b.max]) if (t !== undefined) thresholds.add(t);
      return [...thresholds].flatMap((t) => [t - 1, t, t + 1]);
    }
    case "country": {
      const codes = [...new Set([...(mentioned.get(q.id) ?? []).map(String), ...COUNTRY_KINDS])];
      return q.multiple ? codes.map((c) => [c]) : codes;
    }
    case "text":
      return ["An example answer"];
    case "group":
      return COUNTRY_KINDS.map((country) => [
        Object.fromEntries(q.fields.map((f) => [f.id, f.type === "country" ? country : f.type === "single" ? f.options![0]!.value : "Example"])),
      ]);
  }
}

function candidates(q: Question): Array<AnswerValue | undefined> {
  const out = new Map<string, AnswerValue | undefined>([["null", undefined]]);
  for (const raw of rawCandidates(q)) {
    const result = validateAnswer(q, raw, isCountryCode);
    if (result.ok) out.set(JSON.stringify(result.value ?? null), result.value ?? undefined);
  }
  return [...out.values()];
}

function dependencies(cond: Condition): string[] {
  const index = questionIndex(qn);
  const found = new Set<string>();
  const add = (c: Condition) => {
    for (const id of referencedQuestions(c)) {
      if (found.has(id)) continue;
      found.add(id);
      const showIf = index.get(id)?.question.showIf;
      if (showIf) add(showIf);
    }
  };
  add(cond);
  return [...found].sort((a, b) => index.get(a)!.index - index.get(b)!.index);
}

type Witness = { answers: Answers; state: ScreeningState | undefined };
type Search = { witness: Witness | undefined; largest: number };

function search(cond: Condition, holds: (answers: Answers, state: ScreeningState | undefined) => boolean): Search {
  const index = questionIndex(qn);
  let largest = 0;
  for (const alt of alternatives(cond)) {
    const questions = dependencies(alt);
    const states: Array<ScreeningState | undefined> = leaves(alt).some((l) => "screening" in l) ? [undefined, ...SCREENING_STATES] : [undefined];
    const lists = questions.map((id) => candidates(index.get(id)!.question));
    const combinations = lists.reduce((n, l) => n * l.length, states.length);
    largest = Math.max(largest, combinations);
    if (combinations > CAP) continue;
    const digits = lists.map(() => 0);
    for (let tried = 0; tried < combinations / states.length; tried++) {
      const raw: Answers = {};
      questions.forEach((id, i) => {
        const value = lists[i]![digits[i]!];
        if (value !== undefined) raw[id] = value;
      });
      const { answers } = applySkipLogic(qn, raw);
      for (const state of states) if (holds(answers, state)) return { witness: { answers, state }, largest };
      for (let i = digits.length - 1; i >= 0; i--) {
        digits[i]! += 1;
        if (digits[i]! < lists[i]!.length) break;
        digits[i] = 0;
      }
    }
  }
  return { witness: undefined, largest };
}

function expectValid(witness: Witness) {
  expect(applySkipLogic(qn, witness.answers).answers).toEqual(witness.answers);
  const index = questionIndex(qn);
  for (const [id, value] of Object.entries(witness.answers)) expect(validateAnswer(index.get(id)!.question, value, isCountryCode), id).toEqual({ ok: true, value });
}

describe("MSAT 1.1.0: every rule can be triggered", () => {
  it.each(qn.recommendations.map((r) => [r.id, r.when] as const))("recommendation %s", (id, when) => {
    const { witness, largest } = search(when, (a, s) => recIds(score(a, s)).includes(id));
    expect(witness, `no answers trigger ${id} (largest search ${largest})`).toBeDefined();
    expectValid(witness!);
  });

  it.each(qn.redFlags.map((f) => [f.id, f.when] as const))("red flag %s", (id, when) => {
    const { witness } = search(when, (a, s) => ids(score(a, s).redFlags).includes(id));
    expect(witness, `no answers raise ${id}`).toBeDefined();
    expectValid(witness!);
    const r = score(witness!.answers, witness!.state);
    expect(r.band.id).toBe("high");
    expect(r.redFlags.find((f) => f.id === id)?.followUp).toBe(true);
  });

  it.each(qn.rating!.caps.map((c) => [c.id, c.when] as const))("cap %s", (id, when) => {
    const { witness } = search(when, (a, s) => capIds(score(a, s)).includes(id));
    expect(witness, `no answers apply ${id}`).toBeDefined();
    expectValid(witness!);
  });

  it.each(qn.exposure!.rules.map((r) => [r.id, r.when] as const))("exposure rule %s", (id, when) => {
    const { witness } = search(when, (a, s) => factorIds(score(a, s)).includes(id));
    expect(witness, `no answers raise ${id}`).toBeDefined();
    expectValid(witness!);
  });

  it.each(qn.kpis.map((k) => [k.id, k] as const))("KPI %s", (_, kpi) => {
    const cond: Condition = kpi.denominator ? { and: [kpi.numerator, kpi.denominator] } : kpi.numerator;
    const { witness } = search(cond, (a) => evaluate(cond, a));
    expect(witness).toBeDefined();
    expect(evaluate(kpi.numerator, {})).toBe(false);
  });

  it("the search takes in the reference data: a listed good needs a country it is listed for", () => {
    const exposure = qn.exposure!.rules.find((r) => r.id === "EXP-LISTED-GOODS")!;
    const { witness } = search(exposure.when, (a, s) => factorIds(score(a, s)).includes("EXP-LISTED-GOODS"));
    const countries = Object.values(witness!.answers).flat().filter((v): v is string => typeof v === "string" && COUNTRIES.some((c) => c.code === v));
    const goods = witness!.answers["risk.commodities"] as string[];
    expect(countries.some((c) => goods.some((g) => context().listedGood!(c, g)))).toBe(true);
  });
});
