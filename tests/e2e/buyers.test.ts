/**
 * The buyer side end to end: a department administrator imports a register, a contract manager
 * marks risk indicators until a contract is a priority and invites its supplier; the supplier
 * follows the emailed link (read from the department's outbox page), registers, answers and
 * submits; the contract manager sees the funnel move and the result and leaves a note. A second
 * department sees nothing until the supplier shares the assessment, then sees it with the first
 * department's note, and nothing again once the supplier stops sharing. axe-core on every buyer
 * page; every buyer page also loads, and a risk assessment and a note are saved, without JavaScript.
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { currentQuestionnaire } from "../../app/services/questionnaires.server";
import { plausibleAnswers } from "../../db/seed";
import { expectAccessible, launch, signIn } from "./browser";

const baseUrl = inject("baseUrl");
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

const HEADER = "reference,title,supplier_name,supplier_company_number,supplier_country,category,annual_value_gbp,total_value_gbp,start_date,end_date,contract_manager_email,tier_override,tier_override_reason";
const REGISTER = [
  HEADER,
  "JRN-0001,Cleaning of regional offices,Journey Cleaning Ltd,JR123456,GB,Cleaning,\"2,500,000.00\",7500000,01/04/2026,31/03/2029,manager@dpw.example,,",
  "JRN-0002,Catering at head office,Journey Catering Ltd,,GB,Catering,800000,1600000,01/04/2026,31/03/2028,manager@dpw.example,,",
].join("\n");
const SUPPLIER_EMAIL = "owner@journey-cleaning.example";
const SUPPLIER_PASSWORD = "journey cleaning 2026";

async function newPage(options: { javaScriptEnabled?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(15_000);
  return { context, page: await context.newPage() };
}

const heading = (page: Page) => page.locator("h1").innerText();

/** The number in the department funnel's row for a stage (the first table on /invitations). */
async function funnelCount(page: Page, stage: string): Promise<number> {
  await page.goto(`${baseUrl}/invitations`);
  const table = page.locator("table").first();
  const headers = await table.locator("thead th").allInnerTexts();
  const column = headers.findIndex((h) => h.trim() === stage);
  expect(column, `funnel column ${stage} in ${headers.join(" | ")}`).toBeGreaterThan(0);
  const cells = await table.locator("tbody tr").first().locator("th, td").allInnerTexts();
  return Number(cells[column]!.replace(/[^0-9]/g, ""));
}

async function statusOfInvitation(page: Page, reference: string): Promise<string> {
  await page.goto(`${baseUrl}/invitations`);
  return page.locator("table tr", { hasText: reference }).last().locator("strong.govuk-tag").innerText();
}

describe("buyers", () => {
  it("import, prioritise, invite; the supplier joins and submits; results are shared, noted and unshared", { timeout: 300_000 }, async () => {
    // The department administrator imports the register.
    const admin = await newPage();
    await signIn(admin.page, baseUrl, "admin@dpw.example");
    await admin.page.goto(`${baseUrl}/contracts/import`);
    await admin.page.getByLabel("Upload the register").setInputFiles({ name: "register.csv", mimeType: "text/csv", buffer: Buffer.from(REGISTER) });
    await admin.page.getByRole("button", { name: "Import" }).click();
    await expect.poll(() => admin.page.locator(".govuk-notification-banner").innerText()).toContain("2 contracts added");

    // The contract manager finds the contract and records indicators until it is a priority.
    const manager = await newPage();
    await signIn(manager.page, baseUrl, "manager@dpw.example");
    await expectAccessible(manager.page); // the overview
    await manager.page.getByRole("link", { name: "Contracts", exact: true }).click();
    await expect.poll(() => heading(manager.page)).toBe("Contract register");
    await manager.page.getByLabel("Search").fill("JRN-0001");
    await manager.page.getByRole("button", { name: "Apply filters" }).click();
    await expect.poll(() => manager.page.locator("[role=status]").innerText()).toBe("1 contract.");
    await expectAccessible(manager.page);
    await manager.page.getByRole("link", { name: "JRN-0001" }).click();
    await expect.poll(() => manager.page.locator("body").innerText()).toContain("Not risk-assessed yet");
    await expectAccessible(manager.page);
    await manager.page.getByRole("link", { name: /^Assess risk/ }).click();
    await expect.poll(() => manager.page.url()).toMatch(/\/risk$/);
    await expectAccessible(manager.page);
    const contractId = manager.page.url().split("/").at(-2)!;

    const mark = async (present: string[]) => {
      await manager.page.goto(`${baseUrl}/contracts/${contractId}/risk`);
      for (const id of ["industry", "workforce", "location", "context", "commodity", "business_model", "strategic"]) {
        await manager.page.locator(present.includes(id) ? `#${id}-present` : `#${id}-present-no`).check();
      }
      await manager.page.getByRole("button", { name: /save/i }).click();
      await expect.poll(() => manager.page.url()).toMatch(new RegExp(`/contracts/${contractId}(\\?|$)`));
    };
    await mark(["industry", "workforce", "strategic"]);
    await expect.poll(() => manager.page.locator("#risk ~ p").first().innerText()).toContain("not a priority contract");
    await mark(["industry", "workforce", "business_model", "strategic"]);
    await expect.poll(() => manager.page.locator("main").innerText()).toContain("Priority contract");
    expect(await manager.page.locator("main").innerText()).toContain("Assessed by Tom Rivers");
    await expectAccessible(manager.page);

    // ... and invites its supplier.
    const invitedBefore = await funnelCount(manager.page, "Invited");
    const submittedBefore = await funnelCount(manager.page, "Submitted");
    await manager.page.goto(`${baseUrl}/contracts/${contractId}`);
    await manager.page.getByRole("link", { name: /Invite the supplier/ }).click();
    await expect.poll(() => manager.page.url()).toMatch(/\/invite$/);
    await expectAccessible(manager.page);
    await manager.page.getByLabel("Contact's name (optional)").fill("Jo Journey");
    await manager.page.getByLabel("Contact's email address").fill(SUPPLIER_EMAIL);
    await manager.page.getByRole("button", { name: "Send invitation" }).click();
    await expect.poll(() => manager.page.locator(".govuk-notification-banner").innerText()).toContain(SUPPLIER_EMAIL);
    await expectAccessible(manager.page);
    expect(await funnelCount(manager.page, "Invited")).toBe(invitedBefore + 1);
    expect(await statusOfInvitation(manager.page, "JRN-0001")).toBe("Invited");
    await expectAccessible(manager.page);

    // Without SMTP the administrator reads the message in the outbox.
    await admin.page.goto(`${baseUrl}/outbox`);
    await expectAccessible(admin.page);
    const message = admin.page.locator("tr", { hasText: SUPPLIER_EMAIL }).first().locator("details");
    await message.locator("summary").click();
    const link = /https?:\/\/\S+\/join\/[A-Z0-9-]+/.exec(await message.innerText())![0];
    const joinPath = new URL(link).pathname;

    // The supplier follows the link, sets up its organisation, and starts an assessment for it.
    const supplier = await newPage();
    await supplier.page.goto(`${baseUrl}${joinPath}`);
    await expect.poll(() => supplier.page.locator("main").innerText()).toContain("Department for Public Works");
    await expectAccessible(supplier.page);
    await supplier.page.getByLabel("Organisation name").fill("Journey Cleaning Ltd");
    await supplier.page.getByLabel("Companies House number").fill("JR123456");
    await supplier.page.getByLabel("Your full name").fill("Jo Journey");
    await supplier.page.getByLabel("Create a password").fill(SUPPLIER_PASSWORD);
    await supplier.page.getByRole("button", { name: "Set up organisation and accept" }).click();
    await expect.poll(() => supplier.page.url()).toMatch(/\/supplier\/invitations\/[0-9a-f-]{36}$/);
    await expectAccessible(supplier.page);
    expect(await statusOfInvitation(manager.page, "JRN-0001")).toBe("Registered");
    await supplier.page.getByLabel(/Start a new assessment/).check();
    await supplier.page.getByRole("button", { name: "Start the assessment" }).click();
    await expect.poll(() => supplier.page.url()).toMatch(/\/assessments\/[0-9a-f-]{36}$/);
    const assessmentId = supplier.page.url().split("/").pop()!;
    expect(await statusOfInvitation(manager.page, "JRN-0001")).toBe("In progress");
    // A draft is not shown to the buyer.
    expect((await manager.page.goto(`${baseUrl}/results/${assessmentId}`))!.status()).toBe(404);

    // a new assessment answers the questionnaire in use now
    const qn = currentQuestionnaire();
    for (const [questionId, value] of Object.entries(plausibleAnswers(qn, 0.5))) {
      const saved = await supplier.page.request.post(`${baseUrl}/assessments/${assessmentId}/answers`, { headers: { Origin: baseUrl, "Content-Type": "application/json" }, data: { questionId, value, baseRevision: 0 } });
      expect(saved.status(), questionId).toBe(200);
    }
    await supplier.page.goto(`${baseUrl}/assessments/${assessmentId}/check`);
    await supplier.page.getByRole("button", { name: "Submit assessment" }).click();
    await expect.poll(() => supplier.page.url()).toMatch(/\/report/);

    // The contract manager sees the funnel move and the result, and leaves a note.
    expect(await funnelCount(manager.page, "Submitted")).toBe(submittedBefore + 1);
    expect(await statusOfInvitation(manager.page, "JRN-0001")).toBe("Submitted");
    await manager.page.goto(`${baseUrl}/results`);
    await expectAccessible(manager.page);
    await manager.page.getByRole("link", { name: "Journey Cleaning Ltd" }).click();
    await expect.poll(() => manager.page.url()).toContain(`/results/${assessmentId}`);
    await expect.poll(() => manager.page.locator("main").innerText()).toContain("JRN-0001");
    await expectAccessible(manager.page);
    const NOTE = "Journey note: follow-up call booked for 3 December about agency workers.";
    await manager.page.getByRole("textbox", { name: "Add a note" }).fill(NOTE);
    await manager.page.getByRole("button", { name: "Add note" }).click();
    await expect.poll(() => manager.page.locator("#notes ~ *").allInnerTexts().then((t) => t.join("\n"))).toContain(NOTE);
    await expectAccessible(manager.page);

    // The conversation guide for the follow-up, printable and as a PDF.
    await manager.page.getByRole("link", { name: /conversation guide/ }).click();
    await expect.poll(() => heading(manager.page)).toBe("Conversation guide");
    await expectAccessible(manager.page);
    const pdf = await manager.page.request.get(`${baseUrl}/results/${assessmentId}/guide.pdf`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()["content-type"]).toBe("application/pdf");
    expect((await pdf.body()).subarray(0, 5).toString()).toBe("%PDF-");

    // A second department sees nothing of it...
    const other = await newPage();
    await signIn(other.page, baseUrl, "manager@nhs.example");
    await other.page.goto(`${baseUrl}/results`);
    expect(await other.page.locator("main").innerText()).not.toContain("Journey Cleaning Ltd");
    expect((await other.page.goto(`${baseUrl}/results/${assessmentId}`))!.status()).toBe(404);
    expect(await other.page.locator("main").innerText()).not.toContain("Journey");
    expect((await other.page.goto(`${baseUrl}/results/${assessmentId}/guide`))!.status()).toBe(404);

    // ... until the supplier shares it; then it sees the result and the first department's note.
    await supplier.page.goto(`${baseUrl}/assessments/${assessmentId}/sharing`);
    await expectAccessible(supplier.page);
    await supplier.page.getByLabel("Buying organisation", { exact: true }).selectOption({ label: "Northshire Health Services" });
    await supplier.page.getByRole("button", { name: "Share assessment" }).click();
    await expect.poll(() => supplier.page.locator(".govuk-notification-banner").innerText()).toContain("Northshire Health Services");
    await other.page.goto(`${baseUrl}/results`);
    await other.page.getByRole("link", { name: "Journey Cleaning Ltd" }).click();
    await expect.poll(() => other.page.locator("main").innerText()).toContain(NOTE);
    expect(await other.page.locator("main").innerText()).toContain("Department for Public Works");
    await expectAccessible(other.page);

    // The supplier stops sharing: the second department sees nothing again.
    await supplier.page.goto(`${baseUrl}/assessments/${assessmentId}/sharing`);
    await supplier.page.locator("tr", { hasText: "Northshire Health Services" }).getByRole("link", { name: /Stop sharing/ }).click();
    await supplier.page.getByLabel(/I understand Northshire Health Services will no longer see this assessment/).check();
    await supplier.page.getByRole("button", { name: "Stop sharing" }).click();
    await expect.poll(() => supplier.page.url()).toContain("stopped=");
    expect((await other.page.goto(`${baseUrl}/results/${assessmentId}`))!.status()).toBe(404);
    await other.page.goto(`${baseUrl}/results`);
    expect(await other.page.locator("main").innerText()).not.toContain("Journey Cleaning Ltd");
    // The first department still sees it.
    expect((await manager.page.goto(`${baseUrl}/results/${assessmentId}`))!.status()).toBe(200);

    // The administrator's pages.
    for (const path of ["/buyer", "/settings", "/contracts/new", `/contracts/${contractId}/edit`, "/invitations?status=submitted"]) {
      await admin.page.goto(`${baseUrl}${path}`);
      await expectAccessible(admin.page);
    }

    for (const { context } of [admin, manager, supplier, other]) await context.close();
  });

  it("every buyer page works without JavaScript: pages load, a risk assessment and a note are saved", { timeout: 180_000 }, async () => {
    const { context, page } = await newPage({ javaScriptEnabled: false });
    await signIn(page, baseUrl, "admin@dpw.example");
    const contractLink = async (filter: string) => {
      await page.goto(`${baseUrl}/contracts?${filter}`);
      return (await page.locator("tbody a").first().getAttribute("href"))!;
    };
    const assessed = await contractLink("risk=priority");
    const unassessed = await contractLink("risk=not_assessed");
    const result = await (async () => {
      await page.goto(`${baseUrl}/results`);
      return (await page.locator("main tbody a").first().getAttribute("href"))!;
    })();
    for (const path of ["/buyer", "/contracts", "/contracts/new", "/contracts/import", assessed, `${assessed}/edit`, `${assessed}/risk`, `${unassessed}/invite`, "/invitations", "/results", result, "/settings", "/outbox"]) {
      const response = await page.goto(`${baseUrl}${path}`);
      expect(response!.status(), path).toBe(200);
      expect((await heading(page)).length, path).toBeGreaterThan(0);
    }

    await page.goto(`${baseUrl}${unassessed}/risk`);
    for (const id of ["industry", "workforce", "location", "context", "commodity", "business_model", "strategic"]) {
      await page.locator(["industry", "workforce", "strategic", "context"].includes(id) ? `#${id}-present` : `#${id}-present-no`).check();
    }
    await page.getByRole("button", { name: /save/i }).click();
    await page.waitForLoadState("load");
    expect(page.url()).toContain(unassessed);
    expect(await page.locator("main").innerText()).toContain("Priority contract");

    await page.goto(`${baseUrl}${result}`);
    await page.getByRole("textbox", { name: "Add a note" }).fill("A note written without JavaScript.");
    await page.getByRole("button", { name: "Add note" }).click();
    await page.waitForLoadState("load");
    expect(await page.locator("main").innerText()).toContain("A note written without JavaScript.");
    await context.close();
  });
});
