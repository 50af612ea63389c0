/**
 * Register run: a department administrator imports a 10,000-contract register through the import
 * page (one multipart upload, timed end to end), then pages of the register are read, each
 * sequentially after a warm-up: the default page (live contracts, by value), a page sorted by
 * invitation (the sort that looks up each contract's latest invitation) and by risk, and a
 * filtered, sorted page deep in the register. The figure is the server's own time from its access log.
 */
import { performance } from "node:perf_hooks";
import { type Context, dbLabel } from "./lib/context";
import { createTarget, type DbChoice, setupDatabase } from "./lib/database";
import { Supplier } from "./lib/http";
import { AppServer, freePort } from "./lib/server";
import { latencyText, ms, summarise, type Summary } from "./lib/stats";

export const REGISTER_ROWS = 10_000;
const WARMUP = 20;
const REQUESTS = 200;

/** The pages read, each with its target p50 (server time). */
const READS = [
  { label: "Default page (live contracts, by value)", query: "/contracts", targetMs: 100 },
  { label: "Live contracts by invitation", query: "/contracts?sort=invitation&direction=asc&page=2", targetMs: 100 },
  { label: "Live contracts by risk", query: "/contracts?sort=risk&direction=desc", targetMs: 100 },
  { label: "Filtered, sorted page", query: "/contracts?tier=silver&category=Cleaning&sort=value&direction=desc&page=3", targetMs: 100 },
] as const;

export type RegisterRead = { label: string; query: string; targetMs: number; page: Summary; server: Summary };
export type RegisterResult = { db: DbChoice; rows: number; ended: number; bytes: number; importMs: number; importStatus: number; reads: RegisterRead[] };

const HEADER = "reference,title,supplier_name,supplier_company_number,supplier_country,category,annual_value_gbp,total_value_gbp,start_date,end_date,contract_manager_email,tier_override,tier_override_reason";
const CATEGORIES = ["Cleaning", "Catering", "Security services", "Construction", "IT hardware", "Consultancy"];

/** One contract in five ended in March 2025; the rest run to 2028, so the default page filters. */
const endedRow = (i: number) => i % 5 === 0;

function registerCsv(rows: number): string {
  const lines = [HEADER];
  for (let i = 1; i <= rows; i++) {
    const annual = (i * 977_003) % 60_000_000;
    const [start, end] = endedRow(i) ? ["01/04/2022", "31/03/2025"] : ["01/04/2025", "31/03/2028"];
    lines.push(`BENCH-${String(i).padStart(5, "0")},Contract ${i},Supplier ${i % 700} Ltd,,GB,${CATEGORIES[i % CATEGORIES.length]},${annual},${annual * 3},${start},${end},manager${i % 12}@dpw.example,,`);
  }
  return `${lines.join("\n")}\n`;
}

export async function runRegister(ctx: Context, kind: DbChoice): Promise<RegisterResult> {
  console.log(`\nRegister run on ${dbLabel(kind)}`);
  const target = await createTarget(kind, ctx.tempDir, "register", ctx.postgresUrl);
  await setupDatabase(target, ctx.env);
  const server = await AppServer.start({ cwd: ctx.appDir, port: await freePort(), env: { ...ctx.env, ...target.env, ...ctx.serverEnv }, nodeArgs: ctx.nodeArgs, entry: ctx.entry });
  try {
    const admin = new Supplier(server.base, "admin@dpw.example");
    await admin.signIn();
    const csv = registerCsv(REGISTER_ROWS);
    const form = new FormData();
    form.set("register", new Blob([csv], { type: "text/csv" }), "register.csv");
    const start = performance.now();
    const res = await fetch(`${server.base}/contracts/import`, { method: "POST", redirect: "manual", headers: { Cookie: admin.cookie, Origin: server.base }, body: form });
    const body = await res.text();
    const importMs = performance.now() - start;
    if (res.status !== 200 || !/10000(<!-- -->)? contracts added/.test(body)) throw new Error(`importing ${REGISTER_ROWS} contracts answered HTTP ${res.status}`);
    console.log(`  imported ${REGISTER_ROWS} contracts (${(csv.length / 1024 / 1024).toFixed(1)} MB CSV) in ${ms(importMs)} ms`);

    const reads: RegisterRead[] = [];
    for (const read of READS) {
      const get = async () => {
        const page = await fetch(`${server.base}${read.query}`, { headers: { Cookie: admin.cookie } });
        await page.text();
        if (page.status !== 200) throw new Error(`GET ${read.query} answered HTTP ${page.status}`);
      };
      for (let i = 0; i < WARMUP; i++) await get();
      const from = server.requestLog.length;
      const times: number[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        const t0 = performance.now();
        await get();
        times.push(performance.now() - t0);
      }
      const path = read.query.split("?")[0]!;
      const logged = await server.loggedTimes(from, "GET", new RegExp(`^${path.replace(/\//g, "\\/")}(\\?|$)`), REQUESTS);
      const result: RegisterRead = { ...read, page: summarise(times), server: summarise(logged.slice(-REQUESTS)) };
      reads.push(result);
      console.log(`  ${read.label}: server ${latencyText(result.server)}; client ${latencyText(result.page)}`);
    }
    const ended = Array.from({ length: REGISTER_ROWS }, (_, i) => i + 1).filter(endedRow).length;
    return { db: kind, rows: REGISTER_ROWS, ended, bytes: csv.length, importMs, importStatus: res.status, reads };
  } finally {
    await server.stop();
  }
}

export function registerBlock(results: RegisterResult[], when: Date): string[] {
  const first = results[0];
  const lines = [
    "## Contract register",
    "",
    `Measured ${when.toISOString().slice(0, 16).replace("T", " ")} UTC. A department administrator uploads a ${REGISTER_ROWS.toLocaleString("en-GB")}-contract register (CSV, ${(first?.ended ?? 0).toLocaleString("en-GB")} of them ended) through the import page, timed from the request to the reply; then, for each page below, ${REQUESTS} sequential reads (after ${WARMUP} warm-up). Server times are from the server's access log.`,
    "",
    "| Database | Import of 10,000 contracts |",
    "| --- | --- |",
    ...results.map((r) => `| ${dbLabel(r.db)} | ${(r.importMs / 1000).toFixed(1)} s (${(r.bytes / 1024 / 1024).toFixed(1)} MB) |`),
    "",
    "| Database | Page | Server p50 | p95 | p99 | Target p50 | Met |",
    "| --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const r of results) {
    for (const read of r.reads) {
      lines.push(`| ${dbLabel(r.db)} | ${read.label}: \`${read.query}\` | ${ms(read.server.p50)} ms | ${ms(read.server.p95)} ms | ${ms(read.server.p99)} ms | < ${read.targetMs} ms | ${read.server.p50 < read.targetMs ? "yes" : "NO"} |`);
    }
  }
  return lines;
}
