/**
 * Scoring: points per answer, a percentage per theme and overall, a rating band, red flags and the
 * recommendations the answers trigger. Questions not applicable (hidden, or answered with an option
 * marked notApplicable) are left out of the denominator; visible scored questions left unanswered
 * earn nothing.
 */
import type { Band, Priority, Question, Questionnaire } from "../../questionnaires/format";
import type { AnswerValue, Answers } from "./answers";
import { type ConditionContext, evaluate, explain } from "./conditions";
import { questionIndex } from "./questions";
import { applySkipLogic } from "./visibility";
import { type RatingResult, assessExposure, rate, withExposure } from "./rating";
import type { ScreeningOutcome } from "./screening";

export type ThemeScore = { themeId: string; title: string; earned: number; possible: number; percent: number | null };
export type TriggeringAnswer = { questionId: string; question: string; answer: AnswerValue };
export type TriggeredRecommendation = {
  id: string;
  themeId: string;
  title: string;
  why: string;
  good: string;
  priority: Priority;
  triggeredBy: TriggeringAnswer[];
};
/** `forcesBand` is present, and false, only for a flag that asks for a follow-up without forcing the worst band. */
export type RaisedRedFlag = { id: string; title: string; description: string; followUp?: boolean; forcesBand?: false; triggeredBy: TriggeringAnswer[] };
export type ExposureSummary = {
  level: RatingResult["exposure"]["level"];
  escalated: boolean;
  factors: Array<{ id: string; level: "medium" | "high"; reason: string; triggeredBy: TriggeringAnswer[] }>;
};
export type RatingSummary = {
  matrixBand: RatingResult["matrixBand"];
  nextBand: RatingResult["nextBand"];
  caps: Array<{ id: string; atBest: string; atBestLabel: string; reason: string; triggeredBy: TriggeringAnswer[] }>;
  /** Notes the questionnaire adds to the explanation (MSAT 1.2 on); present only when one applies. */
  notes?: Array<{ id: string; text: string }>;
  explanation: string;
};
export type AssessmentResult = {
  questionnaireId: string;
  questionnaireVersion: string;
  themes: ThemeScore[];
  overall: number | null;
  band: { id: string; label: string };
  redFlags: RaisedRedFlag[];
  recommendations: TriggeredRecommendation[];
  /** From questionnaires with a risk model (MSAT 1.1 on): how exposed the supplier is. */
  exposure?: ExposureSummary;
  /** From questionnaires with a risk model: how exposure and score gave the band, and why. */
  rating?: RatingSummary;
  /** From questionnaires with a risk model: the import-ban screening as it stood at submission. */
  screening?: ScreeningOutcome;
};

const PRIORITY_ORDER: Record<Priority, number> = { high: 0, medium: 1, low: 2 };

/** The most a question can earn; 0 for an unscored question. */
export function maxPoints(question: Question): number {
  switch (question.type) {
    case "yesno":
      return Math.max(question.points.yes, question.points.no);
    case "single":
      return Math.max(0, ...question.options.filter((o) => !o.notApplicable).map((o) => o.points));
    case "multi": {
      const sum = question.options.filter((o) => !o.notApplicable).reduce((n, o) => n + o.points, 0);
      return question.maxPoints === undefined ? sum : Math.min(sum, question.maxPoints);
    }
    case "number":
    case "percent":
      return Math.max(0, ...(question.scoring ?? []).map((b) => b.points));
    default:
      return 0;
  }
}

/** Points earned by an answer, or null when the answer makes the question not applicable. */
export function pointsFor(question: Question, answer: AnswerValue | undefined): number | null {
  if (answer === undefined) return 0;
  switch (question.type) {
    case "yesno":
      return answer === "yes" ? question.points.yes : question.points.no; // dont_know scores like no
    case "single": {
      const option = question.options.find((o) => o.value === answer);
      if (option?.notApplicable) return null;
      return option?.points ?? 0;
    }
    case "multi": {
      const chosen = question.options.filter((o) => Array.isArray(answer) && (answer as string[]).includes(o.value));
      if (chosen.some((o) => o.notApplicable)) return null;
      return Math.min(maxPoints(question), chosen.reduce((n, o) => n + o.points, 0));
    }
    case "number":
    case "percent": {
      if (typeof answer !== "number") return 0;
      const band = (question.scoring ?? []).find(
        (b) => (b.min === undefined || answer >= b.min) && (b.max === undefined || answer <= b.max),
      );
      return band?.points ?? 0;
    }
    default:
      return 0;
  }
}

/** The band without a risk model (MSAT 1.0): a red flag that forces the band makes it the worst. */
export function bandFor(qn: Questionnaire, overall: number | null, flagged: boolean): Band {
  const forced = qn.bands.find((b) => b.id === qn.redFlagBand)!;
  if (flagged || overall === null) return forced;
  return [...qn.bands].sort((a, b) => b.min - a.min).find((b) => overall >= b.min) ?? forced;
}

const percent = (earned: number, possible: number) => Math.round((earned / possible) * 1000) / 10;

/**
 * `context` carries the published reference data (country and commodity risk) and the assessment's
 * import-ban screening outcome; questionnaires without a risk model do not need it.
 */
export function scoreAnswers(qn: Questionnaire, rawAnswers: Answers, context: ConditionContext = {}): AssessmentResult {
  const { visible, answers } = applySkipLogic(qn, rawAnswers);
  const index = questionIndex(qn);
  const triggering = (ids: string[]): TriggeringAnswer[] =>
    ids.map((id) => ({ questionId: id, question: index.get(id)!.question.text, answer: answers[id]! }));

  const themes: ThemeScore[] = qn.themes.map((theme) => {
    let earned = 0;
    let possible = 0;
    for (const question of theme.questions) {
      const max = maxPoints(question);
      if (max === 0 || !visible.has(question.id)) continue;
      const points = pointsFor(question, answers[question.id]);
      if (points === null) continue;
      earned += points;
      possible += max;
    }
    return { themeId: theme.id, title: theme.title, earned, possible, percent: possible > 0 ? percent(earned, possible) : null };
  });

  let weighted = 0;
  let weights = 0;
  qn.themes.forEach((theme, i) => {
    const score = themes[i]!;
    if (score.percent === null) return;
    weighted += (score.earned / score.possible) * theme.weight;
    weights += theme.weight;
  });
  const overall = weights > 0 ? Math.round((weighted / weights) * 1000) / 10 : null;

  // With a risk model, exposure comes first: recommendations, red flags and caps may depend on it.
  const exposure = qn.exposure && qn.rating ? assessExposure(qn, answers, context) : undefined;
  if (exposure) context = withExposure(context, exposure);

  const redFlags: RaisedRedFlag[] = qn.redFlags
    .filter((f) => evaluate(f.when, answers, context))
    .map((f) => ({
      id: f.id,
      title: f.title,
      description: f.description,
      ...(qn.rating ? { followUp: f.followUp } : {}),
      ...(f.forcesBand === false ? { forcesBand: false as const } : {}),
      triggeredBy: triggering(explain(f.when, answers, context)),
    }));

  const recommendations = qn.recommendations
    .filter((r) => evaluate(r.when, answers, context))
    .map((r) => ({
      id: r.id,
      themeId: r.theme,
      title: r.title,
      why: r.why,
      good: r.good,
      priority: r.priorityWhen?.find((p) => evaluate(p.when, answers, context))?.priority ?? r.priority,
      triggeredBy: triggering(explain(r.when, answers, context)),
    }))
    .sort((a, b) => PRIORITY_ORDER[a.priority] - PRIORITY_ORDER[b.priority]);

  const result: AssessmentResult = {
    questionnaireId: qn.id,
    questionnaireVersion: qn.version,
    themes,
    overall,
    band: { id: "", label: "" },
    redFlags,
    recommendations,
  };
  if (qn.exposure && qn.rating) {
    const rating = rate(qn, overall, answers, context, redFlags, exposure);
    result.band = rating.band;
    result.exposure = {
      level: rating.exposure.level,
      escalated: rating.exposure.escalated,
      factors: rating.exposure.factors.map(({ questionIds, ...f }) => ({ ...f, triggeredBy: triggering(questionIds) })),
    };
    result.rating = {
      matrixBand: rating.matrixBand,
      nextBand: rating.nextBand,
      caps: rating.caps.map(({ questionIds, ...c }) => ({ ...c, triggeredBy: triggering(questionIds) })),
      ...(rating.notes.length > 0 ? { notes: rating.notes } : {}),
      explanation: rating.explanation,
    };
  } else {
    const band = bandFor(qn, overall, redFlags.some((f) => f.forcesBand !== false));
    result.band = { id: band.id, label: band.label };
  }
  return result;
}
