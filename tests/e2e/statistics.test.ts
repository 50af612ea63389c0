/**
 * The statistics dashboard end to end. Suppliers holding contracts in a category of their own in the
 * Department for Public Works' register have submissions shared with it (written to the app's
 * database, as other browser tests set up data): some in this financial year, some in the one
 * before, one on the earlier questionnaire version, one a draft, one no longer shared; who counts is
 * refreshed as the app does on every submission and share. Filtered to
 * that category, the page counts exactly the right suppliers and figures; its charts are drawn
 * beside their tables; the CSV, XLSX and statement downloads hold what the page shows; it works
 * without JavaScript; invalid filters fall back with an error summary; axe-core finds nothing.
 * Administrators and analysts see it, contract managers and suppliers do not.
 */
import { parse } from "csv-parse/sync";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { readSheet } from "read-excel-file/node";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type KpiOutcomes, kpiDefinitions, kpiFigure, kpiOutcomes, tallyKpis } from "../../app/domain/kpis";
import { type Period, periodOf, previousPeriod } from "../../app/domain/periods";
import { scoreAnswers } from "../../app/domain/scoring";
import { newId } from "../../db/ids";
import { createDb, type Db } from "../../db/index";
import { plausibleAnswers } from "../../db/seed";
import { refreshStatistics } from "../../db/statistics";
import { insertSubmission } from "../../db/submissions";
import { type Questionnaire, loadQuestionnaire } from "../../questionnaires/format";
import { currentQuestionnaire } from "../../app/services/questionnaires.server";
import { expectAccessible, launch, signIn } from "./browser";

const baseUrl = inject("baseUrl");
const database = inject("database");
const CATEGORY = "Laundry and linen (statistics)";
let browser: Browser;
let db: Db;

const v11 = loadQuestionnaire("questionnaires/msat/msat-1.1.0.yaml");
const v10 = loadQuestionnaire("questionnaires/msat/msat-1.0.0.yaml");
const now = new Date();
const current = periodOf(now);
const previous = previousPeriod(current);

/** An instant a fraction of the way through a period (this year's: through the part already gone). */
function during(period: Period, fraction: number): string {
  const start = new Date(period.start).getTime();
  const end = Math.min(new Date(period.end).getTime(), now.getTime());
  return new Date(start + fraction * (end - start)).toISOString();
}

type Planned = { at: string; qn: Questionnaire; strength: number };
/** Who submitted what; `draft` has an assessment shared but never submitted, `revoked` stopped sharing. */
const SUPPLIERS: Array<{ name: string; submissions: Planned[]; draft?: boolean; revoked?: boolean }> = [
  { name: "Statistics Laundry One", submissions: [{ at: during(previous, 0.3), qn: v11, strength: 0.3 }, { at: during(current, 0.5), qn: v11, strength: 0.9 }] },
  { name: "Statistics Laundry Two", submissions: [{ at: during(previous, 0.4), qn: v11, strength: 0.5 }, { at: during(current, 0.6), qn: v11, strength: 0.6 }] },
  { name: "Statistics Laundry Three", submissions: [{ at: during(previous, 0.5), qn: v10, strength: 0.7 }, { at: during(current, 0.4), qn: v11, strength: 0.4 }] },
  // Two this year: the later one counts.
  { name: "Statistics Laundry Four", submissions: [{ at: during(current, 0.2), qn: v11, strength: 0.2 }, { at: during(current, 0.7), qn: v11, strength: 0.8 }] },
  // The earlier version: not asked the KPIs added since.
  { name: "Statistics Laundry Five", submissions: [{ at: during(current, 0.3), qn: v10, strength: 1 }] },
  { name: "Statistics Laundry Six", submissions: [{ at: during(current, 0.8), qn: v11, strength: 0.5 }] },
  { name: "Statistics Laundry Seven", submissions: [{ at: during(previous, 0.6), qn: v11, strength: 0.6 }] },
  { name: "Statistics Laundry Draft", submissions: [], draft: true },
  { name: "Statistics Laundry Unshared", submissions: [{ at: during(current, 0.5), qn: v11, strength: 0.9 }], revoked: true },
];

/** What the page must show for the category: each period's counted submissions (latest per supplier). */
function expected() {
  const counted = (period: Period) =>
    SUPPLIERS.filter((s) => !s.revoked).flatMap((s) => {
      const inPeriod = s.submissions.filter((p) => p.at >= period.start && p.at < period.end).sort((a, b) => a.at.localeCompare(b.at));
      return inPeriod.length > 0 ? [inPeriod.at(-1)!] : [];
    });
  // names and order come from the questionnaire in use now, then the versions answered
  const definitions = kpiDefinitions([currentQuestionnaire(), v11, v10]);
  const figuresOf = (planned: Planned[]) => {
    const tallies = tallyKpis(
      definitions.map((d) => d.id),
      planned.map((p): KpiOutcomes => kpiOutcomes(p.qn, plausibleAnswers(p.qn, p.strength))),
    );
    return new Map(definitions.map((d) => [d.id, kpiFigure(d, tallies.get(d.id)!, true)]));
  };
  // Each counted supplier's change in overall score against its previous shared submission.
  const changes = counted(current).flatMap((p) => {
    const mine = SUPPLIERS.find((s) => s.submissions.includes(p))!.submissions.filter((x) => x.at < p.at).sort((a, b) => a.at.localeCompare(b.at));
    const before = mine.at(-1);
    if (!before) return [];
    const score = (x: Planned) => scoreAnswers(x.qn, plausibleAnswers(x.qn, x.strength)).overall!;
    return [score(p) - score(before)];
  });
  return {
    suppliers: [counted(current).length, counted(previous).length],
    current: figuresOf(counted(current)),
    previous: figuresOf(counted(previous)),
    scoreChange: { suppliers: changes.length, average: Math.round((changes.reduce((a, b) => a + b, 0) / changes.length) * 10) / 10 },
  };
}

beforeAll(async () => {
  browser = await launch();
  db = createDb(database.url, { schema: database.schema, poolSize: 2 });
  const department = await db.selectFrom("organisation").select("id").where("slug", "=", "department-for-public-works").executeTakeFirstOrThrow();
  const at = now.toISOString();
  for (const [i, s] of SUPPLIERS.entries()) {
    const organisationId = newId();
    const userId = newId();
    await db.insertInto("organisation").values({ id: organisationId, name: s.name, kind: "supplier", slug: `statistics-laundry-${organisationId.slice(0, 8)}`, company_number: null, country: "GB", created_at: at }).execute();
    await db.insertInto("user").values({ id: userId, organisation_id: organisationId, email: `owner-${organisationId.slice(0, 8)}@statistics-laundry.example`, name: "Sam Owner", role: "admin", password_hash: "not a password", created_at: at }).execute();
    await db
      .insertInto("contract")
      .values({
        id: newId(),
        organisation_id: department.id,
        reference: `STAT-${String(i + 1).padStart(4, "0")}`,
        title: "Laundry and linen hire",
        supplier_name: s.name,
        supplier_company_number: null,
        supplier_country: "GB",
        supplier_organisation_id: organisationId,
        category: CATEGORY,
        annual_value_pence: 120_000_000,
        total_value_pence: 360_000_000,
        start_date: "2020-04-01",
        end_date: "2035-03-31",
        contract_manager_email: null,
        tier_override: null,
        tier_override_reason: null,
        risk_indicators: null,
        risk_count: null,
        risk_assessed_by: null,
        risk_assessed_at: null,
        created_at: at,
        updated_at: at,
      })
      .execute();
    const assessments = s.draft ? [{ plan: undefined, at: during(current, 0.5) }] : s.submissions.map((plan) => ({ plan, at: plan.at }));
    for (const { plan, at: when } of assessments) {
      const assessmentId = newId();
      const qn = plan?.qn ?? v11;
      await db
        .insertInto("assessment")
        .values({ id: assessmentId, organisation_id: organisationId, questionnaire_id: qn.id, questionnaire_version: qn.version, status: plan ? "completed" : "draft", previous_submission_id: null, created_by: userId, created_at: when, updated_at: when })
        .execute();
      if (plan) {
        const answers = plausibleAnswers(plan.qn, plan.strength);
        await insertSubmission(db, { id: newId(), assessmentId, organisationId, qn: plan.qn, answers, result: scoreAnswers(plan.qn, answers), context: {}, submittedBy: userId, createdAt: when, source: "app" });
      }
      await db
        .insertInto("assessment_share")
        .values({
          id: newId(),
          assessment_id: assessmentId,
          supplier_organisation_id: organisationId,
          buyer_organisation_id: department.id,
          shared_by: userId,
          shared_at: when,
          invitation_id: null,
          revoked_at: s.revoked ? at : null,
          revoked_by: s.revoked ? userId : null,
        })
        .execute();
    }
    // As the app does in the transaction of every submission and share.
    await refreshStatistics(db, department.id, organisationId);
  }
});
afterAll(async () => {
  await browser?.close();
  await db?.destroy();
});

async function newPage(options: { javaScriptEnabled?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(15_000);
  return { context, page: await context.newPage() };
}

// ---- reading the page -----------------------------------------------------------------------

type Shown = { numerator: number; denominator: number; percent: number | null; notAsked: number };

/** "73% (29 of 40)", "Too few to report (3 of 4)", "No suppliers in the denominator", "£1,200 of £3,000", each maybe with "2 suppliers not asked". */
function readFigure(text: string): Shown {
  const counts = /\(£?([\d,]+) of £?([\d,]+)/.exec(text);
  const percent = /^(\d+)%/.exec(text.trim());
  const notAsked = /(\d+) suppliers? not asked/.exec(text);
  return {
    numerator: counts ? Number(counts[1]!.replace(/,/g, "")) : 0,
    denominator: counts ? Number(counts[2]!.replace(/,/g, "")) : 0,
    percent: percent ? Number(percent[1]) : null,
    notAsked: notAsked ? Number(notAsked[1]) : 0,
  };
}

/** "+5 points", "−3 points", "No change", "–". */
function readChange(text: string): number | null {
  const t = text.trim();
  if (t === "–") return null;
  if (t === "No change") return 0;
  const m = /^([+−])(\d+(?:\.\d+)?) points?/.exec(t);
  if (!m) throw new Error(`not a change: ${t}`);
  return (m[1] === "−" ? -1 : 1) * Number(m[2]);
}

async function rows(page: Page, selector: string) {
  return page.locator(selector).evaluateAll((trs) =>
    trs.map((tr) => ({ id: tr.getAttribute("data-kpi") ?? "", cells: [...tr.querySelectorAll("th, td")].map((c) => (c as HTMLElement).innerText.trim()) })),
  );
}

async function readPage(page: Page) {
  const counted = await rows(page, "#suppliers-counted tbody tr");
  const findings = (await rows(page, "#findings-tables tbody tr")).map((r) => ({ id: r.id, title: r.cells[0]!, current: readFigure(r.cells[1]!), previous: readFigure(r.cells[2]!), change: readChange(r.cells[3]!) }));
  const programme = (await rows(page, "#programme-table tbody tr")).map((r) => ({
    id: r.id,
    title: r.cells[0]!,
    current: readFigure(r.cells[1]!),
    goal: r.cells[2] === "–" ? null : Number(r.cells[2]!.replace("%", "")),
    met: r.cells[3]!,
    previous: readFigure(r.cells[4]!),
    change: readChange(r.cells[5]!),
  }));
  const scoreChange = await page.locator("dl[aria-labelledby=score-change] .govuk-summary-list__row").evaluateAll((els) =>
    els.map((el) => ({ period: el.getAttribute("data-period"), text: (el.querySelector("dd") as HTMLElement).innerText.trim() })),
  );
  return {
    suppliers: counted.map((r) => Number(r.cells[1]!.replace(/,/g, ""))),
    findings,
    programme,
    scoreChange,
    sentences: await page.locator("#statement-text [data-sentence]").allInnerTexts(),
    notes: await page.locator("#statement-text [data-note]").allInnerTexts(),
  };
}

/** Every chart drawn (some pixel painted) and the table its caption points to on the page. */
async function expectChartsDrawn(page: Page) {
  await expect.poll(() => page.locator("canvas[data-drawn=true]").count()).toBe(2);
  for (const figure of await page.locator("figure").all()) {
    const painted = await figure.locator("canvas").evaluate((canvas: HTMLCanvasElement) => {
      const { data } = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height);
      let n = 0;
      for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
      return n;
    });
    expect(painted).toBeGreaterThan(1000);
    expect(await figure.locator("figcaption").innerText()).toMatch(/^Chart: /);
    const table = await figure.locator("figcaption a").getAttribute("href");
    expect(await page.locator(`${table} table, table${table}`).count()).toBeGreaterThan(0);
  }
}

const filtered = `/statistics?${new URLSearchParams({ period: current.id, category: CATEGORY, small: "1" })}`;

describe("statistics dashboard", () => {
  let shown: Awaited<ReturnType<typeof readPage>>;
  let admin: { context: BrowserContext; page: Page };

  it("an administrator filters the dashboard: the right suppliers and figures, charts drawn beside their tables, accessible", { timeout: 120_000 }, async () => {
    admin = await newPage();
    const { page } = admin;
    await signIn(page, baseUrl, "admin@dpw.example");
    await page.getByRole("link", { name: "Statistics", exact: true }).click();
    await expect.poll(() => page.locator("h1").innerText()).toBe("Statistics for your modern slavery statement");
    expect(await page.locator(".govuk-service-navigation__item--active").innerText()).toBe("Statistics");
    expect(await page.locator("#period").inputValue()).toBe(current.id);
    await expectChartsDrawn(page);
    await expectAccessible(page);
    expect(await page.getByRole("link", { name: "Change goals" }).getAttribute("href")).toBe("/statistics/goals");

    // The filters, through the form.
    await page.getByLabel("Contract category").selectOption(CATEGORY);
    await page.getByLabel(/Show figures about fewer than 5 suppliers/).check();
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("category")).toBe(CATEGORY);
    await expect.poll(() => page.locator("#suppliers-counted tbody tr").first().innerText()).toMatch(/^\S+\s+6\b/);
    await expectChartsDrawn(page);
    await expectAccessible(page);

    shown = await readPage(page);
    const want = expected();
    expect(shown.suppliers).toEqual(want.suppliers);
    expect(want.suppliers).toEqual([6, 4]);
    expect(shown.findings.map((f) => f.id)).toEqual([...want.current.keys()]);
    for (const f of shown.findings) {
      const now = want.current.get(f.id)!;
      const before = want.previous.get(f.id)!;
      expect(f.current, f.id).toEqual({ numerator: now.numerator, denominator: now.denominator, percent: now.percent, notAsked: now.notAsked });
      expect(f.previous, f.id).toEqual({ numerator: before.numerator, denominator: before.denominator, percent: before.percent, notAsked: before.notAsked });
      expect(f.change, f.id).toBe(now.percent === null || before.percent === null ? null : now.percent - before.percent);
    }
    // A KPI only the newer version asks leaves the one supplier who answered the older one out.
    const newer = shown.findings.find((f) => !v10.kpis.some((k) => k.id === f.id))!;
    expect(newer.current.notAsked).toBe(1);
    expect(await page.locator(`tr[data-kpi=${newer.id}]`).innerText()).toContain("1 supplier not asked (earlier version)");
    expect(shown.scoreChange[0]).toEqual({ period: current.id, text: `${want.scoreChange.average > 0 ? "+" : want.scoreChange.average < 0 ? "−" : ""}${Math.abs(want.scoreChange.average).toFixed(1)} points across ${want.scoreChange.suppliers} suppliers` });
    expect(want.scoreChange.suppliers).toBe(4);

    // Programme KPIs against goals: met or not said in words, not colour alone.
    expect(shown.programme.length).toBeGreaterThan(0);
    for (const k of shown.programme) expect(["Met", "Not met", "No goal", "No figure"]).toContain(k.met);
    expect(shown.programme.some((k) => k.goal !== null)).toBe(true);

    // Statement sentences in the published style.
    expect(shown.sentences.length).toBeGreaterThan(0);
    for (const s of shown.sentences) expect(s).toMatch(/^(\d+% of our suppliers .+|Of those .+|No figures to report on .+)\.$/);
    const mapped = want.current.get("supply_chain_mapped")!;
    const tier2 = want.current.get("mapped_tier2_plus")!;
    expect(mapped.numerator).toBeGreaterThan(0);
    expect(shown.sentences).toContain(`${mapped.percent}% of our suppliers have taken steps to map their supply chains and of those, ${tier2.percent}% have mapped at least down to their second tier.`);

    // Without small numbers, a figure about fewer than 5 suppliers is withheld, in the table and the statement.
    expect(tier2.denominator).toBeLessThan(5);
    await page.getByLabel(/Show figures about fewer than 5 suppliers/).uncheck();
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get("small")).toBeNull();
    await expect.poll(() => page.locator("tr[data-kpi=mapped_tier2_plus] td").first().innerText()).toBe(`Too few to report (${tier2.numerator} of ${tier2.denominator})`);
    expect(await page.locator("#statement-text").innerText()).toContain(`${mapped.percent}% of our suppliers have taken steps to map their supply chains.`);
    expect(await page.locator("#statement-text [data-note]").allInnerTexts()).toContain(`“${tier2.title}” is left out: too few suppliers to report (${tier2.numerator} of ${tier2.denominator}).`);
    await expectAccessible(page);
    await page.goto(`${baseUrl}${filtered}`);
  });

  it("downloads hold the page's figures: CSV, XLSX with a sheet per table, and the statement as text", { timeout: 60_000 }, async () => {
    const { page } = admin;
    const href = async (format: string) => (await page.locator(`a[href*="format=${format}"]`).first().getAttribute("href"))!;
    for (const format of ["csv", "xlsx", "txt"]) expect(new URL(await href(format), baseUrl).searchParams.get("category")).toBe(CATEGORY);

    const csvResponse = await page.request.get(`${baseUrl}${await href("csv")}`);
    expect(csvResponse.status()).toBe(200);
    expect(csvResponse.headers()["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csvResponse.headers()["content-disposition"]).toBe(`attachment; filename="lantern-statistics-${current.id}.csv"`);
    expect(csvResponse.headers()["cache-control"]).toMatch(/^no-store(, no-store)?$/);
    const csvText = (await csvResponse.text()).replace(/^\uFEFF/, "");
    expect(csvText.split("\r\n")[0]).toBe("table,period,id,title,theme,numerator,denominator,percent,too_few,not_asked,goal,previous_numerator,previous_denominator,previous_percent,change");
    const csv = parse(csvText, { columns: true }) as Array<Record<string, string>>;
    const num = (v: string | undefined) => (v === undefined || v === "" ? null : Number(v));

    const findings = csv.filter((r) => r.table === "findings");
    expect(findings.map((r) => r.id)).toEqual(shown.findings.map((f) => f.id));
    for (const f of shown.findings) {
      const r = findings.find((x) => x.id === f.id)!;
      expect(r.period).toBe(current.id);
      expect(r.title).toBe(f.title);
      expect({ numerator: num(r.numerator), denominator: num(r.denominator), percent: num(r.percent), notAsked: num(r.not_asked) }, f.id).toEqual(f.current);
      expect({ numerator: num(r.previous_numerator), denominator: num(r.previous_denominator), percent: num(r.previous_percent) }, f.id).toEqual({
        numerator: f.previous.numerator,
        denominator: f.previous.denominator,
        percent: f.previous.percent,
      });
      expect(num(r.change), f.id).toBe(f.change);
    }
    const programme = csv.filter((r) => r.table === "programme");
    expect(programme.map((r) => r.id)).toEqual(shown.programme.map((k) => k.id));
    for (const k of shown.programme) {
      const r = programme.find((x) => x.id === k.id)!;
      expect({ numerator: num(r.numerator), denominator: num(r.denominator), percent: num(r.percent), notAsked: 0 }, k.id).toEqual(k.current);
      expect(num(r.goal), k.id).toBe(k.goal);
      expect(num(r.previous_percent), k.id).toBe(k.previous.percent);
      expect(num(r.change), k.id).toBe(k.change);
    }
    const scoreChange = csv.filter((r) => r.table === "score_change");
    expect(scoreChange.map((r) => r.period)).toEqual([current.id, previous.id]);
    const [average, suppliers] = /^[+−]?([\d.]+) points across (\d+)/.exec(shown.scoreChange[0]!.text)!.slice(1).map(Number);
    expect(Math.abs(num(scoreChange[0]!.change)!)).toBe(average);
    expect(num(scoreChange[0]!.denominator)).toBe(suppliers);
    const statement = csv.filter((r) => r.table === "statement");
    expect(statement.filter((r) => r.id !== "note").map((r) => r.title)).toEqual(shown.sentences);
    expect(statement.filter((r) => r.id === "note").map((r) => r.title)).toEqual(shown.notes);

    // The workbook: one sheet per table, the same figures as the CSV.
    const xlsxResponse = await page.request.get(`${baseUrl}${await href("xlsx")}`);
    expect(xlsxResponse.status()).toBe(200);
    expect(xlsxResponse.headers()["content-disposition"]).toBe(`attachment; filename="lantern-statistics-${current.id}.xlsx"`);
    const workbook = await xlsxResponse.body();
    const sheet = async (name: string) => {
      const [header, ...data] = (await readSheet(workbook, name)) as unknown[][];
      return data.map((row) => Object.fromEntries((header as string[]).map((h, i) => [h, row[i] ?? null])));
    };
    const asCsv = (rows: Array<Record<string, string>>, columns: string[]) => rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] === "" ? null : /^-?\d+(\.\d+)?$/.test(r[c]!) ? Number(r[c]) : r[c]])));
    const findingsSheet = await sheet("Findings");
    expect(findingsSheet).toEqual(asCsv(findings, Object.keys(findingsSheet[0]!)));
    const programmeSheet = await sheet("Programme");
    expect(programmeSheet).toEqual(asCsv(programme, Object.keys(programmeSheet[0]!)));
    const scoreSheet = await sheet("Score change");
    expect(scoreSheet).toEqual(asCsv(scoreChange, Object.keys(scoreSheet[0]!)));
    const statementSheet = await sheet("Statement");
    expect(statementSheet.map((r) => r.title)).toEqual(statement.map((r) => r.title));

    // The statement as text: every sentence and note the page shows.
    const txt = await page.request.get(`${baseUrl}${await href("txt")}`);
    expect(txt.status()).toBe(200);
    expect(txt.headers()["content-type"]).toBe("text/plain; charset=utf-8");
    expect(txt.headers()["content-disposition"]).toBe(`attachment; filename="lantern-statement-${current.id}.txt"`);
    const text = await txt.text();
    expect(text).toContain(`Department for Public Works, ${current.label} (${current.id})`);
    expect(text).toContain(`“${CATEGORY}”`);
    for (const line of [...shown.sentences, ...shown.notes]) expect(text).toContain(line);
  });

  it("works without JavaScript: the tables carry the figures, the filters and the downloads work", { timeout: 60_000 }, async () => {
    const plain = await newPage({ javaScriptEnabled: false });
    await plain.context.addCookies(await admin.context.cookies());
    const { page } = plain;
    await page.goto(`${baseUrl}${filtered}`);
    expect(await page.locator("figure").count()).toBe(0);
    expect(await readPage(page)).toEqual(shown);

    // The form submits as a plain GET.
    await page.getByLabel("Contract tier").selectOption("gold");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.waitForURL(/tier=gold/);
    expect(new URL(page.url()).searchParams.get("category")).toBe(CATEGORY);
    expect(await page.locator("#findings-tables table").count()).toBeGreaterThan(0);
    expect(await page.locator("#programme-table").count()).toBe(1);

    // A download is a plain link.
    await page.goto(`${baseUrl}${filtered}`);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /Download the statement sentences as text/ }).first().click()]);
    expect(download.suggestedFilename()).toBe(`lantern-statement-${current.id}.txt`);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    for (const line of shown.sentences) expect(text).toContain(line);
    await plain.context.close();
  });

  it("invalid filters show an error summary and fall back, never a failure", { timeout: 60_000 }, async () => {
    const { page } = admin;
    const response = await page.goto(`${baseUrl}/statistics?${new URLSearchParams({ period: "2024-99", tier: "platinum", category: "No such category" })}`);
    expect(response!.status()).toBe(400);
    expect(await page.locator(".govuk-error-summary a").allInnerTexts()).toEqual([
      expect.stringContaining("2024-99"),
      expect.stringContaining("platinum"),
      expect.stringContaining("No such category"),
    ]);
    expect(await page.locator("#period").inputValue()).toBe(current.id);
    expect(await page.locator("#findings-tables table").count()).toBeGreaterThan(0);
    await expectChartsDrawn(page);
    await expectAccessible(page);
    const csv = await page.request.get(`${baseUrl}/statistics/export?format=csv&period=nonsense&tier=platinum`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()["content-disposition"]).toContain(`lantern-statistics-${current.id}.csv`);
    expect((await page.request.get(`${baseUrl}/statistics/export?format=pdf`)).status()).toBe(400);
    await admin.context.close();
  });

  it("an analyst sees it; a contract manager and a supplier do not", { timeout: 60_000 }, async () => {
    const analyst = await newPage();
    await signIn(analyst.page, baseUrl, "analyst@dpw.example");
    expect(await analyst.page.getByRole("link", { name: "Statistics", exact: true }).count()).toBe(1);
    expect((await analyst.page.goto(`${baseUrl}${filtered}`))!.status()).toBe(200);
    expect(await readPage(analyst.page)).toEqual(shown);
    expect(await analyst.page.getByRole("link", { name: "Change goals" }).count()).toBe(0);
    await expectChartsDrawn(analyst.page);
    await expectAccessible(analyst.page);
    expect((await analyst.page.request.get(`${baseUrl}/statistics/export?format=csv`)).status()).toBe(200);
    await analyst.context.close();

    for (const email of ["manager@dpw.example", "admin@acme.example"]) {
      const other = await newPage();
      await signIn(other.page, baseUrl, email);
      expect(await other.page.getByRole("link", { name: "Statistics", exact: true }).count()).toBe(0);
      expect((await other.page.goto(`${baseUrl}/statistics`))!.status(), email).toBe(403);
      expect(await other.page.locator("h1").innerText()).toBe("You do not have permission to see this page");
      expect((await other.page.request.get(`${baseUrl}/statistics/export?format=csv`)).status(), email).toBe(403);
      await other.context.close();
    }
  });
});
