/**
 * Reminders: to a supplier that has not accepted an invitation, or has accepted and gone quiet, and
 * to a supplier whose shared assessment is about to stop being current. The `reminder` table holds
 * when each subject was last reminded about; a reminder is claimed with one conditional upsert, so
 * of several machines running `remind` at once (or a buyer pressing "Send a reminder" meanwhile)
 * exactly one sends it, and never twice within 7 days.
 */
import { sql } from "kysely";
import { newId } from "../../db/ids";
import type { Db } from "../../db/index";
import {
  REMINDER_GAP_DAYS,
  type ReminderKind,
  assessmentExpiresAt,
  canRemind,
  daysAfter,
  expiryReminderDue,
  expirySubject,
  formatCode,
  invitationReminderDue,
  invitationStatus,
  invitationSubject,
  monthsAfter,
  reminderAllowed,
} from "../domain/supplier-invitations";
import { audit } from "./audit.server";
import type { CurrentUser } from "./auth.server";
import { getDb } from "./db.server";
import { invitationCode, joinLink } from "./supplier-invitation-codes.server";
import { type BuyerInvitationRow, ownInvitation } from "./supplier-invitations-list.server";

const dateText = (d: Date | string) => new Date(d).toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

/**
 * Claim the reminder about `subject` at `now`: true if this caller may send it. One statement: it
 * inserts the subject, or moves last_sent_at forward only if the last reminder is 7 days old.
 */
export async function claimReminder(db: Db, subject: string, now: Date): Promise<boolean> {
  const cutoff = daysAfter(now, -REMINDER_GAP_DAYS).toISOString();
  const result = await db
    .insertInto("reminder")
    .values({ subject, last_sent_at: now.toISOString(), count: 1 })
    .onConflict((oc) =>
      oc
        .column("subject")
        .doUpdateSet((eb) => ({ last_sent_at: eb.ref("excluded.last_sent_at"), count: eb("reminder.count", "+", 1) }))
        .where("reminder.last_sent_at", "<=", cutoff),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
}

export async function lastReminded(db: Db, subject: string): Promise<string | null> {
  const row = await db.selectFrom("reminder").select("last_sent_at").where("subject", "=", subject).executeTakeFirst();
  return row?.last_sent_at ?? null;
}

type Mail = { recipient: string; subject: string; body: string; organisationId: string };

async function queue(db: Db, mails: Mail[], now: Date) {
  if (mails.length === 0) return;
  await db
    .insertInto("email_outbox")
    .values(mails.map((m) => ({ id: newId(), organisation_id: m.organisationId, recipient: m.recipient, subject: m.subject, body: m.body, created_at: now.toISOString(), sent_at: null, next_attempt_at: null, last_error: null })))
    .execute();
}

type InvitationFacts = { id: string; buyerOrganisationId: string; buyerName: string; contractReference: string; contractTitle: string; email: string; contactName: string | null; supplierOrganisationId: string | null; expiresAt: string };

/** The messages one invitation reminder sends: to the contact (join), or to the supplier's administrators. */
async function invitationReminderMails(db: Db, row: InvitationFacts, kind: ReminderKind | "respond", origin: string): Promise<Mail[]> {
  const contract = `${row.contractReference}: ${row.contractTitle}`;
  if (kind === "join") {
    const code = invitationCode(row.id);
    return [
      {
        organisationId: row.buyerOrganisationId,
        recipient: row.email,
        subject: `Reminder: ${row.buyerName} asks you to complete a modern slavery assessment for contract ${row.contractReference}`,
        body: [
          row.contactName ? `Dear ${row.contactName},` : "Hello,",
          "",
          `${row.buyerName} asked your organisation to complete a modern slavery self-assessment on Lantern for this contract, and is still waiting:`,
          "",
          `  ${contract}`,
          "",
          "To start, open this link and set up your organisation's account:",
          joinLink(origin, row.id),
          "",
          `If your organisation already uses Lantern, sign in and enter this code: ${formatCode(code)}`,
          `(${origin}/supplier/join)`,
          "",
          `The invitation can be accepted until ${dateText(row.expiresAt)}.`,
        ].join("\n"),
      },
    ];
  }
  if (!row.supplierOrganisationId) return [];
  const admins = await db.selectFrom("user").select(["email", "name"]).where("organisation_id", "=", row.supplierOrganisationId).where("role", "=", "admin").orderBy("email").execute();
  const ask =
    kind === "finish"
      ? [`${row.buyerName} is waiting for your modern slavery assessment for this contract:`, "", `  ${contract}`, "", `Finish your assessment and submit it: ${origin}/supplier/invitations/${row.id}`]
      : [`${row.buyerName} has your modern slavery assessment for this contract:`, "", `  ${contract}`, "", `Respond to each recommendation in your report to complete it: ${origin}/supplier`];
  return admins.map((admin) => ({
    organisationId: row.buyerOrganisationId,
    recipient: admin.email,
    subject: kind === "finish" ? `Reminder: finish your modern slavery assessment for ${row.buyerName}` : `Reminder: respond to the recommendations for ${row.buyerName}`,
    body: [`Dear ${admin.name},`, "", ...ask].join("\n"),
  }));
}

async function invitationFacts(db: Db, ids: string[]): Promise<Map<string, InvitationFacts>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom("supplier_invitation as i")
    .innerJoin("organisation as buyer", "buyer.id", "i.organisation_id")
    .innerJoin("contract as c", "c.id", "i.contract_id")
    .select(["i.id", "i.organisation_id as buyerOrganisationId", "buyer.name as buyerName", "c.reference as contractReference", "c.title as contractTitle", "i.email", "i.contact_name as contactName", "i.supplier_organisation_id as supplierOrganisationId", "i.expires_at as expiresAt"])
    .where("i.id", "in", ids)
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

const REMIND_KIND: Partial<Record<BuyerInvitationRow["status"], ReminderKind | "respond">> = { invited: "join", registered: "finish", in_progress: "finish", submitted: "respond" };

/** A buyer's "Send a reminder": the same claim as the automatic reminders, so never twice in 7 days. */
export async function remindSupplier(user: CurrentUser, invitationId: string, origin: string, now = new Date()): Promise<{ ok: true; recipients: number } | { ok: false; error: string }> {
  const db = await getDb();
  const row = await ownInvitation(db, user, invitationId, now);
  if (!canRemind(row.status)) {
    const why = row.status === "completed" ? "the supplier has completed its assessment" : row.status === "cancelled" ? "the invitation has been cancelled" : "the invitation has expired: send a new one instead";
    return { ok: false, error: `A reminder cannot be sent: ${why}` };
  }
  const allowed = reminderAllowed(row.lastRemindedAt, now);
  if (!allowed.ok) return { ok: false, error: `A reminder was sent on ${dateText(row.lastRemindedAt!)}. The next one can be sent from ${dateText(allowed.nextAt)}` };
  const facts = (await invitationFacts(db, [row.id])).get(row.id)!;
  return db.transaction().execute(async (trx) => {
    if (!(await claimReminder(trx, invitationSubject(row.id), now))) {
      const last = await lastReminded(trx, invitationSubject(row.id));
      return { ok: false as const, error: `A reminder has just been sent${last ? ` (${dateText(last)})` : ""}. The next one can be sent from ${dateText(daysAfter(new Date(last ?? now), REMINDER_GAP_DAYS))}` };
    }
    const mails = await invitationReminderMails(trx, facts, REMIND_KIND[row.status]!, origin);
    await queue(trx, mails, now);
    await audit(trx, [{ organisationId: user.organisationId, userId: user.id, entity: "supplier_invitation", entityId: row.id, action: "reminded", newValue: String(mails.length), at: now }]);
    return { ok: true as const, recipients: mails.length };
  });
}

export type ReminderSummary = { join: number; finish: number; expiry: number; actions: number; reviews: number };

/**
 * Send every reminder that is due (or, with dryRun, only count them). Safe to run from several
 * machines at once: each reminder is claimed before it is written to the outbox.
 */
export async function runReminders(db: Db, options: { origin: string; now?: Date; dryRun?: boolean }): Promise<ReminderSummary> {
  const now = options.now ?? new Date();
  const summary: ReminderSummary = { join: 0, finish: 0, expiry: 0, actions: 0, reviews: 0 };

  // (a) invitations waiting to be accepted, or accepted with an assessment not yet submitted
  const candidates = await db
    .selectFrom("supplier_invitation as i")
    .leftJoin("assessment as a", "a.id", "i.assessment_id")
    .leftJoin("reminder as r", (join) => join.on("r.subject", "=", sql<string>`${sql.lit(invitationSubject(""))} || ${sql.ref("i.id")}`))
    .select(["i.id", "i.created_at", "i.expires_at", "i.accepted_at", "i.cancelled_at", "a.status as assessmentStatus", "a.updated_at as assessmentUpdatedAt", "r.last_sent_at as lastRemindedAt"])
    .where("i.cancelled_at", "is", null)
    .where((eb) => eb.or([eb("i.assessment_id", "is", null), eb("a.status", "=", "draft")]))
    .where((eb) => eb.or([eb("i.accepted_at", "is not", null), eb("i.expires_at", ">", now.toISOString())]))
    .execute();
  const due: Array<{ id: string; kind: ReminderKind }> = [];
  for (const c of candidates) {
    const status = invitationStatus({ expires_at: c.expires_at, accepted_at: c.accepted_at, cancelled_at: c.cancelled_at, assessmentStatus: c.assessmentStatus }, now);
    const kind = invitationReminderDue({ status, created_at: c.created_at, accepted_at: c.accepted_at, assessmentUpdatedAt: c.assessmentUpdatedAt, lastRemindedAt: c.lastRemindedAt }, now);
    if (kind) due.push({ id: c.id, kind });
  }
  const facts = await invitationFacts(db, due.map((d) => d.id));
  for (const { id, kind } of due) {
    if (options.dryRun) {
      summary[kind]++;
      continue;
    }
    const sent = await db.transaction().execute(async (trx) => {
      if (!(await claimReminder(trx, invitationSubject(id), now))) return false;
      await queue(trx, await invitationReminderMails(trx, facts.get(id)!, kind, options.origin), now);
      return true;
    });
    if (sent) summary[kind]++;
  }

  // (b) shared assessments about to stop being current, with no newer submission
  const window = { from: monthsAfter(now, -13).toISOString(), to: monthsAfter(now, -10).toISOString() };
  const shared = await db
    .selectFrom("assessment_share as sh")
    .innerJoin("assessment as a", "a.id", "sh.assessment_id")
    .innerJoin("submission as s", "s.assessment_id", "a.id")
    .innerJoin("organisation as buyer", "buyer.id", "sh.buyer_organisation_id")
    .leftJoin("reminder as r", (join) => join.on("r.subject", "=", sql<string>`${sql.lit(expirySubject(""))} || ${sql.ref("a.id")}`))
    .select(["a.id as assessmentId", "a.organisation_id as organisationId", "s.created_at as submittedAt", "buyer.name as buyerName", "r.last_sent_at as lastRemindedAt"])
    .where("sh.revoked_at", "is", null)
    .where("a.status", "!=", "draft")
    .where("s.created_at", ">", window.from)
    .where("s.created_at", "<", window.to)
    .execute();
  const byAssessment = new Map<string, { organisationId: string; submittedAt: string; lastRemindedAt: string | null; buyers: string[] }>();
  for (const s of shared) {
    const entry = byAssessment.get(s.assessmentId) ?? { organisationId: s.organisationId, submittedAt: s.submittedAt, lastRemindedAt: s.lastRemindedAt, buyers: [] };
    entry.buyers.push(s.buyerName);
    byAssessment.set(s.assessmentId, entry);
  }
  const latest = new Map<string, string>();
  const suppliers = [...new Set([...byAssessment.values()].map((e) => e.organisationId))];
  if (suppliers.length > 0) {
    const rows = await db.selectFrom("submission").select(["organisation_id", (eb) => eb.fn.max("created_at").as("latest")]).where("organisation_id", "in", suppliers).groupBy("organisation_id").execute();
    for (const r of rows) latest.set(r.organisation_id, String(r.latest));
  }
  for (const [assessmentId, e] of byAssessment) {
    const newer = (latest.get(e.organisationId) ?? e.submittedAt) > e.submittedAt;
    if (!expiryReminderDue({ submittedAt: e.submittedAt, newerSubmission: newer, lastRemindedAt: e.lastRemindedAt }, now)) continue;
    if (options.dryRun) {
      summary.expiry++;
      continue;
    }
    const sent = await db.transaction().execute(async (trx) => {
      if (!(await claimReminder(trx, expirySubject(assessmentId), now))) return false;
      const admins = await trx.selectFrom("user").select(["email", "name"]).where("organisation_id", "=", e.organisationId).where("role", "=", "admin").orderBy("email").execute();
      const buyers = [...new Set(e.buyers)].sort().join(", ");
      await queue(
        trx,
        admins.map((admin) => ({
          organisationId: e.organisationId,
          recipient: admin.email,
          subject: `Your modern slavery assessment stops being current on ${dateText(assessmentExpiresAt(e.submittedAt))}`,
          body: [
            `Dear ${admin.name},`,
            "",
            `Your organisation's modern slavery assessment, submitted on ${dateText(e.submittedAt)}, is shared with ${buyers}. It stops being current on ${dateText(assessmentExpiresAt(e.submittedAt))}, 12 months after it was submitted.`,
            "",
            `Start this year's assessment (your answers from last time are filled in for you to confirm or change): ${options.origin}/supplier`,
          ].join("\n"),
        })),
        now,
      );
      return true;
    });
    if (sent) summary.expiry++;
  }

  await remindFollowUp(db, options, now, summary);
  return summary;
}

/** Days ahead within which an open action is reminded about, and a review date. */
export const ACTION_NOTICE_DAYS = 14;
export const REVIEW_NOTICE_DAYS = 30;

/**
 * Follow-up reminders: agreed actions not done or cancelled that are overdue or due within 14
 * days, to whoever owns them (the supplier's administrators, or the buyer who recorded the
 * conversation); reviews due within 30 days, to that buyer. Each claimed like the others.
 */
async function remindFollowUp(db: Db, options: { origin: string; dryRun?: boolean }, now: Date, summary: ReminderSummary) {
  const today = now.toISOString().slice(0, 10);
  const actionsBy = daysAfter(now, ACTION_NOTICE_DAYS).toISOString().slice(0, 10);
  const reviewsBy = daysAfter(now, REVIEW_NOTICE_DAYS).toISOString().slice(0, 10);
  const actions = await db
    .selectFrom("conversation_action as a")
    .innerJoin("conversation as c", "c.id", "a.conversation_id")
    .innerJoin("assessment as s", "s.id", "a.assessment_id")
    .innerJoin("organisation as buyer", "buyer.id", "a.organisation_id")
    .innerJoin("user as recorder", "recorder.id", "c.created_by")
    .select(["a.id", "a.description", "a.owner_side", "a.owner_name", "a.due_on", "a.organisation_id as buyerId", "s.organisation_id as supplierId", "buyer.name as buyerName", "recorder.email as recorderEmail", "recorder.name as recorderName"])
    .where("c.status", "=", "finished")
    .where("a.status", "in", ["open", "in_progress"])
    .where("a.due_on", "<=", actionsBy)
    .orderBy("a.due_on")
    .execute();
  for (const a of actions) {
    if (options.dryRun) {
      if (reminderAllowed(await lastReminded(db, `action:${a.id}`), now).ok) summary.actions++;
      continue;
    }
    const sent = await db.transaction().execute(async (trx) => {
      if (!(await claimReminder(trx, `action:${a.id}`, now))) return false;
      const recipients =
        a.owner_side === "supplier"
          ? (await trx.selectFrom("user").select(["email", "name"]).where("organisation_id", "=", a.supplierId).where("role", "=", "admin").orderBy("email").execute()).map((u) => ({ ...u, organisationId: a.supplierId, link: `${options.origin}/actions/${a.id}` }))
          : [{ email: a.recorderEmail, name: a.recorderName, organisationId: a.buyerId, link: `${options.origin}/actions/${a.id}` }];
      const when = a.due_on < today ? `was due on ${dateText(a.due_on)} and is overdue` : `is due on ${dateText(a.due_on)}`;
      await queue(
        trx,
        recipients.map((r) => ({
          organisationId: r.organisationId,
          recipient: r.email,
          subject: a.due_on < today ? `Overdue: ${a.description}` : `Due on ${dateText(a.due_on)}: ${a.description}`,
          body: [`Dear ${r.name},`, "", `An action agreed with ${a.buyerName} ${when}: ${a.description} (owner: ${a.owner_name}).`, "", `Post progress or mark it done: ${r.link}`].join("\n"),
        })),
        now,
      );
      return true;
    });
    if (sent) summary.actions++;
  }

  const reviews = await db
    .selectFrom("conversation as c")
    .innerJoin("user as recorder", "recorder.id", "c.created_by")
    .innerJoin("assessment as s", "s.id", "c.assessment_id")
    .innerJoin("organisation as supplier", "supplier.id", "s.organisation_id")
    .select(["c.id", "c.assessment_id as assessmentId", "c.next_review_on as reviewOn", "c.held_on as heldOn", "c.organisation_id as buyerId", "recorder.email", "recorder.name", "supplier.name as supplierName"])
    .where("c.status", "=", "finished")
    .where("c.next_review_on", "is not", null)
    .where("c.next_review_on", "<=", reviewsBy)
    .execute();
  for (const r of reviews) {
    // A later finished conversation about the same assessment is the review itself.
    const later = await db.selectFrom("conversation").select("id").where("assessment_id", "=", r.assessmentId).where("organisation_id", "=", r.buyerId).where("status", "=", "finished").where("held_on", ">", r.heldOn ?? "").executeTakeFirst();
    if (later) continue;
    if (options.dryRun) {
      if (reminderAllowed(await lastReminded(db, `review:${r.id}`), now).ok) summary.reviews++;
      continue;
    }
    const sent = await db.transaction().execute(async (trx) => {
      if (!(await claimReminder(trx, `review:${r.id}`, now))) return false;
      await queue(
        trx,
        [
          {
            organisationId: r.buyerId,
            recipient: r.email,
            subject: `Review due: ${r.supplierName}`,
            body: [`Dear ${r.name},`, "", `The review agreed with ${r.supplierName} ${r.reviewOn! < today ? "was" : "is"} due on ${dateText(r.reviewOn!)}.`, "", `See the result and record the review conversation: ${options.origin}/results/${r.assessmentId}`].join("\n"),
          },
        ],
        now,
      );
      return true;
    });
    if (sent) summary.reviews++;
  }
}
