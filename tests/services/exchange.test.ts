/**
 * The exchange format: every problem an import can find (with its line and question), all or
 * nothing, suppliers matched or created, contracts linked, results scored exactly as the app scores,
 * system users that never sign in, exports by supplier and by department, and the round trip
 * export -> import into an empty database -> export, byte for byte, with the demo data's submissions
 * made in the app.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../db/ids";
import { ensureImportBans, listImportBans } from "../../db/import-bans";
import { createDb, dbKind, type Db, migrate } from "../../db/index";
import { addOrganisation } from "../../db/organisations";
import { seedDemoRegister } from "../../db/seed-register";
import { plausibleAnswers } from "../../db/seed";
import { seedDemoBuyerSide } from "../../app/commands/demo";
import type { Answers } from "../../app/domain/answers";
import type { ExchangeProblem } from "../../app/domain/exchange";
import { kpiMasks, kpiOutcomes } from "../../app/domain/kpis";
import { scoreAnswers } from "../../app/domain/scoring";
import { screen } from "../../app/domain/screening";
import { verifyPassword } from "../../app/domain/passwords";
import { checkCredentials } from "../../app/services/auth.server";
import { setDb } from "../../app/services/db.server";
import { importSubmissions, NO_PASSWORD, type ImportOutcome } from "../../app/services/exchange.server";
import { exportLines, exportScope } from "../../app/services/exchange-export.server";
import { questionnaireVersion } from "../../app/services/questionnaires.server";
import { getSharedReport } from "../../app/services/reports.server";
import { contextFor } from "../../app/services/risk.server";
import { createTestDb, type TestDb } from "../setup/db";
import { homeOfficeLines } from "../setup/home-office";
import { userFor } from "../setup/requests";

const NOW = new Date("2026-06-01T09:00:00Z");
let t: TestDb;
let dir: string;
let fileNo = 0;
const qn10 = questionnaireVersion("msat", "1.0.0")!;
const qn11 = questionnaireVersion("msat", "1.1.0")!;

beforeAll(async () => {
  t = await createTestDb(NOW);
  dir = mkdtempSync(join(tmpdir(), "lantern-exchange-"));
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Write lines (objects are written as JSON) to a new file; returns its path. */
function file(lines: Array<string | object>): string {
  const path = join(dir, `f${++fileNo}.jsonl`);
  writeFileSync(path, lines.map((l) => (typeof l === "string" ? l : JSON.stringify(l))).join("\n") + "\n");
  return path;
}

/** A complete, valid line on MSAT 1.0.0 for a supplier. */
function line(supplier: object, submittedAt: string, more: Record<string, unknown> = {}) {
  return { supplier, sharedWith: ["department-for-public-works"], questionnaire: "msat", version: "1.0.0", submittedAt, answers: plausibleAnswers(qn10, 0.6), ...more };
}

async function importFile(lines: Array<string | object>, db: Db = t.db): Promise<ImportOutcome> {
  return importSubmissions(db, file(lines), NOW);
}

async function problemsOf(lines: Array<string | object>): Promise<ExchangeProblem[]> {
  const outcome = await importFile(lines);
  if (outcome.ok) throw new Error("expected problems, the file was imported");
  return outcome.problems;
}

const count = async (db: Db, table: "organisation" | "user" | "assessment" | "submission" | "assessment_share" | "statistics_entry" | "audit_log") =>
  Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

async function counts(db: Db = t.db) {
  return {
    organisation: await count(db, "organisation"),
    user: await count(db, "user"),
    assessment: await count(db, "assessment"),
    submission: await count(db, "submission"),
    assessment_share: await count(db, "assessment_share"),
    statistics_entry: await count(db, "statistics_entry"),
  };
}

async function exported(db: Db, slug?: string): Promise<string> {
  const scope = await exportScope(db, slug);
  if (!scope.ok) throw new Error(scope.error);
  let text = "";
  for await (const l of exportLines(db, scope.scope)) text += `${l}\n`;
  return text;
}

/** A migrated database with no organisations at all (its own SQLite file or PostgreSQL schema). */
async function emptyDb(): Promise<{ db: Db; close: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (dbKind(url) === "postgres") {
    const schema = `exchange_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    const db = createDb(url, { schema, poolSize: 3 });
    await migrate(db, schema);
    await ensureImportBans(db);
    return {
      db,
      close: async () => {
        await db.destroy();
        await admin.query(`drop schema ${schema} cascade`);
        await admin.end();
      },
    };
  }
  const db = createDb(join(mkdtempSync(join(dir, "empty-")), "empty.sqlite"));
  await migrate(db);
  await ensureImportBans(db);
  return { db, close: () => db.destroy() };
}

const where = (problems: ExchangeProblem[]) => problems.map((p) => [p.line, p.questionId, p.code]);

describe("import: every problem, by line and question", () => {
  it("reads the shape of each line: JSON, keys, fields, supplier, questionnaire, dates", async () => {
    const ok = (n: number) => ({ name: `Shape Test ${n} Ltd` });
    const problems = await problemsOf([
      "this is not JSON", // 1
      "[1, 2, 3]", // 2
      line(ok(3), "2020-11-05T10:00:00Z", { extra: true }), // 3
      line({ name: "Shape Test 4 Ltd", vat: "GB123" }, "2020-11-05T10:00:00Z"), // 4
      { supplier: ok(5), questionnaire: "msat", submittedAt: "2020-11-05T10:00:00Z", answers: {} }, // 5: no version
      line({}, "2020-11-05T10:00:00Z"), // 6: no supplier name
      line(ok(7), "2020-11-05T10:00:00Z", { sharedWith: "department-for-public-works" }), // 7
      line({ name: "" }, "2020-11-05T10:00:00Z"), // 8
      line({ name: "Shape Test 9 Ltd", companyNumber: "123" }, "2020-11-05T10:00:00Z"), // 9
      line({ name: "Shape Test 10 Ltd", country: "XX" }, "2020-11-05T10:00:00Z"), // 10
      line({ name: "Shape\u0007 Test 11 Ltd" }, "2020-11-05T10:00:00Z"), // 11
      line(ok(12), "2020-11-05T10:00:00Z", { version: "9.9.9" }), // 12
      line(ok(13), "2020-11-05"), // 13
      line(ok(14), "2020-02-30T10:00:00Z"), // 14
      line(ok(15), "2026-06-01T09:00:01Z"), // 15: a second after NOW
      { supplier: ok(16), questionnaire: "msat", version: "1.0.0", answers: plausibleAnswers(qn10, 0.6) }, // 16: no submittedAt
      line(ok(17), "2020-11-05T10:00:00Z", { answers: undefined }), // 17: no answers
      line(ok(18), "2020-11-05T10:00:00Z", { answers: ["org.size"] }), // 18
    ]);
    expect(where(problems)).toEqual([
      [1, null, "bad_json"],
      [2, null, "bad_json"],
      [3, null, "unknown_key"],
      [4, null, "unknown_key"],
      [5, null, "missing_field"],
      [6, null, "missing_field"],
      [7, null, "bad_field"],
      [8, null, "bad_supplier"],
      [9, null, "bad_supplier"],
      [10, null, "bad_supplier"],
      [11, null, "bad_supplier"],
      [12, null, "unknown_questionnaire"],
      [13, null, "bad_date"],
      [14, null, "bad_date"],
      [15, null, "bad_date"],
      [16, null, "bad_date"],
      [17, null, "missing_field"],
      [18, null, "bad_field"],
    ]);
    const message = (n: number) => problems.find((p) => p.line === n)!.message;
    expect(message(1)).toMatch(/^line 1: is not valid JSON/);
    expect(message(3)).toBe("line 3: 'extra' is not part of the format; a line has supplier, sharedWith, questionnaire, version, submittedAt, answers");
    expect(message(4)).toBe("line 4: supplier.vat is not part of the format; a supplier has name, companyNumber, country");
    expect(message(5)).toMatch(/^line 5: version is missing/);
    expect(message(9)).toMatch(/^line 9: supplier.companyNumber '123': Enter a Companies House number of 8 characters/);
    expect(message(10)).toBe("line 10: supplier.country 'XX' is not an ISO 3166-1 alpha-2 country code, like GB or MY");
    expect(message(11)).toMatch(/control characters/);
    expect(message(12)).toMatch(/^line 12: there is no questionnaire 'msat' version '9.9.9'/);
    expect(message(13)).toMatch(/must be an ISO 8601 date and time with a time zone/);
    expect(message(14)).toMatch(/is not a real date and time/);
    expect(message(15)).toMatch(/is in the future/);
    expect(message(16)).toMatch(/^line 16: submittedAt is missing/);
  });

  it("checks every answer against its question: unknown, not an option, invalid, hidden, required", async () => {
    const answers: Answers = { ...plausibleAnswers(qn10, 0.6) };
    answers["org.size"] = "enormous";
    answers["purchasing.assessed_practices"] = "yes";
    answers["purchasing.aspects_assessed"] = ["price", "pricing"];
    answers["purchasing.payment_days"] = "soon";
    answers["mapping.has_mapped"] = "no";
    answers["mapping.deepest_tier"] = "tier2";
    delete answers["recruitment.written_contracts"];
    const problems = await problemsOf([line({ name: "Answers Test Ltd" }, "2020-11-05T10:00:00Z", { answers: { "no.such": "x", ...answers } })]);
    const byQuestion = Object.fromEntries(problems.map((p) => [p.questionId, p]));
    expect(problems.every((p) => p.line === 1)).toBe(true);
    expect(byQuestion["no.such"]).toMatchObject({ code: "unknown_question", message: "line 1: no.such: there is no such question in msat 1.0.0" });
    expect(byQuestion["org.size"]).toMatchObject({ code: "not_an_option", message: "line 1: org.size: 'enormous' is not an option; choose from micro, small, medium, large" });
    expect(byQuestion["purchasing.aspects_assessed"]).toMatchObject({
      code: "not_an_option",
      message: "line 1: purchasing.aspects_assessed: 'price' is not an option; choose from pricing, lead_times, payment_terms, order_changes, forecasting, none",
    });
    expect(byQuestion["purchasing.payment_days"]).toMatchObject({ code: "invalid" });
    expect(byQuestion["purchasing.payment_days"]!.message).toMatch(/Enter a whole number/);
    expect(byQuestion["mapping.deepest_tier"]).toMatchObject({ code: "hidden" });
    expect(byQuestion["mapping.deepest_tier"]!.message).toMatch(/does not apply given this line's other answers \(it depends on mapping.has_mapped\)/);
    expect(byQuestion["recruitment.written_contracts"]).toMatchObject({ code: "required" });
    // Nothing else: the questions that follow a wrong answer are not also reported as hidden or missing.
    expect(problems).toHaveLength(6);
  });

  it("checks the departments, the same submission twice, the encoding and an empty file", async () => {
    const supplier = { name: "Twice Ltd", companyNumber: "SC000001" };
    const problems = await problemsOf([
      line({ name: "Department Test Ltd" }, "2020-11-05T10:00:00Z", { sharedWith: ["no-such-department", "acme-facilities-ltd", "department-for-public-works"] }), // 1
      line(supplier, "2020-11-05T10:00:00Z"), // 2
      "", // 3: blank, ignored
      line({ ...supplier, companyNumber: "sc 000001", name: "Twice Limited" }, "2020-11-05T11:00:00+01:00"), // 4: the same instant
    ]);
    expect(where(problems)).toEqual([
      [1, null, "unknown_department"],
      [1, null, "unknown_department"],
      [4, null, "duplicate"],
    ]);
    expect(problems[0]!.message).toBe("line 1: sharedWith: 'acme-facilities-ltd' is Acme Facilities Ltd, a supplier, not a department");
    expect(problems[1]!.message).toMatch(/^line 1: sharedWith: 'no-such-department' is not a department in Lantern/);
    expect(problems[2]!.message).toBe("line 4: the same submission as line 2: Twice Limited (company number SC000001) submitted at 2020-11-05T10:00:00Z");

    const bytes = file([]);
    writeFileSync(bytes, Buffer.concat([Buffer.from(`${JSON.stringify(line({ name: "Encoding Ltd" }, "2020-11-05T10:00:00Z"))}\n`), Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a])]));
    const encoding = await importSubmissions(t.db, bytes, NOW);
    expect(encoding.ok ? [] : where(encoding.problems)).toEqual([[2, null, "bad_encoding"]]);

    const empty = await problemsOf(["", "   "]);
    expect(where(empty)).toEqual([[null, null, "empty_file"]]);
  });

  it("lists at most 100,000 problems, then says how many more there are", async () => {
    const empty = Array.from({ length: 3000 }, (_, i) => line({ name: `Empty ${i} Ltd` }, new Date(Date.UTC(2020, 5, 1) + i * 60_000).toISOString(), { answers: {} }));
    const perLine = (await problemsOf([empty[0]!])).length;
    expect(perLine).toBeGreaterThan(35);
    const problems = await problemsOf(empty);
    expect(problems).toHaveLength(100_001);
    expect(problems.slice(0, -1).every((p) => p.code === "required")).toBe(true);
    expect(problems.at(-1)).toEqual({
      line: null,
      questionId: null,
      code: "too_many_problems",
      message: `... and ${3000 * perLine - 100_000} more problems, not listed: fix these first (the file is probably wrong throughout)`,
    });
  });

  it("finds a submission Lantern already has", async () => {
    const first = await importFile([line({ name: "Already Here Ltd", companyNumber: "SC000002" }, "2020-12-01T10:00:00.500Z")]);
    expect(first).toMatchObject({ ok: true, imported: 1 });
    const again = await problemsOf([line({ name: "Already Here Ltd", companyNumber: "SC000002" }, "2020-12-01T10:00:00.500Z"), line({ name: "Already Here Ltd", companyNumber: "SC000002" }, "2021-12-01T10:00:00Z")]);
    expect(again).toEqual([
      { line: 1, questionId: null, code: "duplicate", message: "line 1: Lantern already has this submission: Already Here Ltd (company number SC000002) submitted at 2020-12-01T10:00:00.500Z" },
    ]);
  });

  it("writes nothing when one line among good ones has a problem", async () => {
    const before = await counts();
    const good = Array.from({ length: 5 }, (_, i) => line({ name: `All Or Nothing ${i} Ltd`, companyNumber: `OC00010${i}` }, `2021-01-0${i + 1}T10:00:00Z`));
    const bad = line({ name: "All Or Nothing Bad Ltd" }, "2021-01-09T10:00:00Z", { answers: { ...plausibleAnswers(qn10, 0.6), "org.size": "huge" } });
    const problems = await problemsOf([...good.slice(0, 3), bad, ...good.slice(3)]);
    expect(where(problems)).toEqual([[4, "org.size", "not_an_option"]]);
    expect(await counts()).toEqual(before);
  });
});

describe("import: what is written", () => {
  it("matches suppliers by company number, else creates them; one system user each", async () => {
    const added = await addOrganisation(t.db, { kind: "supplier", slug: "known-by-number", name: "Known By Number Ltd", companyNumber: "NI000003" });
    expect(added.ok).toBe(true);
    const outcome = await importFile([
      line({ name: "Known By Number Trading As Something Else", companyNumber: "NI000003" }, "2021-02-01T10:00:00Z"),
      line({ name: "Brand New Ltd", companyNumber: "NI000004" }, "2021-02-02T10:00:00Z"),
      line({ name: "Brand New Limited", companyNumber: "NI000004" }, "2022-02-02T10:00:00Z"),
      line({ name: "Overseas Co", country: "my" }, "2021-02-03T10:00:00Z"),
      line({ name: "Overseas Co", country: "MY" }, "2022-02-03T10:00:00Z"),
      line({ name: "Overseas Co", country: "TH" }, "2021-02-03T10:00:00Z"),
      line({ name: "Acme Facilities Ltd", country: "GB" }, "2021-02-04T10:00:00Z"), // the demo supplier: no number, GB
      line({ name: "Acme Facilities Ltd" }, "2021-02-05T10:00:00Z"), // no number, no country: not the same
    ]);
    expect(outcome).toEqual({ ok: true, imported: 8, suppliersCreated: 4, suppliersMatched: 2, sharedWith: ["department-for-public-works"] });

    const org = (filter: { slug?: string; company_number?: string; name?: string; country?: string }) => {
      let q = t.db.selectFrom("organisation").selectAll();
      for (const [k, v] of Object.entries(filter)) q = q.where(k as "slug", "=", v);
      return q.execute();
    };
    const known = (await org({ company_number: "NI000003" }))[0]!;
    expect(known).toMatchObject({ id: added.ok ? added.id : "", name: "Known By Number Ltd", slug: "known-by-number" });
    const brandNew = await org({ company_number: "NI000004" });
    expect(brandNew).toEqual([expect.objectContaining({ kind: "supplier", name: "Brand New Ltd", slug: "brand-new-ltd", country: "GB" })]);
    expect((await org({ name: "Overseas Co" })).map((o) => [o.slug, o.country, o.company_number]).sort()).toEqual([
      ["overseas-co", "MY", null],
      ["overseas-co-2", "TH", null],
    ]);
    const acme = (await org({ slug: "acme-facilities-ltd" }))[0]!;
    expect((await org({ name: "Acme Facilities Ltd" })).map((o) => [o.slug, o.country])).toEqual(
      expect.arrayContaining([
        ["acme-facilities-ltd", "GB"],
        ["acme-facilities-ltd-2", null],
      ]),
    );
    const submissionsOf = (id: string) => t.db.selectFrom("submission").select(["source", "submitted_by"]).where("organisation_id", "=", id).execute();
    expect(await submissionsOf(brandNew[0]!.id)).toHaveLength(2);
    expect((await submissionsOf(acme.id)).map((s) => s.source)).toEqual(["import"]);

    const systemUsers = (id: string) => t.db.selectFrom("user").selectAll().where("organisation_id", "=", id).where("system", "=", 1).execute();
    for (const o of [known, brandNew[0]!, acme]) {
      const users = await systemUsers(o.id);
      expect(users).toEqual([expect.objectContaining({ name: "Imported records", role: "contributor", email: `imported@${o.id}.invalid`, system: 1 })]);
      expect(new Set((await submissionsOf(o.id)).map((s) => s.submitted_by))).toEqual(new Set([users[0]!.id]));
    }
    // A second import for a matched supplier reuses its system user.
    expect(await importFile([line({ name: "Known By Number Ltd", companyNumber: "NI000003" }, "2023-02-01T10:00:00Z")])).toMatchObject({ ok: true, suppliersCreated: 0, suppliersMatched: 1 });
    expect(await systemUsers(known.id)).toHaveLength(1);
  });

  it("links contracts naming a created supplier's company number", async () => {
    const department = (await t.db.selectFrom("organisation").select("id").where("slug", "=", "department-for-public-works").executeTakeFirstOrThrow()).id;
    const contractId = newId();
    const stamp = NOW.toISOString();
    await t.db
      .insertInto("contract")
      .values({
        id: contractId, organisation_id: department, reference: "EXCH-1", title: "Cleaning", supplier_name: "Linked Cleaning Ltd", supplier_company_number: "SC000005",
        supplier_country: "GB", supplier_organisation_id: null, category: "Facilities", annual_value_pence: 100_000_000, total_value_pence: 300_000_000,
        start_date: "2025-01-01", end_date: "2028-01-01", contract_manager_email: null, tier_override: null, tier_override_reason: null,
        risk_indicators: null, risk_count: null, risk_assessed_by: null, risk_assessed_at: null, created_at: stamp, updated_at: stamp,
      })
      .execute();
    expect(await importFile([line({ name: "Linked Cleaning Ltd", companyNumber: "SC000005" }, "2021-03-01T10:00:00Z")])).toMatchObject({ ok: true, suppliersCreated: 1 });
    const created = await t.db.selectFrom("organisation").select("id").where("company_number", "=", "SC000005").executeTakeFirstOrThrow();
    const contract = await t.db.selectFrom("contract").select("supplier_organisation_id").where("id", "=", contractId).executeTakeFirstOrThrow();
    expect(contract.supplier_organisation_id).toBe(created.id);
  });

  it("scores each line exactly as the app scores a submission, and keeps its KPI outcomes", async () => {
    const raw: Answers = { ...plausibleAnswers(qn11, 0.9), "mapping.has_mapped": "yes" };
    // A named sub-supplier on the import-ban list, so the screening (frozen into the result) matters.
    raw["mapping.entities"] = [{ name: "Hefei Bitland Information Technology Co. Ltd", country: "cn", tier: "tier2", products: "Laptops" }];
    const submittedAt = "2021-04-01T12:30:00+01:00";
    const outcome = await importFile([{ supplier: { name: "Scored Ltd", companyNumber: "SC000006" }, sharedWith: ["department-for-public-works", "northshire-health-services"], questionnaire: "msat", version: "1.1.0", submittedAt, answers: raw }]);
    expect(outcome).toMatchObject({ ok: true, imported: 1, sharedWith: ["department-for-public-works", "northshire-health-services"] });

    const row = await t.db
      .selectFrom("submission")
      .innerJoin("organisation", "organisation.id", "submission.organisation_id")
      .innerJoin("assessment", "assessment.id", "submission.assessment_id")
      .select(["submission.id", "submission.assessment_id", "submission.answers", "submission.result", "submission.kpis", "submission.kpi_numerator", "submission.kpi_denominator", "submission.overall", "submission.source", "submission.created_at", "submission.questionnaire_version", "assessment.status", "assessment.created_at as assessment_created", "assessment.updated_at as assessment_updated"])
      .where("organisation.company_number", "=", "SC000006")
      .executeTakeFirstOrThrow();
    const stored = JSON.parse(row.answers) as Answers;
    expect(stored["mapping.entities"]).toEqual([{ name: "Hefei Bitland Information Technology Co. Ltd", country: "CN", tier: "tier2", products: "Laptops" }]);

    // What submitAssessment does with the same (visible, checked) answers, the same list and no decisions.
    const screening = screen(qn11, stored, await listImportBans(t.db), []);
    expect(screening.matches.length).toBeGreaterThan(0);
    const context = contextFor(qn11, screening);
    const expected = scoreAnswers(qn11, stored, context);
    if (qn11.exposure) expected.screening = screening;
    expect(JSON.parse(row.result)).toEqual(JSON.parse(JSON.stringify(expected)));
    const outcomes = kpiOutcomes(qn11, stored, context);
    expect(JSON.parse(row.kpis!)).toEqual(outcomes);
    expect(Object.keys(outcomes).length).toBe(qn11.kpis.length);
    const masks = kpiMasks(qn11, outcomes);
    expect([Number(row.kpi_numerator), Number(row.kpi_denominator)]).toEqual([masks.numerator, masks.denominator]);
    expect(row).toMatchObject({
      overall: expected.overall,
      source: "import",
      questionnaire_version: "1.1.0",
      created_at: "2021-04-01T11:30:00.000Z",
      assessment_created: "2021-04-01T11:30:00.000Z",
      assessment_updated: "2021-04-01T11:30:00.000Z",
      status: expected.recommendations.length === 0 ? "completed" : "submitted",
    });

    // Shared with both departments at submission; a buyer reads it as any shared result.
    const shares = await t.db.selectFrom("assessment_share").select(["shared_at", "revoked_at"]).where("assessment_id", "=", row.assessment_id).execute();
    expect(shares).toEqual([
      { shared_at: "2021-04-01T11:30:00.000Z", revoked_at: null },
      { shared_at: "2021-04-01T11:30:00.000Z", revoked_at: null },
    ]);
    const report = await getSharedReport(await userFor(t.db, "manager@dpw.example"), row.assessment_id);
    expect(report.submission).toEqual({ id: row.id, submittedAt: "2021-04-01T11:30:00.000Z", version: "1.1.0" });
    expect(report.result.overall).toBe(expected.overall);
    expect(report.answers).toEqual(stored);
    // And it counts in the department's statistics for 2021-22.
    const entry = await t.db.selectFrom("statistics_entry").select(["period", "submission_id"]).where("submission_id", "=", row.id).execute();
    expect(entry.map((e) => e.period).sort()).toEqual(["2021-22", "2021-22"]);
  });

  it("attributes imported records to a system user who can never sign in", async () => {
    const users = await t.db.selectFrom("user").select(["email", "password_hash"]).where("system", "=", 1).execute();
    expect(users.length).toBeGreaterThan(0);
    for (const u of users) {
      expect(u.password_hash).toBe(NO_PASSWORD);
      expect(await checkCredentials(u.email, "")).toBeUndefined();
      expect(await checkCredentials(u.email, NO_PASSWORD)).toBeUndefined();
    }
    expect(await verifyPassword(NO_PASSWORD, NO_PASSWORD)).toBe(false);
    expect(await verifyPassword("anything", NO_PASSWORD)).toBe(false);
  });
});

describe("export", () => {
  it("a supplier's submissions, and a department's shared now, naming only that department", async () => {
    const supplier = { name: "Export Scope Ltd", companyNumber: "SC000007", country: "GB" };
    const lines = [
      line(supplier, "2022-05-01T10:00:00.250Z", { sharedWith: ["northshire-health-services", "department-for-public-works"] }),
      line(supplier, "2022-06-01T10:00:00Z", { sharedWith: ["northshire-health-services"] }),
      line(supplier, "2022-07-01T10:00:00Z", { sharedWith: [] }),
    ];
    expect(await importFile(lines)).toMatchObject({ ok: true, imported: 3 });
    const slug = (await t.db.selectFrom("organisation").select("slug").where("company_number", "=", "SC000007").executeTakeFirstOrThrow()).slug;

    const own = (await exported(t.db, slug)).trimEnd().split("\n").map((l) => JSON.parse(l) as { sharedWith: string[]; submittedAt: string });
    expect(own.map((l) => [l.submittedAt, l.sharedWith])).toEqual([
      ["2022-05-01T10:00:00.250Z", ["department-for-public-works", "northshire-health-services"]],
      ["2022-06-01T10:00:00Z", ["northshire-health-services"]],
      ["2022-07-01T10:00:00Z", []],
    ]);
    const first = (await exported(t.db, slug)).split("\n")[0]!;
    expect(first.startsWith('{"supplier":{"name":"Export Scope Ltd","companyNumber":"SC000007","country":"GB"},"sharedWith":["department-for-public-works","northshire-health-services"],"questionnaire":"msat","version":"1.0.0","submittedAt":"2022-05-01T10:00:00.250Z","answers":{"org.size":')).toBe(true);
    const questionOrder = qn10.themes.flatMap((th) => th.questions.map((q) => q.id));
    const keys = Object.keys((JSON.parse(first) as { answers: Answers }).answers);
    expect(keys).toEqual(questionOrder.filter((id) => keys.includes(id)));

    // Northshire stops seeing the second one.
    const nhs = (await t.db.selectFrom("organisation").select("id").where("slug", "=", "northshire-health-services").executeTakeFirstOrThrow()).id;
    const second = await t.db
      .selectFrom("submission")
      .innerJoin("organisation", "organisation.id", "submission.organisation_id")
      .select("submission.assessment_id")
      .where("organisation.company_number", "=", "SC000007")
      .where("submission.created_at", "=", "2022-06-01T10:00:00.000Z")
      .executeTakeFirstOrThrow();
    await t.db.updateTable("assessment_share").set({ revoked_at: NOW.toISOString() }).where("assessment_id", "=", second.assessment_id).where("buyer_organisation_id", "=", nhs).execute();
    const forNhs = (await exported(t.db, "northshire-health-services")).trimEnd().split("\n").map((l) => JSON.parse(l) as { supplier: { name: string }; sharedWith: string[]; submittedAt: string });
    expect(forNhs.filter((l) => l.supplier.name === "Export Scope Ltd").map((l) => [l.submittedAt, l.sharedWith])).toEqual([["2022-05-01T10:00:00.250Z", ["northshire-health-services"]]]);
    expect(forNhs.every((l) => l.sharedWith.length === 1 && l.sharedWith[0] === "northshire-health-services")).toBe(true);
    expect((await exported(t.db, slug)).split("\n")[1]).toContain('"sharedWith":[]');

    expect(await exportScope(t.db, "no-such-organisation")).toEqual({ ok: false, error: "There is no organisation with the slug 'no-such-organisation'. Run `npm run cli -- org list` to see them." });
  });

  it("round trip: export, import into an empty database, export again gives the same bytes (demo data made in the app included)", { timeout: 180_000 }, async () => {
    // The demo's buyer side: suppliers join through invitations, answer, submit and share in the app.
    setDb(t.db);
    const department = (await t.db.selectFrom("organisation").select("id").where("slug", "=", "department-for-public-works").executeTakeFirstOrThrow()).id;
    await seedDemoRegister(t.db, department, NOW);
    await seedDemoBuyerSide(t.db, "http://localhost:3000", NOW);
    expect(await importFile(homeOfficeLines({ sharedWith: ["department-for-public-works"] }))).toMatchObject({ ok: true, imported: 40 });
    const appMade = await t.db.selectFrom("submission").select("id").where("source", "=", "app").execute();
    expect(appMade.length).toBeGreaterThanOrEqual(3);

    const before = await exported(t.db);
    expect(before.split("\n").length - 1).toBe(await count(t.db, "submission"));
    const target = await emptyDb();
    try {
      for (const slug of ["department-for-public-works", "northshire-health-services"]) {
        expect((await addOrganisation(target.db, { kind: "buyer", slug, name: slug })).ok).toBe(true);
      }
      const path = join(dir, "round-trip.jsonl");
      writeFileSync(path, before);
      const outcome = await importSubmissions(target.db, path, NOW);
      expect(outcome).toMatchObject({ ok: true, imported: before.split("\n").length - 1, suppliersMatched: 0 });
      const after = await exported(target.db);
      expect(after).toBe(before);
      // Importing the same file again finds every line already there.
      const again = await importSubmissions(target.db, path, NOW);
      expect(again.ok ? [] : [...new Set(again.problems.map((p) => p.code))]).toEqual(["duplicate"]);
    } finally {
      await target.close();
    }
  });
});
