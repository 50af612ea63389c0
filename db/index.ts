/**
 * createDb(url): SQLite (better-sqlite3) for a file path or when no URL is given, PostgreSQL for a
 * postgres:// URL. The same Kysely code runs on both.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SQLite from "better-sqlite3";
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteAdapter,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
  sql,
} from "kysely";
import pg from "pg";
import { migrationProvider } from "./migrations/index";
import type { Database } from "./schema";

export type Db = Kysely<Database>;
export type DbKind = "sqlite" | "postgres";

export const DEFAULT_SQLITE_PATH = "data/lantern.sqlite";

export function dbKind(url: string | undefined): DbKind {
  return url && /^postgres(ql)?:\/\//.test(url) ? "postgres" : "sqlite";
}

/** The file a SQLite DATABASE_URL names (a plain path or file:path; none means the default). */
export function sqliteFile(url: string | undefined): string {
  return url?.replace(/^file:/, "") || DEFAULT_SQLITE_PATH;
}

export type CreateDbOptions = {
  /** PostgreSQL only: the schema to work in (tests give each worker its own). */
  schema?: string;
  /** PostgreSQL only: the pool size. */
  poolSize?: number;
  /**
   * SQLite only: how long a write waits for another connection's lock (default 5 s). better-sqlite3
   * waits on the event loop's thread, so a second connection inside the server process must not
   * wait at all: the lock may be held by a request of the same process, which cannot go on while
   * the thread waits. Such a job gives up at once and tries again later.
   */
  busyTimeoutMs?: number;
};

export function createDb(url: string | undefined, options: CreateDbOptions = {}): Db {
  if (dbKind(url) === "postgres") {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      // JIT compilation off: the app's queries are short, and for the statistics' look-ups the
      // planner's estimates make compiling look worth it when it costs ten times the query.
      options: `-c jit=off${options.schema ? ` -c search_path=${options.schema}` : ""}`,
    });
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  const path = sqliteFile(url);
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SQLite(path);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("synchronous = NORMAL");
  return new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }) });
}

/**
 * SQLite transactions take the write lock when they begin (BEGIN IMMEDIATE), not at their first
 * write. Within one process it makes no difference (Kysely gives SQLite one connection at a time),
 * but with several app instances on one file a deferred transaction that has read, then finds
 * another process wrote meanwhile, fails at once with SQLITE_BUSY: a lost autosave race would be a
 * 500 instead of a 409. An immediate one waits its turn (busy_timeout) and then reads the latest rows.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
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

/** How long an instance waits for another one's migration (or setup) before giving up. */
const SETUP_LOCK_WAIT_MS = 120_000;
/** Lantern's PostgreSQL advisory lock class ("LNTN"); the second key is a hash of the schema. */
const PG_LOCK_CLASS = 0x4c4e544e;

/**
 * Run `work` while holding the database-wide setup lock, so that several app instances starting at
 * once against one database migrate (and `setup` seeds) one after the other: the first does the
 * work, the others then find nothing left to do. `work` gets a Kysely bound to the locked connection
 * and must do everything through it.
 *
 * PostgreSQL: a session advisory lock on one pooled connection, per schema. Kysely's Migrator takes
 * an advisory lock of its own, but only after creating its bookkeeping tables, which can race.
 * SQLite: the whole of `work` is one BEGIN IMMEDIATE transaction (the file's write lock), so a
 * migration is also all or nothing; a transaction `work` opens joins it. (A future SQLite migration
 * that needs `PRAGMA foreign_keys = OFF` must know it runs inside a transaction, where that pragma
 * does nothing.)
 */
export async function withSetupLock<T>(db: Db, schema: string | undefined, work: (locked: Db) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    if (conn.getExecutor().adapter instanceof SqliteAdapter) return underSqliteWriteLock(conn, work);
    const key = schema ?? "(search path)";
    try {
      // lock_timeout bounds the wait; set for this one statement only (is_local outside a transaction).
      await sql`with wait as (select set_config('lock_timeout', ${`${SETUP_LOCK_WAIT_MS}ms`}, true))
        select pg_advisory_lock(${PG_LOCK_CLASS}, hashtext(${key})) from wait`.execute(conn);
    } catch (error) {
      if ((error as { code?: string }).code === "55P03") {
        throw new Error(`another Lantern instance has held the migration lock for over ${SETUP_LOCK_WAIT_MS / 1000} s; is one stuck?`);
      }
      throw error;
    }
    try {
      return await work(conn);
    } finally {
      await sql`select pg_advisory_unlock(${PG_LOCK_CLASS}, hashtext(${key}))`.execute(conn);
    }
  });
}

async function underSqliteWriteLock<T>(conn: Db, work: (locked: Db) => Promise<T>): Promise<T> {
  // busy_timeout already waits 5 s per attempt; keep trying while another process migrates.
  const deadline = Date.now() + SETUP_LOCK_WAIT_MS;
  for (;;) {
    try {
      await sql`begin immediate`.execute(conn);
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== "SQLITE_BUSY" || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  let result: T;
  try {
    result = await work(joiningTransactions(conn));
  } catch (error) {
    // SQLite may have rolled back already on some errors; the original error is the one to report.
    await sql`rollback`.execute(conn).catch(() => undefined);
    throw error;
  }
  await sql`commit`.execute(conn);
  return result;
}

/** The connection as a Kysely whose transaction() runs inside the transaction already open on it. */
function joiningTransactions(conn: Db): Db {
  return new Proxy(conn, {
    get(target, property) {
      if (property === "transaction") return () => ({ execute: <R>(fn: (trx: Db) => Promise<R>) => fn(target) });
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Bring the schema up to date under the setup lock; throws with the failing migration's error. */
export async function migrate(db: Db, schema?: string): Promise<void> {
  await withSetupLock(db, schema, (locked) => applyMigrations(locked, schema));
}

/** Run the pending migrations. Call it inside withSetupLock (migrate() does). */
export async function applyMigrations(db: Db, schema?: string): Promise<void> {
  // With a schema of its own, the migration bookkeeping lives there too, not in another schema's.
  const migrator = new Migrator({ db, provider: migrationProvider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error) {
    throw new Error(`migration ${failed?.migrationName ?? ""} failed: ${(error as Error).message ?? String(error)}`);
  }
}
