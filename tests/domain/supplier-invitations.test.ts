/** Invitation rules with an injected clock: statuses, codes, the funnel, and when reminders are due. */
import { describe, expect, it } from "vitest";
import {
  CODE_ALPHABET,
  type InvitationStatus,
  assessmentExpiresAt,
  canRemind,
  encodeCode,
  expiryReminderDue,
  formatCode,
  funnelOf,
  funnelsBy,
  invitationReminderDue,
  invitationStatus,
  isCurrentSubmission,
  monthsAfter,
  normaliseCode,
  reminderAllowed,
} from "../../app/domain/supplier-invitations";

const NOW = new Date("2026-06-15T12:00:00Z");
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000).toISOString();

describe("invitation status", () => {
  const base = { expires_at: daysAgo(-10), accepted_at: null, cancelled_at: null, assessmentStatus: null };
  it("follows the columns and the linked assessment", () => {
    expect(invitationStatus(base, NOW)).toBe("invited");
    expect(invitationStatus({ ...base, expires_at: daysAgo(1) }, NOW)).toBe("expired");
    expect(invitationStatus({ ...base, expires_at: NOW.toISOString() }, NOW)).toBe("expired");
    expect(invitationStatus({ ...base, accepted_at: daysAgo(3), expires_at: daysAgo(1) }, NOW)).toBe("registered");
    expect(invitationStatus({ ...base, accepted_at: daysAgo(3), assessmentStatus: "draft" }, NOW)).toBe("in_progress");
    expect(invitationStatus({ ...base, accepted_at: daysAgo(3), assessmentStatus: "submitted" }, NOW)).toBe("submitted");
    expect(invitationStatus({ ...base, accepted_at: daysAgo(3), assessmentStatus: "completed" }, NOW)).toBe("completed");
    expect(invitationStatus({ ...base, accepted_at: daysAgo(3), assessmentStatus: "completed", cancelled_at: daysAgo(1) }, NOW)).toBe("cancelled");
  });
});

describe("codes", () => {
  it("encodes 60 bits as 12 characters of the unambiguous alphabet", () => {
    expect(encodeCode(new Uint8Array(8))).toBe("000000000000");
    expect(encodeCode(new Uint8Array(8).fill(255))).toBe("ZZZZZZZZZZZZ");
    const code = encodeCode(Uint8Array.from([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0]));
    expect(code).toHaveLength(12);
    expect([...code].every((c) => CODE_ALPHABET.includes(c))).toBe(true);
    expect(code).toBe("28T5CY4TQKFF");
    expect(CODE_ALPHABET).not.toMatch(/[ILOU]/);
    expect(() => encodeCode(new Uint8Array(7))).toThrow();
  });

  it("reads typed codes whatever the case, spacing and hyphens, and O, I, L as 0, 1, 1", () => {
    expect(formatCode("K7QM2XPD9WTR")).toBe("K7QM-2XPD-9WTR");
    expect(normaliseCode("K7QM-2XPD-9WTR")).toBe("K7QM2XPD9WTR");
    expect(normaliseCode(" k7qm 2xpd 9wtr ")).toBe("K7QM2XPD9WTR");
    expect(normaliseCode("k7qm–2xpd–9wtr")).toBe("K7QM2XPD9WTR");
    expect(normaliseCode("O0IL-0000-0000")).toBe("001100000000");
    expect(normaliseCode("K7QM-2XPD-9WT")).toBeUndefined();
    expect(normaliseCode("K7QM-2XPD-9WTU")).toBeUndefined();
    expect(normaliseCode("")).toBeUndefined();
  });
});

describe("the funnel", () => {
  const statuses: InvitationStatus[] = ["invited", "invited", "registered", "in_progress", "submitted", "completed", "completed", "expired", "cancelled"];
  it("counts cumulatively: a completed supplier has passed every stage", () => {
    expect(funnelOf(statuses)).toEqual({ reached: { invited: 7, registered: 5, in_progress: 4, submitted: 3, completed: 2 }, expired: 1, cancelled: 1, total: 9 });
    expect(funnelOf([])).toEqual({ reached: { invited: 0, registered: 0, in_progress: 0, submitted: 0, completed: 0 }, expired: 0, cancelled: 0, total: 0 });
  });
  it("groups by contract manager, sorted", () => {
    const rows = statuses.map((status, i) => ({ status, manager: i % 2 ? "b@x.example" : "a@x.example" }));
    const groups = funnelsBy(rows, (r) => r.manager, (r) => r.status);
    expect(groups.map((g) => g.key)).toEqual(["a@x.example", "b@x.example"]);
    expect(groups[0]!.funnel.total + groups[1]!.funnel.total).toBe(9);
    expect(groups[0]!.funnel.reached.completed + groups[1]!.funnel.reached.completed).toBe(2);
  });
});

describe("time rules", () => {
  it("adds calendar months, the 31st becoming the month's last day", () => {
    expect(monthsAfter(new Date("2026-01-31T10:00:00Z"), 1).toISOString()).toBe("2026-02-28T10:00:00.000Z");
    expect(monthsAfter(new Date("2025-06-15T00:00:00Z"), 12).toISOString()).toBe("2026-06-15T00:00:00.000Z");
    expect(monthsAfter(new Date("2026-06-15T00:00:00Z"), -13).toISOString()).toBe("2025-05-15T00:00:00.000Z");
  });
  it("a submission is current for 12 months", () => {
    expect(isCurrentSubmission("2025-06-16T00:00:00Z", NOW)).toBe(true);
    expect(isCurrentSubmission("2025-06-15T12:00:00Z", NOW)).toBe(false);
    expect(assessmentExpiresAt("2025-07-01T00:00:00Z").toISOString()).toBe("2026-07-01T00:00:00.000Z");
  });
  it("never reminds about one subject twice within 7 days", () => {
    expect(reminderAllowed(null, NOW)).toEqual({ ok: true });
    expect(reminderAllowed(daysAgo(7), NOW)).toEqual({ ok: true });
    expect(reminderAllowed(daysAgo(2), NOW)).toEqual({ ok: false, nextAt: new Date(NOW.getTime() + 5 * 86_400_000) });
  });
  it("a buyer can remind while the supplier has something to do", () => {
    expect((["invited", "registered", "in_progress", "submitted", "completed", "expired", "cancelled"] as const).filter(canRemind)).toEqual(["invited", "registered", "in_progress", "submitted"]);
  });
});

describe("automatic invitation reminders", () => {
  const facts = { status: "invited" as InvitationStatus, created_at: daysAgo(14), accepted_at: null, assessmentUpdatedAt: null, lastRemindedAt: null };
  it("an invitation not accepted after 14 days: remind the contact to join", () => {
    expect(invitationReminderDue(facts, NOW)).toBe("join");
    expect(invitationReminderDue({ ...facts, created_at: daysAgo(13) }, NOW)).toBeNull();
    expect(invitationReminderDue({ ...facts, created_at: daysAgo(20), lastRemindedAt: daysAgo(6) }, NOW)).toBeNull();
    expect(invitationReminderDue({ ...facts, created_at: daysAgo(20), lastRemindedAt: daysAgo(7) }, NOW)).toBe("join");
  });
  it("accepted, or in progress, with no activity for 14 days: remind the supplier to finish", () => {
    expect(invitationReminderDue({ ...facts, status: "registered", created_at: daysAgo(30), accepted_at: daysAgo(14) }, NOW)).toBe("finish");
    expect(invitationReminderDue({ ...facts, status: "registered", created_at: daysAgo(30), accepted_at: daysAgo(10) }, NOW)).toBeNull();
    expect(invitationReminderDue({ ...facts, status: "in_progress", created_at: daysAgo(40), accepted_at: daysAgo(30), assessmentUpdatedAt: daysAgo(15) }, NOW)).toBe("finish");
    expect(invitationReminderDue({ ...facts, status: "in_progress", created_at: daysAgo(40), accepted_at: daysAgo(30), assessmentUpdatedAt: daysAgo(2) }, NOW)).toBeNull();
  });
  it("nothing for the other statuses", () => {
    for (const status of ["submitted", "completed", "expired", "cancelled"] as const) expect(invitationReminderDue({ ...facts, status, created_at: daysAgo(60) }, NOW)).toBeNull();
  });
});

describe("re-assessment reminders", () => {
  it("due when a submission stops being current within 30 days and nothing newer exists", () => {
    const f = { submittedAt: "2025-07-01T00:00:00Z", newerSubmission: false, lastRemindedAt: null };
    expect(expiryReminderDue(f, NOW)).toBe(true); // expires 1 July 2026, 16 days away
    expect(expiryReminderDue({ ...f, newerSubmission: true }, NOW)).toBe(false);
    expect(expiryReminderDue({ ...f, lastRemindedAt: daysAgo(3) }, NOW)).toBe(false);
    expect(expiryReminderDue({ ...f, submittedAt: "2025-08-01T00:00:00Z" }, NOW)).toBe(false); // 47 days away
    expect(expiryReminderDue({ ...f, submittedAt: "2025-06-01T00:00:00Z" }, NOW)).toBe(false); // already out of date
  });
});
