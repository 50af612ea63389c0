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
