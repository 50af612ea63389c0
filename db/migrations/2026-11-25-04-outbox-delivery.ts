import type { Kysely } from "kysely";

// Frozen in time: never edit a migration that has shipped; add a new one.
// Delivery state of each outbox message: sent, or how many attempts failed and when to try again.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("email_outbox").addColumn("sent_at", "text").execute();
  await db.schema.alterTable("email_outbox").addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("email_outbox").addColumn("next_attempt_at", "text").execute();
  await db.schema.alterTable("email_outbox").addColumn("last_error", "text").execute();
  await db.schema.createIndex("email_outbox_due").on("email_outbox").columns(["sent_at", "next_attempt_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("email_outbox_due").execute();
  for (const column of ["last_error", "next_attempt_at", "attempts", "sent_at"]) await db.schema.alterTable("email_outbox").dropColumn(column).execute();
}
