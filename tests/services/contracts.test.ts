/**
 * The contract register through its service: importing thousands of rows in one go, all or
 * nothing, updating by reference, and reading pages sorted and filtered, scoped to the department.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../db/ids";
import { type ContractInput, contractInput } from "../../app/domain/contracts";
import { coverage } from "../../app/domain/prioritisation";
import type { CurrentUser } from "../../app/services/auth.server";
import { contractForEditing, saveContract } from "../../app/services/contract-edit.server";
import { getContract } from "../../app/services/contract-view.server";
import { importRegister } from "../../app/services/contracts-import.server";
import { type ContractQuery, listContracts, readContractQuery, registerSummary } from "../../app/services/contracts-register.server";
import { readSettings, saveSettings } from "../../app/services/department-settings.server";
import { createTestDb, type TestDb } from "../setup/db";
import { userFor } from "../setup/requests";

const NOW = new Date("2026-06-01T09:00:00Z");
let t: TestDb;
let admin: CurrentUser;
let manager: CurrentUser;
let otherDepartment: CurrentUser;
let supplier: CurrentUser;

beforeAll(async () => {
  t = await createTestDb();
  admin = await userFor(t.db, "admin@dpw.example");
  manager = await userFor(t.db, "manager@dpw.example");
  otherDepartment = await userFor(t.db, "manager@nhs.example");
  supplier = await userFor(t.db, "admin@acme.example");
});
afterAll(async () => t?.close());

const HEADER = "reference,title,supplier_name,supplier_company_number,supplier_country,category,annual_value_gbp,total_value_gbp,start_date,end_date,contract_manager_email,tier_override,tier_override_reason";
const CATEGORIES = ["Cleaning", "Catering", "Construction", "IT hardware"];

function register(count: number, from = 1): string {
  const rows = [HEADER];
  for (let i = from; i < from + count; i++) {
    const annual = (i * 12007) % 60_000_000; // pounds, 0 to 60m
    rows.push(`CON-${String(i).padStart(5, "0")},Contract ${i},Supplier ${i % 300} Ltd,,GB,${CATEGORIES[i % 4]},"${annual.toLocaleString("en-GB")}.00",${annual * 3},01/04/2025,31/03/2028,manager${i % 3}@dpw.example,,`);
  }
  return `${rows.join("\n")}\n`;
}

const count = async () => Number((await t.db.selectFrom("contract").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

describe("importing a register", () => {
  it("imports 5,000 rows in one go, and only an administrator of a buyer may", async () => {
    await expect(importRegister(manager, Buffer.from(register(3)))).rejects.toMatchObject({ init: { status: 403 } });
    await expect(importRegister(supplier, Buffer.from(register(3)))).rejects.toMatchObject({ init: { status: 403 } });
    expect(await importRegister(admin, Buffer.from(register(5000)))).toEqual({ ok: true, added: 5000, updated: 0 });
    expect(await count()).toBe(5000);
  });

  it("updates contracts by reference and adds the new ones", async () => {
    const file = register(10, 4995).replace("Contract 4995,", "Contract 4995 renewed,");
    expect(await importRegister(admin, Buffer.from(file))).toEqual({ ok: true, added: 4, updated: 6 });
    const renewed = await t.db.selectFrom("contract").select("title").where("reference", "=", "CON-04995").executeTakeFirstOrThrow();
    expect(renewed.title).toBe("Contract 4995 renewed");
  });

  it("a file with problems stores nothing and names each by row and column", async () => {
    const before = await count();
    const bad = [HEADER, `NEW-1,Ok,Supplier Ltd,,GB,Cleaning,100,100,01/04/2025,31/03/2026,,,`, `NEW-2,Bad,Supplier Ltd,,GB,Cleaning,-5,100,31/02/2025,31/03/2026,,,`, `NEW-1,Dup,"=HYPERLINK(""http://x"",""y"")",,GB,Cleaning,100,100,01/04/2025,31/03/2026,,platinum,`].join("\n");
    const outcome = await importRegister(admin, Buffer.from(bad));
    expect(outcome.ok).toBe(false);
    const problems = outcome.ok ? [] : outcome.problems.map((p) => `${p.row}:${p.column}`);
    expect(problems).toEqual(expect.arrayContaining(["3:annual_value_gbp", "3:start_date", "4:reference", "4:supplier_name", "4:tier_override"]));
    expect(await count()).toBe(before);
  });
});

describe("reading the register", () => {
  it("pages, sorts and filters, with tiers from the department's thresholds", async () => {
    const first = await listContracts(admin, { sort: "value", direction: "desc", page: 1 });
    expect(first.total).toBe(5004);
    expect(first.contracts).toHaveLength(50);
    const values = first.contracts.map((c) => c.annualValuePence);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(first.contracts[0]!.tier).toBe("gold");
    const gold = await listContracts(admin, { sort: "reference", direction: "asc", tier: "gold", page: 1 });
    expect(gold.contracts.every((c) => c.annualValuePence > 40_000_000_00)).toBe(true);
    const bronze = await listContracts(manager, { sort: "reference", direction: "asc", tier: "bronze", category: "Catering", page: 2 });
    expect(bronze.contracts.every((c) => c.annualValuePence < 5_000_000_00 && c.category === "Catering")).toBe(true);
    const found = await listContracts(manager, { sort: "reference", direction: "asc", search: "CON-0499", page: 1 });
    expect(found.contracts.map((c) => c.reference)).toEqual(["CON-04990", "CON-04991", "CON-04992", "CON-04993", "CON-04994", "CON-04995", "CON-04996", "CON-04997", "CON-04998", "CON-04999"]);
    expect(first.categories).toEqual(CATEGORIES.slice().sort());
  });

  it("another department sees none of it, and a supplier is refused", async () => {
    expect((await listContracts(otherDepartment, { sort: "value", direction: "desc", page: 1 })).total).toBe(0);
    await expect(listContracts(supplier, { sort: "value", direction: "desc", page: 1 })).rejects.toMatchObject({ init: { status: 403 } });
  });
});

// ---- adding and editing one contract ---------------------------------------------------------------

const FORM: ContractInput = {
  reference: "ADD-001",
  title: "Cleaning of regional offices",
  supplier_name: "Sparkle Cleaning Ltd",
  supplier_company_number: "01234567",
  supplier_country: "GB",
  category: "Cleaning",
  annual_value_gbp: "1,250,000.00",
  total_value_gbp: "3,750,000",
  start_date: "01/04/2026",
  end_date: "31/03/2029",
  contract_manager_email: "jo.bloggs@dpw.example",
  tier_override: "",
  tier_override_reason: "",
};

describe("adding and editing a contract", () => {
  it("adds a contract checked by the import's rules, links it to the supplier by company number, and audits it", async () => {
    const acme = await t.db.selectFrom("organisation").select("id").where("slug", "like", "acme%").executeTakeFirstOrThrow();
    await t.db.updateTable("organisation").set({ company_number: "09876543" }).where("id", "=", acme.id).execute();
    const outcome = await saveContract(admin, null, { ...FORM, supplier_company_number: "0987 6543" }, NOW);
    expect(outcome.ok).toBe(true);
    const id = outcome.ok ? outcome.id : "";
    const row = await t.db.selectFrom("contract").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect([row.reference, Number(row.annual_value_pence), Number(row.total_value_pence), row.start_date, row.end_date, row.organisation_id]).toEqual(["ADD-001", 125_000_000, 375_000_000, "2026-04-01", "2029-03-31", admin.organisationId]);
    expect([row.supplier_company_number, row.supplier_organisation_id]).toEqual(["09876543", acme.id]);
    const log = await t.db.selectFrom("audit_log").selectAll().where("entity_id", "=", id).execute();
    expect(log.map((l) => [l.action, l.user_id])).toEqual([["created", admin.id]]);
    const detail = await getContract(manager, id);
    expect(detail).toMatchObject({ reference: "ADD-001", tier: "bronze", overAssessmentThreshold: true, risk: null });
  });

  it("refuses each invalid field with a message, and stores nothing", async () => {
    const before = await count();
    const outcome = await saveContract(
      admin,
      null,
      {
        ...FORM,
        reference: "add-001",
        title: '=HYPERLINK("http://x","y")',
        supplier_company_number: "1234",
        supplier_country: "XX",
        annual_value_gbp: "2m",
        total_value_gbp: "-5",
        start_date: "01/04/2026",
        end_date: "31/03/2025",
        contract_manager_email: "not an email",
        tier_override: "gold",
        tier_override_reason: " ",
      },
      NOW,
    );
    expect(outcome.ok).toBe(false);
    const errors = outcome.ok ? {} : outcome.errors;
    expect(Object.keys(errors).sort()).toEqual(["annual_value_gbp", "contract_manager_email", "end_date", "supplier_company_number", "supplier_country", "tier_override_reason", "title", "total_value_gbp"]);
    expect(errors.title).toMatch(/starts with '=', which a spreadsheet would run as a formula/);
    expect(errors.tier_override_reason).toBe("Give a reason for putting the contract in a different tier");
    expect(await count()).toBe(before);
    // Every field fine but the reference, used already (whatever its case).
    const duplicate = await saveContract(admin, null, { ...FORM, reference: "add-001" }, NOW);
    expect(duplicate).toEqual({ ok: false, errors: { reference: expect.stringMatching(/already used by another contract/) } });
    expect(await count()).toBe(before);
  });

  it("only an administrator of the department adds or edits; another department's contract is a 404", async () => {
    const id = (await t.db.selectFrom("contract").select("id").where("reference", "=", "ADD-001").executeTakeFirstOrThrow()).id;
    await expect(saveContract(manager, null, { ...FORM, reference: "ADD-002" }, NOW)).rejects.toMatchObject({ init: { status: 403 } });
    await expect(saveContract(supplier, id, FORM, NOW)).rejects.toMatchObject({ init: { status: 403 } });
    const nhsAdmin = { ...otherDepartment, role: "admin" as const };
    await expect(saveContract(nhsAdmin, id, FORM, NOW)).rejects.toMatchObject({ init: { status: 404 } });
    await expect(getContract(otherDepartment, id)).rejects.toMatchObject({ init: { status: 404 } });
    await expect(getContract(manager, "not-a-uuid")).rejects.toMatchObject({ init: { status: 404 } });
    await expect(contractForEditing(manager, id)).rejects.toMatchObject({ init: { status: 403 } });
  });

  it("edits a contract, auditing each changed field with its old and new value", async () => {
    const id = (await t.db.selectFrom("contract").select("id").where("reference", "=", "ADD-001").executeTakeFirstOrThrow()).id;
    const { fields } = await contractForEditing(admin, id);
    const input = { ...contractInput(fields), title: "Cleaning of all regional offices", annual_value_gbp: "6,000,000", tier_override: "gold", tier_override_reason: "Ministerial priority" };
    const outcome = await saveContract(admin, id, input, NOW);
    expect(outcome).toEqual({ ok: true, id, changed: 4 });
    const log = await t.db.selectFrom("audit_log").select(["field", "old_value", "new_value"]).where("entity_id", "=", id).where("action", "=", "updated").orderBy("field").execute();
    expect(log).toEqual([
      { field: "annual_value_pence", old_value: "125000000", new_value: "600000000" },
      { field: "tier_override", old_value: null, new_value: "gold" },
      { field: "tier_override_reason", old_value: null, new_value: "Ministerial priority" },
      { field: "title", old_value: "Cleaning of regional offices", new_value: "Cleaning of all regional offices" },
    ]);
    expect(await getContract(admin, id)).toMatchObject({ tier: "gold", tierByValue: "silver", tierOverrideReason: "Ministerial priority", supplierOrganisation: { name: "Acme Facilities Ltd" } });
    // A new company number drops the link to Acme.
    expect(await saveContract(admin, id, { ...input, supplier_company_number: "SC123456" }, NOW)).toMatchObject({ ok: true, changed: 1 });
    expect(await getContract(admin, id)).toMatchObject({ supplierCompanyNumber: "SC123456", supplierOrganisation: null });
    await saveContract(admin, id, input, NOW);
    // Saving the same again changes nothing and audits nothing; taking another contract's reference is refused.
    expect(await saveContract(admin, id, input, NOW)).toEqual({ ok: true, id, changed: 0 });
    expect(await saveContract(admin, id, { ...input, reference: "con-00001" }, NOW)).toMatchObject({ ok: false, errors: { reference: expect.any(String) } });
  });
});

// ---- the register's risk and status filters and its summary --------------------------------------

async function invite(contractId: string, values: { created: string; expires: string; accepted?: string; cancelled?: string; assessment?: "draft" | "submitted" | "completed" }) {
  const acme = await t.db.selectFrom("organisation").select("id").where("slug", "like", "acme%").executeTakeFirstOrThrow();
  let assessmentId: string | null = null;
  if (values.assessment) {
    assessmentId = newId();
    const supplierUser = await t.db.selectFrom("user").select("id").where("organisation_id", "=", acme.id).executeTakeFirstOrThrow();
    await t.db
      .insertInto("assessment")
      .values({ id: assessmentId, organisation_id: acme.id, questionnaire_id: "msat", questionnaire_version: "1.1.0", status: values.assessment, previous_submission_id: null, created_by: supplierUser.id, created_at: values.created, updated_at: values.created })
      .execute();
  }
  await t.db
    .insertInto("supplier_invitation")
    .values({
      id: newId(),
      organisation_id: admin.organisationId,
      contract_id: contractId,
      email: "supplier@example.com",
      contact_name: null,
      code_hash: newId(),
      invited_by: admin.id,
      created_at: values.created,
      expires_at: values.expires,
      supplier_organisation_id: values.accepted ? acme.id : null,
      accepted_by: null,
      accepted_at: values.accepted ?? null,
      assessment_id: assessmentId,
      linked_at: null,
      cancelled_at: values.cancelled ?? null,
      cancelled_by: null,
      cancel_reason: null,
    })
    .execute();
}

describe("filters by risk and by the latest invitation, and the summary", () => {
  const ref = (n: number) => `CON-${String(n).padStart(5, "0")}`;
  const idOf = async (reference: string) => (await t.db.selectFrom("contract").select("id").where("reference", "=", reference).executeTakeFirstOrThrow()).id;
  const refs = async (query: Partial<ContractQuery>) => (await listContracts(manager, { sort: "reference", direction: "asc", page: 1, ...query }, NOW)).contracts.map((c) => c.reference);

  it("filters by risk: not assessed, priority, assessed not priority, over £1m not assessed", async () => {
    // CON-00001..3 assessed with 5, 4 and 1 indicators (priority from 4 by default).
    for (const [n, riskCount] of [[1, 5], [2, 4], [3, 1]] as const) {
      await t.db.updateTable("contract").set({ risk_count: riskCount, risk_indicators: "[]", risk_assessed_at: NOW.toISOString(), risk_assessed_by: manager.id }).where("reference", "=", ref(n)).where("organisation_id", "=", admin.organisationId).execute();
    }
    expect(await refs({ risk: "priority" })).toEqual([ref(1), ref(2)]);
    expect(await refs({ risk: "not_priority" })).toEqual([ref(3)]);
    const notAssessed = await listContracts(manager, { sort: "reference", direction: "asc", page: 1, risk: "not_assessed" }, NOW);
    expect(notAssessed.total).toBe(5005 - 3);
    const over = await listContracts(manager, { sort: "reference", direction: "asc", page: 1, risk: "over_1m_not_assessed" }, NOW);
    expect(over.contracts.every((c) => c.annualValuePence > 100_000_000 && c.riskCount === null && c.needsAssessment)).toBe(true);
    const rows = await t.db.selectFrom("contract").select(["annual_value_pence", "risk_assessed_at"]).where("organisation_id", "=", admin.organisationId).execute();
    expect(over.total).toBe(rows.filter((r) => r.risk_assessed_at === null && Number(r.annual_value_pence) > 100_000_000).length);
    const first = (await listContracts(manager, { sort: "reference", direction: "asc", page: 1, search: "CON-0000" }, NOW)).contracts;
    expect(first.slice(0, 3).map((c) => [c.riskCount, c.priority])).toEqual([[5, true], [4, true], [1, false]]);
  });

  it("the summary adds up the live register in the database, as coverage() would (every contract here is live)", async () => {
    const rows = await t.db.selectFrom("contract").select(["annual_value_pence", "risk_assessed_at", "risk_count"]).where("organisation_id", "=", admin.organisationId).execute();
    const expected = coverage(rows.map((r) => ({ annualValuePence: Number(r.annual_value_pence), assessedAt: r.risk_assessed_at })));
    const { summary } = await listContracts(manager, { sort: "value", direction: "desc", page: 1 }, NOW);
    expect(summary).toEqual({
      ...expected,
      priority: 2,
      overThresholdNotAssessed: rows.filter((r) => r.risk_assessed_at === null && Number(r.annual_value_pence) > 100_000_000).length,
      ended: 0,
    });
    expect(summary.contracts).toMatchObject({ assessed: 3, total: 5005, percent: 0 });
    expect((await registerSummary(otherDepartment)).contracts).toEqual({ assessed: 0, total: 0, percent: null });
  });

  it("filters by the state of the latest invitation, computed in the database as invitationStatus() does", async () => {
    const at = (day: number) => `2026-05-${String(day).padStart(2, "0")}T10:00:00.000Z`;
    const later = "2026-07-01T00:00:00.000Z"; // after NOW: not expired
    await invite(await idOf(ref(10)), { created: at(1), expires: later });
    await invite(await idOf(ref(11)), { created: at(1), expires: at(20) }); // expired by NOW
    await invite(await idOf(ref(12)), { created: at(1), expires: later, accepted: at(2) });
    await invite(await idOf(ref(13)), { created: at(1), expires: later, accepted: at(2), assessment: "draft" });
    await invite(await idOf(ref(14)), { created: at(1), expires: later, accepted: at(2), assessment: "submitted" });
    await invite(await idOf(ref(15)), { created: at(1), expires: later, accepted: at(2), assessment: "completed" });
    await invite(await idOf(ref(16)), { created: at(1), expires: later, cancelled: at(3) });
    // CON-00017: cancelled, then invited again: the latest invitation counts.
    await invite(await idOf(ref(17)), { created: at(1), expires: later, cancelled: at(3) });
    await invite(await idOf(ref(17)), { created: at(4), expires: later });
    expect(await refs({ status: "invited" })).toEqual([ref(10), ref(17)]);
    expect(await refs({ status: "expired" })).toEqual([ref(11)]);
    expect(await refs({ status: "registered" })).toEqual([ref(12)]);
    expect(await refs({ status: "in_progress" })).toEqual([ref(13)]);
    expect(await refs({ status: "submitted" })).toEqual([ref(14)]);
    expect(await refs({ status: "completed" })).toEqual([ref(15)]);
    expect(await refs({ status: "cancelled" })).toEqual([ref(16)]);
    const notInvited = await listContracts(manager, { sort: "reference", direction: "asc", page: 1, status: "not_invited" }, NOW);
    expect(notInvited.total).toBe(5005 - 8);
    expect(notInvited.contracts.map((c) => c.reference)).not.toContain(ref(10));
    // The list shows each contract's status the same way.
    const page = await listContracts(manager, { sort: "reference", direction: "asc", page: 1, search: "CON-0001" }, NOW);
    expect(page.contracts.map((c) => [c.reference, c.invitationStatus])).toEqual([
      [ref(10), "invited"],
      [ref(11), "expired"],
      [ref(12), "registered"],
      [ref(13), "in_progress"],
      [ref(14), "submitted"],
      [ref(15), "completed"],
      [ref(16), "cancelled"],
      [ref(17), "invited"],
      [ref(18), null],
      [ref(19), null],
    ]);
    // Filters combine: a priority contract that was invited.
    await invite(await idOf(ref(1)), { created: at(1), expires: later });
    expect(await refs({ status: "invited", risk: "priority" })).toEqual([ref(1)]);
  });

  it("reads filters from the query string, ignoring what it does not know", () => {
    const query = readContractQuery(new URLSearchParams("risk=priority&status=in_progress&tier=gold&q=%20CON%20&page=2&sort=nonsense"));
    expect(query).toMatchObject({ risk: "priority", status: "in_progress", tier: "gold", search: "CON", page: 2, sort: "value", direction: "desc" });
    expect(readContractQuery(new URLSearchParams("risk=high&status=lost"))).toMatchObject({ risk: undefined, status: undefined });
  });
});

// ---- the department's settings ------------------------------------------------------------------

describe("department settings", () => {
  it("only an administrator of a buyer reads or changes them", async () => {
    await expect(readSettings(manager)).rejects.toMatchObject({ init: { status: 403 } });
    await expect(saveSettings(supplier, { gold: "1", bronze: "0", priority: "4" }, NOW)).rejects.toMatchObject({ init: { status: 403 } });
    expect(await readSettings(admin)).toEqual({ goldAbovePence: 40_000_000_00, bronzeBelowPence: 5_000_000_00, priorityThreshold: 4, saved: false });
  });

  it("refuses invalid values with a message for each and changes nothing", async () => {
    const check = async (input: { gold: string; bronze: string; priority: string }) => {
      const outcome = await saveSettings(admin, input, NOW);
      return outcome.ok ? {} : outcome.errors;
    };
    expect(await check({ gold: "", bronze: "£1.5E+06", priority: "" })).toEqual({
      gold: "Enter the Gold threshold in pounds, like 40,000,000",
      bronze: expect.stringMatching(/^Bronze threshold: .*exponent form/),
      priority: "Enter how many indicators make a contract a priority, from 1 to 7",
    });
    expect(await check({ gold: "5,000,000", bronze: "5,000,000", priority: "8" })).toEqual({
      bronze: "The Bronze threshold must be lower than the Gold threshold (£5,000,000): lower it, or raise the Gold threshold",
      priority: "The priority threshold must be a whole number of indicators from 1 to 7",
    });
    expect(await check({ gold: "10m", bronze: "1,000", priority: "2.5" })).toMatchObject({ gold: expect.stringMatching(/^Gold threshold: /), priority: expect.any(String) });
    expect(await t.db.selectFrom("department_settings").selectAll().execute()).toEqual([]);
  });

  it("saves, then saves again over the same row, auditing what changed; tiers and priority follow at once", async () => {
    expect(await saveSettings(admin, { gold: "20,000,000", bronze: "£2,000,000.00", priority: "5" }, NOW)).toEqual({ ok: true, settings: { goldAbovePence: 20_000_000_00, bronzeBelowPence: 2_000_000_00, priorityThreshold: 5 } });
    expect(await saveSettings(admin, { gold: "20,000,000", bronze: "2,000,000", priority: "2" }, NOW)).toMatchObject({ ok: true });
    const rows = await t.db.selectFrom("department_settings").selectAll().execute();
    expect(rows.map((r) => [Number(r.gold_above_pence), Number(r.bronze_below_pence), r.priority_threshold])).toEqual([[20_000_000_00, 2_000_000_00, 2]]);
    const log = await t.db.selectFrom("audit_log").select(["action", "field", "old_value", "new_value"]).where("entity", "=", "department_settings").orderBy("id").execute();
    expect(log).toEqual([
      { action: "created", field: "gold_above_pence", old_value: null, new_value: "2000000000" },
      { action: "created", field: "bronze_below_pence", old_value: null, new_value: "200000000" },
      { action: "created", field: "priority_threshold", old_value: null, new_value: "5" },
      { action: "updated", field: "priority_threshold", old_value: "5", new_value: "2" },
    ]);
    const gold = await listContracts(manager, { sort: "reference", direction: "asc", tier: "gold", page: 1 }, NOW);
    expect(gold.contracts.every((c) => c.annualValuePence > 20_000_000_00 || c.overridden)).toBe(true);
    expect(gold.total).toBeGreaterThan(0);
    const page = await listContracts(manager, { sort: "reference", direction: "asc", page: 1, risk: "priority" }, NOW);
    expect(page.contracts.map((c) => c.reference)).toEqual(["CON-00001", "CON-00002"]); // 5 and 4 indicators; 1 is still below 2
    expect(page.summary.priority).toBe(2);
    await saveSettings(admin, { gold: "20,000,000", bronze: "2,000,000", priority: "1" }, NOW);
    expect((await listContracts(manager, { sort: "reference", direction: "asc", page: 1, risk: "priority" }, NOW)).contracts.map((c) => c.reference)).toEqual(["CON-00001", "CON-00002", "CON-00003"]);
    expect(await readSettings(admin)).toMatchObject({ priorityThreshold: 1, saved: true });
  });
});
