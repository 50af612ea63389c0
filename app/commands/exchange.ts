/**
 * `import FILE`, `export` and `kpis`: the exchange format's commands and a department's KPI figures
 * for a period, as the command line prints them. Each function returns text or a refusal; the
 * command line decides the exit code.
 */
import { once } from "node:events";
import { createWriteStream, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { Writable } from "node:stream";
import type { Db } from "../../db/index";
import { TIERS, type Tier } from "../domain/contracts";
import type { ExchangeProblem } from "../domain/exchange";
import { parsePeriod } from "../domain/periods";
import { setDb } from "../services/db.server";
import type { ImportOutcome } from "../services/exchange.server";
import { type ExportScope, exportLines } from "../services/exchange-export.server";
import { type PeriodFindings, type StatisticsQuery } from "../services/statistics.server";
import { departmentStatistics } from "../services/department-statistics.server";
import type { ProgrammeFigures } from "../domain/programme";
import { plural } from "../domain/text";

// ---- import --------------------------------------------------------------------------------------

export type ProblemFormat = "text" | "json";

/** "Imported 40 submissions: 40 suppliers created, 0 matched; shared with home-office." */
export function describeImport(outcome: Extract<ImportOutcome, { ok: true }>): string {
  const shared = outcome.sharedWith.length > 0 ? `shared with ${outcome.sharedWith.join(", ")}` : "shared with no department";
  return `Imported ${plural(outcome.imported, "submission")}: ${plural(outcome.suppliersCreated, "supplier")} created, ${outcome.suppliersMatched} matched; ${shared}.`;
}

/** The problems as text (one message per line) or as JSON Lines (one object per line). */
export function describeProblems(problems: ExchangeProblem[], format: ProblemFormat): string {
  if (format === "json") return problems.map((p) => JSON.stringify({ line: p.line, questionId: p.questionId, code: p.code, message: p.message })).join("\n");
  return problems.map((p) => `  ${p.message}`).join("\n");
}

export function refusal(problems: ExchangeProblem[]): string {
  const lines = new Set(problems.map((p) => p.line)).size;
  return `Nothing was imported: ${plural(problems.length, "problem")} on ${plural(lines, "line")}. Fix them and run the command again.`;
}

// ---- export --------------------------------------------------------------------------------------

async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, "drain");
}

/** Write the export to a stream, in pieces of about 64 kB. Returns how many submissions it holds. */
async function writeLines(db: Db, scope: ExportScope, stream: Writable): Promise<number> {
  let count = 0;
  let buffer = "";
  for await (const line of exportLines(db, scope)) {
    if (stream.destroyed) break;
    buffer += `${line}\n`;
    count++;
    if (buffer.length > 65_536) {
      await write(stream, buffer);
      buffer = "";
    }
  }
  if (buffer) await write(stream, buffer);
  return count;
}

/**
 * Export to FILE, or to standard output. A file is written beside its final name and renamed into
 * place when whole, so a failed export never leaves half a file (nor spoils an earlier one).
 */
export async function writeExport(db: Db, scope: ExportScope, output: string | undefined): Promise<number> {
  if (output === undefined) {
    // A reader that has seen enough (`| head`) closes the pipe: stop quietly, as other tools do.
    const closed = (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
    };
    process.stdout.on("error", closed);
    try {
      return await writeLines(db, scope, process.stdout);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EPIPE") return 0;
      throw error;
    } finally {
      process.stdout.off("error", closed);
    }
  }
  const partial = join(dirname(output), `.${basename(output)}.${process.pid}.partial`);
  const stream = createWriteStream(partial, { flags: "wx" });
  try {
    await once(stream, "open");
    const count = await writeLines(db, scope, stream);
    stream.end();
    await once(stream, "finish");
    renameSync(partial, output);
    return count;
  } catch (error) {
    stream.destroy();
    rmSync(partial, { force: true });
    throw error;
  }
}

// ---- kpis ----------------------------------------------------------------------------------------

/** One KPI figure as the command prints it. Programme KPIs can be added as more rows of the same shape. */
export type KpiRow = {
  /** "answers": from suppliers' submissions; "programme": from the department's own records. */
  source: "answers" | "programme";
  id: string;
  title: string;
  theme: string;
  numerator: number;
  denominator: number;
  /** Null when nothing is in the denominator or too few are to report. */
  percent: number | null;
  tooFew: boolean;
  /** Counted submissions whose questionnaire version lacks the KPI. */
  notAsked: number;
  /** The department's goal in percent (programme KPIs), else null. */
  goal: number | null;
};

export type KpiReport = {
  department: string;
  period: string;
  periodLabel: string;
  /** Supplier organisations counted, one submission each. */
  suppliers: number;
  smallNumbers: boolean;
  filters: { tier: Tier | null; category: string | null; priorityOnly: boolean };
  kpis: KpiRow[];
  /** Average change in overall score against each counted supplier's previous shared submission. */
  scoreChange: { suppliers: number; averageChange: number | null };
};

export type KpiOptions = { org: string; period: string; smallNumbers?: boolean; tier?: string; category?: string; priorityOnly?: boolean };

/** The answer-based KPI rows of a period's findings. */
export function answerKpiRows(current: PeriodFindings): KpiRow[] {
  return current.figures.map((f) => ({
    source: "answers" as const,
    id: f.id,
    title: f.title,
    theme: f.theme,
    numerator: f.numerator,
    denominator: f.denominator,
    percent: f.percent,
    tooFew: f.tooFew,
    notAsked: f.notAsked,
    goal: null,
  }));
}

/** The programme KPI rows of a period: never withheld as too few, since they count contracts and actions, not suppliers' answers. */
export function programmeKpiRows(current: ProgrammeFigures): KpiRow[] {
  return current.kpis.map((k) => ({
    source: "programme" as const,
    id: k.id,
    title: k.title,
    theme: "programme",
    numerator: k.numerator,
    denominator: k.denominator,
    percent: k.percent,
    tooFew: false,
    notAsked: 0,
    goal: k.goal,
  }));
}

export type KpiRefusal = { ok: false; error: string; exitCode: 1 | 2 };

/** Check the options that need no database; a mistake here is wrong usage. */
export function readKpiOptions(options: KpiOptions): { ok: true; query: StatisticsQuery } | KpiRefusal {
  const period = parsePeriod(options.period);
  if (!period.ok) return { ok: false, error: `--period: ${period.error}`, exitCode: 2 };
  let tier: Tier | undefined;
  if (options.tier !== undefined) {
    if (!(TIERS as readonly string[]).includes(options.tier)) return { ok: false, error: `--tier must be ${TIERS.join(", ")}, not '${options.tier}'`, exitCode: 2 };
    tier = options.tier as Tier;
  }
  const category = options.category?.trim() || undefined;
  if (category && category.length > 200) return { ok: false, error: "--category must be 200 characters or fewer", exitCode: 2 };
  return { ok: true, query: { period: period.period, filters: { tier, category, priorityOnly: options.priorityOnly === true }, smallNumbers: options.smallNumbers === true } };
}

/** The department's KPIs for a period (answer-based, then programme), counted as its statistics page counts them. */
export async function kpiReport(db: Db, options: KpiOptions): Promise<{ ok: true; report: KpiReport } | KpiRefusal> {
  const read = readKpiOptions(options);
  if (!read.ok) return read;
  const org = await db.selectFrom("organisation").select(["id", "kind", "name"]).where("slug", "=", options.org).executeTakeFirst();
  if (!org) return { ok: false, error: `There is no organisation with the slug '${options.org}'. Run \`npm run cli -- org list\` to see them.`, exitCode: 1 };
  if (org.kind !== "buyer") return { ok: false, error: `${org.name} (${options.org}) is a supplier: KPIs are counted for a department. Name a buyer's slug.`, exitCode: 1 };
  // The statistics service reads the department's tier thresholds through the app's database handle.
  setDb(db);
  const { findings: found, programme } = await departmentStatistics(db, org.id, read.query);
  const current = found.current;
  const { query } = read;
  return {
    ok: true,
    report: {
      department: options.org,
      period: query.period.id,
      periodLabel: query.period.label,
      suppliers: current.suppliers,
      smallNumbers: query.smallNumbers,
      filters: { tier: query.filters.tier ?? null, category: query.filters.category ?? null, priorityOnly: query.filters.priorityOnly === true },
      kpis: [...answerKpiRows(current), ...programmeKpiRows(programme.current)],
      scoreChange: current.scoreChange,
    },
  };
}

export const KPI_COLUMNS = ["period", "suppliers", "source", "id", "title", "theme", "numerator", "denominator", "percent", "tooFew", "notAsked", "goal"] as const;

function csvCell(value: string | number | boolean | null): string {
  const text = value === null ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function kpisCsv(report: KpiReport): string {
  const rows = report.kpis.map((k) => [report.period, report.suppliers, k.source, k.id, k.title, k.theme, k.numerator, k.denominator, k.percent, k.tooFew, k.notAsked, k.goal].map(csvCell).join(","));
  return [KPI_COLUMNS.join(","), ...rows].join("\n");
}

export function kpisJson(report: KpiReport): string {
  return JSON.stringify(report, null, 2);
}
