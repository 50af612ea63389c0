/**
 * The parts of the risk model MSAT 1.2 added, on a small inline questionnaire: conditions on the
 * supplier's exposure, priorities that depend on a condition, red flags that ask for a follow-up
 * without forcing the band, notes on the rating, and a matrix row that leaves a band out.
 */
import { describe, expect, it } from "vitest";
import { QuestionnaireError } from "../../questionnaires/format";
import type { Answers } from "../../app/domain/answers";
import type { ConditionContext } from "../../app/domain/conditions";
import { scoreAnswers } from "../../app/domain/scoring";
import { fixture } from "./helpers";

const BODY = `themes:
  - id: t
    title: T
    questions:
      - {id: t.size, type: single, text: Size?, options: [{value: small, label: Small}, {value: large, label: Large}]}
      - {id: t.where, type: country, text: Where?}
      - {id: t.good, type: yesno, text: Good?, points: {"yes": 10, "no": 0}}
      - {id: t.harm, type: single, text: Harm?, options: [{value: none, label: None}, {value: fixed, label: Found and fixed}, {value: open, label: Found and open}]}
exposure:
  countryRisk: {source: prevalence.csv, mediumFrom: 5, highFrom: 10}
  rules:
    - {id: EXP-HIGH, level: high, reason: A high-risk country., when: {q: t.where, countryRisk: high}}
rating:
  matrix:
    low: [{band: green, min: 60}, {band: amber, min: 0}]
    medium: [{band: green, min: 70}, {band: amber, min: 40}, {band: red, min: 0}]
    high: [{band: green, min: 85}, {band: amber, min: 55}, {band: red, min: 0}]
  caps:
    - {id: CAP-HARM-FOUND, atBest: amber, reason: Harm was found., when: {q: t.harm, equals: fixed}}
  notes:
    - {id: NOTE-SMALL, text: "A small supplier with low exposure is not rated Red for having little in place.", when: {and: [{exposure: low}, {q: t.size, equals: small}, {q: t.good, equals: "no"}]}}
recommendations:
  - id: REC-A
    theme: t
    title: Do the good thing
    why: W
    good: G
    priority: medium
    priorityWhen:
      - {priority: high, when: {exposure: high}}
      - {priority: low, when: {q: t.size, equals: small}}
    when: {q: t.good, equals: "no"}
redFlags:
  - {id: RF-OPEN, title: Harm left open, description: D, when: {q: t.harm, equals: open}}
  - {id: RF-FIXED, title: Harm found and put right, description: D, forcesBand: false, when: {q: t.harm, equals: fixed}}
`;
const qn = fixture(BODY);
const context: ConditionContext = { countryRisk: (c) => (c === "PK" ? "high" : c === "GB" ? "low" : undefined) };
const score = (answers: Answers) => scoreAnswers(qn, answers, context);
const UK: Answers = { "t.size": "large", "t.where": "GB", "t.harm": "none" };

describe("a matrix row that leaves a band out", () => {
  it("never gives that band from the score alone: low exposure and nothing in place is Amber, not Red", () => {
    const r = score({ ...UK, "t.good": "no" });
    expect([r.overall, r.exposure?.level, r.band.id]).toEqual([0, "low", "amber"]);
    expect(r.rating?.explanation).toBe("Amber: exposure is low and the management score is 0%. With low exposure, Green needs 60% or more.");
    const abroad = score({ ...UK, "t.where": "PK", "t.good": "no" });
    expect([abroad.exposure?.level, abroad.band.id]).toEqual(["high", "red"]);
  });

  it("is refused out of order or with a band twice", () => {
    const swapped = BODY.replace("low: [{band: green, min: 60}, {band: amber, min: 0}]", "low: [{band: amber, min: 60}, {band: green, min: 0}]");
    expect(() => fixture(swapped)).toThrow(/rating\.matrix\.low\[1\]\.band: 'green' must come after 'amber'/);
    const twice = BODY.replace("low: [{band: green, min: 60}, {band: amber, min: 0}]", "low: [{band: green, min: 60}, {band: green, min: 0}]");
    expect(() => fixture(twice)).toThrow(QuestionnaireError);
  });
});

describe("conditions on exposure", () => {
  it("set a recommendation's priority, the first that holds winning", () => {
    const priority = (answers: Answers) => score({ ...answers, "t.good": "no" }).recommendations.map((r) => r.priority);
    expect(priority(UK)).toEqual(["medium"]);
    expect(priority({ ...UK, "t.size": "small" })).toEqual(["low"]);
    expect(priority({ ...UK, "t.where": "PK" })).toEqual(["high"]);
    expect(priority({ ...UK, "t.where": "PK", "t.size": "small" })).toEqual(["high"]);
  });

  it("add a note to the explanation while they hold", () => {
    const small = score({ ...UK, "t.size": "small", "t.good": "no" });
    expect(small.rating?.notes).toEqual([{ id: "NOTE-SMALL", text: "A small supplier with low exposure is not rated Red for having little in place." }]);
    expect(small.rating?.explanation).toMatch(/needs 60% or more\. A small supplier with low exposure is not rated Red for having little in place\.$/);
    const abroad = score({ ...UK, "t.size": "small", "t.where": "PK", "t.good": "no" });
    expect(abroad.rating?.notes).toBeUndefined();
    expect(score({ ...UK, "t.good": "no" }).rating).not.toHaveProperty("notes");
  });

  it("are refused in skip logic, exposure rules and KPIs, and without a risk model", () => {
    const inShowIf = BODY.replace("{id: t.good, type: yesno, text: Good?,", "{id: t.good, type: yesno, text: Good?, showIf: {exposure: high},");
    expect(() => fixture(inShowIf)).toThrow(/showIf\.exposure: only recommendations, red flags, caps and notes can depend on exposure/);
    const inRule = BODY.replace("when: {q: t.where, countryRisk: high}}", "when: {exposure: medium}}");
    expect(() => fixture(inRule)).toThrow(/exposure\.rules\[0\]\.when\.exposure: only/);
    const inKpi = `${BODY}kpis:\n  - {id: k, title: K, numerator: {exposure: high}}\n`;
    expect(() => fixture(inKpi)).toThrow(/kpis\[0\]\.numerator\.exposure: only/);
    const noModel = `themes:
  - id: t
    title: T
    questions:
      - {id: t.good, type: yesno, text: Good?, points: {"yes": 1, "no": 0}}
recommendations:
  - {id: REC-A, theme: t, title: A, why: W, good: G, priority: low, when: {exposure: high}}
`;
    expect(() => fixture(noModel)).toThrow(/there is no exposure without a risk model/);
  });
});

describe("red flags that ask for a follow-up without forcing the band", () => {
  it("leave the band to the matrix and caps, ask for the follow-up, and say so", () => {
    const r = score({ ...UK, "t.good": "yes", "t.harm": "fixed" });
    expect(r.redFlags.map((f) => [f.id, f.followUp, f.forcesBand])).toEqual([["RF-FIXED", true, false]]);
    expect(r.rating?.matrixBand.id).toBe("green");
    expect(r.band.id).toBe("amber");
    expect(r.rating?.explanation).toBe(
      "Amber: exposure is low and the management score is 100%. The score alone would give Green, but it can be no better than Amber because harm was found. Whatever the rating, a buyer must follow up with the supplier: Harm found and put right.",
    );
  });

  it("while a flag that forces the band still does, and the result keeps its old shape", () => {
    const r = score({ ...UK, "t.good": "yes", "t.harm": "open" });
    expect(r.band.id).toBe("red");
    expect(r.redFlags).toHaveLength(1);
    expect(r.redFlags[0]).not.toHaveProperty("forcesBand");
    expect(r.rating?.explanation).toBe("Red because of a red flag: Harm left open.");
  });

  it("a flag that neither forces the band nor asks for a follow-up is refused", () => {
    const idle = BODY.replace("forcesBand: false,", "forcesBand: false, followUp: false,");
    expect(() => fixture(idle)).toThrow(/redFlags\[1\]: a red flag that neither forces the band nor asks for a follow-up has no effect/);
  });

  it("without a risk model, only a flag that forces the band sets it", () => {
    const plain = fixture(`themes:
  - id: t
    title: T
    questions:
      - {id: t.good, type: yesno, text: Good?, points: {"yes": 1, "no": 0}}
redFlags:
  - {id: RF-SOFT, title: Soft, description: D, forcesBand: false, when: {q: t.good, equals: "yes"}}
`);
    const r = scoreAnswers(plain, { "t.good": "yes" });
    expect([r.band.id, r.redFlags.map((f) => f.id)]).toEqual(["green", ["RF-SOFT"]]);
  });
});
