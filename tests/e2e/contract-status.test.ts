/**
 * The register knows what is live, in the browser and without JavaScript: the status filter that
 * starts on live contracts, coverage that says it counts live contracts only, column headings that
 * sort with aria-sort, and a contract manager setting a contract's status by hand with a reason
 * (refused without one); axe-core on every page.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { expectAccessible, launch, signIn } from "./browser";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

/** axe-core needs JavaScript: the same pages are checked in a context that runs it, signed in as the same user. */
async function expectAccessibleAt(email: string, paths: string[]) {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await signIn(page, baseUrl, email);
  for (const path of paths) {
    await page.goto(`${baseUrl}${path}`);
    await expectAccessible(page);
  }
  await context.close();
}

/** A column heading's aria-sort; its link reads "Risk, sort descending" and the like. */
const sortOf = (page: Page, name: string) => page.locator("thead th").filter({ hasText: new RegExp(`^${name}, sort`) }).getAttribute("aria-sort");

describe("the register's status", () => {
  it("starts on live contracts, says its coverage counts them only, and sorts by risk, tier and invitation from the headings", { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await signIn(page, baseUrl, "manager@dpw.example");
    await page.goto(`${baseUrl}/contracts`);
    expect(await page.getByLabel("Status", { exact: true }).inputValue()).toBe("live");
    expect(await page.locator("main").innerText()).toContain("These figures count live contracts only: ended contracts are history");
    expect(await page.locator(".govuk-summary-list").first().innerText()).toMatch(/Contracts risk-assessed\s+[\d,]+ of [\d,]+ live contracts? \(\d+%\)/);
    const statuses = await page.locator("tbody tr td:nth-child(7)").allInnerTexts();
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s.startsWith("Live"))).toBe(true);
    expect(await sortOf(page, "Annual value")).toBe("descending");

    await page.getByRole("link", { name: /^Risk\W+sort/ }).click();
    await page.waitForURL(/sort=risk&direction=desc/);
    expect(await sortOf(page, "Risk")).toBe("descending");
    expect(await sortOf(page, "Annual value")).toBe("none");
    // The filter is kept by the heading's link.
    expect(page.url()).toContain("contract_status=live");
    await page.getByRole("link", { name: /^Invitation\W+sort/ }).click();
    await page.waitForURL(/sort=invitation&direction=asc/);
    expect(await sortOf(page, "Invitation")).toBe("ascending");
    await page.getByRole("link", { name: /^Invitation\W+sort/ }).click();
    await page.waitForURL(/sort=invitation&direction=desc/);
    expect(await sortOf(page, "Invitation")).toBe("descending");
    await page.getByRole("link", { name: /^Tier\W+sort/ }).click();
    await page.waitForURL(/sort=tier&direction=asc/);
    const sortedByTier = page.url().slice(baseUrl.length);

    await page.getByLabel("Status", { exact: true }).selectOption("ended");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/contract_status=ended/);
    const ended = await page.locator("tbody tr td:nth-child(7)").allInnerTexts();
    expect(ended.length).toBeGreaterThan(0);
    expect(ended.every((s) => s.startsWith("Ended"))).toBe(true);

    await page.goto(`${baseUrl}/buyer`);
    expect(await page.locator("main").innerText()).toMatch(/Risk-assessed\s+[\d,]+ of [\d,]+ live contracts? \(\d+%\)/);
    await context.close();
    await expectAccessibleAt("manager@dpw.example", ["/contracts", sortedByTier, "/contracts?contract_status=ended", "/buyer"]);
  });

  it("a contract manager sets a contract's status by hand with a reason, without JavaScript, and lets it follow the end date again", { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await signIn(page, baseUrl, "manager@dpw.example");
    await page.goto(`${baseUrl}/contracts?contract_status=live&sort=reference&direction=desc`);
    const reference = await page.locator("tbody tr td a").first().innerText();
    await page.locator("tbody tr td a").first().click();
    await page.waitForURL(/\/contracts\/[0-9a-f-]{36}$/);
    const contractUrl = page.url();
    expect(await page.locator(".govuk-summary-list").first().innerText()).toMatch(/Status\s+Live/);
    await page.getByRole("link", { name: `Change the status of ${reference}` }).click();
    await page.waitForURL(/\/status$/);
    expect(await page.locator("h1").innerText()).toBe("Is the contract live or ended?");
    const statusPath = page.url().slice(baseUrl.length);

    // Ended by hand without a reason: refused, nothing saved.
    await page.getByLabel("Ended", { exact: true }).check();
    await page.getByRole("button", { name: "Save the status" }).click();
    await expect.poll(() => page.locator(".govuk-error-summary").innerText()).toContain("Enter why the contract is ended");
    expect(await page.getByLabel("Ended", { exact: true }).isChecked()).toBe(true);
    expect(await page.locator("#reason-error").innerText()).toContain("Enter why the contract is ended");

    await page.getByLabel("Why is the status set by hand?").fill("Terminated early by agreement");
    await page.getByRole("button", { name: "Save the status" }).click();
    await page.waitForURL(/\?saved=status$/);
    expect(await page.locator(".govuk-notification-banner").innerText()).toContain(`Status of ${reference} saved: ended`);
    expect(await page.locator(".govuk-summary-list").first().innerText()).toContain("Set by hand: Terminated early by agreement (the end date alone gives live)");
    await expectAccessibleAt("manager@dpw.example", [statusPath, page.url().slice(baseUrl.length)]);

    // Back to following the end date, so the register is as it was.
    await page.getByRole("link", { name: `Change the status of ${reference}` }).click();
    expect(await page.getByLabel("Why is the status set by hand?").inputValue()).toBe("Terminated early by agreement");
    await page.getByLabel("Follow the end date").check();
    await page.getByRole("button", { name: "Save the status" }).click();
    await page.waitForURL(/\?saved=status$/);
    expect(page.url().startsWith(contractUrl)).toBe(true);
    expect(await page.locator(".govuk-summary-list").first().innerText()).not.toContain("Set by hand:");

    // The error state, with JavaScript (axe needs it): refused, nothing saved.
    const withJs = await browser.newContext();
    withJs.setDefaultTimeout(10_000);
    const checked = await withJs.newPage();
    await signIn(checked, baseUrl, "manager@dpw.example");
    await checked.goto(`${baseUrl}${statusPath}`);
    await checked.getByLabel("Live", { exact: true }).check();
    await checked.getByRole("button", { name: "Save the status" }).click();
    await expect.poll(() => checked.locator(".govuk-error-summary").innerText()).toContain("Enter why the contract is live");
    await expectAccessible(checked);
    await withJs.close();

    // An analyst reads the status but may not change it.
    const analyst = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    await signIn(analyst, baseUrl, "analyst@dpw.example");
    await analyst.goto(contractUrl);
    expect(await analyst.getByRole("link", { name: /Change the status/ }).count()).toBe(0);
    expect((await analyst.goto(`${contractUrl}/status`))?.status()).toBe(403);
    await context.close();
  });
});
