/**
 * Contracts name their supplier by Companies House number; once a supplier organisation with that
 * number exists in Lantern, the contracts link to it.
 */
import type { Transaction } from "kysely";
import type { Database } from "../../db/schema";
import type { Db } from "../../db/index";

/** Link every contract naming this company number to the supplier organisation (any buyer's register). */
export async function linkContractsToSupplier(db: Db | Transaction<Database>, supplier: { id: string; companyNumber: string | null }): Promise<number> {
  if (!supplier.companyNumber) return 0;
  const result = await db
    .updateTable("contract")
    .set({ supplier_organisation_id: supplier.id })
    .where("supplier_company_number", "=", supplier.companyNumber)
    .where("supplier_organisation_id", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Link a buyer's contracts to the supplier organisations already in Lantern with their company numbers. */
export async function linkRegisterToSuppliers(db: Db | Transaction<Database>, buyerOrganisationId: string): Promise<void> {
  const suppliers = await db
    .selectFrom("organisation")
    .innerJoin("contract", "contract.supplier_company_number", "organisation.company_number")
    .select(["organisation.id", "organisation.company_number"])
    .distinct()
    .where("contract.organisation_id", "=", buyerOrganisationId)
    .where("contract.supplier_organisation_id", "is", null)
    .where("organisation.kind", "=", "supplier")
    .execute();
  for (const s of suppliers) {
    await db
      .updateTable("contract")
      .set({ supplier_organisation_id: s.id })
      .where("organisation_id", "=", buyerOrganisationId)
      .where("supplier_company_number", "=", s.company_number)
      .where("supplier_organisation_id", "is", null)
      .execute();
  }
}

/**
 * The one link between a register and Lantern's suppliers: a contract is linked to a supplier
 * organisation when `contract.supplier_organisation_id` names it. That is set when the contract's
 * company number is the organisation's, when the supplier joins through an invitation for the
 * contract, or when a contract manager accepts a name match. A shared assessment is linked to
 * every contract of the department whose supplier is the assessment's organisation.
 */
export async function contractsOfSupplier(db: Db | Transaction<Database>, buyerOrganisationId: string, supplierOrganisationIds: readonly string[]) {
  if (supplierOrganisationIds.length === 0) return [];
  return db
    .selectFrom("contract")
    .select([
      "id",
      "reference",
      "title",
      "supplier_organisation_id",
      "annual_value_pence",
      "tier_override",
      "tier_override_reason",
      "end_date",
      "status_override",
      "contract_manager_email",
      "risk_count",
      "risk_assessed_at",
    ])
    .where("organisation_id", "=", buyerOrganisationId)
    .where("supplier_organisation_id", "in", [...new Set(supplierOrganisationIds)])
    .orderBy("reference")
    .execute();
}
