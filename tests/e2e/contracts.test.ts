/**
 * A department administrator imports a contract register from a spreadsheet through the page,
 * sees a bad file refused with each problem by row and column, and browses the register sorted,
 * filtered and paged, with and without JavaScript; axe-core on every page.
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

const HEADER = "reference,title,supplier_name,supplier_company_number,supplier_country,category,annual_value_gbp,total_value_gbp,start_date,end_date,contract_manager_email,tier_override,tier_override_reason";
function register(count: number): string {
  const rows = [HEADER];
  for (let i = 1; i <= count; i++) {
    const annual = (i * 977_003) % 60_000_000;
    rows.push(`DPW-${String(i).padStart(4, "0")},Service ${i},Supplier ${i} Ltd,,GB,${i % 2 ? "Cleaning" : "Security"},${annual},${annual * 2},01/04/2025,31/03/2028,manager@dpw.example,,`);
  }
  return `${rows.join("\n")}\n`;
}

describe("the contract register", () => {
  it("an administrator imports a register; a bad file is refused with its problems; the register sorts, filters and pages", { timeout: 120_000 }, async () => {
    const context = await browser.newContext();
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await signIn(page, baseUrl, "admin@dpw.example");
    await page.getByRole("link", { name: "Contracts", exact: true }).click();
    await expect.poll(() => page.locator("h1").innerText()).toBe("Contract register");
    const before = Number((await page.locator("[role=status]").innerText()).replace(/,/g, "").match(/^(\d+) contracts/)![1]);
    await page.getByRole("link", { name: "Import contracts from a spreadsheet" }).click();
    await expect.poll(() => page.locator("h1").innerText()).toBe("Import contracts from a spreadsheet");
    await expectAccessible(page);

    const bad = [HEADER, "X-1,Fine,Supplier Ltd,,GB,Cleaning,100,100,01/04/2025,31/03/2026,,,", "X-2,Broken,Supplier Ltd,,GB,Cleaning,-5,100,31/02/2025,31/03/2026,,,"].join("\n");
    await page.getByLabel("Upload the register").setInputFiles({ name: "register.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
    await page.getByRole("button", { name: "Import" }).click();
    await expect.poll(() => page.locator(".govuk-error-summary").innerText()).toContain("nothing was imported");
    const listed = await page.locator("#register-error").innerText();
    expect(listed).toContain("Row 3, column annual_value_gbp");
    expect(listed).toContain("Row 3, column start_date");
    await expectAccessible(page);

    await page.getByLabel("Upload the register").setInputFiles({ name: "register.csv", mimeType: "text/csv", buffer: Buffer.from(register(120)) });
    await page.getByRole("button", { name: "Import" }).click();
    await expect.poll(() => page.locator(".govuk-notification-banner").innerText()).toContain("120 contracts added");
    await page.getByRole("link", { name: "View the register" }).click();
    await expect.poll(() => page.locator("[role=status]").innerText()).toMatch(new RegExp(`^${before + 120} contracts, page 1 of ${Math.ceil((before + 120) / 50)}\\.$`)); // the demo register's and other tests' contracts, and these
    await page.getByLabel("Search").fill("DPW-");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect.poll(() => page.locator("[role=status]").innerText()).toBe("120 contracts, page 1 of 3.");
    await expectAccessible(page);
    await page.getByLabel("Tier").selectOption("gold");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect.poll(() => page.url()).toContain("tier=gold");
    const tiers = await page.locator("tbody .govuk-tag").allInnerTexts();
    expect(tiers.length).toBeGreaterThan(0);
    expect(new Set(tiers)).toEqual(new Set(["Gold"]));
    await context.close();

    // Without JavaScript: sorting by a column header and paging are plain links.
    const plain = await browser.newContext({ javaScriptEnabled: false });
    const noJs = await plain.newPage();
    await signIn(noJs, baseUrl, "manager@dpw.example");
    await noJs.goto(`${baseUrl}/contracts?q=DPW-`);
    await noJs.getByRole("link", { name: /^Reference/ }).click();
    await noJs.waitForURL(/sort=reference/);
    expect(await noJs.locator("tbody tr td").first().innerText()).toBe("DPW-0001");
    await noJs.getByRole("link", { name: /Next/ }).click();
    await noJs.waitForURL(/page=2/);
    expect(await noJs.locator("tbody tr td").first().innerText()).toBe("DPW-0051");
    expect(await noJs.getByRole("link", { name: "Import contracts from a spreadsheet" }).count()).toBe(0); // contract managers do not import
    const forbidden = await noJs.goto(`${baseUrl}/contracts/import`);
    expect(forbidden?.status()).toBe(403);
    await plain.close();
  });

  it("an administrator adds and changes a contract with the form, without JavaScript: dates in GOV.UK's date input, money as plain pounds", { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await signIn(page, baseUrl, "admin@dpw.example");
    await page.goto(`${baseUrl}/contracts/new`);
    await page.getByLabel("Reference").fill("FORM-0001");
    await page.getByLabel("Title").fill("Cleaning of the form office");
    await page.getByLabel("Category").fill("Cleaning");
    await page.getByLabel("Supplier's legal name").fill("Form Cleaning Ltd");
    await page.getByLabel("Annual value").fill("2500000");
    await page.getByLabel("Total value over the whole contract").fill("7,500,000");
    const start = page.getByRole("group", { name: "Start date" });
    await start.getByLabel("Day").fill("1");
    await start.getByLabel("Year").fill("2026");
    const end = page.getByRole("group", { name: "End date" });
    await end.getByLabel("Day").fill("31");
    await end.getByLabel("Month").fill("3");
    await end.getByLabel("Year").fill("2029");
    await page.getByRole("button", { name: "Add the contract" }).click();
    await page.waitForLoadState("load");
    expect(await page.locator(".govuk-error-summary a").allInnerTexts()).toEqual(["Start date must include a month"]);
    // only the missing field is marked, and the summary links to it
    expect(await page.locator("#start_date-month").getAttribute("class")).toContain("govuk-input--error");
    expect(await page.locator("#start_date-day").getAttribute("class")).not.toContain("govuk-input--error");
    expect(await page.locator("#start_date-day").inputValue()).toBe("1");
    expect(await page.locator(".govuk-error-summary a").getAttribute("href")).toBe("#start_date-month");

    await page.getByRole("group", { name: "Start date" }).getByLabel("Month").fill("Apr");
    await page.getByRole("button", { name: "Add the contract" }).click();
    await page.waitForURL(/\/contracts\/[0-9a-f-]{36}\?saved=added$/);
    const shown = await page.locator("main").innerText();
    expect(shown).toContain("1 April 2026");
    expect(shown).toContain("31 March 2029");
    expect(shown).toContain("£2,500,000");

    await page.goto(`${page.url().split("?")[0]}/edit`);
    expect(await page.getByLabel("Annual value").inputValue()).toBe("2500000");
    expect(await page.getByRole("group", { name: "Start date" }).getByLabel("Month").inputValue()).toBe("4");
    await page.getByRole("group", { name: "End date" }).getByLabel("Day").fill("31");
    await page.getByRole("group", { name: "End date" }).getByLabel("Month").fill("2");
    await page.getByRole("button", { name: "Save the contract" }).click();
    await page.waitForLoadState("load");
    expect(await page.locator(".govuk-error-summary a").allInnerTexts()).toEqual(["End date must be a real date"]);
    await context.close();

    // With JavaScript the same errors show, and the page with them passes axe (which runs in the page).
    const withJs = await browser.newContext();
    const again = await withJs.newPage();
    await signIn(again, baseUrl, "admin@dpw.example");
    await again.goto(`${baseUrl}/contracts/new`);
    await again.getByRole("group", { name: "Start date" }).getByLabel("Year").fill("2026");
    await again.getByRole("button", { name: "Add the contract" }).click();
    await expect.poll(() => again.locator(".govuk-error-summary a").allInnerTexts()).toContain("Start date must include a day and month");
    await expectAccessible(again);
    await withJs.close();
  });
});
