/** Programme KPIs' pure parts: UK dates of instants and periods, one KPI's figure, and goals read, merged and checked. */
import { describe, expect, it } from "vitest";
import { DEFAULT_GOALS, PROGRAMME_KPI_DEFINITIONS, PROGRAMME_KPI_IDS, checkGoals, doneOnTime, goalsFrom, goalsInput, periodDates, programmeKpi, ukDateOf } from "../../app/domain/programme";
import { periodStarting } from "../../app/domain/periods";

describe("UK dates", () => {
  it("reads an instant on the UK clock: the next day from 23:00 UTC in summer, the same day in winter", () => {
    expect(ukDateOf("2025-06-30T22:59:59.999Z")).toBe("2025-06-30");
    expect(ukDateOf("2025-06-30T23:00:00.000Z")).toBe("2025-07-01");
    expect(ukDateOf("2026-01-15T23:30:00.000Z")).toBe("2026-01-15");
    expect(ukDateOf(new Date("2026-01-16T00:00:00.000Z"))).toBe("2026-01-16");
  });

  it("gives a period's first day and the first day after it, not the UTC dates of its boundaries", () => {
    const period = periodStarting(2025);
    expect(period.start).toBe("2025-03-31T23:00:00.000Z");
    expect(periodDates(period)).toEqual({ first: "2025-04-01", afterLast: "2026-04-01" });
  });

  it("counts an action done on time up to the end of its due date in the UK", () => {
    expect(doneOnTime("2026-06-30T22:59:00.000Z", "2026-06-30")).toBe(true);
    expect(doneOnTime("2026-06-30T23:30:00.000Z", "2026-06-30")).toBe(false); // 00:30 on 1 July, BST
    expect(doneOnTime("2026-01-15T23:30:00.000Z", "2026-01-15")).toBe(true); // GMT
    expect(doneOnTime("2026-01-14T10:00:00.000Z", "2026-01-15")).toBe(true);
    expect(doneOnTime("2026-01-16T00:00:00.000Z", "2026-01-15")).toBe(false);
  });
});

describe("one KPI's figure", () => {
  it("rounds half up and compares with the goal", () => {
    expect(programmeKpi("actions_closed", 7, 8, { actions_closed: 88 })).toEqual({
      id: "actions_closed",
      title: PROGRAMME_KPI_DEFINITIONS.actions_closed.title,
      unit: "actions",
      numerator: 7,
      denominator: 8,
      percent: 88,
      goal: 88,
      met: true,
    });
    expect(programmeKpi("actions_closed", 7, 8, { actions_closed: 89 })).toMatchObject({ percent: 88, met: false });
  });

  it("has no percentage for an empty denominator, and no verdict without a percentage or a goal", () => {
    expect(programmeKpi("priority_suppliers_invited", 0, 0, { priority_suppliers_invited: 90 })).toMatchObject({ percent: null, goal: 90, met: null });
    expect(programmeKpi("answers_verified", 1, 3, {})).toMatchObject({ percent: 33, goal: null, met: null });
    expect(programmeKpi("contracts_risk_assessed", 0, 4, { contracts_risk_assessed: 0 })).toMatchObject({ percent: 0, met: true });
  });

  it("has a plain title, a unit and a definition for every KPI", () => {
    for (const id of PROGRAMME_KPI_IDS) {
      const d = PROGRAMME_KPI_DEFINITIONS[id];
      expect(d.title).toMatch(/^[A-Z][a-z]/);
      expect(d.unit.length).toBeGreaterThan(0);
      expect(d.description).toMatch(/\.$/);
    }
    expect(PROGRAMME_KPI_DEFINITIONS.contracts_risk_assessed_value.unit).toBe("£");
  });
});

describe("goals", () => {
  it("are the defaults until the department saves its own", () => {
    expect(goalsFrom(null)).toEqual(DEFAULT_GOALS);
    expect(goalsFrom("{}")).toEqual(DEFAULT_GOALS);
    expect(goalsFrom("not json")).toEqual(DEFAULT_GOALS);
    expect(goalsFrom("[1,2]")).toEqual(DEFAULT_GOALS);
  });

  it("take the department's value, a saved blank as no goal, and ignore what cannot be a goal", () => {
    const goals = goalsFrom(JSON.stringify({ contracts_risk_assessed: 75, priority_suppliers_invited: null, priority_suppliers_submitted: 101, priority_suppliers_completed: 12.5, answers_verified: "50", unknown_kpi: 3 }));
    expect(goals).toEqual({ contracts_risk_assessed: 75, priority_suppliers_submitted: 90, priority_suppliers_completed: 90, follow_up_held: 100 });
  });

  it("show as form text, blank for no goal", () => {
    const text = goalsInput({ contracts_risk_assessed: 0, follow_up_held: 100 });
    expect(text.contracts_risk_assessed).toBe("0");
    expect(text.follow_up_held).toBe("100");
    expect(text.actions_closed).toBe("");
    expect(Object.keys(text)).toEqual([...PROGRAMME_KPI_IDS]);
  });

  it("accept blanks and whole numbers from 0 to 100, with or without a % sign", () => {
    const outcome = checkGoals({ contracts_risk_assessed: " 0 ", contracts_risk_assessed_value: "100", priority_contracts: "45%", priority_suppliers_invited: "", actions_closed: "007" });
    expect(outcome).toEqual({
      ok: true,
      goals: {
        contracts_risk_assessed: 0,
        contracts_risk_assessed_value: 100,
        priority_contracts: 45,
        priority_suppliers_invited: null,
        priority_suppliers_submitted: null,
        priority_suppliers_completed: null,
        follow_up_held: null,
        actions_closed: 7,
        actions_closed_on_time: null,
        answers_verified: null,
      },
    });
  });

  it("refuse anything else, saying how to put it right", () => {
    const outcome = checkGoals({ contracts_risk_assessed: "101", priority_contracts: "-5", actions_closed: "87.5", answers_verified: "most", follow_up_held: "1e2", priority_suppliers_invited: "90" });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.errors).toEqual({
      contracts_risk_assessed: "The goal for contracts risk-assessed must be from 0 to 100",
      priority_contracts: "The goal for risk-assessed contracts that are a priority must be from 0 to 100",
      actions_closed: "The goal for agreed actions done must be a whole number from 0 to 100, without a decimal point",
      answers_verified: "Enter the goal for answers checked against evidence as a whole number from 0 to 100, like 90, or leave it blank for no goal",
      follow_up_held: "Enter the goal for results calling for follow-up that were discussed in a conversation as a whole number from 0 to 100, like 90, or leave it blank for no goal",
    });
  });
});
