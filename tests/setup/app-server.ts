/**
 * Browser tests run against the built app: build once, start it on a throwaway database (SQLite,
 * or a fresh PostgreSQL schema) and a free port, and stop it afterwards.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import pg from "pg";
import { builtApp } from "./built-app";

const REPOSITORY = fileURLToPath(new URL("../..", import.meta.url));

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    /** The app's database, for tests that must read what the app wrote (an emailed link). */
    database: { url: string; schema?: string };
    /** The app's process id, for tests that watch its memory (/proc/PID/status). */
    serverPid: number;
  }
}

const PORT = 3700 + Math.floor(Math.random() * 200);

export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "lantern-e2e-"));
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", PORT: String(PORT), SESSION_SECRET_FILE: join(dir, "secret") };
  delete env.VITEST;
  let dropSchema: (() => Promise<void>) | undefined;
  if (process.env.DATABASE_URL?.startsWith("postgres")) {
    const schema = `e2e_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    env.DATABASE_SCHEMA = schema;
    dropSchema = async () => {
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    };
  } else {
    env.DATABASE_URL = join(dir, "e2e.sqlite");
  }
  // The server runs from a build copy of its own: another build of ./build cannot touch it.
  const root = await builtApp("lantern-e2e-build-");
  env.QUESTIONNAIRES_DIR = join(REPOSITORY, "questionnaires");
  execFileSync("npx", ["tsx", "app/cli.ts", "setup"], { env, stdio: "ignore" });
  const server: ChildProcess = spawn("node", ["--import", "tsx", join(REPOSITORY, "app/http/server.ts")], { cwd: root, env, stdio: ["ignore", "ignore", "inherit"], detached: true });
  const baseUrl = `http://127.0.0.1:${PORT}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const res = await fetch(`${baseUrl}/healthz`);
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error("The app did not start within 30 s");
    await new Promise((r) => setTimeout(r, 250));
  }
  project.provide("baseUrl", baseUrl);
  project.provide("serverPid", server.pid!);
  project.provide("database", { url: env.DATABASE_URL!, schema: env.DATABASE_SCHEMA });
  return async () => {
    if (server.pid) process.kill(-server.pid, "SIGTERM");
    await dropSchema?.();
    rmSync(dir, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
  };
}
