/**
 * docs/performance.md: each part of the benchmark owns a block between `<!-- bench:PART:start -->`
 * and `<!-- bench:PART:end -->` and rewrites only its own block, so running one part refreshes its
 * figures and leaves the others (and the hand-written text outside the blocks) alone.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { type CrashResult, submissionCheckText } from "./crash";
import { dbLabel } from "./lib/context";
import { DOC_FILE } from "./lib/paths";
import { countsText, kb, mb, ms, sleep, type Summary } from "./lib/stats";
import { type LoadResult, memoryText } from "./load";
import { type NavResult, waterfall } from "./nav-result";
import { cpuText, PAGE_REQUESTS, PAGE_THEMES, PAGE_WARMUP, type PagesResult } from "./pages";
import { answerCheckText } from "./verify";
import { type RegisterResult, registerBlock } from "./register";
import { type StatisticsResult, statisticsBlock } from "./statistics";

export const TARGETS = { pageP50Ms: 20, saveP99Ms: 50, jsKb: 150, navMs: 600, navRoundTrips: 2, rssMiB: 250 };

export function machineInfo(loadBefore: string, others: number | undefined): Record<string, string> {
  const cpus = os.cpus();
  return {
    CPU: `${cpus[0]?.model ?? "unknown"}, ${cpus.length} cores`,
    Memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    OS: `${os.type()} ${os.release()} (${os.arch()})`,
    Node: process.version,
    "Before measuring": `load average ${loadBefore} (1, 5, 15 min, including this script's own build); other processes used ${others !== undefined ? `${others.toFixed(0)}%` : "an unknown share"} of the machine's CPU in the second before the first part`,
  };
}

/** Share of the whole machine's CPU (0–100) used over one second by processes other than this one; undefined without /proc. */
export async function otherCpuPercent(): Promise<number | undefined> {
  if (!existsSync("/proc/stat")) return undefined;
  const machine = () => {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
    return { idle: fields[3]! + fields[4]!, total: fields.reduce((a, b) => a + b, 0) };
  };
  const m0 = machine();
  const c0 = process.cpuUsage();
  await sleep(1000);
  const m1 = machine();
  const own = process.cpuUsage(c0);
  const busy = m1.total - m0.total - (m1.idle - m0.idle) - (own.user + own.system) / 1e4;
  return Math.max(0, (100 * busy) / Math.max(1, m1.total - m0.total));
}

export type Report = { pages: PagesResult[]; loads: LoadResult[]; crashes: CrashResult[]; nav?: NavResult; registers?: RegisterResult[]; statistics?: StatisticsResult[]; machine: Record<string, string>; when: Date; args: string[] };

const cell = (s: string) => s.replace(/\|/g, "\\|");
const yes = (ok: boolean) => (ok ? "yes" : "**no**");
const stamp = (r: Report) => `_Measured ${r.when.toISOString().slice(0, 16).replace("T", " ")} UTC with \`npm run bench${r.args.length ? ` -- ${r.args.join(" ")}` : ""}\` on the machine described under “Machine”._`;

function summaryRow(by: string, s: Summary): string {
  return `| ${by} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} | ${ms(s.mean)} | ${ms(s.max)} |`;
}

function machineBlock(r: Report): string[] {
  return ["## Machine (latest run)", "", ...Object.entries(r.machine).map(([k, v]) => `- ${k}: ${v}`), "", "The load generator, Chromium and the server share these cores, so the figures are conservative for the server; every part talks to 127.0.0.1 only."];
}

function loadBlock(r: Report): string[] {
  const out = ["## Load: suppliers autosaving", "", stamp(r), ""];
  out.push(`| Database | Suppliers × s | Saves | Saves/s | p50 ms | p95 ms | p99 ms | max ms | Target p99 < ${TARGETS.saveP99Ms} ms | By status | Server peak RSS | Target < ${TARGETS.rssMiB} MiB | Acknowledged saves in the database |`);
  out.push("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const l of r.loads) {
    const v = l.verification;
    const intact = v.wrongValue + v.wrongRevision + v.missing === 0;
    out.push(
      `| ${dbLabel(l.db)} | ${l.clients} × ${l.seconds}${l.paceMs !== 1000 ? ` (a save every ${l.paceMs} ms)` : ""} | ${l.requests} | ${l.requestsPerSecond.toFixed(1)} | ${ms(l.latency.p50)} | ${ms(l.latency.p95)} | ${ms(l.latency.p99)} | ${ms(l.latency.max)} | ${yes(l.latency.p99 < TARGETS.saveP99Ms)} | ${cell(countsText(l.byStatus))} | ${mb(l.rss.peakKib)} MiB | ${yes(l.rss.peakKib / 1024 < TARGETS.rssMiB)} | ${intact ? "all" : "**not all**"} (${v.matched} of ${v.answersChecked}) |`,
    );
  }
  out.push("");
  for (const l of r.loads) {
    out.push(`**${dbLabel(l.db)}.** Server log (morgan) p50 ${ms(l.serverLog.p50)} ms, p99 ${ms(l.serverLog.p99)} ms. ${l.cpu.serverSeconds !== undefined ? `Server CPU ${l.cpu.serverSeconds.toFixed(1)} s over ${l.wallSeconds.toFixed(0)} s (${((100 * l.cpu.serverSeconds) / l.wallSeconds).toFixed(0)}% of one core); ` : ""}load generator ${l.cpu.clientSeconds.toFixed(1)} s. Server RSS: ${mb(l.rss.idleKib)} MiB idle after start, ${mb(l.rss.afterSignInKib)} MiB after the ${l.clients} sign-ins, peak ${mb(l.rss.peakKib)} MiB, ${mb(l.rss.endKib)} MiB at the end.${l.memory ? ` ${memoryText(l.memory)[0]!.toUpperCase()}${memoryText(l.memory).slice(1)}.` : ""}${l.memory?.loopDelayMaxMs !== undefined ? ` Server event-loop delay (10 ms resolution): worst ${ms(l.memory.loopDelayMaxMs)} ms, worst one-second p99 ${ms(l.memory.loopDelayP99WorstMs)} ms.` : ""} Check: ${answerCheckText(l.verification)}.${l.nodeArgs.length || Object.keys(l.serverEnv).length || l.entry !== "tsx" ? ` Server started with ${[l.entry !== "tsx" ? "an esbuild bundle instead of tsx" : "", ...l.nodeArgs, ...Object.entries(l.serverEnv).map(([k, v]) => `${k}=${v}`)].filter(Boolean).join(" ")}.` : ""}`);
    for (const e of l.errorSamples) out.push(`- error: \`${cell(e)}\``);
    if (l.heap) out.push("", "```", ...l.heap.lines, "```");
    out.push("");
  }
  out.push(
    "How: before the server starts, the benchmark writes N supplier organisations, each with one admin account, into a freshly set-up database (`app/cli.ts setup`); each supplier then signs in and starts its assessment through the app (untimed). Each client then autosaves like the theme page does: one `POST /assessments/:id/answers` at a time (JSON `{questionId, value, baseRevision}`, `Origin` set to the server's origin) to its own assessment, cycling through the yes/no, single-choice and number questions of the current questionnaire that show without other answers, alternating between two values, each save sent about a second (0.8–1.2 s) after the last one started. Latency is the client's, per request over loopback. Afterwards the `answer` table is read back: for every question the value and revision stored must be those of the last save answered 200. RSS is `VmRSS` of the node server process itself (spawned as `node --import tsx app/http/server.ts`, no npm/npx wrapper), sampled every 200 ms; the memory probe (`tests/bench/memprobe.mjs`, loaded only by the benchmark) prints `process.memoryUsage()` once a second.",
  );
  return out;
}

function crashBlock(r: Report): string[] {
  const out = ["## Crash: SIGKILL during saves and submissions", "", stamp(r), ""];
  out.push("| Database | Kills (in flight: saves / submissions) | Saves sent / acknowledged / retried | Submissions | Acknowledged saves intact | Audit lines match revisions | Submissions intact | Saves answered 200 but not in the submission | SQLite integrity_check |");
  out.push("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const c of r.crashes) {
    const a = c.answers;
    out.push(
      `| ${dbLabel(c.db)} | ${c.kills.map((k) => `${k.atSeconds.toFixed(1)} s (${k.savesInFlight} / ${k.submissionsInFlight})`).join(", ")} | ${c.saves.sent} / ${c.saves.acknowledged} / ${c.saves.retries} | ${cell(countsText(c.submissions.outcomes))} | ${a.matched} of ${a.answersChecked}${a.unacknowledgedButWritten ? ` (+${a.unacknowledgedButWritten} unanswered but written)` : ""} | ${c.audit.consistent} of ${c.audit.answers} | ${c.submissionCheck.intact} of ${c.submissionCheck.checked} | ${c.submissionCheck.acknowledgedNotSubmitted ? `**${c.submissionCheck.acknowledgedNotSubmitted}**` : "0"} | ${c.sqlite ? `${cell(c.sqlite.integrity)}; ${c.sqlite.foreignKeyViolations} foreign-key violations` : "n/a"} |`,
    );
  }
  out.push("");
  for (const c of r.crashes) {
    out.push(`**${dbLabel(c.db)}.** ${c.clients} savers for ${c.wallSeconds.toFixed(0)} s; save status ${cell(countsText(c.saves.byStatus))}; submission status ${cell(countsText(c.submissions.byStatus))}. Restarts took ${c.kills.map((k) => `${k.restartSeconds.toFixed(1)} s`).join(", ")}. ${answerCheckText(c.answers)}. ${submissionCheckText(c.submissionCheck)}.${c.submissionCheck.acknowledgedNotSubmitted > 0 || c.submissionCheck.savesAfterSubmission > 0 ? ` **On ${c.submissionCheck.acknowledgedNotSubmitted} of ${c.submissionCheck.checked} submitted assessments the answer holds a save answered 200 that the submission does not; ${c.submissionCheck.savesAfterSubmission} answer changes were written after their assessment's submission** (audit-log order). Written after: the save found the assessment a draft before its transaction and wrote once the submission had committed. Written before: the submission read the answers before its own transaction.` : " No answer was acknowledged without being in its submission."}`);
    for (const s of [...c.answers.samples, ...c.audit.samples, ...c.submissionCheck.samples]) out.push(`- \`${cell(s)}\``);
    for (const s of c.submissions.refusals) out.push(`- submission refused: \`${cell(s)}\``);
    out.push("");
  }
  out.push(
    "How: N suppliers (own organisation, account and assessment each) save back to back; 9 more suppliers have their assessments filled in completely (straight into the database) while one client keeps changing one answer on each (a question no condition refers to). Three times, after a 1.5–3 s burst, the server process group is sent SIGKILL: one submission (`POST /assessments/:id/check`, a form post) goes early in each burst and two 0–20 ms before the kill, so they are in flight. The server is restarted on the same port 300 ms later. A request that got no reply (connection refused or reset, timeout, 5xx) is retried every 100 ms with the same value and base revision, as the page's autosave does, until the server answers; a submission whose retry is answered 409 (already submitted) was accepted before the crash. Two seconds after the third restart the clients stop, the server is stopped, and the database is read: every answer's value and revision against the last save answered 200; every saved answer's revision against its number of audit-log lines (one per write, in the same transaction); every accepted submission has exactly one submission row, a non-draft assessment, frozen answers equal to those filled in and a result that parses; on SQLite `PRAGMA integrity_check` and `PRAGMA foreign_key_check`.",
  );
  return out;
}


function navBlock(r: Report): string[] {
  const n = r.nav!;
  const out = ["## Navigation in Chromium", "", stamp(r), ""];
  out.push(`Headless Chromium ${n.chromium} (playwright-core) with ${n.latencyMs} ms added to every request (CDP \`Network.emulateNetworkConditions\`, no bandwidth limit) and the CPU slowed ${n.cpuSlowdown}× (CDP \`Emulation.setCPUThrottlingRate\`), against the production server on SQLite. Time runs from the click (dispatched in the page) to the first animation frame after the destination's \`<h1>\` entered the document. Requests are those started between the two, in order.`);
  out.push("");
  out.push(`| Navigation | Time | Target < ${TARGETS.navMs} ms | Round trips in between | Target ≤ ${TARGETS.navRoundTrips} | Full page load |`);
  out.push("| --- | --- | --- | --- | --- | --- |");
  for (const t of n.transitions) {
    const label = t.kind === "save-and-continue" ? `“Save and continue”, ${t.from} → ${t.to}` : `task list link → ${t.to}`;
    out.push(`| ${label} | ${t.ms} ms | ${yes(t.ms < TARGETS.navMs)} | ${t.roundTrips}${t.requests.length > t.roundTrips ? ` (+${t.requests.length - t.roundTrips} from cache)` : ""} | ${yes(t.roundTrips <= TARGETS.navRoundTrips)} | ${t.fullPageLoad ? "yes" : "no"} |`);
  }
  out.push("");
  out.push("Requests (start → end, ms after the click):");
  out.push("");
  for (const t of n.transitions) {
    out.push(`${t.kind === "save-and-continue" ? `“Save and continue” ${t.from} → ${t.to}` : `Task list → ${t.to}`} (${t.ms} ms):`, "", "```", ...waterfall(t.requests), "```", "");
  }
  const c = n.cold;
  out.push(`**First load of a theme page, cold cache** (\`${c.url}\`, signed in by cookie): ${c.requests.length} requests (${countsText(countBy(c.requests.map((q) => q.type)))}), ${kb(c.transferBytes)} kB of response bodies; heading shown after ${c.headingMs} ms, load event after ${c.loadEventMs} ms, network quiet after ${c.idleMs} ms.`);
  out.push("", "```", ...waterfall(c.requests), "```");
  return out;
}

function countBy(items: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(i, (m.get(i) ?? 0) + 1);
  return m;
}

function pagesBlock(r: Report): string[] {
  const out = ["## Pages, saves at saturation, JavaScript", "", stamp(r), ""];
  out.push("| Figure | Database | Measured | Target | Met |", "| --- | --- | --- | --- | --- |");
  for (const p of r.pages) {
    for (const page of p.pages) out.push(`| Theme page render p50 (${page.theme}) | ${dbLabel(p.db)} | ${ms(page.total.p50)} ms (p95 ${ms(page.total.p95)}, p99 ${ms(page.total.p99)}) | < ${TARGETS.pageP50Ms} ms | ${yes(page.total.p50 < TARGETS.pageP50Ms)} |`);
    const s = p.saves;
    out.push(`| Answer save, one client alone | ${dbLabel(p.db)} | p50 ${ms(s.sequential.p50)} ms, p99 ${ms(s.sequential.p99)} ms | – | – |`);
    out.push(`| Answer save p99 at saturation (${s.clients} clients back to back) | ${dbLabel(p.db)} | ${ms(s.latency.p99)} ms (p50 ${ms(s.latency.p50)}; ${(s.requests / s.cpu.wallSeconds).toFixed(0)} saves/s; ${s.conflicts} × 409, ${s.otherErrors} other errors) | – | – |`);
  }
  const js = r.pages[0]?.js;
  if (js) {
    out.push(`| JS referenced by a theme page (gzip -9) | – | ${kb(js.referencedGzip)} kB | < ${TARGETS.jsKb} kB | ${yes(js.referencedGzip < TARGETS.jsKb * 1000)} |`);
    out.push(`| JS incl. the country picker chunk (on demand) | – | ${kb(js.withOnDemandGzip)} kB (+${kb(js.onDemandGzip)} kB) | < ${TARGETS.jsKb} kB | ${yes(js.withOnDemandGzip < TARGETS.jsKb * 1000)} |`);
  }
  out.push("");
  out.push("| Page | Database | Measured by | p50 ms | p95 ms | p99 ms | mean ms | max ms |", "| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const p of r.pages) {
    for (const page of p.pages) {
      for (const [by, s] of [["client, whole body", page.total], ["client, to headers", page.ttfb], ["server log (morgan)", page.server]] as const) out.push(summaryRow(`${page.theme} | ${dbLabel(p.db)} | ${by}`, s));
    }
  }
  out.push("");
  for (const p of r.pages) for (const page of p.pages) out.push(`- ${dbLabel(p.db)}, ${page.theme}: ${page.errors} non-200; HTML ${kb(page.htmlBytes)} kB (${kb(page.htmlGzipBytes)} kB gzip -9); Server-Timing ${page.serverTiming ? `\`${cell(page.serverTiming)}\`` : "not sent"}; ${cpuText(page.cpu)}.`);
  out.push("");
  out.push("| Saves | Database | Measured by | p50 ms | p95 ms | p99 ms | mean ms | max ms |", "| --- | --- | --- | --- | --- | --- | --- | --- |");
  for (const p of r.pages) {
    const s = p.saves;
    out.push(summaryRow(`${s.clients} clients back to back | ${dbLabel(p.db)} | client`, s.latency));
    out.push(summaryRow(`${s.clients} clients back to back | ${dbLabel(p.db)} | server log`, s.server));
    out.push(summaryRow(`one client alone, ${s.sequential.n} saves | ${dbLabel(p.db)} | client`, s.sequential));
    out.push(summaryRow(`one client alone, ${s.sequential.n} saves | ${dbLabel(p.db)} | server log`, s.sequentialServer));
  }
  out.push("");
  for (const p of r.pages) out.push(`- ${dbLabel(p.db)}, ${p.saves.clients} clients: ${p.saves.requests} saves, ${p.saves.ok} × 200, ${p.saves.conflicts} × 409, ${p.saves.otherErrors} other; ${cpuText(p.saves.cpu)}.`);
  out.push("");
  out.push(
    `How: the demo supplier admin signs in and starts an assessment. Pages: for each of ${PAGE_THEMES.map((t) => `\`/assessments/:id/themes/${t}\``).join(" and ")}, ${PAGE_WARMUP} warm-up GETs, then ${PAGE_REQUESTS} sequential GETs; the time is the client's wall time for the whole (compressed, streamed) response over loopback. "Server log" is morgan's response time (request reaching Express to headers written). Saves: one client alone saves one question 200 times; then 50 clients share the session and assessment, each saving back to back to its own question (there are about 30 such questions, so some pairs share one and a lost race answers 409; the client carries on from the conflict's revision). That run has no pauses, so it is the saturation limit of one server process: by Little's law its latency is mostly queueing (clients ÷ throughput); the paced figures are in the load run above. JavaScript: the theme page's \`<script src>\`, \`modulepreload\` links and inline module imports, plus their static imports, gzipped at level 9 (kB = 1000 bytes); the country picker's \`accessible-autocomplete\` chunk loads with \`import()\` only on pages with a country question.`,
  );
  if (js) {
    out.push("", "| File | How it is loaded | Size | gzip -9 |", "| --- | --- | --- | --- |");
    for (const f of [...js.referenced, ...js.onDemand]) out.push(`| \`${new URL(f.url).pathname}\` | ${f.via} | ${kb(f.bytes)} kB | ${kb(f.gzipBytes)} kB |`);
    out.push(`| **Referenced by the page** | | **${kb(js.referencedRaw)} kB** | **${kb(js.referencedGzip)} kB** |`);
  }
  return out;
}

const BLOCK_ORDER = ["machine", "load", "crash", "nav", "pages", "register", "statistics"] as const;
type BlockName = (typeof BLOCK_ORDER)[number];

const marker = (name: string, edge: "start" | "end") => `<!-- bench:${name}:${edge} -->`;

/** Replace each named block in the document (appending it if missing) and write the file. */
export function writeReport(r: Report): string {
  const blocks = new Map<BlockName, string[]>([["machine", machineBlock(r)]]);
  if (r.loads.length) blocks.set("load", loadBlock(r));
  if (r.crashes.length) blocks.set("crash", crashBlock(r));
  if (r.nav) blocks.set("nav", navBlock(r));
  if (r.pages.length) blocks.set("pages", pagesBlock(r));
  if (r.registers?.length) blocks.set("register", registerBlock(r.registers, r.when));
  if (r.statistics?.length) blocks.set("statistics", statisticsBlock(r.statistics, r.when));
  let doc = existsSync(DOC_FILE) ? readFileSync(DOC_FILE, "utf8") : "# Performance\n";
  for (const [name, lines] of blocks) {
    const text = `${marker(name, "start")}\n${lines.join("\n")}\n${marker(name, "end")}`;
    const start = doc.indexOf(marker(name, "start"));
    const end = doc.indexOf(marker(name, "end"));
    if (start >= 0 && end > start) doc = doc.slice(0, start) + text + doc.slice(end + marker(name, "end").length);
    else doc = `${doc.trimEnd()}\n\n${text}\n`;
  }
  writeFileSync(DOC_FILE, doc.endsWith("\n") ? doc : `${doc}\n`);
  return DOC_FILE;
}
