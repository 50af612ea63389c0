/**
 * Performance benchmark: `npm run bench` (add `-- --no-build` to reuse ./build).
 *
 * Builds the app, sets up a throwaway SQLite database, starts the production server
 * (remix-serve, NODE_ENV=production) on loopback and measures:
 *   1. theme page render time (GET /assessments/:id/themes/:themeId, sequential),
 *   2. answer autosaves from 50 concurrent clients (POST /assessments/:id/answers),
 *   3. the JavaScript a supplier downloads for a theme page, gzipped (level 9).
 * Prints the figures against the targets and writes docs/performance.md. It asserts nothing.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { gzipSync } from "node:zlib";
import { loadQuestionnaire, type Question } from "../../questionnaires/format";
import { applySkipLogic } from "../../app/domain/visibility";
import { DEMO_PASSWORD } from "../../db/seed";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const QUESTIONNAIRE = join(ROOT, "questionnaires/msat/msat-1.0.0.yaml");
const DOC = join(ROOT, "docs/performance.md");
const SUPPLIER_EMAIL = "admin@acme.example";
const PREFERRED_PORT = 3917;

const PAGE_THEMES = ["recruitment", "governance"];
const PAGE_WARMUP = 20;
const PAGE_REQUESTS = 200;
const SAVE_CLIENTS = 50;
const SAVES_PER_CLIENT = 40;
const SEQUENTIAL_SAVES = 200;
/** Paced run: each client saves about once a second (500–1500 ms apart), the most an autosaving typist sends. */
const PACED_SAVES_PER_CLIENT = 15;
const PACED_GAP_MS: [number, number] = [500, 1500];

const TARGETS = { pageP50Ms: 20, saveP99Ms: 50, jsKb: 150 };

// ---- process and temp-dir housekeeping ---------------------------------------------------------

let server: ChildProcess | undefined;
let tempDir: string | undefined;
const serverLog: string[] = [];
/** remix-serve logs every request (morgan "tiny"): method, path, status and the server's response time. */
type Logged = { method: string; path: string; status: number; ms: number };
const requestLog: Logged[] = [];
let partialLine = "";

function keepLog(chunk: Buffer) {
  const lines = (partialLine + chunk.toString()).split("\n");
  partialLine = lines.pop() ?? "";
  for (const line of lines) {
    const m = /^(GET|POST|PUT|PATCH|DELETE|HEAD) (\S+) (\d{3}) \S+ - ([\d.]+) ms\s*$/.exec(line);
    if (m) requestLog.push({ method: m[1]!, path: m[2]!, status: Number(m[3]), ms: Number(m[4]) });
    else if (line.trim()) serverLog.push(line);
  }
  if (serverLog.length > 200) serverLog.splice(0, serverLog.length - 200);
}

/** Server-side response times (as remix-serve logged them) of the requests logged since `from`. */
async function loggedTimes(from: number, method: string, pathEnd: string, expected: number): Promise<number[]> {
  const pick = () => requestLog.slice(from).filter((r) => r.method === method && r.path.endsWith(pathEnd));
  const deadline = Date.now() + 2000; // the log can trail the responses a little
  while (pick().length < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return pick().map((r) => r.ms);
}

/** Run a command to completion, capturing its output; reject with the output's tail on failure. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit ${code}`}):\n${output.split("\n").slice(-40).join("\n")}`));
    });
  });
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

async function freePort(): Promise<number> {
  if (await portIsFree(PREFERRED_PORT)) return PREFERRED_PORT;
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Stop the server we started (its whole process group: npx and remix-serve) and remove the temp dir. */
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= stopAndRemove(); // a second signal waits for the first clean-up instead of cutting it short
  return cleaning;
}

async function stopAndRemove(): Promise<void> {
  const child = server;
  server = undefined;
  if (child?.pid) {
    const group = child.pid;
    const alive = () => {
      try {
        process.kill(-group, 0); // throws once no process is left in the group
        return true;
      } catch {
        return false;
      }
    };
    if (alive()) {
      try {
        process.kill(-group, "SIGTERM");
      } catch {
        /* already gone */
      }
      // remix-serve closes gracefully; give the whole group (not just npx) a few seconds, then force it.
      const deadline = Date.now() + 5000;
      while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      if (alive()) {
        try {
          process.kill(-group, "SIGKILL");
        } catch {
          /* already gone */
        }
      }
    }
  }
  if (tempDir) {
    rmSync(tempDir, { recursive: true, force: true });
    tempDir = undefined;
  }
}

/** Last resort when the process exits without going through cleanup(). */
process.on("exit", () => {
  if (server?.pid) {
    try {
      process.kill(-server.pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    void cleanup().finally(() => process.exit(130));
  });
}

/**
 * CPU seconds (user + system) used so far by the server's process group (npx and remix-serve),
 * from /proc; undefined where there is no /proc. Assumes the usual 100 clock ticks a second.
 */
function serverCpuSeconds(): number | undefined {
  const group = server?.pid;
  if (!group || !existsSync("/proc/self/stat")) return undefined;
  let ticks = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === group) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      /* the process ended while we looked */
    }
  }
  return ticks / 100;
}

/** Share of the whole machine's CPU (0–100) that other processes used over one second; undefined without /proc. */
async function otherCpuPercent(): Promise<number | undefined> {
  if (!existsSync("/proc/stat")) return undefined;
  const machine = () => {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    const idle = fields[3]! + fields[4]!;
    const total = fields.reduce((a, b) => a + b, 0);
    return { idle, total };
  };
  const m0 = machine();
  const s0 = serverCpuSeconds() ?? 0;
  const c0 = process.cpuUsage();
  await new Promise((r) => setTimeout(r, 1000));
  const m1 = machine();
  const own = process.cpuUsage(c0);
  const ours = ((serverCpuSeconds() ?? 0) - s0) * 100 + (own.user + own.system) / 1e4; // in clock ticks (1/100 s)
  const busy = m1.total - m0.total - (m1.idle - m0.idle) - ours;
  return Math.max(0, (100 * busy) / Math.max(1, m1.total - m0.total));
}

/** CPU the server and this load generator use while `work` runs, per request. */
async function withCpu<T>(requests: () => number, work: () => Promise<T>): Promise<T & { cpu: CpuUse }> {
  const server0 = serverCpuSeconds();
  const client0 = process.cpuUsage();
  const start = performance.now();
  const result = await work();
  const wall = (performance.now() - start) / 1000;
  const server1 = serverCpuSeconds();
  const client = process.cpuUsage(client0);
  const n = Math.max(1, requests());
  const serverSeconds = server0 !== undefined && server1 !== undefined ? server1 - server0 : undefined;
  const clientSeconds = (client.user + client.system) / 1e6;
  return {
    ...result,
    cpu: {
      wallSeconds: wall,
      serverSeconds,
      clientSeconds,
      serverMsPerRequest: serverSeconds !== undefined ? (serverSeconds * 1000) / n : undefined,
      clientMsPerRequest: (clientSeconds * 1000) / n,
    },
  };
}

type CpuUse = { wallSeconds: number; serverSeconds?: number; clientSeconds: number; serverMsPerRequest?: number; clientMsPerRequest: number };

const cpuText = (c: CpuUse) =>
  `server ${c.serverSeconds !== undefined ? `${c.serverSeconds.toFixed(2)} s CPU (${ms(c.serverMsPerRequest!)} ms a request, ${((100 * c.serverSeconds) / c.wallSeconds).toFixed(0)}% of one core)` : "CPU not measured"}; load generator ${c.clientSeconds.toFixed(2)} s CPU (${((100 * c.clientSeconds) / c.wallSeconds).toFixed(0)}% of one core)`;

// ---- statistics --------------------------------------------------------------------------------

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

type Summary = { n: number; p50: number; p95: number; p99: number; mean: number; max: number };
function summarise(values: number[]): Summary {
  return {
    n: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    mean: values.reduce((s, v) => s + v, 0) / Math.max(1, values.length),
    max: Math.max(...values),
  };
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "–");
const kb = (bytes: number) => (bytes / 1000).toFixed(1);

// ---- HTTP helpers ------------------------------------------------------------------------------

let base = "";
let cookie = "";

async function signIn(email: string): Promise<string> {
  const res = await fetch(`${base}/sign-in`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD, redirectTo: "" }),
  });
  await res.arrayBuffer();
  const session = res.headers.getSetCookie().find((c) => c.startsWith("lantern_session="));
  if (res.status !== 302 || !session) throw new Error(`sign-in as ${email} failed: HTTP ${res.status}, no session cookie`);
  return session.split(";")[0]!;
}

async function startAssessment(): Promise<string> {
  const res = await fetch(`${base}/supplier`, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: "",
  });
  await res.arrayBuffer();
  const location = res.headers.get("location");
  const match = location ? /\/assessments\/([^/?#]+)$/.exec(new URL(location, base).pathname) : null;
  if (res.status !== 302 || !match) throw new Error(`starting an assessment failed: HTTP ${res.status}, Location ${location ?? "(none)"}`);
  return match[1]!;
}

async function waitForHealth(timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (!server || server.exitCode !== null) throw new Error(`the server exited before it was healthy:\n${serverLog.slice(-30).join("\n")}`);
    try {
      const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`/healthz did not answer 200 within ${timeoutMs / 1000} s (last: ${last}):\n${serverLog.slice(-30).join("\n")}`);
}

// ---- 1. page render ----------------------------------------------------------------------------

type PageResult = {
  theme: string;
  cpu: CpuUse;
  total: Summary;
  server: Summary;
  ttfb: Summary;
  errors: number;
  htmlBytes: number;
  htmlGzipBytes: number;
  serverTiming: string | null;
  html: string;
};

async function benchPage(assessmentId: string, theme: string): Promise<PageResult> {
  const url = `${base}/assessments/${assessmentId}/themes/${theme}`;
  const totals: number[] = [];
  const ttfbs: number[] = [];
  let errors = 0;
  let html = "";
  let serverTiming: string | null = null;
  const get = async () => {
    const start = performance.now();
    const res = await fetch(url, { headers: { Cookie: cookie }, redirect: "manual" });
    const headersAt = performance.now();
    const body = await res.text();
    const end = performance.now();
    return { res, body, total: end - start, ttfb: headersAt - start };
  };
  for (let i = 0; i < PAGE_WARMUP; i++) {
    const { res } = await get();
    if (res.status !== 200) throw new Error(`GET ${url} answered HTTP ${res.status}; expected the theme page`);
  }
  const logFrom = requestLog.length;
  const { cpu } = await withCpu(
    () => PAGE_REQUESTS,
    async () => {
      for (let i = 0; i < PAGE_REQUESTS; i++) {
        const { res, body, total, ttfb } = await get();
        if (res.status !== 200) errors += 1;
        totals.push(total);
        ttfbs.push(ttfb);
        html = body;
        serverTiming ??= res.headers.get("server-timing");
      }
      return {};
    },
  );
  const server = await loggedTimes(logFrom, "GET", `/themes/${theme}`, PAGE_REQUESTS);
  return {
    theme,
    cpu,
    total: summarise(totals),
    server: summarise(server.slice(-PAGE_REQUESTS)),
    ttfb: summarise(ttfbs),
    errors,
    htmlBytes: Buffer.byteLength(html),
    htmlGzipBytes: gzipSync(html, { level: 9 }).length,
    serverTiming,
    html,
  };
}

// ---- 2. concurrent answer saves ----------------------------------------------------------------

/** Visible-by-default yes/no, single-choice and number questions: no showIf, shown with no answers. */
function saveableQuestions(): Array<{ question: Question; values: [unknown, unknown] }> {
  const qn = loadQuestionnaire(QUESTIONNAIRE);
  const visible = applySkipLogic(qn, {}).visible;
  const picked: Array<{ question: Question; values: [unknown, unknown] }> = [];
  for (const theme of qn.themes) {
    for (const q of theme.questions) {
      if (q.showIf || !visible.has(q.id)) continue;
      if (q.type === "yesno") picked.push({ question: q, values: ["yes", "no"] });
      else if (q.type === "single") picked.push({ question: q, values: [q.options[0]!.value, q.options[1]!.value] });
      else if (q.type === "number") {
        const top = q.max ?? q.min + 100;
        picked.push({ question: q, values: [Math.min(top, q.min + 10), Math.min(top, q.min + 20)] });
      }
    }
  }
  return picked;
}

type SaveResult = {
  clients: number;
  savesPerClient: number;
  distinctQuestions: number;
  sharedClients: number;
  requests: number;
  ok: number;
  conflicts: number;
  otherErrors: number;
  errorSamples: string[];
  latency: Summary;
  cpu: CpuUse;
  server: Summary;
  sequential: Summary;
  sequentialServer: Summary;
  wallSeconds: number;
  requestsPerSecond: number;
  okPerSecond: number;
  paced: { requests: number; ok: number; conflicts: number; otherErrors: number; latency: Summary; wallSeconds: number };
};

async function postAnswer(url: string, questionId: string, value: unknown, baseRevision: number) {
  const start = performance.now();
  const res = await fetch(url, {
    method: "POST",
    redirect: "manual",
    headers: { Cookie: cookie, "Content-Type": "application/json" },
    body: JSON.stringify({ questionId, value, baseRevision }),
  });
  const text = await res.text();
  const elapsed = performance.now() - start;
  let json: { revision?: number; conflict?: { revision?: number } } = {};
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    /* not JSON: reported as an error below */
  }
  return { status: res.status, json, text, elapsed };
}

async function benchSaves(assessmentId: string): Promise<SaveResult> {
  const url = `${base}/assessments/${assessmentId}/answers`;
  const questions = saveableQuestions();
  if (questions.length === 0) throw new Error("no visible yes/no, single-choice or number questions to save");
  const revisions = new Map<string, number>();

  // Warm-up (not timed): save each question once, sequentially, so every client starts from a known revision.
  for (const { question, values } of questions) {
    const r = await postAnswer(url, question.id, values[0], 0);
    if (r.status !== 200 || typeof r.json.revision !== "number") throw new Error(`warm-up save of ${question.id} failed: HTTP ${r.status} ${r.text.slice(0, 200)}`);
    revisions.set(question.id, r.json.revision);
  }

  // For comparison, one client alone (untimed for the concurrent figures): sequential saves to one question.
  const { question, values } = questions[0]!;
  let revision = revisions.get(question.id)!;
  const sequential: number[] = [];
  const seqFrom = requestLog.length;
  for (let i = 0; i < SEQUENTIAL_SAVES; i++) {
    const r = await postAnswer(url, question.id, values[i % 2], revision);
    if (r.status === 200 && typeof r.json.revision === "number") revision = r.json.revision;
    else if (r.status === 409 && typeof r.json.conflict?.revision === "number") revision = r.json.conflict.revision;
    else throw new Error(`sequential save of ${question.id} failed: HTTP ${r.status} ${r.text.slice(0, 200)}`);
    sequential.push(r.elapsed);
  }
  revisions.set(question.id, revision);
  const sequentialServer = await loggedTimes(seqFrom, "POST", "/answers", SEQUENTIAL_SAVES);

  const latencies: number[] = [];
  let ok = 0;
  let conflicts = 0;
  let otherErrors = 0;
  const errorSamples: string[] = [];

  const client = async (index: number) => {
    const { question, values } = questions[index % questions.length]!;
    let revision = revisions.get(question.id)!;
    for (let i = 0; i < SAVES_PER_CLIENT; i++) {
      const value = values[(i + 1) % 2]; // the warm-up saved values[0]; start with the other one
      try {
        const r = await postAnswer(url, question.id, value, revision);
        latencies.push(r.elapsed);
        if (r.status === 200 && typeof r.json.revision === "number") {
          ok += 1;
          revision = r.json.revision;
        } else if (r.status === 409 && typeof r.json.conflict?.revision === "number") {
          conflicts += 1; // another client saved the same question first: carry on from its revision
          revision = r.json.conflict.revision;
        } else {
          otherErrors += 1;
          if (errorSamples.length < 5) errorSamples.push(`${question.id}: HTTP ${r.status} ${r.text.slice(0, 160)}`);
        }
      } catch (error) {
        otherErrors += 1;
        if (errorSamples.length < 5) errorSamples.push(`${question.id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  };

  // Open every client's keep-alive connection first (untimed), as browsers that have loaded the page already have.
  await Promise.all(Array.from({ length: SAVE_CLIENTS }, () => fetch(`${base}/healthz`).then((r) => r.arrayBuffer())));

  const logFrom = requestLog.length;
  const requests = SAVE_CLIENTS * SAVES_PER_CLIENT;
  const { cpu } = await withCpu(
    () => requests,
    async () => {
      await Promise.all(Array.from({ length: SAVE_CLIENTS }, (_, i) => client(i)));
      return {};
    },
  );
  const wallSeconds = cpu.wallSeconds;
  const server = await loggedTimes(logFrom, "POST", "/answers", requests);

  // Paced: the same clients, each pausing between saves as autosave does while someone types.
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const paced = { requests: 0, ok: 0, conflicts: 0, otherErrors: 0, latencies: [] as number[] };
  const pacedClient = async (index: number) => {
    const { question, values } = questions[index % questions.length]!;
    let revision = revisions.get(question.id)!;
    await new Promise((r) => setTimeout(r, random() * PACED_GAP_MS[1]));
    for (let i = 0; i < PACED_SAVES_PER_CLIENT; i++) {
      const r = await postAnswer(url, question.id, values[i % 2], revision);
      paced.requests += 1;
      paced.latencies.push(r.elapsed);
      if (r.status === 200 && typeof r.json.revision === "number") {
        paced.ok += 1;
        revision = r.json.revision;
      } else if (r.status === 409 && typeof r.json.conflict?.revision === "number") {
        paced.conflicts += 1;
        revision = r.json.conflict.revision;
      } else paced.otherErrors += 1;
      await new Promise((r) => setTimeout(r, PACED_GAP_MS[0] + random() * (PACED_GAP_MS[1] - PACED_GAP_MS[0])));
    }
  };
  const pacedStart = performance.now();
  await Promise.all(Array.from({ length: SAVE_CLIENTS }, (_, i) => pacedClient(i)));
  const pacedResult = {
    requests: paced.requests,
    ok: paced.ok,
    conflicts: paced.conflicts,
    otherErrors: paced.otherErrors,
    latency: summarise(paced.latencies),
    wallSeconds: (performance.now() - pacedStart) / 1000,
  };

  return {
    clients: SAVE_CLIENTS,
    savesPerClient: SAVES_PER_CLIENT,
    distinctQuestions: Math.min(questions.length, SAVE_CLIENTS),
    sharedClients: Array.from({ length: SAVE_CLIENTS }, (_, i) => i % questions.length).filter((q, _, all) => all.indexOf(q) !== all.lastIndexOf(q)).length,
    requests,
    ok,
    conflicts,
    otherErrors,
    errorSamples,
    latency: summarise(latencies),
    cpu,
    server: summarise(server),
    sequential: summarise(sequential),
    sequentialServer: summarise(sequentialServer),
    wallSeconds,
    requestsPerSecond: requests / wallSeconds,
    okPerSecond: ok / wallSeconds,
    paced: pacedResult,
  };
}

// ---- 3. JavaScript downloaded for a theme page -------------------------------------------------

type JsFile = { url: string; bytes: number; gzipBytes: number; via: string };
type JsResult = {
  page: string;
  referenced: JsFile[];
  referencedGzip: number;
  referencedRaw: number;
  unreferencedStatic: JsFile[];
  onDemand: JsFile[];
  onDemandGzip: number;
  withOnDemandGzip: number;
  onDemandLinkedFromRoute: boolean;
};

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
  const urls: string[] = [];
  for (const m of code.matchAll(/(?:\bfrom|\bimport)\s*["'](\.{1,2}\/[^"']+?\.js)["']/g)) urls.push(new URL(m[1]!, chunkUrl).href);
  return urls;
}

async function download(url: string): Promise<Buffer> {
  const res = await fetch(url);
  const body = Buffer.from(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`GET ${url} answered HTTP ${res.status}`);
  return body;
}

async function measureJs(page: PageResult, assessmentId: string): Promise<JsResult> {
  const pageUrl = `${base}/assessments/${assessmentId}/themes/${page.theme}`;
  const referenced: JsFile[] = [];
  const code = new Map<string, string>();
  for (const [url, via] of moduleUrlsIn(page.html, pageUrl)) {
    const body = await download(url);
    code.set(url, body.toString());
    referenced.push({ url, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length, via });
  }
  if (referenced.length === 0) throw new Error(`found no JavaScript referenced by ${pageUrl}`);

  // Anything the referenced modules import statically is downloaded too, preloaded or not.
  const loaded = new Set(code.keys());
  const unreferencedStatic: JsFile[] = [];
  const queue = [...code.entries()];
  while (queue.length > 0) {
    const [url, text] = queue.shift()!;
    for (const dep of staticImportsOf(text, url)) {
      if (loaded.has(dep)) continue;
      loaded.add(dep);
      const body = await download(dep);
      unreferencedStatic.push({ url: dep, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length, via: `static import` });
      queue.push([dep, body.toString()]);
    }
  }

  // The country picker's accessible-autocomplete chunk, loaded with import() when a page has a country question.
  const assetsDir = join(ROOT, "build/client/assets");
  const chunkNames = readdirSync(assetsDir).filter((f) => f.startsWith("accessible-autocomplete") && f.endsWith(".js"));
  const onDemand: JsFile[] = [];
  for (const name of chunkNames) {
    const url = new URL(`/assets/${name}`, base).href;
    const body = await download(url);
    onDemand.push({ url, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length, via: "import() on demand" });
    for (const dep of staticImportsOf(body.toString(), url)) {
      if (loaded.has(dep) || onDemand.some((f) => f.url === dep)) continue;
      const depBody = await download(dep);
      onDemand.push({ url: dep, bytes: depBody.length, gzipBytes: gzipSync(depBody, { level: 9 }).length, via: "static import of on-demand chunk" });
    }
  }
  const onDemandLinkedFromRoute = chunkNames.some((name) => [...code.values()].some((text) => text.includes(name)));

  const sum = (files: JsFile[], key: "bytes" | "gzipBytes") => files.reduce((s, f) => s + f[key], 0);
  const referencedGzip = sum(referenced, "gzipBytes") + sum(unreferencedStatic, "gzipBytes");
  const onDemandGzip = sum(onDemand, "gzipBytes");
  return {
    page: page.theme,
    referenced,
    referencedGzip,
    referencedRaw: sum(referenced, "bytes") + sum(unreferencedStatic, "bytes"),
    unreferencedStatic,
    onDemand,
    onDemandGzip,
    withOnDemandGzip: referencedGzip + onDemandGzip,
    onDemandLinkedFromRoute,
  };
}

// ---- report ------------------------------------------------------------------------------------

type Row = { figure: string; value: string; target: string; met: string };

function rows(pages: PageResult[], saves: SaveResult, js: JsResult): Row[] {
  const met = (ok: boolean) => (ok ? "yes" : "NO");
  return [
    ...pages.map((p) => ({
      figure: `Theme page render p50 (${p.theme})`,
      value: `${ms(p.total.p50)} ms (p95 ${ms(p.total.p95)}, p99 ${ms(p.total.p99)})`,
      target: `< ${TARGETS.pageP50Ms} ms`,
      met: met(p.total.p50 < TARGETS.pageP50Ms),
    })),
    {
      figure: `Answer save p99 (${saves.clients} concurrent clients, each saving about once a second)`,
      value: `${ms(saves.paced.latency.p99)} ms (p50 ${ms(saves.paced.latency.p50)}, p95 ${ms(saves.paced.latency.p95)}; ${saves.paced.requests} saves)`,
      target: `< ${TARGETS.saveP99Ms} ms`,
      met: met(saves.paced.latency.p99 < TARGETS.saveP99Ms),
    },
    {
      figure: `Answer save p99 at saturation (${saves.clients} clients saving back-to-back)`,
      value: `${ms(saves.latency.p99)} ms (p50 ${ms(saves.latency.p50)}, p95 ${ms(saves.latency.p95)})`,
      target: `< ${TARGETS.saveP99Ms} ms`,
      met: met(saves.latency.p99 < TARGETS.saveP99Ms),
    },
    {
      figure: "Answer save, one client alone (for comparison)",
      value: `p50 ${ms(saves.sequential.p50)} ms, p99 ${ms(saves.sequential.p99)} ms`,
      target: "–",
      met: "–",
    },
    {
      figure: "Answer save throughput",
      value: `${saves.requestsPerSecond.toFixed(0)} req/s (${saves.okPerSecond.toFixed(0)} saves/s answered 200)`,
      target: "–",
      met: "–",
    },
    {
      figure: "Answer save errors",
      value: `${saves.conflicts + saves.otherErrors} non-200 of ${saves.requests} (${saves.conflicts} × 409 conflict, ${saves.otherErrors} other)`,
      target: "–",
      met: "–",
    },
    {
      figure: "JS referenced by a theme page (gzip -9)",
      value: `${kb(js.referencedGzip)} kB`,
      target: `< ${TARGETS.jsKb} kB`,
      met: met(js.referencedGzip < TARGETS.jsKb * 1000),
    },
    {
      figure: "JS incl. country picker chunk, loaded on demand when a page has a country question",
      value: `${kb(js.withOnDemandGzip)} kB (+${kb(js.onDemandGzip)} kB)`,
      target: `< ${TARGETS.jsKb} kB`,
      met: met(js.withOnDemandGzip < TARGETS.jsKb * 1000),
    },
  ];
}

function printTable(table: Row[]) {
  const headers: Row = { figure: "Figure", value: "Measured", target: "Target", met: "Met" };
  const all = [headers, ...table];
  const width = (k: keyof Row) => Math.max(...all.map((r) => r[k].length));
  const line = (r: Row) => `${r.figure.padEnd(width("figure"))}  ${r.value.padEnd(width("value"))}  ${r.target.padEnd(width("target"))}  ${r.met}`;
  console.log(`\n${line(headers)}\n${"-".repeat(line(headers).length)}`);
  for (const r of table) console.log(line(r));
  console.log("");
}

function assetName(url: string) {
  return new URL(url).pathname;
}

function markdown(pages: PageResult[], saves: SaveResult, js: JsResult, table: Row[], machine: Record<string, string>, when: Date, built: boolean): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  const out: string[] = [];
  out.push("# Performance");
  out.push("");
  out.push(`Figures from \`npm run bench\` (\`tests/bench/run.ts\`), run on ${when.toISOString().slice(0, 10)} at ${when.toISOString().slice(11, 16)} UTC. This file is written by that script: run it again to refresh the figures. The script prints figures and asserts nothing.`);
  out.push("");
  out.push("## Results");
  out.push("");
  out.push("| Figure | Measured | Target | Met |");
  out.push("| --- | --- | --- | --- |");
  for (const r of table) out.push(`| ${cell(r.figure)} | ${cell(r.value)} | ${cell(r.target)} | ${r.met} |`);
  out.push("");
  out.push("Page times are the client's wall time for the whole response over loopback. The save figures come from a saturation test (50 clients saving back to back); see [Answer saves under concurrency](#answer-saves-under-concurrency) for what one save costs and why the two differ.");
  out.push("");
  out.push("## Machine");
  out.push("");
  for (const [k, v] of Object.entries(machine)) out.push(`- ${k}: ${v}`);
  out.push("");
  out.push("The load generator runs on the same machine as the server and competes with it for the same cores, so the figures are conservative for the server and say nothing about network latency.");
  out.push("");
  out.push("## How it is measured");
  out.push("");
  out.push(`\`npm run bench\` ${built ? "builds the app (`npx remix vite:build`; `npm run bench -- --no-build` reuses ./build)" : "reused the existing ./build (`--no-build`)"}, creates a throwaway SQLite database in a temporary directory, runs \`npx tsx app/cli.ts setup\` against it (migrations and demo data), and starts the production server, \`npx remix-serve ./build/server/index.js\` with \`NODE_ENV=production\`, on a loopback port. It waits for \`/healthz\`, signs in as the demo supplier admin (${SUPPLIER_EMAIL}) and starts an assessment, which has no answers yet. At the end it stops the server and deletes the temporary directory.`);
  out.push("");
  out.push("### Theme page render");
  out.push("");
  out.push(`For each of ${PAGE_THEMES.map((t) => `\`/assessments/:id/themes/${t}\``).join(" and ")}: ${PAGE_WARMUP} warm-up requests, then ${PAGE_REQUESTS} sequential GETs with the session cookie. The time is the client's wall time from sending the request to having read the whole (server-rendered, streamed) body over loopback: the server's whole work on the request (loaders, React rendering, streaming the loader data, compression) plus the client's cost of reading it. \`remix-serve\` compresses responses and logs each request, as it does in production.`);
  out.push("");
  out.push("| Page | Measured by | p50 ms | p95 ms | p99 ms | mean ms | max ms |");
  out.push("| --- | --- | --- | --- | --- | --- | --- |");
  for (const p of pages) {
    const line = (by: string, x: Summary) => `| ${p.theme} | ${by} | ${ms(x.p50)} | ${ms(x.p95)} | ${ms(x.p99)} | ${ms(x.mean)} | ${ms(x.max)} |`;
    out.push(line("client, whole body", p.total));
    out.push(line("client, to headers", p.ttfb));
    out.push(line("server log (remix-serve)", p.server));
  }
  out.push("");
  out.push("| Page | non-200 | HTML | HTML gzip -9 | Server-Timing header |");
  out.push("| --- | --- | --- | --- | --- |");
  for (const p of pages) {
    out.push(`| ${p.theme} | ${p.errors} | ${kb(p.htmlBytes)} kB | ${kb(p.htmlGzipBytes)} kB | ${p.serverTiming ? `\`${cell(p.serverTiming)}\`` : "not sent"} |`);
  }
  out.push("");
  for (const p of pages) out.push(`CPU while the ${p.theme} page was requested ${p.total.n} times: ${cpuText(p.cpu)}.`);
  out.push("");
  out.push("\"Server log\" is the response time remix-serve's request log (morgan) records: from the request reaching Express to the response headers being written. The app sends no Server-Timing header, so that is the nearest thing to a server-side figure. Server CPU is the user and system time of the server's processes (all threads, so it includes garbage collection and response compression) read from /proc; the load generator's is this script's own.");
  out.push("");
  out.push("### Answer saves under concurrency");
  out.push("");
  out.push(`${saves.clients} clients run at once, all with the same supplier session on the same assessment (the demo data has few users). Each client makes ${saves.savesPerClient} sequential autosaves (\`POST /assessments/:id/answers\` with JSON \`{questionId, value, baseRevision}\`) to its own question, alternating between two valid values and sending the revision the last save returned as \`baseRevision\`. The questions are the questionnaire's yes/no, single-choice and number questions that show without any other answers (no \`showIf\`): there are ${saves.distinctQuestions}${saves.sharedClients > 0 ? `, fewer than ${saves.clients}, so ${saves.sharedClients} clients share a question in pairs. Each keeps its own revision; when the other saved first the server answers 409 with the conflict and the client carries on from the conflict's revision, as the page's "keep my answer" does` : ""}. Each question is saved once, untimed, before the clients start.`);
  out.push("");
  out.push("| Requests | 200 | 409 conflict | other errors | wall s | requests/s | saves/s (200) |");
  out.push("| --- | --- | --- | --- | --- | --- | --- |");
  out.push(
    `| ${saves.requests} | ${saves.ok} | ${saves.conflicts} | ${saves.otherErrors} | ${saves.wallSeconds.toFixed(2)} | ${saves.requestsPerSecond.toFixed(0)} | ${saves.okPerSecond.toFixed(0)} |`,
  );
  out.push("");
  out.push("| Load | Measured by | p50 ms | p95 ms | p99 ms | mean ms | max ms |");
  out.push("| --- | --- | --- | --- | --- | --- | --- |");
  const line = (load: string, by: string, x: Summary) => `| ${load} | ${by} | ${ms(x.p50)} | ${ms(x.p95)} | ${ms(x.p99)} | ${ms(x.mean)} | ${ms(x.max)} |`;
  out.push(line(`${saves.clients} concurrent clients`, "client", saves.latency));
  out.push(line(`${saves.clients} concurrent clients`, "server log (remix-serve)", saves.server));
  out.push(line(`one client alone, ${saves.sequential.n} saves`, "client", saves.sequential));
  out.push(line(`one client alone, ${saves.sequential.n} saves`, "server log (remix-serve)", saves.sequentialServer));
  out.push("");
  out.push(`CPU during the concurrent run: ${cpuText(saves.cpu)}.`);
  out.push("");
  out.push(
    `Paced run: the same ${saves.clients} clients, each waiting ${PACED_GAP_MS[0]}–${PACED_GAP_MS[1]} ms between saves (the theme page debounces autosave by 600 ms, so a person typing sends at most about one save a second): ${saves.paced.requests} saves in ${saves.paced.wallSeconds.toFixed(1)} s, ${saves.paced.ok} × 200, ${saves.paced.conflicts} × 409, ${saves.paced.otherErrors} other. Client latency p50 ${ms(saves.paced.latency.p50)} ms, p95 ${ms(saves.paced.latency.p95)} ms, p99 ${ms(saves.paced.latency.p99)} ms, max ${ms(saves.paced.latency.max)} ms. This is the figure the target is read against; the back-to-back run above is the saturation limit of one server process.`,
  );
  out.push("");
  out.push(
    `Latency is per request, over all requests (conflicts included), after each client has opened its keep-alive connection. The ${saves.clients} clients send their next save as soon as the last one returns, so this is a saturation test: by Little's law the mean latency is about clients ÷ throughput (${saves.clients} ÷ ${saves.requestsPerSecond.toFixed(0)}/s ≈ ${ms((1000 * saves.clients) / saves.requestsPerSecond)} ms), and most of it is time queued behind the other clients' saves before the server starts on a request, which is why the server log's times are so much shorter. The one-client rows, measured just before on the same assessment, show what a single save costs.`,
  );
  if (saves.errorSamples.length > 0) {
    out.push("");
    out.push("Sample errors:");
    out.push("");
    for (const e of saves.errorSamples) out.push(`- \`${cell(e)}\``);
  }
  out.push("");
  out.push("### JavaScript a supplier downloads for a theme page");
  out.push("");
  out.push(`The \`${js.page}\` theme page's HTML is scanned for \`<script src>\`, \`<link rel="modulepreload">\` and the module URLs imported by its inline module script; each file is downloaded from the server and gzipped with node:zlib at level 9 (kB = 1000 bytes).${js.unreferencedStatic.length > 0 ? " Modules those import statically but the HTML does not name are added, since the browser loads them too." : " Every module those import statically is already named in the HTML."} The country picker's \`accessible-autocomplete\` chunk (from \`build/client/assets/\`) is loaded with \`import()\` only when a page has a country question, so it is counted separately. Stylesheets, fonts and images are not counted.`);
  out.push("");
  out.push("| File | How it is loaded | Size | gzip -9 |");
  out.push("| --- | --- | --- | --- |");
  for (const f of [...js.referenced, ...js.unreferencedStatic]) out.push(`| \`${assetName(f.url)}\` | ${f.via} | ${kb(f.bytes)} kB | ${kb(f.gzipBytes)} kB |`);
  out.push(`| **Referenced by the page** | | **${kb(js.referencedRaw)} kB** | **${kb(js.referencedGzip)} kB** |`);
  for (const f of js.onDemand) out.push(`| \`${assetName(f.url)}\` | ${f.via} | ${kb(f.bytes)} kB | ${kb(f.gzipBytes)} kB |`);
  out.push(`| **With the on-demand chunk** | | | **${kb(js.withOnDemandGzip)} kB** |`);
  out.push("");
  return out.join("\n");
}

// ---- main --------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const build = !process.argv.includes("--no-build");
  const t0 = performance.now();

  if (build) {
    console.log("Building (npx remix vite:build)…");
    await run("npx", ["remix", "vite:build"], { ...process.env, NODE_ENV: "production" });
    console.log(`  built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } else if (!existsSync(join(ROOT, "build/server/index.js"))) {
    throw new Error("--no-build given but build/server/index.js does not exist: run without --no-build");
  }

  tempDir = mkdtempSync(join(os.tmpdir(), "lantern-bench-"));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: join(tempDir, "lantern.sqlite"),
    SESSION_SECRET_FILE: join(tempDir, "session-secret"),
    PORT: String(port),
    HOST: "127.0.0.1",
  };
  delete env.SESSION_SECRET; // the secret file in the temp dir is the one both processes use
  console.log(`Setting up a throwaway database in ${tempDir}…`);
  await run("npx", ["tsx", "app/cli.ts", "setup"], env);

  console.log(`Starting remix-serve on port ${port}…`);
  server = spawn("npx", ["remix-serve", "./build/server/index.js"], {
    cwd: ROOT,
    env: { ...env, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, so npx and the server it starts stop together
  });
  server.stdout!.on("data", keepLog);
  server.stderr!.on("data", keepLog);
  await waitForHealth(30_000);

  const loadBefore = os.loadavg().map((l) => l.toFixed(2)).join(", ");
  const others = await otherCpuPercent();
  if (others !== undefined && others > 10) console.log(`  note: other processes are using ${others.toFixed(0)}% of the machine's CPU; the figures will be pessimistic`);
  cookie = await signIn(SUPPLIER_EMAIL);
  const assessmentId = await startAssessment();
  console.log(`Signed in as ${SUPPLIER_EMAIL}; assessment ${assessmentId}.`);

  const pages: PageResult[] = [];
  for (const theme of PAGE_THEMES) {
    console.log(`Page render: ${PAGE_WARMUP} warm-up + ${PAGE_REQUESTS} GET /assessments/:id/themes/${theme}…`);
    const p = await benchPage(assessmentId, theme);
    pages.push(p);
    console.log(`  p50 ${ms(p.total.p50)} ms, p95 ${ms(p.total.p95)} ms, p99 ${ms(p.total.p99)} ms (server log p50 ${ms(p.server.p50)} ms); Server-Timing: ${p.serverTiming ?? "not sent"}`);
    console.log(`  ${cpuText(p.cpu)}`);
  }

  console.log(`JavaScript for the ${pages[0]!.theme} page…`);
  const js = await measureJs(pages[0]!, assessmentId);
  for (const f of [...js.referenced, ...js.unreferencedStatic, ...js.onDemand]) console.log(`  ${assetName(f.url).padEnd(48)} ${kb(f.bytes).padStart(7)} kB  gzip ${kb(f.gzipBytes).padStart(6)} kB  (${f.via})`);
  if (!js.onDemandLinkedFromRoute) console.log("  note: no referenced module names the accessible-autocomplete chunk");

  console.log(`Answer saves: ${SAVE_CLIENTS} concurrent clients × ${SAVES_PER_CLIENT} saves…`);
  const saves = await benchSaves(assessmentId);
  console.log(`  one client alone: p50 ${ms(saves.sequential.p50)} ms, p99 ${ms(saves.sequential.p99)} ms (server log p50 ${ms(saves.sequentialServer.p50)} ms)`);
  console.log(`  ${saves.requests} requests in ${saves.wallSeconds.toFixed(2)} s: ${saves.ok} × 200, ${saves.conflicts} × 409, ${saves.otherErrors} other errors`);
  console.log(`  p50 ${ms(saves.latency.p50)} ms, p95 ${ms(saves.latency.p95)} ms, p99 ${ms(saves.latency.p99)} ms (server log p50 ${ms(saves.server.p50)}, p99 ${ms(saves.server.p99)} ms)`);
  console.log(`  ${cpuText(saves.cpu)}`);
  console.log(`  paced (each client about one save a second): ${saves.paced.requests} saves in ${saves.paced.wallSeconds.toFixed(1)} s, p50 ${ms(saves.paced.latency.p50)} ms, p99 ${ms(saves.paced.latency.p99)} ms, ${saves.paced.conflicts} × 409, ${saves.paced.otherErrors} other errors`);
  for (const e of saves.errorSamples) console.log(`  error: ${e}`);

  const when = new Date();
  const cpus = os.cpus();
  const machine = {
    CPU: `${cpus[0]?.model ?? "unknown"}, ${cpus.length} cores`,
    Memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    OS: `${os.type()} ${os.release()} (${os.arch()})`,
    Node: process.version,
    "Before measuring": `load average ${loadBefore} (1, 5, 15 min, including this script's own build and setup); other processes used ${others !== undefined ? `${others.toFixed(0)}%` : "an unknown share"} of the machine's CPU in the second before the first request`,
    Database: "SQLite (better-sqlite3, WAL), file in a temporary directory",
  };
  const table = rows(pages, saves, js);
  printTable(table);
  console.log(`Machine: ${machine.CPU}; ${machine.Memory}; Node ${machine.Node}`);

  mkdirSync(join(ROOT, "docs"), { recursive: true });
  writeFileSync(DOC, markdown(pages, saves, js, table, machine, when, build));
  console.log(`Wrote ${DOC} (total run ${((performance.now() - t0) / 1000).toFixed(0)} s).`);
}

main()
  .then(async () => {
    await cleanup();
    process.exit(0);
  })
  .catch(async (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    await cleanup();
    process.exit(1);
  });
