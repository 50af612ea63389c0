/**
 * KPI arithmetic: each submission's outcome per KPI, adding outcomes up across submissions that
 * answered different versions, the half-up percentage and when it is withheld, and the names the
 * dashboard uses when versions disagree.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolve } from "node:path";
import { loadQuestionnaire } from "../../questionnaires/format";
import { type KpiTally, SMALL_NUMBER, describeFigure, kpiDefinitions, kpiFigure, kpiOutcomes, percentHalfUp, tallyKpis } from "../../app/domain/kpis";
import { ROOT, fixture } from "./helpers";

describe("percentHalfUp", () => {
  it("rounds the cases floating point gets wrong", () => {
    // 29/40 is exactly 72.5%, but 29 / 40 * 100 is 72.49999999999999 in floating point.
    expect(percentHalfUp(29, 40)).toBe(73);
    expect(percentHalfUp(31, 40)).toBe(78);
    expect(percentHalfUp(14, 31)).toBe(45);
    expect(percentHalfUp(19, 28)).toBe(68);
  });

  it("rounds an exact half up", () => {
    expect(percentHalfUp(1, 8)).toBe(13); // 12.5
    expect(percentHalfUp(3, 8)).toBe(38); // 37.5
    expect(percentHalfUp(5, 8)).toBe(63); // 62.5
    expect(percentHalfUp(1, 40)).toBe(3); // 2.5
    expect(percentHalfUp(1, 200)).toBe(1); // 0.5
    expect(percentHalfUp(199, 200)).toBe(100); // 99.5
    expect(percentHalfUp(57, 200)).toBe(29); // 28.5
  });

  it("rounds below a half down and above it up", () => {
    expect(percentHalfUp(1, 3)).toBe(33);
    expect(percentHalfUp(2, 3)).toBe(67);
    expect(percentHalfUp(1, 201)).toBe(0); // 0.4975
    expect(percentHalfUp(200, 201)).toBe(100); // 99.502
    expect(percentHalfUp(1, 199)).toBe(1); // 0.5025
  });

  it("gives 0 and 100 at the ends, and nothing for an empty denominator", () => {
    expect(percentHalfUp(0, 5)).toBe(0);
    expect(percentHalfUp(5, 5)).toBe(100);
    expect(percentHalfUp(0, 0)).toBeNull();
    expect(percentHalfUp(3, 0)).toBeNull();
  });

  it("equals the exact rational percentage rounded half up", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }).chain((denominator) => fc.tuple(fc.integer({ min: 0, max: denominator }), fc.constant(denominator))),
        ([numerator, denominator]) => {
          const result = percentHalfUp(numerator, denominator)!;
          // r = floor(100n/d + 1/2)  <=>  2d·r <= 200n + d < 2d·(r + 1), in exact integers.
          const twiceScaled = 200n * BigInt(numerator) + BigInt(denominator);
          const twiceD = 2n * BigInt(denominator);
          expect(Number.isInteger(result)).toBe(true);
          expect(twiceD * BigInt(result) <= twiceScaled).toBe(true);
          expect(twiceScaled < twiceD * BigInt(result + 1)).toBe(true);
        },
      ),
      { numRuns: 5000 },
    );
  });
});

const qn = fixture(`themes:
  - id: chain
    title: Chain
    questions:
      - {id: chain.mapped, type: yesno, text: Mapped?, points: {"yes": 2, "no": 0}}
      - id: chain.depth
        type: single
        text: How deep?
        showIf: {q: chain.mapped, equals: "yes"}
        options:
          - {value: tier1, label: Tier 1, points: 1}
          - {value: tier2, label: Tier 2, points: 2}
      - {id: chain.size, type: number, text: How many?, min: 0, max: 1000}
kpis:
  - {id: mapped, title: Have mapped their supply chains, theme: mapping, numerator: {q: chain.mapped, equals: "yes"}}
  - id: deep
    title: Of those who mapped, mapped to tier 2
    theme: mapping
    numerator: {q: chain.depth, equals: tier2}
    denominator: {q: chain.mapped, equals: "yes"}
  - {id: many, title: Have many suppliers, numerator: {q: chain.size, atLeast: 100}}
  - {id: cleared, title: Screened without a confirmed match, numerator: {not: {screening: confirmed_active}}, denominator: {screening: any_match}}
`);

describe("kpiOutcomes", () => {
  it("puts every submission in a KPI without a denominator: 2 when it meets the numerator, else 1", () => {
    expect(kpiOutcomes(qn, { "chain.mapped": "yes", "chain.depth": "tier2", "chain.size": 150 })).toMatchObject({ mapped: 2, many: 2 });
    expect(kpiOutcomes(qn, { "chain.mapped": "no", "chain.size": 20 })).toMatchObject({ mapped: 1, many: 1 });
    // An unanswered question meets no numerator, but the submission is still in the denominator.
    expect(kpiOutcomes(qn, {})).toMatchObject({ mapped: 1, many: 1 });
  });

  it("leaves a submission outside a KPI whose denominator it does not meet (0), else 1 or 2", () => {
    expect(kpiOutcomes(qn, { "chain.mapped": "no" }).deep).toBe(0);
    expect(kpiOutcomes(qn, { "chain.mapped": "yes", "chain.depth": "tier1" }).deep).toBe(1);
    expect(kpiOutcomes(qn, { "chain.mapped": "yes", "chain.depth": "tier2" }).deep).toBe(2);
    expect(kpiOutcomes(qn, {}).deep).toBe(0);
  });

  it("has one outcome for every KPI of the version, and no other", () => {
    expect(Object.keys(kpiOutcomes(qn, {})).sort()).toEqual(["cleared", "deep", "many", "mapped"]);
  });

  it("reads the context it is given (screening), and without it such conditions are false", () => {
    const none = { unresolved_active: false, confirmed_active: false, resolved_inactive: false, any_match: false };
    expect(kpiOutcomes(qn, {}).cleared).toBe(0);
    expect(kpiOutcomes(qn, {}, { screening: none }).cleared).toBe(0);
    expect(kpiOutcomes(qn, {}, { screening: { ...none, resolved_inactive: true, any_match: true } }).cleared).toBe(2);
    expect(kpiOutcomes(qn, {}, { screening: { ...none, confirmed_active: true, any_match: true } }).cleared).toBe(1);
  });

  it("works out MSAT 1.1's supply-chain KPIs from the answers", () => {
    const msat = loadQuestionnaire(resolve(ROOT, "questionnaires/msat/msat-1.1.0.yaml"));
    const pick = (o: Record<string, number>) => ({ supply_chain_mapped: o.supply_chain_mapped, mapped_tier2_plus: o.mapped_tier2_plus });
    expect(pick(kpiOutcomes(msat, { "mapping.has_mapped": "no" }))).toEqual({ supply_chain_mapped: 1, mapped_tier2_plus: 0 });
    expect(pick(kpiOutcomes(msat, { "mapping.has_mapped": "yes", "mapping.deepest_tier": "tier1" }))).toEqual({ supply_chain_mapped: 2, mapped_tier2_plus: 1 });
    expect(pick(kpiOutcomes(msat, { "mapping.has_mapped": "yes", "mapping.deepest_tier": "tier3_plus" }))).toEqual({ supply_chain_mapped: 2, mapped_tier2_plus: 2 });
  });
});

describe("tallyKpis", () => {
  it("adds up numerators and denominators, counting submissions outside a denominator and those whose version lacks the KPI apart", () => {
    const tallies = tallyKpis(
      ["a", "b", "c"],
      [
        { a: 2, b: 0 },
        { a: 1, b: 2 },
        {},
        { a: 2, b: 1, c: 2 },
        { a: 0, b: 2, c: 1, gone: 2 },
      ],
    );
    expect([...tallies.keys()]).toEqual(["a", "b", "c"]);
    expect(tallies.get("a")).toEqual({ numerator: 2, denominator: 3, notAsked: 1, outside: 1 });
    expect(tallies.get("b")).toEqual({ numerator: 2, denominator: 3, notAsked: 1, outside: 1 });
    expect(tallies.get("c")).toEqual({ numerator: 1, denominator: 2, notAsked: 3, outside: 0 });
  });

  it("accounts for every submission once per KPI", () => {
    const outcome = fc.constantFrom<0 | 1 | 2 | undefined>(0, 1, 2, undefined);
    fc.assert(
      fc.property(fc.array(fc.record({ a: outcome, b: outcome }), { maxLength: 50 }), (rows) => {
        const submissions = rows.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)) as Record<string, 0 | 1 | 2>);
        for (const [id, t] of tallyKpis(["a", "b"], submissions)) {
          expect(t.denominator + t.notAsked + t.outside).toBe(rows.length);
          expect(t.numerator).toBe(submissions.filter((s) => s[id] === 2).length);
          expect(t.denominator).toBe(submissions.filter((s) => s[id] === 1 || s[id] === 2).length);
        }
      }),
    );
  });

  it("gives zeros with no submissions", () => {
    expect(tallyKpis(["a"], []).get("a")).toEqual({ numerator: 0, denominator: 0, notAsked: 0, outside: 0 });
  });
});

describe("kpiFigure", () => {
  const definition = { id: "mapped", title: "Have mapped", theme: "mapping", statement: "have mapped", ofThose: false };
  const tally = (numerator: number, denominator: number): KpiTally => ({ numerator, denominator, notAsked: 1, outside: 2 });

  it("withholds the percentage while the denominator is under 5, unless small numbers are asked for", () => {
    expect(SMALL_NUMBER).toBe(5);
    expect(kpiFigure(definition, tally(3, 4), false)).toEqual({ ...definition, numerator: 3, denominator: 4, notAsked: 1, outside: 2, percent: null, tooFew: true });
    expect(kpiFigure(definition, tally(3, 4), true)).toEqual({ ...definition, numerator: 3, denominator: 4, notAsked: 1, outside: 2, percent: 75, tooFew: false });
    expect(kpiFigure(definition, tally(1, 1), false)).toMatchObject({ percent: null, tooFew: true });
    expect(kpiFigure(definition, tally(0, 1), true)).toMatchObject({ percent: 0, tooFew: false });
  });

  it("shows the percentage from 5 in the denominator", () => {
    expect(kpiFigure(definition, tally(3, 5), false)).toMatchObject({ numerator: 3, denominator: 5, percent: 60, tooFew: false });
    expect(kpiFigure(definition, tally(29, 40), false)).toMatchObject({ percent: 73, tooFew: false });
  });

  it("has no percentage, and nothing withheld, when the denominator is empty", () => {
    expect(kpiFigure(definition, tally(0, 0), false)).toMatchObject({ percent: null, tooFew: false });
    expect(kpiFigure(definition, tally(0, 0), true)).toMatchObject({ percent: null, tooFew: false });
  });

  it("reads in a table cell as a percentage with its counts, too few to report, or no suppliers", () => {
    expect(describeFigure(kpiFigure(definition, tally(29, 40), false))).toBe("73% (29 of 40)");
    expect(describeFigure(kpiFigure(definition, tally(3, 4), false))).toBe("Too few to report (3 of 4)");
    expect(describeFigure(kpiFigure(definition, tally(3, 4), true))).toBe("75% (3 of 4)");
    expect(describeFigure(kpiFigure(definition, tally(0, 0), false))).toBe("No suppliers in the denominator");
  });
});

describe("kpiDefinitions", () => {
  const older = fixture(`themes:
  - id: t
    title: T
    questions:
      - {id: t.a, type: yesno, text: A?, points: {"yes": 1, "no": 0}}
kpis:
  - {id: shared, title: Old name, theme: old theme, statement: did the old thing, numerator: {q: t.a, equals: "yes"}}
  - {id: dropped, title: Only the older version asks this, theme: gone, numerator: {q: t.a, equals: "yes"}}
  - {id: subset, title: "Of those, something", numerator: {q: t.a, equals: "yes"}, denominator: {q: t.a, answered: true}}
`);
  const newer = {
    ...fixture(`themes:
  - id: t
    title: T
    questions:
      - {id: t.a, type: yesno, text: A?, points: {"yes": 1, "no": 0}}
kpis:
  - {id: added, title: Only the newer version asks this, statement: do the new thing, numerator: {q: t.a, equals: "yes"}}
  - {id: shared, title: New name, numerator: {q: t.a, equals: "yes"}}
  - {id: subset, title: "Of those, something else", theme: subsets, numerator: {q: t.a, equals: "yes"}, denominator: {q: t.a, answered: true}}
`),
    version: "1.1.0",
  };

  it("names each KPI by the newest version that has it, in the newest version's order, then KPIs only older versions have", () => {
    expect(kpiDefinitions([newer, older])).toEqual([
      { id: "added", title: "Only the newer version asks this", theme: "other", statement: "do the new thing", ofThose: false },
      { id: "shared", title: "New name", theme: "other", statement: "new name", ofThose: false },
      { id: "subset", title: "Of those, something else", theme: "subsets", statement: "of those, something else", ofThose: true },
      { id: "dropped", title: "Only the older version asks this", theme: "gone", statement: "only the older version asks this", ofThose: false },
    ]);
  });

  it("follows the order it is given: the first version given wins", () => {
    expect(kpiDefinitions([older, newer]).map((d) => [d.id, d.title])).toEqual([
      ["shared", "Old name"],
      ["dropped", "Only the older version asks this"],
      ["subset", "Of those, something"],
      ["added", "Only the newer version asks this"],
    ]);
    expect(kpiDefinitions([older])[0]).toEqual({ id: "shared", title: "Old name", theme: "old theme", statement: "did the old thing", ofThose: false });
  });

  it("is empty without versions, and names MSAT's KPIs by 1.1, then any only 1.0 has", () => {
    expect(kpiDefinitions([])).toEqual([]);
    const v10 = loadQuestionnaire(resolve(ROOT, "questionnaires/msat/msat-1.0.0.yaml"));
    const v11 = loadQuestionnaire(resolve(ROOT, "questionnaires/msat/msat-1.1.0.yaml"));
    const both = kpiDefinitions([v11, v10]);
    expect(both.map((d) => d.id)).toEqual(v11.kpis.map((k) => k.id).concat(v10.kpis.map((k) => k.id).filter((id) => !v11.kpis.some((k) => k.id === id))));
    expect(both.find((d) => d.id === "mapped_tier2_plus")).toMatchObject({ ofThose: true, theme: "supply chain mapping" });
    expect(both.find((d) => d.id === "supply_chain_mapped")).toMatchObject({ ofThose: false, statement: "have taken steps to map their supply chains" });
  });
});
