/**
 * Several app instances on one database, as behind a load balancer: built once, each started as
 * `npm start` starts it (`cli setup`, then the production server), all at the same moment on an
 * empty database, with one shared SESSION_SECRET. Runs on SQLite, or on PostgreSQL when
 * DATABASE_URL is a postgres:// URL.
 */
import { randomBytes } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../../db/index";
import { migrationProvider } from "../../db/migrations/index";
import { DEMO_ORGANISATIONS, DEMO_PASSWORD, DEMO_USERS } from "../../db/seed";
import { DEMO_INVITED_SUPPLIERS, DEMO_STATISTICS_SUPPLIERS } from "../../app/commands/demo";
import { emptyDatabase, freePort, type Instance, postForm, saveAnswer, startInstance, type TestDatabase, waitUntilHealthy } from "./instances";

const migrationNames = async () => Object.keys(await migrationProvider.getMigrations()).sort();

async function count(db: Db, table: "organisation" | "user" | "assessment"): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function migrationsRecorded(db: Db): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  return rows.map((r) => r.name).sort();
}

async function startTogether(database: TestDatabase, runSetup: boolean): Promise<[Instance, Instance]> {
  const sessionSecret = randomBytes(24).toString("hex");
  const [portA, portB] = [await freePort(), await freePort()];
  const instances: [Instance, Instance] = [
    startInstance(database, { name: "instance A", port: portA, sessionSecret, runSetup }),
    startInstance(database, { name: "instance B", port: portB, sessionSecret, runSetup }),
  ];
  try {
    await Promise.all(instances.map((i) => waitUntilHealthy(i)));
  } catch (error) {
    await Promise.all(instances.map((i) => i.stop()));
    throw error;
  }
  return instances;
}

describe("two instances started at once on an empty database", () => {
  let database: TestDatabase;
  let db: Db;
  let a: Instance;
  let b: Instance;

  beforeAll(async () => {
    database = emptyDatabase();
    [a, b] = await startTogether(database, true);
    db = database.open();
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.destroy();
    await database?.drop();
  });

  it("both come up, the schema is migrated once and the demo data seeded once", async () => {
    expect(await migrationsRecorded(db)).toEqual(await migrationNames());
    // The demo organisations, the suppliers that join through the demo's invitations, and those whose
    // statistics history the demo imports (each with the system user of its imported records).
    expect(await count(db, "organisation")).toBe(DEMO_ORGANISATIONS.length + DEMO_INVITED_SUPPLIERS.length + DEMO_STATISTICS_SUPPLIERS);
    expect(await count(db, "user")).toBe(DEMO_USERS.length + DEMO_INVITED_SUPPLIERS.length + DEMO_STATISTICS_SUPPLIERS);
    const said = [a.output(), b.output()];
    expect(said.filter((o) => o.includes("Seeded demo organisations"))).toHaveLength(1);
    expect(said.filter((o) => o.includes("Database already has data; not seeding."))).toHaveLength(1);
    for (const output of said) expect(output).not.toMatch(/error|failed/i);
  });

  it("a user signed in on one instance is signed in on the other", async () => {
    const signIn = await postForm(a, "/sign-in", { email: "admin@acme.example", password: DEMO_PASSWORD, redirectTo: "" });
    expect(signIn.status).toBe(302);
    const cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;

    const elsewhere = await fetch(`${b.origin}/supplier`, { headers: { Cookie: cookie }, redirect: "manual" });
    expect(elsewhere.status).toBe(200);
    expect(await elsewhere.text()).toContain("Acme Facilities Ltd");
    // Without the cookie the same page sends a visitor to sign in: the cookie is what made the difference.
    const anonymous = await fetch(`${b.origin}/supplier`, { redirect: "manual" });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/sign-in/);
  });

  it("two saves of the same question from the same revision through different instances: one lands, the other is a conflict", async () => {
    const signIn = await postForm(b, "/sign-in", { email: "contributor@acme.example", password: DEMO_PASSWORD, redirectTo: "" });
    const cookie = signIn.headers.get("set-cookie")!.split(";")[0]!;
    const started = await postForm(a, "/supplier", {}, cookie);
    expect(started.status).toBe(302);
    const assessmentId = /^\/assessments\/([^/?]+)$/.exec(started.headers.get("location") ?? "")![1]!;

    // Sent at the same moment: each time exactly one instance wins the race. The first round races
    // to create the answer, the second (org.size) to change it; in every round both values differ
    // from the stored one (saving the stored value again is not a change, so never a conflict).
    const questions: Array<[string, ...Array<[unknown, unknown]>]> = [
      ["org.size", ["small", "large"], ["micro", "medium"]],
      ["mapping.has_mapped", ["yes", "no"]],
      ["recruitment.prohibits_worker_fees", ["yes", "no"]],
    ];
    for (const [questionId, ...rounds] of questions) {
      let revision = 0;
      for (const [viaA, viaB] of rounds) {
        const [fromA, fromB] = await Promise.all([
          saveAnswer(a, cookie, assessmentId, { questionId, value: viaA, baseRevision: revision }),
          saveAnswer(b, cookie, assessmentId, { questionId, value: viaB, baseRevision: revision }),
        ]);
        expect([fromA.status, fromB.status].sort(), `${questionId} from revision ${revision}`).toEqual([200, 409]);
        const [winner, loser] = fromA.status === 200 ? [fromA, fromB] : [fromB, fromA];
        const winningValue = fromA.status === 200 ? viaA : viaB;
        revision += 1;
        expect(await winner.json()).toEqual({ revision });
        const { conflict } = (await loser.json()) as { conflict: { theirs: unknown; revision: number } };
        expect(conflict).toMatchObject({ theirs: winningValue, revision });
        const stored = await db
          .selectFrom("answer")
          .select(["value", "revision"])
          .where("assessment_id", "=", assessmentId)
          .where("question_id", "=", questionId)
          .executeTakeFirstOrThrow();
        expect({ value: JSON.parse(stored.value) as unknown, revision: stored.revision }).toEqual({ value: winningValue, revision });
      }
    }

    // Not at the same moment: a save based on a revision older than the stored one (2) is refused too,
    // whichever instance it reaches.
    for (const instance of [a, b]) {
      const late = await saveAnswer(instance, cookie, assessmentId, { questionId: "org.size", value: "small", baseRevision: 1 });
      expect(late.status, instance.name).toBe(409);
    }
  });
});

describe("servers started without setup on an empty database", () => {
  let database: TestDatabase;
  let db: Db | undefined;
  let instances: Instance[] = [];

  afterAll(async () => {
    await Promise.all(instances.map((i) => i.stop()));
    await db?.destroy();
    await database?.drop();
  });

  it("each migrates on its first request, under the lock: both healthy, every migration recorded once", async () => {
    database = emptyDatabase();
    instances = await startTogether(database, false);
    db = database.open();
    expect(await migrationsRecorded(db)).toEqual(await migrationNames());
    expect(await count(db, "organisation")).toBe(0);
    for (const instance of instances) expect(instance.output()).not.toMatch(/error|failed/i);
  }, 120_000);
});
