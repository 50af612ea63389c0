/**
 * Reading a theme page's posted form (the no-JavaScript path) into raw answers: one entry per
 * question, in the shapes validateAnswer accepts.
 */
import type { Question } from "../../questionnaires/format";
import { fieldKey } from "../domain/page-visibility";

export type PostedAnswer = { questionId: string; raw: unknown; baseRevision: number };

/** Rows posted as `key.N.field` (groups) or `key.N` (lists of countries), in index order. */
function postedRows(form: FormData, key: string): Map<number, Record<string, string> | string> {
  const rows = new Map<number, Record<string, string> | string>();
  const pattern = new RegExp(`^${key}\\.(\\d{1,3})(?:\\.([a-z0-9_]+))?$`);
  for (const [name, value] of form.entries()) {
    const match = pattern.exec(name);
    if (!match || typeof value !== "string") continue;
    const index = Number(match[1]);
    if (match[2]) {
      const row = rows.get(index);
      const record = typeof row === "object" ? row : {};
      // Defined, not assigned: a field named __proto__ becomes a field (refused as unknown), not the row's prototype.
      Object.defineProperty(record, match[2], { value, enumerable: true, writable: true, configurable: true });
      rows.set(index, record);
    } else rows.set(index, value);
  }
  return new Map([...rows.entries()].sort((a, b) => a[0] - b[0]));
}

export function readPostedAnswer(form: FormData, question: Question, removeRow?: number): PostedAnswer {
  const key = fieldKey(question.id);
  const revision = Number(form.get(`rev:${key}`) ?? 0);
  const baseRevision = Number.isInteger(revision) && revision >= 0 ? revision : -1;
  let raw: unknown;
  switch (question.type) {
    case "multi":
      raw = form.getAll(key).filter((v) => typeof v === "string");
      break;
    case "country":
      if (question.multiple) {
        raw = [...postedRows(form, key).entries()].filter(([i]) => i !== removeRow).map(([, v]) => v).filter((v) => typeof v === "string" && v !== "");
      } else raw = form.get(key) ?? "";
      break;
    case "group":
      raw = [...postedRows(form, key).entries()].filter(([i]) => i !== removeRow).map(([, v]) => v);
      break;
    default:
      raw = form.get(key) ?? "";
  }
  return { questionId: question.id, raw, baseRevision };
}
