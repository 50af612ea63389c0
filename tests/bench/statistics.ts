/**
 * Statistics run: 100,000 submitted assessments in the exchange format (50,000 suppliers, one
 * submission in each of two financial years, the earlier on MSAT 1.0 and the later on 1.1, all shared
 * with the demo department) are imported with the real command (`app/cli.ts import`, timed end to
 * end, process start included); then the department's statistics dashboard for the later year (which
 * shows the year before beside it) is read sequentially after a warm-up, unfiltered and filtered; the
 * figure is the server's own time from its access log.
 */
import { createWriteStream } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { once } from "node:events";
import type { Answers } from "../../app/domain/answers";
import { applySkipLogic } from "../../app/domain/visibility";
import { plausibleAnswers } from "../../db/seed";
import { loadQuestionnaire } from "../../questionnaires/format";
import { type Context, dbLabel } from "./lib/context";
import { createTarget, type DbChoice, setupDatabase } from "./lib/database";
import { run } from "./lib/build";
import { Supplier } from "./lib/http";
import { ROOT } from "./lib/paths";
import { AppServer, freePort } from "./lib/server";
import { latencyText, ms, summarise, type Summary } from "./lib/stats";

export const STATISTICS_SUPPLIERS = 50_000;
export const STATISTICS_SUBMISSIONS = STATISTICS_SUPPLIERS * 2;
export const IMPORT_TARGET_S = 120;
export const DASHBOARD_TARGET_P50_MS = 300;
const WARMUP = 5;
const REQUESTS = 40;
const DEPARTMENT = "department-for-public-works";
const PERIOD = "2025-26";

export type StatisticsResult = { db: DbChoice; submissions: number; bytes: number; importMs: number; pages: Array<{ query: string; server: Summary; client: Summary }> };

/** A few dozen distinct, valid answer sets per version, reused across suppliers (generation is not what is measured). */
function answerSets(version: string): Answers[] {
  const qn = loadQuestionnaire(join(ROOT, "questionnaires", "msat", `msat-${version}.yaml`));
  return Array.from({ length: 40 }, (_, i) => applySkipLogic(qn, plausibleAnswers(qn, 0.15 + (i % 20) * 0.04)).answers);
}

async function writeExchangeFile(path: string): Promise<number> {
  const earlier = answerSets("1.0.0");
  const later = answerSets("1.1.0");
  const out = createWriteStream(path);
  let bytes = 0;
  const write = async (line: string) => {
    bytes += Buffer.byteLength(line) + 1;
    if (!out.write(`${line}\n`)) await once(out, "drain");
  };
  for (let i = 0; i < STATISTICS_SUPPLIERS; i++) {
    const supplier = { name: `Statistics Supplier ${i + 1} Ltd`, companyNumber: String(70_000_000 + i), country: "GB" };
    // Spread over each year, from mid-April to mid-March, minutes apart.
    const offsetMs = Math.floor((i / STATISTICS_SUPPLIERS) * 330 * 24 * 3600 * 1000);
    const first = new Date(Date.UTC(2024, 3, 15) + offsetMs).toISOString();
    const second = new Date(Date.UTC(2025, 3, 15) + offsetMs).toISOString();
    await write(JSON.stringify({ supplier, sharedWith: [DEPARTMENT], questionnaire: "msat", version: "1.0.0", submittedAt: first, answers: earlier[i % earlier.length] }));
    await write(JSON.stringify({ supplier, sharedWith: [DEPARTMENT], questionnaire: "msat", version: "1.1.0", submittedAt: second, answers: later[(i * 7) % later.length] }));
  }
  out.end();
  await once(out, "finish");
  return bytes;
}

export async function runStatistics(ctx: Context, kind: DbChoice): Promise<StatisticsResult> {
  console.log(`\nStatistics run on ${dbLabel(kind)}`);
  const target = await createTarget(kind, ctx.tempDir, "statistics", ctx.postgresUrl);
  await setupDatabase(target, ctx.env);
  const file = join(ctx.tempDir, `statistics-${kind}.jsonl`);
  const bytes = await writeExchangeFile(file);
  const start = performance.now();
  await run(process.execPath, ["--import", "tsx", "app/cli.ts", "import", file], { ...ctx.env, ...target.env }, ROOT);
  const importMs = performance.now() - start;
  console.log(`  imported ${STATISTICS_SUBMISSIONS.toLocaleString("en-GB")} submissions (${(bytes / 1024 / 1024).toFixed(0)} MB) in ${(importMs / 1000).toFixed(1)} s`);

  const server = await AppServer.start({ cwd: ctx.appDir, port: await freePort(), env: { ...ctx.env, ...target.env, ...ctx.serverEnv }, nodeArgs: ctx.nodeArgs, entry: ctx.entry });
  try {
    const admin = new Supplier(server.base, "admin@dpw.example");
    await admin.signIn();
    const pages: StatisticsResult["pages"] = [];
    for (const query of [`/statistics?period=${PERIOD}`, `/statistics?period=${PERIOD}&tier=silver&priority=1`]) {
      for (let i = 0; i < WARMUP; i++) await (await fetch(`${server.base}${query}`, { headers: { Cookie: admin.cookie } })).text();
      const from = server.requestLog.length;
      const times: number[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        const t0 = performance.now();
        const page = await fetch(`${server.base}${query}`, { headers: { Cookie: admin.cookie } });
        const body = await page.text();
        if (page.status !== 200) throw new Error(`GET ${query} answered HTTP ${page.status}`);
        if (i === 0 && !query.includes("tier") && !body.includes(STATISTICS_SUPPLIERS.toLocaleString("en-GB"))) throw new Error(`GET ${query} does not count ${STATISTICS_SUPPLIERS} suppliers`);
        times.push(performance.now() - t0);
      }
      const logged = await server.loggedTimes(from, "GET", /^\/statistics\?/, REQUESTS);
      const page = { query, server: summarise(logged.slice(-REQUESTS)), client: summarise(times) };
      console.log(`  ${query}: server ${latencyText(page.server)}; client ${latencyText(page.client)}`);
      pages.push(page);
    }
    return { db: kind, submissions: STATISTICS_SUBMISSIONS, bytes, importMs, pages };
  } finally {
    await server.stop();
    await target.drop();
  }
}

export function statisticsBlock(results: StatisticsResult[], when: Date): string[] {
  const lines = [
    "## Statement statistics",
    "",
    `Measured ${when.toISOString().slice(0, 16).replace("T", " ")} UTC. An exchange file of ${STATISTICS_SUBMISSIONS.toLocaleString("en-GB")} submitted assessments (${STATISTICS_SUPPLIERS.toLocaleString("en-GB")} suppliers, one submission in 2024-25 on MSAT 1.0 and one in 2025-26 on MSAT 1.1, all shared with one department) is imported with \`npm run cli -- import\`, timed from the process start to its exit (every line validated, scored and written in one transaction). Then the department's dashboard for ${PERIOD} (with 2024-25 beside it) is read ${REQUESTS} times in a row after ${WARMUP} warm-up reads; server times are from the server's access log.`,
    "",
    "| Database | Import of 100,000 submissions | Target | Met | Dashboard | Server p50 | p95 | p99 | Target p50 | Met |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const r of results) {
    for (const [i, p] of r.pages.entries()) {
      const importCells = i === 0 ? `${(r.importMs / 1000).toFixed(1)} s (${(r.bytes / 1024 / 1024).toFixed(0)} MB) | < ${IMPORT_TARGET_S} s | ${r.importMs / 1000 < IMPORT_TARGET_S ? "yes" : "NO"}` : " | | ";
      lines.push(`| ${i === 0 ? dbLabel(r.db) : ""} | ${importCells} | \`${p.query}\` | ${ms(p.server.p50)} ms | ${ms(p.server.p95)} ms | ${ms(p.server.p99)} ms | < ${DASHBOARD_TARGET_P50_MS} ms | ${p.server.p50 < DASHBOARD_TARGET_P50_MS ? "yes" : "NO"} |`);
    }
  }
  return lines;
}
