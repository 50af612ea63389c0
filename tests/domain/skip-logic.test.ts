import { describe, it, expect } from "vitest";
import type { Answers } from "../../app/domain/answers";
import { applySkipLogic } from "../../app/domain/visibility";
import { missingAnswers, themeProgress } from "../../app/domain/progress";
import { fixture } from "./helpers";

// chain.a -> chain.b (if a = yes) -> chain.c (if b = x): hiding a hides b, and so c.
// chain.d is the follow-up for a = no. other.* checks lists and numbers in showIf.
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
      - {id: chain.d, type: text, text: Why not?, required: false, showIf: {q: chain.a, equals: "no"}}
  - id: other
    title: Other
    questions:
      - id: other.list
        type: multi
        text: Which?
        options:
          - {value: p, label: P}
          - {value: q, label: Q}
          - {value: none, label: None, exclusive: true}
      - {id: other.p_detail, type: text, text: About P, showIf: {q: other.list, includes: p}}
      - {id: other.count, type: number, text: How many?}
      - {id: other.many, type: yesno, text: Many?, showIf: {q: other.count, atLeast: 10}}
      - {id: other.unanswered_count, type: text, text: Why no count?, showIf: {q: other.count, answered: false}}
`);

const visibleIds = (answers: Answers) => [...applySkipLogic(qn, answers).visible];

describe("applySkipLogic", () => {
  it("shows only unconditional questions (and answered:false follow-ups) when nothing is answered", () => {
    expect(visibleIds({})).toEqual(["chain.a", "other.list", "other.count", "other.unanswered_count"]);
    expect(applySkipLogic(qn, {}).answers).toEqual({});
  });

  it("shows a follow-up when its condition holds, and only then", () => {
    expect(visibleIds({ "chain.a": "yes" })).toEqual(["chain.a", "chain.b", "other.list", "other.count", "other.unanswered_count"]);
    expect(visibleIds({ "chain.a": "no" })).toEqual(["chain.a", "chain.d", "other.list", "other.count", "other.unanswered_count"]);
    expect(visibleIds({ "other.list": ["p", "q"] })).toContain("other.p_detail");
    expect(visibleIds({ "other.list": ["q"] })).not.toContain("other.p_detail");
  });

  it("uses numbers in showIf, at the boundary", () => {
    expect(visibleIds({ "other.count": 9 })).toEqual(["chain.a", "other.list", "other.count"]);
    expect(visibleIds({ "other.count": 10 })).toEqual(["chain.a", "other.list", "other.count", "other.many"]);
  });

  it("shows the whole chain A -> B -> C when each condition holds", () => {
    const raw: Answers = { "chain.a": "yes", "chain.b": "x", "chain.c": "yes" };
    const { visible, answers } = applySkipLogic(qn, raw);
    expect(["chain.a", "chain.b", "chain.c"].every((id) => visible.has(id))).toBe(true);
    expect(answers).toEqual({ "chain.a": "yes", "chain.b": "x", "chain.c": "yes" });
  });

  it("changing A hides B and therefore C, although C's own condition is on B's answer", () => {
    const raw: Answers = { "chain.a": "no", "chain.b": "x", "chain.c": "yes" };
    const { visible, answers } = applySkipLogic(qn, raw);
    expect(visible.has("chain.b")).toBe(false);
    expect(visible.has("chain.c")).toBe(false);
    expect(visible.has("chain.d")).toBe(true);
    // answers to hidden questions are dropped
    expect(answers).toEqual({ "chain.a": "no" });
  });

  it("unanswering A also hides B and C", () => {
    const { visible, answers } = applySkipLogic(qn, { "chain.b": "x", "chain.c": "yes" });
    expect(visible.has("chain.b") || visible.has("chain.c")).toBe(false);
    expect(answers).toEqual({});
  });

  it("changing B alone hides C but keeps B's answer", () => {
    const { visible, answers } = applySkipLogic(qn, { "chain.a": "yes", "chain.b": "y", "chain.c": "yes" });
    expect(visible.has("chain.b")).toBe(true);
    expect(visible.has("chain.c")).toBe(false);
    expect(answers).toEqual({ "chain.a": "yes", "chain.b": "y" });
  });

  it("brings the stored answers back when the question is shown again", () => {
    const stored: Answers = { "chain.a": "yes", "chain.b": "x", "chain.c": "yes", "chain.d": "Because" };
    expect(applySkipLogic(qn, { ...stored, "chain.a": "no" }).answers).toEqual({ "chain.a": "no", "chain.d": "Because" });
    // A changed back: the same raw answers, so B and C come back with their stored values and D goes
    expect(applySkipLogic(qn, { ...stored, "chain.a": "yes" }).answers).toEqual({ "chain.a": "yes", "chain.b": "x", "chain.c": "yes" });
  });

  it("does not modify the raw answers it is given", () => {
    const raw: Answers = { "chain.a": "no", "chain.b": "x", "chain.c": "yes" };
    applySkipLogic(qn, raw);
    expect(raw).toEqual({ "chain.a": "no", "chain.b": "x", "chain.c": "yes" });
  });

  it("drops null answers and treats an answered:false follow-up as hidden once answered", () => {
    const raw = { "chain.a": null, "other.count": 3 } as unknown as Answers;
    const { visible, answers } = applySkipLogic(qn, raw);
    expect(answers).toEqual({ "other.count": 3 });
    expect(visible.has("other.unanswered_count")).toBe(false);
  });
});

describe("themeProgress and missingAnswers", () => {
  it("counts only visible questions and reports required ones missing, in order", () => {
    const progress = themeProgress(qn, { "chain.a": "yes", "chain.c": "yes", "other.list": ["p"] });
    expect(progress.map((t) => [t.themeId, t.status, t.answered, t.visible])).toEqual([
      ["chain", "in_progress", 1, 2], // chain.c is hidden (chain.b unanswered), so its answer is not counted
      ["other", "in_progress", 1, 4], // list, p_detail, count, unanswered_count; not many
    ]);
    expect(missingAnswers(qn, { "chain.a": "yes", "chain.c": "yes", "other.list": ["p"] }).map((m) => m.questionId)).toEqual([
      "chain.b",
      "other.p_detail",
      "other.count",
      "other.unanswered_count",
    ]);
  });

  it("does not require an optional follow-up; a theme is completed when all required visible questions are answered", () => {
    const progress = themeProgress(qn, { "chain.a": "no" });
    expect(progress[0]).toMatchObject({ themeId: "chain", status: "completed", answered: 1, visible: 2, missing: [] });
    expect(progress[1]).toMatchObject({ themeId: "other", status: "not_started", answered: 0, visible: 3 });
  });
});
