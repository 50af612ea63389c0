/**
 * Exporting the register: every contract matching the filters, in the import's columns plus tier
 * and risk, as CSV and XLSX that parse back to the same rows, with no cell a spreadsheet would run.
 */
import { parse } from "csv-parse/sync";
import { readSheet } from "read-excel-file/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../db/ids";
import { loader as exportLoader } from "../../app/routes/contracts-export";
import type { CurrentUser } from "../../app/services/auth.server";
import { EXPORT_COLUMNS, exportContracts } from "../../app/services/contracts-export.server";
import { importRegister } from "../../app/services/contracts-import.server";
import { createTestDb, type TestDb } from "../setup/db";
import { signedInCookie, userFor } from "../setup/requests";

const NOW = new Date("2026-11-25T12:00:00Z");
let t: TestDb;
let admin: CurrentUser;
let nhs: CurrentUser;

const HEADER = "reference,title,supplier_name,supplier_company_number,supplier_country,category,annual_value_gbp,total_value_gbp,start_date,end_date,contract_manager_email,tier_override,tier_override_reason";

beforeAll(async () => {
  t = await createTestDb();
  admin = await userFor(t.db, "admin@dpw.example");
  nhs = await userFor(t.db, "manager@nhs.example");
  const rows = [HEADER];
  for (let i = 1; i <= 120; i++) {
    rows.push(`EXP-${String(i).padStart(3, "0")},"Contract ${i}, phase ""${i % 3}""",Supplier ${i} Ltd,${String(i).padStart(8, "0")},GB,${i % 2 ? "Cleaning" : "Catering"},"${(i * 123_457).toLocaleString("en-GB")}.${String(i % 100).padStart(2, "0")}",${i * 400_000},01/04/2025,31/03/2028,manager${i % 3}@dpw.example,${i === 7 ? "gold,Critical to services" : ","}`);
  }
  expect(await importRegister(admin, Buffer.from(`${rows.join("\n")}\n`))).toMatchObject({ ok: true, added: 120 });
  // Risk-assessed: EXP-001 with 4 indicators (a priority), EXP-002 with 1.
  await t.db.updateTable("contract").set({ risk_count: 4, risk_indicators: "[]", risk_assessed_at: "2026-10-01T08:00:00.000Z", risk_assessed_by: admin.id }).where("reference", "=", "EXP-001").execute();
  await t.db.updateTable("contract").set({ risk_count: 1, risk_indicators: "[]", risk_assessed_at: "2026-10-02T08:00:00.000Z", risk_assessed_by: admin.id }).where("reference", "=", "EXP-002").execute();
  // Written straight to the database, as an older import or another tool might have.
  await t.db
    .insertInto("contract")
    .values({
      id: newId(),
      organisation_id: admin.organisationId,
      reference: "ZZ-FORMULA",
      title: '=HYPERLINK("http://x","y")',
      supplier_name: "@SUM(A1:A2)",
      supplier_company_number: null,
      supplier_country: "GB",
      category: "\tCleaning",
      annual_value_pence: 100,
      total_value_pence: 100,
      start_date: "2026-01-01",
      end_date: "2026-12-31",
      contract_manager_email: null,
      tier_override: null,
      tier_override_reason: null,
      created_at: NOW.toISOString(),
      updated_at: NOW.toISOString(),
    })
    .execute();
});
afterAll(async () => t?.close());

const csvRows = (body: Buffer) => parse(body.toString("utf8"), { bom: true }) as string[][];
const FORMULA = /^[=+\-@\t\r]/;

describe("exporting as CSV", () => {
  it("holds every matching contract (not a page) in the import's columns plus tier, status and risk", async () => {
    const file = await exportContracts(admin, {}, "csv", NOW);
    expect(file.filename).toBe("contracts-2026-11-25.csv");
    const [header, ...rows] = csvRows(file.body);
    expect(header).toEqual([...EXPORT_COLUMNS]);
    expect(header!.slice(0, 13).join(",")).toBe(HEADER);
    expect(rows).toHaveLength(121);
    const byRef = new Map(rows.map((r) => [r[0]!, Object.fromEntries(header!.map((h, i) => [h, r[i]!]))]));
    expect(byRef.get("EXP-001")).toEqual({
      reference: "EXP-001",
      title: 'Contract 1, phase "1"',
      supplier_name: "Supplier 1 Ltd",
      supplier_company_number: "00000001",
      supplier_country: "GB",
      category: "Cleaning",
      annual_value_gbp: "123457.01",
      total_value_gbp: "400000.00",
      start_date: "01/04/2025",
      end_date: "31/03/2028",
      contract_manager_email: "manager1@dpw.example",
      tier_override: "",
      tier_override_reason: "",
      tier: "bronze",
      status: "live",
      risk_indicator_count: "4",
      priority: "yes",
      risk_assessed_at: "01/10/2026",
    });
    expect(byRef.get("EXP-002")).toMatchObject({ risk_indicator_count: "1", priority: "no" });
    expect(byRef.get("EXP-003")).toMatchObject({ risk_indicator_count: "", priority: "", risk_assessed_at: "" });
    expect(byRef.get("EXP-007")).toMatchObject({ tier_override: "gold", tier_override_reason: "Critical to services", tier: "gold" });
  });

  it("neutralises cells that a spreadsheet would run as a formula", async () => {
    const file = await exportContracts(admin, { search: "ZZ-" }, "csv", NOW);
    const [header, row] = csvRows(file.body);
    const cell = (name: string) => row![header!.indexOf(name)]!;
    expect(cell("title")).toBe(`'=HYPERLINK("http://x","y")`);
    expect(cell("supplier_name")).toBe("'@SUM(A1:A2)");
    expect(cell("category")).toBe("'\tCleaning");
    for (const value of row!) expect(value).not.toMatch(FORMULA);
  });

  it("keeps the filters, and another department exports only its own (none)", async () => {
    const cleaning = csvRows((await exportContracts(admin, { category: "Catering", search: "EXP-" }, "csv", NOW)).body);
    expect(cleaning.slice(1).map((r) => r[0])).toEqual(Array.from({ length: 60 }, (_, i) => `EXP-${String((i + 1) * 2).padStart(3, "0")}`));
    expect(csvRows((await exportContracts(admin, { risk: "priority" }, "csv", NOW)).body).slice(1).map((r) => r[0])).toEqual(["EXP-001"]);
    expect(csvRows((await exportContracts(nhs, {}, "csv", NOW)).body)).toHaveLength(1);
  });

  it("can be imported again once Lantern's own columns are left out", async () => {
    const [header, ...rows] = csvRows((await exportContracts(admin, { search: "EXP-" }, "csv", NOW)).body);
    const quote = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const csv = [header!.slice(0, 13), ...rows.map((r) => r.slice(0, 13))].map((r) => r.map(quote).join(",")).join("\n");
    const before = await t.db.selectFrom("contract").selectAll().where("reference", "like", "EXP-%").orderBy("reference").execute();
    expect(await importRegister(admin, Buffer.from(csv))).toEqual({ ok: true, added: 0, updated: 120 });
    const after = await t.db.selectFrom("contract").selectAll().where("reference", "like", "EXP-%").orderBy("reference").execute();
    const comparable = (r: (typeof before)[number]) => ({ ...r, annual_value_pence: Number(r.annual_value_pence), total_value_pence: Number(r.total_value_pence), updated_at: "" });
    expect(after.map(comparable)).toEqual(before.map(comparable));
  });
});

describe("exporting as XLSX", () => {
  it("parses back with read-excel-file to the same rows, with no cell starting like a formula", async () => {
    const file = await exportContracts(admin, {}, "xlsx", NOW);
    expect(file.filename).toBe("contracts-2026-11-25.xlsx");
    const sheet = (await readSheet(file.body)) as unknown[][];
    expect(sheet[0]).toEqual([...EXPORT_COLUMNS]);
    expect(sheet).toHaveLength(122);
    const header = sheet[0] as string[];
    const byRef = new Map(sheet.slice(1).map((r) => [r[0] as string, Object.fromEntries(header.map((h, i) => [h, r[i]]))]));
    expect(byRef.get("EXP-001")).toMatchObject({
      title: 'Contract 1, phase "1"',
      supplier_company_number: "00000001",
      annual_value_gbp: 123457.01,
      total_value_gbp: 400000,
      start_date: new Date("2025-04-01T00:00:00Z"),
      end_date: new Date("2028-03-31T00:00:00Z"),
      tier: "bronze",
      risk_indicator_count: 4,
      priority: "yes",
      risk_assessed_at: new Date("2026-10-01T00:00:00Z"),
    });
    const formula = byRef.get("ZZ-FORMULA")!;
    expect(formula.title).toBe(`'=HYPERLINK("http://x","y")`);
    expect(formula.supplier_name).toBe("'@SUM(A1:A2)");
    for (const row of sheet) for (const cell of row) if (typeof cell === "string") expect(cell).not.toMatch(FORMULA);
  });
});

describe("the download", () => {
  it("is an attachment that is not cached, for any buyer role of the department only", async () => {
    const analyst = await signedInCookie(t.db, "analyst@dpw.example");
    const response = (await exportLoader({ request: new Request("http://localhost/contracts/export?format=xlsx&risk=priority", { headers: { Cookie: analyst } }), params: {}, context: {} })) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="contracts-\d{4}-\d{2}-\d{2}\.xlsx"$/);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const sheet = await readSheet(Buffer.from(await response.arrayBuffer()));
    expect(sheet.slice(1).map((r) => r[0])).toEqual(["EXP-001"]);
    const csv = (await exportLoader({ request: new Request("http://localhost/contracts/export?format=csv&q=EXP-00", { headers: { Cookie: analyst } }), params: {}, context: {} })) as Response;
    expect(csv.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(csvRows(Buffer.from(await csv.arrayBuffer()))).toHaveLength(10);
    const supplier = await signedInCookie(t.db, "admin@acme.example");
    const refused = (await exportLoader({ request: new Request("http://localhost/contracts/export?format=csv", { headers: { Cookie: supplier } }), params: {}, context: {} })) as Response;
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toMatch(/^text\/plain/);
  });
});
