/**
 * Enter in any field of a theme page does what the page's main action does, never something else:
 * on every theme page, Enter is pressed in each kind of input (text, number, text area, radio,
 * checkbox, list of countries, a named supplier's fields), with and without JavaScript, and no saved
 * answer may change except the one typed. A half-filled row of named suppliers survives a reload.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDb, type Db } from "../../db/index";
import { plausibleAnswers } from "../../db/seed";
import { currentQuestionnaire } from "../../app/services/questionnaires.server";
import { applySkipLogic } from "../../app/domain/visibility";
import { expectAccessible, launch, signIn } from "./browser";
import { post, signInOverHttp } from "./http";

const baseUrl = inject("baseUrl");
const database = inject("database");
const SUPPLIER = "admin@northgate-cleaning.example";
let browser: Browser;
let db: Db;
let assessmentId: string;
let themeUrls: string[];

/** Each kind of field a theme page can hold, as a selector of its first visible instance. */
const KINDS: Record<string, { js: string; noJs: string }> = {
  "text box": { js: "input.govuk-input[inputmode]", noJs: "input.govuk-input[inputmode]" },
  "text area": { js: "textarea.govuk-textarea", noJs: "textarea.govuk-textarea" },
  radio: { js: "input.govuk-radios__input", noJs: "input.govuk-radios__input" },
  checkbox: { js: "input.govuk-checkboxes__input", noJs: "input.govuk-checkboxes__input" },
  country: { js: ".autocomplete__wrapper input.autocomplete__input", noJs: "select.govuk-select[id*='country'], select.govuk-select[id^='org-']" },
  "country in a list": { js: "[id$='-row-0'] .autocomplete__wrapper input", noJs: "[id$='-row-0'] select.govuk-select" },
  "supplier's name": { js: ".lantern-group-row input.govuk-input", noJs: ".lantern-group-row input.govuk-input" },
  "supplier's tier": { js: ".lantern-group-row select.govuk-select:not([id$='country'])", noJs: ".lantern-group-row select.govuk-select:not([id$='country'])" },
};

async function savedAnswers(): Promise<Record<string, { value: string; draft: string | null }>> {
  const rows = await db.selectFrom("answer").select(["question_id", "value", "draft"]).where("assessment_id", "=", assessmentId).execute();
  return Object.fromEntries(rows.map((r) => [r.question_id, { value: r.value, draft: r.draft }]));
}

beforeAll(async () => {
  browser = await launch();
  db = createDb(database.url, { schema: database.schema, poolSize: 2 });
  // A complete set of answers, saved through the autosave endpoint in the questionnaire's order.
  const session = await signInOverHttp(baseUrl, SUPPLIER);
  const started = await post(baseUrl, "/supplier", { session, headers: { Origin: baseUrl, "Content-Type": "application/x-www-form-urlencoded" }, body: "" });
  assessmentId = /\/assessments\/([^/?#]+)/.exec(started.headers.get("location") ?? "")![1]!;
  const qn = currentQuestionnaire();
  const answers = plausibleAnswers(qn, 1);
  const { answers: visible } = applySkipLogic(qn, answers);
  for (const [questionId, value] of Object.entries(visible)) {
    const saved = await post(baseUrl, `/assessments/${assessmentId}/answers`, {
      session,
      headers: { Origin: baseUrl, "Content-Type": "application/json" },
      body: JSON.stringify({ questionId, value, baseRevision: 0 }),
    });
    expect(saved.status, `saving ${questionId}`).toBe(200);
  }
  themeUrls = qn.themes.map((t) => `${baseUrl}/assessments/${assessmentId}/themes/${t.id}`);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await db?.destroy();
});

/** A browser context signed in as the supplier, with JavaScript on or off. */
async function signedInContext(js: boolean): Promise<BrowserContext> {
  const context = await browser.newContext({ javaScriptEnabled: js });
  const page = await context.newPage();
  await signIn(page, baseUrl, SUPPLIER);
  await page.close();
  return context;
}

async function openTheme(context: BrowserContext, url: string, js: boolean): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  if (js) {
    await page.waitForSelector("input[name=enhanced][value='1']", { state: "attached" });
    await page.waitForLoadState("networkidle");
  }
  return page;
}

/** Press Enter in the field and let whatever it triggers (a post, a navigation, a save) finish. */
async function pressEnter(page: Page, selector: string) {
  const field = page.locator(selector).first();
  await field.focus();
  await field.press("Enter");
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(200);
  await page.waitForLoadState("networkidle");
}

for (const js of [true, false]) {
  describe(`Enter on a theme page ${js ? "with" : "without"} JavaScript`, () => {
    it("never changes a saved answer, in any kind of field on any page", { timeout: 400_000 }, async () => {
      const context = await signedInContext(js);
      const before = await savedAnswers();
      const tried: string[] = [];
      for (const url of themeUrls) {
        const probe = await openTheme(context, url, js);
        const present: string[] = [];
        for (const [kind, selectors] of Object.entries(KINDS)) {
          if ((await probe.locator(js ? selectors.js : selectors.noJs).count()) > 0) present.push(kind);
        }
        await probe.close();
        for (const kind of present) {
          const page = await openTheme(context, url, js);
          await pressEnter(page, js ? KINDS[kind]!.js : KINDS[kind]!.noJs);
          expect(await savedAnswers(), `Enter in the ${kind} on ${url.split("/").pop()}`).toEqual(before);
          // Enter is "Save and continue": the next section (or the same one, if it errs), never a 500
          expect(await page.locator("h1").first().innerText()).not.toMatch(/error|wrong/i);
          tried.push(`${url.split("/").pop()}: ${kind}`);
          await page.close();
        }
      }
      // every kind of field was found somewhere, so the loop above really pressed Enter in each
      const kindsTried = new Set(tried.map((t) => t.split(": ")[1]));
      expect([...kindsTried].sort()).toEqual(Object.keys(KINDS).sort());
      await context.close();
    });

    it("changes only the answer typed before Enter", { timeout: 60_000 }, async () => {
      const context = await signedInContext(js);
      const url = themeUrls.find((u) => u.endsWith("/mapping"))!;
      const page = await openTheme(context, url, js);
      const before = await savedAnswers();
      const typed = js ? "61" : "62";
      await page.locator("#mapping-spend_mapped_pct").fill(typed);
      await pressEnter(page, "#mapping-spend_mapped_pct");
      await expect.poll(async () => (await savedAnswers())["mapping.spend_mapped_pct"]?.value).toBe(typed);
      const after = await savedAnswers();
      expect({ ...after, "mapping.spend_mapped_pct": before["mapping.spend_mapped_pct"] }).toEqual(before);
      expect(new URL(page.url()).pathname).toMatch(/\/themes\/recruitment$/);
      await context.close();
    });

    it("keeps a half-filled supplier row through a reload, with what is missing", { timeout: 60_000 }, async () => {
      const context = await signedInContext(js);
      const url = themeUrls.find((u) => u.endsWith("/mapping"))!;
      const page = await openTheme(context, url, js);
      const rows = await page.locator("[id^='mapping-entities-row-']").count();
      const name = js ? "Half Filled Mills" : "Half Filled Dyers";
      // the blank row at the end is there to type into
      await page.locator(`[id="mapping-entities.${rows - 1}.name"]`).fill(name);
      if (js) {
        await expect.poll(() => page.locator("#mapping-entities-error").innerText()).toContain(`Supplier ${rows}: country is missing`);
        await expect.poll(async () => (await savedAnswers())["mapping.entities"]?.draft ?? "").toContain(name);
      } else {
        await page.getByRole("button", { name: "Save and continue" }).click();
        await page.waitForLoadState("load");
        expect(new URL(page.url()).pathname).toMatch(/\/themes\/mapping$/);
      }
      await page.reload();
      await page.waitForLoadState("networkidle");
      expect(await page.locator(`[id="mapping-entities.${rows - 1}.name"]`).inputValue()).toBe(name);
      expect(await page.locator("#mapping-entities-error").innerText()).toContain(`Supplier ${rows}: country is missing`);
      expect(await page.locator(".govuk-error-summary").innerText()).toContain(`Supplier ${rows}: country is missing`);
      // axe runs inside the page, so only where JavaScript runs
      if (js) await expectAccessible(page);
      // removing it ends the draft; the complete rows stay as they were
      await page.getByRole("button", { name: `Remove supplier ${rows}` }).click();
      await page.waitForLoadState("networkidle");
      await expect.poll(async () => (await savedAnswers())["mapping.entities"]?.draft ?? null, { timeout: 10_000 }).toBeNull();
      await context.close();
    });
  });
}

describe("the save status", () => {
  it("never reads “Saved” when an answer was not saved", { timeout: 60_000 }, async () => {
    const context = await signedInContext(true);
    const page = await openTheme(context, themeUrls.find((u) => u.endsWith("/mapping"))!, true);
    const status = page.locator(".lantern-save-status");
    // an answer the page finds invalid is not sent
    await page.locator("#mapping-spend_mapped_pct").fill("lots");
    await expect.poll(() => status.innerText()).toBe("Not saved – see the messages on this page");
    await page.locator("#mapping-spend_mapped_pct").fill("70");
    await expect.poll(() => status.innerText()).toBe("Saved");
    // an answer the server refuses
    await page.route("**/answers", (route) => route.fulfill({ status: 400, contentType: "application/json", body: JSON.stringify({ error: "Refused for the test" }) }));
    await page.locator("#mapping-spend_mapped_pct").fill("71");
    await expect.poll(() => status.innerText()).toBe("Not saved – see the messages on this page");
    expect(await page.locator("#mapping-spend_mapped_pct-error").innerText()).toContain("Refused for the test");
    await context.close();
  });
});
