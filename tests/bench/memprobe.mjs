/**
 * Loaded into the server only by the benchmark (`node --import tests/bench/memprobe.mjs`) when
 * BENCH_MEMPROBE_MS is set: every so many ms it prints one "BENCH_MEM {json}" line to stderr with
 * process.memoryUsage(), the size of each V8 heap space (so RSS can be set against the heap) and
 * the event loop's delay over the interval.
 * Plain JavaScript so that it also loads into a server started without tsx.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { getHeapSpaceStatistics } from "node:v8";

const every = Number(process.env.BENCH_MEMPROBE_MS ?? 0);
if (every > 0) {
  const t0 = Date.now();
  // how late the event loop ran timers over each interval (ms): a blocked loop delays every request
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const timer = setInterval(() => {
    const usage = process.memoryUsage();
    const spaces = {};
    for (const s of getHeapSpaceStatistics()) spaces[s.space_name] = s.space_size;
    const loopDelay = { p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 };
    delay.reset();
    process.stderr.write(`BENCH_MEM ${JSON.stringify({ t: Date.now() - t0, ...usage, spaces, loopDelay })}\n`);
  }, every);
  timer.unref();
}
