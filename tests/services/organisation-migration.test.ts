/** Organisations that existed before slugs get one from their name, unique, on both databases. */
import { Migrator } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, type Db } from "../../db/index";
import { createEmptyTestDb } from "../setup/db";
import { migrationProvider } from "../../db/migrations/index";

let db: Db;
let schema: string | undefined;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, schema, close } = await createEmptyTestDb("orgmig"));
});
afterAll(async () => close?.());

describe("the organisation identity migration", () => {
  it("gives existing organisations unique slugs from their names", async () => {
    const migrator = new Migrator({ db, provider: migrationProvider, ...(schema ? { migrationTableSchema: schema } : {}) });
    const before = await migrator.migrateTo("2026-11-25-02-import-bans");
    expect(before.error).toBeUndefined();
    const at = new Date().toISOString();
    await db
      .insertInto("organisation" as never)
      .values([
        { id: "a", name: "Department for Public Works", kind: "buyer", created_at: at },
        { id: "b", name: "Department for Public Works", kind: "buyer", created_at: at },
        { id: "c", name: "Café Société & Co.", kind: "supplier", created_at: at },
      ] as never)
      .execute();
    await applyMigrations(db, schema);
    const rows = await db.selectFrom("organisation").select(["id", "slug", "company_number"]).orderBy("id").execute();
    expect(rows).toEqual([
      { id: "a", slug: "department-for-public-works", company_number: null },
      { id: "b", slug: "department-for-public-works-2", company_number: null },
      { id: "c", slug: "cafe-societe-co", company_number: null },
    ]);
    await expect(db.updateTable("organisation").set({ slug: "cafe-societe-co" }).where("id", "=", "a").execute()).rejects.toThrow();
    // several suppliers without a company number are fine; the same number twice is not
    await db.updateTable("organisation").set({ company_number: "SC123456" }).where("id", "=", "c").execute();
    await expect(db.updateTable("organisation").set({ company_number: "SC123456" }).where("id", "=", "b").execute()).rejects.toThrow();
  });
});
