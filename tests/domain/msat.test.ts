import { describe, it, expect } from "vitest";
import { resolve } from "node:path";
import type { Question, Questionnaire } from "../../questionnaires/format";
import { choiceValues, loadQuestionnaire } from "../../questionnaires/format";
import type { Answers } from "../../app/domain/answers";
import { evaluate } from "../../app/domain/conditions";
import { allQuestions } from "../../app/domain/questions";
import { maxPoints, scoreAnswers } from "../../app/domain/scoring";
import { applySkipLogic } from "../../app/domain/visibility";
import { ROOT, bestAnswers, question } from "./helpers";

const MSAT_PATH = "questionnaires/msat/msat-1.0.0.yaml";
const qn = loadQuestionnaire(resolve(ROOT, MSAT_PATH));

describe("MSAT 1.0.0: the file", () => {
  it("loads, and is named by its id and version", () => {
    expect(qn.id).toBe("msat");
    expect(qn.version).toBe("1.0.0");
    expect(qn.title).toBe("Modern slavery self-assessment");
  });

  it("has the nine themes, in order", () => {
    expect(qn.themes.map((t) => t.id)).toEqual([
      "governance",
      "risk",
      "mapping",
      "recruitment",
      "purchasing",
      "voice",
      "training",
      "grievance",
      "monitoring",
    ]);
    for (const theme of qn.themes) expect(theme.questions.length).toBeGreaterThan(0);
  });

  it("has 50-70 questions, at least 40 recommendations, red flags and KPIs", () => {
    const count = allQuestions(qn).length;
    expect(count).toBeGreaterThanOrEqual(50);
    expect(count).toBeLessThanOrEqual(70);
    expect(count).toBe(65);
    expect(qn.recommendations.length).toBeGreaterThanOrEqual(40);
    expect(qn.recommendations.length).toBe(67);
    expect(qn.redFlags.length).toBe(5);
    expect(qn.kpis.length).toBe(9);
  });

  it("has bands high < 40 <= medium < 70 <= low, and red flags force high", () => {
    expect(qn.bands.map((b) => [b.id, b.min])).toEqual([
      ["high", 0],
      ["medium", 40],
      ["low", 70],
    ]);
    expect(qn.redFlagBand).toBe("high");
  });

  it("gives every theme something to score", () => {
    for (const theme of qn.themes) {
      expect(theme.questions.reduce((n, q) => n + maxPoints(q), 0), theme.id).toBeGreaterThan(0);
    }
  });
});

describe("MSAT 1.0.0: fixed ids other code depends on", () => {
  type Expected = { type: Question["type"]; options?: string[]; multiple?: boolean; showIf?: unknown };
  const fixed: Array<[string, Expected]> = [
    ["org.size", { type: "single", options: ["micro", "small", "medium", "large"] }],
    ["org.hq_country", { type: "country", multiple: false }],
    ["mapping.has_mapped", { type: "yesno" }],
    ["mapping.deepest_tier", { type: "single", options: ["tier1", "tier2", "tier3_plus"], showIf: { q: "mapping.has_mapped", equals: "yes" } }],
    ["partners.works_with_partners", { type: "yesno" }],
    ["voice.supports_representation", { type: "yesno" }],
    ["recruitment.prohibits_worker_fees", { type: "yesno" }],
    ["recruitment.uses_labour_providers", { type: "yesno" }],
    ["recruitment.monitors_labour_providers", { type: "yesno", showIf: { q: "recruitment.uses_labour_providers", equals: "yes" } }],
    ["purchasing.assessed_practices", { type: "yesno" }],
    ["purchasing.aspects_assessed", { type: "multi", showIf: { q: "purchasing.assessed_practices", equals: "yes" } }],
    ["mapping.entities", { type: "group", showIf: { q: "mapping.has_mapped", equals: "yes" } }],
  ];

  it.each(fixed)("%s", (id, expected) => {
    const q = question(qn, id);
    expect(q.type).toBe(expected.type);
    if (expected.options) expect(choiceValues(q)).toEqual(expected.options);
    if (expected.multiple !== undefined) expect(q.type === "country" && q.multiple).toBe(expected.multiple);
    expect(q.showIf).toEqual(expected.showIf);
    if (q.type === "yesno") expect(choiceValues(q)).toEqual(expect.arrayContaining(["yes", "no"]));
  });

  it("purchasing.aspects_assessed offers pricing, lead_times, payment_terms, order_changes and forecasting", () => {
    expect(choiceValues(question(qn, "purchasing.aspects_assessed"))).toEqual(
      expect.arrayContaining(["pricing", "lead_times", "payment_terms", "order_changes", "forecasting"]),
    );
  });

  it("mapping.entities has the fields name, country, tier, products", () => {
    const q = question(qn, "mapping.entities");
    expect(q.type === "group" && q.fields.map((f) => [f.id, f.type])).toEqual([
      ["name", "text"],
      ["country", "country"],
      ["tier", "single"],
      ["products", "text"],
    ]);
    expect(q.type === "group" && q.fields[2]?.options?.map((o) => o.value)).toEqual(["tier1", "tier2", "tier3_plus"]);
  });

  it("the follow-ups appear exactly when their parent is answered yes", () => {
    const visible = (answers: Answers) => applySkipLogic(qn, answers).visible;
    for (const [parent, child] of [
      ["mapping.has_mapped", "mapping.deepest_tier"],
      ["recruitment.uses_labour_providers", "recruitment.monitors_labour_providers"],
      ["purchasing.assessed_practices", "purchasing.aspects_assessed"],
    ] as const) {
      expect(visible({ [parent]: "yes" }).has(child), `${child} after yes`).toBe(true);
      expect(visible({ [parent]: "no" }).has(child), `${child} after no`).toBe(false);
      expect(visible({}).has(child), `${child} unanswered`).toBe(false);
    }
  });
});

describe("MSAT 1.0.0: help text agrees with the definitions", () => {
  it("a question whose help says it is not scored has no points", () => {
    const unscored = allQuestions(qn).filter((q) => q.help?.includes("is not scored") || q.help?.includes("not scored:"));
    expect(unscored.map((q) => q.id)).toEqual([
      "org.size",
      "org.hq_country",
      "risk.delivery_countries",
      "risk.high_risk_commodities",
      "mapping.tier2_countries",
      "mapping.subcontracts_labour",
      "recruitment.uses_labour_providers",
      "grievance.concerns_raised",
      "grievance.ilo_indicators_found",
    ]);
    for (const q of unscored) expect(maxPoints(q), q.id).toBe(0);
  });

  it("a question whose help says it is optional is not required", () => {
    const optional = allQuestions(qn).filter((q) => q.help?.startsWith("Optional"));
    expect(optional.length).toBe(5);
    for (const q of optional) expect(q.required, q.id).toBe(false);
  });
});


describe("MSAT 1.0.0: scoring the extremes", () => {
  it("nothing answered: 0% overall, high risk, no red flags, no recommendations", () => {
    const result = scoreAnswers(qn, {});
    expect(result.overall).toBe(0);
    expect(result.band.id).toBe("high");
    expect(result.redFlags).toEqual([]);
    expect(result.recommendations).toEqual([]);
    expect(result.themes.every((t) => t.earned === 0 && t.possible > 0)).toBe(true);
  });

  it("the best answers score 100% in every theme, low risk, with only the supplier list left to do", () => {
    const answers = bestAnswers(qn);
    const result = scoreAnswers(qn, answers);
    expect(result.themes.map((t) => t.percent)).toEqual(qn.themes.map(() => 100));
    expect(result.overall).toBe(100);
    expect(result.band.id).toBe("low");
    expect(result.redFlags).toEqual([]);
    expect(result.recommendations.map((r) => r.id)).toEqual(["REC-MAP-05"]);

    const withSuppliers = { ...answers, "mapping.entities": [{ name: "Acme", country: "GB", tier: "tier1", products: "Uniforms" }] };
    expect(scoreAnswers(qn, withSuppliers).recommendations).toEqual([]);
  });

  it("a red flag forces high risk even at 100%", () => {
    // screening_match is unscored, so a match leaves the score at 100%
    const result = scoreAnswers(qn, { ...bestAnswers(qn), "risk.screening_match": "yes" });
    expect(result.overall).toBe(100);
    expect(result.redFlags.map((f) => f.id)).toEqual(["RF-IMPORT-BAN-MATCH"]);
    expect(result.band).toEqual({ id: "high", label: "High risk" });
    expect(result.recommendations.map((r) => r.id)).toEqual(["REC-RISK-08", "REC-MAP-05"]);
  });

  it("identity documents held: a red flag and a lower recruitment score", () => {
    const result = scoreAnswers(qn, { ...bestAnswers(qn), "recruitment.holds_id_documents": "yes" });
    const recruitment = result.themes.find((t) => t.themeId === "recruitment");
    expect(recruitment && recruitment.possible - recruitment.earned).toBe(2);
    expect(result.redFlags.map((f) => f.id)).toEqual(["RF-ID-DOCS"]);
    expect(result.band.id).toBe("high");
    expect(result.recommendations.map((r) => r.id)).toEqual(["REC-REC-07", "REC-MAP-05"]);
  });
});
