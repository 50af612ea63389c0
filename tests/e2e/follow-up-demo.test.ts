/**
 * Follow-up that sees everything, on the demo: the work queue lists every current result with an
 * open red flag (checked against the database, not the app's own rule); Willow Group Ltd, which
 * shared its result without an invitation, shows its High result on its priority contract; a
 * supplier marks an action done, the department confirms it, and the emails reach the outbox. The
 * tracker works without JavaScript; axe on every page.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, type Db } from "../../db/index";
import { flushNotifications } from "../../app/services/notifications.server";
import { expectAccessible, launch, signIn } from "./browser";

const baseUrl = inject("baseUrl");
const database = inject("database");
const ACTION = "Commission an independent audit, with worker interviews, of the two Coimbatore spinning mills";
let browser: Browser;
let db: Db;
let dpw: string;

beforeAll(async () => {
  browser = await launch();
  db = createDb(database.url, { schema: database.schema, poolSize: 2 });
  dpw = (await db.selectFrom("organisation").select("id").where("slug", "=", "department-for-public-works").executeTakeFirstOrThrow()).id;
});
afterAll(async () => {
  await browser?.close();
  await db?.destroy();
});

async function signedIn(email: string, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await signIn(page, baseUrl, email);
  return page;
}

const section = (page: Page, id: string) => page.locator(`section[aria-labelledby="${id}"]`).innerText();

/** Suppliers whose latest submission shared with the department raised a red flag that no finished conversation of the department has discussed. */
async function openRedFlagSuppliers(): Promise<string[]> {
  const rows = await db
    .selectFrom("assessment_share as sh")
    .innerJoin("assessment as a", "a.id", "sh.assessment_id")
    .innerJoin("submission as s", "s.assessment_id", "a.id")
    .innerJoin("organisation as o", "o.id", "a.organisation_id")
    .select(["a.id", "o.name", "s.created_at", "s.result"])
    .where("sh.buyer_organisation_id", "=", dpw)
    .where("sh.revoked_at", "is", null)
    .where("a.status", "!=", "draft")
    .execute();
  const latest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) if (!latest.has(r.name) || latest.get(r.name)!.created_at < r.created_at) latest.set(r.name, r);
  const finished = new Set(
    (await db.selectFrom("conversation").select("assessment_id").where("organisation_id", "=", dpw).where("status", "=", "finished").execute()).map((c) => c.assessment_id),
  );
  return [...latest.values()].filter((r) => (JSON.parse(r.result) as { redFlags: unknown[] }).redFlags.length > 0 && !finished.has(r.id)).map((r) => r.name);
}

describe("follow-up on the demo", () => {
  it("the work queue lists every current result with an open red flag, submitted or completed", { timeout: 120_000 }, async () => {
    const expected = await openRedFlagSuppliers();
    expect(expected.length).toBeGreaterThan(10);
    const manager = await signedIn("manager@dpw.example");
    await manager.goto(`${baseUrl}/queue`);
    const queue = await section(manager, "follow-up");
    for (const name of expected) {
      expect(queue, name).toContain(name);
      const row = manager.locator('section[aria-labelledby="follow-up"] tr', { has: manager.getByRole("link", { name, exact: true }) });
      expect(await row.innerText(), name).toMatch(/red flag/i);
    }
    // Open red flags come first.
    const firstRows = await manager.locator('section[aria-labelledby="follow-up"] tbody tr').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).innerText));
    expect(firstRows.slice(0, expected.length).every((text) => /red flag/i.test(text))).toBe(true);
    await expectAccessible(manager);

    // The results list's filter shows the same results.
    await manager.goto(`${baseUrl}/results?followUp=yes`);
    const results = await manager.locator("main").innerText();
    for (const name of expected) expect(results, name).toContain(name);
    await expectAccessible(manager);
  });

  it("Willow Group Ltd's priority contract shows the High result it shared without an invitation", { timeout: 120_000 }, async () => {
    const contract = await db
      .selectFrom("contract")
      .select(["id", "reference"])
      .where("organisation_id", "=", dpw)
      .where("supplier_name", "=", "Willow Group Ltd")
      .where("risk_count", ">=", 4)
      .executeTakeFirstOrThrow();
    const invitations = await db.selectFrom("supplier_invitation").select("id").where("contract_id", "=", contract.id).execute();
    expect(invitations).toEqual([]);
    const manager = await signedIn("manager@dpw.example");
    await manager.goto(`${baseUrl}/contracts/${contract.id}`);
    expect(await manager.locator("main").innerText()).toContain("Priority contract");
    const supplier = await section(manager, "supplier-result");
    expect(supplier).toContain("Willow Group Ltd's current result");
    expect(supplier).toContain("High risk");
    expect(supplier).toContain("Follow-up needed");
    await expectAccessible(manager);
    await manager.getByRole("link", { name: "Willow Group Ltd's current result" }).click();
    await expect.poll(() => manager.url()).toMatch(/\/results\/[0-9a-f-]{36}$/);
    expect(await section(manager, "contracts")).toContain(contract.reference);
    await expectAccessible(manager);
    // The register says the same: its supplier has shared a result.
    await manager.goto(`${baseUrl}/contracts?q=${encodeURIComponent(contract.reference)}`);
    expect(await manager.locator("main").innerText()).toContain("Result shared");
  });

  it("the supplier marks an action done, the department confirms it; both are told by email", { timeout: 180_000 }, async () => {
    // The supplier, without JavaScript.
    const supplier = await signedIn("admin@brightwear.example", false);
    await supplier.goto(`${baseUrl}/supplier/actions`);
    const href = (await supplier.getByRole("link", { name: ACTION }).getAttribute("href"))!;
    await supplier.goto(`${baseUrl}${href}`);
    // Done or cancelled are not the supplier's to set.
    expect(await supplier.locator("#status-done").count()).toBe(0);
    expect(await supplier.locator("#status-cancelled").count()).toBe(0);
    await supplier.locator("#status-awaiting_confirmation").check();
    await supplier.locator("#note-awaiting_confirmation").fill("Both mills audited by an independent firm on 3 December, with 40 worker interviews.");
    await supplier.getByRole("button", { name: "Add update" }).click();
    await supplier.waitForLoadState("load");
    expect(await supplier.locator("main").innerText()).toContain("Awaiting confirmation");

    // The department's tracker, without JavaScript: filtered to what awaits its confirmation.
    const plain = await signedIn("manager@dpw.example", false);
    await plain.goto(`${baseUrl}/actions`);
    await plain.locator("#status").selectOption("awaiting_confirmation");
    await plain.getByRole("button", { name: "Apply filters" }).click();
    await plain.waitForLoadState("load");
    expect(plain.url()).toContain("status=awaiting_confirmation");
    const tracker = await plain.locator("main").innerText();
    expect(tracker).toContain(ACTION);
    expect(tracker).toContain("Brightwear Textiles Ltd");
    const manager = await signedIn("manager@dpw.example");
    await manager.goto(`${baseUrl}/actions?status=awaiting_confirmation`);
    await expectAccessible(manager);
    await manager.goto(`${baseUrl}/queue`);
    expect(await section(manager, "actions")).toContain(ACTION);

    // The contract manager confirms it.
    await plain.goto(`${baseUrl}${href}`);
    await plain.locator("#status-done").check();
    await plain.getByRole("button", { name: "Add update" }).click();
    await plain.waitForLoadState("load");
    const done = await plain.locator("main").innerText();
    expect(done).toContain("Done");
    expect(done).toContain("Both mills audited by an independent firm");
    await manager.goto(`${baseUrl}${href}`);
    await expectAccessible(manager);

    // Notifications wait up to 10 minutes to be gathered; send what is due as if that had passed.
    await flushNotifications(db, new Date(Date.now() + 11 * 60_000), baseUrl);
    const mail = await db.selectFrom("email_outbox").select(["recipient", "subject", "body"]).execute();
    const to = (recipient: string) => mail.filter((m) => m.recipient === recipient && m.body.includes(ACTION));
    expect(to("manager@dpw.example").length).toBeGreaterThanOrEqual(1); // marked done, awaiting confirmation
    expect(to("admin@brightwear.example").length).toBeGreaterThanOrEqual(1); // confirmed
    expect(to("admin@brightwear.example").some((m) => /confirm/i.test(m.subject + m.body))).toBe(true);
    // Nobody at another department hears of it.
    expect(mail.some((m) => m.recipient.endsWith("@nhs.example") && m.body.includes(ACTION))).toBe(false);
  });
});
