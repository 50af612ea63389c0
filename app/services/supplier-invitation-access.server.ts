/** Who may reach a supplier invitation, and the buyer's contract an invitation is sent for. */
import { PostgresAdapter } from "kysely";
import type { Db } from "../../db/index";
import { isId } from "../domain/text";
import type { CurrentUser } from "./auth.server";
import { httpError } from "./errors.server";

export const MISSING_CONTRACT = "There is no contract at this address in your organisation's register.";
export const MISSING_INVITATION = "There is no invitation at this address.";

export function requireInvitingBuyer(user: CurrentUser, manage: boolean) {
  if (user.organisationKind !== "buyer") httpError(403, "Only a buying organisation invites suppliers.");
  if (manage && user.role !== "admin" && user.role !== "contract_manager") httpError(403, "Only an administrator or a contract manager can invite suppliers and change invitations.");
}

export function requireSupplier(user: CurrentUser) {
  if (user.organisationKind !== "supplier") httpError(403, "A buyer's account cannot answer invitations: invitations are answered by the supplier's own Lantern account.");
}

const isPostgres = (db: Db) => db.getExecutor().adapter instanceof PostgresAdapter;

/** The buyer's own contract to invite its supplier for, or a 404; locked for update on PostgreSQL when asked. */
export async function ownContractToInvite(db: Db, user: CurrentUser, contractId: string, lock = false) {
  if (!isId(contractId)) httpError(404, MISSING_CONTRACT);
  const contract = await db
    .selectFrom("contract")
    .select(["id", "reference", "title", "supplier_name", "contract_manager_email", "supplier_organisation_id"])
    .where("id", "=", contractId)
    .where("organisation_id", "=", user.organisationId)
    .$if(lock && isPostgres(db), (q) => q.forUpdate())
    .executeTakeFirst();
  if (!contract) httpError(404, MISSING_CONTRACT);
  return contract;
}

/** The contract's invitation still open to the supplier: not cancelled, not expired, not yet answered with an assessment. */
export async function liveInvitation(db: Db, contractId: string, now: Date) {
  return db
    .selectFrom("supplier_invitation")
    .select(["id", "email", "created_at", "accepted_at"])
    .where("contract_id", "=", contractId)
    .where("cancelled_at", "is", null)
    .where("assessment_id", "is", null)
    .where((eb) => eb.or([eb("accepted_at", "is not", null), eb("expires_at", ">", now.toISOString())]))
    .executeTakeFirst();
}
