/**
 * The exchange commands run as an operator runs them (a separate process): import (problems as text
 * and as JSON, exit codes, nothing written), export to a file, a department's KPIs as JSON and CSV,
 * and the help of each. On SQLite, or on PostgreSQL in a schema of their own when DATABASE_URL says so.
 */
import { type CliHarness, cliHarness } from "../setup/cli";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureImportBans } from "../../db/import-bans";
import { type Db, migrate } from "../../db/index";
import { addOrganisation } from "../../db/organisations";
import { program } from "../../app/cli";
import { HOME_OFFICE_COUNTS, homeOfficeLines } from "../setup/home-office";
import { PROGRAMME_KPI_IDS } from "../../app/domain/programme";

let dir: string;
let db: Db;
let schema: string | undefined;
let cli: CliHarness["cli"];
let close: CliHarness["close"];

beforeAll(async () => {
  ({ db, schema, dir, cli, close } = await cliHarness("cli_exchange"));
  await migrate(db, schema);
  await ensureImportBans(db);
  expect((await addOrganisation(db, { kind: "buyer", slug: "home-office", name: "Home Office" })).ok).toBe(true);
  expect((await addOrganisation(db, { kind: "supplier", slug: "not-a-department", name: "Not A Department Ltd" })).ok).toBe(true);
}, 60_000);
afterAll(async () => close?.());

const submissions = async () => Number((await db.selectFrom("submission").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

describe("import", () => {
  const good = homeOfficeLines({ sharedWith: "home-office" });

  it("lists every problem by line, as text or as JSON, exits 1 and writes nothing", { timeout: 60_000 }, async () => {
    const bad = JSON.parse(good[11]!) as { answers: Record<string, unknown> };
    bad.answers["purchasing.aspects_assessed"] = ["price"];
    const file = join(dir, "bad.jsonl");
    writeFileSync(file, [...good.slice(0, 11), JSON.stringify(bad), "{oops", ...good.slice(12, 20).map((l) => l.replace('"home-office"', '"home-offise"'))].join("\n"));

    const text = await cli(["import", file]);
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(/^Nothing was imported: 10 problems on 10 lines\./);
    expect(text.stderr).toContain(
      "  line 12: purchasing.aspects_assessed: 'price' is not an option; choose from pricing, lead_times, payment_terms, order_changes, forecasting, none",
    );
    expect(text.stderr).toMatch(/ {2}line 13: is not valid JSON/);
    expect(text.stderr).toContain("  line 14: sharedWith: 'home-offise' is not a department in Lantern");

    const json = await cli(["import", file, "--format", "json"]);
    expect(json.code).toBe(1);
    const problems = json.stdout.trimEnd().split("\n").map((l) => JSON.parse(l) as { line: number; questionId: string | null; code: string; message: string });
    expect(problems.map((p) => [p.line, p.questionId, p.code])).toEqual([
      [12, "purchasing.aspects_assessed", "not_an_option"],
      [13, null, "bad_json"],
      ...Array.from({ length: 8 }, (_, i) => [14 + i, null, "unknown_department"]),
    ]);
    expect(problems[0]!.message).toMatch(/^line 12: purchasing.aspects_assessed: 'price' is not an option/);
    expect(json.stderr).toMatch(/^Nothing was imported/);
    expect(await submissions()).toBe(0);
  });

  it("imports a good file in one go and says what it did; --help explains the command", { timeout: 60_000 }, async () => {
    const file = join(dir, "home-office.jsonl");
    writeFileSync(file, `${good.join("\n")}\n`);
    const result = await cli(["import", file]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe("Imported 40 submissions: 40 suppliers created, 0 matched; shared with home-office.");
    expect(await submissions()).toBe(40);

    const help = await cli(["import", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: npm run cli -- import \[options\] <file>/);
    expect(help.stdout).toContain("--format <format>");
    expect(help.stdout).toContain("npm run cli -- import submissions.jsonl --format json");
  });
});

describe("export", () => {
  it("writes the exchange file, refuses an unknown organisation", { timeout: 60_000 }, async () => {
    const file = join(dir, "export.jsonl");
    const result = await cli(["export", "--org", "home-office", "--output", file]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(`Exported 40 submissions to ${file}.`);
    const lines = readFileSync(file, "utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(40);
    // The same submissions as went in: same suppliers, times, shares and answers.
    const key = (l: string) => {
      const s = JSON.parse(l) as { supplier: { companyNumber: string }; submittedAt: string; sharedWith: string[]; answers: object };
      return JSON.stringify([s.supplier.companyNumber, new Date(s.submittedAt).toISOString(), s.sharedWith, s.answers]);
    };
    expect(lines.map(key).sort()).toEqual(homeOfficeLines({ sharedWith: "home-office" }).map(key).sort());

    const unknown = await cli(["export", "--org", "no-such-org"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe("There is no organisation with the slug 'no-such-org'. Run `npm run cli -- org list` to see them.");
  });
});

describe("kpis", () => {
  it("prints a department's KPIs for a year as JSON and as CSV", { timeout: 60_000 }, async () => {
    const json = await cli(["kpis", "--org", "home-office", "--period", "2020-21"]);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as { period: string; suppliers: number; kpis: Array<{ id: string; numerator: number; denominator: number; percent: number | null; tooFew: boolean; notAsked: number; title: string; theme: string }> };
    expect(report).toMatchObject({ department: "home-office", period: "2020-21", periodLabel: "April 2020 to March 2021", suppliers: 40, smallNumbers: false });
    const byId = new Map(report.kpis.map((k) => [k.id, k]));
    // The figures the Home Office published for its 40 respondents.
    for (const [id, [numerator, denominator]] of Object.entries(HOME_OFFICE_COUNTS).filter(([id]) => id !== "respondents") as Array<[string, readonly [number, number]]>) {
      expect(byId.get(id), id).toMatchObject({ numerator, denominator, percent: Math.floor((200 * numerator + denominator) / (2 * denominator)), tooFew: false });
    }
    expect(byId.get("large_uk_hq")).toMatchObject({ percent: 73, title: "Large businesses headquartered in the UK" });
    // KPIs that MSAT 1.0 does not ask are counted as not asked.
    expect(report.kpis.filter((k) => k.notAsked === 40).length).toBeGreaterThan(0);
    expect(report.kpis.filter((k) => k.notAsked === 40).every((k) => k.denominator === 0 && k.percent === null)).toBe(true);
    expect(report.kpis.filter((k) => (k as { source?: string }).source === "programme").map((k) => k.id)).toEqual([...PROGRAMME_KPI_IDS]);

    const csv = await cli(["kpis", "--org", "home-office", "--period", "2020-21", "--format", "csv"]);
    expect(csv.code, csv.stderr).toBe(0);
    const rows = csv.stdout.trimEnd().split("\n");
    expect(rows[0]).toBe("period,suppliers,source,id,title,theme,numerator,denominator,percent,tooFew,notAsked,goal");
    expect(rows).toHaveLength(report.kpis.length + 1);
    expect(rows).toContain("2020-21,40,answers,large_uk_hq,Large businesses headquartered in the UK,about the suppliers,29,40,73,false,0,");
    expect(rows.find((r) => r.includes(",mapped_tier2_plus,"))).toMatch(/^2020-21,40,answers,mapped_tier2_plus,"Of those who mapped, [^"]*",supply chain mapping,14,31,45,false,0,$/);
    // Then the programme KPIs from the department's own records, with their goals: this department
    // has no contracts or conversations, so nothing is in their denominators.
    expect(rows).toContain("2020-21,40,programme,priority_suppliers_invited,Priority contracts whose supplier was invited,programme,0,0,,false,0,90");
  });

  it("refuses a period that is not a financial year (2) and an organisation that is not a department (1)", { timeout: 60_000 }, async () => {
    const period = await cli(["kpis", "--org", "home-office", "--period", "2020"]);
    expect(period.code).toBe(2);
    expect(period.stderr.trim()).toBe('--period: "2020" is not a financial year: write it like 2020-21');
    const supplier = await cli(["kpis", "--org", "not-a-department", "--period", "2020-21"]);
    expect(supplier.code).toBe(1);
    expect(supplier.stderr.trim()).toBe("Not A Department Ltd (not-a-department) is a supplier: KPIs are counted for a department. Name a buyer's slug.");
  });
});

describe("help", () => {
  it("each command explains itself with examples", () => {
    const cli = program();
    for (const [name, wanted] of [
      ["import", ["all or nothing", "--format <format>", "Examples:", "Exit codes:"]],
      ["export", ["--org <slug>", "--output <file>", "Examples:", "npm run cli -- export --org home-office --output home-office.jsonl"]],
      ["kpis", ["--org <slug>", "--period <year>", "--small-numbers", "--tier <tier>", "--category <text>", "--priority-only", "Examples:"]],
    ] as const) {
      const command = cli.commands.find((c) => c.name() === name)!;
      let text = "";
      command.configureOutput({ writeOut: (s) => (text += s) });
      command.outputHelp();
      for (const w of wanted) expect(text.toLowerCase(), `${name}: ${w}`).toContain(w.toLowerCase());
    }
  });
});
