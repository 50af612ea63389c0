/**
 * The exchange format for submitted assessments (docs/exchange-format.md): JSON Lines, one
 * submitted assessment per line. This module reads one line into a checked record, naming every
 * problem with a stable code, and writes one line from a stored submission, with the same key order
 * every time so an export can be compared byte for byte. Checks that need the database (departments,
 * submissions already kept) and that span lines (the same submission twice) belong to the service.
 */
import type { Questionnaire } from "../../questionnaires/format";
import { checkAnswerSet } from "./answer-set";
import { type Answers, type CountryCheck, validateAnswer } from "./answers";
import { normaliseCompanyNumber, slugProblem } from "./organisations";
import { allQuestions, questionIndex } from "./questions";
import { hasControlChars, quote } from "./text";

export const PROBLEM_CODES = [
  "bad_encoding",
  "bad_json",
  "unknown_key",
  "missing_field",
  "bad_field",
  "bad_supplier",
  "unknown_questionnaire",
  "unknown_question",
  "not_an_option",
  "invalid",
  "hidden",
  "required",
  "unknown_department",
  "bad_date",
  "duplicate",
  "empty_file",
  "too_many_problems",
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** One problem with an import file. `line` is null only for a problem with the file as a whole (or the count of those not listed). */
export type ExchangeProblem = { line: number | null; questionId: string | null; code: ProblemCode; message: string };

export const TOP_LEVEL_KEYS = ["supplier", "sharedWith", "questionnaire", "version", "submittedAt", "answers"] as const;
export const SUPPLIER_KEYS = ["name", "companyNumber", "country"] as const;
export const SUPPLIER_NAME_MAX = 200;
/**
 * A supplier with a Companies House number and no country is registered in the UK (as `org add`
 * takes it); one with neither has no country on record rather than a guessed one.
 */
export const COMPANIES_HOUSE_COUNTRY = "GB";

export type ExchangeSupplier = { name: string; companyNumber: string | null; country: string | null };

/** A line that passed every check this module can make. */
export type ExchangeRecord = {
  supplier: ExchangeSupplier;
  /** Department slugs, without repeats, sorted. */
  sharedWith: string[];
  qn: Questionnaire;
  /** Normalised with toISOString(): the form a submission's created_at takes. */
  submittedAt: string;
  /** Checked and normalised as the app stores them; every one answers a visible question. */
  answers: Answers;
};

/**
 * What reading a line found. The parts that checked out are given even when other parts did not,
 * so the checks across lines (departments, repeats) still run and every problem is listed at once.
 */
export type LineReading = {
  problems: ExchangeProblem[];
  supplier?: ExchangeSupplier;
  /** The slugs in sharedWith that could name a department (whether they do is for the database to say). */
  sharedWith: string[];
  submittedAt?: string;
  qn?: Questionnaire;
  /** Present only when the line has no problems at all. */
  record?: ExchangeRecord;
};

export type LineChecks = {
  /** The questionnaire with this id and version on disk, if any. */
  questionnaire: (id: string, version: string) => Questionnaire | undefined;
  isCountry: CountryCheck;
  /** Submission times after this are refused. */
  now: Date;
  /**
   * The line passed every check before (the same bytes, read again): only read and normalise it,
   * without the skip-logic checks across its answers. Any problem found still fails the line.
   */
  again?: boolean;
};

/** The key that makes two lines the same supplier: the company number, else the exact name and country. */
export function supplierKey(s: ExchangeSupplier): string {
  return s.companyNumber ? `number:${s.companyNumber}` : `name:${s.country ?? ""}:${s.name}`;
}

/** How a message names a supplier. */
export function describeSupplier(s: ExchangeSupplier): string {
  return s.companyNumber ? `${s.name} (company number ${s.companyNumber})` : `${s.name} (${s.country ?? "no country"}, no company number)`;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):?(\d{2}))$/;

/**
 * An ISO 8601 date and time with a time zone (Z or an offset) as an instant, or why not. A date
 * alone, or a time without a zone, is refused: it would name a different instant in each place.
 */
export function parseInstant(text: string): { ok: true; instant: Date } | { ok: false; error: string } {
  const m = ISO_INSTANT.exec(text);
  if (!m) return { ok: false, error: "must be an ISO 8601 date and time with a time zone, like 2020-11-05T10:00:00Z or 2020-11-05T10:00:00+01:00" };
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number) as [number, number, number, number, number];
  const second = Number(m[6] ?? 0);
  const millis = Number((m[7] ?? "0").padEnd(3, "0").slice(0, 3));
  const local = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis));
  if (local.getUTCFullYear() !== year || local.getUTCMonth() !== month - 1 || local.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    return { ok: false, error: "is not a real date and time" };
  }
  const offsetHours = Number(m[10] ?? 0);
  const offsetMinutes = Number(m[11] ?? 0);
  if (offsetHours > 23 || offsetMinutes > 59) return { ok: false, error: "has a time zone offset that does not exist" };
  const sign = m[9] === "-" ? -1 : 1;
  return { ok: true, instant: new Date(local.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000) };
}

/** How an export writes a submission time: ISO UTC, without milliseconds when they are zero. */
export function formatSubmittedAt(iso: string): string {
  return new Date(iso).toISOString().replace(/\.000Z$/, "Z");
}

/** The answers, normalised, when each one is valid (no messages: for a line checked before). */
function normaliseAnswers(qn: Questionnaire, raw: Record<string, unknown>, isCountry: CountryCheck): Answers | undefined {
  const index = questionIndex(qn);
  const answers: Answers = {};
  for (const [id, value] of Object.entries(raw)) {
    const entry = index.get(id);
    const check = entry && validateAnswer(entry.question, value, isCountry);
    if (!check?.ok) return undefined;
    if (check.value !== null) answers[id] = check.value;
  }
  return answers;
}

function checkSupplier(raw: unknown, isCountry: CountryCheck, problem: (code: ProblemCode, message: string) => void): ExchangeSupplier | undefined {
  if (raw === undefined) {
    problem("missing_field", `supplier is missing: give at least {"name": "..."}`);
    return undefined;
  }
  if (!isPlainObject(raw)) {
    problem("bad_supplier", `supplier must be an object like {"name": "...", "companyNumber": "01234567", "country": "GB"}, not ${quote(raw)}`);
    return undefined;
  }
  let ok = true;
  for (const key of Object.keys(raw)) {
    if (!(SUPPLIER_KEYS as readonly string[]).includes(key)) {
      problem("unknown_key", `supplier.${key} is not part of the format; a supplier has ${SUPPLIER_KEYS.join(", ")}`);
      ok = false;
    }
  }
  let name = "";
  if (raw.name === undefined) {
    problem("missing_field", "supplier.name is missing");
    ok = false;
  } else if (typeof raw.name !== "string") {
    problem("bad_supplier", `supplier.name must be text, not ${quote(raw.name)}`);
    ok = false;
  } else {
    name = raw.name.trim();
    if (!name || name.length > SUPPLIER_NAME_MAX || hasControlChars(name)) {
      problem("bad_supplier", `supplier.name must be 1 to ${SUPPLIER_NAME_MAX} characters of plain text${name.length > SUPPLIER_NAME_MAX ? ` (it has ${name.length})` : hasControlChars(name) ? " (it has control characters)" : ""}`);
      ok = false;
    }
  }
  let companyNumber: string | null = null;
  if (raw.companyNumber !== undefined && raw.companyNumber !== null) {
    const checked = typeof raw.companyNumber === "string" ? normaliseCompanyNumber(raw.companyNumber) : undefined;
    if (checked?.ok) companyNumber = checked.value;
    else {
      problem("bad_supplier", `supplier.companyNumber ${quote(raw.companyNumber)}: ${checked?.error ?? "must be text"}`);
      ok = false;
    }
  }
  let country: string | null = companyNumber ? COMPANIES_HOUSE_COUNTRY : null;
  if (raw.country !== undefined && raw.country !== null) {
    const code = typeof raw.country === "string" ? raw.country.trim().toUpperCase() : "";
    if (isCountry(code)) country = code;
    else {
      problem("bad_supplier", `supplier.country ${quote(raw.country)} is not an ISO 3166-1 alpha-2 country code, like GB or MY`);
      ok = false;
    }
  }
  return ok ? { name, companyNumber, country } : undefined;
}

/** The slugs that could name a department, and whether every one could. */
function checkSharedWith(raw: unknown, problem: (code: ProblemCode, message: string) => void): { slugs: string[]; ok: boolean } {
  if (raw === undefined || raw === null) return { slugs: [], ok: true };
  if (!Array.isArray(raw) || raw.some((s) => typeof s !== "string")) {
    problem("bad_field", `sharedWith must be a list of department slugs, like ["home-office"], not ${quote(raw)}`);
    return { slugs: [], ok: false };
  }
  const slugs = new Set<string>();
  let ok = true;
  for (const slug of raw as string[]) {
    const why = slugProblem(slug);
    if (why) {
      problem("unknown_department", `sharedWith: ${quote(slug)} cannot be a department's slug (${why})`);
      ok = false;
    } else slugs.add(slug);
  }
  return { slugs: [...slugs].sort(), ok };
}

function checkSubmittedAt(raw: unknown, now: Date, problem: (code: ProblemCode, message: string) => void): string | undefined {
  if (raw === undefined || raw === null) {
    problem("bad_date", "submittedAt is missing: give the date and time of submission, like 2020-11-05T10:00:00Z");
    return undefined;
  }
  if (typeof raw !== "string") {
    problem("bad_date", `submittedAt must be text like 2020-11-05T10:00:00Z, not ${quote(raw)}`);
    return undefined;
  }
  const parsed = parseInstant(raw);
  if (!parsed.ok) {
    problem("bad_date", `submittedAt ${quote(raw)} ${parsed.error}`);
    return undefined;
  }
  if (parsed.instant.getTime() > now.getTime()) {
    problem("bad_date", `submittedAt ${quote(raw)} is in the future (it is now ${formatSubmittedAt(now.toISOString())})`);
    return undefined;
  }
  return parsed.instant.toISOString();
}

/** Read and check one line of an exchange file (not blank: blank lines are skipped before). */
export function readLine(text: string, line: number, checks: LineChecks): LineReading {
  const problems: ExchangeProblem[] = [];
  const problem = (code: ProblemCode, message: string, questionId?: string) => problems.push({ line, questionId: questionId ?? null, code, message: `line ${line}: ${message}` });

  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    problem("bad_json", `is not valid JSON (${(error as Error).message}); each line must be one JSON object`);
    return { problems, sharedWith: [] };
  }
  if (!isPlainObject(raw)) {
    problem("bad_json", `must be a JSON object like {"supplier": {...}, "questionnaire": "msat", ...}, not ${quote(raw)}`);
    return { problems, sharedWith: [] };
  }
  for (const key of Object.keys(raw)) {
    if (!(TOP_LEVEL_KEYS as readonly string[]).includes(key)) problem("unknown_key", `${quote(key)} is not part of the format; a line has ${TOP_LEVEL_KEYS.join(", ")}`);
  }

  const supplier = checkSupplier(raw.supplier, checks.isCountry, problem);
  const { slugs: sharedWith, ok: sharedOk } = checkSharedWith(raw.sharedWith, problem);
  const submittedAt = checkSubmittedAt(raw.submittedAt, checks.now, problem);

  let qn: Questionnaire | undefined;
  let named = true;
  for (const field of ["questionnaire", "version"] as const) {
    if (raw[field] === undefined) {
      problem("missing_field", `${field} is missing (for example "questionnaire": "msat", "version": "1.1.0")`);
      named = false;
    } else if (typeof raw[field] !== "string") {
      problem("bad_field", `${field} must be text, not ${quote(raw[field])}`);
      named = false;
    }
  }
  if (named) {
    qn = checks.questionnaire(raw.questionnaire as string, raw.version as string);
    if (!qn) problem("unknown_questionnaire", `there is no questionnaire ${quote(raw.questionnaire)} version ${quote(raw.version)} (run \`npm run cli -- check\` to see which are installed)`);
  }

  let answers: Answers | undefined;
  if (raw.answers === undefined) problem("missing_field", `answers is missing: give an object of question id to answer, like {"org.size": "large"}`);
  else if (!isPlainObject(raw.answers)) problem("bad_field", `answers must be an object of question id to answer, not ${quote(raw.answers)}`);
  else if (qn && checks.again) {
    answers = normaliseAnswers(qn, raw.answers, checks.isCountry);
    if (!answers) problem("invalid", "an answer no longer checks out");
  } else if (qn) {
    const checked = checkAnswerSet(qn, raw.answers, checks.isCountry, "this line's other answers");
    for (const p of checked.problems) problem(p.code, p.message, p.questionId);
    answers = checked.answers;
  }

  const reading: LineReading = { problems, supplier, sharedWith, submittedAt, qn };
  if (problems.length === 0 && supplier && sharedOk && submittedAt && qn && answers) reading.record = { supplier, sharedWith, qn, submittedAt, answers };
  return reading;
}

/** What an export writes for one submission. */
export type ExportedSubmission = {
  supplier: { name: string; companyNumber: string | null; country: string | null };
  sharedWith: string[];
  questionnaire: string;
  version: string;
  /** As stored (created_at). */
  submittedAt: string;
  answers: Answers;
};

/** One line of an export (without the line break): keys in the format's order, answers in the questionnaire's. */
export function exchangeLine(s: ExportedSubmission, qn: Questionnaire | undefined): string {
  const supplier: Record<string, string> = { name: s.supplier.name };
  if (s.supplier.companyNumber) supplier.companyNumber = s.supplier.companyNumber;
  if (s.supplier.country) supplier.country = s.supplier.country;
  const answers: Answers = {};
  if (qn) for (const q of allQuestions(qn)) if (s.answers[q.id] !== undefined) answers[q.id] = s.answers[q.id]!;
  for (const id of Object.keys(s.answers).sort()) if (answers[id] === undefined) answers[id] = s.answers[id]!;
  return JSON.stringify({
    supplier,
    sharedWith: [...s.sharedWith].sort(),
    questionnaire: s.questionnaire,
    version: s.version,
    submittedAt: formatSubmittedAt(s.submittedAt),
    answers,
  });
}

/** Order of an export: submission time, then company number (none first), name, country, then id. */
export function compareExported(a: ExportedSubmission & { id: string }, b: ExportedSubmission & { id: string }): number {
  const byText = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return (
    byText(new Date(a.submittedAt).toISOString(), new Date(b.submittedAt).toISOString()) ||
    byText(a.supplier.companyNumber ?? "", b.supplier.companyNumber ?? "") ||
    byText(a.supplier.name, b.supplier.name) ||
    byText(a.supplier.country ?? "", b.supplier.country ?? "") ||
    byText(a.id, b.id)
  );
}
