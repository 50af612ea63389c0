/**
 * The outbox delivered to a real SMTP server started in the test (smtp-server), read back; a
 * message that fails stays in the outbox and is tried again after its wait; two senders at once
 * send each message once.
 */
import type { AddressInfo } from "node:net";
import { createTransport } from "nodemailer";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverOutbox, retryDelay } from "../../app/services/outbox.server";
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

async function enqueue(recipient: string, subject: string, body: string, at: Date) {
  const id = newId();
  await t.db.insertInto("email_outbox").values({ id, recipient, subject, body, created_at: at.toISOString(), sent_at: null, next_attempt_at: null, last_error: null, organisation_id: null }).execute();
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
