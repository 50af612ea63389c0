/**
 * Rules for text and ids that come from outside, the same on every database: PostgreSQL refuses
 * NUL in text, and no person types other control characters, so both are refused up front.
 */

/** C0 controls and DEL, except tab, line feed and carriage return (a textarea sends CR LF). */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function hasControlChars(text: string): boolean {
  return CONTROL.test(text);
}

export const controlCharsMessage = (label: string) => `${label} must not contain control characters: remove them and type it again`;

/** Lantern's ids are UUIDs (db/ids.ts); anything else cannot name a record. */
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isId(value: unknown): value is string {
  return typeof value === "string" && ID.test(value);
}

/**
 * A count with its noun in agreement: `plural(1, "match", "matches")` is "1 match",
 * `plural(3, "match", "matches")` "3 matches". The plural defaults to the noun with an "s"; counts
 * are written with thousands separators, as GOV.UK writes numbers.
 */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString("en-GB")} ${nounFor(count, one, many)}`;
}

/** The noun alone, agreeing with a count given elsewhere ("3 of 1 question", "of 4 questions"). */
export function nounFor(count: number, one: string, many = `${one}s`): string {
  return count === 1 ? one : many;
}

/** The text with its first letter in upper case: a level ("high") at the start of a line reads "High". */
export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The indefinite article for a noun: "an" before a vowel letter ("an administrator", "an analyst"),
 * "a" otherwise ("a contract manager"). By letter, not sound: right for Lantern's role names, wrong
 * for words like "user" or "hour".
 */
export function indefiniteArticle(noun: string): "a" | "an" {
  return /^[aeiou]/i.test(noun.trim()) ? "an" : "a";
}

/** A value as a message quotes it: strings in single quotes, anything else as JSON, cut short. */
export function quote(value: unknown): string {
  const text = typeof value === "string" ? `'${value}'` : JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
