import type { Kysely } from "kysely";

// Frozen in time: never edit a migration that has shipped; add a new one.
// The follow-up conversation a buyer holds with a supplier about a shared assessment: who took part,
// how far each answer was verified, the actions agreed, and each side's updates on those actions.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("conversation")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("assessment_id", "text", (c) => c.notNull().references("assessment.id"))
    .addColumn("submission_id", "text", (c) => c.notNull().references("submission.id"))
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisation.id"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("held_on", "text")
    .addColumn("buyer_attendees", "text", (c) => c.notNull())
    .addColumn("supplier_attendees", "text", (c) => c.notNull())
    .addColumn("notes", "text", (c) => c.notNull())
    .addColumn("recommendations_discussed", "text", (c) => c.notNull())
    .addColumn("next_review_on", "text")
    .addColumn("created_by", "text", (c) => c.notNull().references("user.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text")
    .execute();
  await db.schema.createIndex("conversation_organisation_assessment").on("conversation").columns(["organisation_id", "assessment_id", "status"]).execute();

  await db.schema
    .createTable("answer_verification")
    .addColumn("conversation_id", "text", (c) => c.notNull().references("conversation.id"))
    .addColumn("question_id", "text", (c) => c.notNull())
    .addColumn("level", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addPrimaryKeyConstraint("answer_verification_pk", ["conversation_id", "question_id"])
    .execute();

  await db.schema
    .createTable("conversation_action")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("conversation_id", "text", (c) => c.notNull().references("conversation.id"))
    .addColumn("assessment_id", "text", (c) => c.notNull().references("assessment.id"))
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisation.id"))
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("owner_side", "text", (c) => c.notNull())
    .addColumn("owner_name", "text", (c) => c.notNull())
    .addColumn("due_on", "text", (c) => c.notNull())
    .addColumn("recommendation_id", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("cancel_reason", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("conversation_action_conversation").on("conversation_action").columns(["conversation_id"]).execute();
  await db.schema.createIndex("conversation_action_organisation_due").on("conversation_action").columns(["organisation_id", "status", "due_on"]).execute();
  await db.schema.createIndex("conversation_action_assessment").on("conversation_action").columns(["assessment_id"]).execute();

  await db.schema
    .createTable("action_update")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("action_id", "text", (c) => c.notNull().references("conversation_action.id"))
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisation.id"))
    .addColumn("user_id", "text", (c) => c.notNull().references("user.id"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("action_update_action").on("action_update").columns(["action_id", "created_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("action_update").execute();
  await db.schema.dropTable("conversation_action").execute();
  await db.schema.dropTable("answer_verification").execute();
  await db.schema.dropTable("conversation").execute();
}
