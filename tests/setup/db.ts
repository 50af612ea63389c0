/**
 * A fresh, migrated, seeded database for one test file: a SQLite file in a temp folder, or its own
 * schema when DATABASE_URL is a PostgreSQL URL. The app's services are pointed at it.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { createDb, dbKind, migrate, type Db } from "../../db/index";
import { seed } from "../../db/seed";
import { ensureImportBans } from "../../db/import-bans";
import { setDb } from "../../app/services/db.server";
import { currentQuestionnaire } from "../../app/services/questionnaires.server";

export type TestDb = { db: Db; close: () => Promise<void> };

export async function createTestDb(now = new Date("2026-06-01T09:00:00Z")): Promise<TestDb> {
  const { db, schema, close } = await createEmptyTestDb("test", 5);
  await migrate(db, schema);
  await ensureImportBans(db);
  await seed(db, currentQuestionnaire(), now);
  setDb(db);
  return { db, close };
}

/**
 * An empty database for one test file, not migrated: for tests that migrate part of the way, write
 * rows as an earlier release did, then migrate the rest. `schema` is set on PostgreSQL.
 */
export type EmptyTestDb = {
  db: Db;
  schema: string | undefined;
  /** DATABASE_URL (and DATABASE_SCHEMA) for a process of the app's to use the same database. */
  env: Record<string, string>;
  close: () => Promise<void>;
};

export async function createEmptyTestDb(prefix: string, poolSize = 2): Promise<EmptyTestDb> {
  const url = process.env.DATABASE_URL;
  if (dbKind(url) === "postgres") {
    const schema = `${prefix}_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    const db = createDb(url, { schema, poolSize });
    return {
      db,
      schema,
      env: { DATABASE_URL: url!, DATABASE_SCHEMA: schema },
      close: async () => {
        await db.destroy();
        await admin.query(`drop schema ${schema} cascade`);
        await admin.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), `lantern-${prefix}-`));
  const file = join(dir, "test.sqlite");
  const db = createDb(file);
  return {
    db,
    schema: undefined,
    env: { DATABASE_URL: file },
    close: async () => {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
