/**
 * An invitation email end to end: sent by a buyer, delivered from the outbox over SMTP (nodemailer
 * configured from an smtp:// URL, as SMTP_URL is) to a real SMTP server started here (smtp-server),
 * and read back. A message the server refuses stays in the outbox, to be tried again later.
 */
import type { AddressInfo } from "node:net";
import { createTransport } from "nodemailer";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../db/ids";
import type { CurrentUser } from "../../app/services/auth.server";
import { deliverOutbox, retryDelay } from "../../app/services/outbox.server";
import { invitationCode } from "../../app/services/supplier-invitation-codes.server";
import { inviteSupplier } from "../../app/services/supplier-invitation-send.server";
import { formatCode } from "../../app/domain/supplier-invitations";
import { createTestDb, type TestDb } from "../setup/db";
import { userFor } from "../setup/requests";

let t: TestDb;
let smtp: SMTPServer;
let smtpUrl: string;
let manager: CurrentUser;
const received: Array<{ from: string; to: string[]; raw: string }> = [];
const REFUSED = "refused@supplier.example";
const FROM = "Lantern <no-reply@lantern.invalid>";

beforeAll(async () => {
  t = await createTestDb();
  manager = await userFor(t.db, "manager@dpw.example");
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address === REFUSED) {
        const error = new Error("Mailbox unavailable: no such user") as Error & { responseCode: number };
        error.responseCode = 550;
        return callback(error);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString("utf8") });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await t?.close();
});

/** The message as a reader sees it: headers unfolded, a quoted-printable body decoded. */
function readMessage(raw: string) {
  const split = raw.indexOf("\r\n\r\n");
  const headerText = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const headers = new Map(headerText.split("\r\n").map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]));
  let body = raw.slice(split + 4);
  if (/quoted-printable/i.test(headers.get("content-transfer-encoding") ?? "")) {
    body = Buffer.from(body.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))), "latin1").toString("utf8");
  } else if (/base64/i.test(headers.get("content-transfer-encoding") ?? "")) {
    body = Buffer.from(body, "base64").toString("utf8");
  }
  return { headers, body };
}

async function contract(reference: string) {
  const id = newId();
  await t.db
    .insertInto("contract")
    .values({ id, organisation_id: manager.organisationId, reference, title: "Uniforms for the estates team", supplier_name: "Supplier", supplier_company_number: null, supplier_country: "GB", supplier_organisation_id: null, category: "Textiles", annual_value_pence: 1, total_value_pence: 1, start_date: "2026-04-01", end_date: "2029-03-31", contract_manager_email: null, tier_override: null, tier_override_reason: null, risk_indicators: null, risk_count: null, risk_assessed_by: null, risk_assessed_at: null, created_at: "2026-06-01T00:00:00Z", updated_at: "2026-06-01T00:00:00Z" })
    .execute();
  return id;
}

describe("invitation email over SMTP", () => {
  it("is delivered with its subject, recipient and join link", async () => {
    const now = new Date("2026-06-02T09:00:00Z");
    const outcome = await inviteSupplier(manager, await contract("SMTP-1"), { email: "contact@supplier.example", contactName: "Dana Supplier" }, "https://lantern.example", now);
    if (!outcome.ok) throw new Error("not invited");
    const transport = createTransport(smtpUrl);
    try {
      expect(await deliverOutbox(t.db, transport, { from: FROM, now })).toEqual({ sent: 1, failed: 0 });
    } finally {
      transport.close();
    }
    expect(received).toHaveLength(1);
    const message = received[0]!;
    expect(message.to).toEqual(["contact@supplier.example"]);
    expect(message.from).toBe("no-reply@lantern.invalid");
    const { headers, body } = readMessage(message.raw);
    expect(headers.get("to")).toBe("contact@supplier.example");
    expect(headers.get("subject")).toBe("Department for Public Works asks you to complete a modern slavery assessment for contract SMTP-1");
    const code = formatCode(invitationCode(outcome.invitationId));
    expect(body).toContain(`https://lantern.example/join/${code}`);
    expect(body).toContain(`sign in and enter this code: ${code}`);
    expect(body).toContain("Dear Dana Supplier,");
    const row = await t.db.selectFrom("email_outbox").selectAll().where("recipient", "=", "contact@supplier.example").executeTakeFirstOrThrow();
    expect(row.sent_at).not.toBeNull();
    expect(row.attempts).toBe(0);
  });

  it("a message the server refuses stays in the outbox, to be tried again after its wait", async () => {
    received.length = 0;
    const now = new Date("2026-06-03T09:00:00Z");
    const outcome = await inviteSupplier(manager, await contract("SMTP-2"), { email: REFUSED, contactName: null }, "https://lantern.example", now);
    if (!outcome.ok) throw new Error("not invited");
    const transport = createTransport(smtpUrl);
    try {
      expect(await deliverOutbox(t.db, transport, { from: FROM, now })).toEqual({ sent: 0, failed: 1 });
    } finally {
      transport.close();
    }
    expect(received).toEqual([]);
    const row = await t.db.selectFrom("email_outbox").selectAll().where("recipient", "=", REFUSED).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ sent_at: null, attempts: 1, next_attempt_at: new Date(now.getTime() + retryDelay(1)).toISOString() });
    expect(row.last_error).toMatch(/550|Mailbox unavailable/);
  });
});
