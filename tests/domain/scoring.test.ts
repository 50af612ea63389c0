import { describe, it, expect } from "vitest";
import type { Answers } from "../../app/domain/answers";
import { bandFor, maxPoints, pointsFor, scoreAnswers } from "../../app/domain/scoring";
import { fixture, question } from "./helpers";

const themeScore = (result: ReturnType<typeof scoreAnswers>, themeId: string) => {
  const theme = result.themes.find((t) => t.themeId === themeId);
  if (!theme) throw new Error(`no theme ${themeId}`);
  return { earned: theme.earned, possible: theme.possible, percent: theme.percent };
};

// ---------------------------------------------------------------------------------------------
describe("hidden answers are never scored", () => {
  const qn = fixture(`themes:
  - id: chain
    title: Chain
    questions:
      - {id: chain.a, type: yesno, text: Question A, points: {"yes": 2, "no": 0}}
      - id: chain.b
        type: single
        text: Question B
        showIf: {q: chain.a, equals: "yes"}
        options:
          - {value: x, label: X, points: 3}
          - {value: "y", label: "Y", points: 1}
      - {id: chain.c, type: yesno, text: Question C, points: {"yes": 4, "no": 0}, showIf: {q: chain.b, equals: x}}
recommendations:
  - {id: REC-C, theme: chain, title: C said no, why: W, good: G, priority: high, when: {q: chain.c, equals: "no"}}
  - {id: REC-B, theme: chain, title: B is y, why: W, good: G, priority: low, when: {q: chain.b, oneOf: ["y"]}}
  - {id: REC-C-MISSING, theme: chain, title: C not answered, why: W, good: G, priority: low, when: {q: chain.c, answered: false}}
redFlags:
  - {id: RF-B, title: B is x, description: D, when: {q: chain.b, equals: x}}
`);

  it("scores the whole chain when it is visible", () => {
    const result = scoreAnswers(qn, { "chain.a": "yes", "chain.b": "x", "chain.c": "no" });
    expect(themeScore(result, "chain")).toEqual({ earned: 5, possible: 9, percent: 55.6 });
    expect(result.recommendations.map((r) => r.id)).toEqual(["REC-C"]);
    expect(result.redFlags.map((f) => f.id)).toEqual(["RF-B"]);
    expect(result.band.id).toBe("red");
  });

  it("ignores the answers of hidden B and C: same earned/possible as if they were never given", () => {
    const withHidden = scoreAnswers(qn, { "chain.a": "no", "chain.b": "x", "chain.c": "no" });
    const without = scoreAnswers(qn, { "chain.a": "no" });
    expect(themeScore(withHidden, "chain")).toEqual({ earned: 0, possible: 2, percent: 0 });
    expect(withHidden.themes).toEqual(without.themes);
    expect(withHidden.overall).toBe(0);
  });

  it("a hidden answer triggers no recommendation or red flag that mentions it", () => {
    const result = scoreAnswers(qn, { "chain.a": "no", "chain.b": "x", "chain.c": "no" });
    expect(result.redFlags).toEqual([]);
    // only the answered:false rule fires, because hidden C counts as unanswered
    expect(result.recommendations.map((r) => r.id)).toEqual(["REC-C-MISSING"]);
    expect(result.recommendations[0]!.triggeredBy).toEqual([]);
  });

  it("C hidden by B alone: C's answer is not scored, B's is", () => {
    const result = scoreAnswers(qn, { "chain.a": "yes", "chain.b": "y", "chain.c": "no" });
    expect(themeScore(result, "chain")).toEqual({ earned: 3, possible: 5, percent: 60 });
    expect(result.recommendations.map((r) => r.id)).toEqual(["REC-B", "REC-C-MISSING"]);
  });
});

// ---------------------------------------------------------------------------------------------
describe("not applicable and unanswered questions", () => {
  const qn = fixture(`themes:
  - id: na
    title: N/A
    questions:
      - id: na.statement
        type: single
        text: Statement?
        options:
          - {value: published, label: Published, points: 3}
          - {value: missing, label: Required but missing, points: 0}
          - {value: not_required, label: Not required, points: 5, notApplicable: true}
      - {id: na.registry, type: yesno, text: On the registry?, points: {"yes": 2, "no": 0}, showIf: {q: na.statement, equals: published}}
      - {id: na.other, type: yesno, text: Other?, points: {"yes": 1, "no": 0}}
      - id: na.checks
        type: multi
        text: Checks?
        options:
          - {value: a, label: A, points: 2}
          - {value: b, label: B, points: 2}
          - {value: na, label: Not applicable to us, notApplicable: true, exclusive: true}
      - {id: na.note, type: text, text: Notes, required: false}
`);

  it("maxPoints leaves notApplicable options out", () => {
    expect(maxPoints(question(qn, "na.statement"))).toBe(3);
    expect(maxPoints(question(qn, "na.checks"))).toBe(4);
    expect(maxPoints(question(qn, "na.note"))).toBe(0);
  });

  it("a notApplicable answer and a hidden question are left out of the denominator", () => {
    const result = scoreAnswers(qn, { "na.statement": "not_required", "na.registry": "yes", "na.other": "yes", "na.checks": ["a"] });
    // statement: N/A (its 5 points are not earned either); registry: hidden; other 1/1; checks 2/4
    expect(themeScore(result, "na")).toEqual({ earned: 3, possible: 5, percent: 60 });
    expect(pointsFor(question(qn, "na.statement"), "not_required")).toBeNull();
  });

  it("a multiple-choice answer with a notApplicable option is left out of the denominator", () => {
    const result = scoreAnswers(qn, { "na.statement": "missing", "na.other": "no", "na.checks": ["na"] });
    expect(themeScore(result, "na")).toEqual({ earned: 0, possible: 4, percent: 0 });
    expect(pointsFor(question(qn, "na.checks"), ["na"])).toBeNull();
  });

  it("an unanswered visible scored question earns 0 with its max in the denominator", () => {
    const result = scoreAnswers(qn, { "na.statement": "published" });
    // statement 3/3, registry 0/2, other 0/1, checks 0/4
    expect(themeScore(result, "na")).toEqual({ earned: 3, possible: 10, percent: 30 });
    expect(pointsFor(question(qn, "na.registry"), undefined)).toBe(0);
  });

  it("a theme with nothing applicable has no percentage and does not count towards the overall", () => {
    const two = fixture(`themes:
  - id: first
    title: First
    questions:
      - {id: first.q, type: yesno, text: Q, points: {"yes": 1, "no": 0}}
  - id: second
    title: Second
    questions:
      - id: second.q
        type: single
        text: Q
        options:
          - {value: ok, label: OK, points: 2}
          - {value: na, label: N/A, notApplicable: true}
`);
    const result = scoreAnswers(two, { "first.q": "yes", "second.q": "na" });
    expect(result.themes.map((t) => [t.themeId, t.earned, t.possible, t.percent])).toEqual([
      ["first", 1, 1, 100],
      ["second", 0, 0, null],
    ]);
    expect(result.overall).toBe(100);
    expect(result.band.id).toBe("green");
  });

  it("N/A answers leave only the unanswered visible question in the denominator; no scored question at all gives no overall and the red-flag band", () => {
    const result = scoreAnswers(qn, { "na.statement": "not_required", "na.checks": ["na"] });
    expect(themeScore(result, "na")).toEqual({ earned: 0, possible: 1, percent: 0 });
    const unscored = fixture(`themes:
  - id: info
    title: Info
    questions:
      - {id: info.note, type: text, text: Notes}
`);
    const empty = scoreAnswers(unscored, { "info.note": "hello" });
    expect(empty.overall).toBeNull();
    expect(empty.themes[0]!.percent).toBeNull();
    expect(empty.band).toEqual({ id: "red", label: "Red" });
  });
});

// ---------------------------------------------------------------------------------------------
describe("points per question", () => {
  const qn = fixture(`themes:
  - id: s
    title: Scoring
    questions:
      - {id: s.yn, type: yesno, text: Y/N, dontKnow: true, points: {"yes": 3, "no": 1}}
      - id: s.single
        type: single
        text: Single
        options:
          - {value: low, label: Low, points: 1}
          - {value: high, label: High, points: 4}
      - id: s.capped
        type: multi
        text: Capped
        maxPoints: 5
        options:
          - {value: a, label: A, points: 2}
          - {value: b, label: B, points: 2}
          - {value: c, label: C, points: 3}
          - {value: none, label: None, exclusive: true}
      - id: s.uncapped
        type: multi
        text: Uncapped
        options:
          - {value: a, label: A, points: 1}
          - {value: b, label: B, points: 2}
      - id: s.days
        type: number
        text: Days
        max: 365
        scoring:
          - {min: 61, points: 0}
          - {min: 31, max: 61, points: 1}
          - {min: 0, max: 31, points: 2}
      - id: s.pct
        type: percent
        text: Percent
        scoring:
          - {min: 80, points: 3}
          - {min: 50, max: 80, points: 2}
          - {min: 25, max: 50, points: 1}
          - {min: 0, max: 25, points: 0}
      - id: s.gap
        type: number
        text: Gap
        scoring:
          - {min: 10, max: 20, points: 4}
      - {id: s.plain, type: number, text: Plain}
`);

  it("yesno: yes and no earn their points; dont_know scores like no", () => {
    const q = question(qn, "s.yn");
    expect(maxPoints(q)).toBe(3);
    expect(pointsFor(q, "yes")).toBe(3);
    expect(pointsFor(q, "no")).toBe(1);
    expect(pointsFor(q, "dont_know")).toBe(1);
    expect(themeScore(scoreAnswers(qn, { "s.yn": "dont_know" }), "s")).toEqual(themeScore(scoreAnswers(qn, { "s.yn": "no" }), "s"));
  });

  it("single: the chosen option's points; max is the best option", () => {
    const q = question(qn, "s.single");
    expect(maxPoints(q)).toBe(4);
    expect(pointsFor(q, "low")).toBe(1);
    expect(pointsFor(q, "high")).toBe(4);
    expect(pointsFor(q, "unknown")).toBe(0);
  });

  it("multi: sums the chosen options, capped by maxPoints", () => {
    const q = question(qn, "s.capped");
    expect(maxPoints(q)).toBe(5); // 2 + 2 + 3 = 7, capped at 5
    expect(pointsFor(q, ["c"])).toBe(3);
    expect(pointsFor(q, ["a", "b"])).toBe(4);
    expect(pointsFor(q, ["a", "c"])).toBe(5);
    expect(pointsFor(q, ["a", "b", "c"])).toBe(5);
    expect(pointsFor(q, ["none"])).toBe(0);
    const u = question(qn, "s.uncapped");
    expect(maxPoints(u)).toBe(3);
    expect(pointsFor(u, ["a", "b"])).toBe(3);
    expect(pointsFor(u, ["b"])).toBe(2);
  });

  it.each([
    [0, 2],
    [30, 2],
    [31, 1], // the first band that matches wins: 31 is in both 0..31 and 31..61
    [60, 1],
    [61, 0],
    [365, 0],
  ])("number bands: %d days earns %d", (days, points) => {
    expect(pointsFor(question(qn, "s.days"), days)).toBe(points);
  });

  it.each([
    [100, 3],
    [80, 3],
    [79.9, 2],
    [50, 2],
    [49.9, 1],
    [25, 1],
    [24.9, 0],
    [0, 0],
  ])("percent bands: %s%% earns %s", (pct, points) => {
    expect(pointsFor(question(qn, "s.pct"), pct)).toBe(points);
  });

  it("number: a value outside every band earns 0; the max is the best band; no scoring means unscored", () => {
    const gap = question(qn, "s.gap");
    expect(maxPoints(gap)).toBe(4);
    expect(pointsFor(gap, 9)).toBe(0);
    expect(pointsFor(gap, 10)).toBe(4);
    expect(pointsFor(gap, 20)).toBe(4);
    expect(pointsFor(gap, 21)).toBe(0);
    expect(maxPoints(question(qn, "s.plain"))).toBe(0);
    expect(maxPoints(question(qn, "s.days"))).toBe(2);
    expect(maxPoints(question(qn, "s.pct"))).toBe(3);
  });

  it("adds the theme up exactly", () => {
    const answers: Answers = {
      "s.yn": "dont_know", // 1 of 3
      "s.single": "high", // 4 of 4
      "s.capped": ["a", "b", "c"], // 5 of 5
      "s.uncapped": ["a"], // 1 of 3
      "s.days": 45, // 1 of 2
      "s.pct": 79.9, // 2 of 3
      // s.gap unanswered: 0 of 4; s.plain unscored
      "s.plain": 7,
    };
    expect(themeScore(scoreAnswers(qn, answers), "s")).toEqual({ earned: 14, possible: 24, percent: 58.3 });
  });
});

// ---------------------------------------------------------------------------------------------
describe("overall, bands and red flags", () => {
  const qn = fixture(`themes:
  - id: light
    title: Light
    weight: 1
    questions:
      - {id: light.a, type: yesno, text: A, points: {"yes": 1, "no": 0}}
      - {id: light.b, type: yesno, text: B, points: {"yes": 1, "no": 0}}
  - id: heavy
    title: Heavy
    weight: 3
    questions:
      - id: heavy.a
        type: single
        text: A
        options:
          - {value: none, label: None, points: 0}
          - {value: some, label: Some, points: 1}
          - {value: all, label: All, points: 4}
      - {id: heavy.docs, type: yesno, text: Do you hold documents?, points: {"yes": 0, "no": 0}}
  - id: info
    title: Information only
    weight: 5
    questions:
      - {id: info.note, type: text, text: Notes, required: false}
redFlags:
  - {id: RF-DOCS, title: Documents held, description: D, when: {q: heavy.docs, equals: "yes"}}
`);

  it("overall is the weighted mean of theme ratios, not pooled points", () => {
    // light 1/2 = 0.5 (weight 1), heavy 1/4 = 0.25 (weight 3; heavy.docs is unscored); info has no percentage
    const result = scoreAnswers(qn, { "light.a": "yes", "light.b": "no", "heavy.a": "some" });
    expect(result.themes.map((t) => t.percent)).toEqual([50, 25, null]);
    // (0.5 * 1 + 0.25 * 3) / 4 = 0.3125 -> 31.3 (pooled points would be 2/6 = 33.3)
    expect(result.overall).toBe(31.3);
    expect(result.band.id).toBe("red");
  });

  it("rounds the overall to one decimal place", () => {
    // light 2/2 = 1 (x1), heavy 0/4 = 0 (x3): 1/4 = 25; light 1/2 (x1), heavy all (x3): 3.5/4 = 87.5
    expect(scoreAnswers(qn, { "light.a": "yes", "light.b": "yes", "heavy.a": "none" }).overall).toBe(25);
    expect(scoreAnswers(qn, { "light.a": "yes", "heavy.a": "all" }).overall).toBe(87.5);
  });

  it.each([
    [0, "red"],
    [39.9, "red"],
    [40, "amber"],
    [69.9, "amber"],
    [70, "green"],
    [100, "green"],
  ])("bandFor(%d) is %s; a band starts exactly at its min", (overall, band) => {
    expect(bandFor(qn, overall, false).id).toBe(band);
  });

  it("bandFor: a red flag, or no overall at all, forces the red-flag band", () => {
    expect(bandFor(qn, 100, true)).toEqual({ id: "red", label: "Red", min: 0 });
    expect(bandFor(qn, null, false).id).toBe("red");
  });

  it("does not depend on the order the bands are written in", () => {
    const shuffled = { ...qn, bands: [qn.bands[2]!, qn.bands[0]!, qn.bands[1]!] };
    expect([0, 40, 70].map((o) => bandFor(shuffled, o, false).id)).toEqual(["red", "amber", "green"]);
  });

  it("a red flag forces the red-flag band even at 100%", () => {
    const result = scoreAnswers(qn, { "light.a": "yes", "light.b": "yes", "heavy.a": "all", "heavy.docs": "yes" });
    expect(result.overall).toBe(100);
    expect(result.band).toEqual({ id: "red", label: "Red" });
    expect(result.redFlags).toEqual([
      {
        id: "RF-DOCS",
        title: "Documents held",
        description: "D",
        triggeredBy: [{ questionId: "heavy.docs", question: "Do you hold documents?", answer: "yes" }],
      },
    ]);
    const clean = scoreAnswers(qn, { "light.a": "yes", "light.b": "yes", "heavy.a": "all", "heavy.docs": "no" });
    expect(clean.band).toEqual({ id: "green", label: "Green" });
    expect(clean.redFlags).toEqual([]);
  });

  it("reports the questionnaire it scored against", () => {
    const result = scoreAnswers(qn, {});
    expect([result.questionnaireId, result.questionnaireVersion]).toEqual(["fixture", "1.0.0"]);
    expect(result.overall).toBe(0);
    expect(result.band.id).toBe("red");
  });
});

// ---------------------------------------------------------------------------------------------
describe("recommendations", () => {
  const qn = fixture(`themes:
  - id: x
    title: X
    questions:
      - {id: x.a, type: yesno, text: Question A, dontKnow: true}
      - id: x.b
        type: multi
        text: Question B
        options:
          - {value: p, label: P}
          - {value: q, label: Q}
          - {value: none, label: None, exclusive: true}
      - {id: x.c, type: percent, text: Question C}
recommendations:
  - id: R-LOW-OR
    theme: x
    title: Low, either
    why: W
    good: G
    priority: low
    when:
      or:
        - {q: x.a, oneOf: ["no", dont_know]}
        - {q: x.b, includes: p}
  - id: R-HIGH-NOT
    theme: x
    title: High, not
    why: W
    good: G
    priority: high
    when:
      and:
        - {q: x.b, answered: true}
        - not: {q: x.b, includes: q}
  - id: R-MEDIUM-NOT
    theme: x
    title: Medium, not
    why: W
    good: G
    priority: medium
    when:
      not: {q: x.c, atLeast: 50}
  - {id: R-HIGH-A, theme: x, title: High A, why: W, good: G, priority: high, when: {q: x.a, equals: "no"}}
`);

  const recs = (answers: Answers) =>
    scoreAnswers(qn, answers).recommendations.map((r) => [r.id, r.priority, r.triggeredBy.map((t) => t.questionId)]);

  it("sorts high, then medium, then low, keeping file order within a priority", () => {
    expect(recs({ "x.a": "no", "x.b": ["p"], "x.c": 10 })).toEqual([
      ["R-HIGH-NOT", "high", ["x.b"]],
      ["R-HIGH-A", "high", ["x.a"]],
      ["R-MEDIUM-NOT", "medium", ["x.c"]],
      ["R-LOW-OR", "low", ["x.a", "x.b"]],
    ]);
  });

  it("lists only the answers of the true branches of an or", () => {
    expect(recs({ "x.a": "yes", "x.b": ["p", "q"], "x.c": 50 })).toEqual([["R-LOW-OR", "low", ["x.b"]]]);
    expect(recs({ "x.a": "dont_know", "x.b": ["q"], "x.c": 50 })).toEqual([["R-LOW-OR", "low", ["x.a"]]]);
  });

  it("lists the answered question under a not, and nothing for an unanswered one", () => {
    // x.c unanswered: not(atLeast 50) is true, but there is no answer to point to
    expect(recs({ "x.a": "yes" })).toEqual([["R-MEDIUM-NOT", "medium", []]]);
    expect(recs({ "x.a": "yes", "x.c": 49.9 })).toEqual([["R-MEDIUM-NOT", "medium", ["x.c"]]]);
  });

  it("gives the question text and the answer itself", () => {
    const result = scoreAnswers(qn, { "x.a": "no", "x.b": ["none"], "x.c": 75 });
    expect(result.recommendations).toEqual([
      {
        id: "R-HIGH-NOT",
        themeId: "x",
        title: "High, not",
        why: "W",
        good: "G",
        priority: "high",
        triggeredBy: [{ questionId: "x.b", question: "Question B", answer: ["none"] }],
      },
      {
        id: "R-HIGH-A",
        themeId: "x",
        title: "High A",
        why: "W",
        good: "G",
        priority: "high",
        triggeredBy: [{ questionId: "x.a", question: "Question A", answer: "no" }],
      },
      {
        id: "R-LOW-OR",
        themeId: "x",
        title: "Low, either",
        why: "W",
        good: "G",
        priority: "low",
        triggeredBy: [{ questionId: "x.a", question: "Question A", answer: "no" }],
      },
    ]);
  });
});
