import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { countryRiskFrom } from "../../app/domain/rating";
import {
  ASSESSMENT_VALUE_THRESHOLD_PENCE,
  DEFAULT_PRIORITY_THRESHOLD,
  HIGHER_RISK_INDUSTRIES,
  MAX_INDICATOR_NOTE,
  RISK_CHARACTERISTICS,
  assessPriority,
  checkIndicators,
  commoditiesNamedIn,
  coverage,
  coverageOf,
  readIndicatorAnswers,
  isRiskCharacteristic,
  needsAssessmentByValue,
  suggestIndicators,
  type IndicatorRecord,
  type SuggestionReference,
} from "../../app/domain/prioritisation";
import { ROOT } from "./helpers";

/** Records with the first `n` characteristics present and the rest absent. */
function withPresent(n: number): IndicatorRecord[] {
  return RISK_CHARACTERISTICS.map((c, i) => ({ characteristic: c.id, present: i < n, note: "" }));
}

/** Real Global Slavery Index 2023 figures (country-prevalence.csv) with the MSAT 1.1 bands (medium from 5, high from 10). */
const prevalence = new Map([
  ["GB", 1.8],
  ["IN", 8.0],
  ["MR", 32.0],
]);
const reference: SuggestionReference = {
  countryRisk: countryRiskFrom(prevalence, { mediumFrom: 5, highFrom: 10 }),
  highRiskCategories: [],
  highRiskCommodities: ["cotton", "ppe_gloves", "polysilicon_solar"],
  countryName: (code) => ({ GB: "United Kingdom", IN: "India", MR: "Mauritania", MY: "Malaysia" })[code] ?? code,
  commodityLabel: (id) => ({ cotton: "Cotton", ppe_gloves: "PPE and rubber gloves", polysilicon_solar: "Polysilicon and solar panels" })[id] ?? id,
};

describe("RISK_CHARACTERISTICS", () => {
  it("lists the six PPN characteristics and strategic risk, each with a label and a one-sentence hint", () => {
    expect(RISK_CHARACTERISTICS.map((c) => c.id)).toEqual(["industry", "workforce", "location", "context", "commodity", "business_model", "strategic"]);
    for (const c of RISK_CHARACTERISTICS) {
      expect(c.label.length).toBeGreaterThan(0);
      expect(c.hint).toMatch(/^[A-Z][^.]*\.$/);
      expect(c.hint).not.toMatch(/\d/);
    }
    expect(new Set(RISK_CHARACTERISTICS.map((c) => c.label)).size).toBe(7);
  });

  it("recognises only the declared ids", () => {
    expect(isRiskCharacteristic("business_model")).toBe(true);
    expect(isRiskCharacteristic("Industry")).toBe(false);
    expect(isRiskCharacteristic(undefined)).toBe(false);
  });

  it("declares every higher-risk industry from the guidance", () => {
    expect(HIGHER_RISK_INDUSTRIES.map((i) => i.industry)).toEqual([
      "agriculture", "mining", "fishing", "construction", "electronics manufacturing", "textiles and garments", "food processing",
      "cleaning", "catering", "security", "hospitality", "logistics and warehousing", "health and social care",
    ]);
  });

  it("names a source for every higher-risk industry, each described in the data README", () => {
    const readme = readFileSync(resolve(ROOT, "questionnaires/data/README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Higher-risk industries"));
    expect(section.length).toBeLessThan(readme.length);
    for (const { industry, sources } of HIGHER_RISK_INDUSTRIES) {
      expect(sources.length, industry).toBeGreaterThan(0);
      expect(sources, `${industry} is marked unsourced`).not.toContain("unsourced");
      for (const source of sources) expect(section, `${industry}: ${source}`).toContain(`\`${source}\``);
    }
    // Every industry the guidance list maps to is named in the README's table.
    for (const { industry } of HIGHER_RISK_INDUSTRIES) expect(section).toContain(`| ${industry} |`);
  });
});

describe("checkIndicators", () => {
  it("accepts a full set, including a present indicator without a note", () => {
    expect(checkIndicators(withPresent(7))).toEqual([]);
    expect(checkIndicators([{ characteristic: "industry", present: true, note: "" }])).toEqual([]);
    expect(checkIndicators([])).toEqual([]);
  });

  it("refuses an unknown characteristic", () => {
    const errors = checkIndicators([{ characteristic: "weather", present: true, note: "" }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ index: 0, field: "characteristic" });
    expect(errors[0]!.message).toContain('"weather" is not a risk characteristic');
  });

  it("refuses a duplicate, naming the second record", () => {
    const errors = checkIndicators([
      { characteristic: "location", present: true, note: "" },
      { characteristic: "location", present: false, note: "" },
    ]);
    expect(errors).toEqual([{ index: 1, field: "characteristic", message: "Supplier location is recorded more than once: keep one record for it" }]);
  });

  it("allows a note of exactly 500 characters and refuses 501", () => {
    expect(MAX_INDICATOR_NOTE).toBe(500);
    expect(checkIndicators([{ characteristic: "industry", present: true, note: "a".repeat(500) }])).toEqual([]);
    const errors = checkIndicators([{ characteristic: "industry", present: true, note: "a".repeat(501) }]);
    expect(errors).toEqual([{ index: 0, field: "note", message: "The note must be 500 characters or fewer" }]);
  });

  it("refuses control characters in a note but allows line breaks and tabs", () => {
    expect(checkIndicators([{ characteristic: "context", present: true, note: "line one\r\nline two\tend" }])).toEqual([]);
    const errors = checkIndicators([{ characteristic: "context", present: true, note: "bad\u0000note" }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ index: 0, field: "note" });
    expect(errors[0]!.message).toContain("control characters");
  });

  it("refuses a present flag that is not a boolean (untyped input)", () => {
    const errors = checkIndicators([{ characteristic: "workforce", present: "yes" as unknown as boolean, note: "" }]);
    expect(errors).toEqual([{ index: 0, field: "present", message: "Say whether the indicator is present: yes or no" }]);
  });

  it("reports every problem across records", () => {
    const errors = checkIndicators([
      { characteristic: "nope", present: true, note: "x".repeat(501) },
      { characteristic: "strategic", present: false, note: "\u0007" },
    ]);
    expect(errors.map((e) => [e.index, e.field])).toEqual([
      [0, "characteristic"],
      [0, "note"],
      [1, "note"],
    ]);
  });
});

describe("suggestIndicators", () => {
  it("suggests industry, location and commodity for a cleaning contract in a high-prevalence country with cotton", () => {
    const suggestions = suggestIndicators({ category: "Office Cleaning Services", supplierCountry: "MR", commodities: ["cotton", "coffee"] }, reference);
    expect(suggestions.map((s) => s.characteristic)).toEqual(["industry", "location", "commodity"]);
    expect(suggestions[0]!.reason).toContain("cleaning");
    expect(suggestions[1]!.reason).toContain("high");
    expect(suggestions[1]!.reason).toContain("Global Slavery Index 2023 estimate");
    expect(suggestions[1]!.reason).toContain("(Mauritania)");
    expect(suggestions[2]!.reason).toBe("The contract involves a high-risk commodity: Cotton");
    expect(suggestions[2]!.reason).not.toContain("coffee");
  });

  it("gives none for a UK consultancy contract", () => {
    expect(suggestIndicators({ category: "Management consultancy", supplierCountry: "GB", commodities: [] }, reference)).toEqual([]);
    expect(suggestIndicators({ category: "Management consultancy", supplierCountry: "GB" }, reference)).toEqual([]);
  });

  it("says when the location risk is medium", () => {
    const [location] = suggestIndicators({ category: "Consultancy", supplierCountry: "in" }, reference);
    expect(location).toEqual({
      characteristic: "location",
      reason: "The supplier's country (India) has a medium estimated prevalence of modern slavery, from the Global Slavery Index 2023 estimate",
    });
  });

  it("suggests no location without a country or without a published estimate", () => {
    expect(suggestIndicators({ category: "Consultancy", supplierCountry: null }, reference)).toEqual([]);
    expect(suggestIndicators({ category: "Consultancy", supplierCountry: "  " }, reference)).toEqual([]);
    expect(suggestIndicators({ category: "Consultancy", supplierCountry: "LU" }, reference)).toEqual([]);
  });

  it("matches industries case-insensitively at the start of words only", () => {
    expect(suggestIndicators({ category: "CATERING", supplierCountry: null }, reference).map((s) => s.characteristic)).toEqual(["industry"]);
    expect(suggestIndicators({ category: "Warehousing and logistics", supplierCountry: null }, reference)[0]!.reason).toContain("logistics and warehousing");
    expect(suggestIndicators({ category: "Domiciliary care", supplierCountry: null }, reference)[0]!.reason).toContain("health and social care");
    // "Pharmaceuticals" contains no keyword at a word start; "mining" inside "determining" is not a word start.
    expect(suggestIndicators({ category: "Pharmaceuticals", supplierCountry: null }, reference)).toEqual([]);
    expect(suggestIndicators({ category: "Rate determining studies", supplierCountry: null }, reference)).toEqual([]);
    expect(suggestIndicators({ category: "", supplierCountry: null }, reference)).toEqual([]);
  });

  it("matches the reference's extra higher-risk categories too", () => {
    const ref = { ...reference, highRiskCategories: ["Laundry"] };
    const [industry] = suggestIndicators({ category: "Laundry services", supplierCountry: null }, ref);
    expect(industry!.characteristic).toBe("industry");
    expect(industry!.reason).toContain("laundry");
  });

  it("names every high-risk commodity once and matches ids case-insensitively", () => {
    const [commodity] = suggestIndicators({ category: "IT", supplierCountry: null, commodities: ["PPE_gloves", "ppe_gloves", "polysilicon_solar"] }, reference);
    expect(commodity).toEqual({ characteristic: "commodity", reason: "The contract involves high-risk commodities: PPE and rubber gloves; Polysilicon and solar panels" });
  });
});

describe("assessPriority", () => {
  it("defaults to four or more indicators", () => {
    expect(DEFAULT_PRIORITY_THRESHOLD).toBe(4);
    expect(assessPriority(withPresent(3))).toEqual({ count: 3, priority: false, threshold: 4 });
    expect(assessPriority(withPresent(4))).toEqual({ count: 4, priority: true, threshold: 4 });
    expect(assessPriority(withPresent(5))).toEqual({ count: 5, priority: true, threshold: 4 });
  });

  it("applies a threshold of 3 at its boundary", () => {
    expect(assessPriority(withPresent(2), { threshold: 3 }).priority).toBe(false);
    expect(assessPriority(withPresent(3), { threshold: 3 }).priority).toBe(true);
  });

  it("applies a threshold of 5 at its boundary", () => {
    expect(assessPriority(withPresent(4), { threshold: 5 })).toEqual({ count: 4, priority: false, threshold: 5 });
    expect(assessPriority(withPresent(5), { threshold: 5 })).toEqual({ count: 5, priority: true, threshold: 5 });
  });

  it("accepts thresholds 1 and 7", () => {
    expect(assessPriority(withPresent(1), { threshold: 1 }).priority).toBe(true);
    expect(assessPriority(withPresent(0), { threshold: 1 }).priority).toBe(false);
    expect(assessPriority(withPresent(6), { threshold: 7 }).priority).toBe(false);
    expect(assessPriority(withPresent(7), { threshold: 7 }).priority).toBe(true);
  });

  it("refuses thresholds outside 1 to 7 and fractions with a RangeError", () => {
    for (const threshold of [0, 8, -1, 2.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => assessPriority([], { threshold })).toThrow(RangeError);
    }
  });

  it("counts duplicates and unknown characteristics at most once and never", () => {
    const records: IndicatorRecord[] = [
      { characteristic: "industry", present: true, note: "" },
      { characteristic: "industry", present: true, note: "" },
      { characteristic: "weather", present: true, note: "" },
      { characteristic: "location", present: false, note: "" },
    ];
    expect(assessPriority(records, { threshold: 2 })).toEqual({ count: 1, priority: false, threshold: 2 });
  });
});

describe("needsAssessmentByValue", () => {
  it("flags contracts strictly over £1m a year", () => {
    expect(ASSESSMENT_VALUE_THRESHOLD_PENCE).toBe(100_000_000);
    expect(needsAssessmentByValue(100_000_000)).toBe(false);
    expect(needsAssessmentByValue(100_000_001)).toBe(true);
    expect(needsAssessmentByValue(99_999_999)).toBe(false);
    expect(needsAssessmentByValue(0)).toBe(false);
  });

  it("refuses values that are not whole pence", () => {
    for (const value of [-1, 1.5, Number.NaN]) expect(() => needsAssessmentByValue(value)).toThrow(RangeError);
  });
});

describe("coverage", () => {
  it("gives null percentages for an empty register", () => {
    expect(coverage([])).toEqual({
      contracts: { assessed: 0, total: 0, percent: null },
      value: { assessedPence: 0, totalPence: 0, percent: null },
    });
  });

  it("gives a null value percentage when every contract is worth nothing", () => {
    const result = coverage([{ annualValuePence: 0, assessedAt: "2026-01-01" }]);
    expect(result.contracts.percent).toBe(100);
    expect(result.value.percent).toBeNull();
  });

  it("rounds half up", () => {
    // 1 of 8 contracts is 12.5% -> 13; 1 of 200 pence is 0.5% -> 1.
    const contracts = [{ annualValuePence: 1, assessedAt: "2026-03-01" }, ...Array.from({ length: 7 }, (_, i) => ({ annualValuePence: i === 0 ? 199 : 0, assessedAt: null }))];
    const result = coverage(contracts);
    expect(result.contracts).toEqual({ assessed: 1, total: 8, percent: 13 });
    expect(result.value).toEqual({ assessedPence: 1, totalPence: 200, percent: 1 });
  });

  it("rounds below a half down", () => {
    // 1 of 3 is 33.33% -> 33; 2 of 3 is 66.67% -> 67; 4 of 1000 pence is 0.4% -> 0.
    expect(coverage([{ annualValuePence: 4, assessedAt: "2026-01-01" }, { annualValuePence: 996, assessedAt: null }, { annualValuePence: 0, assessedAt: null }])).toEqual({
      contracts: { assessed: 1, total: 3, percent: 33 },
      value: { assessedPence: 4, totalPence: 1000, percent: 0 },
    });
    expect(coverage([{ annualValuePence: 1, assessedAt: "x" }, { annualValuePence: 1, assessedAt: "x" }, { annualValuePence: 1, assessedAt: null }]).contracts.percent).toBe(67);
  });

  it("counts large values exactly", () => {
    const result = coverage([
      { annualValuePence: 4_000_000_000_000, assessedAt: "2026-01-01" },
      { annualValuePence: 4_000_000_000_000, assessedAt: null },
    ]);
    expect(result.value).toEqual({ assessedPence: 4_000_000_000_000, totalPence: 8_000_000_000_000, percent: 50 });
  });

  it("refuses values that are not whole pence", () => {
    expect(() => coverage([{ annualValuePence: -5, assessedAt: null }])).toThrow(RangeError);
    expect(() => coverage([{ annualValuePence: 0.5, assessedAt: null }])).toThrow(RangeError);
  });
});

describe("coverageOf", () => {
  it("gives what coverage() gives for the same contracts, from totals a database added up", () => {
    const contracts = [
      { annualValuePence: 300, assessedAt: "2026-01-01" },
      { annualValuePence: 100, assessedAt: null },
      { annualValuePence: 1, assessedAt: null },
    ];
    expect(coverageOf({ assessed: 1, total: 3, assessedPence: 300, totalPence: "401" })).toEqual(coverage(contracts));
    expect(coverageOf({ assessed: 0, total: 0, assessedPence: 0n, totalPence: 0n })).toEqual(coverage([]));
  });

  it("refuses totals that cannot be right", () => {
    expect(() => coverageOf({ assessed: 2, total: 1, assessedPence: 0, totalPence: 0 })).toThrow(RangeError);
    expect(() => coverageOf({ assessed: 0, total: 1, assessedPence: 5, totalPence: 1 })).toThrow(RangeError);
  });
});

describe("readIndicatorAnswers", () => {
  const all = (present: string) => Object.fromEntries(RISK_CHARACTERISTICS.map((c) => [c.id, { present, note: "" }]));

  it("turns yes and no into one record per characteristic, notes trimmed", () => {
    const read = readIndicatorAnswers({ ...all("no"), industry: { present: "yes", note: "  Garments  " } });
    expect(read.ok).toBe(true);
    const records = read.ok ? read.records : [];
    expect(records.map((r) => r.characteristic)).toEqual(RISK_CHARACTERISTICS.map((c) => c.id));
    expect(records[0]).toEqual({ characteristic: "industry", present: true, note: "Garments" });
    expect(assessPriority(records).count).toBe(1);
  });

  it("names each characteristic left unanswered, and each note at fault", () => {
    const read = readIndicatorAnswers({ ...all("no"), workforce: { present: "", note: "" }, location: { present: "maybe", note: "x".repeat(MAX_INDICATOR_NOTE + 1) }, strategic: undefined });
    expect(read).toEqual({
      ok: false,
      errors: {
        workforce: { present: "Say whether there is an indicator of risk for nature of the workforce: yes or no" },
        location: { present: "Say whether there is an indicator of risk for supplier location: yes or no", note: "The note on supplier location must be 500 characters or fewer" },
        strategic: { present: "Say whether there is an indicator of risk for strategic risk: yes or no" },
      },
    });
    expect(readIndicatorAnswers({ ...all("yes"), context: { present: "yes", note: "a\u0000b" } })).toEqual({
      ok: false,
      errors: { context: { note: "The note on context in which the supplier operates must not contain control characters: remove them and type it again" } },
    });
  });
});

describe("commoditiesNamedIn", () => {
  const commodities = [
    { id: "cotton", label: "Cotton" },
    { id: "ppe_gloves", label: "PPE and rubber gloves" },
    { id: "polysilicon_solar", label: "Polysilicon and solar panels" },
    { id: "construction_materials", label: "Construction materials (bricks, cement, timber)" },
    { id: "palm_oil", label: "Palm oil" },
  ];
  it("finds commodities named at the start of a word in a category or title", () => {
    expect(commoditiesNamedIn("Textiles: cotton uniforms", commodities)).toEqual(["cotton"]);
    expect(commoditiesNamedIn("PPE supply for hospitals", commodities)).toEqual(["ppe_gloves"]);
    expect(commoditiesNamedIn("Solar installation and bricks", commodities)).toEqual(["polysilicon_solar", "construction_materials"]);
    expect(commoditiesNamedIn("Office cleaning", commodities)).toEqual([]);
    // Not inside a word, and short words and "and"/"materials" do not count.
    expect(commoditiesNamedIn("Sanitiser and oil-free materials", commodities)).toEqual([]);
  });
});
