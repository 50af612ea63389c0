/**
 * The operator's command line run as an operator runs it, a separate process, on an empty database
 * of the test file's own (SQLite in a temp folder, or a PostgreSQL schema when DATABASE_URL says so).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Db } from "../../db/index";
import { createEmptyTestDb } from "./db";

const exec = promisify(execFile);

export type CliResult = { code: number; stdout: string; stderr: string };

export type CliHarness = {
  db: Db;
  schema: string | undefined;
  /** A temp folder for the test's files, removed by close(). */
  dir: string;
  cli: (args: string[]) => Promise<CliResult>;
  close: () => Promise<void>;
};

export async function cliHarness(prefix: string): Promise<CliHarness> {
  const dir = mkdtempSync(join(tmpdir(), `lantern-${prefix}-`));
  const target = await createEmptyTestDb(prefix);
  const env: NodeJS.ProcessEnv = { ...process.env, ...target.env, SESSION_SECRET_FILE: join(dir, "secret") };
  delete env.VITEST;
  if (!target.schema) delete env.DATABASE_SCHEMA;
  return {
    db: target.db,
    schema: target.schema,
    dir,
    cli: async (args) => {
      try {
        const { stdout, stderr } = await exec("npx", ["tsx", "app/cli.ts", ...args], { env, maxBuffer: 64 * 1024 * 1024 });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const e = error as CliResult;
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
      }
    },
    close: async () => {
      await target.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
