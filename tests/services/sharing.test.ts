/**
 * A supplier shares a submitted assessment with buying organisations and stops sharing: who may
 * do it, what is refused and what is recorded. Also the sharing page's loader and action.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../db/ids";
import { plausibleAnswers } from "../../db/seed";
import { saveAnswers, startAssessment, submitAssessment } from "../../app/services/assessments.server";
import type { CurrentUser } from "../../app/services/auth.server";
import { currentQuestionnaire } from "../../app/services/questionnaires.server";
import { getSharing, shareAssessment, stopSharing } from "../../app/services/shares.server";
import { action as sharingAction, loader as sharingLoader } from "../../app/routes/assessment-sharing";
import { createTestDb, type TestDb } from "../setup/db";
import { formRequest, signedInCookie, userFor } from "../setup/requests";

const NOW = new Date("2026-06-01T09:00:00Z");
const LATER = new Date("2026-06-02T10:00:00Z");
const LATER_STILL = new Date("2026-06-03T11:00:00Z");
let t: TestDb;
let admin: CurrentUser;
let contributor: CurrentUser;
let otherSupplier: CurrentUser;
let buyer: CurrentUser;
let dpwId: string;
let nhsId: string;
let brightwearId: string;
let submittedId: string;
let draftId: string;

async function expectStatus(promise: Promise<unknown>, status: number) {
  await expect(promise).rejects.toMatchObject({ init: { status } });
}

const shareRows = () => t.db.selectFrom("assessment_share").selectAll().where("assessment_id", "=", submittedId).execute();

beforeAll(async () => {
  t = await createTestDb(NOW);
  admin = await userFor(t.db, "admin@acme.example");
  contributor = await userFor(t.db, "contributor@acme.example");
  otherSupplier = await userFor(t.db, "admin@brightwear.example");
  buyer = await userFor(t.db, "manager@dpw.example");
  const org = async (name: string) => (await t.db.selectFrom("organisation").select("id").where("name", "=", name).executeTakeFirstOrThrow()).id;
  dpwId = await org("Department for Public Works");
  nhsId = await org("Northshire Health Services");
  brightwearId = await org("Brightwear Textiles Ltd");

  submittedId = await startAssessment(admin, NOW);
  const answers = plausibleAnswers(currentQuestionnaire(), 0.5);
  const saved = await saveAnswers(admin, submittedId, Object.entries(answers).map(([questionId, value]) => ({ questionId, value, baseRevision: 0 })), NOW);
  expect(saved).toMatchObject({ ok: true });
  expect((await submitAssessment(admin, submittedId, NOW)).ok).toBe(true);
  draftId = await startAssessment(admin, NOW);
});
afterAll(async () => t.close());

describe("sharing an assessment with a buyer", () => {
  it("starts shared with nobody, offering every buying organisation", async () => {
    const sharing = await getSharing(admin, submittedId);
    expect(sharing.assessment.status).toBe("submitted");
    expect(sharing.canChange).toBe(true);
    expect(sharing.current).toEqual([]);
    expect(sharing.revoked).toEqual([]);
    expect(sharing.buyers.map((b) => b.id)).toEqual(expect.arrayContaining([dpwId, nhsId]));
    expect(sharing.buyers.map((b) => b.id)).not.toContain(brightwearId);
  });

  it("refuses an unknown organisation, a supplier and a malformed id with a specific error, changing nothing", async () => {
    const unknown = await shareAssessment(admin, submittedId, newId(), NOW);
    expect(unknown).toEqual({ ok: false, errors: { buyerOrganisationId: expect.stringContaining("not in Lantern") } });
    const supplier = await shareAssessment(admin, submittedId, brightwearId, NOW);
    expect(supplier).toEqual({ ok: false, errors: { buyerOrganisationId: "Brightwear Textiles Ltd is not a buying organisation: select a buying organisation from the list" } });
    expect(await shareAssessment(admin, submittedId, "not-an-id", NOW)).toMatchObject({ ok: false, errors: { buyerOrganisationId: expect.any(String) } });
    expect(await shareAssessment(admin, submittedId, "", NOW)).toEqual({ ok: false, errors: { buyerOrganisationId: "Select the buying organisation to share this assessment with" } });
    expect(await shareRows()).toEqual([]);
  });

  it("lets only an administrator share: a contributor reads the page but cannot share", async () => {
    await expectStatus(shareAssessment(contributor, submittedId, dpwId, NOW), 403);
    const sharing = await getSharing(contributor, submittedId);
    expect(sharing.canChange).toBe(false);
    expect(await shareRows()).toEqual([]);
  });

  it("refuses a draft: it can be shared once submitted", async () => {
    const sharing = await getSharing(admin, draftId);
    expect(sharing.assessment.status).toBe("draft");
    await expectStatus(shareAssessment(admin, draftId, dpwId, NOW), 409);
    expect(await t.db.selectFrom("assessment_share").selectAll().where("assessment_id", "=", draftId).execute()).toEqual([]);
  });

  it("keeps other organisations out: another supplier 403, a buyer 403, an id that is not a UUID 404", async () => {
    await expectStatus(getSharing(otherSupplier, submittedId), 403);
    await expectStatus(shareAssessment(otherSupplier, submittedId, dpwId, NOW), 403);
    await expectStatus(stopSharing(otherSupplier, submittedId, dpwId, true, NOW), 403);
    await expectStatus(getSharing(buyer, submittedId), 403);
    await expectStatus(getSharing(admin, "not-a-uuid"), 404);
    await expectStatus(getSharing(admin, newId()), 404);
    expect(await shareRows()).toEqual([]);
  });

  it("shares with a buyer, records who and when, and does not share twice", async () => {
    expect(await shareAssessment(admin, submittedId, dpwId, NOW)).toEqual({ ok: true, buyerName: "Department for Public Works" });
    const rows = await shareRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ buyer_organisation_id: dpwId, supplier_organisation_id: admin.organisationId, shared_by: admin.id, shared_at: NOW.toISOString(), revoked_at: null, invitation_id: null });
    const audit = await t.db.selectFrom("audit_log").selectAll().where("entity_id", "=", submittedId).where("action", "=", "shared").execute();
    expect(audit).toEqual([expect.objectContaining({ user_id: admin.id, new_value: dpwId, organisation_id: admin.organisationId })]);

    const sharing = await getSharing(admin, submittedId);
    expect(sharing.current).toEqual([
      { buyerOrganisationId: dpwId, buyerName: "Department for Public Works", sharedAt: NOW.toISOString(), sharedBy: admin.name, contractReference: null, revokedAt: null, revokedBy: null },
    ]);
    expect(sharing.buyers.map((b) => b.id)).not.toContain(dpwId);

    expect(await shareAssessment(admin, submittedId, dpwId, LATER)).toEqual({ ok: false, errors: { buyerOrganisationId: "This assessment is already shared with Department for Public Works" } });
    expect(await shareRows()).toHaveLength(1);
  });

  it("stops sharing only after confirmation, and only by an administrator", async () => {
    expect(await stopSharing(admin, submittedId, dpwId, false, LATER)).toEqual({
      ok: false,
      errors: { confirm: "Confirm that you understand Department for Public Works will no longer see this assessment" },
    });
    await expectStatus(stopSharing(contributor, submittedId, dpwId, true, LATER), 403);
    expect((await shareRows())[0]!.revoked_at).toBeNull();

    expect(await stopSharing(admin, submittedId, dpwId, true, LATER)).toEqual({ ok: true, buyerName: "Department for Public Works" });
    const rows = await shareRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ revoked_at: LATER.toISOString(), revoked_by: admin.id });
    const audit = await t.db.selectFrom("audit_log").selectAll().where("entity_id", "=", submittedId).where("action", "=", "share_revoked").execute();
    expect(audit).toEqual([expect.objectContaining({ user_id: admin.id, new_value: dpwId })]);

    const sharing = await getSharing(admin, submittedId);
    expect(sharing.current).toEqual([]);
    expect(sharing.revoked).toEqual([expect.objectContaining({ buyerOrganisationId: dpwId, revokedAt: LATER.toISOString(), revokedBy: admin.name })]);
    expect(sharing.buyers.map((b) => b.id)).toContain(dpwId);

    // Nothing to stop any more; an organisation it was never shared with is the same.
    await expectStatus(stopSharing(admin, submittedId, dpwId, true, LATER), 404);
    await expectStatus(stopSharing(admin, submittedId, nhsId, true, LATER), 404);
    await expectStatus(stopSharing(admin, submittedId, "nonsense", true, LATER), 404);
  });

  it("shares again after stopping: the same row, revoked cleared", async () => {
    expect(await shareAssessment(admin, submittedId, dpwId, LATER_STILL)).toMatchObject({ ok: true });
    const rows = await shareRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ revoked_at: null, revoked_by: null, shared_at: LATER_STILL.toISOString() });
    expect((await getSharing(admin, submittedId)).current.map((s) => s.buyerOrganisationId)).toEqual([dpwId]);
  });

  it("shows the contract when the share came from a buyer's invitation", async () => {
    const contractId = newId();
    const at = NOW.toISOString();
    await t.db
      .insertInto("contract")
      .values({
        id: contractId, organisation_id: nhsId, reference: "NHS-TEST-1", title: "Cleaning", supplier_name: "Acme Facilities Ltd", supplier_company_number: null,
        supplier_country: "GB", supplier_organisation_id: admin.organisationId, category: "Facilities", annual_value_pence: 100, total_value_pence: 100,
        start_date: "2026-01-01", end_date: "2027-01-01", contract_manager_email: null, tier_override: null, tier_override_reason: null,
        risk_indicators: null, risk_count: null, risk_assessed_by: null, risk_assessed_at: null, created_at: at, updated_at: at,
      })
      .execute();
    const nhsManager = await userFor(t.db, "manager@nhs.example");
    const invitationId = newId();
    await t.db
      .insertInto("supplier_invitation")
      .values({
        id: invitationId, organisation_id: nhsId, contract_id: contractId, email: "admin@acme.example", contact_name: null, code_hash: `hash-${invitationId}`,
        invited_by: nhsManager.id, created_at: at, expires_at: "2026-07-01T00:00:00.000Z", supplier_organisation_id: admin.organisationId, accepted_by: admin.id,
        accepted_at: at, assessment_id: submittedId, linked_at: at, cancelled_at: null, cancelled_by: null, cancel_reason: null,
      })
      .execute();
    const { shareWithBuyer } = await import("../../app/services/shares.server");
    await t.db.transaction().execute((trx) => shareWithBuyer(trx, { assessmentId: submittedId, supplierOrganisationId: admin.organisationId, buyerOrganisationId: nhsId, userId: admin.id, invitationId, at: NOW }));
    const nhs = (await getSharing(admin, submittedId)).current.find((s) => s.buyerOrganisationId === nhsId);
    expect(nhs).toMatchObject({ buyerName: "Northshire Health Services", contractReference: "NHS-TEST-1" });
  });
});

describe("the sharing page", () => {
  const path = () => `/assessments/${submittedId}/sharing`;

  it("shows the page state, and a confirmation state for ?stop=ID", async () => {
    const cookie = await signedInCookie(t.db, "admin@acme.example");
    const page = await sharingLoader({ request: new Request(`http://localhost${path()}`, { headers: { Cookie: cookie } }), params: { assessmentId: submittedId }, context: {} });
    expect(page.stop).toBeNull();
    expect(page.current.map((s) => s.buyerName).sort()).toEqual(["Department for Public Works", "Northshire Health Services"]);
    const confirm = await sharingLoader({ request: new Request(`http://localhost${path()}?stop=${dpwId}`, { headers: { Cookie: cookie } }), params: { assessmentId: submittedId }, context: {} });
    expect(confirm.stop).toMatchObject({ buyerOrganisationId: dpwId, buyerName: "Department for Public Works" });
    // A contributor sees no confirmation state: it cannot stop sharing.
    const contributorCookie = await signedInCookie(t.db, "contributor@acme.example");
    const theirs = await sharingLoader({ request: new Request(`http://localhost${path()}?stop=${dpwId}`, { headers: { Cookie: contributorCookie } }), params: { assessmentId: submittedId }, context: {} });
    expect(theirs.stop).toBeNull();
    expect(theirs.canChange).toBe(false);
  });

  it("stops sharing through the form: without the box ticked 400, ticked a redirect", async () => {
    const cookie = await signedInCookie(t.db, "admin@acme.example");
    const unticked = (await sharingAction({ request: formRequest(`${path()}?stop=${dpwId}`, cookie, [["intent", "stop"], ["buyerOrganisationId", dpwId]]), params: { assessmentId: submittedId }, context: {} })) as unknown as { init: { status: number }; data: { errors: Record<string, string> } };
    expect(unticked.init.status).toBe(400);
    expect(unticked.data.errors.confirm).toContain("Department for Public Works");
    const ticked = (await sharingAction({ request: formRequest(`${path()}?stop=${dpwId}`, cookie, [["intent", "stop"], ["buyerOrganisationId", dpwId], ["confirm", "yes"]]), params: { assessmentId: submittedId }, context: {} })) as Response;
    expect(ticked.status).toBe(302);
    expect(ticked.headers.get("Location")).toBe(`${path()}?stopped=${dpwId}`);
    const after = await sharingLoader({ request: new Request(`http://localhost${path()}?stopped=${dpwId}`, { headers: { Cookie: cookie } }), params: { assessmentId: submittedId }, context: {} });
    expect(after.stoppedWith).toBe("Department for Public Works");
  });

  it("shares through the form, and refuses a supplier organisation with a field error", async () => {
    const cookie = await signedInCookie(t.db, "admin@acme.example");
    const refused = (await sharingAction({ request: formRequest(path(), cookie, [["intent", "share"], ["buyerOrganisationId", brightwearId]]), params: { assessmentId: submittedId }, context: {} })) as unknown as { init: { status: number }; data: { errors: Record<string, string> } };
    expect(refused.init.status).toBe(400);
    expect(refused.data.errors.buyerOrganisationId).toContain("not a buying organisation");
    const shared = (await sharingAction({ request: formRequest(path(), cookie, [["intent", "share"], ["buyerOrganisationId", dpwId]]), params: { assessmentId: submittedId }, context: {} })) as Response;
    expect(shared.status).toBe(302);
    expect(shared.headers.get("Location")).toBe(`${path()}?shared=${dpwId}`);
  });

  it("refuses a contributor's form with 403", async () => {
    const cookie = await signedInCookie(t.db, "contributor@acme.example");
    await expectStatus(sharingAction({ request: formRequest(path(), cookie, [["intent", "share"], ["buyerOrganisationId", dpwId]]), params: { assessmentId: submittedId }, context: {} }), 403);
  });
});
