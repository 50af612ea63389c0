import type { Kysely } from "kysely";

// Frozen in time: never edit a migration that has shipped; add a new one.
// A list answer (named suppliers) whose rows miss a required field keeps every row typed, as JSON,
// beside the answer made of its complete rows, until the rows are completed or removed.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("answer").addColumn("draft", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("answer").dropColumn("draft").execute();
}
