/**
 * The setup lock on its own: several `cli setup` processes that reach an empty database at the same
 * millisecond (held back to an agreed moment) all succeed, and exactly one of them seeds. Without
 * the lock they fail with "table already exists" or a duplicate demo user.
 */
import { sql } from "kysely";
import { afterAll, expect, it } from "vitest";
import { migrationProvider } from "../../db/migrations/index";
import { DEMO_ORGANISATIONS, DEMO_USERS } from "../../db/seed";
import { DEMO_INVITED_SUPPLIERS, DEMO_STATISTICS_SUPPLIERS } from "../../app/commands/demo";
import { emptyDatabase, setupAt } from "./instances";

const database = emptyDatabase();
afterAll(() => database.drop());

it("three setups at the same moment on an empty database: all succeed, migrated once, seeded once", async () => {
  const startAt = Date.now() + 5000; // time enough for each process to load the app first
  const runs = await Promise.all([0, 1, 2].map(() => setupAt(database, startAt)));
  for (const run of runs) expect(run, run.output).toMatchObject({ code: 0 });
  const outputs = runs.map((r) => r.output);
  expect(outputs.filter((o) => o.includes("Seeded demo organisations"))).toHaveLength(1);
  expect(outputs.filter((o) => o.includes("Database already has data; not seeding."))).toHaveLength(2);

  const db = database.open();
  try {
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
    expect(rows.map((r) => r.name).sort()).toEqual(Object.keys(await migrationProvider.getMigrations()).sort());
    const organisations = await db.selectFrom("organisation").select("name").execute();
    // The demo organisations, the suppliers that join through the demo's invitations, and the
    // suppliers whose statistics history the demo imports (each with the system user of its records).
    const named = [...DEMO_ORGANISATIONS.map((o) => o.name), ...DEMO_INVITED_SUPPLIERS.map((s) => s.name)];
    expect(organisations.map((o) => o.name)).toEqual(expect.arrayContaining(named));
    expect(organisations).toHaveLength(named.length + DEMO_STATISTICS_SUPPLIERS);
    const users = await db.selectFrom("user").select(["email", "system"]).execute();
    expect(users.filter((u) => Number(u.system) === 0)).toHaveLength(DEMO_USERS.length + DEMO_INVITED_SUPPLIERS.length);
    expect(users.filter((u) => Number(u.system) === 1)).toHaveLength(DEMO_STATISTICS_SUPPLIERS);
  } finally {
    await db.destroy();
  }
}, 60_000);
