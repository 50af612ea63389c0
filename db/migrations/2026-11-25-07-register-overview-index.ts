import type { Kysely } from "kysely";

// Frozen in time: never edit a migration that has shipped; add a new one.
// The register's overview (coverage, priority, over £1m not assessed, per contract manager) reads
// these columns of every contract of a department: from this index alone, not the table. A
// category filter sorted by value reads its page in index order.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex("contract_register_overview")
    .on("contract")
    .columns(["organisation_id", "contract_manager_email", "risk_assessed_at", "risk_count", "annual_value_pence"])
    .execute();
  // A category filter sorted by value (the register's default order) reads its page in index order.
  await db.schema.createIndex("contract_category_value").on("contract").columns(["organisation_id", "category", "annual_value_pence"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("contract_category_value").execute();
  await db.schema.dropIndex("contract_register_overview").execute();
}
