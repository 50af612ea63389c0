/**
 * Import-ban screening by name: does a company or site a supplier declares appear on a ban list (US CBP
 * Withhold Release Orders and similar)? Pure: the caller loads the list and stores the result.
 *
 * Why it works the way it does:
 * - Suppliers type names as they like ("HOSHINE SILICON INDUSTRY CO.,LTD", "Industry Hoshine Silicon"),
 *   so both names are normalised: case, punctuation, spacing, diacritics, legal forms and word order go.
 * - Words are paired one to one. Plurals count as the same word; longer words may differ by an edit or two
 *   (typos, transliteration: "Hosine", "Jungar"), which makes the match at most "possible". Short words,
 *   initialisms and anything with a digit must be exact: "GX3" is not "GX4", "WRP" is not "WRT".
 * - Generic words (industry, glove, rubber, trading, place names…) say what a firm does or where, not who
 *   it is: they weigh less, never create a match on their own, and every distinctive word of the listed
 *   name must be found. So "Global Rubber Products" never meets "Top Glove", and "Darby Plantation" (one of
 *   two distinctive words) never meets "Sime Darby Plantation".
 * - The score is a weighted Dice coefficient: matched weight on both sides over all weight on both sides.
 *   An omitted or added generic word costs a little (still "possible"); a generic word swapped for another
 *   costs more ("Smart Solutions" vs "Smart Glove" scores 0.63: no match).
 *   Judgment call, "Smart Gloves International" vs "Smart Glove Corporation": same distinctive name, one
 *   extra generic word, score 0.84, so "possible". We flag rather than clear it: the extra word may mean a
 *   different firm (a foreign distributor), or the same group's trading arm; a person must look.
 * - Inactive (lifted) orders are screened too: a past order is still a risk signal. A caller that wants
 *   only live bans passes `list.filter((e) => e.status === "active")`.
 * - Every name of an entry counts: its listed name, its aliases and former names ("Bingtuan" is the XPCC),
 *   and its names in Chinese script, compared as written once full-width forms, spaces and legal forms
 *   (有限公司, 集团…) are set aside. There is no transliteration: a Chinese-script name meets only a
 *   Chinese-script name, a romanised one only a romanised one.
 * - Where the order covers the entity's subordinates or subsidiaries (the row says so, or its name ends
 *   "and subsidiaries"), a name made of a listed name plus words that only say which part of it
 *   ("1st Division", "Logistics", "(Shanghai) Branch", another of its listed names) is a "possible" match
 *   whatever the score: the order covers that part. Every word of the listed name must be there, spelled
 *   exactly; an unknown extra word ("Xinjiang Tourism Board") is another body.
 * - Country: the same country, or a country missing on either side, as before. Mainland China, Hong Kong
 *   and Macau are related jurisdictions (RELATED_JURISDICTIONS): mainland firms trade and hold their
 *   export arms there, so a listed Chinese firm named with a Hong Kong address still matches, at most as
 *   "possible", and the match says so. Any other difference of country means a namesake: no match.
 * - Each match carries its reasons (which kind of name, subordinate, related jurisdiction, no country), so
 *   the person deciding sees why it was flagged.
 */
import { distance } from "fastest-levenshtein";
import { ownValue } from "./own-keys";

export type BanEntry = {
  id: string; // stable id of the list row
  entity: string | null; // listed name; null for a region-only order
  aliases: string[]; // other names of the same entity, former names included
  namesZh?: string[]; // names in Chinese script, as the source gives them
  /** The order covers the entity's subordinates or subsidiaries; unset: read from the name ("… and subsidiaries"). */
  coversGroup?: boolean | null;
  country: string | null; // ISO 3166-1 alpha-2
  region: string | null;
  status: "active" | "inactive";
};
export type NamedEntity = { name: string; country?: string | null };
export type MatchStrength = "strong" | "possible";
/** Why a match was flagged, beyond the names being alike. */
export type MatchReason =
  | { code: "alias"; name: string } // one of the entry's other or former names matched
  | { code: "chinese_script"; name: string } // a name in Chinese script matched
  | { code: "near_spelling" } // a word differs by an edit or two
  | { code: "subordinate"; name: string } // a listed name plus words naming a part of it, and the order covers its parts
  | { code: "related_jurisdiction"; declared: string; listed: string } // e.g. named in HK, listed in CN
  | { code: "no_country" } // the supplier gave no country
  | { code: "listed_without_country" }; // the list gives no country
export type NameMatch = { banId: string; strength: MatchStrength; score: number; matchedName: string; reasons: MatchReason[] };

export const STRONG_SCORE = 0.9;
/**
 * Countries whose firms are one economy for screening: a mainland Chinese firm commonly trades, invoices
 * and exports through a Hong Kong or Macau company. Matching across them is allowed, at most "possible".
 * Add a group here only with a reason of the same kind, and say so in docs/risk-model.md.
 */
export const RELATED_JURISDICTIONS: ReadonlyArray<ReadonlySet<string>> = [new Set(["CN", "HK", "MO"])];
export const POSSIBLE_SCORE = 0.75;
const GENERIC_WEIGHT = 0.6;

/** Legal forms, after punctuation is gone and dotted or spaced initials are joined ("S.A." → "sa"). */
const LEGAL_FORMS = new Set(
  ("ltd limited co company corp corporation inc incorporated llc llp plc gmbh ag sa sas sarl bv nv pt tbk " +
    "sdn bhd berhad sendirian pvt private pte pty srl kk kabushiki kaisha jsc ooo ооо group holding holdings")
    .split(" "),
);
const CONNECTORS = new Set(["and", "the", "of"]);
/** "X and subsidiaries" names the same target as "X": the order covers the group either way. */
const GROUP_SUFFIX = /\band (?:its )?(?:subsidiaries|subsidiary|subordinates|subordinate|affiliates|affiliated entities|joint ventures)\b/g;
/** Read on the listed name as written: does it say the order covers the entity's parts? */
const COVERS_GROUP = /\b(?:and|including) (?:its |their )?(?:\w+ )?(?:subsidiaries|subsidiary|subordinates|subordinate|affiliates|affiliated entities|joint ventures)\b/i;
/**
 * Words that say which part of an organisation a name is, not who it is: units, branches, ordinals. With a
 * listed name around them they name a subordinate or subsidiary ("XPCC 1st Division", "Hoshine Branch").
 */
const UNIT_WORDS = new Set(
  ("division divisional regiment brigade battalion corps unit branch subsidiary subsidiarie office bureau " +
    "farm factory plant mill site base park warehouse workshop department group company firm no number " +
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth")
    .split(" "),
);
/** Abbreviations and spellings people use for the same word. */
const SPELLINGS: Record<string, string> = { mfg: "manufacturing", mfr: "manufacturer", intl: "international", centre: "center" };
/** Letters that Unicode decomposition leaves alone. */
const LETTER_FOLDS: Record<string, string> = { ß: "ss", æ: "ae", œ: "oe", ø: "o", đ: "d", ð: "d", ł: "l", ı: "i", þ: "th" };

/**
 * Words that describe a trade, a product or a place rather than a firm, in singular form. A name made
 * only of these identifies nobody. Place names are here because Chinese and Malaysian firms' English
 * names often carry or drop a city or region prefix ("Hefei Bitland" / "Bitland").
 */
const GENERIC = new Set(
  (
    "industry industrial manufacturing manufacturer manufacture factory plant mill work production construction " +
    "trade trading business commerce commercial international global worldwide " +
    "enterprise venture investment development service solution system supply supplier import export logistic " +
    "technology tech information electronic electrical computer software digital engineering equipment machinery " +
    "component part accessory specialty product material chemical silicon silicone metal steel plastic polymer " +
    "glove rubber latex nitrile medical healthcare health textile garment apparel clothing fashion cotton linen " +
    "silk wool fabric yarn spinning weaving knitting dyeing leather shoe footwear toy furniture wood timber paper " +
    "palm oil plantation agriculture agricultural farm food seafood fishery mining mineral solar energy power " +
    "education training center vocational skill no number " +
    // "S.A. de C.V." (Mexico): generic rather than a legal form, so normalised names, and the keys of decisions made on them, stay as they were
    "de cv " +
    "asia asian pacific east west north south central china chinese malaysia malaysian hong kong india indonesia " +
    "thailand vietnam bangladesh pakistan cambodia myanmar philippine singapore taiwan japan korea uk usa america " +
    "xinjiang uyghur hefei yili baoding shanghai beijing guangzhou shenzhen anhui hebei kuala lumpur selangor"
  ).split(" "),
);

/** Lower case, diacritics removed, punctuation to spaces, legal-form words removed, tokens sorted. */
export function normaliseCompanyName(name: string): string {
  return nameTokens(name).sort().join(" ");
}

/** The words of a name in typed order, normalised as normaliseCompanyName describes. */
function nameTokens(name: string): string[] {
  const text = name
    .normalize("NFKD") // also folds full-width forms: "Ｈｏｓｈｉｎｅ" → "Hoshine"
    .toLowerCase()
    .replace(/\p{M}/gu, "")
    .replace(/[ßæœøđðłıþ]/g, (c) => LETTER_FOLDS[c] ?? c)
    .replace(/['’ʼ`]/g, "") // "O'Brien" is one word, not "o brien"
    .replace(/&/g, " and ")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .replace(GROUP_SUFFIX, " ");
  const words: string[] = [];
  let afterInitial = false;
  for (const word of text.split(" ")) {
    if (!word) continue;
    // Initials typed with dots or spaces become one word: "S.A." = "SA", "W. R. P." = "WRP".
    const initial = word.length === 1 && /\p{L}/u.test(word);
    if (initial && afterInitial) words[words.length - 1] += word;
    else words.push(word);
    afterInitial = initial;
  }
  return words.map((w) => ownValue(SPELLINGS, w) ?? w).filter((w) => !LEGAL_FORMS.has(w) && !CONNECTORS.has(w));
}

/** Plurals fold to the singular for comparison only: "Industries" = "Industry", "Gloves" = "Glove". */
function stem(word: string): string {
  if (word.length > 4 && word.endsWith("ies")) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith("s") && !word.endsWith("ss") && !word.endsWith("us")) return word.slice(0, -1);
  return word;
}

type Token = { stem: string; weight: number; distinctive: boolean };

function toToken(word: string): Token {
  const s = stem(word);
  const generic = GENERIC.has(s) || GENERIC.has(word);
  return { stem: s, weight: generic ? GENERIC_WEIGHT : 1, distinctive: !generic };
}

/** 1 for the same word, less for a near spelling of a long word, 0 otherwise. */
function tokenSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const shorter = Math.min(a.length, b.length);
  const allowed = shorter >= 8 ? 2 : shorter >= 5 ? 1 : 0;
  // A different first letter or any digit means a different word ("Maxter"/"Baxter", "GX3"/"GX4").
  if (allowed === 0 || a[0] !== b[0] || /\d/.test(a + b)) return 0;
  const edits = distance(a, b);
  return edits <= allowed ? 1 - edits / Math.max(a.length, b.length) : 0;
}

/** The name as typed, and without parenthesised qualifiers: "Top Glove (Malaysia)", "... Corps (XPCC)". */
function variants(name: string): Token[][] {
  const text = name.normalize("NFKC"); // full-width brackets too: "Top Glove（Malaysia）"
  const full = nameTokens(text);
  const bare = nameTokens(text.replace(/\([^()]*\)|\[[^\]]*\]/g, " "));
  const forms = bare.join(" ") === full.join(" ") || bare.length === 0 ? [full] : [full, bare];
  return forms.map((words) => words.map(toToken));
}

type Comparison = { score: number; fuzzy: boolean; allListedExact: boolean; extras: string[] };

function compare(declared: Token[], listedTokens: Token[]): Comparison | null {
  // A listed name made only of generic words ("China Cotton Group Xinjiang Cotton Co.") still names one
  // body: all of its words are then required, so at least two of them.
  const allGeneric = !listedTokens.some((t) => t.distinctive);
  if (allGeneric && listedTokens.length < 2) return null;
  const listed = allGeneric ? listedTokens.map((t) => ({ ...t, distinctive: true })) : listedTokens;
  if (!allGeneric && !declared.some((t) => t.distinctive)) return null;
  const pairs: Array<{ d: number; l: number; similarity: number }> = [];
  declared.forEach((dt, d) =>
    listed.forEach((lt, l) => {
      const similarity = tokenSimilarity(dt.stem, lt.stem);
      if (similarity > 0) pairs.push({ d, l, similarity });
    }),
  );
  pairs.sort((x, y) => y.similarity - x.similarity); // greedy best-first pairing, each word used once
  const usedDeclared = new Set<number>();
  const usedListed = new Set<number>();
  let matched = 0;
  let fuzzy = false;
  for (const { d, l, similarity } of pairs) {
    if (usedDeclared.has(d) || usedListed.has(l)) continue;
    usedDeclared.add(d);
    usedListed.add(l);
    matched += similarity * (declared[d]!.weight + listed[l]!.weight);
    if (similarity < 1) fuzzy = true;
  }
  if (listed.some((t, l) => t.distinctive && !usedListed.has(l))) return null;
  if (allGeneric && fuzzy) return null;
  const total = [...declared, ...listed].reduce((sum, t) => sum + t.weight, 0);
  return {
    score: matched / total,
    fuzzy,
    allListedExact: !fuzzy && usedListed.size === listed.length,
    extras: declared.filter((_, d) => !usedDeclared.has(d)).map((t) => t.stem),
  };
}

/** A word that only says which part of an organisation is meant: a unit, an ordinal, a generic word. */
function isQualifier(stem: string): boolean {
  return UNIT_WORDS.has(stem) || GENERIC.has(stem) || /^\d+(?:st|nd|rd|th)?$/.test(stem) || /^[ivx]{1,4}$/.test(stem);
}

// ---- Chinese script ------------------------------------------------------------------------------

/** Legal forms at the end of a Chinese company name, longest first; simplified and traditional. */
const HAN_LEGAL_FORMS = ["股份有限公司", "有限责任公司", "有限責任公司", "有限公司", "控股", "集团", "集團", "公司"];
const HAN = /\p{Script=Han}/u;

/**
 * A name's Chinese-script form: full-width forms folded (NFKC), everything but Chinese characters and
 * digits dropped, legal forms at the end removed. Null when fewer than two characters remain: a single
 * character identifies nobody.
 */
export function hanName(name: string): string | null {
  if (!HAN.test(name)) return null;
  let text = name
    .normalize("NFKC")
    .replace(/\([^()]*\)/g, "") // "（上海）" qualifiers, as for Latin names
    .replace(/[^\p{Script=Han}\p{Nd}]/gu, "");
  for (let changed = true; changed; ) {
    changed = false;
    for (const form of HAN_LEGAL_FORMS) {
      if (text.length > form.length && text.endsWith(form)) {
        text = text.slice(0, -form.length);
        changed = true;
      }
    }
  }
  return [...text].length >= 2 ? text : null;
}

type Candidate = Comparison & { name: string; script: boolean; subordinate: boolean };

function compareHan(declared: string, listed: string, coversGroup: boolean): Candidate | null {
  const d = [...declared].length;
  const l = [...listed].length;
  if (declared === listed) return { score: 1, fuzzy: false, allListedExact: true, extras: [], name: listed, script: true, subordinate: false };
  // A part of a listed body: its full name first, then the part ("新疆生产建设兵团第一师"). Four characters
  // at least, so a two-character short form ("兵团", "the corps") never claims every name it starts.
  if (coversGroup && l >= 4 && declared.startsWith(listed)) {
    return { score: (2 * l) / (d + l), fuzzy: false, allListedExact: true, extras: [], name: listed, script: true, subordinate: true };
  }
  return null;
}

// ---- screening -----------------------------------------------------------------------------------

const countryCode = (country: string | null | undefined) => country?.trim().toUpperCase() || null;
const canBeStrong = (c: Comparison) => c.score >= STRONG_SCORE && !c.fuzzy;
/** An exact near-identical name beats a higher-scoring fuzzy one: it is the stronger evidence. */
const isBetter = (a: Comparison, b: Comparison | null) =>
  !b || (canBeStrong(a) !== canBeStrong(b) ? canBeStrong(a) : a.score > b.score);

/** Does the listed name itself say the order covers the entity's subordinates or subsidiaries? */
export function namesGroup(entity: string | null): boolean {
  return entity !== null && COVERS_GROUP.test(entity);
}

type CountryRelation = "same" | "related" | "no_country" | "listed_without_country" | "different";

function countryRelation(declared: string | null, listed: string | null): CountryRelation {
  if (!declared) return "no_country";
  if (!listed) return "listed_without_country";
  if (declared === listed) return "same";
  return RELATED_JURISDICTIONS.some((group) => group.has(declared) && group.has(listed)) ? "related" : "different";
}

/** Every ban entry the declared name matches, best first (strong before possible), one per entry. */
export function screenEntity(entity: NamedEntity, list: BanEntry[]): NameMatch[] {
  const declaredForms = variants(entity.name);
  const declaredHan = hanName(entity.name);
  const declaredCountry = countryCode(entity.country);
  const matches: NameMatch[] = [];
  for (const entry of list) {
    if (entry.entity === null) continue; // a region-only order applies by origin, not by name
    const listedCountry = countryCode(entry.country);
    const relation = countryRelation(declaredCountry, listedCountry);
    // Another country, not a related one: a namesake (a UK company called "Top Glove Ltd").
    if (relation === "different") continue;
    const coversGroup = entry.coversGroup ?? namesGroup(entry.entity);
    const names = [entry.entity, ...entry.aliases];
    // Words of any of the entry's own names may stand beside another of its names: "Bingtuan (XPCC)".
    const ownWords = new Set(names.flatMap((n) => nameTokens(n).map(stem)));
    let best: Candidate | null = null;
    const consider = (found: Candidate) => {
      if (found.score < POSSIBLE_SCORE && !found.subordinate) return;
      if (isBetter(found, best)) best = found;
    };
    for (const name of names) {
      for (const listed of variants(name)) {
        for (const declared of declaredForms) {
          const found = compare(declared, listed);
          if (!found) continue;
          const subordinate =
            coversGroup && found.allListedExact && found.extras.length > 0 && found.extras.every((w) => isQualifier(w) || ownWords.has(w));
          consider({ ...found, name, script: false, subordinate });
        }
      }
    }
    if (declaredHan) {
      for (const name of [...(entry.namesZh ?? []), ...names]) {
        const listedHan = hanName(name);
        const found = listedHan && compareHan(declaredHan, listedHan, coversGroup);
        if (found) consider({ ...found, name });
      }
    }
    const chosen = best as Candidate | null;
    if (!chosen) continue;
    // Without a country on both sides we cannot tell namesakes apart, so a person must look; across related
    // jurisdictions the name may be the same firm's or a namesake's, so a person must look too.
    const strong = canBeStrong(chosen) && !chosen.subordinate && relation === "same";
    const reasons: MatchReason[] = [];
    if (chosen.script) reasons.push({ code: "chinese_script", name: chosen.name });
    else if (chosen.name !== entry.entity) reasons.push({ code: "alias", name: chosen.name });
    if (chosen.fuzzy) reasons.push({ code: "near_spelling" });
    if (chosen.subordinate) reasons.push({ code: "subordinate", name: chosen.name });
    if (relation === "related") reasons.push({ code: "related_jurisdiction", declared: declaredCountry!, listed: listedCountry! });
    if (relation === "no_country") reasons.push({ code: "no_country" });
    if (relation === "listed_without_country") reasons.push({ code: "listed_without_country" });
    matches.push({
      banId: entry.id,
      strength: strong ? "strong" : "possible",
      score: Math.round(chosen.score * 1000) / 1000,
      matchedName: chosen.name,
      reasons,
    });
  }
  const rank = (m: NameMatch) => (m.strength === "strong" ? 1 : 0);
  return matches.sort((a, b) => rank(b) - rank(a) || b.score - a.score || a.banId.localeCompare(b.banId));
}
