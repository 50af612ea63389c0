/**
 * `cli backup` and `cli restore` on SQLite, run as the operator runs them (a process of their own)
 * against a database that is being written meanwhile: by the app's services in this process, and by
 * another process adding audit rows in pairs, one transaction per pair.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, dbKind, type Db, migrate } from "../../db/index";
import { seed } from "../../db/seed";
import { saveAnswers, startAssessment } from "../../app/services/assessments.server";
import { setDb } from "../../app/services/db.server";
import { currentQuestionnaire } from "../../app/services/questionnaires.server";
import { userFor } from "../setup/requests";

type Outcome = { code: number | null; stdout: string; stderr: string };

/** The command line as an operator runs it, with DATABASE_URL set to `databaseUrl`. */
function cli(databaseUrl: string, ...args: string[]): Promise<Outcome> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, SESSION_SECRET: "backup-test-secret-0123456789" };
  delete env.VITEST;
  delete env.DATABASE_SCHEMA;
  return new Promise((resolve) => {
    execFile("node", ["--import", "tsx", "app/cli.ts", ...args], { env }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Another process writing: pairs of audit rows (actions "a" and "b"), each pair one transaction. */
function startWriter(file: string): ChildProcess {
  const script = `
    const SQLite = require("better-sqlite3");
    const db = new SQLite(process.env.DB_FILE);
    db.pragma("busy_timeout = 5000");
    const insert = db.prepare("insert into audit_log (organisation_id, user_id, entity, entity_id, action, created_at) values ('probe', 'probe', 'probe', ?, ?, ?)");
    const pair = db.transaction((i) => { const at = new Date().toISOString(); insert.run(String(i), "a", at); insert.run(String(i), "b", at); });
    let i = 0;
    const tick = () => { for (let k = 0; k < 10; k++) pair(++i); setImmediate(tick); };
    process.on("SIGTERM", () => { db.close(); process.exit(0); });
    tick();`;
  return spawn("node", ["-e", script], { env: { ...process.env, DB_FILE: file }, stdio: ["ignore", "ignore", "inherit"] });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

function readOnly<T>(file: string, read: (db: SQLite.Database) => T): T {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

const probeCounts = (db: SQLite.Database) =>
  db.prepare("select action, count(*) as n from audit_log where entity = 'probe' group by action order by action").all() as Array<{ action: string; n: number }>;

/** Every row of the tables the app writes, in a fixed order: equal snapshots have equal dumps. */
function dump(db: SQLite.Database): Record<string, unknown[]> {
  const tables = ["organisation", "user", "assessment", "answer", "submission", "recommendation_response", "audit_log"];
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`select * from "${t}" order by 1, 2`).all()]));
}

// The PostgreSQL run has no SQLite file to back up: there pg_dump does the job (docs/operations.md).
const onPostgres = dbKind(process.env.DATABASE_URL) === "postgres";

describe.skipIf(onPostgres)("backup and restore of a SQLite database (SQLite only; PostgreSQL is backed up with pg_dump)", () => {
  let dir: string;
  let file: string;
  let db: Db | undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "lantern-backup-"));
    file = join(dir, "lantern.sqlite");
    db = createDb(file);
    await migrate(db);
    await seed(db, currentQuestionnaire(), new Date("2026-06-01T09:00:00Z"));
    setDb(db);
  });

  afterAll(async () => {
    await db?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it("backs up while the app and another process write, and restore brings back exactly what was backed up", async () => {
    const backup = join(dir, "backup.sqlite");
    const user = await userFor(db!, "admin@acme.example");
    const assessmentId = await startAssessment(user);

    const writer = startWriter(file);
    let saving = true;
    let saves = 0;
    const sizes = ["micro", "small", "medium", "large"];
    const saver = (async () => {
      let revision = 0;
      while (saving) {
        const outcome = await saveAnswers(user, assessmentId, [{ questionId: "org.size", value: sizes[saves % 4], baseRevision: revision }]);
        if (!outcome.ok) throw new Error(`save failed: ${JSON.stringify(outcome)}`);
        revision = outcome.revisions["org.size"]!;
        saves += 1;
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    try {
      // Both writers are under way before the backup starts...
      for (let tries = 0; ; tries++) {
        const written = readOnly(file, probeCounts)[0]?.n ?? 0;
        if (written > 50 && saves > 5) break;
        if (tries > 200) throw new Error("the writers did not start");
        await new Promise((r) => setTimeout(r, 25));
      }
      const result = await cli(file, "backup", backup);
      expect(result, result.stderr).toMatchObject({ code: 0 });
      expect(result.stdout).toContain("Integrity check: ok.");
      expect(result.stdout).toMatch(/Rows: organisation 4, user 7, assessment 2, answer \d+, submission 1, recommendation_response \d+, audit_log \d+\./);
      // ...and still going after it ended.
      const savesAtEnd = saves;
      const backedUp = readOnly(backup, probeCounts);
      for (let tries = 0; readOnly(file, probeCounts)[0]!.n <= backedUp[0]!.n || saves <= savesAtEnd; tries++) {
        if (tries > 200) throw new Error("the writers stopped");
        await new Promise((r) => setTimeout(r, 25));
      }
    } finally {
      saving = false;
      await saver;
      await stop(writer);
    }

    // The copy is intact, one self-contained file, and one moment's state: no pair split in two.
    expect(existsSync(`${backup}-wal`)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes(".backup-"))).toEqual([]);
    const backedUp = readOnly(backup, (b) => ({
      integrity: b.pragma("integrity_check", { simple: true }),
      journal: b.pragma("journal_mode", { simple: true }),
      probes: probeCounts(b),
      dump: dump(b),
    }));
    expect(backedUp.integrity).toBe("ok");
    expect(backedUp.journal).toBe("delete");
    const [a, b] = backedUp.probes;
    expect(a!.action).toBe("a");
    expect(b).toEqual({ action: "b", n: a!.n });
    expect(a!.n).toBeGreaterThan(50);
    const later = readOnly(file, probeCounts);
    expect(later[0]!.n).toBeGreaterThan(a!.n);

    // The app still has the database open: restore refuses and changes nothing.
    const refused = await cli(file, "restore", backup);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("is in use by another process. Stop every Lantern instance using it");
    expect(readOnly(file, probeCounts)).toEqual(later);

    // App stopped: restore puts the backup in place and keeps the database it replaced.
    await db!.destroy();
    db = undefined;
    const restored = await cli(file, "restore", backup);
    expect(restored, restored.stderr).toMatchObject({ code: 0 });
    expect(restored.stdout).toContain("Integrity check: ok.");
    expect(restored.stdout).toContain("Migrations: 2026-11-23-01-foundation");
    const kept = /The database it replaced is kept at (.+)\.\n/.exec(restored.stdout)![1]!;
    expect(readOnly(file, dump)).toEqual(backedUp.dump);
    expect(readOnly(file, (r) => r.pragma("integrity_check", { simple: true }))).toBe("ok");
    expect(readOnly(kept, probeCounts)).toEqual(later);
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(readOnly(backup, dump)).toEqual(backedUp.dump); // the backup itself is untouched

    // The app works on the restored database: it opens, migrates (nothing to do) and saves on top.
    db = createDb(file);
    await migrate(db);
    setDb(db);
    const again = await userFor(db, "admin@acme.example");
    const answer = await db.selectFrom("answer").select("revision").where("assessment_id", "=", assessmentId).where("question_id", "=", "org.size").executeTakeFirstOrThrow();
    const outcome = await saveAnswers(again, assessmentId, [{ questionId: "org.size", value: answer.revision % 2 ? "large" : "micro", baseRevision: answer.revision }]);
    expect(outcome.ok).toBe(true);
  }, 60_000);

  it("refuses to overwrite an existing file unless --force, and names what to do", async () => {
    const existing = join(dir, "existing.sqlite");
    writeFileSync(existing, "keep me");
    const refused = await cli(file, "backup", existing);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${existing} already exists. Choose another file name, or add --force to replace it.`);
    expect(refused.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const forced = await cli(file, "backup", existing, "--force");
    expect(forced, forced.stderr).toMatchObject({ code: 0 });
    expect(readOnly(existing, (b) => b.pragma("integrity_check", { simple: true }))).toBe("ok");
  }, 30_000);

  it("refuses files that are not Lantern backups, and missing ones, without a stack trace", async () => {
    const text = join(dir, "notes.txt");
    writeFileSync(text, "this is not a database\n".repeat(10));
    const other = join(dir, "other.sqlite");
    const otherDb = new SQLite(other);
    otherDb.exec("create table t (x)");
    otherDb.close();
    const before = readOnly(file, dump);

    const [notSqlite, notLantern, missing, badFolder] = await Promise.all([
      cli(file, "restore", text),
      cli(file, "restore", other),
      cli(file, "restore", join(dir, "nowhere.sqlite")),
      cli(file, "backup", join(dir, "no-such-folder", "b.sqlite")),
    ]);
    expect(notSqlite.code).toBe(1);
    expect(notSqlite.stderr).toContain(`${text} is not a SQLite database, so it is not a Lantern backup.`);
    expect(notLantern.code).toBe(1);
    expect(notLantern.stderr).toContain("is a SQLite database but not a Lantern one");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("There is no file at");
    expect(badFolder.code).toBe(2);
    expect(badFolder.stderr).toContain("does not exist. Create it first");
    for (const outcome of [notSqlite, notLantern, missing, badFolder]) expect(outcome.stderr).not.toMatch(/\n\s+at /);
    // Nothing was replaced, and no temporary file was left behind.
    expect(readOnly(file, dump)).toEqual(before);
    expect(readdirSync(dir).filter((f) => f.startsWith("."))).toEqual([]);
  }, 30_000);
});

describe("backup and restore on PostgreSQL", () => {
  it("refuse with exit code 2 and point to pg_dump in docs/operations.md", async () => {
    const url = "postgres://postgres@127.0.0.1:5432/test";
    const [backup, restore] = await Promise.all([cli(url, "backup", join(tmpdir(), "never-written.sqlite")), cli(url, "restore", "whatever.sqlite")]);
    for (const [outcome, command] of [
      [backup, "backup"],
      [restore, "restore"],
    ] as const) {
      expect(outcome.code).toBe(2);
      expect(outcome.stderr).toContain(`${command} works on SQLite only, and DATABASE_URL points at PostgreSQL. Use pg_dump and pg_restore instead`);
      expect(outcome.stderr).toContain("docs/operations.md");
      expect(outcome.stdout).toBe("");
    }
    expect(existsSync(join(tmpdir(), "never-written.sqlite"))).toBe(false);
  }, 30_000);
});
