/**
 * Delivering the email outbox. Every message is written to `email_outbox` in the transaction that
 * caused it; this sends what is due through a transport (nodemailer over SMTP when SMTP_URL is set).
 * A message is claimed before it is sent, so several instances or a cron job and a server never
 * send it twice; one that fails stays in the outbox and is tried again after a wait that doubles.
 */
import type { Db } from "../../db/index";

export type MailTransport = { sendMail(message: { from: string; to: string; subject: string; text: string }): Promise<unknown> };

export const RETRY_BASE_MS = 60_000;
export const RETRY_MAX_MS = 60 * 60_000;
/** How long a claimed message is left to its sender before another may try it (a crash mid-send). */
const CLAIM_MS = 5 * 60_000;

export function retryDelay(attempts: number): number {
  return Math.min(RETRY_BASE_MS * 2 ** Math.max(0, attempts - 1), RETRY_MAX_MS);
}

export async function deliverOutbox(db: Db, transport: MailTransport, options: { from: string; now?: Date; limit?: number }): Promise<{ sent: number; failed: number }> {
  const now = options.now ?? new Date();
  const due = await db
    .selectFrom("email_outbox")
    .select(["id", "recipient", "subject", "body", "attempts"])
    .where("sent_at", "is", null)
    .where((eb) => eb.or([eb("next_attempt_at", "is", null), eb("next_attempt_at", "<=", now.toISOString())]))
    .orderBy("created_at")
    .limit(options.limit ?? 50)
    .execute();
  let sent = 0;
  let failed = 0;
  for (const message of due) {
    // Claim it: only the sender whose update matched sends it.
    const claimed = await db
      .updateTable("email_outbox")
      .set({ next_attempt_at: new Date(now.getTime() + CLAIM_MS).toISOString() })
      .where("id", "=", message.id)
      .where("sent_at", "is", null)
      .where((eb) => eb.or([eb("next_attempt_at", "is", null), eb("next_attempt_at", "<=", now.toISOString())]))
      .executeTakeFirst();
    if (claimed.numUpdatedRows === 0n) continue;
    try {
      await transport.sendMail({ from: options.from, to: message.recipient, subject: message.subject, text: message.body });
      await db.updateTable("email_outbox").set({ sent_at: new Date().toISOString(), next_attempt_at: null, last_error: null }).where("id", "=", message.id).execute();
      sent++;
    } catch (error) {
      const attempts = message.attempts + 1;
      await db
        .updateTable("email_outbox")
        .set({ attempts, next_attempt_at: new Date(now.getTime() + retryDelay(attempts)).toISOString(), last_error: (error instanceof Error ? error.message : String(error)).slice(0, 500) })
        .where("id", "=", message.id)
        .execute();
      failed++;
    }
  }
  return { sent, failed };
}

export const OUTBOX_PAGE_SIZE = 25;

export type OutboxStatus = { state: "sent"; sentAt: string } | { state: "waiting"; nextAttemptAt: string | null } | { state: "failed"; attempts: number; nextAttemptAt: string | null; lastError: string | null };

/** Where a message stands: sent, waiting for its first attempt, or failed so far (tried again later). */
export function outboxStatus(row: { sent_at: string | null; attempts: number; next_attempt_at: string | null; last_error: string | null }): OutboxStatus {
  if (row.sent_at) return { state: "sent", sentAt: row.sent_at };
  if (row.attempts > 0) return { state: "failed", attempts: row.attempts, nextAttemptAt: row.next_attempt_at, lastError: row.last_error };
  return { state: "waiting", nextAttemptAt: row.next_attempt_at };
}

/**
 * One page of the mail sent for an organisation, newest first. Only the organisation's own mail:
 * the caller passes the acting user's organisation, never one taken from the request.
 */
export async function listOrganisationMail(db: Db, organisationId: string, page: number) {
  const base = db.selectFrom("email_outbox").where("organisation_id", "=", organisationId);
  const [{ count }, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as("count")).executeTakeFirstOrThrow(),
    base
      .select(["id", "recipient", "subject", "body", "created_at", "sent_at", "attempts", "next_attempt_at", "last_error"])
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(OUTBOX_PAGE_SIZE)
      .offset((Math.max(1, page) - 1) * OUTBOX_PAGE_SIZE)
      .execute(),
  ]);
  const total = Number(count);
  return {
    total,
    pages: Math.max(1, Math.ceil(total / OUTBOX_PAGE_SIZE)),
    messages: rows.map((r) => ({ id: r.id, recipient: r.recipient, subject: r.subject, body: r.body, createdAt: r.created_at, status: outboxStatus(r) })),
  };
}
