/**
 * An invitation's code. It is not random: it is derived from the invitation's id with the session
 * secret, so a reminder can send the same link again while only its hash is stored. Changing
 * SESSION_SECRET therefore invalidates every outstanding code; buyers then send new invitations.
 */
import { createHash, createHmac } from "node:crypto";
import { encodeCode, formatCode } from "../domain/supplier-invitations";
import { env } from "../env.server";

/** The invitation's code: the first 60 bits of an HMAC of its id, in base32. */
export function invitationCode(invitationId: string): string {
  return encodeCode(createHmac("sha256", env().sessionSecret).update(`supplier-invitation:${invitationId}`).digest());
}

export const hashCode = (code: string) => createHash("sha256").update(code).digest("hex");

export const joinLink = (origin: string, invitationId: string) => `${origin}/join/${formatCode(invitationCode(invitationId))}`;
