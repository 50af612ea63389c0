import type { Kysely } from "kysely";

// Frozen in time: never edit a migration that has shipped; add a new one.
// Follow-up that sees everything:
// - a contract's status set by hand (live or ended; otherwise it follows the end date);
// - a contract manager's decision on a name match between a contract's supplier and a supplier
//   organisation, taken once per pair (accepting links the contract to the organisation);
// - notifications: one row per event per person (the unique key makes a second instance's copy a
//   no-op), gathered into one email, and the kinds each person turned off;
// - statistics entries remember whether the assessment called for follow-up when submitted.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("contract").addColumn("status_override", "text").execute();
  await db.schema.alterTable("contract").addColumn("status_override_reason", "text").execute();
  await db.schema.createIndex("contract_organisation_end").on("contract").columns(["organisation_id", "end_date"]).execute();
  await db.schema.createIndex("contract_supplier_organisation").on("contract").columns(["supplier_organisation_id"]).execute();

  await db.schema
    .createTable("supplier_match_decision")
    .addColumn("contract_id", "text", (c) => c.notNull().references("contract.id"))
    .addColumn("supplier_organisation_id", "text", (c) => c.notNull().references("organisation.id"))
    .addColumn("decision", "text", (c) => c.notNull())
    .addColumn("decided_by", "text", (c) => c.notNull().references("user.id"))
    .addColumn("decided_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("supplier_match_decision_pk", ["contract_id", "supplier_organisation_id"])
    .execute();

  await db.schema
    .createTable("notification")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id"))
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisation.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("event_key", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("outbox_id", "text")
    .addColumn("sent_at", "text")
    .addUniqueConstraint("notification_user_event", ["user_id", "event_key"])
    .execute();
  await db.schema.createIndex("notification_pending").on("notification").columns(["sent_at", "user_id", "created_at"]).execute();

  await db.schema
    .createTable("notification_optout")
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("notification_optout_pk", ["user_id", "kind"])
    .execute();

  await db.schema.alterTable("statistics_entry").addColumn("called_for_follow_up", "integer", (c) => c.notNull().defaultTo(0)).execute();
  // Fill it for the entries kept so far: a red flag, or the band with the lowest minimum score of the
  // questionnaire answered (the highest-risk band). Read in pages, so a large history fits in memory.
  const bandsOf = new Map<string, string>();
  let after = "";
  for (;;) {
    const rows: Array<{ submission_id: string; result: string; questionnaire: string }> = await db
      .selectFrom("statistics_entry as e")
      .innerJoin("submission as s", "s.id", "e.submission_id")
      .select(["e.submission_id", "s.result", "s.questionnaire"])
      .where("e.submission_id", ">", after)
      .orderBy("e.submission_id")
      .limit(500)
      .execute();
    if (rows.length === 0) break;
    const called: string[] = [];
    for (const r of rows) {
      if (!bandsOf.has(r.questionnaire)) {
        const snap = await db.selectFrom("questionnaire_snapshot").select("body").where("hash", "=", r.questionnaire).executeTakeFirst();
        const bands = snap ? (JSON.parse(snap.body).bands as Array<{ id: string; min: number }>) : [];
        bandsOf.set(r.questionnaire, [...bands].sort((a, b) => a.min - b.min)[0]?.id ?? "");
      }
      const result = JSON.parse(r.result) as { redFlags?: unknown[]; band?: { id: string } };
      if ((result.redFlags?.length ?? 0) > 0 || result.band?.id === bandsOf.get(r.questionnaire)) called.push(r.submission_id);
    }
    if (called.length > 0) await db.updateTable("statistics_entry").set({ called_for_follow_up: 1 }).where("submission_id", "in", called).execute();
    after = rows[rows.length - 1]!.submission_id;
  }
  await db.schema.createIndex("conversation_action_status").on("conversation_action").columns(["organisation_id", "due_on"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("conversation_action_status").execute();
  await db.schema.alterTable("statistics_entry").dropColumn("called_for_follow_up").execute();
  await db.schema.dropTable("notification_optout").execute();
  await db.schema.dropIndex("notification_pending").execute();
  await db.schema.dropTable("notification").execute();
  await db.schema.dropTable("supplier_match_decision").execute();
  await db.schema.dropIndex("contract_supplier_organisation").execute();
  await db.schema.dropIndex("contract_organisation_end").execute();
  await db.schema.alterTable("contract").dropColumn("status_override_reason").execute();
  await db.schema.alterTable("contract").dropColumn("status_override").execute();
}
