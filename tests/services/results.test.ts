/**
 * What a buyer sees of suppliers' assessments: only while shared with its organisation, never a
 * draft; the notes every buyer it is shared with reads; the supplier's history as far as it is
 * shared; the overview figures.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../db/ids";
import { startAssessment } from "../../app/services/assessments.server";
import type { CurrentUser } from "../../app/services/auth.server";
import { currentQuestionnaire } from "../../app/services/questionnaires.server";
import { getReport } from "../../app/services/reports.server";
import { buyerOverview } from "../../app/services/buyer-overview.server";
import { addNote, getResult, listNotes, listResults } from "../../app/services/results.server";
import { shareAssessment, stopSharing } from "../../app/services/shares.server";
import { action as resultAction, loader as resultLoader } from "../../app/routes/result";
import { loader as resultsLoader } from "../../app/routes/results";
import { createTestDb, type TestDb } from "../setup/db";
import { formRequest, signedInCookie, userFor } from "../setup/requests";
import { submitPlausible } from "../setup/assessments";

const NOW = new Date("2026-06-01T09:00:00Z");
const at = (hours: number) => new Date(NOW.getTime() + hours * 60 * 60 * 1000);
let t: TestDb;
let supplier: CurrentUser;
let otherSupplier: CurrentUser;
let dpwManager: CurrentUser;
let dpwAdmin: CurrentUser;
let dpwAnalyst: CurrentUser;
let nhsManager: CurrentUser;
let dpwId: string;
let nhsId: string;
let first: string;
let second: string;
let draft: string;

async function expectStatus(promise: Promise<unknown>, status: number) {
  await expect(promise).rejects.toMatchObject({ init: { status } });
}

const submitOne = (strength: number, when: Date) => submitPlausible(t.db, supplier, strength, when);

const mine = (rows: Array<{ assessmentId: string }>) => rows.map((r) => r.assessmentId).filter((id) => [first, second, draft].includes(id));

beforeAll(async () => {
  t = await createTestDb(NOW);
  supplier = await userFor(t.db, "admin@acme.example");
  otherSupplier = await userFor(t.db, "admin@brightwear.example");
  dpwManager = await userFor(t.db, "manager@dpw.example");
  dpwAdmin = await userFor(t.db, "admin@dpw.example");
  dpwAnalyst = await userFor(t.db, "analyst@dpw.example");
  nhsManager = await userFor(t.db, "manager@nhs.example");
  dpwId = dpwManager.organisationId;
  nhsId = nhsManager.organisationId;
  first = await submitOne(0.3, NOW);
  second = await submitOne(0.8, at(24));
  draft = await startAssessment(supplier, at(25));
});
afterAll(async () => t.close());

describe("results shared with a buyer", () => {
  it("shows nothing before the supplier shares", async () => {
    expect(mine((await listResults(dpwManager)).results)).toEqual([]);
    await expectStatus(getResult(dpwManager, first), 404);
    await expectStatus(listNotes(dpwManager, first), 404);
    await expectStatus(addNote(dpwManager, first, "Hello", NOW), 404);
  });

  it("lists an assessment for the buyer it is shared with, and no other buyer", async () => {
    expect(await shareAssessment(supplier, first, dpwId, at(1))).toMatchObject({ ok: true });
    const dpw = await listResults(dpwAnalyst);
    expect(mine(dpw.results)).toEqual([first]);
    const row = dpw.results.find((r) => r.assessmentId === first)!;
    const result = JSON.parse((await t.db.selectFrom("submission").select("result").where("assessment_id", "=", first).executeTakeFirstOrThrow()).result);
    expect(row).toMatchObject({ supplierName: "Acme Facilities Ltd", submittedAt: NOW.toISOString(), questionnaireVersion: currentQuestionnaire().version, band: { id: result.band.id, label: result.band.label }, overall: result.overall, status: "submitted", contracts: [], notes: 0 });
    expect(mine((await listResults(nhsManager)).results)).toEqual([]);
    await expectStatus(getResult(nhsManager, first), 404);
    expect((await getResult(dpwAnalyst, first)).supplier.name).toBe("Acme Facilities Ltd");
  });

  it("refuses suppliers (403) and ids that are not UUIDs (404)", async () => {
    await expectStatus(listResults(supplier), 403);
    await expectStatus(getResult(supplier, first), 403);
    await expectStatus(getResult(otherSupplier, first), 403);
    await expectStatus(addNote(supplier, first, "A note", NOW), 403);
    await expectStatus(getResult(dpwManager, "../etc"), 404);
    await expectStatus(getResult(dpwManager, newId()), 404);
  });

  it("never shows a draft, even with a share row", async () => {
    await t.db
      .insertInto("assessment_share")
      .values({ id: newId(), assessment_id: draft, supplier_organisation_id: supplier.organisationId, buyer_organisation_id: dpwId, shared_by: supplier.id, shared_at: NOW.toISOString(), invitation_id: null, revoked_at: null, revoked_by: null })
      .execute();
    expect(mine((await listResults(dpwManager)).results)).toEqual([first]);
    await expectStatus(getResult(dpwManager, draft), 404);
    await t.db.deleteFrom("assessment_share").where("assessment_id", "=", draft).execute();
  });

  it("filters by rating band, newest first", async () => {
    await shareAssessment(supplier, second, dpwId, at(26));
    const all = await listResults(dpwManager);
    expect(mine(all.results)).toEqual([second, first]);
    const bandOfFirst = all.results.find((r) => r.assessmentId === first)!.band.id;
    const filtered = await listResults(dpwManager, { band: bandOfFirst });
    expect(filtered.band).toBe(bandOfFirst);
    expect(filtered.results.every((r) => r.band.id === bandOfFirst)).toBe(true);
    expect(mine(filtered.results)).toContain(first);
    expect(all.bands.find((b) => b.id === bandOfFirst)!.count).toBeGreaterThanOrEqual(1);
    // An unknown band is no filter.
    const unknown = await listResults(dpwManager, { band: "nonsense" });
    expect(unknown.band).toBeNull();
    expect(unknown.results).toHaveLength(all.results.length);
    await stopSharing(supplier, second, dpwId, true, at(27));
  });
});

describe("notes", () => {
  it("lets administrators and contract managers write, analysts only read", async () => {
    expect(await addNote(dpwManager, first, "  Asked about the audit plan.\r\nThey will send it by July.  ", at(2))).toMatchObject({ ok: true });
    await expectStatus(addNote(dpwAnalyst, first, "An analyst's note", at(3)), 403);
    expect(await addNote(dpwAdmin, first, "Agreed at the quarterly review.", at(3))).toMatchObject({ ok: true });
    const notes = await listNotes(dpwAnalyst, first);
    expect(notes.map((n) => [n.body, n.writer, n.organisationName])).toEqual([
      ["Agreed at the quarterly review.", dpwAdmin.name, "Department for Public Works"],
      ["Asked about the audit plan.\r\nThey will send it by July.", dpwManager.name, "Department for Public Works"],
    ]);
    const audit = await t.db.selectFrom("audit_log").selectAll().where("entity_id", "=", first).where("action", "=", "note_added").execute();
    expect(audit).toHaveLength(2);
    expect(audit.map((a) => a.user_id).sort()).toEqual([dpwManager.id, dpwAdmin.id].sort());
  });

  it("refuses an empty, too long or control-character note with a field error, storing nothing", async () => {
    const before = await t.db.selectFrom("assessment_note").selectAll().execute();
    expect(await addNote(dpwManager, first, "   ", at(4))).toEqual({ ok: false, errors: { body: "Enter your note" } });
    expect(await addNote(dpwManager, first, "x".repeat(2001), at(4))).toEqual({ ok: false, errors: { body: "Note must be 2000 characters or fewer" } });
    expect(await addNote(dpwManager, first, "bad\u0000note", at(4))).toEqual({ ok: false, errors: { body: "Note must not contain control characters: remove them and type it again" } });
    expect(await addNote(dpwManager, first, undefined, at(4))).toEqual({ ok: false, errors: { body: "Enter your note" } });
    expect(await t.db.selectFrom("assessment_note").selectAll().execute()).toHaveLength(before.length);
    expect(await addNote(dpwManager, first, "y".repeat(2000), at(4))).toMatchObject({ ok: true });
    await t.db.deleteFrom("assessment_note").where("body", "=", "y".repeat(2000)).execute();
  });

  it("shows every buyer's notes, with organisation names, to each buyer it is shared with", async () => {
    await shareAssessment(supplier, first, nhsId, at(5));
    expect(await addNote(nhsManager, first, "Northshire also buys from them.", at(6))).toMatchObject({ ok: true });
    const seenByNhs = await listNotes(nhsManager, first);
    const seenByDpw = await listNotes(dpwManager, first);
    expect(seenByNhs.map((n) => n.organisationName)).toEqual(["Northshire Health Services", "Department for Public Works", "Department for Public Works"]);
    expect(seenByDpw.map((n) => n.body)).toEqual(seenByNhs.map((n) => n.body));
    expect(seenByDpw.map((n) => n.mine)).toEqual([false, true, true]);
    expect((await listResults(nhsManager)).results.find((r) => r.assessmentId === first)!.notes).toBe(3);
  });

  it("hides everything again once the share is revoked: list, view, notes, note writing", async () => {
    await stopSharing(supplier, first, dpwId, true, at(7));
    expect(mine((await listResults(dpwManager)).results)).toEqual([]);
    await expectStatus(getResult(dpwManager, first), 404);
    await expectStatus(listNotes(dpwManager, first), 404);
    await expectStatus(addNote(dpwManager, first, "Still here?", at(8)), 404);
    // The buyer still shared with no longer sees the notes of the one that lost access.
    const seenByNhs = await listNotes(nhsManager, first);
    expect(seenByNhs.map((n) => n.organisationName)).toEqual(["Northshire Health Services"]);
    expect((await listResults(nhsManager)).results.find((r) => r.assessmentId === first)!.notes).toBe(1);
    // Through the pages: the view is a 404, the list holds nothing of it.
    const cookie = await signedInCookie(t.db, "manager@dpw.example");
    await expectStatus(resultLoader({ request: new Request(`http://localhost/results/${first}`, { headers: { Cookie: cookie } }), params: { assessmentId: first }, context: {} }), 404);
    const list = await resultsLoader({ request: new Request("http://localhost/results", { headers: { Cookie: cookie } }), params: {}, context: {} });
    expect(mine(list.results)).toEqual([]);
  });

  it("brings the notes back when shared again", async () => {
    await shareAssessment(supplier, first, dpwId, at(9));
    expect((await listNotes(dpwManager, first)).map((n) => n.organisationName)).toEqual(["Northshire Health Services", "Department for Public Works", "Department for Public Works"]);
  });

  it("adds a note through the page's form; an analyst's form is refused", async () => {
    const cookie = await signedInCookie(t.db, "manager@dpw.example");
    const path = `/results/${first}`;
    const invalid = (await resultAction({ request: formRequest(path, cookie, [["intent", "note"], ["body", ""]]), params: { assessmentId: first }, context: {} })) as unknown as { init: { status: number }; data: { errors: { body: string } } };
    expect(invalid.init.status).toBe(400);
    expect(invalid.data.errors.body).toBe("Enter your note");
    const added = (await resultAction({ request: formRequest(path, cookie, [["intent", "note"], ["body", "Written through the form."]]), params: { assessmentId: first }, context: {} })) as Response;
    expect(added.status).toBe(302);
    expect(added.headers.get("Location")).toBe(`${path}?note=added#notes`);
    const page = await resultLoader({ request: new Request(`http://localhost${path}?note=added`, { headers: { Cookie: cookie } }), params: { assessmentId: first }, context: {} });
    expect(page.notes[0]!.body).toBe("Written through the form.");
    expect(page.noteAdded).toBe(true);
    expect(page.canWriteNotes).toBe(true);
    const analystCookie = await signedInCookie(t.db, "analyst@dpw.example");
    await expectStatus(resultAction({ request: formRequest(path, analystCookie, [["intent", "note"], ["body", "No."]]), params: { assessmentId: first }, context: {} }), 403);
    const analystPage = await resultLoader({ request: new Request(`http://localhost${path}`, { headers: { Cookie: analystCookie } }), params: { assessmentId: first }, context: {} });
    expect(analystPage.canWriteNotes).toBe(false);
    const supplierCookie = await signedInCookie(t.db, "admin@acme.example");
    await expectStatus(resultLoader({ request: new Request(`http://localhost${path}`, { headers: { Cookie: supplierCookie } }), params: { assessmentId: first }, context: {} }), 403);
  });
});

describe("the supplier's history, as far as it is shared", () => {
  it("lists only the submissions shared with this buyer, each with its change", async () => {
    // first: DPW and NHS; second: NHS only.
    await shareAssessment(supplier, second, nhsId, at(28));
    const nhs = await getResult(nhsManager, second);
    expect(nhs.history.map((h) => [h.assessmentId, h.current])).toEqual([
      [second, true],
      [first, false],
    ]);
    const [newer, older] = nhs.history;
    expect(older!.change).toBeNull();
    expect(newer!.change).toBe(Math.round((newer!.overall! - older!.overall!) * 10) / 10);
    // The report's theme changes compare with the previous submission, which NHS was shared too.
    expect(nhs.report.changes).not.toBeNull();

    const dpw = await getResult(dpwManager, first);
    expect(dpw.history.map((h) => h.assessmentId)).toEqual([first]);
    await expectStatus(getResult(dpwManager, second), 404);
  });

  it("drops a submission from the history and the comparison once it is no longer shared", async () => {
    await stopSharing(supplier, first, nhsId, true, at(29));
    const nhs = await getResult(nhsManager, second);
    expect(nhs.history.map((h) => h.assessmentId)).toEqual([second]);
    expect(nhs.history[0]!.change).toBeNull();
    expect(nhs.report.changes).toBeNull();
    expect(nhs.report.previousSubmittedAt).toBeNull();
    // The supplier's own report still compares with its previous submission.
    expect((await getReport(supplier, second)).changes).not.toBeNull();
  });
});

describe("contracts and the overview", () => {
  let contractId: string;

  it("shows the buyer's own contracts an assessment is linked to, to that buyer only", async () => {
    contractId = newId();
    const stamp = NOW.toISOString();
    await t.db
      .insertInto("contract")
      .values({
        id: contractId, organisation_id: dpwId, reference: "DPW-RES-1", title: "Facilities management", supplier_name: "Acme Facilities Ltd", supplier_company_number: null,
        supplier_country: "GB", supplier_organisation_id: supplier.organisationId, category: "Facilities", annual_value_pence: 100, total_value_pence: 100,
        start_date: "2026-01-01", end_date: "2027-01-01", contract_manager_email: null, tier_override: null, tier_override_reason: null,
        risk_indicators: "[]", risk_count: 5, risk_assessed_by: dpwManager.id, risk_assessed_at: stamp, created_at: stamp, updated_at: stamp,
      })
      .execute();
    await t.db
      .insertInto("supplier_invitation")
      .values({
        id: newId(), organisation_id: dpwId, contract_id: contractId, email: "admin@acme.example", contact_name: null, code_hash: `hash-${newId()}`,
        invited_by: dpwManager.id, created_at: stamp, expires_at: at(24 * 30).toISOString(), supplier_organisation_id: supplier.organisationId, accepted_by: supplier.id,
        accepted_at: stamp, assessment_id: first, linked_at: stamp, cancelled_at: null, cancelled_by: null, cancel_reason: null,
      })
      .execute();
    expect((await getResult(dpwManager, first, NOW)).contracts).toEqual([{ id: contractId, reference: "DPW-RES-1", title: "Facilities management", live: true }]);
    expect((await listResults(dpwManager)).results.find((r) => r.assessmentId === first)!.contracts).toEqual([{ id: contractId, reference: "DPW-RES-1" }]);
    // NHS is shared the second assessment and sees no DPW contract on anything.
    expect((await getResult(nhsManager, second)).contracts).toEqual([]);
    expect((await listResults(nhsManager)).results.flatMap((r) => r.contracts)).not.toContainEqual(expect.objectContaining({ id: contractId }));
  });

  it("counts the organisation's contracts, priority contracts, invitations by status and shared results", async () => {
    const before = await buyerOverview(dpwManager, NOW);
    const stamp = NOW.toISOString();
    const invitation = (over: Record<string, unknown>) => ({
      id: newId(), organisation_id: dpwId, contract_id: contractId, email: "someone@supplier.example", contact_name: null, code_hash: `hash-${newId()}`,
      invited_by: dpwManager.id, created_at: stamp, expires_at: at(24).toISOString(), supplier_organisation_id: null, accepted_by: null,
      accepted_at: null, assessment_id: null, linked_at: null, cancelled_at: null, cancelled_by: null, cancel_reason: null, ...over,
    });
    await t.db
      .insertInto("supplier_invitation")
      .values([
        invitation({}),
        invitation({ expires_at: at(-1).toISOString() }),
        invitation({ cancelled_at: stamp, cancelled_by: dpwManager.id }),
        invitation({ accepted_at: stamp, accepted_by: supplier.id, supplier_organisation_id: supplier.organisationId }),
        invitation({ accepted_at: stamp, accepted_by: supplier.id, supplier_organisation_id: supplier.organisationId, assessment_id: draft }),
      ])
      .execute();
    const after = await buyerOverview(dpwManager, NOW);
    expect(after.invitationsTotal - before.invitationsTotal).toBe(5);
    for (const status of ["invited", "expired", "cancelled", "registered", "in_progress"] as const) expect(after.invitations[status] - before.invitations[status], status).toBe(1);
    expect(after.invitations.submitted).toBe(before.invitations.submitted);

    const contracts = await t.db.selectFrom("contract").select(["risk_count"]).where("organisation_id", "=", dpwId).execute();
    expect(after.contracts).toBe(contracts.length);
    expect(after.riskAssessed).toBe(contracts.filter((c) => c.risk_count !== null).length);
    expect(after.priority).toBe(contracts.filter((c) => c.risk_count !== null && c.risk_count >= after.priorityThreshold).length);
    expect(after.priority).toBeGreaterThanOrEqual(1);
    // first is shared with DPW (second was stopped); a draft never counts.
    const shared = await listResults(dpwManager);
    expect(after.results).toBe(shared.total);
    expect(mine(shared.results)).toEqual([first]);
    await expectStatus(buyerOverview(supplier, NOW), 403);
  });
});
