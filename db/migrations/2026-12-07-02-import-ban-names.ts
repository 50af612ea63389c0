import type { Kysely } from "kysely";

// Frozen in time: never edit a migration that has shipped; add a new one.
// An import-ban row gains its names in Chinese script (JSON array) and whether its order covers the
// entity's subordinates or subsidiaries (1 or 0; null when the row does not say and the listed name is
// read instead). Rows imported before keep null in both and screen as they did.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("import_ban").addColumn("name_zh", "text").execute();
  await db.schema.alterTable("import_ban").addColumn("covers_group", "integer").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("import_ban").dropColumn("covers_group").execute();
  await db.schema.alterTable("import_ban").dropColumn("name_zh").execute();
}
