/**
 * The Home Office's 40 MSAT respondents of 2020-21 as test data (tests/setup/home-office.ts): every
 * line is a complete, valid MSAT 1.0.0 submission in the exchange format, and together they give
 * exactly the percentages the Home Office published (tests/data/home-office-2020-21-msat-findings.csv),
 * four of them only when a half is rounded up.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { Answers } from "../../app/domain/answers";
import { validateAnswer } from "../../app/domain/answers";
import { kpiDefinitions, kpiFigure, kpiOutcomes, tallyKpis } from "../../app/domain/kpis";
import { inPeriod, periodOf, periodStarting } from "../../app/domain/periods";
import { missingAnswers } from "../../app/domain/progress";
import { allQuestions, questionIndex } from "../../app/domain/questions";
import { screen } from "../../app/domain/screening";
import { applySkipLogic } from "../../app/domain/visibility";
import { questionnaireVersion } from "../../app/services/questionnaires.server";
import { isCountryCode } from "../../questionnaires/countries";
import { parseImportBans, readCsv } from "../../questionnaires/reference";
import { HOME_OFFICE_COUNTS, homeOfficeLines } from "../setup/home-office";
import { ROOT } from "./helpers";

const qn = questionnaireVersion("msat", "1.0.0")!;
const lines = homeOfficeLines();
const submissions = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
const answersOf = (s: Record<string, unknown>) => s.answers as Answers;

function publishedFindings(): Array<{ kpi: string; theme: string; percent: number; denominator: string }> {
  const problems: string[] = [];
  const file = "home-office-2020-21-msat-findings.csv";
  const rows = readCsv(readFileSync(resolve(ROOT, "tests/data", file), "utf8"), file, ["kpi", "theme", "published_percent", "denominator", "note"], problems);
  expect(problems).toEqual([]);
  return rows.map(({ row }) => ({ kpi: row.kpi!, theme: row.theme!, percent: Number(row.published_percent), denominator: row.denominator! }));
}

describe("the Home Office respondents: exchange lines", () => {
  it("are 40 JSON objects of the exchange format, shared with the Home Office, on MSAT 1.0.0", () => {
    expect(qn).toBeDefined();
    expect(lines).toHaveLength(40);
    for (const [i, s] of submissions.entries()) {
      expect(lines[i]).not.toContain("\n");
      expect(Object.keys(s).sort(), `line ${i + 1}`).toEqual(["answers", "questionnaire", "sharedWith", "submittedAt", "supplier", "version"]);
      expect(s).toMatchObject({ sharedWith: ["home-office"], questionnaire: "msat", version: "1.0.0" });
      const supplier = s.supplier as Record<string, unknown>;
      expect(Object.keys(supplier).sort()).toEqual(["companyNumber", "country", "name"]);
      expect(supplier.country).toBe("GB");
      expect(supplier.companyNumber).toMatch(/^\d{8}$/);
      expect(supplier.name).toMatch(/^[A-Z][A-Za-z ]+ Ltd$/);
    }
  });

  it("name 40 different suppliers with different company numbers", () => {
    const suppliers = submissions.map((s) => s.supplier as { name: string; companyNumber: string });
    expect(new Set(suppliers.map((s) => s.name)).size).toBe(40);
    expect(new Set(suppliers.map((s) => s.companyNumber)).size).toBe(40);
  });

  it("were submitted through the UK financial year 2020-21, one after another", () => {
    const period = periodStarting(2020);
    const times = submissions.map((s) => s.submittedAt as string);
    for (const t of times) {
      expect(t).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect(inPeriod(period, t), t).toBe(true);
      expect(periodOf(new Date(t)).id).toBe("2020-21");
    }
    expect([...times].sort()).toEqual(times);
    // spread over the year, not bunched: some in each quarter
    const quarters = new Set(times.map((t) => Math.floor((new Date(t).getTime() - new Date(period.start).getTime()) / ((365 / 4) * 86_400_000))));
    expect([...quarters].sort()).toEqual([0, 1, 2, 3]);
  });

  it("are the same on every call, and follow the options for another year or organisation", () => {
    expect(homeOfficeLines()).toEqual(lines);
    const shifted = homeOfficeLines({ sharedWith: "department-for-example", year: 2021 }).map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const [i, s] of shifted.entries()) {
      expect(s.sharedWith).toEqual(["department-for-example"]);
      expect(periodOf(new Date(s.submittedAt as string)).id).toBe("2021-22");
      expect(s.answers).toEqual(submissions[i]!.answers);
      expect(s.supplier).toEqual(submissions[i]!.supplier);
    }
    const several = JSON.parse(homeOfficeLines({ sharedWith: ["home-office", "cabinet-office"] })[0]!) as Record<string, unknown>;
    expect(several.sharedWith).toEqual(["home-office", "cabinet-office"]);
  });
});

describe("the Home Office respondents: answers", () => {
  const index = questionIndex(qn);

  it.each(submissions.map((s, i) => [i + 1, s] as const))("line %i is complete and valid for MSAT 1.0.0", (_, s) => {
    const answers = answersOf(s);
    for (const [id, value] of Object.entries(answers)) {
      const entry = index.get(id);
      expect(entry, `unknown question ${id}`).toBeDefined();
      // exactly the value the app would store for it
      expect(validateAnswer(entry!.question, value, isCountryCode), id).toEqual({ ok: true, value });
    }
    // nothing answered that the answers themselves hide, and nothing required left out
    expect(applySkipLogic(qn, answers).answers).toEqual(answers);
    expect(missingAnswers(qn, answers)).toEqual([]);
    // in questionnaire order
    const order = allQuestions(qn).map((q) => q.id);
    expect(Object.keys(answers)).toEqual(order.filter((id) => id in answers));
  });

  it("vary from supplier to supplier", () => {
    expect(new Set(submissions.map((s) => JSON.stringify(s.answers))).size).toBe(40);
    const uniform = allQuestions(qn)
      .filter((q) => q.type !== "text")
      .filter((q) => new Set(submissions.map((s) => JSON.stringify(answersOf(s)[q.id] ?? null))).size < 2)
      .map((q) => q.id);
    // nobody reports keeping workers' identity documents; everything else differs somewhere
    expect(uniform).toEqual(["recruitment.holds_id_documents"]);
    // and the questions only some are shown are shown to some and not others
    const sometimes = ["mapping.deepest_tier", "recruitment.monitors_labour_providers", "purchasing.aspects_assessed", "risk.screening_match", "grievance.remediation_actions"];
    for (const id of sometimes) {
      const shown = submissions.filter((s) => id in answersOf(s)).length;
      expect(shown, id).toBeGreaterThan(0);
      expect(shown, id).toBeLessThan(40);
    }
  });

  it("name no sub-supplier that screening would match against the import-ban list", () => {
    const { bans, problems } = parseImportBans(readFileSync(resolve(ROOT, "questionnaires/data/import-bans.csv"), "utf8"), "import-bans.csv");
    expect(problems).toEqual([]);
    const named = submissions.filter((s) => "mapping.entities" in answersOf(s));
    expect(named.length).toBeGreaterThan(5);
    for (const s of named) expect(screen(qn, answersOf(s), bans, []).matches).toEqual([]);
  });
});

describe("the Home Office respondents: the published findings", () => {
  const outcomes = submissions.map((s) => kpiOutcomes(qn, applySkipLogic(qn, answersOf(s)).answers));
  const definitions = kpiDefinitions([qn]);
  const tallies = tallyKpis(definitions.map((d) => d.id), outcomes);
  const figures = new Map(definitions.map((d) => [d.id, kpiFigure(d, tallies.get(d.id)!, false)]));
  const findings = publishedFindings();

  it("has a published figure for every KPI of MSAT 1.0.0, and a KPI for every published figure", () => {
    expect(findings.map((f) => f.kpi).sort()).toEqual(definitions.map((d) => d.id).sort());
  });

  it.each(findings.map((f) => [f.kpi, f] as const))("%s is the published percentage", (id, finding) => {
    const figure = figures.get(id)!;
    expect(figure.percent).toBe(finding.percent);
    expect(figure.tooFew).toBe(false);
    expect(figure.notAsked).toBe(0);
    expect(figure.theme).toBe(finding.theme);
    // over all 40, or over those the finding names
    expect(figure.ofThose).toBe(finding.denominator !== "all respondents");
    expect(figure.denominator + figure.outside).toBe(40);
  });

  it("counts the suppliers the published percentages come from", () => {
    const counted = Object.fromEntries([...figures].map(([id, f]) => [id, [f.numerator, f.denominator]]));
    const { respondents, ...expected } = HOME_OFFICE_COUNTS;
    expect(respondents).toBe(submissions.length);
    expect(counted).toEqual(expected);
  });

  it("needed a half rounded up for four of them", () => {
    const exactHalf = (n: number, d: number) => (200 * n) % (2 * d) === d; // 100 n / d ends in .5
    const halves = [...figures.values()].filter((f) => exactHalf(f.numerator, f.denominator));
    expect(halves.map((f) => f.id)).toEqual(["large_uk_hq", "supply_chain_mapped", "prohibits_worker_paid_fees", "monitors_labour_providers"]);
    for (const f of halves) expect(f.percent).toBe(Math.floor((100 * f.numerator) / f.denominator) + 1);
    // 72.5 and 62.5 would become 72 and 62 if halves were rounded to even
    expect(halves.map((f) => f.percent)).toEqual([73, 78, 63, 48]);
  });
});
