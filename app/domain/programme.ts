/**
 * Programme KPIs: how far a department's own due diligence went in a period, from Lantern's records
 * (contracts risk-assessed, priority suppliers invited and through, follow-up conversations, agreed
 * actions, verified answers). Goals are the department's own, with defaults where policy sets one.
 */
import { percentHalfUp } from "./kpis";
import type { Period } from "./periods";

export const PROGRAMME_KPI_IDS = [
  "contracts_risk_assessed",
  "contracts_risk_assessed_value",
  "priority_contracts",
  "priority_suppliers_invited",
  "priority_suppliers_submitted",
  "priority_suppliers_completed",
  "follow_up_held",
  "actions_closed",
  "actions_closed_on_time",
  "answers_verified",
] as const;
export type ProgrammeKpiId = (typeof PROGRAMME_KPI_IDS)[number];

/** Goals set by policy until the department sets its own; KPIs not listed have no goal by default. */
export const DEFAULT_GOALS: Partial<Record<ProgrammeKpiId, number>> = {
  priority_suppliers_invited: 90,
  priority_suppliers_submitted: 90,
  priority_suppliers_completed: 90,
  follow_up_held: 100,
};

export type Goals = Partial<Record<ProgrammeKpiId, number>>;

export type ProgrammeKpi = {
  id: ProgrammeKpiId;
  title: string;
  /** What the numerator and denominator count, for the table's heading and downloads ("contracts", "£", "actions"). */
  unit: string;
  numerator: number;
  denominator: number;
  /** Rounded half up; null when the denominator is 0. */
  percent: number | null;
  /** The department's goal in percent, or null when it has none. */
  goal: number | null;
  /** Whether the goal is met; null without a goal or a percentage. */
  met: boolean | null;
};

export type ProgrammeFigures = { period: Period; kpis: ProgrammeKpi[] };

/** Each KPI's plain-English title, what its numerator and denominator count, and what it measures. */
export const PROGRAMME_KPI_DEFINITIONS: Record<ProgrammeKpiId, { title: string; unit: string; description: string }> = {
  contracts_risk_assessed: {
    title: "Contracts risk-assessed",
    unit: "contracts",
    description: "Of the contracts in force during the period, those risk-assessed by its end.",
  },
  contracts_risk_assessed_value: {
    title: "Contract value risk-assessed",
    unit: "£",
    description: "Of the annual value of the contracts in force during the period, the value of those risk-assessed by its end.",
  },
  priority_contracts: {
    title: "Risk-assessed contracts that are a priority",
    unit: "contracts",
    description: "Of the contracts risk-assessed by the period's end, those with at least the department's number of risk indicators (priority contracts).",
  },
  priority_suppliers_invited: {
    title: "Priority contracts whose supplier was invited",
    unit: "contracts",
    description: "Of the priority contracts, those whose supplier the department had invited to complete an assessment by the period's end.",
  },
  priority_suppliers_submitted: {
    title: "Priority contracts whose supplier submitted an assessment",
    unit: "contracts",
    description: "Of the priority contracts, those whose supplier had submitted an assessment to the department by the period's end.",
  },
  priority_suppliers_completed: {
    title: "Priority contracts whose supplier completed an assessment",
    unit: "contracts",
    description: "Of the priority contracts, those whose supplier had completed an assessment (responded to every recommendation) by the period's end.",
  },
  follow_up_held: {
    title: "Results calling for follow-up that were discussed in a conversation",
    unit: "results",
    description:
      "Of the suppliers counted in the period whose counted result called for follow-up when submitted (it raised a red flag, or it was rated in the highest-risk band), those the department has discussed it with in a finished conversation. Whether the supplier responded to its recommendations plays no part.",
  },
  actions_closed: {
    title: "Agreed actions done",
    unit: "actions",
    description: "Of the actions agreed in conversations finished in the period, those done (cancelled actions are left out).",
  },
  actions_closed_on_time: {
    title: "Done actions finished by their due date",
    unit: "actions",
    description: "Of the actions agreed in conversations finished in the period that are done, those marked done on or before their due date.",
  },
  answers_verified: {
    title: "Answers checked against evidence",
    unit: "answers",
    description: "Of the answers in the submissions discussed in conversations finished in the period, those the department saw evidence for or verified.",
  },
};

const ukDateParts = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit" });

/** The UK local date ("2021-03-31") of an instant. */
export function ukDateOf(instant: string | Date): string {
  const parts = Object.fromEntries(ukDateParts.formatToParts(typeof instant === "string" ? new Date(instant) : instant).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}`;
}

/**
 * A period as UK dates, for comparing with dates such as a contract's start and end: its first day
 * and the first day after it. (Its start and end are UTC instants of UK midnight, so in summer
 * their UTC date is the day before.)
 */
export function periodDates(period: Pick<Period, "start" | "end">): { first: string; afterLast: string } {
  return { first: ukDateOf(period.start), afterLast: ukDateOf(period.end) };
}

/** Whether an action marked done at an instant was done on or before its due date, both as UK dates. */
export function doneOnTime(doneAt: string, dueOn: string): boolean {
  return ukDateOf(doneAt) <= dueOn;
}

/** One KPI's figure: percentage rounded half up, and whether the goal is met. */
export function programmeKpi(id: ProgrammeKpiId, numerator: number, denominator: number, goals: Goals): ProgrammeKpi {
  const { title, unit } = PROGRAMME_KPI_DEFINITIONS[id];
  const percent = percentHalfUp(numerator, denominator);
  const goal = goals[id] ?? null;
  return { id, title, unit, numerator, denominator, percent, goal, met: goal === null || percent === null ? null : percent >= goal };
}

const isGoal = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 100;

/**
 * The department's goals from what it saved (JSON of KPI id to a percentage, or null for "no
 * goal"): a KPI it never set, or set to something unreadable, keeps its default.
 */
export function goalsFrom(saved: string | null): Goals {
  let stored: Record<string, unknown> = {};
  if (saved) {
    try {
      const parsed: unknown = JSON.parse(saved);
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) stored = parsed as Record<string, unknown>;
    } catch {
      // unreadable: the defaults apply
    }
  }
  const goals: Goals = {};
  for (const id of PROGRAMME_KPI_IDS) {
    const own = Object.hasOwn(stored, id) ? stored[id] : undefined;
    const goal = own === null ? undefined : isGoal(own) ? own : DEFAULT_GOALS[id];
    if (goal !== undefined) goals[id] = goal;
  }
  return goals;
}

export type GoalsInput = Partial<Record<ProgrammeKpiId, string>>;
export type GoalsErrors = Partial<Record<ProgrammeKpiId, string>>;
/** Every KPI's goal as saved: a percentage, or null for no goal. */
export type SavedGoals = Record<ProgrammeKpiId, number | null>;

/** The form's text for each goal: the percentage, or blank for no goal. */
export function goalsInput(goals: Goals): Record<ProgrammeKpiId, string> {
  return Object.fromEntries(PROGRAMME_KPI_IDS.map((id) => [id, goals[id] === undefined ? "" : String(goals[id])])) as Record<ProgrammeKpiId, string>;
}

/** Check the goals form: each goal blank (no goal) or a whole number from 0 to 100, with or without "%". */
export function checkGoals(input: GoalsInput): { ok: true; goals: SavedGoals } | { ok: false; errors: GoalsErrors } {
  const errors: GoalsErrors = {};
  const goals = {} as SavedGoals;
  for (const id of PROGRAMME_KPI_IDS) {
    const text = (input[id] ?? "").trim().replace(/\s*%$/, "");
    const name = PROGRAMME_KPI_DEFINITIONS[id].title.toLowerCase();
    if (text === "") {
      goals[id] = null;
    } else if (/^\d{1,3}$/.test(text) && Number(text) <= 100) {
      goals[id] = Number(text);
    } else if (/^-?\d+([.,]\d+)?$/.test(text)) {
      errors[id] = /[.,]/.test(text)
        ? `The goal for ${name} must be a whole number from 0 to 100, without a decimal point`
        : `The goal for ${name} must be from 0 to 100`;
    } else {
      errors[id] = `Enter the goal for ${name} as a whole number from 0 to 100, like 90, or leave it blank for no goal`;
    }
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, goals };
}
