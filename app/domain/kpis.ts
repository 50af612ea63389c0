/**
 * Answer-based KPIs: the share of a department's suppliers whose latest submission meets a
 * questionnaire's KPI condition. Each submission's outcome is worked out once, on the questionnaire
 * version it answered, and kept beside it; a department's figure adds those outcomes up.
 */
import type { Questionnaire } from "../../questionnaires/format";
import type { Answers } from "./answers";
import { type ConditionContext, evaluate } from "./conditions";

/** 0: outside the KPI's denominator; 1: in the denominator only; 2: in the numerator too. */
export type KpiOutcome = 0 | 1 | 2;
/** A submission's outcome per KPI of its version; a KPI its version lacks is absent. */
export type KpiOutcomes = Record<string, KpiOutcome>;

/** Hidden questions' answers are dropped before this is called (as for scoring). */
export function kpiOutcomes(qn: Questionnaire, visibleAnswers: Answers, context: ConditionContext = {}): KpiOutcomes {
  const outcomes: KpiOutcomes = {};
  for (const kpi of qn.kpis) {
    const inDenominator = kpi.denominator ? evaluate(kpi.denominator, visibleAnswers, context) : true;
    outcomes[kpi.id] = !inDenominator ? 0 : evaluate(kpi.numerator, visibleAnswers, context) ? 2 : 1;
  }
  return outcomes;
}

/**
 * A questionnaire declares at most this many KPIs, so its outcomes fit two integer bit masks that
 * JavaScript numbers, SQLite integers and PostgreSQL bigints all hold exactly.
 */
export const MAX_KPIS = 52;

/** Bit i of each mask stands for the questionnaire's i-th KPI (in file order). */
export type KpiMasks = { numerator: number; denominator: number };

export function kpiMasks(qn: Questionnaire, outcomes: KpiOutcomes): KpiMasks {
  let numerator = 0;
  let denominator = 0;
  qn.kpis.forEach((kpi, i) => {
    const o = outcomes[kpi.id];
    if (o === 1 || o === 2) denominator += 2 ** i;
    if (o === 2) numerator += 2 ** i;
  });
  return { numerator, denominator };
}

/** Below this many in the denominator a percentage is not published unless asked for. */
export const SMALL_NUMBER = 5;

/**
 * A whole percentage rounded half up, computed in integers so 29/40 is exactly 72.5 and becomes 73.
 * Null when nothing is in the denominator.
 */
export function percentHalfUp(numerator: number, denominator: number): number | null {
  if (denominator <= 0) return null;
  return Math.floor((200 * numerator + denominator) / (2 * denominator));
}

export type KpiTally = { numerator: number; denominator: number; /** Counted submissions whose version lacks the KPI. */ notAsked: number; /** Counted submissions outside its denominator. */ outside: number };

export type KpiDefinition = {
  id: string;
  title: string;
  theme: string;
  /** The verb phrase a statement sentence uses ("have taken steps to map their supply chains"). */
  statement: string;
  /** True when the KPI counts a subset ("of those who ..."), not every supplier. */
  ofThose: boolean;
};

export type KpiFigure = KpiDefinition &
  KpiTally & {
    /** Rounded half up; null when the denominator is 0 or (unless small numbers were asked for) under SMALL_NUMBER. */
    percent: number | null;
    /** True when a percentage exists but is withheld because the denominator is under SMALL_NUMBER. */
    tooFew: boolean;
  };

/** Add up counted submissions' outcomes for each KPI. */
export function tallyKpis(kpiIds: readonly string[], submissions: Iterable<KpiOutcomes>): Map<string, KpiTally> {
  const tallies = new Map(kpiIds.map((id) => [id, { numerator: 0, denominator: 0, notAsked: 0, outside: 0 }]));
  for (const outcomes of submissions) {
    for (const [id, t] of tallies) {
      const o = outcomes[id];
      if (o === undefined) t.notAsked++;
      else if (o === 0) t.outside++;
      else {
        t.denominator++;
        if (o === 2) t.numerator++;
      }
    }
  }
  return tallies;
}

export function kpiFigure(definition: KpiDefinition, tally: KpiTally, smallNumbers: boolean): KpiFigure {
  const exact = percentHalfUp(tally.numerator, tally.denominator);
  const tooFew = exact !== null && !smallNumbers && tally.denominator < SMALL_NUMBER;
  return { ...definition, ...tally, percent: tooFew ? null : exact, tooFew };
}

/** How a figure reads in a table cell: "73% (29 of 40)", "too few to report (3 of 4)" or "no suppliers". */
export function describeFigure(f: Pick<KpiFigure, "numerator" | "denominator" | "percent" | "tooFew">): string {
  if (f.denominator === 0) return "No suppliers in the denominator";
  if (f.tooFew) return `Too few to report (${f.numerator} of ${f.denominator})`;
  return `${f.percent}% (${f.numerator} of ${f.denominator})`;
}

/**
 * The KPI definitions across the questionnaire versions given, newest first: the newest version's
 * title and theme win, so a KPI keeps one name on the dashboard; the order is the newest version's,
 * then KPIs only older versions have.
 */
export function kpiDefinitions(versionsNewestFirst: readonly Questionnaire[]): KpiDefinition[] {
  const seen = new Map<string, KpiDefinition>();
  for (const qn of versionsNewestFirst) {
    for (const k of qn.kpis) {
      if (!seen.has(k.id)) {
        seen.set(k.id, { id: k.id, title: k.title, theme: k.theme ?? "other", statement: k.statement ?? lowerFirst(k.title), ofThose: k.denominator !== undefined });
      }
    }
  }
  return [...seen.values()];
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
