import { type Kysely, sql } from "kysely";

// Frozen in time: never edit a migration that has shipped; add a new one.
// Organisations as the real world names them: a stable slug for every organisation, and for a
// supplier its Companies House number (optional for overseas suppliers) and country, so the same
// company is never created twice.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("organisation").addColumn("slug", "text").execute();
  await db.schema.alterTable("organisation").addColumn("company_number", "text").execute();
  await db.schema.alterTable("organisation").addColumn("country", "text").execute();
  // Existing organisations get a slug from their name (made unique with a number where needed).
  const rows = await db.selectFrom("organisation").select(["id", "name"]).orderBy("created_at").execute();
  const taken = new Set<string>();
  for (const row of rows as Array<{ id: string; name: string }>) {
    const base =
      row.name
        .normalize("NFKD")
        .replace(/[\u0300-\u036f]/g, "")
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "")
        .slice(0, 60) || "organisation";
    let slug = base;
    for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
    taken.add(slug);
    await db.updateTable("organisation").set({ slug }).where("id", "=", row.id).execute();
  }
  await db.schema.createIndex("organisation_slug").unique().on("organisation").column("slug").execute();
  // Unique where present: several overseas suppliers may have none.
  await db.schema.createIndex("organisation_company_number").unique().on("organisation").column("company_number").where(sql.ref("company_number"), "is not", null).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("organisation_company_number").execute();
  await db.schema.dropIndex("organisation_slug").execute();
  await db.schema.alterTable("organisation").dropColumn("country").execute();
  await db.schema.alterTable("organisation").dropColumn("company_number").execute();
  await db.schema.alterTable("organisation").dropColumn("slug").execute();
}
