import type { Migration, MigrationProvider } from "kysely";
import * as foundation from "./2026-11-23-01-foundation";

/** Every migration, in order. A static list so the bundled server needs no file-system scan. */
const migrations: Record<string, Migration> = {
  "2026-11-23-01-foundation": foundation,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
