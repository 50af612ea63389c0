/**
 * Lantern on a phone (375 px wide, an iPhone's width): the register, a supplier's theme page and the
 * statistics never make the page scroll sideways (wide tables scroll inside their own container,
 * which keyboard users can focus), the service navigation folds behind a "Menu" button when
 * JavaScript runs and shows open without it, and axe-core finds nothing on any of them. Set
 * SCREENSHOTS_DIR to keep a PNG of each page.
 */
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { expectAccessible, launch, signIn } from "./browser";

const baseUrl = inject("baseUrl");
const PHONE = { width: 375, height: 812 };
const DESKTOP = { width: 1280, height: 900 };
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

async function openAs(email: string, viewport: { width: number; height: number }, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ viewport, javaScriptEnabled });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await signIn(page, baseUrl, email);
  return page;
}

/** Whether the page itself is wider than the screen (what makes a phone scroll sideways). */
const scrollsSideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

async function screenshot(page: Page, name: string) {
  if (process.env.SCREENSHOTS_DIR) await page.screenshot({ path: join(process.env.SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
}

/** The supplier's assessment in progress (started if there is none), at its supply-chain mapping theme. */
async function openThemePage(page: Page) {
  await page.goto(`${baseUrl}/supplier`);
  await page.getByRole("button", { name: /Start/ }).or(page.getByRole("link", { name: "Continue your assessment" })).first().click();
  await expect.poll(() => page.url()).toMatch(/\/assessments\/[0-9a-f-]{36}$/);
  await page.goto(`${page.url()}/themes/mapping`);
  await expect.poll(() => page.locator("h1").innerText()).toBe("Supply-chain mapping");
}

const PAGES: Array<{ name: string; email: string; open: (page: Page) => Promise<unknown> }> = [
  { name: "contracts", email: "manager@dpw.example", open: (page) => page.goto(`${baseUrl}/contracts`) },
  { name: "theme", email: "admin@acme.example", open: openThemePage },
  { name: "statistics", email: "analyst@dpw.example", open: (page) => page.goto(`${baseUrl}/statistics`) },
];

describe("on a phone", () => {
  for (const { name, email, open } of PAGES) {
    it(`${name}: nothing scrolls the page sideways, the menu folds behind a button, and axe finds nothing`, { timeout: 60_000 }, async () => {
      const page = await openAs(email, PHONE);
      await open(page);
      await page.waitForLoadState("networkidle");
      expect(await scrollsSideways(page), "the page is wider than the screen").toBe(false);

      const menu = page.getByRole("button", { name: "Menu" });
      await expect.poll(() => menu.isVisible()).toBe(true);
      expect(await menu.getAttribute("aria-expanded")).toBe("false");
      expect(await page.locator("#navigation").isVisible()).toBe(false);
      await expectAccessible(page);
      await screenshot(page, `${name}-375`);

      await menu.click();
      expect(await menu.getAttribute("aria-expanded")).toBe("true");
      expect(await page.locator("#navigation").isVisible()).toBe(true);
      expect(await scrollsSideways(page)).toBe(false);
      await expectAccessible(page);
      await page.context().close();
    });
  }

  it("the register's table scrolls inside its own container, which the keyboard can focus and scroll", { timeout: 60_000 }, async () => {
    const page = await openAs("manager@dpw.example", PHONE);
    await page.goto(`${baseUrl}/contracts`);
    const region = page.getByRole("region", { name: "Contracts" });
    const widths = await region.evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
    expect(widths.scroll).toBeGreaterThan(widths.client);
    await region.focus();
    await page.keyboard.press("ArrowRight");
    await page.keyboard.press("ArrowRight");
    await expect.poll(() => region.evaluate((e) => e.scrollLeft)).toBeGreaterThan(0);
    expect(await scrollsSideways(page)).toBe(false);
    await page.context().close();
  });

  it("without JavaScript there is no menu button and the menu shows open", { timeout: 60_000 }, async () => {
    const page = await openAs("manager@dpw.example", PHONE, false);
    await page.goto(`${baseUrl}/contracts`);
    expect(await page.getByRole("button", { name: "Menu" }).isVisible()).toBe(false);
    expect(await page.locator("#navigation").isVisible()).toBe(true);
    expect(await page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Contracts" }).isVisible()).toBe(true);
    expect(await scrollsSideways(page)).toBe(false);
    await screenshot(page, "contracts-375-no-javascript");
    await page.context().close();
  });
});

describe("on a desktop", () => {
  it("the menu is a row of links with no menu button, and the pages fit", { timeout: 90_000 }, async () => {
    for (const { name, email, open } of PAGES) {
      const page = await openAs(email, DESKTOP);
      await open(page);
      await page.waitForLoadState("networkidle");
      expect(await page.getByRole("button", { name: "Menu" }).isVisible()).toBe(false);
      expect(await page.locator("#navigation").isVisible()).toBe(true);
      expect(await scrollsSideways(page), `${name} is wider than the screen`).toBe(false);
      await screenshot(page, `${name}-1280`);
      await page.context().close();
    }
  });
});
