import { describe, expect, it } from "vitest";
import { type KpiDefinition, type KpiFigure, kpiFigure } from "../../app/domain/kpis";
import type { ProgrammeKpi } from "../../app/domain/programme";
import {
  PACK_COLUMNS,
  describeChange,
  describeScope,
  describeScoreChange,
  packRows,
  pointsChange,
  statementDocument,
  statementThemes,
} from "../../app/domain/statement";

const MAPPED: KpiDefinition = { id: "supply_chain_mapped", title: "Have taken steps to map their supply chains", theme: "supply chain mapping", statement: "have taken steps to map their supply chains", ofThose: false };
const TIER2: KpiDefinition = { id: "mapped_tier2_plus", title: "Of those who mapped, mapped at least to their second tier", theme: "supply chain mapping", statement: "have mapped at least down to their second tier", ofThose: true };
const FEES: KpiDefinition = { id: "prohibits_worker_paid_fees", title: "Prohibit worker-paid recruitment fees", theme: "responsible recruitment", statement: "prohibit worker-paid recruitment fees", ofThose: false };
const MONITORS: KpiDefinition = { id: "monitors_labour_providers", title: "Monitor key recruitment agencies", theme: "responsible recruitment", statement: "monitor their key recruitment agencies", ofThose: false };

/** A figure as the statistics service makes it: counted, then rounded half up (or withheld). */
const figure = (d: KpiDefinition, numerator: number, denominator: number, smallNumbers = false, notAsked = 0): KpiFigure => kpiFigure(d, { numerator, denominator, notAsked, outside: 0 }, smallNumbers);

describe("statement sentences", () => {
  it("writes the published statements' sentence, with the narrower figure as 'and of those'", () => {
    // 78 of 100 mapped; 35 of those 78 mapped to the second tier (44.87% rounds to 45).
    const [theme] = statementThemes([figure(MAPPED, 78, 100), figure(TIER2, 35, 78)]);
    expect(theme!.heading).toBe("Supply chain mapping");
    expect(theme!.sentences.map((s) => s.text)).toEqual([
      "78% of our suppliers have taken steps to map their supply chains and of those, 45% have mapped at least down to their second tier.",
    ]);
    expect(theme!.sentences[0]!.kpis).toEqual(["supply_chain_mapped", "mapped_tier2_plus"]);
    expect(theme!.notes).toEqual([]);
    expect(theme!.none).toBeNull();
  });

  it("keeps themes in the order their figures come and one sentence per figure over every supplier", () => {
    const themes = statementThemes([figure(MAPPED, 78, 100), figure(FEES, 63, 100), figure(TIER2, 35, 78), figure(MONITORS, 48, 100)]);
    expect(themes.map((t) => t.heading)).toEqual(["Supply chain mapping", "Responsible recruitment"]);
    expect(themes[1]!.sentences.map((s) => s.text)).toEqual([
      "63% of our suppliers prohibit worker-paid recruitment fees.",
      "48% of our suppliers monitor their key recruitment agencies.",
    ]);
  });

  it("chains several narrower figures onto the one they narrow", () => {
    const SECOND: KpiDefinition = { ...TIER2, id: "mapped_tier3", statement: "have mapped down to their third tier" };
    const [theme] = statementThemes([figure(MAPPED, 30, 40), figure(TIER2, 15, 30), figure(SECOND, 6, 30)]);
    expect(theme!.sentences.map((s) => s.text)).toEqual([
      "75% of our suppliers have taken steps to map their supply chains and of those, 50% have mapped at least down to their second tier and 20% have mapped down to their third tier.",
    ]);
  });

  it("does not say 'of those' twice when the phrase comes from a title that already says it", () => {
    const fromTitle: KpiDefinition = { ...TIER2, statement: "of those who mapped, mapped at least to their second tier" };
    const [theme] = statementThemes([figure(MAPPED, 20, 20), figure(fromTitle, 10, 20)]);
    expect(theme!.sentences[0]!.text).toBe("100% of our suppliers have taken steps to map their supply chains and of those, 50% mapped at least to their second tier.");
  });

  it("shows percentages rounded half up to whole numbers", () => {
    // 29 of 40 is 72.5%: 73%. 2 of 3 is 66.67%: 67%. 1 of 8 is 12.5%: 13%.
    const texts = statementThemes([figure(MAPPED, 29, 40), figure(FEES, 2, 3, true), figure(MONITORS, 1, 8)]).flatMap((t) => t.sentences.map((s) => s.text));
    expect(texts).toEqual([
      "73% of our suppliers have taken steps to map their supply chains.",
      "67% of our suppliers prohibit worker-paid recruitment fees.",
      "13% of our suppliers monitor their key recruitment agencies.",
    ]);
    // Even a percentage that arrives unrounded is published as a whole number.
    const [odd] = statementThemes([{ ...figure(MAPPED, 29, 40), percent: 72.5 }]);
    expect(odd!.sentences[0]!.text).toMatch(/^73% of our suppliers/);
  });

  it("leaves out figures too small to report, with a note, and says so when a theme has none left", () => {
    const themes = statementThemes([figure(MAPPED, 3, 4), figure(TIER2, 2, 3), figure(FEES, 63, 100), figure(MONITORS, 2, 4)]);
    expect(themes[0]!.sentences).toEqual([]);
    expect(themes[0]!.none).toBe("No figures to report on supply chain mapping for this period.");
    expect(themes[0]!.notes).toEqual([
      "“Have taken steps to map their supply chains” is left out: too few suppliers to report (3 of 4).",
      "“Of those who mapped, mapped at least to their second tier” is left out: too few suppliers to report (2 of 3).",
    ]);
    expect(themes[1]!.sentences.map((s) => s.text)).toEqual(["63% of our suppliers prohibit worker-paid recruitment fees."]);
    expect(themes[1]!.notes).toEqual(["“Monitor key recruitment agencies” is left out: too few suppliers to report (2 of 4)."]);
  });

  it("reports small numbers when they were asked for", () => {
    const [theme] = statementThemes([figure(MAPPED, 3, 4, true), figure(TIER2, 2, 3, true)]);
    expect(theme!.sentences.map((s) => s.text)).toEqual(["75% of our suppliers have taken steps to map their supply chains and of those, 67% have mapped at least down to their second tier."]);
  });

  it("keeps a narrower figure when only it is too small, and leaves out figures with nobody to count", () => {
    const [mapping] = statementThemes([figure(MAPPED, 3, 40), figure(TIER2, 1, 3)]);
    expect(mapping!.sentences.map((s) => s.text)).toEqual(["8% of our suppliers have taken steps to map their supply chains."]);
    expect(mapping!.notes).toHaveLength(1);
    const [nobody] = statementThemes([figure(MAPPED, 0, 0), figure(TIER2, 0, 0)]);
    expect(nobody!.sentences).toEqual([]);
    expect(nobody!.notes).toEqual([]);
    expect(nobody!.none).toBe("No figures to report on supply chain mapping for this period.");
    // Nobody mapped: the narrower figure has no one to count and is not written.
    const [none] = statementThemes([figure(MAPPED, 0, 40), figure(TIER2, 0, 0)]);
    expect(none!.sentences.map((s) => s.text)).toEqual(["0% of our suppliers have taken steps to map their supply chains."]);
  });

  it("does not attach a narrower figure to a sentence that was left out", () => {
    // (Made up: a narrower figure normally has no more suppliers than the one it narrows.)
    const [theme] = statementThemes([{ ...figure(FEES, 63, 100), theme: MAPPED.theme }, figure(MAPPED, 1, 2), figure(TIER2, 5, 10)]);
    expect(theme!.sentences.map((s) => s.text)).toEqual([
      "63% of our suppliers prohibit worker-paid recruitment fees.",
      "Of those who mapped, 50% have mapped at least down to their second tier.",
    ]);
    // A narrower figure with nothing before it in its theme stands alone.
    const [alone] = statementThemes([figure(TIER2, 35, 78)]);
    expect(alone!.sentences.map((s) => s.text)).toEqual(["Of those who mapped, 45% have mapped at least down to their second tier."]);
    const untitled = statementThemes([{ ...figure(TIER2, 35, 78), title: "Mapped to the second tier" }]);
    expect(untitled[0]!.sentences[0]!.text).toBe("Of the suppliers this applies to, 45% have mapped at least down to their second tier.");
  });

  it("does not attach a narrower figure to one it cannot narrow (more suppliers than that one's numerator)", () => {
    const TRAINED: KpiDefinition = { id: "staff_trained", title: "Trained their own staff", theme: "training", statement: "have trained their own staff", ofThose: false };
    const KEY: KpiDefinition = { id: "key_staff_trained", title: "Trained key staff", theme: "training", statement: "have trained at least 80% of their key staff", ofThose: false };
    const COVERS: KpiDefinition = { id: "covers", title: "Of those who trained their staff, taught the signs", theme: "training", statement: "teach the signs of modern slavery", ofThose: true };
    const [theme] = statementThemes([figure(TRAINED, 19, 19), figure(KEY, 0, 19), figure(COVERS, 16, 19)]);
    expect(theme!.sentences.map((s) => s.text)).toEqual([
      "100% of our suppliers have trained their own staff.",
      "0% of our suppliers have trained at least 80% of their key staff.",
      "Of those who trained their staff, 84% teach the signs of modern slavery.",
    ]);
  });

  it("writes the plain-text statement: title, coverage, scope and every theme", () => {
    const themes = statementThemes([figure(MAPPED, 78, 100), figure(TIER2, 35, 78), figure(FEES, 2, 3)]);
    const text = statementDocument({ organisation: "Department for Public Works", periodLabel: "April 2024 to March 2025", periodId: "2024-25", suppliers: 100, scope: ["Only suppliers of priority contracts."], themes });
    expect(text).toBe(
      [
        "Modern slavery statement figures: Department for Public Works, April 2024 to March 2025 (2024-25)",
        "",
        "These figures come from the latest self-assessment each supplier submitted in the period and shares with us: 100 suppliers.",
        "Only suppliers of priority contracts.",
        "",
        "Supply chain mapping",
        "78% of our suppliers have taken steps to map their supply chains and of those, 45% have mapped at least down to their second tier.",
        "",
        "Responsible recruitment",
        "No figures to report on responsible recruitment for this period.",
        "Note: “Prohibit worker-paid recruitment fees” is left out: too few suppliers to report (2 of 3).",
        "",
      ].join("\n"),
    );
  });
});

describe("scope", () => {
  it("says which suppliers are counted when filtered, and whether small numbers are shown", () => {
    expect(describeScope({ smallNumbers: false, smallNumber: 5 })).toEqual(["Figures about fewer than 5 suppliers are not reported."]);
    expect(describeScope({ tierLabel: "Gold", category: "Cleaning", priorityOnly: true, smallNumbers: true, smallNumber: 5 })).toEqual([
      "Only suppliers of our Gold tier priority contracts in the category “Cleaning” are counted.",
      "Figures about fewer than 5 suppliers are shown; treat them with care.",
    ]);
    expect(describeScope({ priorityOnly: true, smallNumbers: false, smallNumber: 5 })[0]).toBe("Only suppliers of our priority contracts are counted.");
  });
});

describe("changes", () => {
  it("are in percentage points, and absent when either period has no percentage", () => {
    expect(pointsChange(73, 68)).toBe(5);
    expect(pointsChange(null, 68)).toBeNull();
    expect(pointsChange(73, null)).toBeNull();
    expect(describeChange(5)).toBe("+5 points");
    expect(describeChange(-1)).toBe("−1 point");
    expect(describeChange(0)).toBe("No change");
    expect(describeChange(null)).toBe("–");
  });

  it("describe the average change in overall score", () => {
    expect(describeScoreChange({ suppliers: 12, averageChange: 4.2 })).toBe("+4.2 points across 12 suppliers");
    expect(describeScoreChange({ suppliers: 1, averageChange: -3 })).toBe("−3.0 points across 1 supplier");
    expect(describeScoreChange({ suppliers: 0, averageChange: null })).toBe("No supplier has an earlier submission to compare with");
  });
});

describe("download rows", () => {
  const programmeKpi = (id: ProgrammeKpi["id"], numerator: number, denominator: number, goal: number | null): ProgrammeKpi => {
    const percent = denominator === 0 ? null : Math.floor((200 * numerator + denominator) / (2 * denominator));
    return { id, title: id, unit: "suppliers", numerator, denominator, percent, goal, met: goal === null || percent === null ? null : percent >= goal };
  };

  it("hold the same figures as the tables, with the previous period and the change", () => {
    const current = { period: { id: "2024-25" }, figures: [figure(MAPPED, 29, 40), figure(TIER2, 2, 3, false, 1)], scoreChange: { suppliers: 12, averageChange: 4.2 } };
    const previous = { period: { id: "2023-24" }, figures: [figure(MAPPED, 20, 40), figure(TIER2, 10, 20)], scoreChange: { suppliers: 0, averageChange: null } };
    const themes = statementThemes(current.figures);
    const pack = packRows({
      findings: { current, previous },
      programme: { current: { period: { id: "2024-25" }, kpis: [programmeKpi("priority_suppliers_submitted", 9, 10, 90)] }, previous: { kpis: [programmeKpi("priority_suppliers_submitted", 4, 8, 90)] } },
      themes,
    });
    for (const row of [...pack.findings, ...pack.programme, ...pack.scoreChange, ...pack.statement]) expect(Object.keys(row)).toEqual([...PACK_COLUMNS]);
    expect(pack.findings[0]).toMatchObject({ table: "findings", period: "2024-25", id: "supply_chain_mapped", numerator: 29, denominator: 40, percent: 73, too_few: "no", not_asked: 0, previous_numerator: 20, previous_denominator: 40, previous_percent: 50, change: 23 });
    expect(pack.findings[1]).toMatchObject({ id: "mapped_tier2_plus", percent: null, too_few: "yes", not_asked: 1, previous_percent: 50, change: null });
    expect(pack.programme[0]).toMatchObject({ table: "programme", id: "priority_suppliers_submitted", numerator: 9, denominator: 10, percent: 90, goal: 90, previous_percent: 50, change: 40 });
    expect(pack.scoreChange).toEqual([
      expect.objectContaining({ table: "score_change", period: "2024-25", denominator: 12, change: 4.2 }),
      expect.objectContaining({ table: "score_change", period: "2023-24", denominator: 0, change: null }),
    ]);
    expect(pack.statement.map((r) => [r.id, r.title])).toEqual([
      ["supply_chain_mapped", "73% of our suppliers have taken steps to map their supply chains."],
      ["note", "“Of those who mapped, mapped at least to their second tier” is left out: too few suppliers to report (2 of 3)."],
    ]);
  });
});
