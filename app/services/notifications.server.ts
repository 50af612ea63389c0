/**
 * Email notifications. An event writes one `notification` row per person who should hear of it,
 * inside the transaction that made the event (the unique (user_id, event_key) key makes a retried
 * request's or a second instance's copy a no-op). `flushNotifications` then gathers each person's
 * pending rows, once the first of them has waited 10 minutes, into one email in the outbox; the
 * rows are claimed in the transaction that writes the email, so two instances flushing at once
 * write it once.
 *
 * Who hears of what:
 * - a supplier submits or shares an assessment: at each buyer it is shared with, the contract
 *   managers named on that buyer's contracts linked to the supplier (the buyer's user whose email
 *   is the contract's contract manager email); when no linked contract names one of the buyer's
 *   users (or no contract is linked), the buyer's administrators (with none, its contract managers);
 * - a buyer finishes a conversation that agrees actions: the supplier's people;
 * - an action changes: the other side from whoever changed it (the supplier's people; or the buyer
 *   who recorded the conversation and the contract managers of linked contracts, while the
 *   assessment is still shared with the buyer);
 * - a review falls due: that same buyer side, once per conversation and review date.
 * Nobody hears of what they turned off on "Your account", system users never, and a person only
 * ever hears of their own organisation's business.
 */
import { type Transaction, sql } from "kysely";
import { newId } from "../../db/ids";
import type { Db } from "../../db/index";
import type { Database } from "../../db/schema";
import { isoToday } from "../domain/conversations";
import { formatDate } from "../domain/dates";
import { type NotificationKind, composeEmail, isNotificationKind, kindsFor, linkTo, readyBefore } from "../domain/notifications";
import { plural } from "../domain/text";
import { env } from "../env.server";
import type { CurrentUser } from "./auth.server";
import { getDb } from "./db.server";
import { contractsOfSupplier } from "./supplier-links.server";

type Conn = Db | Transaction<Database>;

export type NotificationInput = { userId: string; kind: NotificationKind; eventKey: string; subject: string; body: string };

/**
 * Write one notification per (person, event): never a second copy of the same event for the same
 * person, none of a kind the person turned off, none to a system user.
 */
export async function notify(conn: Conn, notes: readonly NotificationInput[], now: Date): Promise<number> {
  if (notes.length === 0) return 0;
  const userIds = [...new Set(notes.map((n) => n.userId))];
  const [users, optouts] = await Promise.all([
    conn.selectFrom("user").select(["id", "organisation_id"]).where("id", "in", userIds).where("system", "=", 0).execute(),
    conn.selectFrom("notification_optout").select(["user_id", "kind"]).where("user_id", "in", userIds).execute(),
  ]);
  const organisationOf = new Map(users.map((u) => [u.id, u.organisation_id]));
  const off = new Set(optouts.map((o) => `${o.user_id} ${o.kind}`));
  const seen = new Set<string>();
  const rows = [];
  for (const n of notes) {
    const organisationId = organisationOf.get(n.userId);
    const key = `${n.userId} ${n.eventKey}`;
    if (!organisationId || off.has(`${n.userId} ${n.kind}`) || seen.has(key)) continue;
    seen.add(key);
    rows.push({ id: newId(), user_id: n.userId, organisation_id: organisationId, kind: n.kind, event_key: n.eventKey, subject: n.subject, body: n.body, created_at: now.toISOString(), outbox_id: null, sent_at: null });
  }
  if (rows.length === 0) return 0;
  const result = await conn
    .insertInto("notification")
    .values(rows)
    .onConflict((oc) => oc.columns(["user_id", "event_key"]).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0n);
}

// ---- who hears ----------------------------------------------------------------------------------

type Person = { id: string };

/** The supplier's people: its administrators and contributors (never a system user). */
async function supplierPeople(conn: Conn, supplierOrganisationId: string): Promise<Person[]> {
  return conn.selectFrom("user").select("id").where("organisation_id", "=", supplierOrganisationId).where("system", "=", 0).orderBy("email").execute();
}

/** The buyer's users named as contract manager on its contracts linked to the supplier. */
async function namedContractManagers(conn: Conn, buyerOrganisationId: string, supplierOrganisationId: string) {
  const contracts = await contractsOfSupplier(conn, buyerOrganisationId, [supplierOrganisationId]);
  const emails = new Set(contracts.map((c) => c.contract_manager_email?.trim().toLowerCase()).filter((e): e is string => !!e));
  if (emails.size === 0) return { contracts, managers: [] as Person[] };
  const users = await conn.selectFrom("user").select(["id", "email"]).where("organisation_id", "=", buyerOrganisationId).where("system", "=", 0).execute();
  return { contracts, managers: users.filter((u) => emails.has(u.email.trim().toLowerCase())) };
}

/**
 * Who at a buyer hears that a supplier submitted or shared: the named contract managers; when none
 * is one of its users, its administrators; with no administrator, its contract managers.
 */
async function buyerContacts(conn: Conn, buyerOrganisationId: string, supplierOrganisationId: string) {
  const { contracts, managers } = await namedContractManagers(conn, buyerOrganisationId, supplierOrganisationId);
  if (managers.length > 0) return { contracts, people: managers };
  const staff = await conn.selectFrom("user").select(["id", "role"]).where("organisation_id", "=", buyerOrganisationId).where("role", "in", ["admin", "contract_manager"]).where("system", "=", 0).orderBy("email").execute();
  const admins = staff.filter((u) => u.role === "admin");
  return { contracts, people: admins.length > 0 ? admins : staff };
}

/** The buyer side of a conversation: whoever recorded it, and the contract managers of linked contracts. */
async function conversationBuyerSide(conn: Conn, conversation: { created_by: string; organisation_id: string }, supplierOrganisationId: string): Promise<Person[]> {
  const { managers } = await namedContractManagers(conn, conversation.organisation_id, supplierOrganisationId);
  const recorder = await conn.selectFrom("user").select("id").where("id", "=", conversation.created_by).where("organisation_id", "=", conversation.organisation_id).executeTakeFirst();
  const people = [...(recorder ? [recorder] : []), ...managers];
  return people.filter((p, i) => people.findIndex((q) => q.id === p.id) === i);
}

async function stillShared(conn: Conn, assessmentId: string, buyerOrganisationId: string): Promise<boolean> {
  const share = await conn.selectFrom("assessment_share").select("id").where("assessment_id", "=", assessmentId).where("buyer_organisation_id", "=", buyerOrganisationId).where("revoked_at", "is", null).executeTakeFirst();
  return !!share;
}

const organisationName = async (conn: Conn, id: string) => (await conn.selectFrom("organisation").select("name").where("id", "=", id).executeTakeFirstOrThrow()).name;

const contractLines = (contracts: ReadonlyArray<{ reference: string; title: string }>) =>
  contracts.length === 0 ? [] : ["", `${contracts.length === 1 ? "Your contract" : "Your contracts"} with them:`, ...contracts.map((c) => `  ${c.reference}: ${c.title}`)];

// ---- events -------------------------------------------------------------------------------------

/** A supplier submitted an assessment: tell each buyer it is shared with now. Call inside the submitting transaction. */
export async function notifySubmitted(conn: Conn, input: { assessmentId: string; submissionId: string; supplierOrganisationId: string }, now: Date): Promise<void> {
  const shares = await conn
    .selectFrom("assessment_share")
    .select("buyer_organisation_id")
    .where("assessment_id", "=", input.assessmentId)
    .where("supplier_organisation_id", "=", input.supplierOrganisationId)
    .where("revoked_at", "is", null)
    .execute();
  if (shares.length === 0) return;
  const supplierName = await organisationName(conn, input.supplierOrganisationId);
  const notes: NotificationInput[] = [];
  for (const share of shares) {
    const { contracts, people } = await buyerContacts(conn, share.buyer_organisation_id, input.supplierOrganisationId);
    const subject = `${supplierName} submitted its modern slavery assessment`;
    const body = [
      `${supplierName} has submitted its modern slavery assessment, which it shares with your organisation.`,
      ...contractLines(contracts),
      "",
      `See the result: ${linkTo(`/results/${input.assessmentId}`)}`,
    ].join("\n");
    for (const p of people) notes.push({ userId: p.id, kind: "supplier_submitted", eventKey: `submitted:${input.submissionId}`, subject, body });
  }
  await notify(conn, notes, now);
}

/**
 * A supplier shared an assessment with a buyer (directly, or by answering its invitation): tell the
 * buyer, if the assessment is submitted (a draft shared through an invitation is told of when it is
 * submitted). Call inside the sharing transaction, after the share is written.
 */
export async function notifyShared(conn: Conn, input: { assessmentId: string; buyerOrganisationId: string }, now: Date): Promise<void> {
  const share = await conn
    .selectFrom("assessment_share as sh")
    .innerJoin("assessment as a", "a.id", "sh.assessment_id")
    .innerJoin("organisation as supplier", "supplier.id", "sh.supplier_organisation_id")
    .select(["sh.id", "sh.shared_at", "sh.supplier_organisation_id", "a.status", "supplier.name as supplierName"])
    .where("sh.assessment_id", "=", input.assessmentId)
    .where("sh.buyer_organisation_id", "=", input.buyerOrganisationId)
    .where("sh.revoked_at", "is", null)
    .executeTakeFirst();
  if (!share || share.status === "draft") return;
  const { contracts, people } = await buyerContacts(conn, input.buyerOrganisationId, share.supplier_organisation_id);
  const subject = `${share.supplierName} shared its modern slavery assessment with you`;
  const body = [`${share.supplierName} has shared its modern slavery assessment with your organisation.`, ...contractLines(contracts), "", `See the result: ${linkTo(`/results/${input.assessmentId}`)}`].join("\n");
  await notify(
    conn,
    people.map((p) => ({ userId: p.id, kind: "supplier_shared" as const, eventKey: `shared:${share.id}:${share.shared_at}`, subject, body })),
    now,
  );
}

/** A buyer finished a conversation: if it agreed actions, tell the supplier's people. Call inside the finishing transaction. */
export async function notifyActionsAgreed(conn: Conn, conversationId: string, now: Date): Promise<void> {
  const conversation = await conn
    .selectFrom("conversation as c")
    .innerJoin("assessment as a", "a.id", "c.assessment_id")
    .innerJoin("organisation as buyer", "buyer.id", "c.organisation_id")
    .select(["c.id", "c.held_on", "a.organisation_id as supplierId", "buyer.name as buyerName"])
    .where("c.id", "=", conversationId)
    .executeTakeFirst();
  if (!conversation) return;
  const actions = await conn.selectFrom("conversation_action").select(["description", "owner_side", "owner_name", "due_on"]).where("conversation_id", "=", conversationId).orderBy("due_on").orderBy("id").execute();
  if (actions.length === 0) return;
  const subject = `${conversation.buyerName} recorded ${plural(actions.length, "agreed action")}`;
  const body = [
    `${conversation.buyerName} recorded its conversation with your organisation${conversation.held_on ? ` of ${formatDate(conversation.held_on)}` : ""}, with ${plural(actions.length, "agreed action")}:`,
    "",
    ...actions.map((a) => `  - ${a.description} (owner: ${a.owner_name}, ${a.owner_side === "supplier" ? "your organisation" : conversation.buyerName}; due ${formatDate(a.due_on)})`),
    "",
    `See them and post progress: ${linkTo("/supplier/actions")}`,
  ].join("\n");
  const people = await supplierPeople(conn, conversation.supplierId);
  await notify(conn, people.map((p) => ({ userId: p.id, kind: "actions_agreed" as const, eventKey: `agreed:${conversationId}`, subject, body })), now);
}

export type ActionEvent = "updated" | "awaiting_confirmation" | "confirmed" | "reopened";

/**
 * Something happened to an agreed action: tell the other side from the actor (the supplier's
 * people; or the buyer who recorded the conversation and the contract managers of linked contracts,
 * while the assessment is shared with the buyer). Call inside the transaction that changed it,
 * after writing its action_update row if there is one (its id names the event).
 */
export async function notifyActionEvent(
  trx: Conn,
  input: { actionId: string; event: ActionEvent; actor: CurrentUser; note: string | null },
  now: Date,
): Promise<void> {
  const action = await trx
    .selectFrom("conversation_action as act")
    .innerJoin("conversation as c", "c.id", "act.conversation_id")
    .innerJoin("assessment as a", "a.id", "act.assessment_id")
    .innerJoin("organisation as buyer", "buyer.id", "act.organisation_id")
    .innerJoin("organisation as supplier", "supplier.id", "a.organisation_id")
    .select(["act.id", "act.description", "act.assessment_id", "act.organisation_id as buyerId", "a.organisation_id as supplierId", "c.created_by", "buyer.name as buyerName", "supplier.name as supplierName"])
    .where("act.id", "=", input.actionId)
    .executeTakeFirst();
  if (!action) return;
  const actorIsSupplier = input.actor.organisationId === action.supplierId;
  const actorIsBuyer = input.actor.organisationId === action.buyerId;
  if (!actorIsSupplier && !actorIsBuyer) return;
  const people = actorIsSupplier
    ? (await stillShared(trx, action.assessment_id, action.buyerId))
      ? await conversationBuyerSide(trx, { created_by: action.created_by, organisation_id: action.buyerId }, action.supplierId)
      : []
    : await supplierPeople(trx, action.supplierId);
  const recipients = people.filter((p) => p.id !== input.actor.id);
  if (recipients.length === 0) return;
  const update = await trx
    .selectFrom("action_update")
    .select("id")
    .where("action_id", "=", action.id)
    .where("user_id", "=", input.actor.id)
    .where("created_at", "=", now.toISOString())
    .orderBy("id", "desc")
    .executeTakeFirst();
  const eventKey = update ? `action:${update.id}:${input.event}` : `action:${action.id}:${input.event}:${now.toISOString()}`;
  const who = `${input.actor.name} (${input.actor.organisationName})`;
  const { subject, said } = {
    updated: { subject: `Action updated: ${action.description}`, said: `${who} posted an update on an action agreed between ${action.buyerName} and ${action.supplierName}:` },
    awaiting_confirmation: { subject: `Confirm an action is done: ${action.description}`, said: `${who} says this action is done and asks you to confirm it:` },
    confirmed: { subject: `Action confirmed as done: ${action.description}`, said: `${who} confirmed that this action is done:` },
    reopened: { subject: `Action reopened: ${action.description}`, said: `${who} reopened this action:` },
  }[input.event];
  const body = [said, "", `  ${action.description}`, ...(input.note ? ["", `Their note: ${input.note}`] : []), "", `See the action: ${linkTo(`/actions/${action.id}`)}`].join("\n");
  await notify(trx, recipients.map((p) => ({ userId: p.id, kind: `action_${input.event}` as NotificationKind, eventKey, subject, body })), now);
}

/**
 * Reviews that have fallen due (next review date today or earlier, no later finished conversation
 * about the assessment, still shared): tell the buyer side, once per conversation and review date.
 */
export async function notifyReviewsDue(db: Db, now: Date): Promise<number> {
  const today = isoToday(now);
  const due = await db
    .selectFrom("conversation as c")
    .innerJoin("assessment as a", "a.id", "c.assessment_id")
    .innerJoin("organisation as supplier", "supplier.id", "a.organisation_id")
    .innerJoin("assessment_share as sh", (join) => join.onRef("sh.assessment_id", "=", "c.assessment_id").onRef("sh.buyer_organisation_id", "=", "c.organisation_id"))
    .select(["c.id", "c.assessment_id", "c.organisation_id", "c.created_by", "c.held_on", "c.next_review_on", "a.organisation_id as supplierId", "supplier.name as supplierName"])
    .where("c.status", "=", "finished")
    .where("c.next_review_on", "is not", null)
    .where("c.next_review_on", "<=", today)
    .where("sh.revoked_at", "is", null)
    // Already noted for this date: nothing to do (the tick runs every 30 seconds).
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom("notification as n").select("n.id").where("n.kind", "=", "review_due").whereRef("n.event_key", "=", sql<string>`${sql.lit("review:")} || ${sql.ref("c.id")} || ${sql.lit(":")} || ${sql.ref("c.next_review_on")}`))),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("conversation as later")
            .select("later.id")
            .whereRef("later.assessment_id", "=", "c.assessment_id")
            .whereRef("later.organisation_id", "=", "c.organisation_id")
            .where("later.status", "=", "finished")
            .whereRef("later.held_on", ">", "c.held_on"),
        ),
      ),
    )
    .execute();
  let written = 0;
  for (const r of due) {
    const eventKey = `review:${r.id}:${r.next_review_on}`;
    const people = await conversationBuyerSide(db, { created_by: r.created_by, organisation_id: r.organisation_id }, r.supplierId);
    const subject = `Review due: ${r.supplierName}`;
    const body = [
      `The review agreed with ${r.supplierName}${r.held_on ? ` in your conversation of ${formatDate(r.held_on)}` : ""} is due on ${formatDate(r.next_review_on!)}.`,
      "",
      `See the result and record the review conversation: ${linkTo(`/results/${r.assessment_id}`)}`,
    ].join("\n");
    written += await notify(db, people.map((p) => ({ userId: p.id, kind: "review_due" as const, eventKey, subject, body })), now);
  }
  return written;
}

// ---- sending ------------------------------------------------------------------------------------

/**
 * Write one email per person whose first pending notification has waited 10 minutes: the event
 * itself, or a digest of everything pending. Each person's rows are claimed in the transaction that
 * writes the email, so of several instances flushing at once exactly one writes it.
 */
export async function flushNotifications(db: Db, now = new Date(), origin = env().PUBLIC_ORIGIN): Promise<{ emails: number; notifications: number }> {
  const ready = await db
    .selectFrom("notification")
    .select(["user_id", (eb) => eb.fn.min("created_at").as("oldest")])
    .where("outbox_id", "is", null)
    .groupBy("user_id")
    .having((eb) => eb.fn.min("created_at"), "<=", readyBefore(now))
    .execute();
  let emails = 0;
  let notifications = 0;
  for (const { user_id: userId } of ready) {
    const claimed = await db.transaction().execute(async (trx) => {
      const pending = await trx.selectFrom("notification").select(["id", "created_at"]).where("user_id", "=", userId).where("outbox_id", "is", null).where("created_at", "<=", now.toISOString()).execute();
      if (pending.length === 0 || pending.every((p) => p.created_at > readyBefore(now))) return 0;
      const outboxId = newId();
      const result = await trx
        .updateTable("notification")
        .set({ outbox_id: outboxId, sent_at: now.toISOString() })
        .where("user_id", "=", userId)
        .where("outbox_id", "is", null)
        .where("id", "in", pending.map((p) => p.id))
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return 0;
      const rows = await trx.selectFrom("notification").select(["subject", "body", "created_at", "organisation_id"]).where("outbox_id", "=", outboxId).orderBy("created_at").orderBy("id").execute();
      const user = await trx.selectFrom("user").select(["email", "name", "organisation_id"]).where("id", "=", userId).executeTakeFirstOrThrow();
      const email = composeEmail(user.name, rows.map((r) => ({ subject: r.subject, body: r.body, createdAt: r.created_at })), origin);
      await trx
        .insertInto("email_outbox")
        .values({ id: outboxId, organisation_id: user.organisation_id, recipient: user.email, subject: email.subject, body: email.body, created_at: now.toISOString(), sent_at: null, next_attempt_at: null, last_error: null })
        .execute();
      return rows.length;
    });
    if (claimed > 0) {
      emails++;
      notifications += claimed;
    }
  }
  return { emails, notifications };
}

/** What the server's tick and the `notifications` command do: note reviews that fell due, then write the emails that are ready. */
export async function runNotifications(db: Db, now = new Date(), origin = env().PUBLIC_ORIGIN) {
  const reviews = await notifyReviewsDue(db, now);
  return { reviews, ...(await flushNotifications(db, now, origin)) };
}

// ---- "Your account" -----------------------------------------------------------------------------

/** The kinds a user may choose, each with whether it is on (no opt-out). */
export async function notificationSettings(user: CurrentUser) {
  const db = await getDb();
  const off = new Set((await db.selectFrom("notification_optout").select("kind").where("user_id", "=", user.id).execute()).map((o) => o.kind));
  return kindsFor(user.organisationKind).map((kind) => ({ kind, on: !off.has(kind) }));
}

export type SettingsOutcome = { ok: true } | { ok: false; errors: Record<string, string> };

/**
 * Save the user's choice: the kinds ticked stay on, the others of the user's side are turned off.
 * Anything not one of those kinds is refused and nothing changes.
 */
export async function saveNotificationSettings(user: CurrentUser, ticked: readonly string[], now = new Date()): Promise<SettingsOutcome> {
  const offered = kindsFor(user.organisationKind);
  const unknown = ticked.filter((k) => !isNotificationKind(k) || !offered.includes(k));
  if (unknown.length > 0) return { ok: false, errors: { notifications: "Select only the emails listed" } };
  const on = new Set(ticked);
  const db = await getDb();
  await db.transaction().execute(async (trx) => {
    // Only this side's kinds are touched: an opt-out of another kind (none are offered) stays as it was.
    await trx.deleteFrom("notification_optout").where("user_id", "=", user.id).where("kind", "in", offered).execute();
    const off = offered.filter((k) => !on.has(k));
    if (off.length > 0) await trx.insertInto("notification_optout").values(off.map((kind) => ({ user_id: user.id, kind, created_at: now.toISOString() }))).execute();
  });
  return { ok: true };
}
