/**
 * A buyer's contract register: importing it from CSV or XLSX (all or nothing) and reading it a page
 * at a time, sorted and filtered. Every function is scoped to the acting user's organisation.
 */
import { newId } from "../../db/ids";
import { type Tier, DEFAULT_TIER_THRESHOLDS, type TierThresholds, tierFor } from "../domain/contracts";
import { MAX_REGISTER_BYTES, type RegisterImport, parseRegisterCsv, parseRegisterXlsx } from "../domain/register-import";
import { audit } from "./audit.server";
import type { CurrentUser } from "./auth.server";
import { getDb } from "./db.server";
import { httpError } from "./errors.server";

export const PAGE_SIZE = 50;

function requireBuyer(user: CurrentUser, roles?: string[]) {
  if (user.organisationKind !== "buyer") httpError(403, "Only a buying organisation keeps a contract register.");
  if (roles && !roles.includes(user.role)) httpError(403, "Only an administrator can change the contract register.");
}

export async function tierThresholds(organisationId: string): Promise<TierThresholds & { priorityThreshold: number }> {
  const db = await getDb();
  const row = await db.selectFrom("department_settings").selectAll().where("organisation_id", "=", organisationId).executeTakeFirst();
  if (!row) return { ...DEFAULT_TIER_THRESHOLDS, priorityThreshold: 4 };
  return { goldAbovePence: Number(row.gold_above_pence), bronzeBelowPence: Number(row.bronze_below_pence), priorityThreshold: row.priority_threshold };
}

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
 * added. One transaction: a problem anywhere and nothing changes.
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
      (await trx.selectFrom("contract").select(["id", "reference"]).where("organisation_id", "=", user.organisationId).execute()).map((r) => [r.reference.toLowerCase(), r.id]),
    );
    const inserts = [];
    for (const row of parsed.rows) {
      const values = {
        title: row.title,
        supplier_name: row.supplierName,
        supplier_company_number: row.supplierCompanyNumber,
        supplier_country: row.supplierCountry,
        category: row.category,
        annual_value_pence: row.annualValuePence,
        total_value_pence: row.totalValuePence,
        start_date: row.startDate,
        end_date: row.endDate,
        contract_manager_email: row.contractManagerEmail,
        tier_override: row.tierOverride?.tier ?? null,
        tier_override_reason: row.tierOverride?.reason ?? null,
        updated_at: at,
      };
      const id = existing.get(row.reference.toLowerCase());
      if (id) {
        await trx.updateTable("contract").set(values).where("id", "=", id).execute();
        updated++;
      } else {
        inserts.push({ id: newId(), organisation_id: user.organisationId, reference: row.reference, created_at: at, ...values });
      }
    }
    for (let i = 0; i < inserts.length; i += 500) await trx.insertInto("contract").values(inserts.slice(i, i + 500)).execute();
    added = inserts.length;
    await audit(trx, [{ organisationId: user.organisationId, userId: user.id, entity: "contract_register", entityId: user.organisationId, action: "imported", newValue: JSON.stringify({ added, updated }), at: now }]);
  });
  return { ok: true as const, added, updated };
}

export const SORTS = { reference: "reference", title: "title", supplier: "supplier_name", value: "annual_value_pence", end: "end_date" } as const;
export type ContractQuery = { sort: keyof typeof SORTS; direction: "asc" | "desc"; tier?: Tier; category?: string; manager?: string; search?: string; page: number };

/** One page of the register, with the tier each contract is in under the department's thresholds. */
export async function listContracts(user: CurrentUser, query: ContractQuery) {
  requireBuyer(user);
  const db = await getDb();
  const thresholds = await tierThresholds(user.organisationId);
  let base = db.selectFrom("contract").where("organisation_id", "=", user.organisationId);
  if (query.category) base = base.where("category", "=", query.category);
  if (query.manager) base = base.where("contract_manager_email", "=", query.manager);
  if (query.search) {
    const like = `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    base = base.where((eb) => eb.or([eb("reference", "like", like), eb("title", "like", like), eb("supplier_name", "like", like)]));
  }
  if (query.tier) {
    // The tier follows the override where there is one, else the value against the thresholds.
    const { goldAbovePence: gold, bronzeBelowPence: bronze } = thresholds;
    base = base.where((eb) =>
      eb.or([
        eb("tier_override", "=", query.tier!),
        eb.and([
          eb("tier_override", "is", null),
          query.tier === "gold" ? eb("annual_value_pence", ">", gold) : query.tier === "bronze" ? eb("annual_value_pence", "<", bronze) : eb.and([eb("annual_value_pence", ">=", bronze), eb("annual_value_pence", "<=", gold)]),
        ]),
      ]),
    );
  }
  const [{ count }, rows, categories, managers] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as("count")).executeTakeFirstOrThrow(),
    base
      .selectAll()
      .orderBy(SORTS[query.sort], query.direction)
      .orderBy("reference", "asc")
      .limit(PAGE_SIZE)
      .offset((query.page - 1) * PAGE_SIZE)
      .execute(),
    db.selectFrom("contract").select("category").distinct().where("organisation_id", "=", user.organisationId).orderBy("category").execute(),
    db.selectFrom("contract").select("contract_manager_email").distinct().where("organisation_id", "=", user.organisationId).where("contract_manager_email", "is not", null).orderBy("contract_manager_email").execute(),
  ]);
  return {
    total: Number(count),
    pages: Math.max(1, Math.ceil(Number(count) / PAGE_SIZE)),
    categories: categories.map((c) => c.category),
    managers: managers.map((m) => m.contract_manager_email!),
    contracts: rows.map((r) => {
      const annual = Number(r.annual_value_pence);
      const decision = tierFor(annual, thresholds, r.tier_override ? { tier: r.tier_override, reason: r.tier_override_reason ?? "" } : null);
      return {
        id: r.id,
        reference: r.reference,
        title: r.title,
        supplierName: r.supplier_name,
        supplierCompanyNumber: r.supplier_company_number,
        category: r.category,
        annualValuePence: annual,
        totalValuePence: Number(r.total_value_pence),
        startDate: r.start_date,
        endDate: r.end_date,
        contractManager: r.contract_manager_email,
        tier: decision.tier,
        overridden: r.tier_override !== null,
      };
    }),
  };
}
