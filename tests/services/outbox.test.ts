/**
 * The outbox delivered to a real SMTP server started in the test (smtp-server), read back; a
 * message that fails stays in the outbox and is tried again after its wait; two senders at once
 * send each message once; the outbox page shows an administrator only their organisation's mail.
 */
import type { AddressInfo } from "node:net";
import { createTransport } from "nodemailer";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OUTBOX_PAGE_SIZE, deliverOutbox, listOrganisationMail, outboxStatus, retryDelay } from "../../app/services/outbox.server";
import { loader as outboxPage } from "../../app/routes/outbox";
import { signedInCookie, userFor } from "../setup/requests";
import { newId } from "../../db/ids";
import { createTestDb, type TestDb } from "../setup/db";

let t: TestDb;
let smtp: SMTPServer;
let port: number;
const received: Array<{ to: string[]; raw: string }> = [];

beforeAll(async () => {
  t = await createTestDb();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      let raw = "";
      stream.on("data", (chunk: Buffer) => (raw += chunk.toString()));
      stream.on("end", () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  port = (smtp.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await t?.close();
});

const transportTo = (p: number) => createTransport({ host: "127.0.0.1", port: p, secure: false, ignoreTLS: true, connectionTimeout: 2000 });
const FROM = "Lantern <no-reply@lantern.invalid>";

async function enqueue(recipient: string, subject: string, body: string, at: Date, organisationId: string | null = null) {
  const id = newId();
  await t.db.insertInto("email_outbox").values({ id, recipient, subject, body, created_at: at.toISOString(), sent_at: null, next_attempt_at: null, last_error: null, organisation_id: organisationId }).execute();
  return id;
}

describe("delivering the outbox", () => {
  it("sends due messages to the mail server, once, and marks them sent", async () => {
    await t.db.deleteFrom("email_outbox").execute();
    const now = new Date("2026-06-01T09:00:00Z");
    const a = await enqueue("first@example.org", "You are invited", "Create your account: https://lantern.example/invitations/abc", now);
    await enqueue("second@example.org", "A reminder", "Please finish your assessment.", now);
    const transport = transportTo(port);
    // two senders at once (two instances, or a server and a cron job)
    const results = await Promise.all([deliverOutbox(t.db, transport, { from: FROM, now }), deliverOutbox(t.db, transport, { from: FROM, now })]);
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(2);
    expect(received.map((m) => m.to).sort()).toEqual([["first@example.org"], ["second@example.org"]]);
    const invite = received.find((m) => m.to[0] === "first@example.org")!.raw;
    expect(invite).toMatch(/^Subject: You are invited$/m);
    expect(invite).toMatch(/^From: Lantern <no-reply@lantern\.invalid>$/m);
    expect(invite).toContain("https://lantern.example/invitations/abc");
    const row = await t.db.selectFrom("email_outbox").selectAll().where("id", "=", a).executeTakeFirstOrThrow();
    expect(row.sent_at).not.toBeNull();
    expect(await deliverOutbox(t.db, transport, { from: FROM, now })).toEqual({ sent: 0, failed: 0 });
    transport.close();
  });

  it("keeps a message that fails and tries again after a wait that doubles", async () => {
    await t.db.deleteFrom("email_outbox").execute();
    received.length = 0;
    const start = new Date("2026-06-01T10:00:00Z");
    const id = await enqueue("third@example.org", "Your actions", "Two actions are due.", start);
    const closed = transportTo(1); // nothing listens on port 1
    expect(await deliverOutbox(t.db, closed, { from: FROM, now: start })).toEqual({ sent: 0, failed: 1 });
    let row = await t.db.selectFrom("email_outbox").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ sent_at: null, attempts: 1, next_attempt_at: new Date(start.getTime() + retryDelay(1)).toISOString() });
    expect(row.last_error).toBeTruthy();
    // not due yet: untouched
    expect(await deliverOutbox(t.db, transportTo(port), { from: FROM, now: new Date(start.getTime() + 30_000) })).toEqual({ sent: 0, failed: 0 });
    // fails again at its time: the wait doubles
    const second = new Date(start.getTime() + retryDelay(1));
    expect(await deliverOutbox(t.db, closed, { from: FROM, now: second })).toEqual({ sent: 0, failed: 1 });
    row = await t.db.selectFrom("email_outbox").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.next_attempt_at).toBe(new Date(second.getTime() + 2 * retryDelay(1)).toISOString());
    // the server is back: sent
    const third = new Date(second.getTime() + 2 * retryDelay(1));
    expect(await deliverOutbox(t.db, transportTo(port), { from: FROM, now: third })).toEqual({ sent: 1, failed: 0 });
    expect(received.map((m) => m.to)).toEqual([["third@example.org"]]);
    expect(retryDelay(20)).toBe(60 * 60_000);
    closed.close();
  });
});

describe("the outbox page", () => {
  it("shows an administrator their own organisation's mail only, newest first, paged, with its status", async () => {
    await t.db.deleteFrom("email_outbox").execute();
    const dpw = await userFor(t.db, "admin@dpw.example");
    const acme = await userFor(t.db, "admin@acme.example");
    const start = new Date("2026-06-02T09:00:00Z");
    for (let i = 0; i < OUTBOX_PAGE_SIZE + 2; i++) await enqueue(`supplier${i}@example.org`, `Invitation ${i}`, `Body ${i}`, new Date(start.getTime() + i * 60_000), dpw.organisationId);
    await enqueue("colleague@acme.example", "Acme's own", "Secret to Acme", start, acme.organisationId);
    await enqueue("system@example.org", "System mail", "For nobody's page", start, null);
    const first = await listOrganisationMail(t.db, dpw.organisationId, 1);
    expect(first.total).toBe(OUTBOX_PAGE_SIZE + 2);
    expect(first.pages).toBe(2);
    expect(first.messages[0]!.subject).toBe(`Invitation ${OUTBOX_PAGE_SIZE + 1}`);
    const second = await listOrganisationMail(t.db, dpw.organisationId, 2);
    expect(second.messages.map((m) => m.subject)).toEqual(["Invitation 1", "Invitation 0"]);
    expect([...first.messages, ...second.messages].some((m) => m.subject === "Acme's own" || m.subject === "System mail")).toBe(false);
    expect((await listOrganisationMail(t.db, acme.organisationId, 1)).messages.map((m) => m.subject)).toEqual(["Acme's own"]);

    // through the page: an administrator sees their own; anyone else is refused
    const page = (await outboxPage({ request: new Request("http://localhost/outbox?page=2", { headers: { Cookie: await signedInCookie(t.db, "admin@acme.example") } }), params: {}, context: {} })) as Awaited<ReturnType<typeof outboxPage>>;
    expect(page.messages.map((m) => m.body)).toEqual([]);
    const own = (await outboxPage({ request: new Request("http://localhost/outbox", { headers: { Cookie: await signedInCookie(t.db, "admin@acme.example") } }), params: {}, context: {} })) as Awaited<ReturnType<typeof outboxPage>>;
    expect(own.messages.map((m) => m.body)).toEqual(["Secret to Acme"]);
    for (const email of ["manager@dpw.example", "analyst@dpw.example", "contributor@acme.example"]) {
      const request = new Request("http://localhost/outbox", { headers: { Cookie: await signedInCookie(t.db, email) } });
      await expect(outboxPage({ request, params: {}, context: {} })).rejects.toMatchObject({ init: { status: 403 } });
    }
    await expect(outboxPage({ request: new Request("http://localhost/outbox"), params: {}, context: {} })).rejects.toMatchObject({ status: 302 });
  });

  it("describes each message's state", () => {
    expect(outboxStatus({ sent_at: "2026-06-02T09:00:00Z", attempts: 1, next_attempt_at: null, last_error: null })).toEqual({ state: "sent", sentAt: "2026-06-02T09:00:00Z" });
    expect(outboxStatus({ sent_at: null, attempts: 0, next_attempt_at: null, last_error: null })).toEqual({ state: "waiting", nextAttemptAt: null });
    expect(outboxStatus({ sent_at: null, attempts: 2, next_attempt_at: "2026-06-02T09:02:00Z", last_error: "connect ECONNREFUSED" })).toEqual({ state: "failed", attempts: 2, nextAttemptAt: "2026-06-02T09:02:00Z", lastError: "connect ECONNREFUSED" });
  });
});
