/**
 * The one condition language: skip logic (showIf), recommendation and red-flag triggers, exposure
 * rules, rating caps, and KPI numerators and denominators. Conditions are evaluated over answers to
 * visible questions only, so a leaf about a hidden or unanswered question is false. Leaves about
 * country and commodity risk, import-ban screening and exposure read a context the caller supplies
 * (published reference data, the assessment's screening outcome, the exposure worked out from
 * them); without it they are false.
 */
import type { Condition, RiskLevel, ScreeningState } from "../../questionnaires/format";
import type { AnswerValue, Answers } from "./answers";

export type ScreeningSummary = Record<ScreeningState, boolean>;

export type ConditionContext = {
  /** A country's risk level by the questionnaire's thresholds; undefined when there is no data. */
  countryRisk?: (country: string) => RiskLevel | undefined;
  /** Whether the good a commodity id stands for is listed as made with forced labour in a country. */
  listedGood?: (country: string, commodity: string) => boolean;
  screening?: ScreeningSummary;
  /** The supplier's exposure, once the risk model has worked it out (for recommendations, red flags, caps and notes). */
  exposure?: RiskLevel;
};

type Leaf = Exclude<Condition, { not: unknown } | { and: unknown } | { or: unknown }>;

const RANK: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2 };

function isList(value: AnswerValue | undefined): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === "string");
}

function hasAnswer(value: AnswerValue | undefined): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  return value !== "";
}

/** The country codes an answer names: a country, a list of them, or a group's country field. */
export function countriesIn(value: AnswerValue | undefined, field?: string): string[] {
  if (typeof value === "string") return field ? [] : [value];
  if (!Array.isArray(value)) return [];
  return value.flatMap((v) => (typeof v === "string" ? (field ? [] : [v]) : field && typeof v[field] === "string" ? [v[field]!] : []));
}

function evaluateLeaf(cond: Leaf, answers: Answers, context: ConditionContext): boolean {
  if ("screening" in cond) return context.screening?.[cond.screening] ?? false;
  if ("exposure" in cond) return context.exposure === cond.exposure;
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
  if ("atLeast" in cond) return typeof value === "number" && value >= cond.atLeast;
  if ("countryRisk" in cond) {
    const level = context.countryRisk;
    return level !== undefined && countriesIn(value, cond.field).some((c) => RANK[level(c) ?? "low"] >= RANK[cond.countryRisk]);
  }
  const goods = answers[cond.listedGoods];
  const listed = context.listedGood;
  if (!listed || !isList(goods)) return false;
  return countriesIn(value, cond.field).some((country) => goods.some((commodity) => listed(country, commodity)));
}

export function evaluate(cond: Condition, answers: Answers, context: ConditionContext = {}): boolean {
  if ("not" in cond) return !evaluate(cond.not, answers, context);
  if ("and" in cond) return cond.and.every((c) => evaluate(c, answers, context));
  if ("or" in cond) return cond.or.some((c) => evaluate(c, answers, context));
  return evaluateLeaf(cond, answers, context);
}

/** The question ids a leaf reads. */
function leafQuestions(cond: Leaf): string[] {
  if ("screening" in cond || "exposure" in cond) return [];
  return "listedGoods" in cond ? [cond.q, cond.listedGoods] : [cond.q];
}

/** Every question id a condition mentions. */
export function referencedQuestions(cond: Condition, into: Set<string> = new Set()): Set<string> {
  if ("not" in cond) referencedQuestions(cond.not, into);
  else if ("and" in cond) cond.and.forEach((c) => referencedQuestions(c, into));
  else if ("or" in cond) cond.or.forEach((c) => referencedQuestions(c, into));
  else leafQuestions(cond).forEach((q) => into.add(q));
  return into;
}

/**
 * The questions whose answers made a true condition true: the true leaves under and/or, and,
 * under a `not`, the answered questions it mentions.
 */
export function explain(cond: Condition, answers: Answers, context: ConditionContext = {}): string[] {
  const reasons = new Set<string>();
  const walk = (c: Condition) => {
    if ("not" in c) {
      for (const q of referencedQuestions(c.not)) if (hasAnswer(answers[q])) reasons.add(q);
    } else if ("and" in c) c.and.forEach(walk);
    else if ("or" in c) c.or.filter((x) => evaluate(x, answers, context)).forEach(walk);
    else if (evaluateLeaf(c, answers, context)) for (const q of leafQuestions(c)) if (hasAnswer(answers[q])) reasons.add(q);
  };
  if (evaluate(cond, answers, context)) walk(cond);
  return [...reasons];
}
