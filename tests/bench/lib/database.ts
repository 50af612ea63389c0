/**
 * Throwaway databases for the benchmark: a SQLite file in the run's temp dir, or a fresh PostgreSQL
 * schema (dropped afterwards), set up with the app's own `app/cli.ts setup`, plus supplier accounts
 * created directly in the database for the load and crash runs.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import pg from "pg";
import { createDb, type Db } from "../../../db/index";
import { newId } from "../../../db/ids";
import { run } from "./build";
import { onCleanup } from "./cleanup";
import { ROOT } from "./paths";

export type DbChoice = "sqlite" | "postgres";

export type Target = {
  kind: DbChoice;
  label: string;
  url: string;
  schema?: string;
  /** DATABASE_URL (and DATABASE_SCHEMA) for the app's processes. */
  env: Record<string, string>;
  /** Drop the schema / forget the file (the temp dir goes at the end anyway). */
  drop: () => Promise<void>;
};

export const DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test";
const SCHEMA_PREFIX = "lantern_bench_";

/** The benchmark only talks to this machine. */
export function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "[::1]", "::1"].includes(host)) throw new Error(`--postgres-url must point at 127.0.0.1, not ${host}`);
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Schemas a benchmark that was killed outright left behind (their pid is gone). */
async function dropStaleSchemas(url: string): Promise<string[]> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ nspname: string }>("select nspname from pg_namespace where nspname like $1", [`${SCHEMA_PREFIX}%`]);
    const stale: string[] = [];
    for (const { nspname } of rows) {
      const pid = Number(/^lantern_bench_(\d+)_/.exec(nspname)?.[1]);
      let alive = false;
      try {
        process.kill(pid, 0);
        alive = true;
      } catch {
        /* gone */
      }
      if (!alive && pid !== process.pid) {
        await client.query(`drop schema if exists ${nspname} cascade`);
        stale.push(nspname);
      }
    }
    return stale;
  });
}

let swept = false;

export async function createTarget(kind: DbChoice, tempDir: string, name: string, postgresUrl: string): Promise<Target> {
  if (kind === "sqlite") {
    const url = join(tempDir, `${name}.sqlite`);
    return { kind, label: "SQLite", url, env: { DATABASE_URL: url }, drop: async () => {} };
  }
  assertLoopback(postgresUrl);
  if (!swept) {
    swept = true;
    const stale = await dropStaleSchemas(postgresUrl);
    if (stale.length > 0) console.log(`  dropped ${stale.length} schema(s) left by an earlier benchmark that was killed: ${stale.join(", ")}`);
  }
  const schema = `${SCHEMA_PREFIX}${process.pid}_${name.replace(/[^a-z0-9_]/g, "_")}_${randomBytes(3).toString("hex")}`;
  await withClient(postgresUrl, (c) => c.query(`create schema ${schema}`));
  const drop = onCleanup(`drop schema ${schema}`, () => withClient(postgresUrl, (c) => c.query(`drop schema if exists ${schema} cascade`)).then(() => undefined));
  return { kind, label: "PostgreSQL", url: postgresUrl, schema, env: { DATABASE_URL: postgresUrl, DATABASE_SCHEMA: schema }, drop };
}

/** Migrate and seed the demo data with the app's own command. */
export async function setupDatabase(target: Target, baseEnv: NodeJS.ProcessEnv): Promise<void> {
  await run(process.execPath, ["--import", "tsx", "app/cli.ts", "setup"], { ...baseEnv, ...target.env }, ROOT);
}

/** A Kysely connection of the benchmark's own (closed at clean-up at the latest). */
export function openDb(target: Target): { db: Db; close: () => Promise<void> } {
  const db = createDb(target.url, { schema: target.schema, poolSize: 4 });
  const close = onCleanup(`close ${target.label} connection`, () => db.destroy());
  return { db, close };
}

export type BenchSupplier = { index: number; organisationId: string; userId: string; email: string };

/** The demo supplier admin the seed creates; its password is db/seed.ts DEMO_PASSWORD. */
export const DEMO_SUPPLIER_EMAIL = "admin@acme.example";

/**
 * `count` supplier organisations, each with one admin account, written straight into the database.
 * Every account gets the demo supplier's password hash (so the password is DEMO_PASSWORD): hashing
 * is not what we measure, and this way the benchmark does not depend on how hashes are made.
 */
export async function createSuppliers(db: Db, count: number, tag: string): Promise<BenchSupplier[]> {
  const { password_hash: passwordHash } = await db.selectFrom("user").select("password_hash").where("email", "=", DEMO_SUPPLIER_EMAIL).executeTakeFirstOrThrow();
  const at = new Date().toISOString();
  const suppliers: BenchSupplier[] = Array.from({ length: count }, (_, index) => ({
    index,
    organisationId: newId(),
    userId: newId(),
    email: `bench-${tag}-${String(index + 1).padStart(3, "0")}@supplier.example`,
  }));
  for (let i = 0; i < suppliers.length; i += 200) {
    const batch = suppliers.slice(i, i + 200);
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto("organisation")
        .values(batch.map((s) => ({ id: s.organisationId, name: `Bench Supplier ${tag} ${s.index + 1}`, kind: "supplier" as const, slug: `bench-supplier-${tag}-${s.index + 1}`, company_number: null, country: "GB", created_at: at })))
        .execute();
      await trx
        .insertInto("user")
        .values(batch.map((s) => ({ id: s.userId, organisation_id: s.organisationId, email: s.email, name: `Bench User ${s.index + 1}`, role: "admin" as const, password_hash: passwordHash, created_at: at })))
        .execute();
    });
  }
  return suppliers;
}

/** SQLite's own consistency checks on a database file no process is writing. */
export function sqliteChecks(path: string): { integrity: string; foreignKeyViolations: number } {
  const sqlite = new SQLite(path);
  try {
    const integrity = (sqlite.pragma("integrity_check") as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join("; ");
    const foreignKeyViolations = (sqlite.pragma("foreign_key_check") as unknown[]).length;
    return { integrity, foreignKeyViolations };
  } finally {
    sqlite.close();
  }
}
