/** An administrator adds a contract to the register or changes one, every change audited. */
import { newId } from "../../db/ids";
import { CONTRACT_FIELDS, type ContractErrors, type ContractFields, type ContractInput, checkContract } from "../domain/contracts";
import { type DateParts, parseDateParts } from "../domain/dates";
import { audit } from "./audit.server";
import type { CurrentUser } from "./auth.server";
import { contractValues, fieldsOf, ownContract, requireBuyer } from "./contract-rows.server";
import { isCountryCode } from "./countries.server";
import { getDb } from "./db.server";
import { dateField, field } from "./forms.server";
import { linkRegisterToSuppliers } from "./supplier-links.server";

/** The contract's dates as the form's GOV.UK date inputs posted them. */
export type ContractDates = Record<"start_date" | "end_date", DateParts>;

const DATE_LABELS = { start_date: "Start date", end_date: "End date" } as const;

/**
 * The add and edit form as posted: every field by its register column, the start and end dates from
 * GOV.UK date inputs. A date that reads is passed on as an ISO date; one that does not is passed on
 * as typed (so the check refuses it) with GOV.UK's message for it in `dateErrors`, which callers put
 * over the check's own.
 */
export function readContractForm(form: FormData): { values: ContractInput; dates: ContractDates; dateErrors: ContractErrors } {
  const values = Object.fromEntries(CONTRACT_FIELDS.map((name) => [name, field(form, name)])) as ContractInput;
  const dates = {} as ContractDates;
  const dateErrors: ContractErrors = {};
  for (const name of ["start_date", "end_date"] as const) {
    const parts = dateField(form, name);
    dates[name] = parts;
    const parsed = parseDateParts(parts, DATE_LABELS[name], { required: `Enter the ${DATE_LABELS[name].toLowerCase()}` });
    if (parsed.ok) values[name] = parsed.value ?? "";
    else {
      values[name] = `${parts.day}/${parts.month}/${parts.year}`;
      dateErrors[name] = parsed.error;
    }
  }
  return { values, dates, dateErrors };
}

/** A contract's fields as the edit form shows them (administrators only). */
export async function contractForEditing(user: CurrentUser, contractId: string): Promise<{ id: string; reference: string; fields: ContractFields }> {
  requireBuyer(user, ["admin"]);
  const row = await ownContract(user, contractId);
  return { id: row.id, reference: row.reference, fields: fieldsOf(row) };
}

export type SaveContractOutcome = { ok: true; id: string; changed: number } | { ok: false; errors: ContractErrors };

const isUniqueViolation = (error: unknown) => {
  const code = (error as { code?: string } | null)?.code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE";
};

/**
 * Add a contract (contractId null) or change one, checked by the import's rules; the reference must
 * be unique in the register whatever its case. Every changed field is audited with its old and new
 * value. Afterwards the register links to supplier organisations by company number again.
 */
export async function saveContract(user: CurrentUser, contractId: string | null, input: ContractInput, now = new Date()): Promise<SaveContractOutcome> {
  requireBuyer(user, ["admin"]);
  const existing = contractId === null ? null : await ownContract(user, contractId);
  const checked = checkContract(input, { isCountryCode });
  if (!checked.ok) return checked;
  const values = contractValues(checked.value);
  const db = await getDb();
  const at = now.toISOString();
  const duplicate = () => ({ ok: false as const, errors: { reference: `The reference '${values.reference}' is already used by another contract in your register: give this contract its own reference` } });
  try {
    return await db.transaction().execute(async (trx) => {
      let clash = trx
        .selectFrom("contract")
        .select("id")
        .where("organisation_id", "=", user.organisationId)
        .where((eb) => eb(eb.fn("lower", ["reference"]), "=", values.reference.toLowerCase()));
      if (existing) clash = clash.where("id", "!=", existing.id);
      if (await clash.executeTakeFirst()) return duplicate();
      const base = { organisationId: user.organisationId, userId: user.id, entity: "contract", at: now };
      if (!existing) {
        const id = newId();
        await trx.insertInto("contract").values({ id, organisation_id: user.organisationId, created_at: at, updated_at: at, ...values }).execute();
        await audit(trx, [{ ...base, entityId: id, action: "created", newValue: JSON.stringify(values) }]);
        await linkRegisterToSuppliers(trx, user.organisationId);
        return { ok: true as const, id, changed: Object.keys(values).length };
      }
      const before: Record<string, unknown> = { ...existing, annual_value_pence: Number(existing.annual_value_pence), total_value_pence: Number(existing.total_value_pence) };
      const changes = (Object.keys(values) as Array<keyof typeof values>).filter((k) => (before[k] ?? null) !== (values[k] ?? null));
      if (changes.length === 0) return { ok: true as const, id: existing.id, changed: 0 };
      const relink = changes.includes("supplier_company_number") ? { supplier_organisation_id: null } : {};
      await trx
        .updateTable("contract")
        .set({ ...values, ...relink, updated_at: at })
        .where("id", "=", existing.id)
        .execute();
      const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
      await audit(
        trx,
        changes.map((k) => ({ ...base, entityId: existing.id, action: "updated", field: k, oldValue: text(before[k]), newValue: text(values[k]) })),
      );
      await linkRegisterToSuppliers(trx, user.organisationId);
      return { ok: true as const, id: existing.id, changed: changes.length };
    });
  } catch (error) {
    // Two administrators adding the same reference at once: the database's constraint decides.
    if (isUniqueViolation(error)) return duplicate();
    throw error;
  }
}
