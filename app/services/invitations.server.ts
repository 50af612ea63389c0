/** Inviting colleagues: a one-time link by email, accepted by choosing a name and password. */
import { createHash, randomBytes } from "node:crypto";
import { newId } from "../../db/ids";
import { audit } from "./audit.server";
import { type CurrentUser, normaliseEmail } from "./auth.server";
import { getDb } from "./db.server";
import { httpError } from "./errors.server";
import { hashPassword } from "../domain/passwords";

const VALID_DAYS = 14;
export const ALREADY_HAS_ACCOUNT =
  "There is already a Lantern account for this email address, and an account belongs to one organisation only, so this invitation cannot be used. Sign in with your account, or ask the person who invited you to invite another email address.";
const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export async function listInvitations(user: CurrentUser) {
  const db = await getDb();
  const [invitations, colleagues] = await Promise.all([
    db.selectFrom("invitation").select(["id", "email", "role", "created_at", "expires_at", "accepted_at"]).where("organisation_id", "=", user.organisationId).orderBy("created_at", "desc").execute(),
    db.selectFrom("user").select(["id", "name", "email", "role"]).where("organisation_id", "=", user.organisationId).where("system", "=", 0).orderBy("name").execute(),
  ]);
  return { invitations, colleagues };
}

export async function inviteColleague(user: CurrentUser, rawEmail: string, origin: string, now = new Date()) {
  if (user.role !== "admin") httpError(403, "Only an administrator can invite colleagues.");
  const email = normaliseEmail(rawEmail);
  const db = await getDb();
  const existing = await db.selectFrom("user").select("organisation_id").where("email", "=", email).executeTakeFirst();
  // Colleagues are listed on this page anyway; an account elsewhere must not be revealed, so that
  // address gets the same answer and invitation as a new one, and the invitation cannot be used.
  if (existing?.organisation_id === user.organisationId) return { ok: false as const, error: "This person already has an account in your organisation" };
  const hasAccountElsewhere = existing !== undefined;
  const token = randomBytes(24).toString("base64url");
  const link = `${origin}/invitations/${token}`;
  await db.transaction().execute(async (trx) => {
    const id = newId();
    await trx
      .insertInto("invitation")
      .values({
        id,
        organisation_id: user.organisationId,
        email,
        role: "contributor",
        token_hash: hashToken(token),
        invited_by: user.id,
        expires_at: new Date(now.getTime() + VALID_DAYS * 86_400_000).toISOString(),
        accepted_at: null,
        created_at: now.toISOString(),
      })
      .execute();
    await trx
      .insertInto("email_outbox")
      .values({
        id: newId(),
        organisation_id: user.organisationId,
        recipient: email,
        subject: `${user.name} invited you to ${user.organisationName}'s assessment on Lantern`,
        body: hasAccountElsewhere
          ? `${user.name} has invited you to help answer ${user.organisationName}'s modern slavery assessment.\n\nYou already have a Lantern account with this email address in another organisation, and an account belongs to one organisation only, so this invitation cannot be accepted with this address. If you should work on ${user.organisationName}'s assessment, ask ${user.name} to invite another email address of yours.`
          : `${user.name} has invited you to help answer ${user.organisationName}'s modern slavery assessment.\n\nCreate your account: ${link}\n\nThe link works for ${VALID_DAYS} days.`,
        created_at: now.toISOString(),
      })
      .execute();
    await audit(trx, [{ organisationId: user.organisationId, userId: user.id, entity: "invitation", entityId: id, action: "invited", newValue: email, at: now }]);
  });
  if (!hasAccountElsewhere) console.log(`Invitation for ${email}: ${link}`);
  return { ok: true as const, email };
}

export async function findInvitation(token: string, now = new Date()) {
  const db = await getDb();
  const invitation = await db
    .selectFrom("invitation")
    .innerJoin("organisation", "organisation.id", "invitation.organisation_id")
    .select(["invitation.id", "invitation.email", "invitation.role", "invitation.organisation_id", "invitation.expires_at", "invitation.accepted_at", "organisation.name as organisationName"])
    .where("token_hash", "=", hashToken(token))
    .executeTakeFirst();
  if (!invitation || invitation.accepted_at || invitation.expires_at <= now.toISOString()) return undefined;
  const account = await db.selectFrom("user").select("id").where("email", "=", invitation.email).executeTakeFirst();
  return { ...invitation, hasAccount: account !== undefined };
}

export async function acceptInvitation(token: string, name: string, password: string, now = new Date()) {
  const invitation = await findInvitation(token, now);
  if (!invitation) httpError(404, "This invitation link has expired or has already been used.");
  if (invitation.hasAccount) httpError(409, ALREADY_HAS_ACCOUNT);
  const db = await getDb();
  const userId = newId();
  const passwordHash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    const claimed = await trx.updateTable("invitation").set({ accepted_at: now.toISOString() }).where("id", "=", invitation.id).where("accepted_at", "is", null).executeTakeFirst();
    if (claimed.numUpdatedRows === 0n) httpError(409, "This invitation has already been used.");
    await trx
      .insertInto("user")
      .values({ id: userId, organisation_id: invitation.organisation_id, email: invitation.email, name, role: invitation.role, password_hash: passwordHash, created_at: now.toISOString() })
      .execute();
    await audit(trx, [{ organisationId: invitation.organisation_id, userId, entity: "invitation", entityId: invitation.id, action: "accepted", at: now }]);
  });
  return userId;
}
