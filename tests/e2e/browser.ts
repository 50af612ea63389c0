/** Chromium through playwright-core, and an axe-core WCAG 2.2 A/AA check for every page visited. */
import { existsSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { type Browser, type Page, chromium } from "playwright-core";
import { expect } from "vitest";

const SYSTEM_CHROMIUM = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

/**
 * The Chromium to drive: CHROMIUM_PATH, else the system's, else the one the npm registry ships
 * inside @sparticuz/chromium (unpacked to the temp folder on first use), so the tests need no root.
 */
export async function chromiumPath(): Promise<string> {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  const system = SYSTEM_CHROMIUM.find((p) => existsSync(p));
  if (system) return system;
  const { default: packaged } = await import("@sparticuz/chromium");
  return packaged.executablePath();
}

export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-gpu", "--disable-dev-shm-usage"];

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: await chromiumPath(), args: CHROMIUM_ARGS });
}

export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  expect(summary, `accessibility violations on ${page.url()}`).toEqual([]);
}

export async function signIn(page: Page, baseUrl: string, email: string, password = "lantern-demo-2026") {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForLoadState("networkidle");
}
