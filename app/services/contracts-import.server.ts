/** Importing a buyer's contract register from a CSV or XLSX file: all or nothing. */
import { PostgresAdapter, sql } from "kysely";
import { newId } from "../../db/ids";
import { MAX_REGISTER_BYTES, type RegisterImport, parseRegisterCsv, parseRegisterXlsx } from "../domain/register-import";
import { audit } from "./audit.server";
import type { CurrentUser } from "./auth.server";
import { contractValues, requireBuyer } from "./contract-rows.server";
import { getDb } from "./db.server";
import { linkRegisterToSuppliers } from "./supplier-links.server";

/** Parse an uploaded register by its content: an XLSX workbook is a zip ("PK"), anything else is read as CSV. */
export async function parseRegisterFile(bytes: Buffer): Promise<RegisterImport> {
  if (bytes.length > MAX_REGISTER_BYTES) {
    return { ok: false, problems: [{ row: 0, column: "", message: `The file is larger than ${MAX_REGISTER_BYTES / 1024 / 1024} MB: split the register into smaller files` }] };
  }
  if (bytes.length >= 2 && bytes[0] === 0x50 && bytes[1] === 0x4b) return parseRegisterXlsx(bytes);
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  return parseRegisterCsv(text);
}

/**
 * Import a register: rows whose reference is already in the register update it, the others are
 * added. One transaction: a problem anywhere and nothing changes. Contracts then link to the
 * supplier organisations in Lantern by company number; a contract whose company number changed
 * loses its old link first.
 */
export async function importRegister(user: CurrentUser, bytes: Buffer, now = new Date()) {
  requireBuyer(user, ["admin"]);
  const parsed = await parseRegisterFile(bytes);
  if (!parsed.ok) return parsed;
  const db = await getDb();
  const at = now.toISOString();
  let added = 0;
  let updated = 0;
  await db.transaction().execute(async (trx) => {
    const existing = new Map(
      (await trx.selectFrom("contract").select(["id", "reference", "supplier_company_number"]).where("organisation_id", "=", user.organisationId).execute()).map((r) => [r.reference.toLowerCase(), r]),
    );
    const inserts = [];
    for (const row of parsed.rows) {
      const { reference: _reference, ...values } = contractValues(row);
      const found = existing.get(row.reference.toLowerCase());
      if (found) {
        const relink = found.supplier_company_number !== row.supplierCompanyNumber ? { supplier_organisation_id: null } : {};
        await trx.updateTable("contract").set({ ...values, ...relink, updated_at: at }).where("id", "=", found.id).execute();
        updated++;
      } else {
        inserts.push({ id: newId(), organisation_id: user.organisationId, reference: row.reference, created_at: at, updated_at: at, ...values });
      }
    }
    for (let i = 0; i < inserts.length; i += 500) await trx.insertInto("contract").values(inserts.slice(i, i + 500)).execute();
    added = inserts.length;
    await linkRegisterToSuppliers(trx, user.organisationId);
    await audit(trx, [{ organisationId: user.organisationId, userId: user.id, entity: "contract_register", entityId: user.organisationId, action: "imported", newValue: JSON.stringify({ added, updated }), at: now }]);
  });
  // After a large load, refresh PostgreSQL's statistics now rather than when autovacuum gets to
  // it, so the register's queries are planned for the rows that are there (SQLite has no need).
  if (added + updated >= 1000 && db.getExecutor().adapter instanceof PostgresAdapter) await sql`analyze contract`.execute(db);
  return { ok: true as const, added, updated };
}
