/**
 * The questionnaire file format: a zod schema for the shape of a file, and a loader that
 * also checks every cross-reference (question ids, option values, showIf order, points).
 * See questionnaires/README.md for how to write one.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { isCountryCode } from "./countries";

import { MAX_POINTS, TEXT_MAX_LENGTH, choiceValues } from "./choices";

export { MAX_POINTS, TEXT_MAX_LENGTH, YES_NO_VALUES, choiceValues } from "./choices";

const id = z
  .string()
  .regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*$/, "must be lower case letters, digits, '_' and '.'");
const value = z.string().regex(/^[a-z0-9_]+$/, "must be lower case letters, digits and '_'");
const points = z.number().int("must be a whole number");
const scalar = z.union([z.string(), z.number()]);

// ---- conditions -------------------------------------------------------------------------------
export type Condition =
  | { q: string; equals: string | number }
  | { q: string; oneOf: Array<string | number> }
  | { q: string; includes: string }
  | { q: string; allOf: string[] }
  | { q: string; answered: boolean }
  | { q: string; lessThan: number }
  | { q: string; atLeast: number }
  /** A country in the answer (or in the named field of a group's rows) is at least this risky. */
  | { q: string; field?: string; countryRisk: "medium" | "high" }
  /** A country in the answer, paired with a commodity answered in `listedGoods`, is on the forced-labour goods list. */
  | { q: string; field?: string; listedGoods: string }
  /** Import-ban screening of the named sub-suppliers (see app/domain/name-matching.ts). */
  | { screening: ScreeningState }
  /** The supplier's exposure, as the risk model's exposure rules give it (not for showIf, exposure rules or KPIs). */
  | { exposure: RiskLevel }
  | { not: Condition }
  | { and: Condition[] }
  | { or: Condition[] };

export const SCREENING_STATES = ["unresolved_active", "confirmed_active", "resolved_inactive", "any_match"] as const;
export type ScreeningState = (typeof SCREENING_STATES)[number];

export const RISK_LEVELS = ["low", "medium", "high"] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ q: id, equals: scalar }),
    z.strictObject({ q: id, oneOf: z.array(scalar).min(1) }),
    z.strictObject({ q: id, includes: z.string() }),
    z.strictObject({ q: id, allOf: z.array(z.string()).min(1) }),
    z.strictObject({ q: id, answered: z.boolean() }),
    z.strictObject({ q: id, lessThan: z.number() }),
    z.strictObject({ q: id, atLeast: z.number() }),
    z.strictObject({ q: id, field: value.optional(), countryRisk: z.enum(["medium", "high"]) }),
    z.strictObject({ q: id, field: value.optional(), listedGoods: id }),
    z.strictObject({ screening: z.enum(SCREENING_STATES) }),
    z.strictObject({ exposure: z.enum(RISK_LEVELS) }),
    z.strictObject({ not: conditionSchema }),
    z.strictObject({ and: z.array(conditionSchema).min(1) }),
    z.strictObject({ or: z.array(conditionSchema).min(1) }),
  ]),
);

// ---- questions --------------------------------------------------------------------------------
const option = z.strictObject({
  value,
  label: z.string().min(1),
  hint: z.string().optional(),
  points: points.default(0),
  /** "None of these": cannot be combined with other options of a multiple-choice question. */
  exclusive: z.boolean().optional(),
  /** Choosing it takes the question out of the theme's denominator. */
  notApplicable: z.boolean().optional(),
});

const scoreBand = z.strictObject({
  min: z.number().optional(),
  max: z.number().optional(),
  points,
});

const common = {
  id,
  text: z.string().min(1),
  help: z.string().optional(),
  required: z.boolean().default(true),
  showIf: conditionSchema.optional(),
};

const groupField = z.strictObject({
  id: value,
  label: z.string().min(1),
  type: z.enum(["text", "country", "single"]),
  required: z.boolean().default(true),
  options: z.array(z.strictObject({ value, label: z.string().min(1) })).optional(),
});

export const questionSchema = z.discriminatedUnion("type", [
  z.strictObject({
    ...common,
    type: z.literal("yesno"),
    points: z.strictObject({ yes: points, no: points }).default({ yes: 0, no: 0 }),
    /** Offer "Don't know"; it scores like "no". */
    dontKnow: z.boolean().default(false),
  }),
  z.strictObject({ ...common, type: z.literal("single"), options: z.array(option).min(2) }),
  z.strictObject({
    ...common,
    type: z.literal("multi"),
    options: z.array(option).min(2),
    /** Cap on the points a multiple-choice answer can earn (default: the sum of its options). */
    maxPoints: points.optional(),
  }),
  z.strictObject({
    ...common,
    type: z.literal("number"),
    min: z.number().int().default(0),
    max: z.number().int().optional(),
    unit: z.string().optional(),
    scoring: z.array(scoreBand).optional(),
  }),
  z.strictObject({ ...common, type: z.literal("percent"), scoring: z.array(scoreBand).optional() }),
  z.strictObject({
    ...common,
    type: z.literal("text"),
    maxLength: z.number().int().positive().max(TEXT_MAX_LENGTH).default(TEXT_MAX_LENGTH),
  }),
  z.strictObject({ ...common, type: z.literal("country"), multiple: z.boolean().default(false) }),
  z.strictObject({
    ...common,
    type: z.literal("group"),
    itemName: z.string().default("entry"),
    fields: z.array(groupField).min(1),
    maxRows: z.number().int().positive().default(50),
  }),
]);

const theme = z.strictObject({
  id: value,
  title: z.string().min(1),
  description: z.string().optional(),
  weight: z.number().positive().default(1),
  questions: z.array(questionSchema).min(1),
});

/**
 * Questions a buyer can put to the supplier in the follow-up conversation about a finding: open
 * questions, so each must end with a question mark. Guidance only: they never affect scoring.
 */
const probes = z
  .array(
    z
      .string()
      .trim()
      .min(1, "must not be empty")
      .refine((text) => text.endsWith("?"), "must be a question ending in '?'"),
  )
  .min(1, "list at least one question, or leave probes out")
  .max(6, "list at most 6 questions");

const priority = z.enum(["high", "medium", "low"]);

const recommendation = z.strictObject({
  id: z.string().regex(/^[A-Z0-9-]+$/, "must be upper case letters, digits and '-'"),
  theme: value,
  title: z.string().min(1),
  why: z.string().min(1),
  good: z.string().min(1),
  priority,
  /**
   * Another priority while a condition holds, the first that holds winning: for example high at
   * high exposure, or lower for a micro or small business. `priority` applies otherwise.
   */
  priorityWhen: z.array(z.strictObject({ priority, when: conditionSchema })).min(1).optional(),
  /** Questions to ask the supplier about this gap in the follow-up conversation. */
  probes: probes.optional(),
  when: conditionSchema,
});

const ruleId = z.string().regex(/^[A-Z0-9-]+$/, "must be upper case letters, digits and '-'");

const redFlag = z.strictObject({
  id: ruleId,
  title: z.string().min(1),
  description: z.string().min(1),
  /** A buyer must hold a follow-up conversation before the flag is cleared. */
  followUp: z.boolean().default(true),
  /**
   * Whether the flag forces `redFlagBand` whatever the score. A flag that does not (false) still
   * asks for a follow-up; the rating then comes from the matrix and caps, so a finding the supplier
   * disclosed and put right can be followed up without being rated as harm left in place.
   */
  forcesBand: z.boolean().default(true),
  /** Questions to ask the supplier about this flag in the follow-up conversation. */
  probes: probes.optional(),
  when: conditionSchema,
});

/**
 * Exposure: how likely modern slavery is where and how the supplier works, whatever it does about
 * it. The highest level among the rules that match; enough medium factors together make it high.
 */
const exposure = z.strictObject({
  /** Thresholds on a country's estimated prevalence (per 1,000 people) from the data file named by source. */
  countryRisk: z.strictObject({ source: z.string().min(1), mediumFrom: z.number().positive(), highFrom: z.number().positive() }),
  rules: z
    .array(z.strictObject({ id: ruleId, level: z.enum(["medium", "high"]), reason: z.string().min(1), when: conditionSchema }))
    .min(1),
  mediumFactorsForHigh: z.number().int().min(2).optional(),
});

const matrixRow = z.array(z.strictObject({ band: value, min: z.number().min(0).max(100) })).min(1);

/** The rating: exposure and the management score together, then caps that stop a rating being too good. */
const rating = z.strictObject({
  /** Per exposure level, the management score each band needs, from the best band down; the last needs 0. */
  matrix: z.strictObject({ low: matrixRow, medium: matrixRow, high: matrixRow }),
  caps: z.array(z.strictObject({ id: ruleId, atBest: value, reason: z.string().min(1), when: conditionSchema })).default([]),
  /** Sentences added to the explanation of the rating while their condition holds: what a reader should know about it. */
  notes: z.array(z.strictObject({ id: ruleId, text: z.string().min(1), when: conditionSchema })).default([]),
});

const band = z.strictObject({
  id: value,
  label: z.string().min(1),
  /** Lowest overall percentage that earns this band. */
  min: z.number().min(0).max(100),
});

const kpi = z.strictObject({
  id: value,
  title: z.string().min(1),
  theme: z.string().optional(),
  /**
   * How the figure reads in a statement after "N% of our suppliers" (or "of those, N%" when there is
   * a denominator): a verb phrase such as "have taken steps to map their supply chains".
   */
  statement: z.string().min(1).optional(),
  numerator: conditionSchema,
  /** Which submissions count; all of them when absent. */
  denominator: conditionSchema.optional(),
});

export const questionnaireSchema = z.strictObject({
  id: value,
  version: z.string().regex(/^\d+\.\d+\.\d+$/, "must look like 1.0.0"),
  title: z.string().min(1),
  description: z.string().optional(),
  bands: z.array(band).min(2),
  /** The band a red flag forces, whatever the score. */
  redFlagBand: value,
  themes: z.array(theme).min(1),
  recommendations: z.array(recommendation).default([]),
  redFlags: z.array(redFlag).default([]),
  kpis: z.array(kpi).default([]),
  exposure: exposure.optional(),
  rating: rating.optional(),
});

export type Questionnaire = z.output<typeof questionnaireSchema>;
export type Theme = Questionnaire["themes"][number];
export type Question = z.output<typeof questionSchema>;
export type QuestionType = Question["type"];
export type Option = z.output<typeof option>;
export type GroupField = z.output<typeof groupField>;
export type Recommendation = Questionnaire["recommendations"][number];
export type RedFlag = Questionnaire["redFlags"][number];
export type Band = Questionnaire["bands"][number];
export type Kpi = Questionnaire["kpis"][number];
export type Priority = Recommendation["priority"];
export type Exposure = NonNullable<Questionnaire["exposure"]>;
export type Rating = NonNullable<Questionnaire["rating"]>;

// ---- loading ----------------------------------------------------------------------------------
export class QuestionnaireError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.join("; ")}`);
    this.name = "QuestionnaireError";
  }
}

function pathText(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (acc, part) => (typeof part === "number" ? `${acc}[${part}]` : acc ? `${acc}.${String(part)}` : String(part)),
    "",
  );
}

/** Parse and check a questionnaire from YAML text; `file` names it in error messages. */
export function parseQuestionnaire(text: string, file: string): Questionnaire {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new QuestionnaireError(file, [`not valid YAML: ${(error as Error).message.split("\n")[0]}`]);
  }
  const parsed = questionnaireSchema.safeParse(raw);
  if (!parsed.success) {
    throw new QuestionnaireError(
      file,
      parsed.error.issues.slice(0, 20).map((issue) => `${pathText(issue.path) || "(top)"}: ${issue.message}`),
    );
  }
  const problems = crossCheck(parsed.data);
  if (problems.length > 0) throw new QuestionnaireError(file, problems);
  return parsed.data;
}

export function loadQuestionnaire(path: string): Questionnaire {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new QuestionnaireError(basename(path), [`cannot be read: ${(error as Error).message}`]);
  }
  return parseQuestionnaire(text, basename(path));
}

/** Every check the schema alone cannot make: ids, references, order, points. */
function crossCheck(qn: Questionnaire): string[] {
  const problems: string[] = [];
  const questions = new Map<string, { question: Question; index: number }>();
  const themeIds = new Set<string>();
  let index = 0;

  /** `before`: the position a showIf's questions must come before. `exposure`: whether the exposure leaf is allowed here. */
  const checkCondition = (cond: Condition, at: string, before: number | undefined, exposure = false) => {
    if ("not" in cond) return checkCondition(cond.not, `${at}.not`, before, exposure);
    if ("and" in cond) return cond.and.forEach((c, i) => checkCondition(c, `${at}.and[${i}]`, before, exposure));
    if ("or" in cond) return cond.or.forEach((c, i) => checkCondition(c, `${at}.or[${i}]`, before, exposure));
    if ("screening" in cond) {
      if (before !== undefined) problems.push(`${at}.screening: skip logic cannot depend on screening results`);
      return;
    }
    if ("exposure" in cond) {
      if (!qn.exposure) problems.push(`${at}.exposure: there is no exposure without a risk model (exposure and rating)`);
      else if (!exposure) problems.push(`${at}.exposure: only recommendations, red flags, caps and notes can depend on exposure (not skip logic, exposure rules or KPIs)`);
      return;
    }
    const target = questions.get(cond.q);
    if (before !== undefined && (positions.get(cond.q) ?? -1) >= before) {
      problems.push(`${at}.q: showIf refers to '${cond.q}', which is not earlier in the questionnaire`);
      return;
    }
    if (!target) {
      problems.push(`${at}.q: unknown question id '${cond.q}'`);
      return;
    }
    const question = target.question;
    const allowed = choiceValues(question);
    const numeric = question.type === "number" || question.type === "percent";
    const listAnswer = question.type === "multi" || (question.type === "country" && question.multiple);
    const checkValue = (v: string | number, where: string) => {
      if (allowed && !allowed.includes(String(v))) {
        problems.push(`${where}: '${v}' is not an option of '${cond.q}' (options: ${allowed.join(", ")})`);
      } else if (question.type === "country" && !isCountryCode(String(v))) {
        problems.push(`${where}: '${v}' is not an ISO 3166-1 alpha-2 country code`);
      } else if (numeric && typeof v !== "number") {
        problems.push(`${where}: '${cond.q}' is a ${question.type} question; compare it with a number`);
      }
    };
    if ("equals" in cond) {
      if (listAnswer) problems.push(`${at}.equals: '${cond.q}' holds a list; use includes or allOf`);
      else checkValue(cond.equals, `${at}.equals`);
    } else if ("oneOf" in cond) cond.oneOf.forEach((v, i) => checkValue(v, `${at}.oneOf[${i}]`));
    else if ("includes" in cond || "allOf" in cond) {
      if (!listAnswer) problems.push(`${at}: '${cond.q}' holds one value; use equals or oneOf`);
      else if ("includes" in cond) checkValue(cond.includes, `${at}.includes`);
      else cond.allOf.forEach((v, i) => checkValue(v, `${at}.allOf[${i}]`));
    } else if ("lessThan" in cond || "atLeast" in cond) {
      if (!numeric) problems.push(`${at}: '${cond.q}' is a ${question.type} question; lessThan and atLeast need a number or percent`);
    } else if ("countryRisk" in cond || "listedGoods" in cond) {
      const countryField = question.type === "group" ? question.fields.find((f) => f.id === cond.field) : undefined;
      if (question.type === "group" ? countryField?.type !== "country" : question.type !== "country" || cond.field !== undefined) {
        problems.push(`${at}: '${cond.q}' must be a country question, or a group with a country field named by field`);
      }
      if ("listedGoods" in cond) {
        const goods = questions.get(cond.listedGoods)?.question;
        if (!goods || goods.type !== "multi") problems.push(`${at}.listedGoods: '${cond.listedGoods}' must be a multiple-choice question of commodities`);
      }
    }
  };

  const checkPoints = (p: number, at: string) => {
    if (p < 0 || p > MAX_POINTS) problems.push(`${at}: points must be between 0 and ${MAX_POINTS}, got ${p}`);
  };

  // Every question's position first, so a showIf naming a later question says so.
  const positions = new Map<string, number>();
  qn.themes.flatMap((t) => t.questions).forEach((q, i) => positions.has(q.id) || positions.set(q.id, i));

  qn.themes.forEach((theme, t) => {
    if (themeIds.has(theme.id)) problems.push(`themes[${t}].id: duplicate theme id '${theme.id}'`);
    themeIds.add(theme.id);
    theme.questions.forEach((question, qi) => {
      const at = `themes[${t}].questions[${qi}]`;
      if (questions.has(question.id)) problems.push(`${at}.id: duplicate question id '${question.id}'`);
      if (question.showIf) checkCondition(question.showIf, `${at}.showIf`, index);
      questions.set(question.id, { question, index });
      index += 1;

      if (question.type === "yesno") {
        checkPoints(question.points.yes, `${at}.points.yes`);
        checkPoints(question.points.no, `${at}.points.no`);
      }
      if (question.type === "single" || question.type === "multi") {
        const seen = new Set<string>();
        question.options.forEach((o, oi) => {
          if (seen.has(o.value)) problems.push(`${at}.options[${oi}].value: duplicate option value '${o.value}'`);
          seen.add(o.value);
          checkPoints(o.points, `${at}.options[${oi}].points`);
          if (o.exclusive && o.points !== 0) problems.push(`${at}.options[${oi}].points: an exclusive "none" option must score 0`);
        });
        if (question.type === "single" && question.options.some((o) => o.exclusive)) {
          problems.push(`${at}: exclusive only applies to multiple-choice questions`);
        }
        if (question.type === "multi" && question.maxPoints !== undefined) checkPoints(question.maxPoints, `${at}.maxPoints`);
      }
      if (question.type === "number" || question.type === "percent") {
        question.scoring?.forEach((b, bi) => checkPoints(b.points, `${at}.scoring[${bi}].points`));
      }
      if (question.type === "group") {
        const seen = new Set<string>();
        question.fields.forEach((f, fi) => {
          if (seen.has(f.id)) problems.push(`${at}.fields[${fi}].id: duplicate field id '${f.id}'`);
          seen.add(f.id);
          if (f.type === "single" && (!f.options || f.options.length < 2)) {
            problems.push(`${at}.fields[${fi}].options: a single-choice field needs at least two options`);
          }
        });
      }
    });
  });

  const bandIds = new Set<string>();
  qn.bands.forEach((b, i) => {
    if (bandIds.has(b.id)) problems.push(`bands[${i}].id: duplicate band id '${b.id}'`);
    bandIds.add(b.id);
  });
  if (!qn.bands.some((b) => b.min === 0)) problems.push("bands: one band must start at min 0");
  if (!bandIds.has(qn.redFlagBand)) problems.push(`redFlagBand: unknown band '${qn.redFlagBand}'`);

  const recIds = new Set<string>();
  qn.recommendations.forEach((r, i) => {
    if (recIds.has(r.id)) problems.push(`recommendations[${i}].id: duplicate recommendation id '${r.id}'`);
    recIds.add(r.id);
    if (!themeIds.has(r.theme)) problems.push(`recommendations[${i}].theme: unknown theme '${r.theme}'`);
    checkCondition(r.when, `recommendations[${i}].when`, undefined, true);
    r.priorityWhen?.forEach((p, j) => checkCondition(p.when, `recommendations[${i}].priorityWhen[${j}].when`, undefined, true));
  });
  const flagIds = new Set<string>();
  qn.redFlags.forEach((f, i) => {
    if (flagIds.has(f.id)) problems.push(`redFlags[${i}].id: duplicate red flag id '${f.id}'`);
    flagIds.add(f.id);
    checkCondition(f.when, `redFlags[${i}].when`, undefined, true);
    if (!f.followUp && !f.forcesBand) problems.push(`redFlags[${i}]: a red flag that neither forces the band nor asks for a follow-up has no effect`);
  });
  if (qn.exposure) {
    if (qn.exposure.countryRisk.mediumFrom >= qn.exposure.countryRisk.highFrom) problems.push("exposure.countryRisk: mediumFrom must be below highFrom");
    const seen = new Set<string>();
    qn.exposure.rules.forEach((r, i) => {
      if (seen.has(r.id)) problems.push(`exposure.rules[${i}].id: duplicate rule id '${r.id}'`);
      seen.add(r.id);
      checkCondition(r.when, `exposure.rules[${i}].when`, undefined);
    });
  }
  if (Boolean(qn.exposure) !== Boolean(qn.rating)) problems.push("exposure and rating go together: declare both or neither");
  if (qn.rating) {
    for (const level of ["low", "medium", "high"] as const) {
      const row = qn.rating.matrix[level];
      // A row may leave a band out: that band is then not given by the score alone at this exposure.
      const order = [...qn.bands].sort((a, b) => b.min - a.min).map((b) => b.id);
      row.forEach((cell, i) => {
        if (!bandIds.has(cell.band)) problems.push(`rating.matrix.${level}[${i}].band: unknown band '${cell.band}'`);
        else if (i > 0 && order.indexOf(cell.band) <= order.indexOf(row[i - 1]!.band)) problems.push(`rating.matrix.${level}[${i}].band: '${cell.band}' must come after '${row[i - 1]!.band}', best band first, each once`);
        if (i > 0 && cell.min >= row[i - 1]!.min) problems.push(`rating.matrix.${level}[${i}].min: must be lower than the cell before it`);
      });
      if (row[row.length - 1]!.min !== 0) problems.push(`rating.matrix.${level}: the last cell must need min 0`);
    }
    qn.rating.caps.forEach((c, i) => {
      if (!bandIds.has(c.atBest)) problems.push(`rating.caps[${i}].atBest: unknown band '${c.atBest}'`);
      checkCondition(c.when, `rating.caps[${i}].when`, undefined, true);
    });
    const ruleIds = new Set(qn.rating.caps.map((c) => c.id));
    qn.rating.notes.forEach((n, i) => {
      if (ruleIds.has(n.id)) problems.push(`rating.notes[${i}].id: duplicate id '${n.id}'`);
      ruleIds.add(n.id);
      checkCondition(n.when, `rating.notes[${i}].when`, undefined, true);
    });
  }
  // Each submission keeps its KPI outcomes as bit masks (app/domain/kpis.ts): 52 bits at most.
  if (qn.kpis.length > 52) problems.push(`kpis: at most 52 KPIs, not ${qn.kpis.length}`);
  const kpiIds = new Set<string>();
  qn.kpis.forEach((k, i) => {
    if (kpiIds.has(k.id)) problems.push(`kpis[${i}].id: duplicate KPI id '${k.id}'`);
    kpiIds.add(k.id);
    checkCondition(k.numerator, `kpis[${i}].numerator`, undefined);
    if (k.denominator) checkCondition(k.denominator, `kpis[${i}].denominator`, undefined);
  });
  return problems;
}
