/**
 * An administrator adds a contract to the register or changes one; an administrator or a contract
 * manager sets its status by hand or lets it follow the end date again. Every change audited.
 */
import { newId } from "../../db/ids";
import type { BuyerRole } from "../../db/schema";
import { CONTRACT_FIELDS, type ContractErrors, type ContractFields, type ContractInput, type StatusCheck, checkContract, checkStatusChoice } from "../domain/contracts";
import { ukDateOf } from "../domain/programme";
import { type DateParts, parseDateParts } from "../domain/dates";
import { audit } from "./audit.server";
import type { CurrentUser } from "./auth.server";
import { contractValues, fieldsOf, ownContract, requireBuyer, statusOf } from "./contract-rows.server";
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

// ---- a contract's status, set by hand --------------------------------------------------------

/** Who may set a contract's status: its status is a contract manager's call, as its risk is. */
export const STATUS_ROLES: BuyerRole[] = ["admin", "contract_manager"];
const STATUS_REFUSAL = "Only an administrator or a contract manager can set a contract's status.";

/** The status form: the contract, its status today, what its end date alone gives, and any override with its reason. */
export async function contractStatusForEditing(user: CurrentUser, contractId: string, now = new Date()) {
  requireBuyer(user, STATUS_ROLES, STATUS_REFUSAL);
  const row = await ownContract(user, contractId);
  const decision = statusOf(row, ukDateOf(now));
  return {
    id: row.id,
    reference: row.reference,
    title: row.title,
    endDate: row.end_date,
    status: decision.status,
    byDate: decision.byDate,
    choice: row.status_override ?? "follow",
    reason: row.status_override_reason ?? "",
  };
}

export type SetStatusOutcome = { ok: true; changed: number } | Extract<StatusCheck, { ok: false }>;

/**
 * Set a contract's status by hand ("live" or "ended", with a reason) or let it follow the end date
 * again ("follow", which clears the reason). Each changed column is audited with its old and new
 * value; a refused choice changes nothing.
 */
export async function setContractStatus(user: CurrentUser, contractId: string, choice: string, reason: string, now = new Date()): Promise<SetStatusOutcome> {
  requireBuyer(user, STATUS_ROLES, STATUS_REFUSAL);
  const existing = await ownContract(user, contractId);
  const checked = checkStatusChoice(choice, reason);
  if (!checked.ok) return checked;
  const values = { status_override: checked.value?.status ?? null, status_override_reason: checked.value?.reason ?? null };
  const changes = (Object.keys(values) as Array<keyof typeof values>).filter((k) => existing[k] !== values[k]);
  if (changes.length === 0) return { ok: true, changed: 0 };
  const db = await getDb();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("contract").set({ ...values, updated_at: now.toISOString() }).where("id", "=", existing.id).where("organisation_id", "=", user.organisationId).execute();
    await audit(
      trx,
      changes.map((k) => ({ organisationId: user.organisationId, userId: user.id, entity: "contract", entityId: existing.id, action: "updated", field: k, oldValue: existing[k], newValue: values[k], at: now })),
    );
  });
  return { ok: true, changed: changes.length };
}
