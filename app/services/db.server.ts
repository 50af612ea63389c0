/** The process-wide database, migrated before first use. */
import { ensureImportBans } from "../../db/import-bans";
import { createDb, migrate, type Db } from "../../db/index";
import { env } from "../env.server";

let db: Db | undefined;
let ready: Promise<Db> | undefined;

export function getDb(): Promise<Db> {
  if (!ready) {
    db = createDb(env().DATABASE_URL, { schema: env().DATABASE_SCHEMA });
    ready = migrate(db, env().DATABASE_SCHEMA)
      .then(() => ensureImportBans(db!, env().QUESTIONNAIRES_DIR))
      .then(() => db!);
    ready.catch(() => {
      ready = undefined; // let the next request try again rather than caching the failure
    });
  }
  return ready;
}

/** Tests point the app at their own database. */
export function setDb(next: Db): void {
  db = next;
  ready = Promise.resolve(next);
}
