/** Sign-in under the stored throttles, with an injected clock, on SQLite or PostgreSQL. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn } from "../../app/services/auth.server";
import { DEMO_PASSWORD } from "../../db/seed";
import { type TestDb, createTestDb } from "../setup/db";

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t?.close());

const at = (minutes: number) => new Date(Date.UTC(2026, 5, 1, 9, 0) + minutes * 60_000);

describe("signing in under the throttle", () => {
  it("locks an account at an address after 10 failures, right password included, then lets it in after the wait", async () => {
    const email = "admin@acme.example";
    for (let i = 0; i < 9; i++) expect(await signIn(email, "wrong", "10.0.0.1", at(0))).toEqual({ ok: false, reason: "invalid" });
    const tenth = await signIn(email, "wrong", "10.0.0.1", at(0));
    expect(tenth).toMatchObject({ ok: false, reason: "throttled", wait: "1 minute", retryAt: at(1) });
    expect(await signIn(email, DEMO_PASSWORD, "10.0.0.1", at(0.5))).toMatchObject({ ok: false, reason: "throttled", retryAt: at(1) });
    // the same account from another address, and another account from this address, are not locked
    expect(await signIn(email, DEMO_PASSWORD, "10.0.0.2", at(0.5))).toMatchObject({ ok: true });
    expect(await signIn("contributor@acme.example", DEMO_PASSWORD, "10.0.0.1", at(0.5))).toMatchObject({ ok: true });
    // a failure after the wait locks again for twice as long
    expect(await signIn(email, "wrong", "10.0.0.1", at(1))).toMatchObject({ ok: false, reason: "throttled", retryAt: at(3) });
    expect(await signIn(email, DEMO_PASSWORD, "10.0.0.1", at(3))).toMatchObject({ ok: true });
    // success forgets that pair's failures
    expect(await signIn(email, "wrong", "10.0.0.1", at(3))).toEqual({ ok: false, reason: "invalid" });
  });

  it("email case and spacing do not open a fresh allowance", async () => {
    const email = "admin@brightwear.example";
    for (let i = 0; i < 10; i++) await signIn(i % 2 ? email.toUpperCase() : ` ${email} `, "wrong", "10.0.1.1", at(10));
    expect(await signIn(email, DEMO_PASSWORD, "10.0.1.1", at(10))).toMatchObject({ ok: false, reason: "throttled" });
  });

  it("an address spraying many accounts is locked for all of them", async () => {
    for (let i = 0; i < 50; i++) await signIn(`nobody${i}@example.org`, "wrong", "10.0.2.1", at(20));
    expect(await signIn("manager@dpw.example", DEMO_PASSWORD, "10.0.2.1", at(20))).toMatchObject({ ok: false, reason: "throttled" });
    expect(await signIn("manager@dpw.example", DEMO_PASSWORD, "10.0.2.2", at(20))).toMatchObject({ ok: true });
  });

  it("many addresses against one account lock it for at most five minutes", async () => {
    const email = "analyst@dpw.example";
    for (let i = 0; i < 100; i++) await signIn(email, "wrong", `10.1.${Math.floor(i / 9)}.${i % 9}`, at(40));
    const locked = await signIn(email, DEMO_PASSWORD, "10.9.9.9", at(40));
    expect(locked).toMatchObject({ ok: false, reason: "throttled" });
    expect(locked.ok === false && locked.reason === "throttled" && locked.retryAt.getTime() - at(40).getTime()).toBeLessThanOrEqual(5 * 60_000);
    expect(await signIn(email, DEMO_PASSWORD, "10.9.9.9", at(45))).toMatchObject({ ok: true });
  });
});
