/**
 * A supplier names a sub-supplier that is under an active import-ban order and confirms the match:
 * its report shows the red flag and the rating it forces; it responds to every recommendation (so
 * the assessment is complete, which is what the work queue lists) and shares it with a department,
 * whose contract manager sees in the work queue, and on the result, that a follow-up conversation
 * is needed. axe-core on every page.
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { hashPassword } from "../../app/domain/passwords";
import { applySkipLogic } from "../../app/domain/visibility";
import { newId } from "../../db/ids";
import { createDb, type Db } from "../../db/index";
import { plausibleAnswers } from "../../db/seed";
import { loadQuestionnaire } from "../../questionnaires/format";
import { expectAccessible, launch, signIn } from "./browser";

const baseUrl = inject("baseUrl");
const database = inject("database");
const SUPPLIER = "Quarry Lane Solar Ltd";
const EMAIL = "compliance@quarry-lane-solar.example";
const PASSWORD = "quarry lane solar 2026";
let browser: Browser;
let db: Db;

beforeAll(async () => {
  browser = await launch();
  db = createDb(database.url, { schema: database.schema, poolSize: 2 });
  const organisationId = newId();
  const now = new Date().toISOString();
  await db.insertInto("organisation").values({ id: organisationId, name: SUPPLIER, kind: "supplier", slug: "quarry-lane-solar-ltd", company_number: null, country: "GB", created_at: now }).execute();
  await db
    .insertInto("user")
    .values({ id: newId(), organisation_id: organisationId, email: EMAIL, name: "Nadia Okafor", role: "admin", password_hash: await hashPassword(PASSWORD), created_at: now })
    .execute();
});
afterAll(async () => {
  await browser?.close();
  await db?.destroy();
});

async function newPage(): Promise<Page> {
  const context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  return context.newPage();
}

/** Strong answers through the autosave endpoint, as the page would save them, naming one sub-supplier. */
async function answerEverything(page: Page, assessmentId: string) {
  const { questionnaire_version: version } = await db.selectFrom("assessment").select("questionnaire_version").where("id", "=", assessmentId).executeTakeFirstOrThrow();
  const qn = loadQuestionnaire(`questionnaires/msat/msat-${version}.yaml`);
  // No harm found, so the only red flag is the import-ban match.
  const { answers } = applySkipLogic(qn, {
    ...plausibleAnswers(qn, 1),
    ...(qn.themes.some((t) => t.questions.some((q) => q.id === "grievance.signs_found")) ? { "grievance.signs_found": "no" } : { "grievance.indicators_found": "no" }),
    "recruitment.found_fees_paid": "no",
    "mapping.entities": [{ name: "Hoshine Silicon Industry Co. Ltd", country: "CN", tier: "tier2", products: "Silicon metal for our solar panels" }],
  });
  expect(answers["mapping.entities"]).toBeDefined();
  for (const [questionId, value] of Object.entries(answers)) {
    const response = await page.request.post(`${baseUrl}/assessments/${assessmentId}/answers`, {
      headers: { Origin: baseUrl, "Content-Type": "application/json" },
      data: { questionId, value, baseRevision: 0 },
    });
    if (response.status() !== 200) throw new Error(`saving ${questionId}: ${response.status()} ${await response.text()}`);
  }
}

const section = (page: Page, id: string) => page.locator(`section[aria-labelledby="${id}"]`).innerText();

describe("a confirmed match with an active import ban", () => {
  it("is a red flag on the supplier's report, and the buyer's work queue asks for the follow-up", { timeout: 240_000 }, async () => {
    const supplier = await newPage();
    await signIn(supplier, baseUrl, EMAIL, PASSWORD);
    await supplier.getByRole("button", { name: "Start your assessment" }).click();
    await supplier.waitForURL(/\/assessments\/[0-9a-f-]{36}$/);
    const assessmentId = supplier.url().split("/").pop()!;
    await answerEverything(supplier, assessmentId);

    // The supplier confirms that the sub-supplier it named is the listed company.
    await supplier.goto(`${baseUrl}/assessments/${assessmentId}/screening`);
    const card = supplier.locator(".govuk-summary-card", { hasText: "Hoshine Silicon Industry Co. Ltd" }).first();
    await card.getByLabel(/Yes, it is the listed company/).check();
    await card.getByLabel(/How do you know/).fill("Our panel maker buys silicon metal from this group; we are working with it on tracing and the workers' situation.");
    await card.getByRole("button", { name: /Save decision/ }).click();
    await expect.poll(() => supplier.locator(".govuk-summary-card", { hasText: "Hoshine Silicon Industry Co. Ltd" }).first().innerText()).toContain("Confirmed: this is the listed company");
    await expectAccessible(supplier);

    // Submitted: the report shows the red flag and the rating it forces.
    await supplier.goto(`${baseUrl}/assessments/${assessmentId}/check`);
    await supplier.getByRole("button", { name: "Submit assessment" }).click();
    await supplier.waitForURL(/\/report/);
    await expect.poll(() => supplier.locator(".govuk-panel__title").innerText()).toBe("High risk");
    const flags = await section(supplier, "red-flags");
    expect(flags).toContain("Confirmed match with an active import ban");
    expect(flags).toContain("your contract manager will follow each one up with you");
    expect(await section(supplier, "how-rated")).toContain("High risk because of a red flag: Confirmed match with an active import ban.");
    await expectAccessible(supplier);

    // The supplier responds to every recommendation, which completes the assessment...
    await supplier.goto(`${baseUrl}/assessments/${assessmentId}/responses`);
    const radios = supplier.locator("input[type=radio][value=in_progress]");
    const count = await radios.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i++) await radios.nth(i).check();
    await supplier.getByRole("button", { name: "Save all responses" }).click();
    await supplier.waitForURL(/\/report\?responded=/);
    expect(await supplier.locator(".govuk-notification-banner").innerText()).toContain("your assessment is complete");

    // ... and shares it with the department.
    await supplier.goto(`${baseUrl}/assessments/${assessmentId}/sharing`);
    await supplier.getByLabel("Buying organisation", { exact: true }).selectOption({ label: "Department for Public Works" });
    await supplier.getByRole("button", { name: "Share assessment" }).click();
    await expect.poll(() => supplier.locator(".govuk-notification-banner").innerText()).toContain("Department for Public Works");

    // The contract manager's work queue lists the result as needing follow-up, and says the red flag asks for it.
    const manager = await newPage();
    await signIn(manager, baseUrl, "manager@dpw.example");
    await manager.goto(`${baseUrl}/queue`);
    await expect.poll(() => section(manager, "follow-up")).toContain(SUPPLIER);
    const row = manager.locator("#follow-up ~ * tr", { hasText: SUPPLIER });
    const rowText = await row.innerText();
    expect(rowText).toContain("Red flag");
    expect(rowText).toContain("Confirmed match with an active import ban");
    expect(rowText).toContain("High risk");
    await expectAccessible(manager);

    // The result says the same, and shows the red flag.
    await manager.getByRole("link", { name: SUPPLIER, exact: true }).click();
    await expect.poll(() => manager.url()).toContain(`/results/${assessmentId}`);
    // The address changes before the page is drawn: wait for the result's own heading.
    await expect.poll(() => manager.locator("h1").innerText()).toBe("Modern slavery assessment result");
    const main = await manager.locator("main").innerText();
    expect(main).toContain("Follow-up needed");
    expect(main).toContain("Confirmed match with an active import ban");
    await expectAccessible(manager);

    // Another department sees none of it.
    const other = await newPage();
    await signIn(other, baseUrl, "manager@nhs.example");
    await other.goto(`${baseUrl}/queue`);
    expect(await other.locator("main").innerText()).not.toContain(SUPPLIER);
  });
});
