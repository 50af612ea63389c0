import { createHash } from "node:crypto";
import { type Kysely, sql } from "kysely";

// Frozen in time: never edit a migration that has shipped; add a new one.
// Statement statistics and the exchange format:
// - a submission's exact questionnaire is kept once per distinct text (questionnaire_snapshot) and the
//   submission names it by hash, so 100,000 imported submissions do not hold 100,000 copies;
// - each submission keeps its KPI outcomes and overall score beside the answers (filled after
//   migrating: see db/submissions.ts), and who counts in each department's statistics is kept in
//   statistics_entry, so a department's figures are sums in SQL rather than a pass over every submission;
// - where a submission came from (the app, or an import file);
// - system users, who own imported records and can never sign in;
// - a department's goals for its programme KPIs.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("questionnaire_snapshot")
    .addColumn("hash", "text", (c) => c.primaryKey())
    .addColumn("questionnaire_id", "text", (c) => c.notNull())
    .addColumn("questionnaire_version", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  // Existing submissions: move each distinct questionnaire text into a snapshot, keep its hash.
  const known = new Set<string>();
  for (;;) {
    const rows = await db
      .selectFrom("submission")
      .select(["id", "questionnaire_id", "questionnaire_version", "questionnaire", "created_at"])
      .where("questionnaire", "not like", "sha256:%")
      .limit(100)
      .execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      const hash = `sha256:${createHash("sha256").update(r.questionnaire).digest("hex")}`;
      if (!known.has(hash)) {
        known.add(hash);
        await db
          .insertInto("questionnaire_snapshot")
          .values({ hash, questionnaire_id: r.questionnaire_id, questionnaire_version: r.questionnaire_version, body: r.questionnaire, created_at: r.created_at })
          .onConflict((oc) => oc.column("hash").doNothing())
          .execute();
      }
      await db.updateTable("submission").set({ questionnaire: hash }).where("id", "=", r.id).execute();
    }
  }

  // JSON object of KPI id to 0 (not in the denominator), 1 (denominator only) or 2 (numerator too);
  // a KPI the submission's version lacks is absent. Null until filled.
  await db.schema.alterTable("submission").addColumn("kpis", "text").execute();
  // The same outcomes as two bit masks over the version's KPIs in file order (bit i: its i-th KPI),
  // so a department's tallies are sums of bits in SQL rather than JSON read row by row.
  await db.schema.alterTable("submission").addColumn("kpi_numerator", "bigint").execute();
  await db.schema.alterTable("submission").addColumn("kpi_denominator", "bigint").execute();
  await db.schema.alterTable("submission").addColumn("overall", "real").execute();
  await db.schema.alterTable("submission").addColumn("source", "text", (c) => c.notNull().defaultTo("app")).execute();
  // Submissions whose figures are still to be worked out (after this upgrade): a partial index, empty once filled.
  await db.schema.createIndex("submission_unfilled").on("submission").column("id").where(sql.ref("kpis"), "is", null).execute();
  await db.schema.createIndex("submission_assessment_created").on("submission").columns(["assessment_id", "created_at"]).execute();
  await db.schema.createIndex("assessment_share_buyer_assessment").on("assessment_share").columns(["buyer_organisation_id", "assessment_id", "revoked_at"]).execute();

  // Who counts in a department's statistics, kept up to date whenever a submission is made or a
  // share starts or stops (db/statistics.ts): per department, financial year and supplier, the
  // supplier's latest submission in that year among those shared with the department now, with the
  // overall score of its previous shared submission.
  await db.schema
    .createTable("statistics_entry")
    .addColumn("buyer_organisation_id", "text", (c) => c.notNull().references("organisation.id"))
    .addColumn("period", "text", (c) => c.notNull())
    .addColumn("supplier_organisation_id", "text", (c) => c.notNull().references("organisation.id"))
    .addColumn("submission_id", "text", (c) => c.notNull().references("submission.id"))
    .addColumn("assessment_id", "text", (c) => c.notNull().references("assessment.id"))
    .addColumn("questionnaire", "text", (c) => c.notNull())
    .addColumn("kpi_numerator", "bigint", (c) => c.notNull())
    .addColumn("kpi_denominator", "bigint", (c) => c.notNull())
    .addColumn("overall", "real")
    .addColumn("previous_overall", "real")
    // 1 when the assessment is completed (every recommendation answered), and 1 when the department
    // has held a finished follow-up conversation about it.
    .addColumn("completed", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("followed_up", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("statistics_entry_pk", ["buyer_organisation_id", "period", "supplier_organisation_id"])
    .execute();

  await db.schema.createIndex("statistics_entry_assessment").on("statistics_entry").column("assessment_id").execute();

  await db.schema.alterTable("user").addColumn("system", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("department_settings").addColumn("kpi_goals", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("department_settings").dropColumn("kpi_goals").execute();
  await db.schema.alterTable("user").dropColumn("system").execute();
  await db.schema.dropIndex("assessment_share_buyer_assessment").execute();
  await db.schema.dropIndex("submission_assessment_created").execute();
  await db.schema.dropIndex("submission_unfilled").execute();
  await db.schema.alterTable("submission").dropColumn("source").execute();
  await db.schema.dropTable("statistics_entry").execute();
  await db.schema.alterTable("submission").dropColumn("overall").execute();
  await db.schema.alterTable("submission").dropColumn("kpi_denominator").execute();
  await db.schema.alterTable("submission").dropColumn("kpi_numerator").execute();
  await db.schema.alterTable("submission").dropColumn("kpis").execute();
  const rows = await db.selectFrom("questionnaire_snapshot").select(["hash", "body"]).execute();
  for (const r of rows) await db.updateTable("submission").set({ questionnaire: r.body }).where("questionnaire", "=", r.hash).execute();
  await db.schema.dropTable("questionnaire_snapshot").execute();
}
