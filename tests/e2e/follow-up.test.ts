/**
 * Follow-up on a demo supplier's completed assessment: the contract manager finds it in the work
 * queue, opens the conversation guide, records a conversation with two actions and one verified
 * answer; the supplier sees the actions and marks one done without JavaScript; the queue changes
 * accordingly; another department sees none of it. axe-core on every page.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { expectAccessible, launch, signIn } from "./browser";

const baseUrl = inject("baseUrl");
const SUPPLIER = "Meridian Construction Ltd";
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

async function signedIn(email: string, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await signIn(page, baseUrl, email);
  return page;
}

const section = (page: Page, id: string) => page.locator(`section[aria-labelledby="${id}"]`).innerText();

async function fillDate(page: Page, id: string, date: Date) {
  await page.locator(`#${id}-day`).fill(String(date.getUTCDate()));
  await page.locator(`#${id}-month`).fill(String(date.getUTCMonth() + 1));
  await page.locator(`#${id}-year`).fill(String(date.getUTCFullYear()));
}

describe("follow-up", () => {
  it("a conversation with two actions and a verified answer; the supplier marks one done; the queue follows", { timeout: 240_000 }, async () => {
    const manager = await signedIn("manager@dpw.example");
    await manager.goto(`${baseUrl}/queue`);
    // The queue lists results needing follow-up (red flags, highest risk, review due): Meridian's is none of them.
    await expect.poll(() => section(manager, "follow-up")).toContain("Results needing follow-up");
    await expectAccessible(manager);

    await manager.goto(`${baseUrl}/results`);
    await manager.getByRole("link", { name: SUPPLIER }).click();
    await expect.poll(() => manager.url()).toMatch(/\/results\/[0-9a-f-]{36}$/);
    const assessmentId = manager.url().split("/").pop()!;
    await manager.getByRole("link", { name: /conversation guide/ }).click();
    await expect.poll(() => manager.locator("h1").innerText()).toBe("Conversation guide");
    await manager.goto(`${baseUrl}/results/${assessmentId}`);
    await manager.getByRole("button", { name: "Record a conversation" }).click();
    // The form opens at once; nothing is recorded until it is saved.
    await expect.poll(() => manager.url()).toBe(`${baseUrl}/results/${assessmentId}/conversations/new`);
    await expectAccessible(manager);

    // The answers to check fold into sections: the page is far shorter than with every section open.
    const verification = manager.locator('select[name^="verification-"]');
    await expect.poll(() => manager.locator(".govuk-accordion__show-all").count()).toBe(1);
    expect(await verification.first().isVisible()).toBe(false);
    const folded = await manager.evaluate(() => document.documentElement.scrollHeight);
    await manager.getByRole("button", { name: /Show all sections/ }).click();
    expect(await verification.last().isVisible()).toBe(true);
    const unfolded = await manager.evaluate(() => document.documentElement.scrollHeight);
    expect(folded * 2).toBeLessThan(unfolded);
    await manager.getByRole("button", { name: /Hide all sections/ }).click();
    const headings = await manager.locator(".govuk-accordion__section-header").allInnerTexts();
    expect(headings.every((h) => /\d+ answers?, \d+ evidence seen or verified/.test(h))).toBe(true);

    // A bad value in a folded section: its error is linked from the summary, the section opens, nothing is recorded.
    const lastId = (await verification.last().getAttribute("id"))!;
    await manager.evaluate((id) => {
      const option = (document.getElementById(id) as HTMLSelectElement).options[0]!;
      option.value = "certainly";
    }, lastId);
    await manager.getByRole("button", { name: "Save as draft" }).click();
    await expect.poll(() => manager.locator(".govuk-error-summary").innerText()).toContain("Select self-declared, evidence seen or verified");
    expect(manager.url()).toBe(`${baseUrl}/results/${assessmentId}/conversations/new`);
    await manager.locator(".govuk-error-summary a").first().click();
    // The link moves to the field without a navigation, which would drop the errors and what was typed.
    await expect.poll(() => manager.evaluate(() => document.activeElement?.id)).toBe(lastId);
    expect(await manager.locator(".govuk-error-summary").count()).toBe(1);
    expect(await manager.locator(`[id="${lastId}"]`).isVisible()).toBe(true);
    const inView = (id: string) => {
      const box = document.getElementById(id)!.getBoundingClientRect();
      return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
    };
    await expect.poll(() => manager.evaluate(inView, lastId)).toBe(true);
    await expectAccessible(manager);
    await manager.goto(`${baseUrl}/results/${assessmentId}/conversations/new`);

    // Without JavaScript every section is open.
    const plainManager = await signedIn("manager@dpw.example", false);
    await plainManager.goto(`${baseUrl}/results/${assessmentId}/conversations/new`);
    expect(await plainManager.locator('select[name^="verification-"]').first().isVisible()).toBe(true);
    expect(await plainManager.locator('select[name^="verification-"]').last().isVisible()).toBe(true);
    await plainManager.context().close();

    const today = new Date();
    await fillDate(manager, "heldOn", today);
    await manager.locator("#buyerAttendees").fill("Tom Rivers, contract manager");
    await manager.locator("#supplierAttendees").fill("Owen Hughes, managing director");
    await manager.locator("#notes").fill("Walked through the red flags and the labour providers they use.");
    await manager.locator(".govuk-accordion__section-button").first().click();
    await verification.first().selectOption("verified");
    await manager.locator("#action-0-description").fill("Audit the two labour providers on the north site");
    await manager.locator("#action-0-ownerSide-supplier").check();
    await manager.locator("#action-0-ownerName").fill("Owen Hughes");
    await fillDate(manager, "action-0-dueOn", new Date(today.getTime() + 7 * 86_400_000));
    // Adding an action saves the new conversation as a draft.
    await manager.getByRole("button", { name: "Add another action" }).click();
    await expect.poll(() => manager.url()).toMatch(/\/conversations\/[0-9a-f-]{36}#actions$/);
    const conversationUrl = manager.url().split("?")[0]!.split("#")[0]!;
    await expect.poll(() => manager.locator("#action-1-description").count()).toBe(1);
    await expectAccessible(manager);
    await manager.locator("#action-1-description").fill("Share the department's supplier code of conduct");
    await manager.locator("#action-1-ownerSide-buyer").check();
    await manager.locator("#action-1-ownerName").fill("Tom Rivers");
    await fillDate(manager, "action-1-dueOn", new Date(today.getTime() + 60 * 86_400_000));
    await manager.getByRole("button", { name: "Finish conversation" }).click();
    await expect.poll(() => manager.url()).toContain("saved=finished");
    const recorded = await manager.locator("main").innerText();
    expect(recorded).toContain("Audit the two labour providers on the north site");
    expect(recorded).toContain("Share the department's supplier code of conduct");
    expect(recorded).toMatch(/Verified/);
    await expectAccessible(manager);

    // The queue: the action due within 14 days is listed.
    await manager.goto(`${baseUrl}/queue`);
    await expect.poll(() => section(manager, "actions")).toContain("Audit the two labour providers on the north site");
    expect(await section(manager, "actions")).toContain("Audit the two labour providers on the north site");
    expect(await section(manager, "actions")).not.toContain("Share the department's supplier code of conduct");

    // The supplier sees both actions and, without JavaScript, marks the first one done.
    const supplier = await signedIn("admin@meridian-construction.example");
    await supplier.goto(`${baseUrl}/supplier/actions`);
    const list = await supplier.locator("main").innerText();
    expect(list).toContain("Audit the two labour providers on the north site");
    expect(list).toContain("Share the department's supplier code of conduct");
    await expectAccessible(supplier);
    const actionHref = (await supplier.getByRole("link", { name: /Audit the two labour providers/ }).getAttribute("href"))!;
    await supplier.goto(`${baseUrl}${actionHref}`);
    await expectAccessible(supplier);
    const plain = await signedIn("admin@meridian-construction.example", false);
    await plain.goto(`${baseUrl}${actionHref}`);
    // The supplier may not close it itself: it marks it done, saying what was done, for the buyer to confirm.
    expect(await plain.locator("#status-done").count()).toBe(0);
    await plain.locator("#status-awaiting_confirmation").check();
    await plain.locator("#note-awaiting_confirmation").fill("Both providers audited on 2 December; reports attached to our file.");
    await plain.getByRole("button", { name: "Add update" }).click();
    await plain.waitForLoadState("load");
    expect(plain.url()).toContain("updated=1");
    expect(await plain.locator("main").innerText()).toContain("Both providers audited on 2 December");
    expect(await plain.locator("main").innerText()).toContain("Awaiting confirmation");

    // The manager's queue lists it for confirmation, as does the tracker; the manager confirms it.
    await manager.goto(`${baseUrl}/queue`);
    await expect.poll(() => section(manager, "actions")).toContain("Audit the two labour providers on the north site");
    await manager.goto(`${baseUrl}/actions?status=awaiting_confirmation`);
    expect(await manager.locator("main").innerText()).toContain("Audit the two labour providers on the north site");
    await expectAccessible(manager);
    await manager.goto(`${baseUrl}${actionHref}`);
    expect(await manager.locator("main").innerText()).toContain("Both providers audited on 2 December");
    await expectAccessible(manager);
    await manager.locator("#status-done").check();
    await manager.getByRole("button", { name: "Add update" }).click();
    await expect.poll(() => manager.url()).toContain("updated=1");
    expect(await manager.locator("main dl").innerText()).toContain("Done");
    await manager.goto(`${baseUrl}/queue`);
    await expect.poll(() => section(manager, "actions")).not.toContain("Audit the two labour providers on the north site");

    // Another department sees none of it.
    const other = await signedIn("manager@nhs.example");
    expect((await other.goto(conversationUrl))!.status()).toBe(404);
    expect((await other.goto(`${baseUrl}${actionHref}`))!.status()).toBe(404);
    await other.goto(`${baseUrl}/queue`);
    expect(await other.locator("main").innerText()).not.toContain("Audit the two labour providers");
  });
});
