/**
 * The one condition language: skip logic (showIf), recommendation and red-flag triggers, and KPI
 * numerators and denominators. Conditions are evaluated over answers to visible questions only, so
 * a leaf about a hidden or unanswered question is false.
 */
import type { Condition } from "../../questionnaires/format";
import type { AnswerValue, Answers } from "./answers";

function isList(value: AnswerValue | undefined): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

function hasAnswer(value: AnswerValue | undefined): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  return value !== "";
}

function evaluateLeaf(cond: Exclude<Condition, { not: unknown } | { and: unknown } | { or: unknown }>, answers: Answers): boolean {
  const value = answers[cond.q];
  if ("answered" in cond) return hasAnswer(value) === cond.answered;
  if (!hasAnswer(value)) return false;
  if ("equals" in cond) return !Array.isArray(value) && String(value) === String(cond.equals);
  if ("oneOf" in cond) {
    const wanted = cond.oneOf.map(String);
    return isList(value) ? value.some((v) => wanted.includes(v)) : !Array.isArray(value) && wanted.includes(String(value));
  }
  if ("includes" in cond) return isList(value) && value.includes(cond.includes);
  if ("allOf" in cond) return isList(value) && cond.allOf.every((v) => value.includes(v));
  if ("lessThan" in cond) return typeof value === "number" && value < cond.lessThan;
  return typeof value === "number" && value >= cond.atLeast;
}

export function evaluate(cond: Condition, answers: Answers): boolean {
  if ("not" in cond) return !evaluate(cond.not, answers);
  if ("and" in cond) return cond.and.every((c) => evaluate(c, answers));
  if ("or" in cond) return cond.or.some((c) => evaluate(c, answers));
  return evaluateLeaf(cond, answers);
}

/** Every question id a condition mentions. */
export function referencedQuestions(cond: Condition, into: Set<string> = new Set()): Set<string> {
  if ("not" in cond) referencedQuestions(cond.not, into);
  else if ("and" in cond) cond.and.forEach((c) => referencedQuestions(c, into));
  else if ("or" in cond) cond.or.forEach((c) => referencedQuestions(c, into));
  else into.add(cond.q);
  return into;
}

/**
 * The questions whose answers made a true condition true: the true leaves under and/or, and,
 * under a `not`, the answered questions it mentions.
 */
export function explain(cond: Condition, answers: Answers): string[] {
  const reasons = new Set<string>();
  const walk = (c: Condition) => {
    if ("not" in c) {
      for (const q of referencedQuestions(c.not)) if (hasAnswer(answers[q])) reasons.add(q);
    } else if ("and" in c) c.and.forEach(walk);
    else if ("or" in c) c.or.filter((x) => evaluate(x, answers)).forEach(walk);
    else if (evaluateLeaf(c, answers) && hasAnswer(answers[c.q])) reasons.add(c.q);
  };
  if (evaluate(cond, answers)) walk(cond);
  return [...reasons];
}
