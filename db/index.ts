/**
 * createDb(url): SQLite (better-sqlite3) for a file path or when no URL is given, PostgreSQL for a
 * postgres:// URL. The same Kysely code runs on both.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import { migrationProvider } from "./migrations/index";
import type { Database } from "./schema";

export type Db = Kysely<Database>;
export type DbKind = "sqlite" | "postgres";

export const DEFAULT_SQLITE_PATH = "data/lantern.sqlite";

export function dbKind(url: string | undefined): DbKind {
  return url && /^postgres(ql)?:\/\//.test(url) ? "postgres" : "sqlite";
}

export type CreateDbOptions = {
  /** PostgreSQL only: the schema to work in (tests give each worker its own). */
  schema?: string;
  /** PostgreSQL only: the pool size. */
  poolSize?: number;
};

export function createDb(url: string | undefined, options: CreateDbOptions = {}): Db {
  if (dbKind(url) === "postgres") {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  const path = url?.replace(/^file:/, "") || DEFAULT_SQLITE_PATH;
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("synchronous = NORMAL");
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
}

const STATEMENT_CACHE_SIZE = 200;

/**
 * Kysely prepares every query afresh; the app runs the same few queries over and over, so keep the
 * prepared statements (least recently used dropped first). Safe because better-sqlite3 runs each
 * statement to completion synchronously.
 */
function withStatementCache(sqlite: SQLite.Database) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (sql: string) => {
      let statement = cache.get(sql);
      if (statement) cache.delete(sql);
      else statement = sqlite.prepare(sql);
      cache.set(sql, statement);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      return statement;
    },
  };
}

/** Bring the schema up to date; throws with the failing migration's error. */
export async function migrate(db: Db, schema?: string): Promise<void> {
  // With a schema of its own, the migration bookkeeping lives there too, not in another schema's.
  const migrator = new Migrator({ db, provider: migrationProvider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error) {
    throw new Error(`migration ${failed?.migrationName ?? ""} failed: ${(error as Error).message ?? String(error)}`);
  }
}
