/** What every part of the benchmark shares: where the server runs from, the temp dir, the database choice and server tweaks. */
import type { DbChoice } from "./database";

export type Context = {
  /** The snapshot of ./build the server runs from (see build.ts). */
  appDir: string;
  /** The run's temp dir (SQLite files, heap snapshots); removed at the end. */
  tempDir: string;
  postgresUrl: string;
  /** Environment for every app process: NODE_ENV, SESSION_SECRET, QUESTIONNAIRES_DIR. */
  env: NodeJS.ProcessEnv;
  /** Extra node flags and environment for the server (RSS experiments); recorded with the figures. */
  nodeArgs: string[];
  serverEnv: Record<string, string>;
  memprobeMs?: number;
  heapSnapshot: boolean;
  /** "bundle" runs the server without tsx (RSS experiment; see lib/build.ts bundleServer). */
  entry: "tsx" | "bundle";
};

export const dbLabel = (kind: DbChoice) => (kind === "sqlite" ? "SQLite" : "PostgreSQL");
