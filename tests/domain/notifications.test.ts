import { describe, expect, it } from "vitest";
import { DIGEST_WAIT_MS, NOTIFICATION_KINDS, NOTIFICATION_KIND_INFO, composeEmail, isNotificationKind, kindsFor, linkTo, readyBefore, readyToSend } from "../../app/domain/notifications";

const ORIGIN = "https://lantern.example.gov.uk";

describe("notification kinds", () => {
  it("each has a label and a description, and is offered to at least one side", () => {
    for (const kind of NOTIFICATION_KINDS) {
      expect(NOTIFICATION_KIND_INFO[kind].label).not.toBe("");
      expect(NOTIFICATION_KIND_INFO[kind].description).toMatch(/\.$/);
      expect(NOTIFICATION_KIND_INFO[kind].sides.length).toBeGreaterThan(0);
    }
  });

  it("a buyer chooses about suppliers, actions and reviews; a supplier about agreed and changed actions", () => {
    expect(kindsFor("buyer")).toEqual(["supplier_submitted", "supplier_shared", "action_updated", "action_awaiting_confirmation", "review_due"]);
    expect(kindsFor("supplier")).toEqual(["actions_agreed", "action_updated", "action_confirmed", "action_reopened"]);
  });

  it("recognises only its own kinds", () => {
    expect(isNotificationKind("review_due")).toBe(true);
    expect(isNotificationKind("review")).toBe(false);
    expect(isNotificationKind(undefined)).toBe(false);
  });
});

describe("when a person's notifications go", () => {
  const first = "2026-12-08T10:00:00.000Z";
  it("10 minutes after the first of them, not before", () => {
    expect(readyToSend(first, new Date("2026-12-08T10:09:59.999Z"))).toBe(false);
    expect(readyToSend(first, new Date("2026-12-08T10:10:00.000Z"))).toBe(true);
    expect(readyBefore(new Date("2026-12-08T10:10:00.000Z"))).toBe(first);
    expect(DIGEST_WAIT_MS).toBe(600_000);
  });
});

describe("composing the email", () => {
  const submitted = { subject: "Acme Facilities Ltd submitted its modern slavery assessment", body: `Acme has submitted.\n\nSee the result: ${linkTo("/results/abc")}`, createdAt: "2026-12-08T10:00:00.000Z" };
  const shared = { subject: "Brightwear Textiles Ltd shared its modern slavery assessment with you", body: `Brightwear has shared.\n\nSee the result: ${linkTo("/results/def")}`, createdAt: "2026-12-08T10:04:00.000Z" };

  it("one event is its own email, with its links at the public address", () => {
    const email = composeEmail("Tom Rivers", [submitted], ORIGIN);
    expect(email.subject).toBe(submitted.subject);
    expect(email.body).toMatch(/^Dear Tom Rivers,\n\nAcme has submitted\./);
    expect(email.body).toContain(`See the result: ${ORIGIN}/results/abc`);
    expect(email.body).not.toContain("{origin}");
    expect(email.body).toContain(`${ORIGIN}/account`);
  });

  it("several are one digest, oldest first, each with its subject, time and body", () => {
    const email = composeEmail("Tom Rivers", [shared, submitted], ORIGIN);
    expect(email.subject).toBe("2 updates from Lantern");
    expect(email.body).toContain("2 things have happened on Lantern");
    const one = email.body.indexOf(`1. ${submitted.subject} (8 December 2026 at 10am)`);
    const two = email.body.indexOf(`2. ${shared.subject} (8 December 2026 at 10:04am)`);
    expect(one).toBeGreaterThan(0);
    expect(two).toBeGreaterThan(one);
    expect(email.body).toContain(`${ORIGIN}/results/abc`);
    expect(email.body).toContain(`${ORIGIN}/results/def`);
    expect(email.body).not.toContain("{origin}");
    expect(email.body.trimEnd()).toMatch(/Your account.*\/account$/);
  });

  it("needs something to say", () => {
    expect(() => composeEmail("Tom Rivers", [], ORIGIN)).toThrow();
  });
});
