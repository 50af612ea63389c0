/**
 * A buyer invites a contract's supplier by email, with a code and a link (one live invitation per
 * contract), or cancels an invitation.
 */
import { newId } from "../../db/ids";
import { formatCode, invitationExpiresAt } from "../domain/supplier-invitations";
import { audit } from "./audit.server";
import { type CurrentUser, normaliseEmail } from "./auth.server";
import { getDb } from "./db.server";
import { httpError } from "./errors.server";
import { liveInvitation, ownContractToInvite, requireInvitingBuyer } from "./supplier-invitation-access.server";
import { hashCode, invitationCode, joinLink } from "./supplier-invitation-codes.server";
import { type BuyerInvitationRow, ownInvitation } from "./supplier-invitations-list.server";

/** What the invite page needs: the contract, and the invitation already live for it, if any. */
export async function invitePage(user: CurrentUser, contractId: string, now = new Date()) {
  requireInvitingBuyer(user, true);
  const db = await getDb();
  const contract = await ownContractToInvite(db, user, contractId);
  const live = await liveInvitation(db, contract.id, now);
  return { contract, live: live ?? null };
}

export type InviteInput = { email: string; contactName: string | null };

export function invitationMail(input: { buyerName: string; reference: string; title: string; contactName: string | null; link: string; code: string; origin: string; expiresAt: Date }) {
  const until = input.expiresAt.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  return {
    subject: `${input.buyerName} asks you to complete a modern slavery assessment for contract ${input.reference}`,
    body: [
      input.contactName ? `Dear ${input.contactName},` : "Hello,",
      "",
      `${input.buyerName} asks your organisation to complete a modern slavery self-assessment on Lantern for this contract:`,
      "",
      `  ${input.reference}: ${input.title}`,
      "",
      `To start, open this link and set up your organisation's account:`,
      input.link,
      "",
      `If your organisation already uses Lantern, sign in and enter this code: ${formatCode(input.code)}`,
      `(${input.origin}/supplier/join)`,
      "",
      `The invitation can be accepted until ${until}.`,
    ].join("\n"),
  };
}

export async function inviteSupplier(user: CurrentUser, contractId: string, input: InviteInput, origin: string, now = new Date()): Promise<{ ok: true; invitationId: string; email: string } | { ok: false; errors: Record<string, string> }> {
  requireInvitingBuyer(user, true);
  const db = await getDb();
  const email = normaliseEmail(input.email);
  return db.transaction().execute(async (trx) => {
    // Locked on PostgreSQL so two invitations sent at once cannot both be the live one.
    const contract = await ownContractToInvite(trx, user, contractId, true);
    const live = await liveInvitation(trx, contract.id, now);
    if (live) {
      const sent = new Date(live.created_at).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
      return { ok: false as const, errors: { email: `An invitation for this contract is still open (sent to ${live.email} on ${sent}): cancel it first or send a reminder` } };
    }
    const id = newId();
    const code = invitationCode(id);
    const expiresAt = invitationExpiresAt(now);
    await trx
      .insertInto("supplier_invitation")
      .values({
        id,
        organisation_id: user.organisationId,
        contract_id: contract.id,
        email,
        contact_name: input.contactName,
        code_hash: hashCode(code),
        invited_by: user.id,
        created_at: now.toISOString(),
        expires_at: expiresAt.toISOString(),
        supplier_organisation_id: null,
        accepted_by: null,
        accepted_at: null,
        assessment_id: null,
        linked_at: null,
        cancelled_at: null,
        cancelled_by: null,
        cancel_reason: null,
      })
      .execute();
    const mail = invitationMail({ buyerName: user.organisationName, reference: contract.reference, title: contract.title, contactName: input.contactName, link: joinLink(origin, id), code, origin, expiresAt });
    await trx.insertInto("email_outbox").values({ id: newId(), organisation_id: user.organisationId, recipient: email, ...mail, created_at: now.toISOString(), sent_at: null, next_attempt_at: null, last_error: null }).execute();
    await audit(trx, [{ organisationId: user.organisationId, userId: user.id, entity: "supplier_invitation", entityId: id, action: "invited", newValue: JSON.stringify({ contract: contract.reference, email }), at: now }]);
    return { ok: true as const, invitationId: id, email };
  });
}

export async function cancelInvitation(user: CurrentUser, invitationId: string, reason: string, now = new Date()): Promise<{ ok: true; row: BuyerInvitationRow } | { ok: false; error: string }> {
  const db = await getDb();
  const row = await ownInvitation(db, user, invitationId, now);
  if (row.status === "cancelled") return { ok: false, error: "This invitation has already been cancelled" };
  if (row.status === "completed") return { ok: false, error: "The supplier has completed this invitation's assessment: there is nothing left to cancel" };
  await db.transaction().execute(async (trx) => {
    const done = await trx.updateTable("supplier_invitation").set({ cancelled_at: now.toISOString(), cancelled_by: user.id, cancel_reason: reason }).where("id", "=", row.id).where("cancelled_at", "is", null).executeTakeFirst();
    if (done.numUpdatedRows === 0n) httpError(409, "This invitation has just been cancelled by someone else.");
    await audit(trx, [{ organisationId: user.organisationId, userId: user.id, entity: "supplier_invitation", entityId: row.id, action: "cancelled", newValue: reason, at: now }]);
  });
  return { ok: true, row };
}
