/**
 * Pages run, on the demo supplier's fresh assessment:
 *   1. theme page render time (GET /assessments/:id/themes/:themeId, sequential, after warm-up),
 *   2. answer saves from one client alone and from 50 clients back to back (the saturation limit),
 *   3. the JavaScript a supplier downloads for a theme page, gzipped (level 9).
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { gzipSync } from "node:zlib";
import { type Context, dbLabel } from "./lib/context";
import { createTarget, type DbChoice, DEMO_SUPPLIER_EMAIL, setupDatabase } from "./lib/database";
import { Supplier } from "./lib/http";
import { AppServer, freePort } from "./lib/server";
import { kb, latencyText, ms, summarise, type Summary } from "./lib/stats";
import { saveableQuestions } from "./questions";

export const PAGE_THEMES = ["recruitment", "governance"];
export const PAGE_WARMUP = 20;
export const PAGE_REQUESTS = 200;
export const SAVE_CLIENTS = 50;
export const SAVES_PER_CLIENT = 40;
export const SEQUENTIAL_SAVES = 200;

export type CpuUse = { wallSeconds: number; serverSeconds?: number; clientSeconds: number; requests: number };

export type PageResult = {
  theme: string;
  cpu: CpuUse;
  total: Summary;
  server: Summary;
  ttfb: Summary;
  errors: number;
  htmlBytes: number;
  htmlGzipBytes: number;
  serverTiming: string | null;
};

export type SaturationResult = {
  clients: number;
  savesPerClient: number;
  distinctQuestions: number;
  requests: number;
  ok: number;
  conflicts: number;
  otherErrors: number;
  errorSamples: string[];
  latency: Summary;
  server: Summary;
  cpu: CpuUse;
  sequential: Summary;
  sequentialServer: Summary;
};

export type JsFile = { url: string; bytes: number; gzipBytes: number; via: string };
export type JsResult = {
  page: string;
  referenced: JsFile[];
  referencedGzip: number;
  referencedRaw: number;
  onDemand: JsFile[];
  onDemandGzip: number;
  withOnDemandGzip: number;
};

export type PagesResult = { db: DbChoice; pages: PageResult[]; saves: SaturationResult; js: JsResult };

export async function runPages(ctx: Context, kind: DbChoice): Promise<PagesResult> {
  console.log(`\nPages run on ${dbLabel(kind)}`);
  const target = await createTarget(kind, ctx.tempDir, "pages", ctx.postgresUrl);
  await setupDatabase(target, ctx.env);
  const server = await AppServer.start({ cwd: ctx.appDir, port: await freePort(), env: { ...ctx.env, ...target.env, ...ctx.serverEnv }, nodeArgs: ctx.nodeArgs, entry: ctx.entry });
  try {
    const supplier = new Supplier(server.base, DEMO_SUPPLIER_EMAIL);
    await supplier.signIn();
    const assessmentId = await supplier.startAssessment();
    const pages: PageResult[] = [];
    let html = "";
    for (const theme of PAGE_THEMES) {
      const { result, body } = await benchPage(server, supplier, assessmentId, theme);
      html ||= body;
      pages.push(result);
      console.log(`  ${theme} page: ${latencyText(result.total)} (server log p50 ${ms(result.server.p50)} ms); ${cpuText(result.cpu)}`);
    }
    const js = await measureJs(server.base, `${server.base}/assessments/${assessmentId}/themes/${PAGE_THEMES[0]}`, html, ctx.appDir);
    console.log(`  JavaScript for the ${PAGE_THEMES[0]} page: ${kb(js.referencedGzip)} kB gzip -9 (${js.referenced.length} files), ${kb(js.withOnDemandGzip)} kB with the on-demand country picker`);
    const saves = await benchSaves(server, supplier, assessmentId);
    console.log(`  one client alone: ${latencyText(saves.sequential)} (server log p50 ${ms(saves.sequentialServer.p50)} ms)`);
    console.log(`  ${saves.clients} clients back to back: ${saves.requests} saves in ${saves.cpu.wallSeconds.toFixed(2)} s (${(saves.requests / saves.cpu.wallSeconds).toFixed(0)}/s), ${saves.ok} × 200, ${saves.conflicts} × 409, ${saves.otherErrors} other; ${latencyText(saves.latency)}`);
    for (const e of saves.errorSamples) console.log(`  error: ${e}`);
    return { db: kind, pages, saves, js };
  } finally {
    await server.stop();
    await target.drop();
  }
}

export function cpuText(c: CpuUse): string {
  const server = c.serverSeconds !== undefined ? `server ${c.serverSeconds.toFixed(2)} s CPU (${ms((c.serverSeconds * 1000) / c.requests)} ms a request, ${((100 * c.serverSeconds) / c.wallSeconds).toFixed(0)}% of one core)` : "server CPU not measured";
  return `${server}; load generator ${c.clientSeconds.toFixed(2)} s CPU (${((100 * c.clientSeconds) / c.wallSeconds).toFixed(0)}% of one core)`;
}

async function withCpu(server: AppServer, requests: number, work: () => Promise<void>): Promise<CpuUse> {
  const s0 = server.cpuSeconds();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await work();
  const wallSeconds = (performance.now() - t0) / 1000;
  const s1 = server.cpuSeconds();
  const c = process.cpuUsage(c0);
  return { wallSeconds, serverSeconds: s0 !== undefined && s1 !== undefined ? s1 - s0 : undefined, clientSeconds: (c.user + c.system) / 1e6, requests };
}

async function benchPage(server: AppServer, supplier: Supplier, assessmentId: string, theme: string): Promise<{ result: PageResult; body: string }> {
  const path = `/assessments/${assessmentId}/themes/${theme}`;
  const totals: number[] = [];
  const ttfbs: number[] = [];
  let errors = 0;
  let html = "";
  let serverTiming: string | null = null;
  const get = async () => {
    const start = performance.now();
    const res = await supplier.get(path);
    const headersAt = performance.now();
    const body = await res.text();
    return { res, body, total: performance.now() - start, ttfb: headersAt - start };
  };
  for (let i = 0; i < PAGE_WARMUP; i++) {
    const { res } = await get();
    if (res.status !== 200) throw new Error(`GET ${path} answered HTTP ${res.status}; expected the theme page`);
  }
  const logFrom = server.requestLog.length;
  const cpu = await withCpu(server, PAGE_REQUESTS, async () => {
    for (let i = 0; i < PAGE_REQUESTS; i++) {
      const { res, body, total, ttfb } = await get();
      if (res.status !== 200) errors += 1;
      totals.push(total);
      ttfbs.push(ttfb);
      html = body;
      serverTiming ??= res.headers.get("server-timing");
    }
  });
  const logged = await server.loggedTimes(logFrom, "GET", `/themes/${theme}`, PAGE_REQUESTS);
  return {
    result: {
      theme,
      cpu,
      total: summarise(totals),
      server: summarise(logged.slice(-PAGE_REQUESTS)),
      ttfb: summarise(ttfbs),
      errors,
      htmlBytes: Buffer.byteLength(html),
      htmlGzipBytes: gzipSync(html, { level: 9 }).length,
      serverTiming,
    },
    body: html,
  };
}

/**
 * One client alone, then 50 clients sharing the demo supplier's session and assessment, each saving
 * back to back to its own question (30 questions, so some share one: a lost race answers 409 and
 * the client carries on from the conflict's revision, as "keep my answer" does).
 */
async function benchSaves(server: AppServer, supplier: Supplier, assessmentId: string): Promise<SaturationResult> {
  const questions = saveableQuestions();
  const revisions = new Map<string, number>();
  for (const { question, values } of questions) {
    const r = await supplier.saveAnswer(assessmentId, question.id, values[0], 0);
    if (r.status !== 200 || r.revision === undefined) throw new Error(`warm-up save of ${question.id} failed: ${r.status} ${r.text.slice(0, 200)}`);
    revisions.set(question.id, r.revision);
  }

  const { question, values } = questions[0]!;
  let revision = revisions.get(question.id)!;
  const sequential: number[] = [];
  const seqFrom = server.requestLog.length;
  for (let i = 0; i < SEQUENTIAL_SAVES; i++) {
    const r = await supplier.saveAnswer(assessmentId, question.id, values[(i + 1) % 2], revision);
    if (r.status === 200 && r.revision !== undefined) revision = r.revision;
    else if (r.status === 409 && r.conflictRevision !== undefined) revision = r.conflictRevision;
    else throw new Error(`sequential save of ${question.id} failed: ${r.status} ${r.text.slice(0, 200)}`);
    sequential.push(r.elapsed);
  }
  revisions.set(question.id, revision);
  const sequentialServer = await server.loggedTimes(seqFrom, "POST", "/answers", SEQUENTIAL_SAVES);

  const latencies: number[] = [];
  let ok = 0;
  let conflicts = 0;
  let otherErrors = 0;
  const errorSamples: string[] = [];
  const client = async (index: number) => {
    const { question, values } = questions[index % questions.length]!;
    let revision = revisions.get(question.id)!;
    for (let i = 0; i < SAVES_PER_CLIENT; i++) {
      const r = await supplier.saveAnswer(assessmentId, question.id, values[(i + 1) % 2], revision);
      latencies.push(r.elapsed);
      if (r.status === 200 && r.revision !== undefined) {
        ok += 1;
        revision = r.revision;
      } else if (r.status === 409 && r.conflictRevision !== undefined) {
        conflicts += 1;
        revision = r.conflictRevision;
      } else {
        otherErrors += 1;
        if (errorSamples.length < 5) errorSamples.push(`${question.id}: ${r.status} ${r.text.slice(0, 160)}`);
      }
    }
  };
  // every client's keep-alive connection opened first, as browsers that loaded the page have
  await Promise.all(Array.from({ length: SAVE_CLIENTS }, () => fetch(`${server.base}/healthz`).then((r) => r.arrayBuffer())));
  const logFrom = server.requestLog.length;
  const requests = SAVE_CLIENTS * SAVES_PER_CLIENT;
  const cpu = await withCpu(server, requests, async () => {
    await Promise.all(Array.from({ length: SAVE_CLIENTS }, (_, i) => client(i)));
  });
  const logged = await server.loggedTimes(logFrom, "POST", "/answers", requests);
  return {
    clients: SAVE_CLIENTS,
    savesPerClient: SAVES_PER_CLIENT,
    distinctQuestions: Math.min(questions.length, SAVE_CLIENTS),
    requests,
    ok,
    conflicts,
    otherErrors,
    errorSamples,
    latency: summarise(latencies),
    server: summarise(logged),
    cpu,
    sequential: summarise(sequential),
    sequentialServer: summarise(sequentialServer),
  };
}

/** Module URLs a page's HTML makes the browser load: script src, modulepreload links, inline module imports. */
function moduleUrlsIn(html: string, pageUrl: string): Map<string, string> {
  const found = new Map<string, string>();
  const add = (spec: string, via: string) => {
    const url = new URL(spec.replace(/&amp;/g, "&"), pageUrl).href;
    if (!found.has(url)) found.set(url, via);
  };
  for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) {
    const src = /\bsrc\s*=\s*["']([^"']+)["']/i.exec(tag);
    if (src) add(src[1]!, "script src");
  }
  for (const tag of html.match(/<link\b[^>]*>/gi) ?? []) {
    if (!/\brel\s*=\s*["']modulepreload["']/i.test(tag)) continue;
    const href = /\bhref\s*=\s*["']([^"']+)["']/i.exec(tag);
    if (href) add(href[1]!, "modulepreload");
  }
  for (const [, attrs, body] of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (!/\btype\s*=\s*["']module["']/i.test(attrs!)) continue;
    for (const m of body!.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g)) add(m[1]!, "inline import()");
    for (const m of body!.matchAll(/\bimport\s*(?:[\w*{}\s,$]+?\s*from\s*)?["']([^"']+)["']/g)) add(m[1]!, "inline import");
  }
  return found;
}

/** Relative static imports in a built chunk (`import"./x.js"`, `from"./x.js"`), resolved against its URL. */
function staticImportsOf(code: string, chunkUrl: string): string[] {
  return [...code.matchAll(/(?:\bfrom|\bimport)\s*["'](\.{1,2}\/[^"']+?\.js)["']/g)].map((m) => new URL(m[1]!, chunkUrl).href);
}

async function download(url: string): Promise<Buffer> {
  const res = await fetch(url);
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`GET ${url} answered HTTP ${res.status}`);
  return body;
}

const file = (url: string, body: Buffer, via: string): JsFile => ({ url, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length, via });

async function measureJs(base: string, pageUrl: string, html: string, appDir: string): Promise<JsResult> {
  const referenced: JsFile[] = [];
  const queue: Array<[string, string]> = [];
  const loaded = new Set<string>();
  for (const [url, via] of moduleUrlsIn(html, pageUrl)) {
    const body = await download(url);
    loaded.add(url);
    referenced.push(file(url, body, via));
    queue.push([url, body.toString()]);
  }
  if (referenced.length === 0) throw new Error(`found no JavaScript referenced by ${pageUrl}`);
  // anything those import statically is downloaded too, preloaded or not
  while (queue.length > 0) {
    const [url, text] = queue.shift()!;
    for (const dep of staticImportsOf(text, url)) {
      if (loaded.has(dep)) continue;
      loaded.add(dep);
      const body = await download(dep);
      referenced.push(file(dep, body, "static import"));
      queue.push([dep, body.toString()]);
    }
  }
  // the country picker's accessible-autocomplete chunk, loaded with import() when a page has a country question
  const onDemand: JsFile[] = [];
  for (const name of readdirSync(join(appDir, "build/client/assets")).filter((f) => f.startsWith("accessible-autocomplete") && f.endsWith(".js"))) {
    const url = new URL(`/assets/${name}`, base).href;
    const body = await download(url);
    onDemand.push(file(url, body, "import() on demand"));
    for (const dep of staticImportsOf(body.toString(), url)) {
      if (loaded.has(dep) || onDemand.some((f) => f.url === dep)) continue;
      onDemand.push(file(dep, await download(dep), "static import of on-demand chunk"));
    }
  }
  const sum = (files: JsFile[], key: "bytes" | "gzipBytes") => files.reduce((s, f) => s + f[key], 0);
  const referencedGzip = sum(referenced, "gzipBytes");
  const onDemandGzip = sum(onDemand, "gzipBytes");
  return { page: PAGE_THEMES[0]!, referenced, referencedGzip, referencedRaw: sum(referenced, "bytes"), onDemand, onDemandGzip, withOnDemandGzip: referencedGzip + onDemandGzip };
}
