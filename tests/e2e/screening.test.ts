/**
 * A supplier names sub-suppliers spelled differently from the import-ban list, sees the possible
 * matches, dismisses one and confirms another, and the report shows the outcome with the rating
 * explained. The naming is done without JavaScript, the rest with it; axe-core on every page.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { hashPassword } from "../../app/domain/passwords";
import { newId } from "../../db/ids";
import { createDb, type Db } from "../../db/index";
import { plausibleAnswers } from "../../db/seed";
import { loadQuestionnaire } from "../../questionnaires/format";
import { expectAccessible, launch, signIn } from "./browser";

const baseUrl = inject("baseUrl");
const database = inject("database");
const EMAIL = "buyer.contact@harbour-catering.example";
let browser: Browser;
let db: Db;

beforeAll(async () => {
  browser = await launch();
  db = createDb(database.url, { schema: database.schema, poolSize: 2 });
  const organisationId = newId();
  const now = new Date().toISOString();
  await db.insertInto("organisation").values({ id: organisationId, name: "Harbour Catering Ltd", kind: "supplier", slug: "harbour-catering-ltd", company_number: null, country: "GB", created_at: now }).execute();
  await db
    .insertInto("user")
    .values({ id: newId(), organisation_id: organisationId, email: EMAIL, name: "Priya Shah", role: "admin", password_hash: await hashPassword("harbour catering 2026"), created_at: now })
    .execute();
});
afterAll(async () => {
  await browser?.close();
  await db?.destroy();
});

/** Answer everything except the named suppliers through the autosave endpoint, as the page would. */
async function answerTheRest(page: Page, assessmentId: string) {
  const qn = loadQuestionnaire(`questionnaires/msat/msat-${(await db.selectFrom("assessment").select("questionnaire_version").where("id", "=", assessmentId).executeTakeFirstOrThrow()).questionnaire_version}.yaml`);
  // Strong answers: the supplier has mapped its supply chain, so it can name sub-suppliers.
  const answers = plausibleAnswers(qn, 1);
  expect(answers["mapping.has_mapped"]).toBe("yes");
  delete answers["mapping.entities"];
  for (const [questionId, value] of Object.entries(answers)) {
    const response = await page.request.post(`${baseUrl}/assessments/${assessmentId}/answers`, {
      headers: { Origin: baseUrl, "Content-Type": "application/json" },
      data: { questionId, value, baseRevision: 0 },
    });
    if (response.status() !== 200) throw new Error(`saving ${questionId}: ${response.status()} ${await response.text()}`);
  }
}

describe("import-ban screening", () => {
  it("names sub-suppliers, decides each possible match, and the report shows the outcome", { timeout: 180_000 }, async () => {
    const context = await browser.newContext();
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await signIn(page, baseUrl, EMAIL, "harbour catering 2026");
    await page.getByRole("button", { name: "Start your assessment" }).click();
    await page.waitForURL(/\/assessments\/[0-9a-f-]{36}$/);
    const assessmentId = page.url().split("/").pop()!;
    await answerTheRest(page, assessmentId);

    // Without JavaScript: name two sub-suppliers, spelled as the supplier knows them.
    const plain = await browser.newContext({ javaScriptEnabled: false });
    plain.setDefaultTimeout(15_000);
    await plain.addCookies(await context.cookies());
    const form = await plain.newPage();
    await form.goto(`${baseUrl}/assessments/${assessmentId}/themes/mapping`);
    await form.locator("#mapping-entities\\.0\\.name").fill("HOSHINE SILICON INDUSTRIES (SHANSHAN) CO., LIMITED");
    await form.locator("#mapping-entities\\.0\\.country").selectOption("CN");
    await form.locator("#mapping-entities\\.0\\.tier").selectOption("tier2");
    await form.locator("#mapping-entities\\.0\\.products").fill("Silicon metal for our solar panels");
    await form.getByRole("button", { name: "Add another supplier" }).click();
    await form.locator("#mapping-entities\\.1\\.name").fill("Top-Glove Corp. Bhd.");
    await form.locator("#mapping-entities\\.1\\.country").selectOption("MY");
    await form.locator("#mapping-entities\\.1\\.tier").selectOption("tier1");
    await form.locator("#mapping-entities\\.1\\.products").fill("Nitrile gloves");
    await form.getByRole("button", { name: "Save and continue" }).click();
    await form.waitForLoadState("load");
    expect(form.url()).not.toMatch(/\/themes\/mapping/);
    await plain.close();
    // axe needs script in the page: check the same page's markup with JavaScript on
    await page.goto(`${baseUrl}/assessments/${assessmentId}/themes/mapping`);
    await expectAccessible(page);

    // The task list says there are matches to decide.
    await page.goto(`${baseUrl}/assessments/${assessmentId}`);
    await expect.poll(() => page.locator("#screening-status").innerText()).toBe("2 matches to decide");
    await page.getByRole("link", { name: "Check named suppliers against import bans" }).click();
    await page.waitForURL(/\/screening$/);
    await expect.poll(() => page.locator("h1").innerText()).toBe("Check named suppliers against import bans");
    const cards = page.locator(".govuk-summary-card");
    await expect.poll(() => cards.count()).toBe(2);
    await expectAccessible(page);

    // A decision without a reason is refused, and says how to fix it.
    const topGlove = page.locator(".govuk-summary-card", { hasText: "Top-Glove Corp. Bhd." });
    await topGlove.getByLabel("No, it is a different company").check();
    await topGlove.getByRole("button", { name: /Save decision/ }).click();
    await expect.poll(() => page.locator(".govuk-error-summary a").allInnerTexts()).toEqual(["Enter how you know it is a different company"]);
    await expectAccessible(page);

    await page.locator(".govuk-summary-card", { hasText: "Top-Glove Corp. Bhd." }).getByLabel("No, it is a different company").check();
    await page.locator(".govuk-summary-card", { hasText: "Top-Glove Corp. Bhd." }).getByLabel(/How do you know/).fill("A glove distributor in Klang with a different company registration number.");
    await page.locator(".govuk-summary-card", { hasText: "Top-Glove Corp. Bhd." }).getByRole("button", { name: /Save decision/ }).click();
    await expect.poll(() => page.locator(".govuk-summary-card", { hasText: "Top-Glove Corp. Bhd." }).innerText()).toContain("Dismissed: a different company");

    const hoshine = page.locator(".govuk-summary-card", { hasText: "HOSHINE" });
    await hoshine.getByLabel(/Yes, it is the listed company/).check();
    await hoshine.getByLabel(/How do you know/).fill("Our panel maker buys silicon metal from this group; we have asked it to trace and replace the source.");
    await hoshine.getByRole("button", { name: /Save decision/ }).click();
    await expect.poll(() => page.locator(".govuk-summary-card", { hasText: "HOSHINE" }).innerText()).toContain("Confirmed: this is the listed company");
    await expectAccessible(page);

    // Submit, then the report shows the outcome and explains the rating.
    await page.goto(`${baseUrl}/assessments/${assessmentId}/check`);
    await page.getByRole("button", { name: "Submit assessment" }).click();
    await page.waitForURL(/\/report/);
    const screening = page.locator("section", { has: page.locator("#screening") });
    await expect.poll(() => screening.innerText()).toContain("Dismissed: a different company");
    expect(await screening.innerText()).toContain("Confirmed: this is the listed company");
    expect(await screening.innerText()).toContain("Top Glove Corporation Bhd");
    expect(await page.locator("#how-rated").count()).toBe(1);
    expect(await page.locator(".govuk-panel__body").innerText()).toMatch(/^Exposure (low|medium|high)\. Management score/);
    await expectAccessible(page);
    await context.close();
  });
});
