/**
 * Load run: N suppliers, each its own organisation, account and draft assessment, autosave answers
 * about once a second each for D seconds. Afterwards every acknowledged save (HTTP 200 with a
 * revision) is checked against the `answer` table: the value and revision stored must be those of
 * the last acknowledged save of each question. Prints throughput, latency, errors by status and the
 * server process's peak RSS (with the V8 heap beside it when the memory probe is on).
 */
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { analyseHeapSnapshot, type HeapSummary } from "./heap";
import { type Context, dbLabel } from "./lib/context";
import { createSuppliers, createTarget, type DbChoice, openDb, setupDatabase } from "./lib/database";
import { inParallel, Supplier } from "./lib/http";
import { AppServer, freePort, type MemorySample, RssSampler } from "./lib/server";
import { countsText, increment, latencyText, mb, mib, ms, seededRandom, sleep, summarise, type Summary } from "./lib/stats";
import { saveableQuestions } from "./questions";
import { type AnswerCheck, answerCheckText, checkAnswers, newLedger, recordAck, recordUncertain } from "./verify";

/** `paceMs`: the gap between one client's saves (±20%); 1000 is autosave's "about once a second". */
export type LoadOptions = { clients: number; seconds: number; paceMs?: number };

export type LoadResult = {
  db: DbChoice;
  clients: number;
  seconds: number;
  paceMs: number;
  wallSeconds: number;
  requests: number;
  acknowledged: number;
  byStatus: Map<string, number>;
  errorSamples: string[];
  requestsPerSecond: number;
  acknowledgedPerSecond: number;
  latency: Summary;
  serverLog: Summary;
  cpu: { serverSeconds?: number; clientSeconds: number };
  rss: { idleKib?: number; afterSignInKib?: number; peakKib: number; endKib?: number; samples: Array<{ t: number; kib: number }> };
  /** Memory probe sample nearest the RSS peak, and the largest heap seen. */
  memory?: { atPeak: MemorySample; maxHeapUsed: number; maxExternal: number; samples: number; loopDelayMaxMs?: number; loopDelayP99WorstMs?: number };
  heap?: HeapSummary;
  verification: AnswerCheck;
  nodeArgs: string[];
  serverEnv: Record<string, string>;
  entry: "tsx" | "bundle";
};

export async function runLoad(ctx: Context, kind: DbChoice, options: LoadOptions): Promise<LoadResult> {
  const { clients, seconds } = options;
  const pace = options.paceMs ?? 1000;
  console.log(`\nLoad run on ${dbLabel(kind)}: ${clients} suppliers autosaving ${pace === 1000 ? "about once a second" : `every ${pace} ms or so`} for ${seconds} s`);
  const target = await createTarget(kind, ctx.tempDir, "load", ctx.postgresUrl);
  await setupDatabase(target, ctx.env);
  const { db, close } = openDb(target);
  const suppliers = await createSuppliers(db, clients, "load");
  console.log(`  created ${clients} supplier organisations and accounts in the database`);

  const nodeArgs = [...ctx.nodeArgs, ...(ctx.heapSnapshot ? ["--heapsnapshot-signal=SIGUSR2"] : [])];
  const server = await AppServer.start({
    cwd: ctx.appDir,
    port: await freePort(),
    env: { ...ctx.env, ...target.env, ...ctx.serverEnv },
    nodeArgs,
    memprobeMs: ctx.memprobeMs,
    entry: ctx.entry,
  });
  try {
    const idleKib = server.rssKib();
    // Each supplier signs in and starts its assessment through the app (untimed).
    const sessions = await inParallel(suppliers, 8, async (s) => {
      const client = new Supplier(server.base, s.email);
      await client.signIn();
      return { client, assessmentId: await client.startAssessment() };
    });
    const afterSignInKib = server.rssKib();
    console.log(`  ${clients} suppliers signed in and started an assessment; server RSS ${mb(idleKib)} MiB idle, ${mb(afterSignInKib)} MiB now`);

    const questions = saveableQuestions();
    const ledgers = sessions.map((s) => newLedger(s.assessmentId));
    const byStatus = new Map<string, number>();
    const latencies: number[] = [];
    const errorSamples: string[] = [];
    let requests = 0;
    let acknowledged = 0;

    const sampler = new RssSampler(server, 200);
    const memoryFrom = server.memory.length;
    const logFrom = server.requestLog.length;
    const cpu0 = server.cpuSeconds();
    const client0 = process.cpuUsage();
    const t0 = performance.now();
    const deadline = t0 + seconds * 1000;
    let snapshotTaken = false;

    const run = async (i: number) => {
      const { client, assessmentId } = sessions[i]!;
      const ledger = ledgers[i]!;
      const random = seededRandom(1000 + i);
      let k = i % questions.length;
      await sleep(random() * pace); // spread the first saves over one gap
      while (performance.now() < deadline) {
        const sentAt = performance.now();
        const { question, values } = questions[k++ % questions.length]!;
        const last = ledger.acked.get(question.id);
        const value = last && last.value === values[0] ? values[1] : values[0];
        const baseRevision = last?.revision ?? 0;
        const reply = await client.saveAnswer(assessmentId, question.id, value, baseRevision);
        requests += 1;
        increment(byStatus, String(reply.status));
        if (typeof reply.status === "number") latencies.push(reply.elapsed);
        if (reply.status === 200 && reply.revision !== undefined) {
          acknowledged += 1;
          recordAck(ledger, question.id, value, reply.revision);
        } else {
          // no reply: it may have been written; the check allows for that (this run does not retry)
          if (reply.status === "network" || reply.status === "timeout" || reply.status >= 500) recordUncertain(ledger, question.id, value, baseRevision);
          if (errorSamples.length < 8) errorSamples.push(`${question.id}: ${reply.status} ${reply.text.slice(0, 160)}`);
        }
        // Autosave sends one save at a time: wait for the reply, then about a second from the last send.
        const nextAt = sentAt + pace * (0.8 + random() * 0.4);
        const wait = nextAt - performance.now();
        if (wait > 0) await sleep(wait);
      }
    };

    let died = false;
    const progress = setInterval(() => {
      const elapsed = (performance.now() - t0) / 1000;
      if (!server.running && !died) {
        died = true;
        console.log(`  THE SERVER EXITED (${server.child.exitCode ?? server.child.signalCode}) during the run; its last output:\n${server.tail(40)}`);
      }
      if (ctx.heapSnapshot && !snapshotTaken && elapsed > seconds / 2) {
        snapshotTaken = true;
        server.signal("SIGUSR2");
        console.log("  heap snapshot requested (SIGUSR2); the server pauses while it writes it");
      }
      if (Math.round(elapsed) % 10 === 0) console.log(`  ${elapsed.toFixed(0)} s: ${requests} saves, ${acknowledged} acknowledged, RSS ${mb(sampler.sample())} MiB`);
    }, 1000);
    try {
      await Promise.all(sessions.map((_, i) => run(i)));
    } finally {
      clearInterval(progress);
    }
    const wallSeconds = (performance.now() - t0) / 1000;
    const rss = sampler.stop();
    const cpu1 = server.cpuSeconds();
    const clientCpu = process.cpuUsage(client0);
    const serverLog = summarise(await server.loggedTimes(logFrom, "POST", "/answers", requests));
    await sleep(1100); // one more memory probe line
    const memorySamples = server.memory.slice(memoryFrom);
    if (process.env.BENCH_MEM_SERIES === "1") {
      // the whole series, for the RSS investigation: seconds, rss, heap committed/used, old and new space, external (MiB)
      for (const m of server.memory) console.log(`  mem ${(m.t / 1000).toFixed(0).padStart(4)} s rss ${mib(m.rss)} heap ${mib(m.heapTotal)}/${mib(m.heapUsed)} old ${mib(m.spaces.old_space)} new ${mib(m.spaces.new_space)} ext ${mib(m.external)} loop delay max ${ms(m.loopDelay?.max)} ms`);
    }

    const verification = await checkAnswers(db, ledgers);

    let heap: HeapSummary | undefined;
    if (ctx.heapSnapshot) {
      const file = await waitForSnapshot(ctx.appDir);
      if (file) {
        heap = analyseHeapSnapshot(file);
        rmSync(file, { force: true });
      } else console.log("  no heap snapshot was written");
    }

    const result: LoadResult = {
      db: kind,
      clients,
      seconds,
      paceMs: pace,
      wallSeconds,
      requests,
      acknowledged,
      byStatus,
      errorSamples,
      requestsPerSecond: requests / wallSeconds,
      acknowledgedPerSecond: acknowledged / wallSeconds,
      latency: summarise(latencies),
      serverLog,
      cpu: { serverSeconds: cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined, clientSeconds: (clientCpu.user + clientCpu.system) / 1e6 },
      rss: { idleKib, afterSignInKib, peakKib: rss.peakKib, endKib: rss.lastKib, samples: sampler.samples },
      memory: memorySummary(memorySamples, rss.peakKib),
      heap,
      verification,
      nodeArgs,
      serverEnv: ctx.serverEnv,
      entry: ctx.entry,
    };
    printLoad(result);
    return result;
  } finally {
    await server.stop();
    await close();
    await target.drop();
  }
}

function memorySummary(samples: MemorySample[], peakKib: number): LoadResult["memory"] {
  if (samples.length === 0) return undefined;
  // the probe reports the same process's rss: take its line nearest the sampled peak
  const atPeak = samples.reduce((best, s) => (Math.abs(s.rss / 1024 - peakKib) < Math.abs(best.rss / 1024 - peakKib) ? s : best), samples[0]!);
  return {
    atPeak,
    maxHeapUsed: Math.max(...samples.map((s) => s.heapUsed)),
    maxExternal: Math.max(...samples.map((s) => s.external)),
    samples: samples.length,
    loopDelayMaxMs: samples.some((s) => s.loopDelay) ? Math.max(...samples.map((s) => s.loopDelay?.max ?? 0)) : undefined,
    loopDelayP99WorstMs: samples.some((s) => s.loopDelay) ? Math.max(...samples.map((s) => s.loopDelay?.p99 ?? 0)) : undefined,
  };
}

async function waitForSnapshot(dir: string): Promise<string | undefined> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const file = readdirSync(dir).find((f) => f.endsWith(".heapsnapshot"));
    if (file) {
      // written when the server has closed it: wait until its size stops growing
      await sleep(2000);
      return join(dir, file);
    }
    await sleep(500);
  }
  return undefined;
}

export function memoryText(m: NonNullable<LoadResult["memory"]>): string {
  const s = m.atPeak;
  const spaces = Object.entries(s.spaces)
    .filter(([, size]) => size >= 1024 * 1024)
    .sort((a, b) => b[1] - a[1])
    .map(([name, size]) => `${name.replace(/_space$/, "")} ${mib(size)}`)
    .join(", ");
  return `at the RSS peak the probe saw rss ${mib(s.rss)} MiB = V8 heap ${mib(s.heapTotal)} MiB committed (${mib(s.heapUsed)} MiB used; spaces ${spaces}) + external ${mib(s.external)} MiB (array buffers ${mib(s.arrayBuffers)} MiB) + ${mib(s.rss - s.heapTotal - s.external)} MiB other (code, stacks, native allocations, the tsx loader thread)`;
}

function printLoad(r: LoadResult) {
  console.log(`  ${r.requests} saves in ${r.wallSeconds.toFixed(1)} s: ${r.requestsPerSecond.toFixed(1)} saves/s (${r.acknowledgedPerSecond.toFixed(1)} acknowledged/s)`);
  console.log(`  status: ${countsText(r.byStatus)}`);
  console.log(`  client latency ${latencyText(r.latency)}; server log p50 ${r.serverLog.p50.toFixed(1)} ms, p99 ${r.serverLog.p99.toFixed(1)} ms`);
  console.log(`  server RSS: idle ${mb(r.rss.idleKib)} MiB, after sign-ins ${mb(r.rss.afterSignInKib)} MiB, peak ${mb(r.rss.peakKib)} MiB, end ${mb(r.rss.endKib)} MiB`);
  if (r.memory) console.log(`  ${memoryText(r.memory)}`);
  if (r.memory?.loopDelayMaxMs !== undefined) console.log(`  server event-loop delay: worst ${ms(r.memory.loopDelayMaxMs)} ms, worst per-second p99 ${ms(r.memory.loopDelayP99WorstMs)} ms`);
  if (r.cpu.serverSeconds !== undefined) console.log(`  server CPU ${r.cpu.serverSeconds.toFixed(1)} s (${((100 * r.cpu.serverSeconds) / r.wallSeconds).toFixed(0)}% of one core); load generator ${r.cpu.clientSeconds.toFixed(1)} s`);
  console.log(`  check: ${answerCheckText(r.verification)}`);
  for (const s of r.verification.samples) console.log(`    ${s}`);
  for (const e of r.errorSamples) console.log(`  error: ${e}`);
  if (r.heap) for (const line of r.heap.lines) console.log(`  heap: ${line}`);
}
