/**
 * The data checks: every acknowledged autosave must be in the `answer` table with the value and
 * revision of the last acknowledgement, and every write must have its audit-log line.
 */
import type { Db } from "../../db/index";

/** The last save of a question the server acknowledged (HTTP 200 with a revision). */
export type Acked = { value: unknown; revision: number };
/** A save that got no reply (reset, timeout, 5xx): it may or may not have been written. */
export type Uncertain = { value: unknown; baseRevision: number };

/** Per assessment: question id → last acknowledged save, and unanswered attempts since. */
export type SaveLedger = { assessmentId: string; acked: Map<string, Acked>; uncertain: Map<string, Uncertain[]> };

export const newLedger = (assessmentId: string): SaveLedger => ({ assessmentId, acked: new Map(), uncertain: new Map() });

export function recordAck(ledger: SaveLedger, questionId: string, value: unknown, revision: number): void {
  ledger.acked.set(questionId, { value, revision });
  ledger.uncertain.delete(questionId);
}

export function recordUncertain(ledger: SaveLedger, questionId: string, value: unknown, baseRevision: number): void {
  const list = ledger.uncertain.get(questionId) ?? [];
  list.push({ value, baseRevision });
  ledger.uncertain.set(questionId, list);
}

export type AnswerCheck = {
  answersChecked: number;
  matched: number;
  wrongValue: number;
  wrongRevision: number;
  missing: number;
  /** Saves that got no reply but were written (allowed: the client never heard back). */
  unacknowledgedButWritten: number;
  /** Rows for questions no save of which was acknowledged or attempted. */
  unexpectedRows: number;
  samples: string[];
};

export function sameValue(storedJson: string, value: unknown): boolean {
  try {
    return JSON.stringify(JSON.parse(storedJson)) === JSON.stringify(value);
  } catch {
    return false;
  }
}

/**
 * Compare the `answer` rows of the ledgers' assessments with what the server acknowledged. With
 * `otherRows: "ignore"`, rows of questions the ledger never saved (filled in otherwise) are not counted.
 */
export async function checkAnswers(db: Db, ledgers: SaveLedger[], otherRows: "count" | "ignore" = "count"): Promise<AnswerCheck> {
  const ids = ledgers.map((l) => l.assessmentId);
  const rows = ids.length === 0 ? [] : await db.selectFrom("answer").select(["assessment_id", "question_id", "value", "revision"]).where("assessment_id", "in", ids).execute();
  const stored = new Map(rows.map((r) => [`${r.assessment_id} ${r.question_id}`, r]));
  const c: AnswerCheck = { answersChecked: 0, matched: 0, wrongValue: 0, wrongRevision: 0, missing: 0, unacknowledgedButWritten: 0, unexpectedRows: 0, samples: [] };
  const note = (text: string) => void (c.samples.length < 10 && c.samples.push(text));
  const seen = new Set<string>();
  for (const ledger of ledgers) {
    for (const questionId of new Set([...ledger.acked.keys(), ...ledger.uncertain.keys()])) {
      const key = `${ledger.assessmentId} ${questionId}`;
      seen.add(key);
      const want = ledger.acked.get(questionId);
      const maybe = ledger.uncertain.get(questionId) ?? [];
      const row = stored.get(key);
      const unanswered = row !== undefined && maybe.some((m) => m.baseRevision === (want?.revision ?? 0) && row.revision === m.baseRevision + 1 && sameValue(row.value, m.value));
      if (!want) {
        if (unanswered) c.unacknowledgedButWritten += 1;
        else if (row) c.unexpectedRows += 1;
        continue;
      }
      c.answersChecked += 1;
      if (!row) {
        c.missing += 1;
        note(`${key}: revision ${want.revision} was acknowledged but there is no row`);
      } else if (row.revision === want.revision && sameValue(row.value, want.value)) c.matched += 1;
      else if (unanswered) c.unacknowledgedButWritten += 1;
      else if (row.revision !== want.revision) {
        c.wrongRevision += 1;
        note(`${key}: revision ${want.revision} was acknowledged, ${row.revision} is stored`);
      } else {
        c.wrongValue += 1;
        note(`${key}: ${JSON.stringify(want.value)} was acknowledged, ${row.value} is stored`);
      }
    }
  }
  if (otherRows === "count") for (const key of stored.keys()) if (!seen.has(key)) c.unexpectedRows += 1;
  return c;
}

export function addChecks(a: AnswerCheck, b: AnswerCheck): AnswerCheck {
  return {
    answersChecked: a.answersChecked + b.answersChecked,
    matched: a.matched + b.matched,
    wrongValue: a.wrongValue + b.wrongValue,
    wrongRevision: a.wrongRevision + b.wrongRevision,
    missing: a.missing + b.missing,
    unacknowledgedButWritten: a.unacknowledgedButWritten + b.unacknowledgedButWritten,
    unexpectedRows: a.unexpectedRows + b.unexpectedRows,
    samples: [...a.samples, ...b.samples].slice(0, 10),
  };
}

export function answerCheckText(c: AnswerCheck): string {
  const wrong = c.wrongValue + c.wrongRevision + c.missing;
  return [
    `${c.answersChecked} answers with an acknowledged save: ${c.matched} hold the last acknowledged value and revision`,
    wrong > 0 ? `${c.wrongValue} wrong value, ${c.wrongRevision} wrong revision, ${c.missing} missing` : "none wrong or missing",
    ...(c.unacknowledgedButWritten > 0 ? [`${c.unacknowledgedButWritten} saves that got no reply were found written`] : []),
    ...(c.unexpectedRows > 0 ? [`${c.unexpectedRows} unexpected rows`] : []),
  ].join("; ");
}

export type AuditCheck = { answers: number; consistent: number; samples: string[] };

/**
 * Every write of an answer adds one audit-log line in the same transaction and raises the revision
 * by one, so an answer first written by a save has exactly `revision` audit lines (`offset` more
 * when rows were put in directly with revision `offset` and no audit line).
 */
export async function checkAudit(db: Db, assessmentIds: string[], offset = 0): Promise<AuditCheck> {
  if (assessmentIds.length === 0) return { answers: 0, consistent: 0, samples: [] };
  const answers = await db.selectFrom("answer").select(["assessment_id", "question_id", "revision"]).where("assessment_id", "in", assessmentIds).execute();
  const lines = await db
    .selectFrom("audit_log")
    .select(["entity_id", "field", (eb) => eb.fn.countAll<number | string | bigint>().as("n")])
    .where("entity", "=", "assessment")
    .where("entity_id", "in", assessmentIds)
    .where("action", "in", ["answer_changed", "answer_confirmed"])
    .groupBy(["entity_id", "field"])
    .execute();
  const counts = new Map(lines.map((l) => [`${l.entity_id} ${l.field}`, Number(l.n)]));
  const check: AuditCheck = { answers: answers.length, consistent: 0, samples: [] };
  for (const a of answers) {
    const n = counts.get(`${a.assessment_id} ${a.question_id}`) ?? 0;
    if (n + offset === a.revision) check.consistent += 1;
    else if (check.samples.length < 10) check.samples.push(`${a.assessment_id} ${a.question_id}: revision ${a.revision}, ${n} audit lines`);
  }
  return check;
}
