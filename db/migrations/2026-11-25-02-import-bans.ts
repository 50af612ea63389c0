import type { Kysely } from "kysely";

// Frozen in time: never edit a migration that has shipped; add a new one.
// The import-ban list lives in the database so operators can replace it without a deploy; a
// supplier's decision on each potential match of a named sub-supplier is kept per assessment.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("import_ban")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("effective_date", "text", (c) => c.notNull())
    .addColumn("country", "text")
    .addColumn("region", "text")
    .addColumn("entity", "text")
    .addColumn("aliases", "text", (c) => c.notNull())
    .addColumn("products", "text", (c) => c.notNull())
    .addColumn("applies_to", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("status_changed", "text")
    .addColumn("note", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("screening_decision")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("assessment_id", "text", (c) => c.notNull().references("assessment.id").onDelete("cascade"))
    .addColumn("entity_key", "text", (c) => c.notNull())
    .addColumn("ban_id", "text", (c) => c.notNull())
    .addColumn("decision", "text", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("decided_by", "text", (c) => c.notNull().references("user.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("screening_decision_once", ["assessment_id", "entity_key", "ban_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("screening_decision").execute();
  await db.schema.dropTable("import_ban").execute();
}
