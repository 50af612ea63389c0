/**
 * Email notifications: each event reaches the people it is for and nobody else (another
 * organisation never), a kind turned off stays quiet, one event makes one row per person however
 * often it is told, a person's notifications within 10 minutes go as one digest, and two instances
 * flushing at once write each person's email once.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { newId } from "../../db/ids";
import { createDb, dbKind } from "../../db/index";
import { plausibleAnswers } from "../../db/seed";
import type { ConversationInput } from "../../app/domain/conversations";
import { kindsFor } from "../../app/domain/notifications";
import { saveAnswers, startAssessment, submitAssessment } from "../../app/services/assessments.server";
import type { CurrentUser } from "../../app/services/auth.server";
import { saveConversation, startConversation } from "../../app/services/conversations.server";
import { flushNotifications, notificationSettings, notify, notifyActionEvent, notifyReviewsDue, saveNotificationSettings } from "../../app/services/notifications.server";
import { currentQuestionnaire } from "../../app/services/questionnaires.server";
import { shareAssessment, shareWithBuyer, stopSharing } from "../../app/services/shares.server";
import { linkAssessment } from "../../app/services/supplier-invitation-answer.server";
import { invitationCode } from "../../app/services/supplier-invitation-codes.server";
import { acceptForOrganisation, invitationByCode } from "../../app/services/supplier-invitation-join.server";
import { inviteSupplier } from "../../app/services/supplier-invitation-send.server";
import { action as accountAction, loader as accountLoader } from "../../app/routes/account";
import { createTestDb, type TestDb } from "../setup/db";
import { formRequest, signedInCookie, userFor } from "../setup/requests";

const exec = promisify(execFile);
const ORIGIN = "https://lantern.example.gov.uk";
const NOW = new Date("2026-06-01T09:00:00Z");
const minutes = (n: number, from = NOW) => new Date(from.getTime() + n * 60_000);

let t: TestDb;
let dpwAdmin: CurrentUser;
let dpwManager: CurrentUser;
let dpwAnalyst: CurrentUser;
let nhsManager: CurrentUser;
let acmeAdmin: CurrentUser;
let acmeContributor: CurrentUser;
let brightwearAdmin: CurrentUser;
let secondManagerId: string;
let acmeSystemId: string;
let acmeAssessmentId: string;
let conversationId: string;
let actionId: string;

async function contract(organisationId: string, reference: string, supplierOrganisationId: string | null, managerEmail: string | null) {
  const id = newId();
  await t.db
    .insertInto("contract")
    .values({ id, organisation_id: organisationId, reference, title: `Title ${reference}`, supplier_name: "Supplier", supplier_company_number: null, supplier_country: "GB", supplier_organisation_id: supplierOrganisationId, category: "Cleaning", annual_value_pence: 1, total_value_pence: 1, start_date: "2026-04-01", end_date: "2029-03-31", contract_manager_email: managerEmail, tier_override: null, tier_override_reason: null, risk_indicators: null, risk_count: null, risk_assessed_by: null, risk_assessed_at: null, status_override: null, status_override_reason: null, created_at: NOW.toISOString(), updated_at: NOW.toISOString() })
    .execute();
  return id;
}

async function addUser(organisationId: string, email: string, role: "admin" | "contract_manager" | "contributor", system = 0) {
  const id = newId();
  await t.db.insertInto("user").values({ id, organisation_id: organisationId, email, name: email, role, password_hash: "x", system, created_at: NOW.toISOString() }).execute();
  return id;
}

/** Who has a notification of this kind, by email, sorted. */
async function told(kind: string): Promise<string[]> {
  const rows = await t.db.selectFrom("notification").innerJoin("user", "user.id", "notification.user_id").select("user.email").where("notification.kind", "=", kind).orderBy("user.email").execute();
  return rows.map((r) => r.email);
}

const reset = async () => {
  await t.db.deleteFrom("notification").execute();
  await t.db.deleteFrom("notification_optout").execute();
  await t.db.deleteFrom("email_outbox").execute();
};

const date = (iso: string) => {
  const [year, month, day] = iso.split("-");
  return { day: day!, month: month!, year: year! };
};

const conversation = (actions: ConversationInput["actions"], nextReviewOn = { day: "", month: "", year: "" }): ConversationInput => ({
  heldOn: date("2026-06-01"),
  buyerAttendees: "Tom Rivers",
  supplierAttendees: "Sam Carter",
  notes: "",
  recommendationsDiscussed: [],
  verifications: {},
  actions,
  nextReviewOn,
});

beforeAll(async () => {
  t = await createTestDb(NOW);
  dpwAdmin = await userFor(t.db, "admin@dpw.example");
  dpwManager = await userFor(t.db, "manager@dpw.example");
  dpwAnalyst = await userFor(t.db, "analyst@dpw.example");
  nhsManager = await userFor(t.db, "manager@nhs.example");
  acmeAdmin = await userFor(t.db, "admin@acme.example");
  acmeContributor = await userFor(t.db, "contributor@acme.example");
  brightwearAdmin = await userFor(t.db, "admin@brightwear.example");
  secondManagerId = await addUser(dpwManager.organisationId, "second.manager@dpw.example", "contract_manager");
  acmeSystemId = await addUser(acmeAdmin.organisationId, "imports@acme.example", "admin", 1);
  // The department's contracts with Acme: one names Tom Rivers (in other letter case), one a manager who is not a user.
  await contract(dpwManager.organisationId, "C-1", acmeAdmin.organisationId, "Manager@DPW.example");
  await contract(dpwManager.organisationId, "C-2", acmeAdmin.organisationId, "former.manager@dpw.example");
  await contract(dpwManager.organisationId, "C-9", null, "second.manager@dpw.example");

  // Acme's assessment, shared with both departments while a draft (as through invitations), then submitted.
  acmeAssessmentId = await startAssessment(acmeAdmin, NOW);
  const answers = Object.entries(plausibleAnswers(currentQuestionnaire(), 0.3)).map(([questionId, value]) => ({ questionId, value, baseRevision: 0 }));
  expect(await saveAnswers(acmeAdmin, acmeAssessmentId, answers, NOW)).toMatchObject({ ok: true });
  for (const buyer of [dpwManager, nhsManager]) {
    await t.db.transaction().execute((trx) => shareWithBuyer(trx, { assessmentId: acmeAssessmentId, supplierOrganisationId: acmeAdmin.organisationId, buyerOrganisationId: buyer.organisationId, userId: acmeAdmin.id, at: NOW }));
  }
});
afterAll(async () => t?.close());

describe("a supplier submits or shares", () => {
  it("submitting tells, at each buyer it is shared with, the contract managers named on linked contracts, else the buyer's administrators or managers", async () => {
    const outcome = await submitAssessment(acmeAdmin, acmeAssessmentId, NOW);
    expect(outcome).toMatchObject({ ok: true });
    // Tom is named on C-1; the Northshire department has no contract with Acme and no administrator, so its contract manager hears.
    expect(await told("supplier_submitted")).toEqual(["manager@dpw.example", "manager@nhs.example"]);
    const [row] = await t.db.selectFrom("notification").selectAll().where("user_id", "=", dpwManager.id).execute();
    expect(row).toMatchObject({ organisation_id: dpwManager.organisationId, event_key: `submitted:${(outcome as { submissionId: string }).submissionId}`, subject: "Acme Facilities Ltd submitted its modern slavery assessment", outbox_id: null });
    expect(row!.body).toContain("C-1: Title C-1");
    expect(row!.body).toContain(`{origin}/results/${acmeAssessmentId}`);
    expect(row!.body).not.toContain("C-9");
  });

  it("sharing tells the buyer (its administrators when no linked contract names one of its users); sharing again after stopping tells it again", async () => {
    await reset();
    const brightwearAssessment = await t.db.selectFrom("assessment").select("id").where("organisation_id", "=", brightwearAdmin.organisationId).where("status", "!=", "draft").executeTakeFirstOrThrow();
    expect(await shareAssessment(brightwearAdmin, brightwearAssessment.id, dpwAdmin.organisationId, NOW)).toMatchObject({ ok: true });
    expect(await told("supplier_shared")).toEqual(["admin@dpw.example"]);
    expect(await stopSharing(brightwearAdmin, brightwearAssessment.id, dpwAdmin.organisationId, true, minutes(1))).toMatchObject({ ok: true });
    expect(await shareAssessment(brightwearAdmin, brightwearAssessment.id, dpwAdmin.organisationId, minutes(2))).toMatchObject({ ok: true });
    expect(await told("supplier_shared")).toEqual(["admin@dpw.example", "admin@dpw.example"]);
    expect(await told("supplier_submitted")).toEqual([]);
  });

  it("answering an invitation with a submitted assessment shares it and tells the contract's manager; a draft waits for its submission", async () => {
    await reset();
    const contractId = await contract(nhsManager.organisationId, "N-1", null, "manager@nhs.example");
    const invited = await inviteSupplier(nhsManager, contractId, { email: "admin@brightwear.example", contactName: null }, ORIGIN, NOW);
    if (!invited.ok) throw new Error("not invited");
    const found = await invitationByCode(invitationCode(invited.invitationId));
    expect(await acceptForOrganisation(brightwearAdmin, found!, NOW)).toMatchObject({ ok: true });
    const brightwearAssessment = await t.db.selectFrom("assessment").select("id").where("organisation_id", "=", brightwearAdmin.organisationId).where("status", "!=", "draft").executeTakeFirstOrThrow();
    expect(await linkAssessment(brightwearAdmin, invited.invitationId, brightwearAssessment.id, NOW)).toMatchObject({ ok: true });
    expect(await told("supplier_shared")).toEqual(["manager@nhs.example"]);
    const [row] = await t.db.selectFrom("notification").select("body").execute();
    expect(row!.body).toContain("N-1: Title N-1");
  });
});

describe("follow-up", () => {
  it("finishing a conversation with agreed actions tells the supplier's people (never a system user), and nobody else", async () => {
    await reset();
    conversationId = await startConversation(dpwManager, acmeAssessmentId, NOW);
    const actions = [{ description: "Send the audit plan", ownerSide: "supplier" as const, ownerName: "Sam Carter", dueOn: date("2026-06-10"), recommendationId: "" }];
    expect(await saveConversation(dpwManager, conversationId, conversation(actions, date("2026-09-01")), true, NOW)).toMatchObject({ ok: true, finished: true });
    expect(await told("actions_agreed")).toEqual(["admin@acme.example", "contributor@acme.example"]);
    const rows = await t.db.selectFrom("notification").select(["event_key", "subject", "body", "user_id"]).execute();
    expect(rows.map((r) => r.event_key)).toEqual([`agreed:${conversationId}`, `agreed:${conversationId}`]);
    expect(rows.some((r) => r.user_id === acmeSystemId)).toBe(false);
    expect(rows[0]!.subject).toBe("Department for Public Works recorded 1 agreed action");
    expect(rows[0]!.body).toContain("Send the audit plan (owner: Sam Carter, your organisation; due 10 June 2026)");
    actionId = (await t.db.selectFrom("conversation_action").select("id").where("conversation_id", "=", conversationId).executeTakeFirstOrThrow()).id;
  });

  it("a conversation finished without actions tells nobody", async () => {
    await reset();
    const other = await startConversation(nhsManager, acmeAssessmentId, NOW);
    expect(await saveConversation(nhsManager, other, conversation([], date("2027-06-01")), true, NOW)).toMatchObject({ ok: true, finished: true });
    expect(await t.db.selectFrom("notification").selectAll().execute()).toEqual([]);
  });

  it("an action's change tells the other side: the supplier's people, or the recorder and the named contract managers", async () => {
    await reset();
    await t.db.transaction().execute((trx) => notifyActionEvent(trx, { actionId, event: "awaiting_confirmation", actor: acmeAdmin, note: "The plan is attached." }, minutes(1)));
    expect(await told("action_awaiting_confirmation")).toEqual(["manager@dpw.example"]);
    const [row] = await t.db.selectFrom("notification").select(["subject", "body"]).execute();
    expect(row!.subject).toBe("Confirm an action is done: Send the audit plan");
    expect(row!.body).toContain("Their note: The plan is attached.");
    expect(row!.body).toContain(`{origin}/actions/${actionId}`);
    await t.db.transaction().execute((trx) => notifyActionEvent(trx, { actionId, event: "confirmed", actor: dpwManager, note: null }, minutes(2)));
    expect(await told("action_confirmed")).toEqual(["admin@acme.example", "contributor@acme.example"]);
    await t.db.transaction().execute((trx) => notifyActionEvent(trx, { actionId, event: "updated", actor: acmeContributor, note: "Started" }, minutes(3)));
    expect(await told("action_updated")).toEqual(["manager@dpw.example"]);
    // The Northshire department, Brightwear and the department's others hear nothing of it.
    const everyone = await t.db.selectFrom("notification").innerJoin("user", "user.id", "notification.user_id").select("user.email").execute();
    expect(everyone.map((e) => e.email)).not.toEqual(expect.arrayContaining(["manager@nhs.example"]));
    expect(everyone.some((e) => ["admin@dpw.example", "analyst@dpw.example", "admin@brightwear.example", "second.manager@dpw.example"].includes(e.email))).toBe(false);
  });

  it("the same event told twice (a retried request) is one notification per person", async () => {
    await reset();
    for (let i = 0; i < 2; i++) await t.db.transaction().execute((trx) => notifyActionEvent(trx, { actionId, event: "reopened", actor: dpwManager, note: "Not yet" }, minutes(5)));
    expect(await told("action_reopened")).toEqual(["admin@acme.example", "contributor@acme.example"]);
  });

  it("a buyer that no longer sees the assessment hears nothing of its actions", async () => {
    await reset();
    await t.db.updateTable("assessment_share").set({ revoked_at: NOW.toISOString() }).where("assessment_id", "=", acmeAssessmentId).where("buyer_organisation_id", "=", dpwManager.organisationId).execute();
    try {
      await t.db.transaction().execute((trx) => notifyActionEvent(trx, { actionId, event: "updated", actor: acmeAdmin, note: "Done" }, minutes(6)));
      expect(await notifyReviewsDue(t.db, new Date("2026-09-02T09:00:00Z"))).toBe(0);
      expect(await t.db.selectFrom("notification").selectAll().execute()).toEqual([]);
    } finally {
      await t.db.updateTable("assessment_share").set({ revoked_at: null }).where("assessment_id", "=", acmeAssessmentId).where("buyer_organisation_id", "=", dpwManager.organisationId).execute();
    }
  });

  it("a review that falls due tells the buyer side once per conversation and date", async () => {
    await reset();
    expect(await notifyReviewsDue(t.db, new Date("2026-08-31T23:00:00Z"))).toBe(0);
    expect(await notifyReviewsDue(t.db, new Date("2026-09-01T06:00:00Z"))).toBe(1);
    expect(await notifyReviewsDue(t.db, new Date("2026-09-02T06:00:00Z"))).toBe(0);
    expect(await told("review_due")).toEqual(["manager@dpw.example"]);
    const [row] = await t.db.selectFrom("notification").select(["event_key", "subject"]).execute();
    expect(row).toEqual({ event_key: `review:${conversationId}:2026-09-01`, subject: "Review due: Acme Facilities Ltd" });
  });
});

describe("choosing which emails", () => {
  beforeEach(reset);

  it("a kind turned off is not told; the others still are", async () => {
    const supplierKinds = kindsFor("supplier");
    expect(await saveNotificationSettings(acmeContributor, supplierKinds.filter((k) => k !== "action_confirmed"), NOW)).toEqual({ ok: true });
    expect((await notificationSettings(acmeContributor)).filter((s) => !s.on).map((s) => s.kind)).toEqual(["action_confirmed"]);
    await t.db.transaction().execute((trx) => notifyActionEvent(trx, { actionId, event: "confirmed", actor: dpwManager, note: null }, minutes(20)));
    expect(await told("action_confirmed")).toEqual(["admin@acme.example"]);
    await t.db.transaction().execute((trx) => notifyActionEvent(trx, { actionId, event: "reopened", actor: dpwManager, note: null }, minutes(21)));
    expect(await told("action_reopened")).toEqual(["admin@acme.example", "contributor@acme.example"]);
  });

  it("a kind that is not offered to the person is refused and nothing changes", async () => {
    expect(await saveNotificationSettings(acmeContributor, ["actions_agreed"], NOW)).toEqual({ ok: true });
    expect(await saveNotificationSettings(acmeContributor, ["review_due"], NOW)).toEqual({ ok: false, errors: { notifications: "Select only the emails listed" } });
    expect(await saveNotificationSettings(acmeContributor, ["nonsense\u0000"], NOW)).toMatchObject({ ok: false });
    expect((await notificationSettings(acmeContributor)).filter((s) => s.on).map((s) => s.kind)).toEqual(["actions_agreed"]);
  });

  it("system users are never told", async () => {
    expect(await notify(t.db, [{ userId: acmeSystemId, kind: "actions_agreed", eventKey: "x", subject: "s", body: "b" }], NOW)).toBe(0);
  });

  it("the account page shows the person's side's kinds, saves ticked ones, and refuses anything else with a message", async () => {
    const cookie = await signedInCookie(t.db, "manager@dpw.example");
    const page = (await accountLoader({ request: new Request("http://localhost/account", { headers: { Cookie: cookie } }), params: {}, context: {} })) as { notifications: Array<{ kind: string; on: boolean; label: string }> };
    expect(page.notifications.map((n) => n.kind)).toEqual(kindsFor("buyer"));
    expect(page.notifications.every((n) => n.on)).toBe(true);
    const saved = await accountAction({ request: formRequest("/account", cookie, [["intent", "notifications"], ["notifications", "supplier_submitted"], ["notifications", "review_due"]]), params: {}, context: {} });
    expect(saved).toEqual({ errors: {}, saved: true });
    expect((await notificationSettings(dpwManager)).filter((s) => s.on).map((s) => s.kind)).toEqual(["supplier_submitted", "review_due"]);
    const refused = (await accountAction({ request: formRequest("/account", cookie, [["intent", "notifications"], ["notifications", "actions_agreed"]]), params: {}, context: {} })) as unknown as { init: { status: number }; data: { errors: Record<string, string> } };
    expect(refused.init.status).toBe(400);
    expect(refused.data.errors.notifications).toBe("Select only the emails listed");
    const noIntent = (await accountAction({ request: formRequest("/account", cookie, [["notifications", "review_due"]]), params: {}, context: {} })) as unknown as { init: { status: number } };
    expect(noIntent.init.status).toBe(400);
    expect((await notificationSettings(dpwManager)).filter((s) => s.on).map((s) => s.kind)).toEqual(["supplier_submitted", "review_due"]);
    // Everything unticked is a choice too.
    expect(await accountAction({ request: formRequest("/account", cookie, [["intent", "notifications"]]), params: {}, context: {} })).toEqual({ errors: {}, saved: true });
    expect((await notificationSettings(dpwManager)).every((s) => !s.on)).toBe(true);
    const anonymous = await accountAction({ request: formRequest("/account", "", [["intent", "notifications"]]), params: {}, context: {} }).catch((r: unknown) => r);
    expect((anonymous as Response).status).toBe(302);
  });
});

describe("sending", () => {
  beforeEach(reset);

  const note = (userId: string, key: string, subject = `Subject ${key}`) => ({ userId, kind: "review_due" as const, eventKey: key, subject, body: `Body ${key}: {origin}/results/x` });

  it("one event is one email, once 10 minutes have passed; several within 10 minutes are one digest", async () => {
    await notify(t.db, [note(dpwManager.id, "a"), note(dpwManager.id, "a")], NOW);
    await notify(t.db, [note(dpwManager.id, "b")], minutes(3));
    await notify(t.db, [note(dpwAdmin.id, "c", "Only one")], minutes(5));
    expect(await flushNotifications(t.db, minutes(9), ORIGIN)).toEqual({ emails: 0, notifications: 0 });
    expect(await flushNotifications(t.db, minutes(10), ORIGIN)).toEqual({ emails: 1, notifications: 2 });
    expect(await flushNotifications(t.db, minutes(14), ORIGIN)).toEqual({ emails: 0, notifications: 0 });
    expect(await flushNotifications(t.db, minutes(15), ORIGIN)).toEqual({ emails: 1, notifications: 1 });
    const mails = await t.db.selectFrom("email_outbox").selectAll().orderBy("created_at").execute();
    expect(mails.map((m) => [m.recipient, m.subject, m.organisation_id])).toEqual([
      ["manager@dpw.example", "2 updates from Lantern", dpwManager.organisationId],
      ["admin@dpw.example", "Only one", dpwAdmin.organisationId],
    ]);
    expect(mails[0]!.body).toContain("1. Subject a");
    expect(mails[0]!.body).toContain("2. Subject b");
    expect(mails[0]!.body).toContain(`${ORIGIN}/results/x`);
    expect(mails[1]!.body).toMatch(/^Dear Priya Shah,\n\nBody c: https:\/\/lantern\.example\.gov\.uk\/results\/x/);
    const rows = await t.db.selectFrom("notification").select(["outbox_id", "sent_at"]).where("user_id", "=", dpwManager.id).execute();
    expect(rows.every((r) => r.outbox_id === mails[0]!.id && r.sent_at === minutes(10).toISOString())).toBe(true);
    // The same event told again after it was sent is not a second email.
    await notify(t.db, [note(dpwManager.id, "a")], minutes(20));
    expect(await flushNotifications(t.db, minutes(40), ORIGIN)).toEqual({ emails: 0, notifications: 0 });
  });

  it("two connections flushing at once write one email per person", async () => {
    const people = [dpwAdmin, dpwManager, dpwAnalyst, nhsManager, acmeAdmin, acmeContributor, brightwearAdmin];
    for (const [i, p] of people.entries()) await notify(t.db, [note(p.id, `one-${i}`), note(p.id, `two-${i}`)], NOW);
    const url = process.env.DATABASE_URL;
    // better-sqlite3 blocks the thread while it waits for a lock, so one process shares one SQLite connection (the command test below runs two processes)
    const schema = dbKind(url) === "postgres" ? await currentSchema() : undefined;
    const other = schema ? createDb(url, { schema, poolSize: 5 }) : t.db;
    try {
      const runs = await Promise.all([flushNotifications(t.db, minutes(11), ORIGIN), flushNotifications(other, minutes(11), ORIGIN), flushNotifications(other, minutes(11), ORIGIN)]);
      expect(runs.reduce((n, r) => n + r.emails, 0)).toBe(people.length);
      const mails = await t.db.selectFrom("email_outbox").select("recipient").execute();
      expect(mails).toHaveLength(people.length);
      expect(new Set(mails.map((m) => m.recipient)).size).toBe(people.length);
    } finally {
      if (other !== t.db) await other.destroy();
    }
  });

  it("two notifications commands run at the same time write one email per person", async () => {
    const people = [dpwAdmin, dpwManager, nhsManager, acmeAdmin, brightwearAdmin];
    // the command runs at the real time: these were noted 11 minutes ago
    const noted = new Date(Date.now() - 11 * 60_000);
    for (const [i, p] of people.entries()) await notify(t.db, [note(p.id, `cli-${i}`), note(p.id, `cli2-${i}`)], noted);
    const dir = mkdtempSync(join(tmpdir(), "lantern-notifications-"));
    const env: NodeJS.ProcessEnv = { ...process.env, SESSION_SECRET_FILE: join(dir, "secret") };
    delete env.VITEST;
    const schema = dbKind(process.env.DATABASE_URL) === "postgres" ? await currentSchema() : undefined;
    if (schema) env.DATABASE_SCHEMA = schema;
    else {
      delete env.DATABASE_SCHEMA;
      env.DATABASE_URL = await sqliteFile();
    }
    try {
      const runs = await Promise.all([0, 1].map(() => exec("npx", ["tsx", "app/cli.ts", "notifications", "--origin", ORIGIN], { env })));
      const wrote = runs.map((r) => Number(/^Wrote (\d+) emails?/.exec(r.stdout)?.[1]));
      expect(wrote[0]! + wrote[1]!).toBe(people.length);
      const mails = await t.db.selectFrom("email_outbox").select(["recipient", "body"]).execute();
      expect(mails).toHaveLength(people.length);
      expect(new Set(mails.map((m) => m.recipient)).size).toBe(people.length);
      expect(mails[0]!.body).toContain(`${ORIGIN}/results/x`);
      const help = await exec("npx", ["tsx", "app/cli.ts", "notifications", "--help"], { env });
      expect(help.stdout).toContain("--origin");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

/** The PostgreSQL schema this file's database lives in. */
async function currentSchema(): Promise<string> {
  const { sql } = await import("kysely");
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(t.db);
  return rows[0]!.schema;
}

/** The SQLite file this file's database lives in. */
async function sqliteFile(): Promise<string> {
  const { sql } = await import("kysely");
  const { rows } = await sql<{ file: string }>`select file from pragma_database_list where name = 'main'`.execute(t.db);
  return rows[0]!.file;
}
