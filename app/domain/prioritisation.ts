/**
 * Risk-prioritising a buyer's contracts, the approach of the UK Cabinet Office's procurement
 * guidance (PPN 02/23, replaced by PPN 009 for procurements begun on or after 24 February 2025):
 * a contract manager records, per risk characteristic, whether an indicator of modern slavery risk
 * is present; contracts with enough indicators are priority contracts for supplier assessment.
 *
 * Pure: no I/O. Reference data (country prevalence, high-risk commodities) is passed in.
 * Suggestions made here are only suggestions: the buyer confirms or rejects every indicator.
 */
import { hasControlChars, controlCharsMessage } from "./text";

export type RiskCharacteristicId = "industry" | "workforce" | "location" | "context" | "commodity" | "business_model" | "strategic";

export type RiskCharacteristic = { id: RiskCharacteristicId; label: string; hint: string };

/** The six PPN risk characteristics, plus strategic risk, in the order the guidance gives them. */
export const RISK_CHARACTERISTICS: ReadonlyArray<RiskCharacteristic> = [
  {
    id: "industry",
    label: "Industry type",
    hint: "Consider whether the work is in an industry where modern slavery is known to be more common, such as agriculture, construction, cleaning or textiles.",
  },
  {
    id: "workforce",
    label: "Nature of the workforce",
    hint: "Consider whether the work relies on low-skilled, temporary, seasonal, agency or migrant workers, who are more open to exploitation.",
  },
  {
    id: "location",
    label: "Supplier location",
    hint: "Consider whether the supplier or its supply chain operate in countries where modern slavery is more prevalent or workers' rights are poorly protected.",
  },
  {
    id: "context",
    label: "Context in which the supplier operates",
    hint: "Consider whether conflict, natural disaster, weak rule of law, corruption or state-imposed forced labour raise the risk where the supplier works.",
  },
  {
    id: "commodity",
    label: "Commodity type",
    hint: "Consider whether the contract involves goods or raw materials known to be at risk of forced labour, such as cotton, PPE or polysilicon.",
  },
  {
    id: "business_model",
    label: "Business and supply-chain model",
    hint: "Consider whether long or complex supply chains, subcontracting, outsourcing or pressure on price and delivery times make exploitation harder to see.",
  },
  {
    id: "strategic",
    label: "Strategic risk",
    hint: "Consider whether the contract matters enough to the organisation, through its value, profile or how hard it would be to replace, that a problem in it would do serious harm.",
  },
];

const CHARACTERISTIC_IDS: ReadonlySet<string> = new Set(RISK_CHARACTERISTICS.map((c) => c.id));

export function isRiskCharacteristic(value: unknown): value is RiskCharacteristicId {
  return typeof value === "string" && CHARACTERISTIC_IDS.has(value);
}

/** A contract manager's record for one characteristic: whether an indicator is present, and why. */
export type IndicatorRecord = { characteristic: string; present: boolean; note: string };

export type IndicatorError = { index: number; field: "characteristic" | "present" | "note"; message: string };

export const MAX_INDICATOR_NOTE = 500;

/**
 * What is wrong with a contract's indicator records, one error per problem, naming the record by
 * its index and the field at fault. A present indicator without a note is allowed.
 */
export function checkIndicators(records: ReadonlyArray<IndicatorRecord>): IndicatorError[] {
  const errors: IndicatorError[] = [];
  const seen = new Set<string>();
  records.forEach((record, index) => {
    const { characteristic, present, note } = record;
    if (!isRiskCharacteristic(characteristic)) {
      errors.push({ index, field: "characteristic", message: `${JSON.stringify(String(characteristic))} is not a risk characteristic: choose one of ${[...CHARACTERISTIC_IDS].join(", ")}` });
    } else if (seen.has(characteristic)) {
      errors.push({ index, field: "characteristic", message: `${labelOf(characteristic)} is recorded more than once: keep one record for it` });
    } else {
      seen.add(characteristic);
    }
    if (typeof present !== "boolean") errors.push({ index, field: "present", message: "Say whether the indicator is present: yes or no" });
    if (typeof note !== "string") {
      errors.push({ index, field: "note", message: "The note must be text" });
    } else {
      if (note.length > MAX_INDICATOR_NOTE) errors.push({ index, field: "note", message: `The note must be ${MAX_INDICATOR_NOTE} characters or fewer` });
      if (hasControlChars(note)) errors.push({ index, field: "note", message: controlCharsMessage("The note") });
    }
  });
  return errors;
}

function labelOf(id: RiskCharacteristicId): string {
  return RISK_CHARACTERISTICS.find((c) => c.id === id)?.label ?? id;
}

/**
 * Where a higher-risk industry is named: keys of the sources listed under "Higher-risk industries"
 * in questionnaires/data/README.md, with their URLs, dates and licences.
 * - ppn-02-23: the industries the Cabinet Office's PPN 02/23 guidance names as highest risk, as listed by TISCreport.
 * - nca-msht: the National Crime Agency's page on modern slavery and human trafficking.
 * - glaa-licensing: the sectors the Gangmasters and Labour Abuse Authority licenses labour providers in.
 * - glaa-2018: the sectors the GLAA's 2018 report found most at risk, as reported by HuffPost UK.
 * An industry that no source names would carry `unsourced` and be listed as such in the README;
 * none does now.
 */
export type IndustrySource = "ppn-02-23" | "nca-msht" | "glaa-licensing" | "glaa-2018" | "unsourced";

/**
 * Higher-risk industries named in the guidance, each with the words (matched case-insensitively
 * at the start of a word in a contract's category) that point to it, and the sources naming it.
 */
export const HIGHER_RISK_INDUSTRIES: ReadonlyArray<{ industry: string; keywords: ReadonlyArray<string>; sources: ReadonlyArray<IndustrySource> }> = [
  { industry: "agriculture", keywords: ["agricultur", "farm", "horticultur"], sources: ["ppn-02-23", "nca-msht", "glaa-licensing", "glaa-2018"] },
  { industry: "mining", keywords: ["mining", "quarry", "quarries"], sources: ["ppn-02-23"] },
  { industry: "fishing", keywords: ["fishing", "fisheries", "fishery"], sources: ["ppn-02-23", "glaa-licensing"] },
  { industry: "construction", keywords: ["construction"], sources: ["ppn-02-23", "nca-msht", "glaa-2018"] },
  { industry: "electronics manufacturing", keywords: ["electronics"], sources: ["ppn-02-23"] },
  { industry: "textiles and garments", keywords: ["textile", "garment", "clothing", "apparel", "uniform"], sources: ["ppn-02-23", "glaa-2018"] },
  { industry: "food processing", keywords: ["food processing", "food production", "meat processing"], sources: ["ppn-02-23", "glaa-licensing"] },
  { industry: "cleaning", keywords: ["cleaning", "cleaner"], sources: ["ppn-02-23"] },
  { industry: "catering", keywords: ["catering", "caterer"], sources: ["ppn-02-23"] },
  { industry: "security", keywords: ["security", "guarding"], sources: ["ppn-02-23"] },
  { industry: "hospitality", keywords: ["hospitality", "hotel"], sources: ["ppn-02-23"] },
  { industry: "logistics and warehousing", keywords: ["logistic", "warehous", "haulage", "courier"], sources: ["ppn-02-23", "glaa-2018"] },
  { industry: "health and social care", keywords: ["health care", "healthcare", "social care", "care home", "domiciliary care", "nursing"], sources: ["ppn-02-23"] },
];

export type RiskLevel = "low" | "medium" | "high";

export type SuggestionReference = {
  /** The country's risk level from its prevalence estimate, undefined when there is no estimate (see rating.ts countryRiskFrom). */
  countryRisk: (code: string) => RiskLevel | undefined;
  /** Further category words the buyer treats as higher-risk, matched like the declared industries. */
  highRiskCategories: string[];
  /** Commodity ids (commodities.csv) treated as high risk. */
  highRiskCommodities: string[];
  /** A country's name for a reader, from its ISO code: suggestions never show a bare code. */
  countryName: (code: string) => string;
  /** A commodity's name for a reader ("PPE and rubber gloves"), from its id (ppe_gloves). */
  commodityLabel: (id: string) => string;
};

export type IndicatorSuggestion = { characteristic: RiskCharacteristicId; reason: string };

/** Whether `keyword` starts a word in `text`; both already lower case. */
function startsWord(text: string, keyword: string): boolean {
  let from = text.indexOf(keyword);
  while (from !== -1) {
    if (from === 0 || !/[a-z0-9]/.test(text[from - 1]!)) return true;
    from = text.indexOf(keyword, from + 1);
  }
  return false;
}

/**
 * Indicators the reference data suggests for a contract. Only suggestions: the buyer confirms each.
 * Industry from the category, location from the supplier country's Global Slavery Index 2023
 * estimate (medium or high), commodity from the contract's commodities.
 */
export function suggestIndicators(
  contract: { category: string; supplierCountry: string | null; commodities?: string[] },
  reference: SuggestionReference,
): IndicatorSuggestion[] {
  const suggestions: IndicatorSuggestion[] = [];

  const category = contract.category.trim().toLowerCase();
  if (category !== "") {
    const industries = HIGHER_RISK_INDUSTRIES.filter((i) => i.keywords.some((k) => startsWord(category, k))).map((i) => i.industry);
    const extra = reference.highRiskCategories.map((c) => c.trim().toLowerCase()).filter((c) => c !== "" && startsWord(category, c));
    const matched = [...new Set([...industries, ...extra])];
    if (matched.length > 0) {
      suggestions.push({
        characteristic: "industry",
        reason: `The category "${contract.category.trim()}" is in a higher-risk industry (${matched.join(", ")})`,
      });
    }
  }

  const country = contract.supplierCountry?.trim().toUpperCase() ?? "";
  if (country !== "") {
    const level = reference.countryRisk(country);
    if (level === "medium" || level === "high") {
      suggestions.push({
        characteristic: "location",
        reason: `The supplier's country (${reference.countryName(country)}) has a ${level} estimated prevalence of modern slavery, from the Global Slavery Index 2023 estimate`,
      });
    }
  }

  const highRisk = new Set(reference.highRiskCommodities.map((c) => c.trim().toLowerCase()));
  const commodities = [...new Set((contract.commodities ?? []).map((c) => c.trim().toLowerCase()))].filter((c) => highRisk.has(c));
  if (commodities.length > 0) {
    suggestions.push({
      characteristic: "commodity",
      reason: `The contract involves ${commodities.length === 1 ? "a high-risk commodity" : "high-risk commodities"}: ${commodities.map(reference.commodityLabel).join("; ")}`,
    });
  }

  return suggestions;
}

/** The Home Office's rule of thumb: four or more indicators make a priority contract. */
export const DEFAULT_PRIORITY_THRESHOLD = 4;
export const MIN_PRIORITY_THRESHOLD = 1;
export const MAX_PRIORITY_THRESHOLD = RISK_CHARACTERISTICS.length;

export type PriorityResult = { count: number; priority: boolean; threshold: number };

/**
 * How many indicators are present (each known characteristic counted once) and whether that makes
 * the contract a priority: `count >= threshold`. The threshold is a whole number from 1 to 7;
 * anything else is a programming error and throws a RangeError.
 */
export function assessPriority(records: ReadonlyArray<IndicatorRecord>, options: { threshold?: number } = {}): PriorityResult {
  const threshold = options.threshold ?? DEFAULT_PRIORITY_THRESHOLD;
  if (!Number.isInteger(threshold) || threshold < MIN_PRIORITY_THRESHOLD || threshold > MAX_PRIORITY_THRESHOLD) {
    throw new RangeError(`priority threshold must be a whole number from ${MIN_PRIORITY_THRESHOLD} to ${MAX_PRIORITY_THRESHOLD}: ${threshold}`);
  }
  const present = new Set(records.filter((r) => r.present === true && isRiskCharacteristic(r.characteristic)).map((r) => r.characteristic));
  return { count: present.size, priority: present.size >= threshold, threshold };
}

/** £1m a year, in pence: contracts strictly over this are expected to be risk-assessed. */
export const ASSESSMENT_VALUE_THRESHOLD_PENCE = 100_000_000;

/** Whether a contract's annual value alone calls for a risk assessment, as the Cabinet Office expects: strictly over £1m a year. */
export function needsAssessmentByValue(annualPence: number): boolean {
  if (!Number.isSafeInteger(annualPence) || annualPence < 0) throw new RangeError(`annual value must be a whole number of pence, 0 or more: ${annualPence}`);
  return annualPence > ASSESSMENT_VALUE_THRESHOLD_PENCE;
}

/** Where a contract stands on risk prioritisation, as a register filters it. */
export const RISK_FILTERS = ["not_assessed", "priority", "not_priority", "over_1m_not_assessed"] as const;
export type RiskFilter = (typeof RISK_FILTERS)[number];
export const RISK_FILTER_LABELS: Record<RiskFilter, string> = {
  not_assessed: "Not risk-assessed",
  priority: "Priority",
  not_priority: "Assessed, not priority",
  over_1m_not_assessed: "Over £1m a year, not yet assessed",
};

export type Coverage = {
  contracts: { assessed: number; total: number; percent: number | null };
  value: { assessedPence: number; totalPence: number; percent: number | null };
};

/** part / whole as a whole-number percentage, halves rounded up, exactly (integer arithmetic). */
function percentHalfUp(part: bigint, whole: bigint): number | null {
  if (whole === 0n) return null;
  return Number((200n * part + whole) / (2n * whole));
}

function safeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`${what} is too large to count exactly: ${value}`);
  return Number(value);
}

/**
 * The share of a register's contracts, and of its annual value, that has been risk-assessed (a
 * contract with an `assessedAt` date). Percentages are whole numbers, halves rounded up, and null
 * when there is nothing to divide by.
 */
export function coverage(contracts: ReadonlyArray<{ annualValuePence: number; assessedAt: string | null }>): Coverage {
  let assessed = 0;
  let assessedPence = 0n;
  let totalPence = 0n;
  for (const c of contracts) {
    if (!Number.isSafeInteger(c.annualValuePence) || c.annualValuePence < 0) {
      throw new RangeError(`annual value must be a whole number of pence, 0 or more: ${c.annualValuePence}`);
    }
    const value = BigInt(c.annualValuePence);
    totalPence += value;
    if (c.assessedAt !== null) {
      assessed += 1;
      assessedPence += value;
    }
  }
  return coverageOf({ assessed, total: contracts.length, assessedPence, totalPence });
}

/**
 * Coverage from totals already added up (by a database, say), with the same rounding as coverage().
 * Sums may come as bigint, number or the decimal text PostgreSQL gives for a sum of bigints.
 */
export function coverageOf(totals: { assessed: number; total: number; assessedPence: bigint | number | string; totalPence: bigint | number | string }): Coverage {
  const assessedPence = BigInt(totals.assessedPence);
  const totalPence = BigInt(totals.totalPence);
  if (!Number.isSafeInteger(totals.assessed) || !Number.isSafeInteger(totals.total) || totals.assessed < 0 || totals.assessed > totals.total) {
    throw new RangeError(`assessed contracts must be a whole number from 0 to the total: ${totals.assessed} of ${totals.total}`);
  }
  if (assessedPence < 0n || assessedPence > totalPence) throw new RangeError(`assessed value must be from 0 to the total value: ${assessedPence} of ${totalPence}`);
  return {
    contracts: { assessed: totals.assessed, total: totals.total, percent: percentHalfUp(BigInt(totals.assessed), BigInt(totals.total)) },
    value: {
      assessedPence: safeNumber(assessedPence, "assessed value"),
      totalPence: safeNumber(totalPence, "total value"),
      percent: percentHalfUp(assessedPence, totalPence),
    },
  };
}

// ---- reading a contract manager's answers ------------------------------------------------------

/** One characteristic as a form sends it: present "yes" or "no" (anything else is unanswered), and a note. */
export type IndicatorAnswer = { present: string; note: string };
export type IndicatorAnswerErrors = Partial<Record<RiskCharacteristicId, { present?: string; note?: string }>>;

/**
 * A contract manager's answers to indicator records, one per characteristic in the guidance's
 * order. Every characteristic must be answered yes or no; errors name the characteristic.
 */
export function readIndicatorAnswers(
  answers: Partial<Record<string, IndicatorAnswer>>,
): { ok: true; records: IndicatorRecord[] } | { ok: false; errors: IndicatorAnswerErrors } {
  const errors: IndicatorAnswerErrors = {};
  const records: IndicatorRecord[] = [];
  const ids: RiskCharacteristicId[] = [];
  for (const c of RISK_CHARACTERISTICS) {
    const answer = answers[c.id];
    const present = answer?.present === "yes" ? true : answer?.present === "no" ? false : undefined;
    if (present === undefined) errors[c.id] = { present: `Say whether there is an indicator of risk for ${c.label.toLowerCase()}: yes or no` };
    records.push({ characteristic: c.id, present: present ?? false, note: (answer?.note ?? "").trim() });
    ids.push(c.id);
  }
  for (const problem of checkIndicators(records)) {
    const id = ids[problem.index]!;
    if (problem.field !== "note") continue;
    errors[id] = { ...errors[id], note: problem.message.replace(/^The note/, `The note on ${labelOf(id).toLowerCase()}`) };
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, records };
}

// ---- commodities named in a contract -----------------------------------------------------------

const COMMODITY_STOP_WORDS = new Set(["and", "the", "other", "products", "materials", "panels", "mined"]);

/**
 * The commodities (ids of commodities.csv) whose names appear in a contract's category or title,
 * matched at the start of a word: "Cotton uniforms" names cotton, "PPE supply" ppe_gloves. Words
 * of four or more letters from each label count, and acronyms like PPE and PVC.
 */
export function commoditiesNamedIn(text: string, commodities: ReadonlyArray<{ id: string; label: string }>): string[] {
  const haystack = text.toLowerCase();
  return commodities
    .filter((c) =>
      c.label
        .split(/[^A-Za-z]+/)
        .filter((w) => (w.length >= 4 || (w.length === 3 && w === w.toUpperCase())) && !COMMODITY_STOP_WORDS.has(w.toLowerCase()))
        .some((w) => startsWord(haystack, w.toLowerCase())),
    )
    .map((c) => c.id);
}
