import type { Kysely } from "kysely";

// Frozen in time: never edit a migration that has shipped; add a new one.
// Failure counts live in the database so every app instance sees the same limits.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("throttle")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("failures", "integer", (c) => c.notNull())
    .addColumn("last_failure_at", "text", (c) => c.notNull())
    .addColumn("locked_until", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("throttle_last_failure").on("throttle").column("last_failure_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("throttle").execute();
}
