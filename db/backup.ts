/**
 * Backup and restore of a SQLite database, for the operator's command line.
 *
 * backupSqlite copies a live database (the app may keep serving and writing) with SQLite's online
 * backup API, checks the copy and only then gives it its final name. restoreSqlite checks a backup,
 * keeps the database it replaces, and swaps the backup in with one rename. PostgreSQL has pg_dump.
 */
import { randomBytes } from "node:crypto";
import { closeSync, copyFileSync, existsSync, openSync, readSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import SQLite from "better-sqlite3";
import { migrationProvider } from "./migrations/index";

/** A refusal or failure the operator can act on: the message says what to do; no stack trace. */
export class BackupError extends Error {
  constructor(
    message: string,
    /** 2 when the command was used wrongly, 1 when it ran and could not do the job. */
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

/** Tables whose row counts are printed after a backup or restore, so a person can compare them. */
export const COUNTED_TABLES = ["organisation", "user", "assessment", "answer", "submission", "recommendation_response", "audit_log"] as const;

export type TableCounts = Record<string, number>;

export type BackupReport = { file: string; bytes: number; integrity: string; counts: TableCounts };

export type RestoreReport = BackupReport & {
  /** Where the database that was replaced now is (none when there was no database yet). */
  previous?: string;
  migrations: string[];
};

const SQLITE_HEADER = "SQLite format 3\0";

/** Every page in one step: one read transaction on the source, so the copy is one moment's state. */
const ALL_PAGES = 0x7fffffff;

function isSqliteFile(path: string): boolean {
  if (statSync(path).size < SQLITE_HEADER.length) return false;
  const fd = openSync(path, "r");
  try {
    const header = Buffer.alloc(SQLITE_HEADER.length);
    readSync(fd, header, 0, header.length, 0);
    return header.toString("latin1") === SQLITE_HEADER;
  } finally {
    closeSync(fd);
  }
}

function requireFolder(path: string): void {
  const folder = dirname(resolve(path));
  if (!existsSync(folder)) throw new BackupError(`The folder ${folder} does not exist. Create it first, or choose another place.`, 2);
}

/** A name beside `path` for a file that is being written and is not ready yet. */
function partialName(path: string, what: string): string {
  return join(dirname(resolve(path)), `.${basename(path)}.${what}-${process.pid}-${randomBytes(4).toString("hex")}`);
}

function removeDatabaseFiles(path: string): void {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(path + suffix, { force: true });
}

/** `PRAGMA integrity_check`: "ok", or the problems it found on one line. */
export function integrityCheck(db: SQLite.Database): string {
  const rows = db.pragma("integrity_check") as Array<{ integrity_check: string }>;
  return rows.map((r) => r.integrity_check).join("; ");
}

export function tableCounts(db: SQLite.Database): TableCounts {
  const present = new Set((db.prepare("select name from sqlite_master where type = 'table'").all() as Array<{ name: string }>).map((r) => r.name));
  const counts: TableCounts = {};
  for (const table of COUNTED_TABLES) {
    if (present.has(table)) counts[table] = (db.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n;
  }
  return counts;
}

function migrationsIn(db: SQLite.Database): string[] | undefined {
  const table = db.prepare("select name from sqlite_master where type = 'table' and name = 'kysely_migration'").get();
  if (!table) return undefined;
  return (db.prepare("select name from kysely_migration order by name").all() as Array<{ name: string }>).map((r) => r.name);
}

/** Open a file that should be a SQLite database, with a message that says so when it is not. */
function openDatabase(path: string, what: string): SQLite.Database {
  if (!isSqliteFile(path)) throw new BackupError(`${what} is not a SQLite database.`);
  try {
    const db = new SQLite(path, { fileMustExist: true });
    db.pragma("busy_timeout = 5000");
    return db;
  } catch (error) {
    throw new BackupError(`${what} could not be opened: ${(error as Error).message}.`);
  }
}

/**
 * Copy the database at `source` to `target` while the app keeps running: a consistent copy,
 * checked with PRAGMA integrity_check, written under a temporary name and renamed into place.
 * The copy is one self-contained file (rollback journal mode; the app switches it back to WAL).
 */
export async function backupSqlite(source: string, target: string, options: { force?: boolean } = {}): Promise<BackupReport> {
  if (!existsSync(source)) throw new BackupError(`There is no database at ${source}. Check DATABASE_URL.`, 2);
  if (resolve(source) === resolve(target)) throw new BackupError("The backup file must not be the database itself.", 2);
  if (existsSync(target) && !options.force) {
    throw new BackupError(`${target} already exists. Choose another file name, or add --force to replace it.`, 2);
  }
  requireFolder(target);

  const partial = partialName(target, "backup");
  const db = openDatabase(source, `The database at ${source}`);
  try {
    await db.backup(partial, { progress: () => ALL_PAGES });
  } catch (error) {
    removeDatabaseFiles(partial);
    throw new BackupError(`The backup could not be written: ${(error as Error).message}.`);
  } finally {
    db.close();
  }

  let report: BackupReport;
  const copy = new SQLite(partial, { fileMustExist: true });
  try {
    const integrity = integrityCheck(copy);
    if (integrity !== "ok") throw new BackupError(`The copy failed its integrity check (${integrity}); nothing was saved. Check the database itself with \`sqlite3 ${source} 'pragma integrity_check'\`.`);
    copy.pragma("journal_mode = DELETE");
    report = { file: target, bytes: 0, integrity, counts: tableCounts(copy) };
  } catch (error) {
    copy.close();
    removeDatabaseFiles(partial);
    throw error;
  }
  copy.close();
  // A replaced backup's own -wal/-shm (had someone opened it) must not be applied to the new file.
  for (const suffix of ["-wal", "-shm", "-journal"]) rmSync(target + suffix, { force: true });
  renameSync(partial, target);
  report.bytes = statSync(target).size;
  return report;
}

/**
 * Check that `backup` is an intact Lantern database, then put it in place of the database at
 * `target`. The app must be stopped: a database still open in another process is refused. The
 * replaced database is kept beside it (`<target>.before-restore-<time>`).
 */
export async function restoreSqlite(backup: string, target: string, now = new Date()): Promise<RestoreReport> {
  if (!existsSync(backup)) throw new BackupError(`There is no file at ${backup}.`, 2);
  if (statSync(backup).isDirectory()) throw new BackupError(`${backup} is a folder, not a backup file.`, 2);
  if (resolve(backup) === resolve(target)) throw new BackupError(`${backup} is the database itself; name a backup file.`, 2);
  if (!isSqliteFile(backup)) throw new BackupError(`${backup} is not a SQLite database, so it is not a Lantern backup.`);
  requireFolder(target);

  // Work on a copy beside the target: the backup file stays untouched, and the final step is a
  // rename within one folder. A -wal beside the backup (a copy of a live database) comes too.
  const partial = partialName(target, "restore");
  copyFileSync(backup, partial);
  if (existsSync(`${backup}-wal`)) copyFileSync(`${backup}-wal`, `${partial}-wal`);
  let report: Omit<RestoreReport, "bytes" | "previous">;
  try {
    report = checkBackup(partial, backup);
    const unknown = await unknownMigrations(report.migrations);
    if (unknown.length > 0) {
      throw new BackupError(`${backup} was made by a newer version of Lantern (it has the migration ${unknown.join(", ")}, which this version does not know). Restore it with that version or a later one.`);
    }
  } catch (error) {
    removeDatabaseFiles(partial);
    throw error;
  }

  let previous: string | undefined;
  try {
    if (existsSync(target)) {
      previous = `${target}.before-restore-${now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}`;
      setAside(target, previous);
    }
    // The target's -wal and -shm belong to the database being replaced: left there, SQLite would
    // apply that log to the restored file. Remove them first, then rename in one step.
    for (const suffix of ["-wal", "-shm", "-journal"]) rmSync(target + suffix, { force: true });
    renameSync(partial, target);
  } catch (error) {
    removeDatabaseFiles(partial);
    throw error;
  }
  return { ...report, file: target, bytes: statSync(target).size, ...(previous ? { previous } : {}) };
}

function checkBackup(path: string, shownAs: string): Omit<RestoreReport, "bytes" | "previous"> {
  const db = openDatabase(path, shownAs);
  try {
    let integrity: string;
    try {
      integrity = integrityCheck(db);
    } catch (error) {
      throw new BackupError(`${shownAs} is damaged: ${(error as Error).message}. Restore another backup.`);
    }
    if (integrity !== "ok") throw new BackupError(`${shownAs} failed its integrity check (${integrity}). Restore another backup.`);
    const migrations = migrationsIn(db);
    const counts = tableCounts(db);
    if (!migrations || migrations.length === 0 || !("organisation" in counts)) {
      throw new BackupError(`${shownAs} is a SQLite database but not a Lantern one (it has no Lantern tables or migration history).`);
    }
    return { file: path, integrity, counts, migrations };
  } finally {
    // Fold any copied -wal into the file and leave a single file in rollback journal mode.
    try {
      db.pragma("journal_mode = DELETE");
    } finally {
      db.close();
    }
  }
}

/**
 * Refuse if any process still has the database open (a running app), then keep a copy of it.
 * Exclusive locking mode makes SQLite take the file's exclusive lock, which it cannot get while
 * another connection, even an idle one, has the file open in WAL mode.
 */
function setAside(target: string, keepAs: string): void {
  let db: SQLite.Database | undefined;
  try {
    db = new SQLite(target, { fileMustExist: true });
    db.pragma("busy_timeout = 2000");
    db.pragma("locking_mode = EXCLUSIVE");
    db.exec("begin exclusive; commit");
  } catch (error) {
    db?.close();
    const code = (error as { code?: string }).code;
    if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED") {
      throw new BackupError(`The database at ${target} is in use by another process. Stop every Lantern instance using it, then restore again.`);
    }
    // Not a usable database (which may be why it is being restored): keep the file as it is.
    copyFileSync(target, keepAs);
    return;
  }
  try {
    // Fold the write-ahead log into the file so the kept copy is complete on its own.
    db.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    db.close();
  }
  copyFileSync(target, keepAs);
}

/** Migrations this version of Lantern does not know: a backup that has them comes from a newer version. */
async function unknownMigrations(migrations: string[]): Promise<string[]> {
  const known = new Set(Object.keys(await migrationProvider.getMigrations()));
  return migrations.filter((m) => !known.has(m));
}
