import type { Kysely } from "kysely";

// Frozen in time: never edit a migration that has shipped; add a new one.
// A buyer's contract register, and the department's settings for tiers and priority.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("contract")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("organisation_id", "text", (c) => c.notNull().references("organisation.id"))
    .addColumn("reference", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("supplier_name", "text", (c) => c.notNull())
    .addColumn("supplier_company_number", "text")
    .addColumn("supplier_country", "text", (c) => c.notNull())
    .addColumn("supplier_organisation_id", "text", (c) => c.references("organisation.id"))
    .addColumn("category", "text", (c) => c.notNull())
    .addColumn("annual_value_pence", "bigint", (c) => c.notNull())
    .addColumn("total_value_pence", "bigint", (c) => c.notNull())
    .addColumn("start_date", "text", (c) => c.notNull())
    .addColumn("end_date", "text", (c) => c.notNull())
    .addColumn("contract_manager_email", "text")
    .addColumn("tier_override", "text")
    .addColumn("tier_override_reason", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("contract_reference", ["organisation_id", "reference"])
    .execute();
  await db.schema.createIndex("contract_organisation_value").on("contract").columns(["organisation_id", "annual_value_pence"]).execute();
  await db.schema.createIndex("contract_organisation_category").on("contract").columns(["organisation_id", "category"]).execute();

  await db.schema
    .createTable("department_settings")
    .addColumn("organisation_id", "text", (c) => c.primaryKey().references("organisation.id"))
    .addColumn("gold_above_pence", "bigint", (c) => c.notNull())
    .addColumn("bronze_below_pence", "bigint", (c) => c.notNull())
    .addColumn("priority_threshold", "integer", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("department_settings").execute();
  await db.schema.dropTable("contract").execute();
}
