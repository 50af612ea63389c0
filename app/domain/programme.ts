/**
 * Programme KPIs: how far a department's own due diligence went in a period, from Lantern's records
 * (contracts risk-assessed, priority suppliers invited and through, follow-up conversations, agreed
 * actions, verified answers). Goals are the department's own, with defaults where policy sets one.
 */
import type { Period } from "./periods";

export const PROGRAMME_KPI_IDS = [
  "contracts_risk_assessed",
  "contracts_risk_assessed_value",
  "priority_contracts",
  "priority_suppliers_invited",
  "priority_suppliers_submitted",
  "priority_suppliers_completed",
  "completed_with_follow_up",
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
  completed_with_follow_up: 100,
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
