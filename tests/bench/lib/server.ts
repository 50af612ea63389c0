/**
 * The production server as the benchmark runs it: `node --import tsx app/http/server.ts`, spawned
 * directly (no npm/npx wrapper) so its pid is the node process whose memory and CPU we read. It runs
 * in its own process group, from a snapshot of ./build (see build.ts), on 127.0.0.1 only.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { BUNDLE_FILE } from "./build";
import { onCleanup } from "./cleanup";
import { ROOT } from "./paths";
import { sleep } from "./stats";

/** One morgan "tiny" access-log line: "POST /path 200 12 - 3.456 ms". */
export type Logged = { method: string; path: string; status: number; ms: number };

/** What the memory probe (memprobe.ts, loaded with BENCH_MEMPROBE_MS) prints, in bytes. */
export type MemorySample = {
  t: number;
  rss: number;
  heapTotal: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  spaces: Record<string, number>;
  /** Event-loop delay over the probe's interval, ms. */
  loopDelay?: { p99: number; max: number };
};

export type ServerSpec = {
  /** Directory holding build/, public/ and node_modules (a snapshot, see build.ts). */
  cwd: string;
  port: number;
  env: NodeJS.ProcessEnv;
  /** Extra node flags, e.g. --max-semi-space-size=4. */
  nodeArgs?: string[];
  /** Print process.memoryUsage() every this many ms (for the RSS investigation). */
  memprobeMs?: number;
  /**
   * "tsx" (default): `node --import tsx app/http/server.ts`, as production runs it. "bundle": an
   * experiment, node runs an esbuild bundle of app/http/server.ts (see bundleServer) without tsx.
   */
  entry?: "tsx" | "bundle";
};

const ACCESS_LINE = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\S+) (\d{3}) \S+ - ([\d.]+) ms\s*$/;

export class AppServer {
  readonly requestLog: Logged[] = [];
  readonly otherLog: string[] = [];
  readonly memory: MemorySample[] = [];
  private partial = "";
  private exited: Promise<void>;
  private release: () => Promise<void>;

  private constructor(
    readonly spec: ServerSpec,
    readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    child.stdout!.on("data", (c: Buffer) => this.keep(c));
    child.stderr!.on("data", (c: Buffer) => this.keep(c));
    const group = child.pid!;
    this.release = onCleanup(
      `server ${group}`,
      () => this.stopGroup(),
      () => killGroup(group, "SIGKILL"),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  get base(): string {
    return `http://127.0.0.1:${this.spec.port}`;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  static async start(spec: ServerSpec): Promise<AppServer> {
    const args = [...(spec.nodeArgs ?? [])];
    // As `npm run serve` starts it: glibc returns the sign-ins' scrypt buffers (see docs/operations.md).
    const env: NodeJS.ProcessEnv = { MALLOC_MMAP_THRESHOLD_: "131072", ...spec.env, PORT: String(spec.port), HOST: "127.0.0.1" };
    if (spec.memprobeMs) {
      args.push("--import", pathToFileURL(join(ROOT, "tests/bench/memprobe.mjs")).href);
      env.BENCH_MEMPROBE_MS = String(spec.memprobeMs);
    }
    if (spec.entry === "bundle") args.push(join(spec.cwd, BUNDLE_FILE));
    else args.push("--import", "tsx", join(ROOT, "app/http/server.ts"));
    const child = spawn(process.execPath, args, { cwd: spec.cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const server = new AppServer(spec, child);
    await server.waitForHealth(30_000);
    return server;
  }

  private keep(chunk: Buffer) {
    const lines = (this.partial + chunk.toString()).split("\n");
    this.partial = lines.pop() ?? "";
    for (const line of lines) {
      const m = ACCESS_LINE.exec(line);
      if (m) this.requestLog.push({ method: m[1]!, path: m[2]!, status: Number(m[3]), ms: Number(m[4]) });
      else if (line.startsWith("BENCH_MEM ")) this.memory.push(JSON.parse(line.slice(10)) as MemorySample);
      else if (line.trim()) {
        this.otherLog.push(line);
        if (process.env.BENCH_SERVER_OUTPUT === "1") console.log(`  server: ${line}`); // e.g. with --node-arg=--trace-gc
      }
    }
    if (this.otherLog.length > 300) this.otherLog.splice(0, this.otherLog.length - 300);
  }

  tail(lines = 30): string {
    return this.otherLog.slice(-lines).join("\n");
  }

  async waitForHealth(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = "no answer";
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`the server exited (${this.child.exitCode ?? this.child.signalCode}) before it was healthy:\n${this.tail()}`);
      try {
        const res = await fetch(`${this.base}/healthz`, { signal: AbortSignal.timeout(2000) });
        await res.arrayBuffer();
        if (res.status === 200) return;
        last = `HTTP ${res.status}`;
      } catch (error) {
        last = error instanceof Error ? error.message : String(error);
      }
      await sleep(100);
    }
    throw new Error(`/healthz did not answer 200 within ${timeoutMs / 1000} s (last: ${last}):\n${this.tail()}`);
  }

  /** Server-side times (morgan's) of requests logged since index `from`, waiting briefly for the log to catch up. */
  async loggedTimes(from: number, method: string, pathEnd: string | RegExp, expected: number): Promise<number[]> {
    const matches = (r: Logged) => r.method === method && (typeof pathEnd === "string" ? r.path.endsWith(pathEnd) : pathEnd.test(r.path));
    const pick = () => this.requestLog.slice(from).filter(matches);
    const deadline = Date.now() + 2000;
    while (pick().length < expected && Date.now() < deadline) await sleep(50);
    return pick().map((r) => r.ms);
  }

  /** Resident set size of the node server process, in KiB (VmRSS), or undefined once it has gone. */
  rssKib(): number | undefined {
    return procStatusKib(this.pid, "VmRSS");
  }

  /** CPU seconds (user + system, all threads) the server process has used. Assumes 100 clock ticks a second. */
  cpuSeconds(): number | undefined {
    try {
      const stat = readFileSync(`/proc/${this.pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return undefined;
    }
  }

  /** Send a signal to the server process itself (e.g. SIGUSR2 for a heap snapshot). */
  signal(signal: NodeJS.Signals): void {
    process.kill(this.pid, signal);
  }

  /** SIGKILL the server's process group and wait until it has gone (the crash test). */
  async kill(): Promise<void> {
    killGroup(this.pid, "SIGKILL");
    await this.exited;
    await this.release();
  }

  /** Graceful stop: SIGTERM, then SIGKILL after 5 s (keep-alive connections can hold server.close()). */
  async stop(): Promise<void> {
    await this.release();
  }

  private async stopGroup(): Promise<void> {
    const group = this.pid;
    if (!groupAlive(group)) return;
    killGroup(group, "SIGTERM");
    const deadline = Date.now() + 5000;
    while (groupAlive(group) && Date.now() < deadline) await sleep(50);
    if (groupAlive(group)) killGroup(group, "SIGKILL");
    while (groupAlive(group)) await sleep(20);
  }
}

function killGroup(group: number, signal: NodeJS.Signals) {
  try {
    process.kill(-group, signal);
  } catch {
    /* already gone */
  }
}

function groupAlive(group: number): boolean {
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
}

export function procStatusKib(pid: number, field: "VmRSS" | "VmHWM" | "RssAnon" | "RssFile" | "Threads"): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+)`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Samples the server's RSS every `intervalMs` and keeps the peak, until stopped. */
export class RssSampler {
  private timer: NodeJS.Timeout;
  peakKib = 0;
  samples: Array<{ t: number; kib: number }> = [];
  private readonly t0 = Date.now();

  constructor(
    private readonly server: AppServer,
    intervalMs = 200,
  ) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.sample();
  }

  sample(): number | undefined {
    const kib = this.server.rssKib();
    if (kib !== undefined) {
      this.samples.push({ t: Date.now() - this.t0, kib });
      if (kib > this.peakKib) this.peakKib = kib;
    }
    return kib;
  }

  stop(): { peakKib: number; lastKib: number | undefined } {
    clearInterval(this.timer);
    this.sample();
    return { peakKib: this.peakKib, lastKib: this.samples.at(-1)?.kib };
  }
}

const PREFERRED_PORT = 3917;

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

/** A free loopback port (3917 when it is free). */
export async function freePort(): Promise<number> {
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

export const hasProc = () => existsSync("/proc/self/status");
