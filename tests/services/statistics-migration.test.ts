/**
 * Upgrading a database whose submissions were kept before statement statistics: each submission's
 * questionnaire moves into a snapshot named by its hash, its KPI outcomes and overall score are
 * worked out, and who counts for each department is built, so the dashboard counts the submissions
 * already there. On both databases.
 */
import { Migrator } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kpiOutcomes } from "../../app/domain/kpis";
import { parsePeriod } from "../../app/domain/periods";
import { scoreAnswers } from "../../app/domain/scoring";
import { applySkipLogic } from "../../app/domain/visibility";
import { setDb } from "../../app/services/db.server";
import { questionnaireVersion } from "../../app/services/questionnaires.server";
import { fillStatistics, findings } from "../../app/services/statistics.server";
import { applyMigrations, type Db } from "../../db/index";
import { createEmptyTestDb } from "../setup/db";
import { migrationProvider } from "../../db/migrations/index";
import { plausibleAnswers } from "../../db/seed";

let db: Db;
let schema: string | undefined;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, schema, close } = await createEmptyTestDb("statmig"));
  setDb(db);
});
afterAll(async () => close?.());

describe("the statistics migration", () => {
  it("keeps existing submissions' questionnaires as snapshots, works out their figures and who counts", async () => {
    const migrator = new Migrator({ db, provider: migrationProvider, ...(schema ? { migrationTableSchema: schema } : {}) });
    expect((await migrator.migrateTo("2026-11-25-08-conversations")).error).toBeUndefined();

    // As the previous release wrote them: the whole questionnaire inside every submission.
    const qn = questionnaireVersion("msat", "1.0.0")!;
    const at = "2025-06-02T09:00:00.000Z";
    const old = db as unknown as Db & { insertInto(table: string): { values(v: unknown): { execute(): Promise<unknown> } } };
    await old.insertInto("organisation").values([
      { id: "buyer", name: "Department for Tests", kind: "buyer", slug: "department-for-tests", company_number: null, country: null, created_at: at },
      { id: "supplier", name: "Old Submissions Ltd", kind: "supplier", slug: "old-submissions-ltd", company_number: null, country: "GB", created_at: at },
    ]).execute();
    await old.insertInto("user").values({ id: "user", organisation_id: "supplier", email: "admin@old.example", name: "Ola Old", role: "admin", password_hash: "x", created_at: at }).execute();
    const submissions = [0.3, 0.8].map((strength, i) => {
      const answers = applySkipLogic(qn, plausibleAnswers(qn, strength)).answers;
      return { i, answers, result: scoreAnswers(qn, answers), at: i === 0 ? at : "2025-09-01T09:00:00.000Z" };
    });
    for (const s of submissions) {
      await old.insertInto("assessment").values({ id: `a${s.i}`, organisation_id: "supplier", questionnaire_id: "msat", questionnaire_version: "1.0.0", status: "submitted", previous_submission_id: null, created_by: "user", created_at: s.at, updated_at: s.at }).execute();
      await old
        .insertInto("submission")
        .values({ id: `s${s.i}`, assessment_id: `a${s.i}`, organisation_id: "supplier", questionnaire_id: "msat", questionnaire_version: "1.0.0", questionnaire: JSON.stringify(qn), answers: JSON.stringify(s.answers), result: JSON.stringify(s.result), submitted_by: "user", created_at: s.at })
        .execute();
      await old.insertInto("assessment_share").values({ id: `sh${s.i}`, assessment_id: `a${s.i}`, supplier_organisation_id: "supplier", buyer_organisation_id: "buyer", shared_by: "user", shared_at: s.at, invitation_id: null, revoked_at: null, revoked_by: null }).execute();
    }

    await applyMigrations(db, schema);
    expect(await fillStatistics(db)).toBe(2);
    expect(await fillStatistics(db)).toBe(0);

    const rows = await db.selectFrom("submission").select(["id", "questionnaire", "kpis", "overall"]).orderBy("id").execute();
    expect(new Set(rows.map((r) => r.questionnaire)).size).toBe(1);
    expect(rows[0]!.questionnaire).toMatch(/^sha256:[0-9a-f]{64}$/);
    const snapshot = await db.selectFrom("questionnaire_snapshot").selectAll().executeTakeFirstOrThrow();
    expect(JSON.parse(snapshot.body)).toEqual(JSON.parse(JSON.stringify(qn)));
    for (const [i, r] of rows.entries()) {
      expect(JSON.parse(r.kpis!)).toEqual(kpiOutcomes(qn, submissions[i]!.answers));
      expect(r.overall).toBe(submissions[i]!.result.overall);
    }

    // The later of the two counts for 2025-26, compared with the earlier one.
    const entries = await db.selectFrom("statistics_entry").selectAll().execute();
    expect(entries.map((e) => [e.period, e.submission_id])).toEqual([["2025-26", "s1"]]);
    const period = parsePeriod("2025-26");
    if (!period.ok) throw new Error(period.error);
    const found = await findings(db, "buyer", { period: period.period, filters: {}, smallNumbers: true });
    expect(found.current.suppliers).toBe(1);
    expect(found.current.versions).toEqual([{ questionnaire: "msat", version: "1.0.0", suppliers: 1 }]);
    expect(found.current.scoreChange.suppliers).toBe(1);
    const mapped = found.current.figures.find((f) => f.id === "supply_chain_mapped")!;
    expect(mapped.denominator).toBe(1);
    expect(mapped.numerator).toBe(kpiOutcomes(qn, submissions[1]!.answers).supply_chain_mapped === 2 ? 1 : 0);
  });
});
