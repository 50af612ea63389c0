/**
 * The rating an expert would sign: exposure (where and how the supplier works) and the management
 * score (what it does about it) meet in a matrix declared in the questionnaire; caps then stop the
 * rating being better than a finding allows, and a red flag forces the worst band unless it is
 * declared as one that only asks for a follow-up. Every step says why, so the report can explain
 * the rating in a sentence; notes declared in the questionnaire add what a reader should know.
 */
import type { Band, Questionnaire, RiskLevel } from "../../questionnaires/format";
import type { Answers } from "./answers";
import { type ConditionContext, evaluate, explain } from "./conditions";

export type Reasoned = { id: string; reason: string; questionIds: string[] };
export type ExposureFactor = Reasoned & { level: "medium" | "high" };
export type ExposureResult = { level: RiskLevel; factors: ExposureFactor[]; escalated: boolean };
export type AppliedCap = Reasoned & { atBest: string; atBestLabel: string };
export type AppliedNote = { id: string; text: string };
/** What the rating needs to know of a raised red flag. */
export type FlagForRating = { title: string; forcesBand?: boolean; followUp?: boolean };
export type RatingResult = {
  exposure: ExposureResult;
  /** The band the matrix gives for this exposure and management score, before caps and red flags. */
  matrixBand: { id: string; label: string };
  /** What the next better band would have needed, if there is one. */
  nextBand: { id: string; label: string; min: number } | null;
  caps: AppliedCap[];
  notes: AppliedNote[];
  /** Whether a red flag forced the worst band. */
  redFlagged: boolean;
  band: { id: string; label: string };
  explanation: string;
};

const RANK: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2 };

/** Bands from best (highest minimum score) to worst. */
export function bandsBestFirst(qn: Questionnaire): Band[] {
  return [...qn.bands].sort((a, b) => b.min - a.min);
}

export function assessExposure(qn: Questionnaire, answers: Answers, context: ConditionContext): ExposureResult {
  const exposure = qn.exposure!;
  const factors: ExposureFactor[] = exposure.rules
    .filter((r) => evaluate(r.when, answers, context))
    .map((r) => ({ id: r.id, level: r.level, reason: r.reason, questionIds: explain(r.when, answers, context) }));
  let level: RiskLevel = factors.reduce<RiskLevel>((worst, f) => (RANK[f.level] > RANK[worst] ? f.level : worst), "low");
  const mediums = factors.filter((f) => f.level === "medium").length;
  const escalated = level === "medium" && exposure.mediumFactorsForHigh !== undefined && mediums >= exposure.mediumFactorsForHigh;
  if (escalated) level = "high";
  return { level, factors, escalated };
}

const percentText = (n: number) => `${Number.isInteger(n) ? n : n.toFixed(1)}%`;

/** The context with the supplier's exposure in it, for the conditions that depend on it. */
export function withExposure(context: ConditionContext, exposure: ExposureResult): ConditionContext {
  return { ...context, exposure: exposure.level };
}

/**
 * `redFlags` are the flags raised: those that force the band (all but `forcesBand: false`) make it
 * the worst; the others only ask for a follow-up, which the explanation says.
 */
export function rate(qn: Questionnaire, overall: number | null, answers: Answers, context: ConditionContext, redFlags: FlagForRating[], exposureResult?: ExposureResult): RatingResult {
  const rating = qn.rating!;
  const order = bandsBestFirst(qn);
  const rank = (id: string) => order.findIndex((b) => b.id === id);
  const byId = (id: string) => order.find((b) => b.id === id)!;
  const worst = byId(qn.redFlagBand);

  const exposure = exposureResult ?? assessExposure(qn, answers, context);
  context = withExposure(context, exposure);
  const row = rating.matrix[exposure.level];
  const cellIndex = overall === null ? row.length - 1 : row.findIndex((c) => overall >= c.min);
  const cell = row[cellIndex]!;
  const better = cellIndex > 0 ? row[cellIndex - 1]! : null;
  const matrixBand = byId(cell.band);

  const caps: AppliedCap[] = rating.caps
    .filter((c) => evaluate(c.when, answers, context))
    .map((c) => ({ id: c.id, reason: c.reason, questionIds: explain(c.when, answers, context), atBest: c.atBest, atBestLabel: byId(c.atBest).label }));
  let band = matrixBand;
  for (const cap of caps) if (rank(cap.atBest) > rank(band.id)) band = byId(cap.atBest);
  const forcing = redFlags.filter((f) => f.forcesBand !== false);
  const redFlagged = forcing.length > 0;
  if (redFlagged) band = worst;
  const notes = rating.notes.filter((n) => evaluate(n.when, answers, context)).map((n) => ({ id: n.id, text: n.text }));

  const parts: string[] = [];
  if (redFlagged) {
    parts.push(`${worst.label} because of ${forcing.length === 1 ? "a red flag" : `${forcing.length} red flags`}: ${forcing.map((f) => f.title).join("; ")}.`);
  } else {
    const score = overall === null ? "no management score could be worked out" : `the management score is ${percentText(overall)}`;
    parts.push(`${band.label}: exposure is ${exposure.level} and ${score}.`);
    if (better) parts.push(`With ${exposure.level} exposure, ${byId(better.band).label} needs ${percentText(better.min)} or more.`);
    const binding = caps.filter((c) => c.atBest === band.id && rank(band.id) > rank(matrixBand.id));
    if (binding.length > 0) parts.push(`The score alone would give ${matrixBand.label}, but it can be no better than ${band.label} because ${binding.map((c) => lowerFirst(c.reason)).join("; and ")}.`);
  }
  const followUpOnly = redFlags.filter((f) => f.forcesBand === false && f.followUp !== false);
  if (followUpOnly.length > 0) parts.push(`Whatever the rating, a buyer must follow up with the supplier: ${followUpOnly.map((f) => f.title).join("; ")}.`);
  for (const note of notes) parts.push(note.text.trim());
  return {
    exposure,
    matrixBand: { id: matrixBand.id, label: matrixBand.label },
    nextBand: better ? { id: better.band, label: byId(better.band).label, min: better.min } : null,
    caps,
    notes,
    redFlagged,
    band: { id: band.id, label: band.label },
    explanation: parts.join(" "),
  };
}

function lowerFirst(text: string): string {
  const trimmed = text.replace(/\.$/, "");
  return /^[A-Z][a-z]/.test(trimmed) ? trimmed[0]!.toLowerCase() + trimmed.slice(1) : trimmed;
}

/** Country risk levels from published prevalence figures and the questionnaire's thresholds. */
export function countryRiskFrom(prevalence: ReadonlyMap<string, number>, thresholds: { mediumFrom: number; highFrom: number }) {
  return (country: string): RiskLevel | undefined => {
    const value = prevalence.get(country);
    if (value === undefined) return undefined;
    return value >= thresholds.highFrom ? "high" : value >= thresholds.mediumFrom ? "medium" : "low";
  };
}

/** Whether a commodity, through the goods it stands for, is listed as made with forced labour in a country. */
export function listedGoodFrom(listed: ReadonlyArray<{ country: string; good: string }>, goodsOf: ReadonlyMap<string, string[]>) {
  const pairs = new Set(listed.map((l) => `${l.country}|${l.good.toLowerCase()}`));
  return (country: string, commodity: string) => (goodsOf.get(commodity) ?? []).some((good) => pairs.has(`${country}|${good.toLowerCase()}`));
}

/** The condition context for a questionnaire's risk model from loaded reference data. */
export function riskContext(
  qn: Questionnaire,
  reference: { prevalence: ReadonlyMap<string, number>; forcedLabourGoods: ReadonlyArray<{ country: string; good: string }>; commodities: ReadonlyMap<string, { goods: string[] }> },
  screening?: ConditionContext["screening"],
): ConditionContext {
  if (!qn.exposure) return screening ? { screening } : {};
  return {
    countryRisk: countryRiskFrom(reference.prevalence, qn.exposure.countryRisk),
    listedGood: listedGoodFrom(reference.forcedLabourGoods, new Map([...reference.commodities].map(([id, c]) => [id, c.goods]))),
    ...(screening ? { screening } : {}),
  };
}
