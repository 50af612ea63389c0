/**
 * A supplier takes up an invitation: joining Lantern with it (a new organisation and its
 * administrator), or accepting it into an organisation already here by its link or by typing the
 * code (throttled).
 */
import { newId } from "../../db/ids";
import type { Db } from "../../db/index";
import { slugify } from "../domain/organisations";
import { hashPassword } from "../domain/passwords";
import { CODE_ENTRY_POLICIES, normaliseCode } from "../domain/supplier-invitations";
import { describeWait } from "../domain/throttle";
import { audit } from "./audit.server";
import { type CurrentUser, normaliseEmail } from "./auth.server";
import { getDb } from "./db.server";
import { httpError } from "./errors.server";
import { ALREADY_HAS_ACCOUNT } from "./invitations.server";
import { requireSupplier } from "./supplier-invitation-access.server";
import { hashCode } from "./supplier-invitation-codes.server";
import { linkContractsToSupplier } from "./supplier-links.server";
import { type ThrottleKey, clearFailures, recordFailure, throttledUntil } from "./throttle.server";

export type CodeInvitation = {
  id: string;
  email: string;
  contactName: string | null;
  buyerOrganisationId: string;
  buyerName: string;
  contractId: string;
  contractReference: string;
  contractTitle: string;
  supplierOrganisationId: string | null;
  acceptedAt: string | null;
  cancelledAt: string | null;
  expiresAt: string;
};

/** The invitation a code names, in any state; undefined when none does. */
export async function invitationByCode(rawCode: string, db?: Db): Promise<CodeInvitation | undefined> {
  const code = normaliseCode(rawCode);
  if (!code) return undefined;
  const conn = db ?? (await getDb());
  const row = await conn
    .selectFrom("supplier_invitation as i")
    .innerJoin("organisation as buyer", "buyer.id", "i.organisation_id")
    .innerJoin("contract as c", "c.id", "i.contract_id")
    .select([
      "i.id",
      "i.email",
      "i.contact_name as contactName",
      "i.organisation_id as buyerOrganisationId",
      "buyer.name as buyerName",
      "c.id as contractId",
      "c.reference as contractReference",
      "c.title as contractTitle",
      "i.supplier_organisation_id as supplierOrganisationId",
      "i.accepted_at as acceptedAt",
      "i.cancelled_at as cancelledAt",
      "i.expires_at as expiresAt",
    ])
    .where("i.code_hash", "=", hashCode(code))
    .executeTakeFirst();
  return row;
}

export const JOIN_UNUSABLE =
  "This invitation code cannot be used: it may have expired, been cancelled by the buyer, or been used already. Check the link against your email, or ask the buyer who invited you to send a new invitation.";

/** Whether the invitation can still be accepted, and if not, why. */
export function unusableReason(invitation: CodeInvitation, now: Date): "cancelled" | "expired" | "accepted" | undefined {
  if (invitation.cancelledAt) return "cancelled";
  if (invitation.acceptedAt) return "accepted";
  if (invitation.expiresAt <= now.toISOString()) return "expired";
  return undefined;
}

/** A public view of an invitation for the /join page: only what its holder needs to see. */
export async function joinPage(rawCode: string, user: CurrentUser | undefined, now = new Date()) {
  const invitation = await invitationByCode(rawCode);
  if (!invitation) httpError(404, JOIN_UNUSABLE);
  if (user?.organisationKind === "supplier" && invitation.supplierOrganisationId === user.organisationId) return { redirectTo: `/supplier/invitations/${invitation.id}` };
  if (unusableReason(invitation, now)) httpError(404, JOIN_UNUSABLE);
  if (user && user.organisationKind !== "supplier") httpError(403, "You are signed in with a buyer's account, and a buyer account cannot answer invitations. Sign out, then open the link again to set up the supplier's account.");
  return {
    redirectTo: null,
    invitation: { buyerName: invitation.buyerName, contractReference: invitation.contractReference, contractTitle: invitation.contractTitle, email: invitation.email, contactName: invitation.contactName },
  };
}

export type NewSupplierInput = {
  organisationName: string;
  /** Normalised Companies House number; null for an organisation registered abroad. */
  companyNumber: string | null;
  country: string;
  name: string;
  email: string;
  password: string;
};

export type JoinOutcome = { ok: true; userId: string; invitationId: string } | { ok: false; errors: Record<string, string> };

async function uniqueSlug(db: Db, name: string): Promise<string> {
  const base = slugify(name).slice(0, 55).replace(/-+$/, "") || "organisation";
  const taken = new Set((await db.selectFrom("organisation").select("slug").where((eb) => eb.or([eb("slug", "=", base), eb("slug", "like", `${base}-%`)])).execute()).map((r) => r.slug));
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  return slug;
}

/**
 * Mark the invitation accepted by a supplier organisation (only if still open), link its contract
 * and record it. Refuses with a 409 when someone else got there first.
 */
async function acceptInto(trx: Db, invitation: CodeInvitation, supplier: { id: string; userId: string }, now: Date) {
  const claimed = await trx
    .updateTable("supplier_invitation")
    .set({ supplier_organisation_id: supplier.id, accepted_by: supplier.userId, accepted_at: now.toISOString() })
    .where("id", "=", invitation.id)
    .where("accepted_at", "is", null)
    .where("cancelled_at", "is", null)
    .where("expires_at", ">", now.toISOString())
    .executeTakeFirst();
  if (claimed.numUpdatedRows === 0n) httpError(409, "This invitation has just been accepted, cancelled or has expired: it can no longer be used. Ask the buyer who invited you to send a new invitation.");
  await trx.updateTable("contract").set({ supplier_organisation_id: supplier.id }).where("id", "=", invitation.contractId).execute();
  await audit(trx, [{ organisationId: invitation.buyerOrganisationId, userId: supplier.userId, entity: "supplier_invitation", entityId: invitation.id, action: "accepted", newValue: supplier.id, at: now }]);
}

/** An anonymous visitor sets up the supplier organisation and its administrator, and accepts the invitation. */
export async function joinAsNewSupplier(rawCode: string, input: NewSupplierInput, now = new Date()): Promise<JoinOutcome> {
  const invitation = await invitationByCode(rawCode);
  if (!invitation || unusableReason(invitation, now)) httpError(404, JOIN_UNUSABLE);
  const email = normaliseEmail(input.email);
  const db = await getDb();
  const errors: Record<string, string> = {};
  const checks = async (conn: Db) => {
    if (input.companyNumber) {
      const same = await conn.selectFrom("organisation").select("name").where("company_number", "=", input.companyNumber).executeTakeFirst();
      if (same) errors.companyNumber = `${same.name} (company number ${input.companyNumber}) already uses Lantern: ask its administrator to sign in and enter the code from the invitation email`;
    }
    if (await conn.selectFrom("user").select("id").where("email", "=", email).executeTakeFirst()) errors.email = ALREADY_HAS_ACCOUNT;
  };
  await checks(db);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    // Again inside the transaction: someone may have registered the company or address meanwhile.
    await checks(trx);
    if (Object.keys(errors).length > 0) return { ok: false as const, errors };
    const organisationId = newId();
    const userId = newId();
    const at = now.toISOString();
    await trx
      .insertInto("organisation")
      .values({ id: organisationId, name: input.organisationName, kind: "supplier", slug: await uniqueSlug(trx, input.organisationName), company_number: input.companyNumber, country: input.country, created_at: at })
      .execute();
    await trx.insertInto("user").values({ id: userId, organisation_id: organisationId, email, name: input.name, role: "admin", password_hash: passwordHash, created_at: at }).execute();
    await acceptInto(trx, invitation, { id: organisationId, userId }, now);
    await linkContractsToSupplier(trx, { id: organisationId, companyNumber: input.companyNumber });
    await audit(trx, [
      { organisationId, userId, entity: "organisation", entityId: organisationId, action: "created", newValue: JSON.stringify({ name: input.organisationName, companyNumber: input.companyNumber, country: input.country, invitation: invitation.id }), at: now },
      { organisationId, userId, entity: "user", entityId: userId, action: "created", newValue: email, at: now },
    ]);
    return { ok: true as const, userId, invitationId: invitation.id };
  });
}

function requireSupplierAdmin(user: CurrentUser) {
  requireSupplier(user);
  if (user.role !== "admin") httpError(403, `Only an administrator of ${user.organisationName} can accept an invitation for it: ask one of your administrators to sign in and enter the code.`);
}

export const ACCEPTED_ELSEWHERE = "This invitation has already been accepted by another organisation. If your organisation should answer it, ask the buyer who invited you to send a new invitation.";

export type AcceptOutcome = { ok: true; invitationId: string } | { ok: false; status: 400 | 409; message: string };

/** A signed-in supplier administrator accepts an invitation into their own organisation. */
export async function acceptForOrganisation(user: CurrentUser, invitation: CodeInvitation, now = new Date()): Promise<AcceptOutcome> {
  requireSupplierAdmin(user);
  if (invitation.supplierOrganisationId === user.organisationId) return { ok: true, invitationId: invitation.id };
  if (invitation.acceptedAt) return { ok: false, status: 409, message: ACCEPTED_ELSEWHERE };
  if (invitation.cancelledAt) return { ok: false, status: 400, message: `${invitation.buyerName} has cancelled this invitation. Ask them to send a new one if they still need your assessment.` };
  if (invitation.expiresAt <= now.toISOString()) return { ok: false, status: 400, message: `This invitation expired on ${invitation.expiresAt.slice(0, 10)}. Ask ${invitation.buyerName} to send a new one.` };
  const db = await getDb();
  await db.transaction().execute(async (trx) => {
    const org = await trx.selectFrom("organisation").select(["id", "company_number"]).where("id", "=", user.organisationId).executeTakeFirstOrThrow();
    await acceptInto(trx, invitation, { id: org.id, userId: user.id }, now);
    await linkContractsToSupplier(trx, { id: org.id, companyNumber: org.company_number });
  });
  return { ok: true, invitationId: invitation.id };
}

/** Accept the invitation named in a /join link (the signed-in supplier's "accept" button). */
export async function acceptByLink(user: CurrentUser, rawCode: string, now = new Date()): Promise<AcceptOutcome> {
  requireSupplierAdmin(user);
  const invitation = await invitationByCode(rawCode);
  if (!invitation) httpError(404, JOIN_UNUSABLE);
  return acceptForOrganisation(user, invitation, now);
}

export type CodeEntryOutcome = AcceptOutcome | { ok: false; status: 429; message: string; retryAt: Date };

function codeKeys(user: CurrentUser, clientAddress: string): ThrottleKey[] {
  return [
    { key: `invitation-code:user:${user.id}`, policy: CODE_ENTRY_POLICIES.user },
    { key: `invitation-code:address:${clientAddress}`, policy: CODE_ENTRY_POLICIES.address },
  ];
}

/** A typed code, under throttles: a code that matches nothing counts as a failure per user and per address. */
export async function enterCode(user: CurrentUser, rawCode: string, clientAddress: string, now = new Date()): Promise<CodeEntryOutcome> {
  requireSupplierAdmin(user);
  const keys = codeKeys(user, clientAddress);
  const throttled = (until: Date) => ({ ok: false as const, status: 429 as const, retryAt: until, message: `Too many codes that match no invitation. Wait ${describeWait(until, now)} and try again.` });
  const locked = await throttledUntil(keys, now);
  if (locked) return throttled(locked);
  const invitation = await invitationByCode(rawCode);
  if (!invitation) {
    await recordFailure(keys, now);
    const lockedNow = await throttledUntil(keys, now);
    if (lockedNow) return throttled(lockedNow);
    return { ok: false, status: 400, message: "No invitation matches this code. Check it against the email: it has 12 letters and numbers, like K7QM-2XPD-9WTR" };
  }
  await clearFailures([keys[0]!]);
  return acceptForOrganisation(user, invitation, now);
}
