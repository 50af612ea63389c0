/**
 * Risk-prioritising a contract through its page: the form pre-filled with Lantern's suggestions,
 * every characteristic answered, invalid answers changing nothing, the saved record audited, and
 * priority following the department's threshold.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../db/ids";
import { RISK_CHARACTERISTICS } from "../../app/domain/prioritisation";
import { action as riskAction, loader as riskLoader } from "../../app/routes/contract-risk";
import { loader as contractLoader } from "../../app/routes/contract";
import type { CurrentUser } from "../../app/services/auth.server";
import { getContract } from "../../app/services/contract-view.server";
import { saveSettings } from "../../app/services/department-settings.server";
import { riskAssessmentForm, saveRiskAssessment } from "../../app/services/prioritisation.server";
import { createTestDb, type TestDb } from "../setup/db";
import { formRequest, signedInCookie, userFor } from "../setup/requests";

const NOW = new Date("2026-06-01T09:00:00Z");
let t: TestDb;
let admin: CurrentUser;
let manager: CurrentUser;
let cookies: Record<"admin" | "manager" | "analyst" | "nhs" | "supplier", string>;
let contractId: string;
let otherContractId: string;

async function addContract(organisationId: string, values: { reference: string; category: string; country: string; title?: string; annual?: number }) {
  const id = newId();
  await t.db
    .insertInto("contract")
    .values({
      id,
      organisation_id: organisationId,
      reference: values.reference,
      title: values.title ?? "Uniforms for front-line staff",
      supplier_name: "Threadworks Ltd",
      supplier_company_number: null,
      supplier_country: values.country,
      category: values.category,
      annual_value_pence: values.annual ?? 250_000_000,
      total_value_pence: 750_000_000,
      start_date: "2026-04-01",
      end_date: "2029-03-31",
      contract_manager_email: null,
      tier_override: null,
      tier_override_reason: null,
      created_at: NOW.toISOString(),
      updated_at: NOW.toISOString(),
    })
    .execute();
  return id;
}

beforeAll(async () => {
  t = await createTestDb();
  admin = await userFor(t.db, "admin@dpw.example");
  manager = await userFor(t.db, "manager@dpw.example");
  cookies = {
    admin: await signedInCookie(t.db, "admin@dpw.example"),
    manager: await signedInCookie(t.db, "manager@dpw.example"),
    analyst: await signedInCookie(t.db, "analyst@dpw.example"),
    nhs: await signedInCookie(t.db, "manager@nhs.example"),
    supplier: await signedInCookie(t.db, "admin@acme.example"),
  };
  contractId = await addContract(admin.organisationId, { reference: "RISK-1", category: "Textiles and garments", country: "IN", title: "Cotton uniforms for front-line staff" });
  const nhs = await userFor(t.db, "manager@nhs.example");
  otherContractId = await addContract(nhs.organisationId, { reference: "NHS-1", category: "Cleaning", country: "GB" });
});
afterAll(async () => t?.close());

const path = (id = contractId) => `/contracts/${id}/risk`;
const get = (cookie: string, id = contractId) => new Request(`http://localhost${path(id)}`, { headers: { Cookie: cookie } });
const contractRow = () => t.db.selectFrom("contract").selectAll().where("id", "=", contractId).executeTakeFirstOrThrow();
const auditRows = () => t.db.selectFrom("audit_log").selectAll().where("entity_id", "=", contractId).orderBy("id").execute();

/** A form answering every characteristic: `present` lists the characteristics with an indicator. */
function answers(present: string[], notes: Record<string, string> = {}): Array<[string, string]> {
  return RISK_CHARACTERISTICS.flatMap((c): Array<[string, string]> => [
    [`${c.id}-present`, present.includes(c.id) ? "yes" : "no"],
    [`${c.id}-note`, notes[c.id] ?? ""],
  ]);
}

async function status(run: () => Promise<unknown>): Promise<number> {
  try {
    const result = await run();
    return result instanceof Response ? result.status : 200;
  } catch (error) {
    if (error instanceof Response) return error.status;
    return (error as { init?: { status?: number } }).init?.status ?? 500;
  }
}

describe("the risk form", () => {
  it("is for administrators and contract managers of the owning department only", async () => {
    expect(await status(() => riskLoader({ request: get(cookies.admin), params: { contractId }, context: {} }))).toBe(200);
    expect(await status(() => riskLoader({ request: get(cookies.manager), params: { contractId }, context: {} }))).toBe(200);
    expect(await status(() => riskLoader({ request: get(cookies.analyst), params: { contractId }, context: {} }))).toBe(403);
    expect(await status(() => riskLoader({ request: get(cookies.supplier), params: { contractId }, context: {} }))).toBe(403);
    expect(await status(() => riskLoader({ request: get(cookies.manager, otherContractId), params: { contractId: otherContractId }, context: {} }))).toBe(404);
    expect(await status(() => riskLoader({ request: get(cookies.manager, "1"), params: { contractId: "1" }, context: {} }))).toBe(404);
    const post = (cookie: string) => riskAction({ request: formRequest(path(), cookie, answers([])), params: { contractId }, context: {} });
    expect(await status(() => post(cookies.analyst))).toBe(403);
    expect(await status(() => post(cookies.nhs))).toBe(404);
    expect((await contractRow()).risk_assessed_at).toBeNull();
  });

  it("starts from Lantern's suggestions, each with its reason, for the buyer to confirm", async () => {
    const form = await riskAssessmentForm(manager, contractId);
    expect(form.saved).toBe(false);
    expect(Object.keys(form.suggestions).sort()).toEqual(["commodity", "industry", "location"]);
    expect(form.suggestions.industry).toMatch(/textiles and garments/);
    expect(form.suggestions.location).toMatch(/\(India\) has a (medium|high) estimated prevalence/);
    expect(form.suggestions.commodity).toMatch(/Cotton/);
    expect(form.answers.industry).toEqual({ present: "yes", note: "" });
    expect(form.answers.workforce).toEqual({ present: "", note: "" });
  });
});

describe("saving the risk assessment", () => {
  it("names every unanswered characteristic and a note too long, and changes nothing", async () => {
    const fields = answers(["industry"], { workforce: "x".repeat(501) }).filter(([name]) => name !== "context-present" && name !== "strategic-present");
    const response = (await riskAction({ request: formRequest(path(), cookies.manager, fields), params: { contractId }, context: {} })) as unknown as { data: { errors: Record<string, { present?: string; note?: string }> }; init: { status: number } };
    expect(response.init.status).toBe(400);
    expect(response.data.errors).toEqual({
      context: { present: "Say whether there is an indicator of risk for context in which the supplier operates: yes or no" },
      strategic: { present: "Say whether there is an indicator of risk for strategic risk: yes or no" },
      workforce: { note: "The note on nature of the workforce must be 500 characters or fewer" },
    });
    const control = await saveRiskAssessment(manager, contractId, { ...Object.fromEntries(RISK_CHARACTERISTICS.map((c) => [c.id, { present: "no", note: "" }])), location: { present: "yes", note: "bad\u0000note" } }, NOW);
    expect(control).toMatchObject({ ok: false, errors: { location: { note: expect.stringMatching(/control characters/) } } });
    const row = await contractRow();
    expect([row.risk_indicators, row.risk_count, row.risk_assessed_by, row.risk_assessed_at]).toEqual([null, null, null, null]);
    expect(await auditRows()).toEqual([]);
  });

  it("stores the records, count, who and when, audits old and new count, and redirects to the contract with a banner", async () => {
    const response = (await riskAction({
      request: formRequest(path(), cookies.manager, answers(["industry", "location", "commodity", "workforce"], { industry: "Garment making", workforce: "Seasonal agency staff" })),
      params: { contractId },
      context: {},
    })) as Response;
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe(`/contracts/${contractId}?saved=risk#risk`);
    const row = await contractRow();
    expect(row.risk_count).toBe(4);
    expect(row.risk_assessed_by).toBe(manager.id);
    expect(row.risk_assessed_at).not.toBeNull();
    const records = JSON.parse(row.risk_indicators!);
    expect(records).toHaveLength(7);
    expect(records[0]).toEqual({ characteristic: "industry", present: true, note: "Garment making" });
    const log = await auditRows();
    expect(log.map((l) => [l.action, l.field, l.old_value, l.user_id])).toEqual([
      ["risk_assessed", "risk_count", null, manager.id],
      ["risk_assessed", "risk_indicators", null, manager.id],
    ]);
    expect(log[0]!.new_value).toBe("4");

    const page = await contractLoader({ request: new Request(`http://localhost/contracts/${contractId}?saved=risk`, { headers: { Cookie: cookies.analyst } }), params: { contractId }, context: {} });
    expect(page.saved).toBe("risk");
    expect(page.canAssess).toBe(false);
    expect(page.contract.risk).toMatchObject({ count: 4, priority: true, threshold: 4, assessedBy: "Tom Rivers" });

    // The form now starts from the saved record, not the suggestions.
    const form = await riskAssessmentForm(manager, contractId);
    expect(form.saved).toBe(true);
    expect(form.answers.workforce).toEqual({ present: "yes", note: "Seasonal agency staff" });
    expect(form.answers.strategic).toEqual({ present: "no", note: "" });
  });

  it("a second assessment audits the old and new count", async () => {
    const outcome = await saveRiskAssessment(admin, contractId, Object.fromEntries(RISK_CHARACTERISTICS.map((c) => [c.id, { present: c.id === "industry" ? "yes" : "no", note: "" }])), NOW);
    expect(outcome).toEqual({ ok: true, count: 1, priority: false, threshold: 4 });
    const last = (await auditRows()).filter((l) => l.field === "risk_count").at(-1)!;
    expect([last.old_value, last.new_value, last.user_id]).toEqual(["4", "1", admin.id]);
    expect((await getContract(manager, contractId)).risk).toMatchObject({ count: 1, priority: false, assessedBy: admin.name });
  });

  it("priority follows the department's threshold as soon as it changes", async () => {
    expect((await getContract(manager, contractId)).risk?.priority).toBe(false);
    await saveSettings(admin, { gold: "40,000,000", bronze: "5,000,000", priority: "1" }, NOW);
    expect((await getContract(manager, contractId)).risk).toMatchObject({ count: 1, priority: true, threshold: 1 });
    const saved = await saveRiskAssessment(manager, contractId, Object.fromEntries(RISK_CHARACTERISTICS.map((c) => [c.id, { present: "no", note: "" }])), NOW);
    expect(saved).toEqual({ ok: true, count: 0, priority: false, threshold: 1 });
  });
});
