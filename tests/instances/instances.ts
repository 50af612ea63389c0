/**
 * Start built app instances as `npm start` does after its build (`cli setup`, then the production
 * server), several on one throwaway database: a SQLite file, or a PostgreSQL schema that does not
 * exist yet when DATABASE_URL is a postgres:// URL.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { inject } from "vitest";
import { createDb, dbKind, type Db } from "../../db/index";

export const REPOSITORY = fileURLToPath(new URL("../..", import.meta.url));

export type TestDatabase = { url: string; schema?: string; open: () => Db; drop: () => Promise<void> };

/** An empty database: nothing in it, not even the schema on PostgreSQL. */
export function emptyDatabase(): TestDatabase {
  const url = process.env.DATABASE_URL;
  if (url && dbKind(url) === "postgres") {
    const schema = `instances_${randomBytes(6).toString("hex")}`;
    return {
      url,
      schema,
      open: () => createDb(url, { schema, poolSize: 2 }),
      drop: async () => {
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        try {
          await admin.query(`drop schema if exists ${schema} cascade`);
        } finally {
          await admin.end();
        }
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), "lantern-instances-"));
  const file = join(dir, "lantern.sqlite");
  return { url: file, open: () => createDb(file), drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export type Instance = {
  name: string;
  origin: string;
  /** Everything the instance printed so far (stdout and stderr). */
  output: () => string;
  stop: () => Promise<void>;
};

export type InstanceOptions = { name: string; port: number; sessionSecret: string; runSetup: boolean };

export function startInstance(database: TestDatabase, options: InstanceOptions): Instance {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(options.port),
    HOST: "127.0.0.1",
    DATABASE_URL: database.url,
    SESSION_SECRET: options.sessionSecret,
    LOG_REQUESTS: "0",
    // The working directory is the build copy (see build.ts): point at the repository for the rest.
    QUESTIONNAIRES_DIR: join(REPOSITORY, "questionnaires"),
    TSX_TSCONFIG_PATH: join(REPOSITORY, "tsconfig.json"),
  };
  delete env.VITEST;
  if (database.schema) env.DATABASE_SCHEMA = database.schema;
  else delete env.DATABASE_SCHEMA;
  const server = `exec node --import tsx '${join(REPOSITORY, "app/http/server.ts")}'`;
  const command = options.runSetup ? `node --import tsx '${join(REPOSITORY, "app/cli.ts")}' setup && ${server}` : server;
  const child: ChildProcess = spawn("sh", ["-c", command], { cwd: inject("instancesRoot"), env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    name: options.name,
    origin: `http://127.0.0.1:${options.port}`,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        process.kill(-child.pid, "SIGTERM");
        await exited;
      }
    },
  };
}

/** GET /healthz until it answers 200; fails with the instance's output if it never does. */
export async function waitUntilHealthy(instance: Instance, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  for (;;) {
    try {
      const res = await fetch(`${instance.origin}/healthz`);
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (error) {
      last = String(error);
    }
    if (Date.now() > deadline) throw new Error(`${instance.name} did not become healthy (${last}). Its output:\n${instance.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A form post as a browser on the instance's own pages sends it. */
export function postForm(instance: Instance, path: string, fields: Record<string, string>, cookie?: string): Promise<Response> {
  return fetch(`${instance.origin}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: {
      Origin: instance.origin,
      "Content-Type": "application/x-www-form-urlencoded",
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body: new URLSearchParams(fields),
  });
}

/** The autosave request the question pages send. */
export function saveAnswer(instance: Instance, cookie: string, assessmentId: string, body: { questionId: string; value: unknown; baseRevision: number }): Promise<Response> {
  return fetch(`${instance.origin}/assessments/${assessmentId}/answers`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: instance.origin, "Content-Type": "application/json", Cookie: cookie },
    body: JSON.stringify(body),
  });
}

export type Finished = { code: number | null; output: string };

/** `cli setup` in a process of its own, reaching the database at `startAt` (see setup-at-once.ts). */
export function setupAt(database: TestDatabase, startAt: number): Promise<Finished> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database.url, SESSION_SECRET: randomBytes(24).toString("hex"), START_AT: String(startAt) };
  delete env.VITEST;
  if (database.schema) env.DATABASE_SCHEMA = database.schema;
  else delete env.DATABASE_SCHEMA;
  const child = spawn("node", ["--import", "tsx", join(REPOSITORY, "tests/instances/setup-at-once.ts")], { cwd: REPOSITORY, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, output })));
}
