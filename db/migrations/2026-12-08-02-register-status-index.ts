import type { Kysely } from "kysely";

// Frozen in time: never edit a migration that has shipped; add a new one.
// The register's overview and the buyer's overview count live contracts only, so they read each
// contract's status override and end date too: the overview's covering index gains both columns
// (and replaces the old one, whose columns it starts with), so those reads stay in the index.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex("contract_register_status")
    .on("contract")
    .columns(["organisation_id", "contract_manager_email", "risk_assessed_at", "risk_count", "annual_value_pence", "status_override", "end_date"])
    .execute();
  await db.schema.dropIndex("contract_register_overview").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex("contract_register_overview")
    .on("contract")
    .columns(["organisation_id", "contract_manager_email", "risk_assessed_at", "risk_count", "annual_value_pence"])
    .execute();
  await db.schema.dropIndex("contract_register_status").execute();
}
