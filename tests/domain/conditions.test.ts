import { describe, it, expect } from "vitest";
import type { Condition } from "../../questionnaires/format";
import type { Answers } from "../../app/domain/answers";
import { evaluate, explain, referencedQuestions } from "../../app/domain/conditions";

// Answers as applySkipLogic hands them over: answers to visible questions only.
const answers: Answers = {
  yn: "yes",
  choice: "b",
  list: ["p", "q"],
  one: ["p"],
  num: 50,
  zero: 0,
  pct: 12.5,
  country: "GB",
  countries: ["FR", "DE"],
  blank: "",
  empty: [],
};

const cases: Array<[string, Condition, boolean]> = [
  // equals
  ["equals: matching string", { q: "yn", equals: "yes" }, true],
  ["equals: other string", { q: "yn", equals: "no" }, false],
  ["equals: number against a number answer", { q: "num", equals: 50 }, true],
  ["equals: other number", { q: "num", equals: 51 }, false],
  ["equals: 0 is an answer", { q: "zero", equals: 0 }, true],
  ["equals: country code", { q: "country", equals: "GB" }, true],
  ["equals: never matches a list answer, even a one-item list", { q: "one", equals: "p" }, false],
  ["equals: unanswered question", { q: "missing", equals: "yes" }, false],
  ["equals: blank string counts as unanswered", { q: "blank", equals: "" }, false],
  // oneOf
  ["oneOf: scalar answer in the list", { q: "choice", oneOf: ["a", "b"] }, true],
  ["oneOf: scalar answer not in the list", { q: "choice", oneOf: ["a", "c"] }, false],
  ["oneOf: list answer sharing one value", { q: "list", oneOf: ["x", "q"] }, true],
  ["oneOf: list answer sharing no value", { q: "list", oneOf: ["x", "y"] }, false],
  ["oneOf: numbers", { q: "num", oneOf: [10, 50] }, true],
  ["oneOf: list of countries", { q: "countries", oneOf: ["CN", "DE"] }, true],
  ["oneOf: unanswered", { q: "missing", oneOf: ["yes", "no"] }, false],
  ["oneOf: empty list answer", { q: "empty", oneOf: ["p"] }, false],
  // includes
  ["includes: value in the list", { q: "list", includes: "q" }, true],
  ["includes: value not in the list", { q: "list", includes: "r" }, false],
  ["includes: a scalar answer is not a list", { q: "choice", includes: "b" }, false],
  ["includes: unanswered", { q: "missing", includes: "p" }, false],
  // allOf
  ["allOf: every value present", { q: "list", allOf: ["q", "p"] }, true],
  ["allOf: one value missing", { q: "list", allOf: ["p", "q", "r"] }, false],
  ["allOf: scalar answer", { q: "choice", allOf: ["b"] }, false],
  ["allOf: unanswered", { q: "missing", allOf: ["p"] }, false],
  // answered
  ["answered true: answered", { q: "yn", answered: true }, true],
  ["answered true: 0 is an answer", { q: "zero", answered: true }, true],
  ["answered true: unanswered", { q: "missing", answered: true }, false],
  ["answered true: blank string", { q: "blank", answered: true }, false],
  ["answered true: empty list", { q: "empty", answered: true }, false],
  ["answered false: unanswered", { q: "missing", answered: false }, true],
  ["answered false: empty list", { q: "empty", answered: false }, true],
  ["answered false: answered", { q: "list", answered: false }, false],
  // lessThan / atLeast, with boundaries
  ["lessThan: below", { q: "num", lessThan: 51 }, true],
  ["lessThan: equal is not less", { q: "num", lessThan: 50 }, false],
  ["lessThan: decimal", { q: "pct", lessThan: 12.6 }, true],
  ["lessThan: 0 < 1", { q: "zero", lessThan: 1 }, true],
  ["lessThan: unanswered is not 0", { q: "missing", lessThan: 1 }, false],
  ["lessThan: a string is not a number", { q: "yn", lessThan: 100 }, false],
  ["atLeast: equal", { q: "num", atLeast: 50 }, true],
  ["atLeast: below", { q: "num", atLeast: 50.5 }, false],
  ["atLeast: above", { q: "pct", atLeast: 12 }, true],
  ["atLeast: unanswered", { q: "missing", atLeast: 0 }, false],
  // not / and / or
  ["not: of a false leaf", { not: { q: "yn", equals: "no" } }, true],
  ["not: of a true leaf", { not: { q: "yn", equals: "yes" } }, false],
  ["not: of a leaf about an unanswered question", { not: { q: "missing", equals: "yes" } }, true],
  ["and: all true", { and: [{ q: "yn", equals: "yes" }, { q: "num", atLeast: 50 }] }, true],
  ["and: one false", { and: [{ q: "yn", equals: "yes" }, { q: "num", atLeast: 51 }] }, false],
  ["or: one true", { or: [{ q: "yn", equals: "no" }, { q: "list", includes: "p" }] }, true],
  ["or: none true", { or: [{ q: "yn", equals: "no" }, { q: "list", includes: "r" }] }, false],
  [
    "nested: and(or(...), not(...))",
    { and: [{ or: [{ q: "missing", answered: true }, { q: "choice", equals: "b" }] }, { not: { q: "list", includes: "r" } }] },
    true,
  ],
  [
    "nested: not(and(...))",
    { not: { and: [{ q: "choice", equals: "b" }, { q: "countries", includes: "FR" }] } },
    false,
  ],
];

describe("evaluate", () => {
  it.each(cases)("%s", (_name, cond, expected) => {
    expect(evaluate(cond, answers)).toBe(expected);
  });
});

describe("referencedQuestions", () => {
  it("collects every question id a condition mentions, through not/and/or", () => {
    const cond: Condition = {
      and: [{ q: "a", equals: "x" }, { or: [{ q: "b", answered: true }, { not: { q: "c", includes: "y" } }] }, { q: "a", oneOf: ["z"] }],
    };
    expect([...referencedQuestions(cond)].sort()).toEqual(["a", "b", "c"]);
  });
});

describe("explain", () => {
  it("is empty when the condition is false", () => {
    expect(explain({ q: "yn", equals: "no" }, answers)).toEqual([]);
  });

  it("names the question of a true leaf", () => {
    expect(explain({ q: "choice", oneOf: ["b"] }, answers)).toEqual(["choice"]);
  });

  it("names only the true branches of an or", () => {
    const cond: Condition = { or: [{ q: "yn", equals: "no" }, { q: "num", atLeast: 10 }, { q: "list", includes: "p" }] };
    expect(explain(cond, answers)).toEqual(["num", "list"]);
  });

  it("names every branch of a true and", () => {
    const cond: Condition = { and: [{ q: "yn", equals: "yes" }, { q: "pct", lessThan: 50 }] };
    expect(explain(cond, answers)).toEqual(["yn", "pct"]);
  });

  it("names the answered questions a not mentions, and not the unanswered ones", () => {
    const cond: Condition = { not: { or: [{ q: "list", includes: "r" }, { q: "missing", equals: "yes" }] } };
    expect(explain(cond, answers)).toEqual(["list"]);
  });

  it("does not name a question only because it is unanswered ({answered: false})", () => {
    const cond: Condition = { and: [{ q: "yn", equals: "yes" }, { q: "missing", answered: false }] };
    expect(explain(cond, answers)).toEqual(["yn"]);
  });

  it("names a question once even when several leaves mention it", () => {
    const cond: Condition = { and: [{ q: "list", answered: true }, { not: { q: "list", includes: "r" } }] };
    expect(explain(cond, answers)).toEqual(["list"]);
  });
});
