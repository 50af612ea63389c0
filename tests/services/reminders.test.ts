/**
 * Reminders: which are due, at a given time, and that each is sent once, even when `remind` runs on
 * two machines at once (two connections to one database here) or a buyer reminds meanwhile.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../db/ids";
import { createDb, dbKind } from "../../db/index";
import { describeSummary, parseOrigin } from "../../app/commands/remind";
import type { CurrentUser } from "../../app/services/auth.server";
import { claimReminder, remindSupplier, runReminders } from "../../app/services/reminders.server";
import { shareWithBuyer } from "../../app/services/shares.server";
import { invitationCode } from "../../app/services/supplier-invitation-codes.server";
import { acceptByLink } from "../../app/services/supplier-invitation-join.server";
import { inviteSupplier } from "../../app/services/supplier-invitation-send.server";
import { createTestDb, type TestDb } from "../setup/db";
import { userFor } from "../setup/requests";

const exec = promisify(execFile);
let t: TestDb;
let manager: CurrentUser;
let acmeAdmin: CurrentUser;
let brightwearAdmin: CurrentUser;
const ORIGIN = "https://lantern.example";
const T0 = new Date("2026-06-02T10:00:00Z");
const at = (days: number) => new Date(T0.getTime() + days * 86_400_000);

async function contract(reference: string) {
  const id = newId();
  await t.db
    .insertInto("contract")
    .values({ id, organisation_id: manager.organisationId, reference, title: `Title ${reference}`, supplier_name: "Supplier", supplier_company_number: null, supplier_country: "GB", supplier_organisation_id: null, category: "Cleaning", annual_value_pence: 1, total_value_pence: 1, start_date: "2026-04-01", end_date: "2029-03-31", contract_manager_email: null, tier_override: null, tier_override_reason: null, risk_indicators: null, risk_count: null, risk_assessed_by: null, risk_assessed_at: null, created_at: T0.toISOString(), updated_at: T0.toISOString() })
    .execute();
  return id;
}

async function invite(reference: string, email: string, when = T0) {
  const outcome = await inviteSupplier(manager, await contract(reference), { email, contactName: null }, ORIGIN, when);
  if (!outcome.ok) throw new Error("not invited");
  return outcome.invitationId;
}

const outbox = () => t.db.selectFrom("email_outbox").selectAll().orderBy("created_at").orderBy("recipient").execute();

async function reset() {
  await t.db.deleteFrom("assessment_share").execute();
  await t.db.deleteFrom("supplier_invitation").execute();
  await t.db.deleteFrom("contract").execute();
  await t.db.deleteFrom("reminder").execute();
  await t.db.deleteFrom("email_outbox").execute();
}

/** Where the test database is, for another connection or another process. */
async function location(): Promise<{ url: string; schema?: string }> {
  if (dbKind(process.env.DATABASE_URL) === "postgres") {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(t.db);
    return { url: process.env.DATABASE_URL!, schema: rows[0]!.schema };
  }
  const { rows } = await sql<{ name: string; file: string }>`pragma database_list`.execute(t.db);
  return { url: rows.find((r) => r.name === "main")!.file };
}

beforeAll(async () => {
  t = await createTestDb();
  manager = await userFor(t.db, "manager@dpw.example");
  acmeAdmin = await userFor(t.db, "admin@acme.example");
  brightwearAdmin = await userFor(t.db, "admin@brightwear.example");
});
afterAll(async () => t?.close());

describe("claiming a reminder", () => {
  it("succeeds once per 7 days per subject", async () => {
    expect(await claimReminder(t.db, "test:a", T0)).toBe(true);
    expect(await claimReminder(t.db, "test:a", at(6.9))).toBe(false);
    expect(await claimReminder(t.db, "test:b", at(1))).toBe(true);
    expect(await claimReminder(t.db, "test:a", at(7))).toBe(true);
    expect(await t.db.selectFrom("reminder").selectAll().where("subject", "=", "test:a").executeTakeFirstOrThrow()).toEqual({ subject: "test:a", last_sent_at: at(7).toISOString(), count: 2 });
  });
});

describe("invitation reminders", () => {
  it("reminds an invitation not accepted after 14 days with the same link, weekly, until it expires", async () => {
    await reset();
    const id = await invite("R-1", "contact@supplier.example");
    const code = invitationCode(id);
    const original = (await outbox())[0]!;
    expect(await runReminders(t.db, { origin: ORIGIN, now: at(13) })).toEqual({ join: 0, finish: 0, expiry: 0, actions: 0, reviews: 0 });
    expect(await runReminders(t.db, { origin: ORIGIN, now: at(14), dryRun: true })).toEqual({ join: 1, finish: 0, expiry: 0, actions: 0, reviews: 0 });
    expect(await outbox()).toHaveLength(1);
    expect(await runReminders(t.db, { origin: ORIGIN, now: at(14) })).toEqual({ join: 1, finish: 0, expiry: 0, actions: 0, reviews: 0 });
    const mails = await outbox();
    expect(mails).toHaveLength(2);
    expect(mails[1]).toMatchObject({ recipient: "contact@supplier.example", organisation_id: manager.organisationId, subject: expect.stringMatching(/^Reminder: /) });
    const link = `${ORIGIN}/join/${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
    expect(original.body).toContain(link);
    expect(mails[1]!.body).toContain(link);
    expect(await runReminders(t.db, { origin: ORIGIN, now: at(20) })).toEqual({ join: 0, finish: 0, expiry: 0, actions: 0, reviews: 0 });
    expect(await runReminders(t.db, { origin: ORIGIN, now: at(21) })).toEqual({ join: 1, finish: 0, expiry: 0, actions: 0, reviews: 0 });
    expect(await runReminders(t.db, { origin: ORIGIN, now: at(31) })).toEqual({ join: 0, finish: 0, expiry: 0, actions: 0, reviews: 0 }); // expired
  });

  it("reminds the supplier's administrators when an accepted invitation goes quiet; the buyer's reminder counts too", async () => {
    await reset();
    const id = await invite("R-2", "acme@acme.example");
    await acceptByLink(acmeAdmin, invitationCode(id), at(2));
    expect(await runReminders(t.db, { origin: ORIGIN, now: at(15) })).toEqual({ join: 0, finish: 0, expiry: 0, actions: 0, reviews: 0 });
    expect(await remindSupplier(manager, id, ORIGIN, at(12))).toEqual({ ok: true, recipients: 1 });
    expect(await runReminders(t.db, { origin: ORIGIN, now: at(16) })).toEqual({ join: 0, finish: 0, expiry: 0, actions: 0, reviews: 0 }); // within 7 days of the buyer's
    expect(await runReminders(t.db, { origin: ORIGIN, now: at(19) })).toEqual({ join: 0, finish: 1, expiry: 0, actions: 0, reviews: 0 });
    const last = (await outbox()).at(-1)!;
    expect(last).toMatchObject({ recipient: "admin@acme.example", organisation_id: manager.organisationId, subject: "Reminder: finish your modern slavery assessment for Department for Public Works" });
    expect(last.body).toContain(`${ORIGIN}/supplier/invitations/${id}`);
  });

  it("counts activity on the linked draft", async () => {
    await reset();
    const id = await invite("R-3", "acme@acme.example");
    await acceptByLink(acmeAdmin, invitationCode(id), T0);
    const draft = newId();
    await t.db
      .insertInto("assessment")
      .values({ id: draft, organisation_id: acmeAdmin.organisationId, questionnaire_id: "msat", questionnaire_version: "1.1.0", status: "draft", previous_submission_id: null, created_by: acmeAdmin.id, created_at: T0.toISOString(), updated_at: at(10).toISOString() })
      .execute();
    await t.db.updateTable("supplier_invitation").set({ assessment_id: draft, linked_at: T0.toISOString() }).where("id", "=", id).execute();
    expect(await runReminders(t.db, { origin: ORIGIN, now: at(23) })).toEqual({ join: 0, finish: 0, expiry: 0, actions: 0, reviews: 0 });
    expect(await runReminders(t.db, { origin: ORIGIN, now: at(24) })).toEqual({ join: 0, finish: 1, expiry: 0, actions: 0, reviews: 0 });
    await t.db.updateTable("supplier_invitation").set({ assessment_id: null, linked_at: null }).where("id", "=", id).execute();
    await t.db.deleteFrom("audit_log").where("entity_id", "=", draft).execute();
    await t.db.deleteFrom("assessment").where("id", "=", draft).execute();
  });
});

describe("re-assessment reminders", () => {
  it("reminds a supplier whose shared assessment stops being current within 30 days", async () => {
    await reset();
    // Brightwear's seeded submission: 330 days before 1 June 2026, so current until 6 July 2026
    const submitted = await t.db.selectFrom("submission").select(["assessment_id", "created_at"]).where("organisation_id", "=", brightwearAdmin.organisationId).executeTakeFirstOrThrow();
    await t.db.transaction().execute((trx) => shareWithBuyer(trx, { assessmentId: submitted.assessment_id, supplierOrganisationId: brightwearAdmin.organisationId, buyerOrganisationId: manager.organisationId, userId: brightwearAdmin.id, at: T0 }));
    expect(await runReminders(t.db, { origin: ORIGIN, now: new Date("2026-06-05T00:00:00Z") })).toEqual({ join: 0, finish: 0, expiry: 0, actions: 0, reviews: 0 });
    expect(await runReminders(t.db, { origin: ORIGIN, now: new Date("2026-06-07T10:00:00Z") })).toEqual({ join: 0, finish: 0, expiry: 1, actions: 0, reviews: 0 });
    const [mail] = await outbox();
    expect(mail).toMatchObject({ recipient: "admin@brightwear.example", organisation_id: brightwearAdmin.organisationId });
    expect(mail!.subject).toBe("Your modern slavery assessment stops being current on 6 July 2026");
    expect(mail!.body).toContain("shared with Department for Public Works");
    expect(await runReminders(t.db, { origin: ORIGIN, now: new Date("2026-06-10T10:00:00Z") })).toEqual({ join: 0, finish: 0, expiry: 0, actions: 0, reviews: 0 });
    expect(await runReminders(t.db, { origin: ORIGIN, now: new Date("2026-06-14T10:00:00Z") })).toEqual({ join: 0, finish: 0, expiry: 1, actions: 0, reviews: 0 });
    expect(await runReminders(t.db, { origin: ORIGIN, now: new Date("2026-07-07T10:00:00Z") })).toEqual({ join: 0, finish: 0, expiry: 0, actions: 0, reviews: 0 });
  });
});

describe("two machines at once", () => {
  it("two remind commands run at the same time send each reminder once", async () => {
    await reset();
    // the command runs at the real time: these invitations were sent 15 days ago
    const sent = new Date(Date.now() - 15 * 86_400_000);
    for (let i = 0; i < 12; i++) await invite(`C-${i}`, `contact${i}@supplier.example`, sent);
    const before = (await outbox()).length;
    const db = await location();
    const dir = mkdtempSync(join(tmpdir(), "lantern-remind-"));
    const env: NodeJS.ProcessEnv = { ...process.env, SESSION_SECRET_FILE: join(dir, "secret"), DATABASE_URL: db.url };
    delete env.VITEST;
    if (db.schema) env.DATABASE_SCHEMA = db.schema;
    else delete env.DATABASE_SCHEMA;
    try {
      const runs = await Promise.all([0, 1].map(() => exec("npx", ["tsx", "app/cli.ts", "remind", "--origin", ORIGIN], { env })));
      const sentBy = runs.map((r) => Number(/^Sent (\d+) reminders?/.exec(r.stdout)?.[1]));
      expect(sentBy[0]! + sentBy[1]!).toBe(12);
      const mails = (await outbox()).slice(before);
      expect(mails).toHaveLength(12);
      expect(new Set(mails.map((m) => m.recipient)).size).toBe(12);
      expect(runs[0]!.stdout).toMatch(/to invited suppliers who have not joined/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("and so do two connections in one process (PostgreSQL runs them truly at once)", async () => {
    await reset();
    for (let i = 0; i < 12; i++) await invite(`D-${i}`, `contact${i}@supplier.example`);
    const before = (await outbox()).length;
    const db = await location();
    // better-sqlite3 blocks the thread while it waits for a lock, so one process shares one SQLite connection
    const other = db.schema ? createDb(db.url, { schema: db.schema, poolSize: 5 }) : t.db;
    try {
      const runs = await Promise.all([runReminders(t.db, { origin: ORIGIN, now: at(15) }), runReminders(other, { origin: ORIGIN, now: at(15) }), runReminders(other, { origin: ORIGIN, now: at(15) })]);
      expect(runs.reduce((n, r) => n + r.join, 0)).toBe(12);
      expect((await outbox()).slice(before)).toHaveLength(12);
    } finally {
      if (other !== t.db) await other.destroy();
    }
  });
});

describe("the remind command", () => {
  it("checks its origin and describes what it did", () => {
    expect(parseOrigin("https://lantern.example.gov.uk")).toBe("https://lantern.example.gov.uk");
    expect(parseOrigin("https://lantern.example.gov.uk/")).toBe("https://lantern.example.gov.uk");
    expect(parseOrigin("https://lantern.example.gov.uk/path")).toBeUndefined();
    expect(parseOrigin("ftp://x")).toBeUndefined();
    expect(parseOrigin("nonsense")).toBeUndefined();
    expect(describeSummary({ join: 2, finish: 1, expiry: 0, actions: 1, reviews: 1 }, true)).toMatch(/^Would send 5 reminders \(dry run/);
  });

  it("runs from the command line, with --help and --dry-run", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lantern-remind-"));
    const env: NodeJS.ProcessEnv = { ...process.env, SESSION_SECRET_FILE: join(dir, "secret"), DATABASE_URL: join(dir, "cli.sqlite") };
    delete env.VITEST;
    delete env.DATABASE_SCHEMA;
    try {
      const help = await exec("npx", ["tsx", "app/cli.ts", "remind", "--help"], { env });
      expect(help.stdout).toContain("--dry-run");
      expect(help.stdout).toContain("--origin");
      const dry = await exec("npx", ["tsx", "app/cli.ts", "remind", "--dry-run", "--origin", "https://lantern.example"], { env });
      expect(dry.stdout).toMatch(/^Would send 0 reminders \(dry run/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
