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
