/**
 * Performance benchmark: `npm run bench` (options after `--`, see --help).
 *
 * Builds the app (`npm run build`), snapshots ./build into a temp dir and runs the production server
 * (`node --import tsx app/http/server.ts`, NODE_ENV=production) from there on 127.0.0.1, on a
 * throwaway SQLite file and/or PostgreSQL schema. Parts, each can run alone with --only:
 *   pages  theme page render time, answer saves at saturation, JavaScript a theme page downloads
 *   load   N suppliers autosaving about once a second for D seconds; every acknowledged save
 *          checked in the database; throughput, latency, errors by status, server peak RSS
 *   crash  saves and submissions while the server is SIGKILLed three times; every acknowledged
 *          save and submission checked afterwards (and SQLite's integrity_check)
 *   nav    navigation timing in headless Chromium at 150 ms latency and 4x CPU slowdown
 *   register    a 10,000-contract register imported, then a filtered page of it read
 *   statistics  100,000 submissions imported with the exchange command, then the statistics dashboard read
 *   actions     5,000 agreed actions and 10,000 contracts, then the actions tracker read (printed only)
 * Prints figures and writes them into docs/performance.md. It asserts nothing.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { actionsBlock, runActions, type ActionsResult } from "./actions";
import { runCrash, type CrashResult } from "./crash";
import { buildSnapshot, bundleServer } from "./lib/build";
import { cleanupAll, onCleanup } from "./lib/cleanup";
import type { Context } from "./lib/context";
import { DEFAULT_POSTGRES_URL, type DbChoice, assertLoopback } from "./lib/database";
import { BROWSER_ACCEPT_ENCODING, setAcceptEncoding } from "./lib/http";
import { ROOT } from "./lib/paths";
import { runLoad, type LoadResult } from "./load";
import type { NavResult } from "./nav-result";
import { runPages, type PagesResult } from "./pages";
import { runRegister, type RegisterResult } from "./register";
import { runStatistics, type StatisticsResult } from "./statistics";
import { machineInfo, otherCpuPercent, writeReport } from "./report";

const PARTS = ["pages", "load", "crash", "nav", "register", "statistics", "actions"] as const;
type Part = (typeof PARTS)[number];

const HELP = `npm run bench -- [options]
  --only PART[,PART]   pages, load, crash, nav, register, statistics, actions (default: all)
  --db WHICH           sqlite, postgres or both (default both; nav always uses SQLite)
  --clients N          load run: concurrent suppliers (default 100)
  --seconds D          load run: seconds of autosaving (default 60)
  --pace-ms MS         load run: gap between one client's saves, ±20% (default 1000)
  --crash-clients N    crash run: concurrent savers (default 40)
  --no-build           reuse ./build instead of running npm run build
  --no-write           print only; leave docs/performance.md alone
  --postgres-url URL   default ${DEFAULT_POSTGRES_URL} (must be on 127.0.0.1)
  --node-arg FLAG      extra node flag for the server, repeatable (e.g. --node-arg=--max-semi-space-size=4)
  --server-env K=V     extra environment for the server, repeatable (e.g. --server-env LOG_REQUESTS=0)
  --memprobe MS        server prints process.memoryUsage() every MS ms during the load run (default 1000, 0 = off)
  --heap-snapshot      load run: write and summarise a server heap snapshot half-way through
  --server-entry E     tsx (default: node --import tsx app/http/server.ts, as in production) or
                       bundle (experiment: node runs an esbuild bundle of the server, no tsx)
  --accept-encoding V  Accept-Encoding the HTTP clients send (default "${BROWSER_ACCEPT_ENCODING}", as
                       Chromium; "identity" asks for no compression)`;

function options() {
  const { values } = parseArgs({
    options: {
      only: { type: "string", multiple: true },
      db: { type: "string", default: "both" },
      clients: { type: "string", default: "100" },
      seconds: { type: "string", default: "60" },
      "pace-ms": { type: "string", default: "1000" },
      "crash-clients": { type: "string", default: "40" },
      "no-build": { type: "boolean", default: false },
      "no-write": { type: "boolean", default: false },
      "postgres-url": { type: "string", default: DEFAULT_POSTGRES_URL },
      "node-arg": { type: "string", multiple: true, default: [] },
      "server-env": { type: "string", multiple: true, default: [] },
      memprobe: { type: "string", default: "1000" },
      "heap-snapshot": { type: "boolean", default: false },
      "server-entry": { type: "string", default: "tsx" },
      "accept-encoding": { type: "string", default: BROWSER_ACCEPT_ENCODING },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const only = (values.only ?? []).flatMap((o) => o.split(",")).map((o) => o.trim()).filter(Boolean);
  for (const o of only) if (!PARTS.includes(o as Part)) throw new Error(`--only ${o}: choose from ${PARTS.join(", ")}`);
  const parts = new Set<Part>(only.length > 0 ? (only as Part[]) : PARTS);
  const dbs: DbChoice[] = values.db === "both" ? ["sqlite", "postgres"] : values.db === "sqlite" || values.db === "postgres" ? [values.db] : [];
  if (dbs.length === 0) throw new Error(`--db ${values.db}: choose sqlite, postgres or both`);
  const number = (name: string, text: string) => {
    const n = Number(text);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} ${text}: expected a positive number`);
    return n;
  };
  const serverEnv: Record<string, string> = {};
  for (const pair of values["server-env"]) {
    const at = pair.indexOf("=");
    if (at < 1) throw new Error(`--server-env ${pair}: expected NAME=value`);
    serverEnv[pair.slice(0, at)] = pair.slice(at + 1);
  }
  assertLoopback(values["postgres-url"]);
  const entry = values["server-entry"];
  if (entry !== "tsx" && entry !== "bundle") throw new Error(`--server-entry ${entry}: choose tsx or bundle`);
  return {
    parts,
    dbs,
    clients: Math.round(number("clients", values.clients)),
    seconds: number("seconds", values.seconds),
    paceMs: number("pace-ms", values["pace-ms"]),
    crashClients: Math.round(number("crash-clients", values["crash-clients"])),
    build: !values["no-build"],
    write: !values["no-write"],
    postgresUrl: values["postgres-url"],
    nodeArgs: values["node-arg"],
    serverEnv,
    memprobeMs: Number(values.memprobe) || undefined,
    heapSnapshot: values["heap-snapshot"],
    entry: entry as "tsx" | "bundle",
    acceptEncoding: values["accept-encoding"],
  };
}

async function main(): Promise<void> {
  const opts = options();
  setAcceptEncoding(opts.acceptEncoding);
  const t0 = performance.now();
  const tempDir = mkdtempSync(join(os.tmpdir(), "lantern-bench-"));
  onCleanup(
    `remove ${tempDir}`,
    async () => rmSync(tempDir, { recursive: true, force: true }),
    () => rmSync(tempDir, { recursive: true, force: true }),
  );

  console.log(opts.build ? "Building (npm run build) and taking a snapshot of ./build…" : "Taking a snapshot of the existing ./build…");
  const appDir = join(tempDir, "app");
  const build = await buildSnapshot(appDir, opts.build);
  if (opts.entry === "bundle") await bundleServer(appDir);
  console.log(`  ready in ${build.seconds.toFixed(1)} s`);

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    SESSION_SECRET: randomBytes(24).toString("hex"),
    SESSION_SECRET_FILE: join(tempDir, "session-secret"),
    QUESTIONNAIRES_DIR: join(ROOT, "questionnaires"),
  };
  delete env.DATABASE_URL;
  delete env.DATABASE_SCHEMA;
  const ctx: Context = {
    appDir,
    tempDir,
    postgresUrl: opts.postgresUrl,
    env,
    nodeArgs: opts.nodeArgs,
    serverEnv: opts.serverEnv,
    memprobeMs: opts.memprobeMs,
    heapSnapshot: opts.heapSnapshot,
    entry: opts.entry,
  };

  const others = await otherCpuPercent();
  if (others !== undefined && others > 10) console.log(`  note: other processes are using ${others.toFixed(0)}% of the machine's CPU; the figures will be pessimistic`);
  const loadBefore = os.loadavg().map((l) => l.toFixed(2)).join(", ");

  const pages: PagesResult[] = [];
  const loads: LoadResult[] = [];
  const crashes: CrashResult[] = [];
  const registers: RegisterResult[] = [];
  const statistics: StatisticsResult[] = [];
  const actions: ActionsResult[] = [];
  let nav: NavResult | undefined;
  for (const db of opts.dbs) {
    if (opts.parts.has("pages")) pages.push(await runPages(ctx, db));
    if (opts.parts.has("load")) loads.push(await runLoad(ctx, db, { clients: opts.clients, seconds: opts.seconds, paceMs: opts.paceMs }));
    if (opts.parts.has("crash")) crashes.push(await runCrash(ctx, db, { clients: opts.crashClients }));
    if (opts.parts.has("register")) registers.push(await runRegister(ctx, db));
    if (opts.parts.has("statistics")) statistics.push(await runStatistics(ctx, db));
    if (opts.parts.has("actions")) actions.push(await runActions(ctx, db));
  }
  if (opts.parts.has("nav")) {
    // loaded only when asked for: it brings in playwright-core and the browser tests' helpers
    const { runNav } = await import("./nav");
    nav = await runNav(ctx);
  }

  if (actions.length > 0) console.log(`\n${actionsBlock(actions).join("\n")}`);
  const machine = machineInfo(loadBefore, others);
  console.log(`\nMachine: ${machine.CPU}; ${machine.Memory}; Node ${machine.Node}. Total run ${((performance.now() - t0) / 1000).toFixed(0)} s.`);
  if (opts.write) {
    const file = writeReport({ pages, loads, crashes, nav, registers, statistics, machine, when: new Date(), args: process.argv.slice(2) });
    console.log(`Wrote the figures of the parts that ran into ${file}.`);
  } else console.log("--no-write: docs/performance.md left alone.");
}

main()
  .then(async () => {
    await cleanupAll();
    process.exit(0);
  })
  .catch(async (error: unknown) => {
    // a usage error (--flag …) is said in one line; anything else with its stack
    console.error(error instanceof Error ? (error.message.startsWith("--") ? error.message : (error.stack ?? error.message)) : error);
    await cleanupAll();
    process.exit(1);
  });
