/**
 * MSAT 1.2.0: the ratings a modern-slavery practitioner would not sign under 1.1, each rated again
 * at its edges, starting from best practice everywhere and changing one thing: exposure bought back
 * by good policies, serious signs left without a follow-up, child labour, disclosure rated worse than
 * ignorance, maturity mistaken for risk, a confirmed import-ban match; the corrected help texts; what
 * carries over from 1.1; and a search proving every rule, priority, note and KPI can be met.
 */
import { describe, expect, it } from "vitest";
import { resolve } from "node:path";
import type { Answers } from "../../app/domain/answers";
import { validateAnswer } from "../../app/domain/answers";
import { type ConditionContext, type ScreeningSummary, evaluate } from "../../app/domain/conditions";
import { kpiOutcomes } from "../../app/domain/kpis";
import { allQuestions, questionIndex } from "../../app/domain/questions";
import { riskContext } from "../../app/domain/rating";
import { type AssessmentResult, maxPoints, scoreAnswers } from "../../app/domain/scoring";
import { applySkipLogic } from "../../app/domain/visibility";
import { isCountryCode } from "../../questionnaires/countries";
import type { Condition, RiskLevel, ScreeningState } from "../../questionnaires/format";
import { choiceValues, loadQuestionnaire } from "../../questionnaires/format";
import { loadReferenceData } from "../../questionnaires/reference";
import { ROOT, bestAnswers as bestAnswersOf, question } from "./helpers";
import { type Witness, searcher } from "./risk-search";

const qn = loadQuestionnaire(resolve(ROOT, "questionnaires/msat/msat-1.2.0.yaml"));
const v11 = loadQuestionnaire(resolve(ROOT, "questionnaires/msat/msat-1.1.0.yaml"));
const reference = loadReferenceData(resolve(ROOT, "questionnaires/data"));

const NO_MATCH: ScreeningSummary = { unresolved_active: false, confirmed_active: false, resolved_inactive: false, any_match: false };
const screening = (state?: ScreeningState): ScreeningSummary => (state ? { ...NO_MATCH, [state]: true, any_match: true } : NO_MATCH);
const context = (state?: ScreeningState): ConditionContext => riskContext(qn, reference, screening(state));
const score = (answers: Answers, state?: ScreeningState) => scoreAnswers(qn, answers, context(state));

const ids = (list: Array<{ id: string }> | undefined) => (list ?? []).map((x) => x.id);
const capIds = (r: AssessmentResult) => ids(r.rating?.caps);
const flagIds = (r: AssessmentResult) => ids(r.redFlags);
const recIds = (r: AssessmentResult) => ids(r.recommendations);
const rec = (r: AssessmentResult, id: string) => r.recommendations.find((x) => x.id === id);
const RANK = { low: 0, medium: 1, high: 2 } as Record<string, number>;
/** Whether a buyer must hold a follow-up conversation: some red flag asks for one. */
const followUpDemanded = (r: AssessmentResult) => r.redFlags.some((f) => f.followUp === true);

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

/** Best practice everywhere: looked for harm and found none, screened and found no match, mapped to tier 3 with the tier 2 countries known. */
const NEUTRAL: Answers = { "grievance.signs_found": "no", "recruitment.found_fees_paid": "no", "risk.screening_match": "no", "grievance.concerns_raised": 2, "mapping.tier2_countries": ["GB"] };
const best = (base: Answers = {}) => bestAnswersOf(qn, { ...NEUTRAL, ...base });

const SEVERE = ["withholding_wages", "debt_bondage", "retention_of_documents", "physical_sexual_violence", "restriction_of_movement", "intimidation_threats", "child_labour"];
const OTHER = ["abuse_of_vulnerability", "deception", "isolation", "abusive_conditions", "excessive_overtime"];
/** The remedy each serious sign needs, besides checking with the workers. */
const REMEDY: Record<string, string> = {
  withholding_wages: "repaid_money",
  debt_bondage: "repaid_money",
  retention_of_documents: "returned_documents",
  physical_sexual_violence: "worker_support",
  restriction_of_movement: "worker_support",
  intimidation_threats: "worker_support",
  child_labour: "child_remediation",
};
/** Signs found, what was done, and whether it was checked with the workers. */
const found = (signs: string[], actions: string[], checked?: "yes" | "no" | "dont_know"): Answers => ({
  "grievance.signs_found": "yes",
  "grievance.ilo_indicators_found": signs,
  "grievance.remediation_actions": actions,
  ...(checked ? { "grievance.checked_outcome": checked } : {}),
});

// ---------------------------------------------------------------------------------------------
describe("MSAT 1.2.0: the file", () => {
  it("loads, keeps the nine themes and the 1.1 question count, and declares a risk model", () => {
    expect([qn.id, qn.version]).toEqual(["msat", "1.2.0"]);
    expect(qn.themes.map((t) => t.id)).toEqual(v11.themes.map((t) => t.id));
    expect(allQuestions(qn)).toHaveLength(allQuestions(v11).length);
    expect(qn.exposure).toEqual(v11.exposure && { ...v11.exposure, rules: expect.any(Array) });
    expect(qn.bands).toEqual(v11.bands);
    expect(qn.redFlagBand).toBe("high");
  });

  it("keeps the 1.1 matrix except that at low exposure the score alone never gives High risk", () => {
    expect(qn.rating!.matrix.low).toEqual([
      { band: "low", min: 60 },
      { band: "medium", min: 0 },
    ]);
    expect(qn.rating!.matrix.medium).toEqual(v11.rating!.matrix.medium);
    expect(qn.rating!.matrix.high).toEqual(v11.rating!.matrix.high);
  });

  it("does not score exposure, and keeps every scored question's points as in 1.1", () => {
    for (const q of allQuestions(qn)) {
      const before = questionIndex(v11).get(q.id)?.question;
      if (before) expect(maxPoints(q), q.id).toBe(maxPoints(before));
    }
    for (const id of ["risk.sectors", "risk.own_countries", "risk.tier1_countries", "risk.commodities", "risk.xuar_inputs", "risk.workforce", "grievance.ilo_indicators_found"]) {
      expect(maxPoints(question(qn, id)), id).toBe(0);
    }
  });

  it("best practice everywhere is Low risk at 100% with no cap, flag or follow-up", () => {
    const r = score(best(LOW_EXPOSURE));
    expect([r.overall, r.band.id, capIds(r), r.redFlags]).toEqual([100, "low", [], []]);
    expect(recIds(r)).toEqual(["REC-MAP-05"]);
  });
});

// ---------------------------------------------------------------------------------------------
describe("MSAT 1.2.0: what carries over from 1.1", () => {
  it("keeps every 1.1 question id but the one whose meaning widened", () => {
    const now = new Set(allQuestions(qn).map((q) => q.id));
    expect(allQuestions(v11).map((q) => q.id).filter((id) => !now.has(id))).toEqual(["grievance.indicators_found"]);
    expect(allQuestions(qn).map((q) => q.id).filter((id) => !questionIndex(v11).has(id))).toEqual(["grievance.signs_found"]);
  });

  it("pre-fills every 1.1 answer whose question is kept and whose value still fits: only the narrower 'no' to the Xinjiang question is asked again", () => {
    const refused: string[] = [];
    for (const old of allQuestions(v11)) {
      if (old.id === "grievance.indicators_found") continue;
      for (const v of choiceValues(old) ?? []) {
        const raw = old.type === "multi" ? [v] : v;
        if (!validateAnswer(question(qn, old.id), raw, isCountryCode).ok) refused.push(`${old.id}:${v}`);
      }
    }
    expect(refused).toEqual(["risk.xuar_inputs:no_traced", "risk.xuar_inputs:no_declared"]);
  });

  it("keeps the fixed ids with their type, options and skip logic", () => {
    for (const id of ["org.size", "org.hq_country", "mapping.has_mapped", "mapping.deepest_tier", "mapping.entities", "partners.works_with_partners", "voice.supports_representation", "recruitment.prohibits_worker_fees", "recruitment.uses_labour_providers", "recruitment.monitors_labour_providers", "purchasing.assessed_practices", "purchasing.aspects_assessed"]) {
      const before = question(v11, id);
      const after = question(qn, id);
      expect([after.type, after.showIf, choiceValues(after)], id).toEqual([before.type, before.showIf, choiceValues(before)]);
    }
  });

  it("keeps every 1.1 KPI, in order and with its meaning, and adds the child labour figures", () => {
    const meaning = ({ id, numerator, denominator }: (typeof qn.kpis)[number]) => ({ id, numerator, denominator });
    const kept = qn.kpis.filter((k) => v11.kpis.some((o) => o.id === k.id));
    expect(kept.map((k) => k.id)).toEqual(v11.kpis.map((k) => k.id));
    const rewritten = ["found_forced_labour_indicators", "remediated_for_workers"];
    for (const k of kept.filter((k) => !rewritten.includes(k.id))) expect(meaning(k), k.id).toEqual(meaning(v11.kpis.find((o) => o.id === k.id)!));
    expect(qn.kpis.map((k) => k.id).filter((id) => !v11.kpis.some((o) => o.id === id))).toEqual(["found_child_labour", "child_labour_remediated"]);
    expect(qn.kpis.length).toBeLessThanOrEqual(52);
  });

  it("the two KPIs whose question was renamed count the same suppliers as in 1.1", () => {
    // every way of answering the 1.1 questions they read, scored on 1.1 and, carried over, on 1.2
    const lists: string[][] = [["excessive_overtime"], ["debt_bondage", "deception"], OTHER, SEVERE.filter((s) => s !== "child_labour")];
    const actions: string[][] = [["none"], ["corrective_action_plan"], ["worker_support", "repaid_money"], ["improved_conditions", "referred_authorities"]];
    const cases: Answers[] = [{ "grievance.indicators_found": "no" }, { "grievance.indicators_found": "dont_know" }, {}];
    for (const list of lists) for (const acts of actions) cases.push({ "grievance.indicators_found": "yes", "grievance.ilo_indicators_found": list, "grievance.remediation_actions": acts });
    for (const answers of cases) {
      const before = kpiOutcomes(v11, applySkipLogic(v11, answers).answers);
      const { "grievance.indicators_found": signs, ...rest } = answers;
      const after = kpiOutcomes(qn, applySkipLogic(qn, signs === undefined ? rest : { ...rest, "grievance.signs_found": signs }).answers);
      for (const id of ["found_forced_labour_indicators", "remediated_for_workers"]) expect(after[id], `${id} ${JSON.stringify(answers)}`).toBe(before[id]);
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe("MSAT 1.2.0: exposure cannot be bought back", () => {
  /** Direct suppliers in Malaysia and China, PPE gloves and polysilicon, traced to origin, mapped to tier 3: the good version. */
  const EXPOSED: Answers = { ...LOW_EXPOSURE, "risk.tier1_countries": ["MY", "CN"], "risk.commodities": ["ppe_gloves", "polysilicon_solar"], "risk.xuar_inputs": "none_traced" };

  it("with the chain traced to origin and the raw materials documented, strong practice is still Low at high exposure", () => {
    const r = score(best(EXPOSED));
    expect([r.exposure?.level, capIds(r), r.band.id]).toEqual(["high", [], "low"]);
    expect(r.exposure?.factors.map((f) => f.id)).toContain("EXP-LISTED-GOODS");
  });

  it("goods on the forced-labour list and a chain mapped only to tier 1, or not at all: no better than Medium; tier 2 lifts the cap", () => {
    const mappings: Answers[] = [{ "mapping.deepest_tier": "tier1" }, { "mapping.has_mapped": "no" }];
    for (const mapping of mappings) {
      const r = score(best({ ...EXPOSED, ...mapping }));
      expect(r.rating?.matrixBand.id).toBe("low");
      expect(capIds(r)).toEqual(["CAP-LISTED-GOODS-TIER1"]);
      expect(r.band.id).toBe("medium");
      expect(r.rating?.explanation).toContain("has not mapped its supply chain beyond its direct suppliers");
    }
    expect(capIds(score(best({ ...EXPOSED, "mapping.deepest_tier": "tier2" })))).toEqual([]);
    // the same goods from a country where they are not listed: no documented route, no cap
    expect(capIds(score(best({ ...EXPOSED, "risk.tier1_countries": ["GB"], "mapping.deepest_tier": "tier1" })))).toEqual([]);
  });

  it("inputs from the Xinjiang region ruled out only by suppliers' declarations: no better than Medium; traced with documents: no cap", () => {
    const declared = score(best({ ...EXPOSED, "risk.xuar_inputs": "none_declared" }));
    expect([capIds(declared), declared.band.id]).toEqual([["CAP-XUAR-DECLARED"], "medium"]);
    expect(declared.rating?.explanation).toContain("only because its suppliers say so");
    expect(rec(declared, "REC-RISK-13")?.priority).toBe("high");
    expect(capIds(score(best({ ...EXPOSED, "risk.xuar_inputs": "none_traced" })))).toEqual([]);
  });

  it("the specialist's case: tier 1 only and suppliers' word, Low under 1.1, is Medium with both reasons", () => {
    const r = score(best({ ...EXPOSED, "mapping.deepest_tier": "tier1", "risk.xuar_inputs": "none_declared" }));
    expect(r.overall!).toBeGreaterThanOrEqual(85);
    expect([r.rating?.matrixBand.id, r.band.id]).toEqual(["low", "medium"]);
    expect(capIds(r)).toEqual(["CAP-LISTED-GOODS-TIER1", "CAP-XUAR-DECLARED"]);
  });

  it("high exposure and no screening against import-ban lists: no better than Medium and the screening recommendation is high priority", () => {
    for (const answer of ["no", "dont_know"]) {
      const r = score(best({ ...EXPOSED, "risk.screened_entity_lists": answer }));
      expect([capIds(r), r.band.id], answer).toEqual([["CAP-NO-SCREENING-EXPOSED"], "medium"]);
      expect(rec(r, "REC-RISK-07")?.priority).toBe("high");
      expect(r.redFlags).toEqual([]);
    }
    // at medium and low exposure, no cap; the recommendation is medium, then low, priority
    const medium = score(best({ ...MEDIUM_EXPOSURE, "risk.screened_entity_lists": "no" }));
    expect([medium.exposure?.level, capIds(medium), medium.band.id, rec(medium, "REC-RISK-07")?.priority]).toEqual(["medium", [], "low", "medium"]);
    const low = score(best({ ...LOW_EXPOSURE, "risk.screened_entity_lists": "no" }));
    expect([low.exposure?.level, capIds(low), rec(low, "REC-RISK-07")?.priority]).toEqual(["low", [], "low"]);
    // exposure made high by four medium factors counts too
    const four = { ...LOW_EXPOSURE, "risk.sectors": ["cleaning"], "risk.workforce": ["low_paid"], "recruitment.uses_labour_providers": "yes", "risk.commodities": ["ppe_gloves"], "risk.screened_entity_lists": "no" };
    const escalated = score(best(four));
    expect([escalated.exposure?.level, escalated.exposure?.escalated]).toEqual(["high", true]);
    expect(capIds(escalated)).toContain("CAP-NO-SCREENING-EXPOSED");
  });

  it("a supplier who screened and found a match it resolved is rated better than one who never screened", () => {
    const screened = score(best({ ...EXPOSED, "risk.screened_entity_lists": "yes", "risk.screening_match": "yes", "risk.screening_resolved": "yes" }));
    const never = score(best({ ...EXPOSED, "risk.screened_entity_lists": "no" }));
    expect([screened.band.id, never.band.id]).toEqual(["low", "medium"]);
    expect(never.overall!).toBeLessThan(screened.overall!);
  });
});

// ---------------------------------------------------------------------------------------------
describe("MSAT 1.2.0: serious signs always ask for a follow-up", () => {
  it("the specialist's case: excessive overtime and withheld wages, a corrective action plan only, never checked with the workers: High, and a follow-up", () => {
    const r = score(best({ ...LOW_EXPOSURE, ...found(["excessive_overtime", "withholding_wages"], ["corrective_action_plan"], "no") }));
    expect(r.band.id).toBe("high");
    expect(r.redFlags.map((f) => [f.id, f.followUp, f.forcesBand])).toEqual([["RF-SEVERE-INDICATORS", true, undefined]]);
    expect(followUpDemanded(r)).toBe(true);
    for (const id of ["REC-GRV-09", "REC-GRV-10", "REC-GRV-06"]) expect(rec(r, id)?.priority, id).toBe("high");
  });

  describe.each(SEVERE)("%s", (sign) => {
    const remedy = REMEDY[sign]!;
    const others = ["worker_support", "referred_authorities", "repaid_money", "returned_documents", "improved_conditions", "corrective_action_plan", "child_remediation"].filter((a) => a !== remedy);

    it("found, put right with its remedy and checked with the workers: Medium, and still a follow-up that does not force the band", () => {
      const r = score(best({ ...LOW_EXPOSURE, ...found([sign], [remedy], "yes") }));
      expect(r.redFlags.map((f) => [f.id, f.followUp, f.forcesBand])).toEqual([["RF-SEVERE-REMEDIATED", true, false]]);
      expect(capIds(r)).toEqual(["CAP-SEVERE-FOUND"]);
      expect(r.band.id).toBe("medium");
      expect(followUpDemanded(r)).toBe(true);
    });

    it.each([
      ["not checked with the workers", [remedy], "no"],
      ["checking not known", [remedy], "dont_know"],
      ["every other action but its own remedy", others, "yes"],
      ["nothing done", ["none"], undefined],
    ] as const)("found, %s: High, and a follow-up", (_, actions, checked) => {
      const r = score(best({ ...LOW_EXPOSURE, ...found([sign], [...actions], checked) }));
      expect(flagIds(r)).toContain("RF-SEVERE-INDICATORS");
      expect(flagIds(r)).not.toContain("RF-SEVERE-REMEDIATED");
      expect(r.band.id).toBe("high");
      expect(followUpDemanded(r)).toBe(true);
    });
  });

  describe.each(OTHER)("%s", (sign) => {
    it("found, acted on and checked with the workers: no flag, no cap, Low", () => {
      const r = score(best({ ...LOW_EXPOSURE, ...found([sign], ["improved_conditions", "worker_support"], "yes") }));
      expect([r.redFlags, capIds(r), r.band.id]).toEqual([[], [], "low"]);
    });

    it.each([
      ["not checked", ["improved_conditions"], "no"],
      ["checking not known", ["improved_conditions"], "dont_know"],
      ["a corrective action plan only, not checked", ["corrective_action_plan"], "no"],
      ["the workers dismissed", ["dismissed_workers"], undefined],
    ] as const)("found, %s: Medium, and a follow-up that does not force the band", (_, actions, checked) => {
      const r = score(best({ ...LOW_EXPOSURE, ...found([sign], [...actions], checked) }));
      expect(r.redFlags.map((f) => [f.id, f.followUp, f.forcesBand])).toEqual([["RF-INDICATORS-NOT-CHECKED", true, false]]);
      expect(capIds(r)).toEqual(["CAP-INDICATORS-NOT-REMEDIATED"]);
      expect(r.band.id).toBe("medium");
    });

    it("found and nothing done: High", () => {
      const r = score(best({ ...LOW_EXPOSURE, ...found([sign], ["none"]) }));
      expect([flagIds(r), r.band.id]).toEqual([["RF-ILO-NO-REMEDY"], "high"]);
    });
  });

  it("dismissing workers who faced forced labour is a high-priority recommendation against it", () => {
    const r = score(best({ ...LOW_EXPOSURE, ...found(["debt_bondage"], ["repaid_money", "dismissed_workers"], "yes") }));
    expect(rec(r, "REC-GRV-14")?.priority).toBe("high");
    expect(rec(r, "REC-GRV-14")?.why).toMatch(/punishes them/);
  });

  it("a serious sign with others, all put right and checked: one follow-up flag", () => {
    const r = score(best({ ...LOW_EXPOSURE, ...found(["debt_bondage", "retention_of_documents", "excessive_overtime"], ["repaid_money", "returned_documents", "improved_conditions"], "yes") }));
    expect(flagIds(r)).toEqual(["RF-SEVERE-REMEDIATED"]);
    expect(r.band.id).toBe("medium");
  });
});

// ---------------------------------------------------------------------------------------------
describe("MSAT 1.2.0: child labour", () => {
  it("is a sign of its own, with the ILO age rule", () => {
    expect(choiceValues(question(qn, "grievance.ilo_indicators_found"))).toContain("child_labour");
    const help = question(qn, "grievance.ilo_indicators_found").help!;
    expect(help).toMatch(/conventions 138 and 182/);
    expect(help).toMatch(/15 in general/);
    expect(help).toMatch(/13 for light work/);
    expect(help).toMatch(/18 for hazardous work/);
    expect(question(qn, "grievance.signs_found").text).toMatch(/forced labour or child labour/);
    expect(applySkipLogic(qn, { "grievance.signs_found": "yes", "grievance.ilo_indicators_found": ["child_labour"] }).visible.has("grievance.remediation_actions")).toBe(true);
  });

  it("remediation tells dismissal apart from remediation in the child's interest", () => {
    const options = question(qn, "grievance.remediation_actions");
    expect(choiceValues(options)).toEqual(expect.arrayContaining(["child_remediation", "dismissed_workers"]));
    if (options.type !== "multi") throw new Error("multi");
    expect(options.options.find((o) => o.value === "dismissed_workers")?.points).toBe(0);
    expect(options.options.find((o) => o.value === "child_remediation")?.points).toBe(1);
  });

  it("found and the child only dismissed: High, a follow-up, and a recommendation against dismissal", () => {
    const r = score(best({ ...LOW_EXPOSURE, ...found(["child_labour"], ["dismissed_workers"]) }));
    expect(r.band.id).toBe("high");
    expect(r.redFlags.map((f) => [f.id, f.followUp])).toEqual([["RF-SEVERE-INDICATORS", true]]);
    const against = rec(r, "REC-GRV-13")!;
    expect(against.priority).toBe("high");
    expect(against.title).toMatch(/not dismissal/);
    expect(against.good).toMatch(/school/);
    // not asked whether it was checked with the workers: dismissal is not remediation
    expect(applySkipLogic(qn, found(["child_labour"], ["dismissed_workers"])).visible.has("grievance.checked_outcome")).toBe(false);
  });

  it("found, the child supported into school and checked with the family: Medium and a follow-up; not checked: High", () => {
    const remediated = score(best({ ...LOW_EXPOSURE, ...found(["child_labour"], ["child_remediation"], "yes") }));
    expect([flagIds(remediated), remediated.band.id, recIds(remediated).includes("REC-GRV-13")]).toEqual([["RF-SEVERE-REMEDIATED"], "medium", false]);
    const unchecked = score(best({ ...LOW_EXPOSURE, ...found(["child_labour"], ["child_remediation"], "no") }));
    expect([flagIds(unchecked), unchecked.band.id]).toEqual([["RF-SEVERE-INDICATORS"], "high"]);
  });

  it("the specialist's case: a supplier that found children working can now say so, and is not rated Low", () => {
    const before = scoreAnswers(v11, bestAnswersOf(v11, { ...LOW_EXPOSURE, "grievance.indicators_found": "no", "recruitment.found_fees_paid": "no", "risk.screening_match": "no", "grievance.concerns_raised": 2, "mapping.tier2_countries": ["GB"] }), riskContext(v11, reference, NO_MATCH));
    expect(before.band.id).toBe("low");
    const after = score(best({ ...LOW_EXPOSURE, ...found(["child_labour"], ["dismissed_workers"]) }));
    expect(after.band.id).toBe("high");
  });
});

// ---------------------------------------------------------------------------------------------
describe("MSAT 1.2.0: disclosure is never worse than ignorance", () => {
  describe.each(["low", "medium", "high"] as const)("at %s exposure", (level) => {
    const dontKnow = score(best({ ...EXPOSURE[level], "grievance.signs_found": "dont_know" }));

    it.each(SEVERE)("%s found, put right and checked with the workers rates no worse, and scores no lower, than 'don't know'", (sign) => {
      const disclosed = score(best({ ...EXPOSURE[level], ...found([sign], [REMEDY[sign]!], "yes") }));
      expect(RANK[disclosed.band.id]!).toBeLessThanOrEqual(RANK[dontKnow.band.id]!);
      expect(disclosed.overall!).toBeGreaterThanOrEqual(dontKnow.overall!);
      expect(followUpDemanded(disclosed)).toBe(true);
      expect(followUpDemanded(dontKnow)).toBe(false);
    });
  });

  it("the specialist's case: debt bondage and kept documents, fully remediated and checked: Medium like 'don't know', with a follow-up, and the report says why", () => {
    const disclosed = score(best({ ...LOW_EXPOSURE, ...found(["debt_bondage", "retention_of_documents"], ["worker_support", "referred_authorities", "repaid_money", "returned_documents", "improved_conditions", "corrective_action_plan"], "yes") }));
    const dontKnow = score(best({ ...LOW_EXPOSURE, "grievance.signs_found": "dont_know" }));
    expect([disclosed.band.id, dontKnow.band.id]).toEqual(["medium", "medium"]);
    expect(disclosed.overall).toBe(100);
    expect(dontKnow.overall!).toBeLessThan(100);
    expect(followUpDemanded(disclosed)).toBe(true);
    expect(disclosed.rating?.notes?.map((n) => n.id)).toEqual(["NOTE-DISCLOSURE"]);
    expect(disclosed.rating?.explanation).toContain("is what a buyer wants to see");
    expect(disclosed.rating?.explanation).toContain("Whatever the rating, a buyer must follow up with the supplier");
    expect(disclosed.redFlags[0]?.description).toContain("what a buyer wants to see");
    expect(dontKnow.rating?.notes).toBeUndefined();
  });

  it("fees found and repaid in full rate no worse than not knowing about fees, and say so; 'don't know' whether repaid counts as not repaid", () => {
    const repaid = score(best({ ...LOW_EXPOSURE, "recruitment.found_fees_paid": "yes", "recruitment.fees_repaid": "all_repaid" }));
    const unknown = score(best({ ...LOW_EXPOSURE, "recruitment.found_fees_paid": "dont_know" }));
    expect([repaid.band.id, unknown.band.id]).toEqual(["low", "medium"]);
    expect(repaid.rating?.explanation).toContain("is what a buyer wants to see");
    const notKnownIfRepaid = score(best({ ...LOW_EXPOSURE, "recruitment.found_fees_paid": "yes", "recruitment.fees_repaid": "dont_know" }));
    expect([flagIds(notKnownIfRepaid), notKnownIfRepaid.band.id]).toEqual([["RF-FEES-NOT-REPAID"], "high"]);
    expect(rec(notKnownIfRepaid, "REC-REC-13")?.priority).toBe("high");
  });
});

// ---------------------------------------------------------------------------------------------
describe("MSAT 1.2.0: proportionality", () => {
  /** No programme yet: the least an organisation can answer to every scored question, knowing it found no harm. */
  function noProgramme(base: Answers): Answers {
    const answers: Answers = { ...base };
    for (const q of allQuestions(qn)) {
      if (q.id in answers || maxPoints(q) === 0 || !applySkipLogic(qn, answers).visible.has(q.id)) continue;
      if (q.type === "yesno") answers[q.id] = "no";
      else if (q.type === "single") answers[q.id] = [...q.options].filter((o) => !o.notApplicable).sort((a, b) => a.points - b.points)[0]!.value;
      else if (q.type === "multi") answers[q.id] = [q.options.find((o) => o.exclusive && o.value === "none")?.value ?? q.options[0]!.value];
      else if (q.type === "number") answers[q.id] = q.id === "purchasing.payment_days" ? 30 : 0;
      else if (q.type === "percent") answers[q.id] = 0;
    }
    return applySkipLogic(qn, answers).answers;
  }
  /** A 12-person UK consultancy that hires its staff directly, on written contracts, and has no programme yet. */
  const CONSULTANCY: Answers = { ...LOW_EXPOSURE, "org.size": "small", "recruitment.written_contracts": "all", "recruitment.found_fees_paid": "no", "grievance.signs_found": "no", "recruitment.holds_id_documents": "no", "governance.statement": "not_required", "voice.restricted_association": "not_applicable" };

  it("the specialist's case: Medium, not High, with the basics said plainly and a short list of proportionate recommendations", () => {
    const r = score(noProgramme(CONSULTANCY));
    expect(r.overall!).toBeLessThan(30);
    expect([r.exposure?.level, r.band.id, r.redFlags]).toEqual(["low", "medium", []]);
    expect(r.rating?.notes?.map((n) => n.id)).toEqual(["NOTE-SMALL-LOW-EXPOSURE"]);
    expect(r.rating?.explanation).toContain("What is missing are the basics");
    expect(r.recommendations.length).toBeLessThanOrEqual(6);
    expect(r.recommendations.filter((x) => x.priority === "high")).toEqual([]);
    expect(rec(r, "REC-GOV-11")?.priority).toBe("medium");
    // a full programme's recommendations are not asked of it
    for (const id of ["REC-GOV-01", "REC-GOV-03", "REC-RISK-01", "REC-MAP-01", "REC-PUR-01", "REC-VOI-03", "REC-TRN-01", "REC-GRV-01", "REC-MON-02", "REC-MON-07"]) expect(recIds(r), id).not.toContain(id);
  });

  it.each(["micro", "small", "medium", "large"])("at low exposure, no programme never makes a %s supplier High risk", (size) => {
    const r = score(noProgramme({ ...CONSULTANCY, "org.size": size }));
    expect([r.exposure?.level, r.band.id]).toEqual(["low", "medium"]);
    expect(r.rating?.explanation).toMatch(/Exposure is low, so (having little in place|gaps in the programme alone)/);
  });

  it("a medium or large supplier at low exposure keeps the full list, and is told why the gaps matter at its size", () => {
    const r = score(noProgramme({ ...CONSULTANCY, "org.size": "large" }));
    expect(r.rating?.notes?.map((n) => n.id)).toEqual(["NOTE-LARGER-LOW-EXPOSURE"]);
    expect(recIds(r)).toEqual(expect.arrayContaining(["REC-GOV-01", "REC-GOV-03", "REC-RISK-01", "REC-MAP-01"]));
    expect(recIds(r)).not.toContain("REC-GOV-11");
  });

  it("the same small supplier at medium or high exposure: no proportionality note, the full list, and High is possible", () => {
    for (const level of ["medium", "high"] as const) {
      const r = score(noProgramme({ ...CONSULTANCY, ...EXPOSURE[level], "org.size": "small" }));
      expect([r.exposure?.level, r.band.id], level).toEqual([level, "high"]);
      expect(r.rating?.notes, level).toBeUndefined();
      expect(recIds(r), level).toEqual(expect.arrayContaining(["REC-GOV-01", "REC-MAP-01", "REC-MON-02"]));
      expect(recIds(r), level).not.toContain("REC-GOV-11");
      // scaled for its size: working with others and measuring outcomes are low priority
      expect(rec(r, "REC-VOI-01")?.priority, level).toBe("low");
      expect(rec(r, "REC-MON-07")?.priority, level).toBe("low");
    }
  });

  it("at low exposure the matrix gives Medium for any score under the Low line, and harm found still gives High", () => {
    const r = score(noProgramme({ ...CONSULTANCY, ...found(["debt_bondage"], ["none"]) }));
    expect(r.band.id).toBe("high");
  });
});

// ---------------------------------------------------------------------------------------------
describe("MSAT 1.2.0: import-ban screening of the named suppliers", () => {
  const answers = best(LOW_EXPOSURE);

  it("a confirmed match with an active order is a red flag that forces High and asks for a follow-up", () => {
    const r = score(answers, "confirmed_active");
    expect(r.redFlags.map((f) => [f.id, f.followUp, f.forcesBand])).toEqual([["RF-IMPORT-BAN-CONFIRMED", true, undefined]]);
    expect(r.band.id).toBe("high");
    expect(r.exposure?.level).toBe("high");
    const engage = rec(r, "REC-RISK-09")!;
    expect(engage.priority).toBe("high");
    expect(engage.good).toMatch(/leave responsibly only if the supplier will not act/);
  });

  it("an unresolved match with an active order is a red flag that asks for a follow-up", () => {
    const r = score(answers, "unresolved_active");
    expect(r.redFlags.map((f) => [f.id, f.followUp])).toEqual([["RF-IMPORT-BAN-UNRESOLVED", true]]);
    expect(r.band.id).toBe("high");
  });

  it("a lifted order stays a recommendation at most: no flag, no cap, no exposure", () => {
    const r = score(answers, "resolved_inactive");
    expect([r.redFlags, capIds(r), r.exposure?.level, r.band.id]).toEqual([[], [], "low", "low"]);
    expect(rec(r, "REC-RISK-11")?.priority).toBe("low");
  });

  it("the supplier's own unresolved match asks for a follow-up without forcing the band", () => {
    const r = score(best({ ...LOW_EXPOSURE, "risk.screened_entity_lists": "yes", "risk.screening_match": "yes", "risk.screening_resolved": "no" }));
    expect(r.redFlags.map((f) => [f.id, f.followUp, f.forcesBand])).toEqual([["RF-OWN-MATCH-UNRESOLVED", true, false]]);
    expect([capIds(r), r.band.id]).toEqual([["CAP-SCREENING-MATCH-UNRESOLVED"], "medium"]);
  });
});

// ---------------------------------------------------------------------------------------------
describe("MSAT 1.2.0: help texts", () => {
  const strings: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "string") strings.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(qn);

  it("never has a business refer workers to the National Referral Mechanism: only first responders can, with an adult's consent", () => {
    expect(strings.filter((s) => /referr?(ed)? workers to the National Referral Mechanism|involve the police, the National Referral Mechanism/i.test(s))).toEqual([]);
    expect(question(qn, "grievance.response_plan").help).toMatch(/only designated first responders[^.]*can, and an adult must consent/);
    const option = question(qn, "grievance.remediation_actions");
    if (option.type !== "multi") throw new Error("multi");
    expect(option.options.find((o) => o.value === "referred_authorities")?.label).not.toMatch(/National Referral Mechanism/);
  });

  it("says 'presumed' only of the UFLPA", () => {
    for (const s of strings.filter((s) => /presum/i.test(s))) expect(s).toMatch(/UFLPA|Uyghur Forced Labor Prevention Act/);
    expect(question(qn, "risk.screened_entity_lists").help).toMatch(/most name private companies/);
  });

  it("the Xinjiang question covers Entity List companies and workers transferred out of the region, which is why seafood is a priority", () => {
    const q = question(qn, "risk.xuar_inputs");
    expect(q.text).toMatch(/UFLPA Entity List/);
    expect(q.text).toMatch(/transferred out of the region/);
    expect(q.help).toMatch(/seafood-processing plants elsewhere in China, which is why seafood is an enforcement priority/);
    expect(choiceValues(q)).toEqual(["none_traced", "none_declared", "yes", "dont_know"]);
  });

  it("section 54 applies to organisations carrying on a business in the UK", () => {
    expect(question(qn, "governance.statement").help).toMatch(/carries on a business or part of a business in the UK/);
  });

  it("tells a supplier who does not know whether fees were repaid what to do", () => {
    const q = question(qn, "recruitment.fees_repaid");
    expect(q.help).toMatch(/If you do not know/);
    expect(q.help).toMatch(/ask the workers/);
    expect(choiceValues(q)).toContain("dont_know");
  });
});

// ---------------------------------------------------------------------------------------------
// Reachability: every recommendation (and each priority it can take), red flag, cap, note, exposure
// rule and KPI can be met by valid answers that respect skip logic, with the published reference
// data, each screening outcome and each exposure level.
const { search } = searcher(qn, [LOW_EXPOSURE, MEDIUM_EXPOSURE, HIGH_EXPOSURE]);

function expectValid(witness: Witness) {
  expect(applySkipLogic(qn, witness.answers).answers).toEqual(witness.answers);
  const index = questionIndex(qn);
  for (const [id, value] of Object.entries(witness.answers)) expect(validateAnswer(index.get(id)!.question, value, isCountryCode), id).toEqual({ ok: true, value });
}

describe("MSAT 1.2.0: every rule can be met", () => {
  it.each(qn.recommendations.map((r) => [r.id, r] as const))("recommendation %s, at each of its priorities", (id, r) => {
    const otherwise: Condition = { and: [r.when, ...(r.priorityWhen ?? []).map((p) => ({ not: p.when }))] };
    const priorities: Array<[string, Condition]> = [[r.priority, otherwise], ...(r.priorityWhen ?? []).map((p) => [p.priority, { and: [r.when, p.when] }] as [string, Condition])];
    for (const [priority, when] of priorities) {
      const { witness, largest } = search(when, (a, s) => rec(score(a, s), id)?.priority === priority);
      expect(witness, `no answers give ${id} at ${priority} priority (largest search ${largest})`).toBeDefined();
      expectValid(witness!);
    }
  });

  it.each(qn.redFlags.map((f) => [f.id, f] as const))("red flag %s", (id, flag) => {
    const { witness } = search(flag.when, (a, s) => flagIds(score(a, s)).includes(id));
    expect(witness, `no answers raise ${id}`).toBeDefined();
    expectValid(witness!);
    const r = score(witness!.answers, witness!.state);
    const raised = r.redFlags.find((f) => f.id === id)!;
    expect(raised.followUp).toBe(true);
    if (flag.forcesBand) expect(r.band.id).toBe("high");
    else expect(raised.forcesBand).toBe(false);
  });

  it.each(qn.rating!.caps.map((c) => [c.id, c.when] as const))("cap %s", (id, when) => {
    const { witness } = search(when, (a, s) => capIds(score(a, s)).includes(id));
    expect(witness, `no answers apply ${id}`).toBeDefined();
    expectValid(witness!);
  });

  it.each(qn.rating!.notes.map((n) => [n.id, n.when] as const))("note %s", (id, when) => {
    const { witness } = search(when, (a, s) => ids(score(a, s).rating?.notes).includes(id));
    expect(witness, `no answers add ${id}`).toBeDefined();
    expectValid(witness!);
  });

  it.each(qn.exposure!.rules.map((r) => [r.id, r.when] as const))("exposure rule %s", (id, when) => {
    const { witness } = search(when, (a, s) => ids(score(a, s).exposure?.factors).includes(id));
    expect(witness, `no answers raise ${id}`).toBeDefined();
    expectValid(witness!);
  });

  it.each(qn.kpis.map((k) => [k.id, k] as const))("KPI %s", (_, kpi) => {
    const cond: Condition = kpi.denominator ? { and: [kpi.numerator, kpi.denominator] } : kpi.numerator;
    const { witness } = search(cond, (a) => evaluate(cond, a));
    expect(witness).toBeDefined();
    expect(evaluate(kpi.numerator, {})).toBe(false);
  });
});
