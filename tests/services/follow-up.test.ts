/**
 * One rule for what needs follow-up, read by the queue, the results list and page and the contract
 * page; results tied to the register by the supplier's identity (company number, or a name match a
 * contract manager accepts once).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../db/ids";
import type { CurrentUser } from "../../app/services/auth.server";
import { contractSupplier, decideSupplierMatch } from "../../app/services/contract-supplier.server";
import { getConversation, saveConversation, startConversation } from "../../app/services/conversations.server";
import { postActionUpdate } from "../../app/services/actions.server";
import { getQueue } from "../../app/services/queue.server";
import { getResult, listResults } from "../../app/services/results.server";
import { shareAssessment } from "../../app/services/shares.server";
import { linkRegisterToSuppliers } from "../../app/services/supplier-links.server";
import type { ConversationInput } from "../../app/domain/conversations";
import { createTestDb, type TestDb } from "../setup/db";
import { userFor } from "../setup/requests";
import { submitPlausible } from "../setup/assessments";

const NOW = new Date("2026-06-01T09:00:00Z");
let t: TestDb;
let supplier: CurrentUser;
let otherSupplier: CurrentUser;
let manager: CurrentUser;
let analyst: CurrentUser;
let nhsManager: CurrentUser;
let assessmentId: string;

async function expectStatus(promise: Promise<unknown>, status: number) {
  await expect(promise).rejects.toMatchObject({ init: { status } });
}

const submitOne = (user: CurrentUser, when: Date) => submitPlausible(t.db, user, 0.6, when);

/** Set what the stored result says, so each case of the rule is exact. */
async function setResult(id: string, change: { redFlags?: string[]; band?: "high" | "medium" | "low" }) {
  const row = await t.db.selectFrom("submission").select(["id", "result"]).where("assessment_id", "=", id).executeTakeFirstOrThrow();
  const result = JSON.parse(row.result);
  if (change.redFlags) result.redFlags = change.redFlags.map((title, i) => ({ id: `flag-${i}`, title, description: "", triggeredBy: [] }));
  if (change.band) result.band = { id: change.band, label: { high: "High risk", medium: "Medium risk", low: "Low risk" }[change.band] };
  await t.db.updateTable("submission").set({ result: JSON.stringify(result) }).where("id", "=", row.id).execute();
}

const date = (iso: string) => {
  const [year, month, day] = iso.split("-");
  return { day: day!, month: month!, year: year! };
};
const finished = (nextReview: string): ConversationInput => ({
  heldOn: date("2026-06-01"),
  buyerAttendees: "Tom Rivers",
  supplierAttendees: "Sam Carter",
  notes: "",
  recommendationsDiscussed: [],
  verifications: {},
  actions: [],
  nextReviewOn: date(nextReview),
});

async function addContract(values: { reference: string; supplierName: string; companyNumber?: string | null; supplierOrganisationId?: string | null; annualPence?: number }) {
  const id = newId();
  const stamp = NOW.toISOString();
  await t.db
    .insertInto("contract")
    .values({
      id, organisation_id: manager.organisationId, reference: values.reference, title: `Services ${values.reference}`, supplier_name: values.supplierName,
      supplier_company_number: values.companyNumber ?? null, supplier_country: "GB", supplier_organisation_id: values.supplierOrganisationId ?? null, category: "Cleaning",
      annual_value_pence: values.annualPence ?? 500_000_000, total_value_pence: 1_000_000_000, start_date: "2025-01-01", end_date: "2028-12-31",
      contract_manager_email: "manager@dpw.example", tier_override: null, tier_override_reason: null, risk_indicators: null, risk_count: null,
      risk_assessed_by: null, risk_assessed_at: null, status_override: null, status_override_reason: null, created_at: stamp, updated_at: stamp,
    })
    .execute();
  return id;
}

const queued = async (user: CurrentUser, now = NOW) => (await getQueue(user, now)).followUp.filter((e) => e.assessmentId === assessmentId);

beforeAll(async () => {
  t = await createTestDb(NOW);
  supplier = await userFor(t.db, "admin@acme.example");
  otherSupplier = await userFor(t.db, "admin@brightwear.example");
  manager = await userFor(t.db, "manager@dpw.example");
  analyst = await userFor(t.db, "analyst@dpw.example");
  nhsManager = await userFor(t.db, "manager@nhs.example");
  assessmentId = await submitOne(supplier, NOW);
  await shareAssessment(supplier, assessmentId, manager.organisationId, NOW);
});
afterAll(async () => t.close());

describe("the follow-up rule, as the queue, results and result page read it", () => {
  it("a red flag needs follow-up while the assessment is only submitted, not completed", async () => {
    await setResult(assessmentId, { redFlags: ["Serious signs of forced labour"], band: "low" });
    const status = await t.db.selectFrom("assessment").select("status").where("id", "=", assessmentId).executeTakeFirstOrThrow();
    expect(status.status).toBe("submitted");
    expect((await queued(manager)).map((e) => e.reasons.map((r) => r.kind))).toEqual([["red_flags"]]);
    expect((await listResults(manager, { followUp: true }, NOW)).results.map((r) => r.assessmentId)).toContain(assessmentId);
    expect((await getResult(manager, assessmentId, NOW)).followUp).toMatchObject({ needed: true, openRedFlags: 1 });
    // Analysts see the same queue; a department it is not shared with sees nothing of it.
    expect(await queued(analyst)).toHaveLength(1);
    expect(await queued(nhsManager)).toEqual([]);
    await expectStatus(getQueue(supplier, NOW), 403);
  });

  it("completed or not makes no difference", async () => {
    await t.db.updateTable("assessment").set({ status: "completed" }).where("id", "=", assessmentId).execute();
    expect(await queued(manager)).toHaveLength(1);
  });

  it("a finished conversation clears the red flag; a High rating stays; a due review comes back", async () => {
    const conversationId = await startConversation(manager, assessmentId, NOW);
    expect(await saveConversation(manager, conversationId, finished("2026-09-01"), true, NOW)).toMatchObject({ ok: true, finished: true });
    expect(await queued(manager)).toEqual([]);
    expect((await listResults(manager, { followUp: true }, NOW)).results.map((r) => r.assessmentId)).not.toContain(assessmentId);
    expect((await getResult(manager, assessmentId, NOW)).followUp).toMatchObject({ needed: false, openRedFlags: 0 });

    await setResult(assessmentId, { band: "high" });
    expect((await queued(manager)).map((e) => e.reasons.map((r) => r.kind))).toEqual([["high_risk"]]);
    await setResult(assessmentId, { band: "medium" });
    expect(await queued(manager)).toEqual([]);
    // The review agreed for 1 September: due on the day, not the day before.
    expect(await queued(manager, new Date("2026-08-31T12:00:00Z"))).toEqual([]);
    expect((await queued(manager, new Date("2026-09-01T12:00:00Z"))).map((e) => e.reasons)).toEqual([[{ kind: "review_due", dueOn: "2026-09-01" }]]);
  });

  it("only the supplier's current result counts: a later shared submission supersedes it", async () => {
    await setResult(assessmentId, { band: "high" });
    expect(await queued(manager)).toHaveLength(1);
    const later = await submitOne(supplier, new Date("2026-06-02T09:00:00Z"));
    await shareAssessment(supplier, later, manager.organisationId, new Date("2026-06-02T09:00:00Z"));
    await setResult(later, { redFlags: [], band: "low" });
    expect(await queued(manager)).toEqual([]);
    const rows = (await listResults(manager, {}, NOW)).results;
    expect(rows.find((r) => r.assessmentId === assessmentId)).toMatchObject({ current: false, followUp: { needed: false } });
    expect(rows.find((r) => r.assessmentId === later)).toMatchObject({ current: true });
    await setResult(later, { redFlags: ["Recruitment fees charged to workers"] });
    const q = await getQueue(manager, NOW);
    expect(q.followUp.map((e) => e.assessmentId)).toContain(later);
    expect(q.followUp.find((e) => e.assessmentId === later)!.openRedFlags).toBe(1);
  });
});

describe("results tied to the register by the supplier's identity", () => {
  it("by company number: every contract of the department with the supplier's number, not only an invited one", async () => {
    await t.db.updateTable("organisation").set({ company_number: "01234567" }).where("id", "=", supplier.organisationId).execute();
    const first = await addContract({ reference: "DPW-L-1", supplierName: "Acme Facilities", companyNumber: "01234567", annualPence: 20_000_000_000 });
    const second = await addContract({ reference: "DPW-L-2", supplierName: "Acme FM", companyNumber: "01234567" });
    const other = await addContract({ reference: "DPW-L-3", supplierName: "Someone Else Ltd", companyNumber: "07654321" });
    await linkRegisterToSuppliers(t.db, manager.organisationId);
    const current = (await listResults(manager, {}, NOW)).results.find((r) => r.current && r.supplierName === "Acme Facilities Ltd")!;
    expect(current.contracts.map((c) => c.reference)).toEqual(["DPW-L-1", "DPW-L-2"]);
    const result = await getResult(manager, current.assessmentId, NOW);
    expect(result.contracts.map((c) => c.id)).toEqual([first, second]);
    // The contract page shows the supplier's current result; the other contract has none.
    expect((await contractSupplier(manager, first, NOW)).current).toMatchObject({ assessmentId: current.assessmentId });
    expect((await contractSupplier(manager, other, NOW)).linked).toBeNull();
    // The queue's tier comes from the linked contracts: over £1m a year is gold.
    expect((await getQueue(manager, NOW)).followUp.find((e) => e.assessmentId === current.assessmentId)!.tier).toBe("gold");
    // Northshire's register is its own: nothing of DPW's shows there.
    await expectStatus(contractSupplier(nhsManager, first, NOW), 404);
  });

  it("by a name match a contract manager accepts once; analysts cannot decide", async () => {
    const named = await addContract({ reference: "DPW-N-1", supplierName: "ACME Facilities Limited" });
    const view = await contractSupplier(manager, named, NOW);
    expect(view.linked).toBeNull();
    expect(view.candidates.map((c) => c.name)).toEqual(["Acme Facilities Ltd"]);
    // A supplier that never shared with the department is never offered, however alike its name.
    expect(view.candidates.some((c) => c.organisationId === otherSupplier.organisationId)).toBe(false);
    await expectStatus(decideSupplierMatch(analyst, named, supplier.organisationId, NOW), 403);
    expect(await decideSupplierMatch(manager, named, otherSupplier.organisationId, NOW)).toEqual({ ok: false, errors: { choice: "Select the supplier that holds this contract, or none of them" } });
    expect(await decideSupplierMatch(manager, named, "1 or 1=1", NOW)).toMatchObject({ ok: false });
    expect((await t.db.selectFrom("contract").select("supplier_organisation_id").where("id", "=", named).executeTakeFirstOrThrow()).supplier_organisation_id).toBeNull();

    expect(await decideSupplierMatch(manager, named, supplier.organisationId, NOW)).toEqual({ ok: true, decision: "accepted", supplierName: "Acme Facilities Ltd" });
    const linked = await contractSupplier(manager, named, NOW);
    expect(linked.linked).toMatchObject({ id: supplier.organisationId, acceptedBy: manager.name });
    expect(linked.current).not.toBeNull();
    const current = (await listResults(manager, {}, NOW)).results.find((r) => r.current && r.supplierName === "Acme Facilities Ltd")!;
    expect(current.contracts.map((c) => c.reference)).toContain("DPW-N-1");
    // Decided once: a second decision is refused and changes nothing.
    expect(await decideSupplierMatch(manager, named, "none", NOW)).toMatchObject({ ok: false });
    const audit = await t.db.selectFrom("audit_log").select(["action", "new_value"]).where("entity", "=", "contract").where("entity_id", "=", named).execute();
    expect(audit).toEqual([{ action: "supplier_linked", new_value: supplier.organisationId }]);
  });

  it("dismissing the matches keeps the contract unlinked and stops offering them", async () => {
    const named = await addContract({ reference: "DPW-N-2", supplierName: "Acme Facility Services" });
    expect((await contractSupplier(manager, named, NOW)).candidates.length).toBeGreaterThan(0);
    expect(await decideSupplierMatch(manager, named, "none", NOW)).toEqual({ ok: true, decision: "dismissed", supplierName: null });
    const after = await contractSupplier(manager, named, NOW);
    expect(after).toMatchObject({ linked: null, candidates: [] });
  });
});

describe("actions in the queue", () => {
  it("an action awaiting the department's confirmation is listed whatever its due date, overdue only if handed in late", async () => {
    const later = (await listResults(manager, {}, NOW)).results.find((r) => r.current && r.supplierName === "Acme Facilities Ltd")!.assessmentId;
    const conversationId = await startConversation(manager, later, NOW);
    const input = finished("2026-12-01");
    input.actions = [
      { description: "Send the audit plan", ownerSide: "supplier", ownerName: "Sam Carter", dueOn: date("2026-06-10"), recommendationId: "" },
      { description: "Publish the statement", ownerSide: "supplier", ownerName: "Sam Carter", dueOn: date("2026-06-12"), recommendationId: "" },
    ];
    expect(await saveConversation(manager, conversationId, input, true, NOW)).toMatchObject({ ok: true, finished: true });
    const [onTime, late] = (await t.db.selectFrom("conversation_action").select("id").where("conversation_id", "=", conversationId).orderBy("due_on").execute()).map((a) => a.id);
    expect(await postActionUpdate(supplier, onTime!, { status: "awaiting_confirmation", note: "Sent on 5 June." }, new Date("2026-06-05T09:00:00Z"))).toEqual({ ok: true });
    expect(await postActionUpdate(supplier, late!, { status: "awaiting_confirmation", note: "Published on 20 June." }, new Date("2026-06-20T09:00:00Z"))).toEqual({ ok: true });
    // Two months on, far past both due dates and beyond the 14 days ahead: both wait for the department.
    const queue = await getQueue(manager, new Date("2026-08-01T09:00:00Z"));
    expect(queue.actions.filter((a) => a.assessmentId === later).map((a) => [a.actionId, a.status, a.overdue])).toEqual([
      [onTime, "awaiting_confirmation", false],
      [late, "awaiting_confirmation", true],
    ]);
    // The conversation page reads the same handed-in days.
    const page = await getConversation(manager, conversationId);
    expect(Object.fromEntries(page.actions.map((a) => [a.id, a.markedOn]))).toEqual({ [onTime!]: "2026-06-05", [late!]: "2026-06-20" });
  });
});
