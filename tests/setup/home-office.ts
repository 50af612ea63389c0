/**
 * Test data: 40 invented suppliers who reproduce, exactly, the MSAT findings the Home Office
 * published for its 40 respondents in its modern slavery statement for 2020-21
 * (tests/data/home-office-2020-21-msat-findings.csv; sources in tests/data/README.md). Only those
 * nine figures are published: every other answer, every name, number and date is invented, varied
 * by a seeded generator so the data is not uniform, and the same on every call.
 *
 * Each supplier is one line of the exchange format (JSON Lines), answering MSAT 1.0.0 completely,
 * in the shapes the app stores (validateAnswer's output), with no answer to a question its own
 * answers hide.
 */
import type { Answers, GroupRow } from "../../app/domain/answers";
import { periodStarting, ukMidnight } from "../../app/domain/periods";

export type HomeOfficeOptions = {
  /** Slug of the organisation (or organisations) the submissions are shared with; default "home-office". */
  sharedWith?: string | readonly string[];
  /** The financial year the submissions fall in, by the calendar year it starts in; default 2020 (2020-21). */
  year?: number;
};

export type ExchangeSubmission = {
  supplier: { name: string; companyNumber: string; country: string };
  sharedWith: string[];
  questionnaire: string;
  version: string;
  submittedAt: string;
  answers: Answers;
};

/** How many of the 40 meet each published finding, and of how many. */
export const HOME_OFFICE_COUNTS = {
  respondents: 40,
  large_uk_hq: [29, 40],
  supply_chain_mapped: [31, 40],
  mapped_tier2_plus: [14, 31],
  works_with_partners: [22, 40],
  supports_worker_representation: [12, 40],
  prohibits_worker_paid_fees: [25, 40],
  monitors_labour_providers: [19, 40],
  assessed_purchasing_practices: [28, 40],
  assessed_price_leadtime_payment: [19, 28],
} as const;

/** Suppliers that use labour providers: the 19 that monitor them, and 8 that do not or cannot say. */
const USES_LABOUR_PROVIDERS = 27;

/** The exchange-format lines, one per supplier, in order of submission. */
export function homeOfficeLines(options: HomeOfficeOptions = {}): string[] {
  return homeOfficeSubmissions(options).map((s) => JSON.stringify(s));
}

export function homeOfficeSubmissions(options: HomeOfficeOptions = {}): ExchangeSubmission[] {
  const sharedWith = typeof options.sharedWith === "string" ? [options.sharedWith] : [...(options.sharedWith ?? ["home-office"])];
  const year = options.year ?? 2020;
  const rng = mulberry32(20211125);
  const suppliers = profiles(rng);
  const dates = submissionDates(rng, year, suppliers.length);
  const numbers = companyNumbers(rng, suppliers.length);
  return suppliers.map((p, i) => ({
    supplier: { name: p.name, companyNumber: numbers[i]!, country: "GB" },
    sharedWith,
    questionnaire: "msat",
    version: "1.0.0",
    submittedAt: dates[i]!,
    answers: answersOf(p, mulberry32(1000 + i)),
  }));
}

// ---- randomness ---------------------------------------------------------------------------------
type Rng = () => number;

/** A small seeded generator (mulberry32): the same seed gives the same sequence everywhere. */
function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const pickOne = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!;

/**
 * The k of `from` who score highest on maturity plus noise: suppliers further along tend to do more
 * of the published things, but not always, and exactly k of them do each.
 */
function chooseK(rng: Rng, from: readonly number[], k: number, maturity: readonly number[]): Set<number> {
  const scored = from.map((i) => ({ i, score: maturity[i]! + 0.8 * rng() }));
  return new Set(scored.sort((a, b) => b.score - a.score).slice(0, k).map((s) => s.i));
}

// ---- who the suppliers are ----------------------------------------------------------------------
type Sector = {
  suffix: string;
  /** Values of risk.high_risk_commodities. */
  commodities: string[];
  /** Where the work is done, besides the UK. */
  countries: string[];
  labourIntensive: boolean;
  /** What a named sub-supplier provides, and a word for its invented name. */
  products: string;
  kind: string;
};

const SECTORS: Sector[] = [
  { suffix: "Facilities Services Ltd", commodities: ["gloves_ppe"], countries: ["IE"], labourIntensive: true, products: "Cleaning staff and consumables", kind: "Hygiene" },
  { suffix: "Security Ltd", commodities: ["none"], countries: [], labourIntensive: true, products: "Guarding and patrol staff", kind: "Staffing" },
  { suffix: "Workwear Ltd", commodities: ["cotton_textiles"], countries: ["BD", "IN", "PK", "TR"], labourIntensive: false, products: "Uniform fabric and sewing", kind: "Apparel" },
  { suffix: "Technology Ltd", commodities: ["electronics", "minerals_metals"], countries: ["TW", "MY", "VN"], labourIntensive: false, products: "Laptop and phone assembly", kind: "Components" },
  { suffix: "Catering Ltd", commodities: ["food_crops", "seafood"], countries: ["ES", "NL", "TH"], labourIntensive: true, products: "Fresh and frozen food", kind: "Foods" },
  { suffix: "Construction Ltd", commodities: ["building_materials", "minerals_metals"], countries: ["IE", "PL"], labourIntensive: true, products: "Steel, stone and site labour", kind: "Materials" },
  { suffix: "Logistics Ltd", commodities: ["none"], countries: ["PL", "RO", "NL"], labourIntensive: true, products: "Haulage and warehouse staff", kind: "Freight" },
  { suffix: "Medical Supplies Ltd", commodities: ["gloves_ppe"], countries: ["MY", "TH"], labourIntensive: false, products: "Examination gloves and masks", kind: "Medical" },
  { suffix: "Fleet Services Ltd", commodities: ["electronics", "minerals_metals"], countries: ["DE", "JP", "ES"], labourIntensive: false, products: "Vehicles and parts", kind: "Motors" },
  { suffix: "Interpreting Ltd", commodities: ["none"], countries: [], labourIntensive: false, products: "Freelance interpreters", kind: "Languages" },
  { suffix: "Accommodation Services Ltd", commodities: ["none"], countries: [], labourIntensive: true, products: "Housing management and cleaning", kind: "Lettings" },
  { suffix: "Energy Ltd", commodities: ["solar_polysilicon", "electronics"], countries: ["MY", "VN"], labourIntensive: false, products: "Solar modules and inverters", kind: "Power" },
  { suffix: "Office Supplies Ltd", commodities: ["none"], countries: ["DE", "FI"], labourIntensive: false, products: "Paper and stationery", kind: "Paper" },
  { suffix: "Digital Services Ltd", commodities: ["none"], countries: ["IN", "RO"], labourIntensive: false, products: "Software development", kind: "Code" },
];

/** Invented words, so no name is a real company's. */
const ROOTS = [
  "Brindlemoor", "Quillstone", "Thistlewane", "Larkspindle", "Cobbleray", "Marrowgate", "Wrenhollow", "Ottervane",
  "Saltmarrow", "Hollinquay", "Pebblewick", "Kestrelmund", "Ambervane", "Foxglint", "Merrivane", "Tansybridge",
  "Copperlune", "Dunnockfield", "Heronsgild", "Lindenquill", "Rookspindle", "Starlingford", "Bramblequay", "Fernspire",
  "Gorsemantle", "Harebell Vale", "Juniperwick", "Kingsnettle", "Meadowrue", "Nettlespire", "Oakhallow", "Plovermead",
  "Quarrystile", "Ravenlace", "Sorrelgate", "Teaselbrook", "Umberwold", "Vetchmoor", "Willowquire", "Yarrowcliff",
];

/** Invented syllables for the sub-suppliers a supplier names. */
const SYLLABLES = [["Vel", "Mar", "Tor", "Lin", "Sab", "Qua", "Ren", "Dor"], ["ora", "ixa", "uno", "ethi", "ava", "olan"]] as const;

type Profile = {
  name: string;
  sector: Sector;
  /** 0 to 1: how far along the supplier is; better answers are likelier the higher it is. */
  maturity: number;
  size: "micro" | "small" | "medium" | "large";
  hq: string;
  mapped: boolean;
  deep: boolean;
  partners: boolean;
  representation: boolean;
  feesBan: boolean;
  usesProviders: boolean;
  monitorsProviders: boolean;
  assessedPurchasing: boolean;
  threeAspects: boolean;
};

function profiles(rng: Rng): Profile[] {
  const n = HOME_OFFICE_COUNTS.respondents;
  const all = Array.from({ length: n }, (_, i) => i);
  const maturity = all.map(() => rng());
  const sectorOrder = shuffled(rng, all);
  const roots = shuffled(rng, ROOTS);
  const count = (key: Exclude<keyof typeof HOME_OFFICE_COUNTS, "respondents">) => HOME_OFFICE_COUNTS[key][0];

  // 29 large and headquartered in the UK; of the other 11, six large groups headquartered abroad
  // and five smaller UK businesses.
  const largeUk = chooseK(rng, all, count("large_uk_hq"), all.map(() => 0));
  const others = all.filter((i) => !largeUk.has(i));
  const abroad = ["US", "FR", "DE", "IE", "JP", "NL"];
  const smaller: Profile["size"][] = ["medium", "small", "medium", "micro", "medium"];

  const mapped = chooseK(rng, all, count("supply_chain_mapped"), maturity);
  const deep = chooseK(rng, [...mapped], count("mapped_tier2_plus"), maturity);
  const partners = chooseK(rng, all, count("works_with_partners"), maturity);
  const representation = chooseK(rng, all, count("supports_worker_representation"), maturity);
  const feesBan = chooseK(rng, all, count("prohibits_worker_paid_fees"), maturity);
  // Labour providers are used where the work is labour-intensive, and by a few others.
  const providerWeight = all.map((i) => (SECTORS[sectorOrder[i]! % SECTORS.length]!.labourIntensive ? 1 : 0));
  const usesProviders = chooseK(rng, all, USES_LABOUR_PROVIDERS, providerWeight);
  const monitors = chooseK(rng, [...usesProviders], count("monitors_labour_providers"), maturity);
  const assessed = chooseK(rng, all, count("assessed_purchasing_practices"), maturity);
  const threeAspects = chooseK(rng, [...assessed], count("assessed_price_leadtime_payment"), maturity);

  return all.map((i) => {
    const sector = SECTORS[sectorOrder[i]! % SECTORS.length]!;
    const other = others.indexOf(i);
    const size = largeUk.has(i) || other < abroad.length ? "large" : smaller[other - abroad.length]!;
    const hq = largeUk.has(i) || other >= abroad.length ? "GB" : abroad[other]!;
    return {
      name: `${roots[i]} ${sector.suffix}`,
      sector,
      maturity: maturity[i]!,
      size,
      hq,
      mapped: mapped.has(i),
      deep: deep.has(i),
      partners: partners.has(i),
      representation: representation.has(i),
      feesBan: feesBan.has(i),
      usesProviders: usesProviders.has(i),
      monitorsProviders: monitors.has(i),
      assessedPurchasing: assessed.has(i),
      threeAspects: threeAspects.has(i),
    };
  });
}

/**
 * One submission per supplier, spread over the financial year in order, on weekdays between 09:00
 * and 18:00 UK time (a weekday never holds a clock change, so local times are unambiguous).
 */
function submissionDates(rng: Rng, year: number, n: number): string[] {
  const period = periodStarting(year);
  const firstDay = Date.UTC(year, 3, 1);
  const days = Math.round((Date.UTC(year + 1, 3, 1) - firstDay) / 86_400_000);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let offset = Math.floor(((i + rng()) * days) / n);
    const weekday = new Date(firstDay + offset * 86_400_000).getUTCDay();
    if (weekday === 6 || weekday === 0) {
      const forward = weekday === 6 ? 2 : 1;
      offset = offset + forward < days ? offset + forward : offset - (weekday === 6 ? 1 : 2);
    }
    const day = new Date(firstDay + offset * 86_400_000);
    const midnight = ukMidnight(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate());
    const seconds = 9 * 3600 + Math.floor(rng() * 9 * 3600);
    // Whole seconds, written without milliseconds, as an export writes them.
    const at = new Date(midnight.getTime() + seconds * 1000).toISOString().replace(/\.000Z$/, "Z");
    const t = Date.parse(at);
    if (t < Date.parse(period.start) || t >= Date.parse(period.end)) throw new Error(`${at} is outside ${period.id}`);
    out.push(at);
  }
  return out;
}

/** Eight digits from 90000000 up, far above the numbers Companies House has issued, each different. */
function companyNumbers(rng: Rng, n: number): string[] {
  const seen = new Set<string>();
  while (seen.size < n) seen.add(String(90_000_000 + Math.floor(rng() * 10_000_000)));
  return [...seen];
}

// ---- answers ------------------------------------------------------------------------------------
// Option values in questionnaire order, so a list answer is already in the order validateAnswer keeps.
const POLICY = ["free_to_leave", "freedom_of_movement", "freedom_of_association", "no_threats", "no_worker_fees", "no_forced_overtime", "no_child_labour", "no_discrimination", "no_id_retention", "access_to_remedy"];
const RISK_FACTORS = ["industry", "workforce", "location", "context", "commodity", "business_model"];
const RISK_SOURCES = ["global_indices", "government_reports", "commercial_tools", "ngo_reports", "own_audits", "worker_feedback"];
const MONITORING_METHODS = ["vetting", "licence_check", "contract_terms", "audits", "worker_interviews", "fee_checks"];
const ASPECTS = ["pricing", "lead_times", "payment_terms", "order_changes", "forecasting"];
const PARTNER_TYPES = ["industry_initiative", "ngo", "trade_union", "multi_stakeholder", "public_bodies", "other_businesses"];
const AUDIENCES = ["board", "procurement", "hr_recruitment", "site_managers", "all_staff", "suppliers"];
const MECHANISMS = ["whistleblowing_line", "independent_helpline", "worker_voice_app", "worker_representatives", "in_person"];
const REMEDIATION = ["worker_support", "referred_authorities", "repaid_money", "returned_documents", "improved_conditions", "corrective_action_plan"];
const AUDITS = ["own_audits", "third_party_announced", "third_party_unannounced", "shared_audits", "supplier_self_assessment"];
const COMMODITIES = ["cotton_textiles", "gloves_ppe", "solar_polysilicon", "electronics", "seafood", "food_crops", "minerals_metals", "building_materials", "none"];

function answersOf(p: Profile, rng: Rng): Answers {
  const m = p.maturity;
  const chance = (probability: number) => rng() < probability;
  /** Options best first: the likelier the better the supplier is doing. */
  const graded = <T>(bestFirst: readonly T[]): T => {
    const level = Math.min(0.999, Math.max(0, 1 - m + (rng() - 0.5) * 0.7));
    return bestFirst[Math.floor(level * bestFirst.length)]!;
  };
  const yesNoDk = (): "yes" | "no" | "dont_know" => graded(["yes", "yes", "no", "dont_know"]);
  /** A non-empty subset, each option kept with a chance that grows with maturity. */
  const some = (options: readonly string[], base = 0.25): string[] => {
    const kept = options.filter(() => chance(base + 0.6 * m));
    return kept.length > 0 ? kept : [pickOne(rng, options)];
  };
  const answers: Answers = {};
  const put = (id: string, value: Answers[string]) => {
    answers[id] = value;
  };

  // governance
  put("org.size", p.size);
  put("org.hq_country", p.hq);
  put("governance.accountable_owner", graded(["board", "named_exec", "named_exec", "operational", "none"]));
  const policy = m < 0.12 ? ["none"] : some(POLICY, 0.35).filter((v) => v !== "no_worker_fees" || p.feesBan || chance(0.3));
  put("governance.policy_provisions", policy.length > 0 ? policy : ["none"]);
  put("governance.supplier_contract_clauses", graded(["beyond_tier1", "tier1", "tier1", "none"]));
  const statement = p.size === "large" ? (chance(0.9) ? "required_published" : "required_not_published") : chance(0.4) ? "voluntary_published" : "not_required";
  put("governance.statement", statement);
  if (statement === "required_published" || statement === "voluntary_published") {
    if (chance(0.7)) put("governance.statement_url", `https://www.${slug(p.name)}.example/modern-slavery-statement`);
    put("governance.statement_on_registry", graded(["yes", "no", "no", "dont_know"]));
    put("governance.board_approved", graded(["yes", "yes", "yes", "no", "dont_know"]));
  }

  // risk
  const assessedRisk = graded(["yes_full", "yes_full", "yes_partial", "yes_partial", "no"]);
  put("risk.assessed_last_12m", assessedRisk);
  if (assessedRisk !== "no") {
    put("risk.factors_used", some(RISK_FACTORS, 0.3));
    put("risk.sources", m < 0.2 && chance(0.5) ? ["none"] : some(RISK_SOURCES, 0.1));
  }
  const abroad = p.sector.countries.filter(() => chance(0.7));
  const delivery = ["GB", ...(p.hq !== "GB" && chance(0.5) ? [p.hq] : []), ...abroad];
  put("risk.delivery_countries", [...new Set(delivery)]);
  put("risk.high_risk_commodities", COMMODITIES.filter((c) => p.sector.commodities.includes(c)));
  const screened = graded(["yes", "no", "no", "dont_know"]);
  put("risk.screened_entity_lists", screened);
  if (screened === "yes") {
    const match = chance(0.15) ? "yes" : "no";
    put("risk.screening_match", match);
    if (match === "yes") put("risk.screening_action", "Asked the supplier for proof of origin and moved the order to another factory while we check.");
  }

  // mapping
  put("mapping.has_mapped", p.mapped ? "yes" : "no");
  if (p.mapped) {
    const tier = p.deep ? (chance(0.35) ? "tier3_plus" : "tier2") : "tier1";
    put("mapping.deepest_tier", tier);
    const deepCountries = p.sector.countries.filter(() => chance(0.6));
    if (p.deep && deepCountries.length > 0) put("mapping.tier2_countries", deepCountries);
    put("mapping.spend_mapped_pct", Math.round(Math.min(100, 30 + 70 * m * (0.7 + 0.3 * rng()))));
    if (chance(0.5)) put("mapping.entities", namedSuppliers(p, rng, tier));
  }
  put("mapping.subcontracts_labour", p.sector.labourIntensive ? (chance(0.85) ? "yes" : "no") : chance(0.2) ? "yes" : "no");
  put("mapping.discloses_subcontractors", graded(["shared", "on_request", "on_request", "no"]));

  // recruitment
  put("recruitment.prohibits_worker_fees", p.feesBan ? "yes" : chance(0.6) ? "no" : "dont_know");
  if (p.feesBan) put("recruitment.fees_scope", graded(["beyond_tier1", "tier1", "own_ops"]));
  put("recruitment.uses_labour_providers", p.usesProviders ? "yes" : "no");
  if (p.usesProviders) {
    put("recruitment.monitors_labour_providers", p.monitorsProviders ? "yes" : chance(0.6) ? "no" : "dont_know");
    if (p.monitorsProviders) put("recruitment.monitoring_methods", some(MONITORING_METHODS, 0.2));
  }
  put("recruitment.written_contracts", graded(["all", "all", "some", "none"]));
  put("recruitment.holds_id_documents", "no");
  const foundFees = chance(0.1) ? "yes" : graded(["no", "no", "dont_know"]);
  put("recruitment.found_fees_paid", foundFees);
  if (foundFees === "yes") put("recruitment.fees_repaid", graded(["all_repaid", "in_progress", "partly"]));

  // purchasing
  put("purchasing.assessed_practices", p.assessedPurchasing ? "yes" : chance(0.6) ? "no" : "dont_know");
  if (p.assessedPurchasing) {
    const three = ["pricing", "lead_times", "payment_terms"];
    const extra = ASPECTS.filter((a) => !three.includes(a) && chance(0.2 + 0.5 * m));
    // Without all three, one or two of them, sometimes with the others.
    const partial = shuffled(rng, three).slice(0, 1 + Math.floor(rng() * 2));
    const chosen = p.threeAspects ? [...three, ...extra] : [...partial, ...extra];
    put("purchasing.aspects_assessed", ASPECTS.filter((a) => chosen.includes(a)));
  }
  put("purchasing.ringfences_labour_cost", yesNoDk());
  put("purchasing.payment_days", Math.round(14 + (1 - m) * 45 + rng() * 15));
  put("purchasing.rewards_good_practice", graded(["yes", "no", "no", "dont_know"]));
  put("purchasing.stable_relationships", yesNoDk());

  // worker engagement and voice
  put("partners.works_with_partners", p.partners ? "yes" : "no");
  if (p.partners) put("voice.partner_types", some(PARTNER_TYPES, 0.15));
  put("voice.supports_representation", p.representation ? "yes" : chance(0.65) ? "no" : "dont_know");
  put("voice.rights_communicated", graded(["yes", "partly", "partly", "no"]));
  put("voice.hears_from_workers", graded(["yes", "no", "no", "dont_know"]));
  const overseas = delivery.some((c) => c !== "GB" && !["IE", "NL", "DE", "FR", "ES", "PL", "RO", "FI", "JP", "US"].includes(c));
  put("voice.restricted_association", overseas ? graded(["yes", "no"]) : chance(0.8) ? "not_applicable" : "no");

  // training
  const audiences = m < 0.15 && chance(0.6) ? ["none"] : some(AUDIENCES, 0.15);
  put("training.audiences", audiences);
  const trained = audiences[0] !== "none";
  put("training.key_staff_pct", trained ? Math.round(Math.min(100, 100 * m * (0.6 + 0.5 * rng()))) : 0);
  if (trained) {
    put("training.covers_indicators", graded(["yes", "yes", "no", "dont_know"]));
    put("training.checks_effectiveness", graded(["yes", "no", "no", "dont_know"]));
  }
  put("training.requires_supplier_training", yesNoDk());

  // grievance and remediation
  const mechanisms = m < 0.1 ? ["none"] : some(MECHANISMS, 0.15);
  put("grievance.mechanisms", mechanisms);
  if (mechanisms[0] !== "none") {
    put("grievance.open_to_supply_chain", graded(["yes", "no", "no", "dont_know"]));
    put("grievance.concerns_raised", chance(0.7) ? 0 : 1 + Math.floor(rng() * 6));
  }
  put("grievance.response_plan", graded(["yes", "no", "no", "dont_know"]));
  const found = chance(0.12) ? pickOne(rng, [["excessive_overtime"], ["deception", "withholding_wages"], ["abusive_conditions", "excessive_overtime"]]) : null;
  put("grievance.ilo_indicators_found", found ?? ["none"]);
  if (found) {
    const actions = m < 0.25 ? ["none"] : REMEDIATION.filter((a) => a === "corrective_action_plan" || chance(0.5 * m));
    put("grievance.remediation_actions", actions);
    if (actions[0] !== "none") put("grievance.checked_outcome", graded(["yes", "no", "dont_know"]));
    if (chance(0.6)) put("grievance.details", "Found at a subcontractor's site during an audit; agreed changes to shift patterns and pay records with them.");
  }

  // monitoring
  put("monitoring.new_supplier_checks", graded(["all", "high_risk_only", "high_risk_only", "no"]));
  const audits = m < 0.15 && chance(0.6) ? ["none"] : some(AUDITS, 0.1);
  put("monitoring.social_audits", audits);
  if (audits[0] !== "none") {
    put("monitoring.high_risk_sites_pct", Math.round(Math.min(100, 100 * m * (0.5 + 0.6 * rng()))));
    put("monitoring.overdue_actions", chance(0.6) ? 0 : 1 + Math.floor(rng() * 8));
  }
  put("monitoring.allows_site_visits", graded(["unannounced", "announced", "announced", "no"]));
  put("monitoring.measures_effectiveness", graded(["yes", "no", "no", "dont_know"]));
  put("monitoring.leadership_review", yesNoDk());
  return answers;
}

/** One to four named sub-suppliers, abroad where the sector works abroad, no deeper than mapped. */
function namedSuppliers(p: Profile, rng: Rng, deepest: string): GroupRow[] {
  const tiers = deepest === "tier1" ? ["tier1"] : deepest === "tier2" ? ["tier1", "tier2"] : ["tier1", "tier2", "tier3_plus"];
  const rows = 1 + Math.floor(rng() * 4);
  const names = new Set<string>();
  return Array.from({ length: rows }, () => {
    let name: string;
    do name = `${pickOne(rng, SYLLABLES[0])}${pickOne(rng, SYLLABLES[1])} ${p.sector.kind}`;
    while (names.has(name));
    names.add(name);
    return { name, country: p.sector.countries.length > 0 ? pickOne(rng, p.sector.countries) : "GB", tier: pickOne(rng, tiers), products: p.sector.products };
  });
}

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/ ltd$/, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
