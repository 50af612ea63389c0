/**
 * Writing and reading submissions: one place that freezes a submission the same way whether it was
 * made in the app, seeded, or imported from an exchange file. The exact questionnaire is kept once
 * per distinct text (questionnaire_snapshot, named by SHA-256); the KPI outcomes and the overall
 * score are kept beside the answers so statistics need not parse every submission.
 */
import { createHash } from "node:crypto";
import type { Insertable, Kysely, Transaction } from "kysely";
import type { Questionnaire } from "../questionnaires/format";
import type { Answers } from "../app/domain/answers";
import type { ConditionContext, ScreeningSummary } from "../app/domain/conditions";
import { kpiMasks, kpiOutcomes } from "../app/domain/kpis";
import type { AssessmentResult } from "../app/domain/scoring";
import type { Database, SubmissionTable } from "./schema";

type Conn = Kysely<Database> | Transaction<Database>;

const hashes = new WeakMap<Questionnaire, { hash: string; body: string }>();

/** The snapshot name and text of a questionnaire (worked out once per loaded questionnaire). */
export function snapshotOf(qn: Questionnaire): { hash: string; body: string } {
  let known = hashes.get(qn);
  if (!known) {
    const body = JSON.stringify(qn);
    known = { hash: `sha256:${createHash("sha256").update(body).digest("hex")}`, body };
    hashes.set(qn, known);
  }
  return known;
}

/** Keep the questionnaire's text once; returns the hash a submission names it by. */
export async function ensureSnapshot(conn: Conn, qn: Questionnaire, now: string): Promise<string> {
  const { hash, body } = snapshotOf(qn);
  await conn
    .insertInto("questionnaire_snapshot")
    .values({ hash, questionnaire_id: qn.id, questionnaire_version: qn.version, body, created_at: now })
    .onConflict((oc) => oc.column("hash").doNothing())
    .execute();
  return hash;
}

export type NewSubmission = {
  id: string;
  assessmentId: string;
  organisationId: string;
  qn: Questionnaire;
  /** The visible answers (skip logic applied), as scored. */
  answers: Answers;
  result: AssessmentResult;
  /** The context the result was scored with: KPIs read the same reference data and screening. */
  context: ConditionContext;
  submittedBy: string;
  createdAt: string;
  source: "app" | "import";
};

/** The row for a submission; its questionnaire must be kept with ensureSnapshot in the same transaction. */
export function submissionRow(s: NewSubmission): Insertable<SubmissionTable> {
  const outcomes = kpiOutcomes(s.qn, s.answers, s.context);
  const masks = kpiMasks(s.qn, outcomes);
  return {
    id: s.id,
    assessment_id: s.assessmentId,
    organisation_id: s.organisationId,
    questionnaire_id: s.qn.id,
    questionnaire_version: s.qn.version,
    questionnaire: snapshotOf(s.qn).hash,
    answers: JSON.stringify(s.answers),
    result: JSON.stringify(s.result),
    submitted_by: s.submittedBy,
    created_at: s.createdAt,
    kpis: JSON.stringify(outcomes),
    kpi_numerator: masks.numerator,
    kpi_denominator: masks.denominator,
    overall: s.result.overall,
    source: s.source,
  };
}

export async function insertSubmission(conn: Conn, s: NewSubmission): Promise<void> {
  await ensureSnapshot(conn, s.qn, s.createdAt);
  await conn.insertInto("submission").values(submissionRow(s)).execute();
}

const parsed = new Map<string, Questionnaire>();

/** The questionnaire a submission answered, from its snapshot (cached: a snapshot never changes). */
export async function snapshotQuestionnaire(conn: Conn, hash: string): Promise<Questionnaire> {
  const cached = parsed.get(hash);
  if (cached) return cached;
  const row = await conn.selectFrom("questionnaire_snapshot").select("body").where("hash", "=", hash).executeTakeFirst();
  if (!row) throw new Error(`The questionnaire snapshot ${hash} is missing`);
  const qn = JSON.parse(row.body) as Questionnaire;
  parsed.set(hash, qn);
  return qn;
}

/**
 * Work out the KPI outcomes and overall score of submissions made before they were kept (run after
 * migrating). `contextFor` builds the risk model's context from the stored screening summary.
 */
export async function fillSubmissionFigures(conn: Kysely<Database>, contextFor: (qn: Questionnaire, screening: ScreeningSummary | undefined) => ConditionContext): Promise<number> {
  let filled = 0;
  for (;;) {
    const rows = await conn.selectFrom("submission").select(["id", "questionnaire", "answers", "result"]).where("kpis", "is", null).limit(200).execute();
    if (rows.length === 0) return filled;
    for (const r of rows) {
      const qn = await snapshotQuestionnaire(conn, r.questionnaire);
      const result = JSON.parse(r.result) as AssessmentResult;
      const context = contextFor(qn, result.screening?.summary);
      const outcomes = kpiOutcomes(qn, JSON.parse(r.answers) as Answers, context);
      const masks = kpiMasks(qn, outcomes);
      await conn
        .updateTable("submission")
        .set({ kpis: JSON.stringify(outcomes), kpi_numerator: masks.numerator, kpi_denominator: masks.denominator, overall: result.overall })
        .where("id", "=", r.id)
        .execute();
      filled++;
    }
  }
}
