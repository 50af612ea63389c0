/**
 * Answer values and their validation against a question. Raw input may come from JSON (autosave)
 * or from a posted form (strings), so numbers are accepted as digit strings too.
 */
import type { Question } from "../../questionnaires/format";
import { choiceValues } from "../../questionnaires/choices";
import { controlCharsMessage, hasControlChars } from "./text";

export type GroupRow = Record<string, string>;
export type AnswerValue = string | number | string[] | GroupRow[];
export type Answers = Record<string, AnswerValue>;

/**
 * A list of rows some of which miss a required field: the complete rows are an answer, and every
 * row, incomplete ones included, is kept as a draft so nothing typed is lost.
 */
export type IncompleteRows = { complete: GroupRow[] | null; rows: GroupRow[] };

export type Validation = { ok: true; value: AnswerValue | null } | { ok: false; error: string; incomplete?: IncompleteRows };

/** Is a country code valid? Injected so the domain needs no country table of its own. */
export type CountryCheck = (code: string) => boolean;

const fail = (error: string): Validation => ({ ok: false, error });

function isBlank(raw: unknown): boolean {
  return (
    raw === undefined ||
    raw === null ||
    (typeof raw === "string" && raw.trim() === "") ||
    (Array.isArray(raw) && raw.length === 0)
  );
}

function parseNumber(raw: unknown): number | undefined {
  if (typeof raw === "number") return Number.isFinite(raw) ? raw : undefined;
  if (typeof raw !== "string") return undefined;
  const text = raw.trim().replace(/,/g, "").replace(/%$/, "");
  if (!/^-?\d+(\.\d+)?$/.test(text)) return undefined;
  return Number(text);
}

function asStringList(raw: unknown): string[] | undefined {
  if (typeof raw === "string") return [raw];
  if (Array.isArray(raw) && raw.every((v) => typeof v === "string")) return raw as string[];
  return undefined;
}

/**
 * Check a raw answer against its question. A blank answer is valid and means "no answer"
 * (value null); whether a question must be answered is decided at submission.
 */
export function validateAnswer(question: Question, raw: unknown, isCountry: CountryCheck): Validation {
  if (isBlank(raw)) return { ok: true, value: null };
  switch (question.type) {
    case "yesno":
    case "single": {
      const allowed = choiceValues(question)!;
      if (typeof raw !== "string" || !allowed.includes(raw)) {
        return fail(question.type === "yesno" ? "Select yes or no" : "Select one of the options");
      }
      return { ok: true, value: raw };
    }
    case "multi": {
      const list = asStringList(raw);
      if (!list) return fail("Select one or more of the options");
      const unique = [...new Set(list)];
      const unknown = unique.find((v) => !question.options.some((o) => o.value === v));
      if (unknown !== undefined) return fail(`'${unknown}' is not one of the options`);
      const exclusive = question.options.find((o) => o.exclusive && unique.includes(o.value));
      if (exclusive && unique.length > 1) {
        return fail(`Select '${exclusive.label}' on its own, or choose other options without it`);
      }
      // keep the questionnaire's order so equal answers compare equal
      return { ok: true, value: question.options.map((o) => o.value).filter((v) => unique.includes(v)) };
    }
    case "number": {
      const n = parseNumber(raw);
      if (n === undefined || !Number.isInteger(n)) return fail("Enter a whole number, like 12");
      if (n < question.min) return fail(`Enter a number of ${question.min} or more`);
      if (question.max !== undefined && n > question.max) return fail(`Enter a number of ${question.max} or less`);
      return { ok: true, value: n };
    }
    case "percent": {
      const n = parseNumber(raw);
      if (n === undefined) return fail("Enter a percentage as a number, like 75");
      if (n < 0 || n > 100) return fail("Enter a percentage between 0 and 100");
      return { ok: true, value: Math.round(n * 10) / 10 };
    }
    case "text": {
      if (typeof raw !== "string") return fail("Enter your answer as text");
      const text = raw.trim();
      if (text.length > question.maxLength) {
        return fail(`Answer must be ${question.maxLength} characters or fewer (you entered ${text.length})`);
      }
      if (hasControlChars(text)) return fail(controlCharsMessage("Your answer"));
      return { ok: true, value: text };
    }
    case "country": {
      const list = asStringList(raw);
      if (!list) return fail("Select a country from the list");
      const codes = [...new Set(list.map((c) => c.trim().toUpperCase()).filter(Boolean))];
      const wrong = codes.find((c) => !isCountry(c));
      if (wrong !== undefined) return fail(`'${wrong}' is not a country in the list; select a country from the list`);
      if (!question.multiple) {
        if (codes.length !== 1) return fail("Select one country");
        return { ok: true, value: codes[0]! };
      }
      return codes.length === 0 ? { ok: true, value: null } : { ok: true, value: codes };
    }
    case "group": {
      if (!Array.isArray(raw)) return fail(`Enter each ${question.itemName} as a row`);
      if (raw.length > question.maxRows) return fail(`Enter ${question.maxRows} ${question.itemName}s or fewer`);
      const rows: GroupRow[] = [];
      const complete: GroupRow[] = [];
      let missing: string | undefined;
      for (const [i, item] of raw.entries()) {
        if (typeof item !== "object" || item === null || Array.isArray(item)) {
          return fail(`${question.itemName} ${i + 1} is not a row of fields`);
        }
        const entry = item as Record<string, unknown>;
        const extra = Object.keys(entry).find((k) => !question.fields.some((f) => f.id === k));
        if (extra) return fail(`${question.itemName} ${i + 1} has an unknown field '${extra}'`);
        if (question.fields.every((f) => isBlank(entry[f.id]))) continue; // an empty row is no row
        const row: GroupRow = {};
        let rowMissing: string | undefined;
        const label = (field: { label: string }) => `${capitalise(question.itemName)} ${i + 1}: ${field.label.toLowerCase()}`;
        for (const field of question.fields) {
          const v = entry[field.id];
          if (isBlank(v)) {
            if (field.required) rowMissing ??= `${label(field)} is missing`;
            continue;
          }
          if (typeof v !== "string") return fail(`${label(field)} must be text`);
          const text = v.trim();
          if (text.length > 200) return fail(`${label(field)} must be 200 characters or fewer`);
          if (hasControlChars(text)) return fail(controlCharsMessage(label(field)));
          if (field.type === "country" && !isCountry(text.toUpperCase())) {
            return fail(`${label(field)}: select a country from the list`);
          }
          if (field.type === "single" && !field.options!.some((o) => o.value === text)) {
            return fail(`${label(field)}: select one of the options`);
          }
          row[field.id] = field.type === "country" ? text.toUpperCase() : text;
        }
        rows.push(row);
        if (rowMissing) missing ??= rowMissing;
        else complete.push(row);
      }
      if (missing) return { ok: false, error: missing, incomplete: { complete: complete.length === 0 ? null : complete, rows } };
      return rows.length === 0 ? { ok: true, value: null } : { ok: true, value: rows };
    }
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Two stored answers are the same answer. */
export function sameAnswer(a: AnswerValue | null | undefined, b: AnswerValue | null | undefined): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}
