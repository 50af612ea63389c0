/**
 * Email choices on "Your account": GOV.UK checkboxes saved with a button, with and without
 * JavaScript, an error summary when what is posted is not one of the choices, axe on each state.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { expectAccessible, launch, signIn } from "./browser";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

describe("choosing which emails to get", () => {
  for (const javaScriptEnabled of [true, false]) {
    it(`saves the ticked kinds ${javaScriptEnabled ? "with" : "without"} JavaScript`, { timeout: 60_000 }, async () => {
      const context = await browser.newContext({ javaScriptEnabled });
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      await signIn(page, baseUrl, "contributor@acme.example");
      await page.waitForURL(`${baseUrl}/supplier`);
      await page.goto(`${baseUrl}/account`);
      await expect.poll(() => page.locator("h2#email-notifications").innerText()).toBe("Email notifications");
      // axe runs in the page: only where JavaScript runs
      if (javaScriptEnabled) await expectAccessible(page);
      const box = page.getByLabel("An action is reopened");
      const wasChecked = await box.isChecked();
      await box.setChecked(!wasChecked);
      await page.getByRole("button", { name: "Save email choices" }).click();
      await expect.poll(() => page.locator(".govuk-notification-banner").innerText()).toContain("Your email choices are saved");
      if (javaScriptEnabled) await expectAccessible(page);
      await page.goto(`${baseUrl}/account`);
      expect(await page.getByLabel("An action is reopened").isChecked()).toBe(!wasChecked);
      expect(await page.getByLabel("Actions are agreed").isChecked()).toBe(true);
      // A buyer's kind is not offered to a supplier.
      expect(await page.getByLabel("A review is due").count()).toBe(0);
      await context.close();
    });
  }

  it("refuses a choice that is not offered, with an error summary, and changes nothing", { timeout: 60_000 }, async () => {
    const context = await browser.newContext();
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await signIn(page, baseUrl, "admin@acme.example");
    await page.waitForURL(`${baseUrl}/supplier`);
    await page.goto(`${baseUrl}/account`);
    const before = await page.locator("input[name=notifications]:checked").count();
    await page.locator("input[name=notifications]").first().evaluate((input) => {
      (input as HTMLInputElement).value = "review_due";
      (input as HTMLInputElement).checked = true;
    });
    await page.getByRole("button", { name: "Save email choices" }).click();
    await expect.poll(() => page.locator(".govuk-error-summary a").allInnerTexts()).toEqual(["Select only the emails listed"]);
    await expectAccessible(page);
    await page.goto(`${baseUrl}/account`);
    expect(await page.locator("input[name=notifications]:checked").count()).toBe(before);
    await context.close();
  });
});
