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
  const url = process.env.DATABASE_URL;
  let db: Db;
  let cleanup: () => Promise<void>;
  let schemaName: string | undefined;
  if (dbKind(url) === "postgres") {
    const schema = `test_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    db = createDb(url, { schema, poolSize: 5 });
    schemaName = schema;
    cleanup = async () => {
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    };
  } else {
    const dir = mkdtempSync(join(tmpdir(), "lantern-test-"));
    db = createDb(join(dir, "test.sqlite"));
    cleanup = async () => rmSync(dir, { recursive: true, force: true });
  }
  await migrate(db, schemaName);
  await ensureImportBans(db);
  await seed(db, currentQuestionnaire(), now);
  setDb(db);
  return {
    db,
    close: async () => {
      await db.destroy();
      await cleanup();
    },
  };
}
