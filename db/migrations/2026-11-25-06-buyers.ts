import type { Kysely } from "kysely";

// Frozen in time: never edit a migration that has shipped; add a new one.
// The buyer side: risk prioritisation of contracts, inviting suppliers, sharing assessments with
// buyers and the buyers' notes on them, reminders, and which organisation an email was sent for.
export async function up(db: Kysely<any>): Promise<void> {
  // A contract's risk prioritisation: the indicator records (JSON), how many are present, who and when.
  await db.schema.alterTable("contract").addColumn("risk_indicators", "text").execute();
  await db.schema.alterTable("contract").addColumn("risk_count", "integer").execute();
  await db.schema.alterTable("contract").addColumn("risk_assessed_by", "text").execute();
  await db.schema.alterTable("contract").addColumn("risk_assessed_at", "text").execute();
  await db.schema.createIndex("contract_organisation_risk").on("contract").columns(["organisation_id", "risk_count"]).execute();
  await db.schema.createIndex("contract_supplier_company").on("contract").columns(["supplier_company_number"]).execute();

  await db.schema
    .createTable("supplier_invitation")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisation.id"))
    .addColumn("contract_id", "text", (c) => c.notNull().references("contract.id"))
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("contact_name", "text")
    .addColumn("code_hash", "text", (c) => c.notNull().unique())
    .addColumn("invited_by", "text", (c) => c.notNull().references("user.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("supplier_organisation_id", "text", (c) => c.references("organisation.id"))
    .addColumn("accepted_by", "text", (c) => c.references("user.id"))
    .addColumn("accepted_at", "text")
    .addColumn("assessment_id", "text", (c) => c.references("assessment.id"))
    .addColumn("linked_at", "text")
    .addColumn("cancelled_at", "text")
    .addColumn("cancelled_by", "text", (c) => c.references("user.id"))
    .addColumn("cancel_reason", "text")
    .execute();
  await db.schema.createIndex("supplier_invitation_organisation").on("supplier_invitation").columns(["organisation_id", "created_at"]).execute();
  await db.schema.createIndex("supplier_invitation_contract").on("supplier_invitation").columns(["contract_id"]).execute();
  await db.schema.createIndex("supplier_invitation_assessment").on("supplier_invitation").columns(["assessment_id"]).execute();

  await db.schema
    .createTable("assessment_share")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("assessment_id", "text", (c) => c.notNull().references("assessment.id"))
    .addColumn("supplier_organisation_id", "text", (c) => c.notNull().references("organisation.id"))
    .addColumn("buyer_organisation_id", "text", (c) => c.notNull().references("organisation.id"))
    .addColumn("shared_by", "text", (c) => c.notNull().references("user.id"))
    .addColumn("shared_at", "text", (c) => c.notNull())
    .addColumn("invitation_id", "text", (c) => c.references("supplier_invitation.id"))
    .addColumn("revoked_at", "text")
    .addColumn("revoked_by", "text", (c) => c.references("user.id"))
    .addUniqueConstraint("assessment_share_once", ["assessment_id", "buyer_organisation_id"])
    .execute();
  await db.schema.createIndex("assessment_share_buyer").on("assessment_share").columns(["buyer_organisation_id", "revoked_at"]).execute();

  await db.schema
    .createTable("assessment_note")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("assessment_id", "text", (c) => c.notNull().references("assessment.id"))
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisation.id"))
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id"))
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("assessment_note_assessment").on("assessment_note").columns(["assessment_id", "created_at"]).execute();

  // One row per thing reminded about (e.g. "invitation:ID"): a reminder is claimed by moving
  // last_sent_at forward in one conditional update, so two machines never both send it.
  await db.schema
    .createTable("reminder")
    .addColumn("subject", "text", (c) => c.primaryKey())
    .addColumn("last_sent_at", "text", (c) => c.notNull())
    .addColumn("count", "integer", (c) => c.notNull())
    .execute();

  await db.schema.alterTable("email_outbox").addColumn("organisation_id", "text").execute();
  await db.schema.createIndex("email_outbox_organisation").on("email_outbox").columns(["organisation_id", "created_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("email_outbox_organisation").execute();
  await db.schema.alterTable("email_outbox").dropColumn("organisation_id").execute();
  await db.schema.dropTable("reminder").execute();
  await db.schema.dropTable("assessment_note").execute();
  await db.schema.dropTable("assessment_share").execute();
  await db.schema.dropTable("supplier_invitation").execute();
  await db.schema.dropIndex("contract_supplier_company").execute();
  await db.schema.dropIndex("contract_organisation_risk").execute();
  for (const column of ["risk_assessed_at", "risk_assessed_by", "risk_count", "risk_indicators"]) await db.schema.alterTable("contract").dropColumn(column).execute();
}
