/**
 * Who counts in a department's statistics, kept in statistics_entry: per department, financial year
 * and supplier organisation, the supplier's latest submission made in that year among the
 * submissions shared with the department now, with the overall score of the supplier's previous
 * submission shared with it. Refreshed in the same transaction as whatever changes it: a submission
 * of an assessment already shared, a share, a share stopped, an assessment completed, a follow-up
 * conversation finished, an import. A department's dashboard then
 * adds up bit masks over these rows in SQL, whatever the number of submissions behind them.
 */
import { type Kysely, PostgresAdapter, type Transaction } from "kysely";
import { callsForFollowUp } from "../app/domain/follow-up";
import { periodOf } from "../app/domain/periods";
import type { AssessmentResult } from "../app/domain/scoring";
import type { Database, StatisticsEntryTable } from "./schema";
import { snapshotQuestionnaire } from "./submissions";

type Entry = Omit<StatisticsEntryTable, "called_for_follow_up"> & { called_for_follow_up: number };

type Conn = Kysely<Database> | Transaction<Database>;

type SharedSubmission = {
  buyer_organisation_id: string;
  supplier_organisation_id: string;
  id: string;
  assessment_id: string;
  created_at: string;
  questionnaire: string;
  kpi_numerator: number | string | null;
  kpi_denominator: number | string | null;
  overall: number | null;
  status: string;
  followed_up: number | string;
};

const isPostgres = (conn: Conn) => conn.getExecutor().adapter instanceof PostgresAdapter;

function sharedSubmissions(conn: Conn) {
  return conn
    .selectFrom("assessment_share as sh")
    .innerJoin("submission as s", "s.assessment_id", "sh.assessment_id")
    .innerJoin("assessment as a", "a.id", "s.assessment_id")
    .select((eb) => [
      "sh.buyer_organisation_id",
      "sh.supplier_organisation_id",
      "s.id",
      "s.assessment_id",
      "s.created_at",
      "s.questionnaire",
      "s.kpi_numerator",
      "s.kpi_denominator",
      "s.overall",
      "a.status",
      eb
        .case()
        .when(
          eb.exists(
            eb
              .selectFrom("conversation as cv")
              .select("cv.id")
              .whereRef("cv.assessment_id", "=", "s.assessment_id")
              .whereRef("cv.organisation_id", "=", "sh.buyer_organisation_id")
              .where("cv.status", "=", "finished"),
          ),
        )
        .then(1)
        .else(0)
        .end()
        .as("followed_up"),
    ])
    .where("sh.revoked_at", "is", null);
}

/**
 * Entries from one department's shared submissions of one supplier, in time order: the last of each
 * financial year, each with the overall score of the submission before it.
 */
function entriesFrom(rows: SharedSubmission[]): Entry[] {
  const latest = new Map<string, Entry>();
  let previousOverall: number | null = null;
  for (const r of rows) {
    const period = periodOf(new Date(r.created_at)).id;
    latest.set(period, {
      buyer_organisation_id: r.buyer_organisation_id,
      period,
      supplier_organisation_id: r.supplier_organisation_id,
      submission_id: r.id,
      assessment_id: r.assessment_id,
      questionnaire: r.questionnaire,
      kpi_numerator: Number(r.kpi_numerator ?? 0),
      kpi_denominator: Number(r.kpi_denominator ?? 0),
      overall: r.overall === null ? null : Number(r.overall),
      previous_overall: previousOverall,
      completed: r.status === "completed" ? 1 : 0,
      followed_up: Number(r.followed_up),
      called_for_follow_up: 0,
    });
    if (r.overall !== null) previousOverall = Number(r.overall);
  }
  return [...latest.values()];
}

async function insertEntries(conn: Conn, entries: Entry[]): Promise<void> {
  // Whether each counted submission called for follow-up (the rule in app/domain/follow-up.ts), read
  // from its result only for the entries kept, so a rebuild never holds every result at once.
  for (let i = 0; i < entries.length; i += 500) {
    const slice = entries.slice(i, i + 500);
    const results = await conn.selectFrom("submission").select(["id", "result", "questionnaire"]).where("id", "in", slice.map((e) => e.submission_id)).execute();
    const called = new Map<string, number>();
    for (const r of results) {
      const qn = await snapshotQuestionnaire(conn, r.questionnaire);
      called.set(r.id, callsForFollowUp(JSON.parse(r.result) as AssessmentResult, qn.bands) ? 1 : 0);
    }
    for (const e of slice) e.called_for_follow_up = called.get(e.submission_id) ?? 0;
  }
  for (let i = 0; i < entries.length; i += 500) await conn.insertInto("statistics_entry").values(entries.slice(i, i + 500)).execute();
}

/** Work out again whether and how one supplier counts for one department, in every year. */
export async function refreshStatistics(conn: Conn, buyerOrganisationId: string, supplierOrganisationId: string): Promise<void> {
  // On PostgreSQL two transactions touching the same supplier take turns, so neither writes entries
  // from a view that misses the other's change. SQLite runs one writer at a time anyway.
  if (isPostgres(conn)) await conn.selectFrom("organisation").select("id").where("id", "=", supplierOrganisationId).forUpdate().execute();
  const rows = await sharedSubmissions(conn)
    .where("sh.buyer_organisation_id", "=", buyerOrganisationId)
    .where("sh.supplier_organisation_id", "=", supplierOrganisationId)
    .orderBy("s.created_at")
    .orderBy("s.id")
    .execute();
  await conn.deleteFrom("statistics_entry").where("buyer_organisation_id", "=", buyerOrganisationId).where("supplier_organisation_id", "=", supplierOrganisationId).execute();
  await insertEntries(conn, entriesFrom(rows));
}

/** Refresh every department an assessment is shared with now (after it is submitted, completed or followed up). */
export async function refreshStatisticsForAssessment(conn: Conn, assessmentId: string): Promise<void> {
  const shares = await conn.selectFrom("assessment_share").select(["buyer_organisation_id", "supplier_organisation_id"]).where("assessment_id", "=", assessmentId).where("revoked_at", "is", null).execute();
  for (const s of shares) await refreshStatistics(conn, s.buyer_organisation_id, s.supplier_organisation_id);
}

/** Rebuild the entries of the given departments (all when none are given) from scratch: after an import or an upgrade. */
export async function rebuildStatistics(conn: Conn, buyerOrganisationIds?: readonly string[]): Promise<number> {
  let query = sharedSubmissions(conn);
  let remove = conn.deleteFrom("statistics_entry");
  if (buyerOrganisationIds) {
    if (buyerOrganisationIds.length === 0) return 0;
    query = query.where("sh.buyer_organisation_id", "in", buyerOrganisationIds);
    remove = remove.where("buyer_organisation_id", "in", buyerOrganisationIds);
  }
  await remove.execute();
  const rows = await query.orderBy("sh.buyer_organisation_id").orderBy("sh.supplier_organisation_id").orderBy("s.created_at").orderBy("s.id").execute();
  let written = 0;
  let batch: Entry[] = [];
  let start = 0;
  for (let i = 1; i <= rows.length; i++) {
    const next = rows[i];
    const current = rows[start]!;
    if (next && next.buyer_organisation_id === current.buyer_organisation_id && next.supplier_organisation_id === current.supplier_organisation_id) continue;
    batch.push(...entriesFrom(rows.slice(start, i)));
    start = i;
    if (batch.length >= 500) {
      await insertEntries(conn, batch);
      written += batch.length;
      batch = [];
    }
  }
  await insertEntries(conn, batch);
  return written + batch.length;
}
