import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { expectAccessible, launch, signIn } from "./browser";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

/** Answer every visible, unanswered question on a theme page with the first sensible choice. */
async function answerPage(page: Page) {
  for (let pass = 0; pass < 4; pass++) {
    const groups = page.locator("form .govuk-form-group[id$='-group']");
    const count = await groups.count();
    for (let i = 0; i < count; i++) {
      const group = groups.nth(i);
      if (!(await group.isVisible())) continue;
      const radios = group.locator("input.govuk-radios__input");
      const checks = group.locator("input.govuk-checkboxes__input");
      if ((await radios.count()) > 0) {
        if ((await group.locator("input.govuk-radios__input:checked").count()) === 0) await radios.first().check();
      } else if ((await checks.count()) > 0) {
        if ((await group.locator("input.govuk-checkboxes__input:checked").count()) === 0) await checks.first().check();
      } else if ((await group.locator("input.govuk-input[inputmode]").count()) > 0) {
        const input = group.locator("input.govuk-input[inputmode]").first();
        if (!(await input.inputValue())) await input.fill("25");
      } else if ((await group.locator("select.govuk-select").count()) > 0 && !(await group.locator(".lantern-group-row fieldset").count())) {
        const select = group.locator("select.govuk-select");
        if ((await select.count()) > 0 && (await select.first().inputValue()) === "") {
          await select.first().selectOption("GB", { force: true });
        }
      }
    }
    await page.waitForTimeout(100);
  }
}

async function waitSaved(page: Page) {
  await expect.poll(() => page.locator(".lantern-save-status").innerText(), { timeout: 15_000 }).toBe("Saved");
}

describe("supplier", () => {
  it("signs in and lands on its start page", async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, baseUrl, "admin@acme.example");
    expect(new URL(page.url()).pathname).toBe("/supplier");
    expect(await page.locator("h1").innerText()).toBe("Your modern slavery assessments");
    await expectAccessible(page);
    await page.close();
  });

  it("answers every theme with autosave, finds the answers after a reload, submits and responds to every recommendation", { timeout: 300_000 }, async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, baseUrl, "admin@acme.example");
    await page.getByRole("button", { name: "Start your assessment" }).click();
    await page.waitForURL(/\/assessments\/[^/]+$/);
    await expectAccessible(page);
    const assessmentUrl = page.url();
    const themes = await page.locator(".govuk-task-list__link").evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href).filter((h) => h.includes("/themes/")));
    expect(themes).toHaveLength(9);

    for (const themeUrl of themes) {
      await page.goto(themeUrl);
      await page.waitForSelector("input[name=enhanced][value='1']", { state: "attached" });
      if (themeUrl.endsWith("/mapping")) {
        // a follow-up appears, then disappears, then comes back
        await page.locator("#mapping-has_mapped").check();
        await expect.poll(() => page.locator("#mapping-deepest_tier-group").count()).toBe(1);
        await page.locator("#mapping-has_mapped-no").check();
        await expect.poll(() => page.locator("#mapping-deepest_tier-group").count()).toBe(0);
        await page.locator("#mapping-has_mapped").check();
        await page.locator("#mapping-deepest_tier-tier2").check();
      }
      await answerPage(page);
      await waitSaved(page);
      await expectAccessible(page);
    }

    // every answer survives a reload
    await page.goto(themes.find((u) => u.endsWith("/mapping"))!);
    expect(await page.locator("#mapping-has_mapped").isChecked()).toBe(true);
    expect(await page.locator("#mapping-deepest_tier-tier2").isChecked()).toBe(true);
    await page.goto(assessmentUrl);
    const statuses = await page.locator(".govuk-task-list__status").allInnerTexts();
    expect(statuses.slice(0, 9)).toEqual(Array(9).fill("Completed"));

    await page.goto(`${assessmentUrl}/check`);
    await expectAccessible(page);
    await page.getByRole("button", { name: "Submit assessment" }).click();
    await page.waitForURL(/\/report$/);
    await expectAccessible(page);
    expect(await page.locator(".govuk-panel__title").innerText()).toMatch(/risk/);

    // the whole report opens at once: scores, chart and PDF before any response
    expect(await page.getByRole("heading", { name: "Scores by theme" }).count()).toBe(1);
    const early = await page.request.get(`${assessmentUrl}/report.pdf`);
    expect(early.status()).toBe(200);
    // every response on one form, grouped by priority
    await page.getByRole("link", { name: "Respond to the recommendations" }).click();
    await page.waitForURL(/\/responses$/);
    await expectAccessible(page);
    const radios = page.locator("input[type=radio][value=in_progress]");
    const count = await radios.count();
    expect(count).toBeGreaterThan(0);
    // one left unanswered and one accepted without a date: nothing is saved, each error is shown
    for (let i = 1; i < count; i++) await radios.nth(i).check();
    await page.locator("input[type=radio][value=accepted]").first().check();
    await page.getByRole("button", { name: "Save all responses" }).click();
    await page.waitForLoadState("networkidle");
    expect(await page.locator(".govuk-error-summary").innerText()).toContain("Enter the date by which you will do this");
    await expectAccessible(page);
    await radios.first().check();
    await page.getByRole("button", { name: "Save all responses" }).click();
    await page.waitForURL(/\/report\?responded=/);
    expect(await page.locator(".govuk-notification-banner").innerText()).toContain("your assessment is complete");
    expect(await page.getByRole("heading", { name: "Scores by theme" }).count()).toBe(1);
    expect(await page.locator("table.govuk-table tbody tr").count()).toBeGreaterThanOrEqual(9);
    await expectAccessible(page);
    const pdf = await page.request.get(`${assessmentUrl}/report.pdf`);
    expect(pdf.status()).toBe(200);
    expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");
    await page.close();
  });

  // axe-core runs inside the page, so pages seen without JavaScript are checked in the runs above
  it("answers a theme with JavaScript switched off: follow-ups appear after posting, errors show GOV.UK style", { timeout: 120_000 }, async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, baseUrl, "contributor@acme.example");
    await page.getByRole("button", { name: /Start/ }).or(page.getByRole("link", { name: "Continue your assessment" })).click();
    await page.waitForURL(/\/assessments\/[^/]+$/);
    await page.getByRole("link", { name: "Supply-chain mapping" }).click();
    await page.locator("#mapping-has_mapped-no").check();
    await page.getByRole("button", { name: "Save and continue" }).click();
    await page.waitForLoadState("load");
    expect(page.url()).toMatch(/\/themes\/recruitment$/);
    await page.goto(page.url().replace(/recruitment$/, "mapping"));
    expect(await page.locator("#mapping-deepest_tier-group").count()).toBe(0);
    await page.locator("#mapping-has_mapped").check();
    await page.getByRole("button", { name: "Save and continue" }).click();
    await page.waitForLoadState("load");
    expect(page.url()).toContain("/themes/mapping?more=");
    expect(await page.locator("#mapping-deepest_tier-group").count()).toBe(1);
    expect(await page.locator("#mapping-has_mapped").isChecked()).toBe(true);

    // a bad percentage is refused with an error summary linked to the field; the other answers are kept
    await page.locator("#mapping-spend_mapped_pct").fill("lots");
    await page.locator("#mapping-deepest_tier").check();
    await page.getByRole("button", { name: "Save and continue" }).click();
    await page.waitForLoadState("load");
    expect(await page.locator(".govuk-error-summary a").allInnerTexts()).toEqual(["Enter a percentage as a number, like 75"]);
    expect(await page.locator(".govuk-error-summary a").getAttribute("href")).toBe("#mapping-spend_mapped_pct");
    expect(await page.locator("#mapping-spend_mapped_pct-error").innerText()).toContain("Enter a percentage as a number, like 75");
    expect(await page.locator("#mapping-spend_mapped_pct").inputValue()).toBe("lots");
    expect(await page.locator("#mapping-deepest_tier").isChecked()).toBe(true);
    await page.locator("#mapping-spend_mapped_pct").fill("60");
    await page.locator("#mapping-deepest_tier").check();
    await page.getByRole("button", { name: "Save and continue" }).click();
    await page.waitForLoadState("load");
    expect(new URL(page.url()).pathname).toMatch(/\/themes\/recruitment$/);
    await page.goto(page.url().replace(/\?.*$/, "").replace(/\/themes\/.*/, "/themes/mapping"));
    expect(await page.locator("#mapping-deepest_tier").isChecked()).toBe(true);
    expect(await page.locator("#mapping-spend_mapped_pct").inputValue()).toBe("60");
    await context.close();
  });

  it("a save that fails is retried until it lands, and says so meanwhile", { timeout: 60_000 }, async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, baseUrl, "admin@brightwear.example");
    await page.getByRole("button", { name: /Start/ }).or(page.getByRole("link", { name: "Continue your assessment" })).click();
    await page.waitForURL(/\/assessments\/[^/]+$/);
    const themeUrl = `${page.url()}/themes/training`;
    await page.goto(themeUrl);
    await page.waitForSelector("input[name=enhanced][value='1']", { state: "attached" });

    let failures = 0;
    await page.route("**/answers", async (route) => {
      if (failures < 2) {
        failures += 1;
        return route.abort("connectionreset");
      }
      return route.continue();
    });
    const radios = page.locator("form input.govuk-radios__input");
    const target = (await radios.nth(0).isChecked()) ? radios.nth(1) : radios.nth(0);
    const targetId = await target.getAttribute("id");
    await target.check();
    await expect.poll(() => page.locator(".lantern-save-status").innerText(), { timeout: 10_000 }).toBe("Not saved – retrying");
    await expect.poll(() => page.locator(".lantern-save-status").innerText(), { timeout: 15_000 }).toBe("Saved");
    expect(failures).toBe(2);
    await page.unroute("**/answers");
    await page.goto(themeUrl);
    expect(await page.locator(`#${targetId}`).isChecked()).toBe(true);
    await page.close();
  });
});
