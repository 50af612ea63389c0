/**
 * A buyer's invitations to the suppliers of its contracts: sending one, the supplier joining
 * Lantern with it (a new organisation and its administrator) or accepting it into an organisation
 * already here, choosing which assessment answers it, and the buyer's view of where each stands.
 *
 * The code is not random: it is derived from the invitation's id with the session secret
 * (invitationCode), so a reminder can send the same link again while only its hash is stored.
 * Changing SESSION_SECRET therefore invalidates every outstanding code; buyers then send new
 * invitations.
 */
import { createHash, createHmac } from "node:crypto";
import { PostgresAdapter, sql } from "kysely";
import { newId } from "../../db/ids";
import type { Db } from "../../db/index";
import type { AssessmentStatus } from "../../db/schema";
import { slugify } from "../domain/organisations";
import { hashPassword } from "../domain/passwords";
import {
  CODE_ENTRY_POLICIES,
  REMINDER_SUBJECT_PREFIX,
  type Funnel,
  INVITATION_STATUSES,
  type InvitationStatus,
  encodeCode,
  formatCode,
  funnelOf,
  funnelsBy,
  invitationExpiresAt,
  invitationStatus,
  isCurrentSubmission,
  normaliseCode,
} from "../domain/supplier-invitations";
import { describeWait } from "../domain/throttle";
import { isId } from "../domain/text";
import { env } from "../env.server";
import { startAssessment } from "./assessments.server";
import { audit } from "./audit.server";
import { type CurrentUser, normaliseEmail } from "./auth.server";
import { getDb } from "./db.server";
import { httpError } from "./errors.server";
import { ALREADY_HAS_ACCOUNT } from "./invitations.server";
import { shareWithBuyer } from "./shares.server";
import { linkContractsToSupplier } from "./supplier-links.server";
import { type ThrottleKey, clearFailures, recordFailure, throttledUntil } from "./throttle.server";

/** The invitation's code: the first 60 bits of an HMAC of its id, in base32. */
export function invitationCode(invitationId: string): string {
  return encodeCode(createHmac("sha256", env().sessionSecret).update(`supplier-invitation:${invitationId}`).digest());
}

export const hashCode = (code: string) => createHash("sha256").update(code).digest("hex");

export const joinLink = (origin: string, invitationId: string) => `${origin}/join/${formatCode(invitationCode(invitationId))}`;

const MISSING_CONTRACT = "There is no contract at this address in your organisation's register.";
const MISSING_INVITATION = "There is no invitation at this address.";

function requireBuyer(user: CurrentUser, manage: boolean) {
  if (user.organisationKind !== "buyer") httpError(403, "Only a buying organisation invites suppliers.");
  if (manage && user.role !== "admin" && user.role !== "contract_manager") httpError(403, "Only an administrator or a contract manager can invite suppliers and change invitations.");
}

function requireSupplier(user: CurrentUser) {
  if (user.organisationKind !== "supplier") httpError(403, "A buyer's account cannot answer invitations: invitations are answered by the supplier's own Lantern account.");
}

const isPostgres = (db: Db) => db.getExecutor().adapter instanceof PostgresAdapter;

// ---- sending ----------------------------------------------------------------------------------

async function ownContract(db: Db, user: CurrentUser, contractId: string, lock = false) {
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
async function liveInvitation(db: Db, contractId: string, now: Date) {
  return db
    .selectFrom("supplier_invitation")
    .select(["id", "email", "created_at", "accepted_at"])
    .where("contract_id", "=", contractId)
    .where("cancelled_at", "is", null)
    .where("assessment_id", "is", null)
    .where((eb) => eb.or([eb("accepted_at", "is not", null), eb("expires_at", ">", now.toISOString())]))
    .executeTakeFirst();
}

/** What the invite page needs: the contract, and the invitation already live for it, if any. */
export async function invitePage(user: CurrentUser, contractId: string, now = new Date()) {
  requireBuyer(user, true);
  const db = await getDb();
  const contract = await ownContract(db, user, contractId);
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
  requireBuyer(user, true);
  const db = await getDb();
  const email = normaliseEmail(input.email);
  return db.transaction().execute(async (trx) => {
    // Locked on PostgreSQL so two invitations sent at once cannot both be the live one.
    const contract = await ownContract(trx, user, contractId, true);
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

// ---- joining ----------------------------------------------------------------------------------

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

// ---- choosing the assessment ------------------------------------------------------------------

async function supplierInvitation(db: Db, user: CurrentUser, invitationId: string) {
  requireSupplier(user);
  if (!isId(invitationId)) httpError(404, MISSING_INVITATION);
  const row = await db
    .selectFrom("supplier_invitation as i")
    .innerJoin("organisation as buyer", "buyer.id", "i.organisation_id")
    .innerJoin("contract as c", "c.id", "i.contract_id")
    .select(["i.id", "i.organisation_id as buyerOrganisationId", "buyer.name as buyerName", "c.reference as contractReference", "c.title as contractTitle", "i.accepted_at as acceptedAt", "i.assessment_id as assessmentId", "i.linked_at as linkedAt", "i.cancelled_at as cancelledAt", "i.cancel_reason as cancelReason"])
    .where("i.id", "=", invitationId)
    .where("i.supplier_organisation_id", "=", user.organisationId)
    .executeTakeFirst();
  if (!row) httpError(404, MISSING_INVITATION);
  return row;
}

/** The organisation's assessments an invitation can be answered with, newest first. */
async function assessmentChoices(db: Db, organisationId: string) {
  return db
    .selectFrom("assessment")
    .leftJoin("submission", "submission.assessment_id", "assessment.id")
    .select(["assessment.id", "assessment.status", "assessment.created_at as createdAt", "assessment.updated_at as updatedAt", "submission.created_at as submittedAt"])
    .where("assessment.organisation_id", "=", organisationId)
    .orderBy("assessment.created_at", "desc")
    .execute();
}

export async function invitationChoicePage(user: CurrentUser, invitationId: string, now = new Date()) {
  const db = await getDb();
  const invitation = await supplierInvitation(db, user, invitationId);
  const all = await assessmentChoices(db, user.organisationId);
  const current = all.filter((a) => a.status !== "draft" && a.submittedAt && isCurrentSubmission(a.submittedAt, now));
  const draft = all.find((a) => a.status === "draft") ?? null;
  const linked = invitation.assessmentId ? (all.find((a) => a.id === invitation.assessmentId) ?? null) : null;
  return {
    invitation,
    current: current.map((a) => ({ id: a.id, status: a.status as AssessmentStatus, submittedAt: a.submittedAt! })),
    draft: draft ? { id: draft.id, createdAt: draft.createdAt } : null,
    linked: linked ? { id: linked.id, status: linked.status, submittedAt: linked.submittedAt } : null,
    canChoose: user.role === "admin" && !invitation.assessmentId && !invitation.cancelledAt,
  };
}

export type LinkOutcome = { ok: true; assessmentId: string; started: boolean; buyerName: string } | { ok: false; error: string };

/**
 * Answer the invitation with an assessment: "new" starts one (or continues the draft under way), or
 * the id of a current submitted one. The assessment is then shared with the buyer.
 */
export async function linkAssessment(user: CurrentUser, invitationId: string, choice: string, now = new Date()): Promise<LinkOutcome> {
  const db = await getDb();
  const invitation = await supplierInvitation(db, user, invitationId);
  if (user.role !== "admin") httpError(403, "Only an administrator can choose the assessment that answers an invitation: ask one of your administrators.");
  const alreadyLinked = "This invitation has already been answered with an assessment, which cannot be changed. If the buyer needs another, ask them to send a new invitation.";
  if (invitation.assessmentId) httpError(409, alreadyLinked);
  if (invitation.cancelledAt) httpError(409, `${invitation.buyerName} has cancelled this invitation, so it cannot be answered.`);
  let assessmentId: string;
  let started = false;
  if (choice === "new") {
    assessmentId = await startAssessment(user, now);
    started = true;
  } else {
    const assessment = isId(choice)
      ? await db.selectFrom("assessment").leftJoin("submission", "submission.assessment_id", "assessment.id").select(["assessment.id", "assessment.organisation_id", "assessment.status", "submission.created_at as submittedAt"]).where("assessment.id", "=", choice).executeTakeFirst()
      : undefined;
    if (!assessment || assessment.organisation_id !== user.organisationId) return { ok: false, error: "Choose one of your organisation's assessments, or start a new one" };
    if (assessment.status === "draft") {
      const current = await db.selectFrom("assessment").select("id").where("organisation_id", "=", user.organisationId).where("status", "=", "draft").orderBy("created_at", "desc").executeTakeFirst();
      if (current?.id !== assessment.id) return { ok: false, error: "That assessment is not the one your organisation is working on: choose the assessment under way, or a submitted one" };
      started = true;
    } else if (!assessment.submittedAt || !isCurrentSubmission(assessment.submittedAt, now)) {
      return { ok: false, error: "That assessment was submitted more than 12 months ago and is no longer current: choose to start a new assessment" };
    }
    assessmentId = assessment.id;
  }
  await db.transaction().execute(async (trx) => {
    const linked = await trx
      .updateTable("supplier_invitation")
      .set({ assessment_id: assessmentId, linked_at: now.toISOString() })
      .where("id", "=", invitation.id)
      .where("assessment_id", "is", null)
      .where("cancelled_at", "is", null)
      .executeTakeFirst();
    if (linked.numUpdatedRows === 0n) httpError(409, alreadyLinked);
    await shareWithBuyer(trx, { assessmentId, supplierOrganisationId: user.organisationId, buyerOrganisationId: invitation.buyerOrganisationId, userId: user.id, invitationId: invitation.id, at: now });
    await audit(trx, [{ organisationId: invitation.buyerOrganisationId, userId: user.id, entity: "supplier_invitation", entityId: invitation.id, action: "linked", newValue: assessmentId, at: now }]);
  });
  return { ok: true, assessmentId, started, buyerName: invitation.buyerName };
}

/** Invitations the supplier's organisation has accepted but not yet answered with an assessment. */
export async function pendingInvitationsForSupplier(user: CurrentUser) {
  requireSupplier(user);
  const db = await getDb();
  return db
    .selectFrom("supplier_invitation as i")
    .innerJoin("organisation as buyer", "buyer.id", "i.organisation_id")
    .innerJoin("contract as c", "c.id", "i.contract_id")
    .select(["i.id", "buyer.name as buyerName", "c.reference as contractReference", "c.title as contractTitle", "i.accepted_at as acceptedAt"])
    .where("i.supplier_organisation_id", "=", user.organisationId)
    .where("i.assessment_id", "is", null)
    .where("i.cancelled_at", "is", null)
    .orderBy("i.accepted_at", "desc")
    .execute();
}

// ---- the buyer's view -------------------------------------------------------------------------

export type BuyerInvitationRow = {
  id: string;
  contractId: string;
  contractReference: string;
  contractTitle: string;
  email: string;
  contactName: string | null;
  supplierName: string | null;
  /** The contract's manager, else whoever sent the invitation. */
  manager: string;
  status: InvitationStatus;
  createdAt: string;
  lastRemindedAt: string | null;
  assessmentId: string | null;
  cancelReason: string | null;
};

/** Every invitation of a buying organisation (optionally one contract's) with its status, in one query. */
export async function buyerInvitationRows(db: Db, organisationId: string, now: Date, contractId?: string): Promise<BuyerInvitationRow[]> {
  const rows = await db
    .selectFrom("supplier_invitation as i")
    .innerJoin("contract as c", "c.id", "i.contract_id")
    .innerJoin("user as inviter", "inviter.id", "i.invited_by")
    .leftJoin("assessment as a", "a.id", "i.assessment_id")
    .leftJoin("organisation as s", "s.id", "i.supplier_organisation_id")
    .leftJoin("reminder as r", (join) => join.on("r.subject", "=", sql<string>`${sql.lit(REMINDER_SUBJECT_PREFIX)} || ${sql.ref("i.id")}`))
    .select([
      "i.id",
      "i.contract_id as contractId",
      "c.reference as contractReference",
      "c.title as contractTitle",
      "i.email",
      "i.contact_name as contactName",
      "s.name as supplierName",
      "c.contract_manager_email as contractManager",
      "inviter.email as inviterEmail",
      "i.created_at as createdAt",
      "i.expires_at",
      "i.accepted_at",
      "i.cancelled_at",
      "i.cancel_reason as cancelReason",
      "i.assessment_id as assessmentId",
      "a.status as assessmentStatus",
      "r.last_sent_at as lastRemindedAt",
    ])
    .where("i.organisation_id", "=", organisationId)
    .$if(contractId !== undefined, (q) => q.where("i.contract_id", "=", contractId!))
    .orderBy("i.created_at", "desc")
    .orderBy("i.id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    contractId: r.contractId,
    contractReference: r.contractReference,
    contractTitle: r.contractTitle,
    email: r.email,
    contactName: r.contactName,
    supplierName: r.supplierName,
    manager: r.contractManager ?? r.inviterEmail,
    status: invitationStatus({ expires_at: r.expires_at, accepted_at: r.accepted_at, cancelled_at: r.cancelled_at, assessmentStatus: r.assessmentStatus }, now),
    createdAt: r.createdAt,
    lastRemindedAt: r.lastRemindedAt,
    assessmentId: r.assessmentId,
    cancelReason: r.cancelReason,
  }));
}

export const INVITATIONS_PAGE_SIZE = 50;

export type InvitationQuery = { status?: InvitationStatus; manager?: string; page: number };

export async function listSupplierInvitations(user: CurrentUser, query: InvitationQuery, now = new Date()) {
  requireBuyer(user, false);
  const db = await getDb();
  const rows = await buyerInvitationRows(db, user.organisationId, now);
  const department: Funnel = funnelOf(rows.map((r) => r.status));
  const byManager = funnelsBy(rows, (r) => r.manager, (r) => r.status);
  const matching = rows.filter((r) => (!query.status || r.status === query.status) && (!query.manager || r.manager === query.manager));
  const pages = Math.max(1, Math.ceil(matching.length / INVITATIONS_PAGE_SIZE));
  const page = Math.min(query.page, pages);
  return {
    department,
    byManager,
    managers: byManager.map((m) => m.key),
    total: matching.length,
    page,
    pages,
    invitations: matching.slice((page - 1) * INVITATIONS_PAGE_SIZE, page * INVITATIONS_PAGE_SIZE),
    canManage: user.role === "admin" || user.role === "contract_manager",
  };
}

/** A contract's invitations, newest first, for the contract page; `canInvite` when none is live and the user may send one. */
export async function invitationsForContract(user: CurrentUser, contractId: string, now = new Date()) {
  requireBuyer(user, false);
  const db = await getDb();
  const contract = await ownContract(db, user, contractId);
  const invitations = await buyerInvitationRows(db, user.organisationId, now, contract.id);
  const live = await liveInvitation(db, contract.id, now);
  const canManage = user.role === "admin" || user.role === "contract_manager";
  return { contractId: contract.id, invitations, canInvite: canManage && !live, canManage };
}

/** The buyer's own invitation, for an action on it; another organisation's is a 404. */
export async function ownInvitation(db: Db, user: CurrentUser, invitationId: string, now: Date): Promise<BuyerInvitationRow> {
  requireBuyer(user, true);
  if (!isId(invitationId)) httpError(404, MISSING_INVITATION);
  const rows = await db.selectFrom("supplier_invitation").select("contract_id").where("id", "=", invitationId).where("organisation_id", "=", user.organisationId).executeTakeFirst();
  if (!rows) httpError(404, MISSING_INVITATION);
  const row = (await buyerInvitationRows(db, user.organisationId, now, rows.contract_id)).find((r) => r.id === invitationId);
  if (!row) httpError(404, MISSING_INVITATION);
  return row;
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

export const STATUS_FILTERS: ReadonlyArray<InvitationStatus> = INVITATION_STATUSES;
