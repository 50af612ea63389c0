/**
 * The conversation guide: red flags (those needing follow-up first), then the caps that held the
 * rating down, then recommendations by priority, weakest theme and questionnaire order, then the
 * weakest themes; each with its questions to ask, what good looks like and the supplier's response.
 */
import { describe, expect, it } from "vitest";
import { conversationGuide, type GuideResponse } from "../../app/domain/conversation-guide";
import type { AssessmentResult, TriggeredRecommendation } from "../../app/domain/scoring";
import { QuestionnaireError } from "../../questionnaires/format";
import { fixture } from "./helpers";

const qn = fixture(`
themes:
  - id: alpha
    title: Supply-chain mapping
    description: Knowing who makes what.
    questions:
      - {id: a.one, type: yesno, text: Do you map?, points: {yes: 2, no: 0}}
  - id: beta
    title: Recruitment
    questions:
      - {id: b.one, type: yesno, text: Do you check agencies?, points: {yes: 2, no: 0}}
  - id: gamma
    title: Training
    questions:
      - {id: c.one, type: yesno, text: Do you train?, points: {yes: 2, no: 0}}
  - id: delta
    title: Purchasing
    questions:
      - {id: d.one, type: yesno, text: Do you review prices?, points: {yes: 2, no: 0}}
recommendations:
  - {id: REC-A1, theme: alpha, title: Map tier 1, why: W-A1, good: G-A1, priority: medium, probes: ["Who are your tier 1 suppliers?"], when: {q: a.one, equals: "no"}}
  - {id: REC-B1, theme: beta, title: Check agencies, why: W-B1, good: G-B1, priority: high, probes: ["Which labour providers do you use and how do you check them?", "When did you last visit one?"], when: {q: b.one, equals: "no"}}
  - {id: REC-C1, theme: gamma, title: Train staff, why: W-C1, good: G-C1, priority: high, when: {q: c.one, equals: "no"}}
  - {id: REC-A2, theme: alpha, title: Map tier 2, why: W-A2, good: G-A2, priority: high, probes: ["Who supplies your suppliers?"], when: {q: a.one, equals: "no"}}
  - {id: REC-D1, theme: delta, title: Review prices, why: W-D1, good: G-D1, priority: low, when: {q: d.one, equals: "no"}}
redFlags:
  - {id: RF-QUIET, title: Quiet flag, description: No follow-up needed., followUp: false, when: {q: a.one, equals: "no"}}
  - {id: RF-LOUD, title: Loud flag, description: Follow it up., probes: ["Where are the workers now?"], when: {q: b.one, equals: "no"}}
`);

const triggered = (id: string, themeId: string, priority: TriggeredRecommendation["priority"]): TriggeredRecommendation => ({
  id,
  themeId,
  title: `Title ${id}`,
  why: `W-${id}`,
  good: `G-${id}`,
  priority,
  triggeredBy: [{ questionId: "a.one", question: "Do you map?", answer: "no" }],
});

/** A hand-made result: themes scored alpha 50, beta 10, gamma 30, delta 80; recommendations listed out of order. */
const result: AssessmentResult = {
  questionnaireId: "fixture",
  questionnaireVersion: "1.0.0",
  themes: [
    { themeId: "alpha", title: "Supply-chain mapping", earned: 1, possible: 2, percent: 50 },
    { themeId: "beta", title: "Recruitment", earned: 1, possible: 10, percent: 10 },
    { themeId: "gamma", title: "Training", earned: 3, possible: 10, percent: 30 },
    { themeId: "delta", title: "Purchasing", earned: 8, possible: 10, percent: 80 },
  ],
  overall: 42.5,
  band: { id: "red", label: "Red" },
  redFlags: [
    { id: "RF-QUIET", title: "Quiet flag", description: "No follow-up needed.", followUp: false, triggeredBy: [] },
    { id: "RF-LOUD", title: "Loud flag", description: "Follow it up.", followUp: true, triggeredBy: [{ questionId: "b.one", question: "Do you check agencies?", answer: "no" }] },
  ],
  recommendations: [triggered("REC-D1", "delta", "low"), triggered("REC-A1", "alpha", "medium"), triggered("REC-A2", "alpha", "high"), triggered("REC-C1", "gamma", "high"), triggered("REC-B1", "beta", "high")],
  rating: {
    matrixBand: { id: "amber", label: "Amber" },
    nextBand: null,
    caps: [{ id: "CAP-FEES", atBest: "amber", atBestLabel: "Amber", reason: "Fees are not known.", triggeredBy: [{ questionId: "b.one", question: "Do you check agencies?", answer: "dont_know" }] }],
    explanation: "The score alone would give Amber.",
  },
} as AssessmentResult;

const responses: Record<string, GuideResponse> = {
  "REC-B1": { response: "accepted", targetDate: "2026-09-30", reason: null },
  "REC-C1": { response: "not_applicable", targetDate: null, reason: "We have no site staff." },
  "REC-A2": { response: "in_progress", targetDate: null, reason: null },
};

describe("the conversation guide", () => {
  const guide = conversationGuide(qn, result, responses);
  const [flags, caps, recs, themes] = guide.sections;

  it("orders the agenda: red flags, caps, recommendations, weakest themes", () => {
    expect(guide.sections.map((s) => s.id)).toEqual(["red-flags", "caps", "recommendations", "themes"]);
  });

  it("puts red flags that need a follow-up conversation first, with their probes", () => {
    expect(flags.items.map((f) => [f.id, f.followUp])).toEqual([
      ["RF-LOUD", true],
      ["RF-QUIET", false],
    ]);
    expect(flags.items[0]!.probes).toEqual(["Where are the workers now?"]);
    expect(flags.items[1]!.probes).toEqual([]);
    expect(flags.items[0]!.triggeredBy).toEqual([{ question: "Do you check agencies?", answer: "no" }]);
  });

  it("lists the caps that applied, with the answers behind them", () => {
    expect(caps.items).toEqual([
      { kind: "cap", id: "CAP-FEES", atBestLabel: "Amber", reason: "Fees are not known.", triggeredBy: [{ question: "Do you check agencies?", answer: "dont_know" }] },
    ]);
  });

  it("orders recommendations by priority, then the theme's score (lowest first), then questionnaire order", () => {
    // High: B1 (beta 10%), C1 (gamma 30%), A2 (alpha 50%); medium: A1; low: D1.
    expect(recs.items.map((r) => r.id)).toEqual(["REC-B1", "REC-C1", "REC-A2", "REC-A1", "REC-D1"]);
  });

  it("breaks a tie in priority and theme by the questionnaire's order, not the result's", () => {
    const tied = { ...result, recommendations: [triggered("REC-A2", "alpha", "high"), triggered("REC-A1", "alpha", "high")] };
    expect(conversationGuide(qn, tied, {}).sections[2].items.map((r) => r.id)).toEqual(["REC-A1", "REC-A2"]);
  });

  it("gives each recommendation its probes, what good looks like, why, theme score and the supplier's response", () => {
    const b1 = recs.items.find((r) => r.id === "REC-B1")!;
    expect(b1).toMatchObject({
      probes: ["Which labour providers do you use and how do you check them?", "When did you last visit one?"],
      good: "G-REC-B1",
      why: "W-REC-B1",
      themeTitle: "Recruitment",
      themePercent: 10,
      response: { response: "accepted", targetDate: "2026-09-30", reason: null },
    });
    expect(recs.items.find((r) => r.id === "REC-C1")).toMatchObject({ probes: [], response: { response: "not_applicable", reason: "We have no site staff." } });
    expect(recs.items.find((r) => r.id === "REC-A2")!.response).toEqual({ response: "in_progress", targetDate: null, reason: null });
    expect(recs.items.find((r) => r.id === "REC-D1")!.response).toBeNull();
  });

  it("discusses the three lowest-scoring themes, lowest first, with their score and recommendations", () => {
    expect(themes.items.map((t) => [t.id, t.percent])).toEqual([
      ["beta", 10],
      ["gamma", 30],
      ["alpha", 50],
    ]);
    expect(themes.items[2]!.description).toBe("Knowing who makes what.");
    expect(themes.items[2]!.recommendations.map((r) => r.id)).toEqual(["REC-A2", "REC-A1"]);
    expect(themes.items[2]!.probes[0]).toBe("What is holding back your work on supply-chain mapping?");
    for (const t of themes.items) for (const p of t.probes) expect(p.endsWith("?")).toBe(true);
  });

  it("leaves unscored themes out of the weakest, and sorts their recommendations last within a priority", () => {
    const unscored = {
      ...result,
      themes: result.themes.map((t) => (t.themeId === "beta" ? { ...t, percent: null } : t)),
    };
    const g = conversationGuide(qn, unscored, {});
    expect(g.sections[3].items.map((t) => t.id)).toEqual(["gamma", "alpha", "delta"]);
    expect(g.sections[2].items.map((r) => r.id)).toEqual(["REC-C1", "REC-A2", "REC-B1", "REC-A1", "REC-D1"]);
  });

  it("summarises the rating, the score, exposure and how many responses are missing", () => {
    expect(guide.summary).toEqual({
      rating: { id: "red", label: "Red" },
      overall: 42.5,
      exposure: null,
      explanation: "The score alone would give Amber.",
      redFlags: 2,
      recommendations: 5,
      awaitingResponse: 2,
    });
    const exposed = conversationGuide(qn, { ...result, exposure: { level: "high", escalated: false, factors: [] } }, responses);
    expect(exposed.summary.exposure).toBe("high");
  });

  it("describes answers with the function it is given", () => {
    const g = conversationGuide(qn, result, {}, { describe: (t) => (t.answer === "no" ? "No" : "Don't know") });
    expect(g.sections[1].items[0]!.triggeredBy[0]!.answer).toBe("Don't know");
    expect(g.sections[0].items[0]!.triggeredBy[0]!.answer).toBe("No");
  });

  it("has empty sections when nothing was found", () => {
    const clean = { ...result, redFlags: [], recommendations: [], rating: undefined };
    const g = conversationGuide(qn, clean, {});
    expect(g.sections.map((s) => s.items.length)).toEqual([0, 0, 0, 3]);
  });
});

describe("probes in the questionnaire format", () => {
  const withProbes = (probes: string) =>
    fixture(`
themes:
  - id: alpha
    title: Alpha
    questions:
      - {id: a.one, type: yesno, text: Do you map?, points: {yes: 2, no: 0}}
recommendations:
  - {id: REC-A1, theme: alpha, title: T, why: W, good: G, priority: high, probes: ${probes}, when: {q: a.one, equals: "no"}}
`);

  it("accepts one to six questions, and none at all", () => {
    expect(withProbes(`["One?"]`).recommendations[0]!.probes).toEqual(["One?"]);
    expect(withProbes(`["1?", "2?", "3?", "4?", "5?", "6?"]`).recommendations[0]!.probes).toHaveLength(6);
    expect(qn.recommendations.find((r) => r.id === "REC-C1")!.probes).toBeUndefined();
  });

  it("rejects a probe that is not a question, an empty one, an empty list and more than six", () => {
    expect(() => withProbes(`["Tell us about it."]`)).toThrow(/recommendations\[0\]\.probes\[0\]: must be a question ending in '\?'/);
    expect(() => withProbes(`["  "]`)).toThrow(QuestionnaireError);
    expect(() => withProbes(`[]`)).toThrow(/probes/);
    expect(() => withProbes(`["1?", "2?", "3?", "4?", "5?", "6?", "7?"]`)).toThrow(/at most 6/);
  });
});
