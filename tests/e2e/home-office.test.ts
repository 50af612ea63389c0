/**
 * The Home Office's published 2020-21 findings, reproduced on the dashboard: 40 respondents shaped
 * like the department's (tests/setup/home-office.ts) are read in through the exchange import, shared
 * with a department made for this test, and the department's administrator opens the statistics
 * page for 2020-21. Every finding the statement published shows with its numerator and denominator,
 * four of them rounded half up (72.5% is 73%), and the statement sentence reads as the statement's.
 * The same figures through the command line: tests/services/cli-exchange.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { setDb } from "../../app/services/db.server";
import { importSubmissions } from "../../app/services/exchange.server";
import { newId } from "../../db/ids";
import { createDb, type Db } from "../../db/index";
import { addOrganisation } from "../../db/organisations";
import { HOME_OFFICE_COUNTS, homeOfficeLines } from "../setup/home-office";
import { ROOT } from "../domain/helpers";
import { expectAccessible, launch, signIn } from "./browser";

const baseUrl = inject("baseUrl");
const database = inject("database");
const SLUG = `home-office-${newId().slice(0, 8)}`;
const ADMIN = `admin@${SLUG}.example`;
let browser: Browser;
let db: Db;
let page: Page;

/** The published findings: kpi id → percent, from the copy of the statement's table beside the tests. */
const PUBLISHED = new Map(
  (parse(readFileSync(join(ROOT, "tests/data/home-office-2020-21-msat-findings.csv"), "utf8"), { columns: true }) as Array<{ kpi: string; published_percent: string }>).map((r) => [
    r.kpi,
    Number(r.published_percent),
  ]),
);

beforeAll(async () => {
  db = createDb(database.url, { schema: database.schema, poolSize: 2 });
  setDb(db);
  const added = await addOrganisation(db, { kind: "buyer", slug: SLUG, name: "Home Office (test)" });
  if (!added.ok) throw new Error(added.problems.join("; "));
  // The demo administrator's password, so the browser can sign in as this department's.
  const { password_hash } = await db.selectFrom("user").select("password_hash").where("email", "=", "admin@dpw.example").executeTakeFirstOrThrow();
  await db.insertInto("user").values({ id: newId(), organisation_id: added.id, email: ADMIN, name: "Hana Office", role: "admin", password_hash, created_at: new Date().toISOString() }).execute();

  const dir = mkdtempSync(join(tmpdir(), "lantern-home-office-"));
  try {
    const file = join(dir, "respondents.jsonl");
    // Company numbers of their own, so these suppliers are not matched with another test's.
    const lines = homeOfficeLines({ sharedWith: SLUG }).map((line, i) => {
      const record = JSON.parse(line) as { supplier: { companyNumber: string } };
      record.supplier.companyNumber = String(10_000_000 + (parseInt(SLUG.slice(-6), 16) % 89_000_000) + i);
      return JSON.stringify(record);
    });
    writeFileSync(file, `${lines.join("\n")}\n`);
    const outcome = await importSubmissions(db, file);
    if (!outcome.ok) throw new Error(outcome.problems.slice(0, 5).map((p) => p.message).join("; "));
    expect(outcome.imported).toBe(HOME_OFFICE_COUNTS.respondents);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  browser = await launch();
  page = await (await browser.newContext()).newPage();
  await signIn(page, baseUrl, ADMIN);
});

afterAll(async () => {
  await browser?.close();
  await db?.destroy();
});

describe("the Home Office's 2020-21 findings on the dashboard", () => {
  it("shows each published finding with its numerator and denominator, rounded half up", async () => {
    await page.goto(`${baseUrl}/statistics?period=2020-21`);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toContain("Statistics");
    const rows = page.locator("table tbody tr");
    const cells = new Map<string, string>();
    for (const row of await rows.all()) {
      const header = (await row.locator("th").first().textContent())?.trim() ?? "";
      const first = (await row.locator("td").first().textContent())?.trim() ?? "";
      cells.set(header, first);
    }
    const counts = HOME_OFFICE_COUNTS as unknown as Record<string, readonly [number, number]>;
    let halves = 0;
    for (const [kpi, percent] of PUBLISHED) {
      const [numerator, denominator] = counts[kpi]!;
      if ((200 * numerator) % (2 * denominator) === denominator) halves++;
      const shown = [...cells.values()].filter((text) => text.startsWith(`${percent}%`) && text.includes(`(${numerator} of ${denominator})`));
      expect(shown.length, `${kpi}: ${percent}% (${numerator} of ${denominator})`).toBeGreaterThan(0);
    }
    expect(halves).toBe(4);
    await expect.poll(() => page.getByText("40", { exact: true }).count()).toBeGreaterThan(0);
  });

  it("writes the statement's sentence about supply chain mapping", async () => {
    await expect
      .poll(() => page.locator("body").textContent())
      .toContain("78% of our suppliers have taken steps to map their supply chains and of those, 45% have mapped at least down to their second tier.");
  });

  it("is accessible", async () => {
    await expectAccessible(page);
  });
});
