/**
 * Supplier invitations through their services: a buyer invites (one live invitation per contract),
 * a supplier joins (a new organisation and administrator) or enters the code (throttled), chooses
 * the assessment that answers it, and the buyer cancels and reminds. Refusals change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../db/ids";
import type { CurrentUser } from "../../app/services/auth.server";
import { ALREADY_HAS_ACCOUNT } from "../../app/services/invitations.server";
import { remindSupplier } from "../../app/services/reminders.server";
import { invitationChoicePage, linkAssessment, pendingInvitationsForSupplier } from "../../app/services/supplier-invitation-answer.server";
import { hashCode, invitationCode } from "../../app/services/supplier-invitation-codes.server";
import { acceptByLink, enterCode, joinAsNewSupplier, joinPage } from "../../app/services/supplier-invitation-join.server";
import { cancelInvitation, inviteSupplier } from "../../app/services/supplier-invitation-send.server";
import { invitationsForContract, listSupplierInvitations } from "../../app/services/supplier-invitations-list.server";
import { formatCode } from "../../app/domain/supplier-invitations";
import { createTestDb, type TestDb } from "../setup/db";
import { userFor } from "../setup/requests";

let t: TestDb;
let admin: CurrentUser;
let manager: CurrentUser;
let analyst: CurrentUser;
let otherDepartment: CurrentUser;
let acmeAdmin: CurrentUser;
let acmeContributor: CurrentUser;
let brightwearAdmin: CurrentUser;
const contracts: Record<string, string> = {};
const ORIGIN = "https://lantern.example";
const NOW = new Date("2026-06-02T10:00:00Z");
const later = (days: number) => new Date(NOW.getTime() + days * 86_400_000);

async function addContract(organisationId: string, reference: string, companyNumber: string | null, manager: string | null = null) {
  const id = newId();
  await t.db
    .insertInto("contract")
    .values({ id, organisation_id: organisationId, reference, title: `Cleaning services ${reference}`, supplier_name: `Supplier of ${reference}`, supplier_company_number: companyNumber, supplier_country: "GB", supplier_organisation_id: null, category: "Cleaning", annual_value_pence: 100_000_00, total_value_pence: 300_000_00, start_date: "2026-04-01", end_date: "2029-03-31", contract_manager_email: manager, tier_override: null, tier_override_reason: null, risk_indicators: null, risk_count: null, risk_assessed_by: null, risk_assessed_at: null, created_at: NOW.toISOString(), updated_at: NOW.toISOString() })
    .execute();
  contracts[reference] = id;
  return id;
}

const count = async (table: "organisation" | "user" | "email_outbox" | "assessment_share" | "assessment") => Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
const invitation = (id: string) => t.db.selectFrom("supplier_invitation").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
const codeOf = (id: string) => formatCode(invitationCode(id));

async function invite(reference: string, email: string, by = manager, at = NOW) {
  const outcome = await inviteSupplier(by, contracts[reference]!, { email, contactName: "Jo Contact" }, ORIGIN, at);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return outcome.invitationId;
}

const NEW_SUPPLIER = { organisationName: "Sparkle Cleaning Ltd", companyNumber: "01234567", country: "GB", name: "Jo Contact", email: "jo@sparkle.example", password: "a-long-enough-password" };

beforeAll(async () => {
  t = await createTestDb();
  admin = await userFor(t.db, "admin@dpw.example");
  manager = await userFor(t.db, "manager@dpw.example");
  analyst = await userFor(t.db, "analyst@dpw.example");
  otherDepartment = await userFor(t.db, "manager@nhs.example");
  acmeAdmin = await userFor(t.db, "admin@acme.example");
  acmeContributor = await userFor(t.db, "contributor@acme.example");
  brightwearAdmin = await userFor(t.db, "admin@brightwear.example");
  await addContract(admin.organisationId, "CON-1", "01234567", "manager@dpw.example");
  await addContract(admin.organisationId, "CON-2", "01234567");
  await addContract(admin.organisationId, "CON-3", null, "other.manager@dpw.example");
  await addContract(admin.organisationId, "CON-4", null);
  await addContract(admin.organisationId, "CON-5", null);
  await addContract(otherDepartment.organisationId, "NHS-1", "01234567");
});
afterAll(async () => t?.close());

describe("inviting a supplier", () => {
  it("sends one email with the link and the code, and stores only the code's hash", async () => {
    const before = await count("email_outbox");
    const id = await invite("CON-1", " Jo@Sparkle.example ");
    const row = await invitation(id);
    expect(row).toMatchObject({ organisation_id: admin.organisationId, email: "jo@sparkle.example", contact_name: "Jo Contact", invited_by: manager.id, expires_at: later(30).toISOString(), accepted_at: null });
    expect(row.code_hash).toBe(hashCode(invitationCode(id)));
    expect(row.code_hash).not.toContain(invitationCode(id));
    expect(await count("email_outbox")).toBe(before + 1);
    const mail = await t.db.selectFrom("email_outbox").selectAll().orderBy("created_at", "desc").where("recipient", "=", "jo@sparkle.example").executeTakeFirstOrThrow();
    expect(mail.organisation_id).toBe(admin.organisationId);
    expect(mail.subject).toContain("Department for Public Works");
    expect(mail.subject).toContain("CON-1");
    expect(mail.body).toContain("Cleaning services CON-1");
    expect(mail.body).toContain(`${ORIGIN}/join/${codeOf(id)}`);
    expect(mail.body).toContain(`If your organisation already uses Lantern, sign in and enter this code: ${codeOf(id)}`);
    expect(codeOf(id)).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  });

  it("refuses a second live invitation for the contract", async () => {
    const before = await count("email_outbox");
    const outcome = await inviteSupplier(admin, contracts["CON-1"]!, { email: "someone@else.example", contactName: null }, ORIGIN, later(1));
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.errors.email).toMatch(/cancel it first or send a reminder/);
    expect(await count("email_outbox")).toBe(before);
  });

  it("refuses other organisations' contracts, non-ids, analysts and suppliers", async () => {
    await expect(inviteSupplier(otherDepartment, contracts["CON-4"]!, { email: "x@y.example", contactName: null }, ORIGIN, NOW)).rejects.toMatchObject({ init: { status: 404 } });
    await expect(inviteSupplier(manager, "not-an-id", { email: "x@y.example", contactName: null }, ORIGIN, NOW)).rejects.toMatchObject({ init: { status: 404 } });
    await expect(inviteSupplier(manager, contracts["NHS-1"]!, { email: "x@y.example", contactName: null }, ORIGIN, NOW)).rejects.toMatchObject({ init: { status: 404 } });
    await expect(inviteSupplier(analyst, contracts["CON-4"]!, { email: "x@y.example", contactName: null }, ORIGIN, NOW)).rejects.toMatchObject({ init: { status: 403 } });
    await expect(inviteSupplier(acmeAdmin, contracts["CON-4"]!, { email: "x@y.example", contactName: null }, ORIGIN, NOW)).rejects.toMatchObject({ init: { status: 403 } });
    expect(await t.db.selectFrom("supplier_invitation").select("id").where("contract_id", "=", contracts["CON-4"]!).execute()).toEqual([]);
  });
});

describe("joining with the link", () => {
  it("shows the inviting buyer and contract; a buyer account gets a 403; unknown codes a 404", async () => {
    const id = (await t.db.selectFrom("supplier_invitation").select("id").where("contract_id", "=", contracts["CON-1"]!).executeTakeFirstOrThrow()).id;
    const page = await joinPage(codeOf(id).toLowerCase(), undefined, NOW);
    expect(page.invitation).toMatchObject({ buyerName: "Department for Public Works", contractReference: "CON-1", email: "jo@sparkle.example" });
    await expect(joinPage(codeOf(id), manager, NOW)).rejects.toMatchObject({ init: { status: 403 } });
    await expect(joinPage("AAAA-BBBB-CCCC", undefined, NOW)).rejects.toMatchObject({ init: { status: 404 } });
    await expect(joinPage("nonsense", undefined, NOW)).rejects.toMatchObject({ init: { status: 404 } });
  });

  it("refuses a company number already in Lantern and an email with an account, changing nothing", async () => {
    const id = (await t.db.selectFrom("supplier_invitation").select("id").where("contract_id", "=", contracts["CON-1"]!).executeTakeFirstOrThrow()).id;
    await t.db.updateTable("organisation").set({ company_number: "SC123456" }).where("id", "=", brightwearAdmin.organisationId).execute();
    const orgs = await count("organisation");
    const users = await count("user");
    const taken = await joinAsNewSupplier(codeOf(id), { ...NEW_SUPPLIER, companyNumber: "SC123456" }, NOW);
    expect(taken.ok).toBe(false);
    expect(!taken.ok && taken.errors.companyNumber).toMatch(/Brightwear Textiles Ltd \(company number SC123456\) already uses Lantern: ask its administrator/);
    const account = await joinAsNewSupplier(codeOf(id), { ...NEW_SUPPLIER, email: "ADMIN@acme.example" }, NOW);
    expect(!account.ok && account.errors.email).toBe(ALREADY_HAS_ACCOUNT);
    expect([await count("organisation"), await count("user")]).toEqual([orgs, users]);
    expect((await invitation(id)).accepted_at).toBeNull();
  });

  it("refuses expired and cancelled codes", async () => {
    const id = (await t.db.selectFrom("supplier_invitation").select("id").where("contract_id", "=", contracts["CON-1"]!).executeTakeFirstOrThrow()).id;
    await expect(joinAsNewSupplier(codeOf(id), NEW_SUPPLIER, later(30))).rejects.toMatchObject({ init: { status: 404 } });
    await expect(joinPage(codeOf(id), undefined, later(31))).rejects.toMatchObject({ init: { status: 404 } });
    const cancelled = await invite("CON-5", "gone@x.example");
    expect(await cancelInvitation(manager, cancelled, "Sent to the wrong person", NOW)).toMatchObject({ ok: true });
    await expect(joinAsNewSupplier(codeOf(cancelled), { ...NEW_SUPPLIER, email: "other@x.example", companyNumber: "NI000001" }, NOW)).rejects.toMatchObject({ init: { status: 404 } });
    expect(await count("organisation")).toBe(4);
  });

  it("creates the organisation and its administrator, accepts, and links the company's contracts", async () => {
    const id = (await t.db.selectFrom("supplier_invitation").select("id").where("contract_id", "=", contracts["CON-1"]!).executeTakeFirstOrThrow()).id;
    const outcome = await joinAsNewSupplier(` ${codeOf(id).replace(/-/g, " ").toLowerCase()} `, { ...NEW_SUPPLIER, organisationName: "Acme Facilities Ltd" }, NOW);
    expect(outcome).toMatchObject({ ok: true, invitationId: id });
    if (!outcome.ok) return;
    const user = await t.db.selectFrom("user").selectAll().where("id", "=", outcome.userId).executeTakeFirstOrThrow();
    expect(user).toMatchObject({ email: "jo@sparkle.example", role: "admin", name: "Jo Contact" });
    const org = await t.db.selectFrom("organisation").selectAll().where("id", "=", user.organisation_id).executeTakeFirstOrThrow();
    expect(org).toMatchObject({ kind: "supplier", company_number: "01234567", country: "GB", slug: "acme-facilities-ltd-2" });
    expect(await invitation(id)).toMatchObject({ supplier_organisation_id: org.id, accepted_by: user.id, accepted_at: NOW.toISOString() });
    const linked = await t.db.selectFrom("contract").select(["reference", "supplier_organisation_id"]).where("supplier_organisation_id", "=", org.id).orderBy("reference").execute();
    expect(linked.map((c) => c.reference)).toEqual(["CON-1", "CON-2", "NHS-1"]);
    const audited = await t.db.selectFrom("audit_log").select(["entity", "action"]).where("user_id", "=", user.id).execute();
    expect(audited).toEqual(expect.arrayContaining([{ entity: "organisation", action: "created" }, { entity: "user", action: "created" }, { entity: "supplier_invitation", action: "accepted" }]));
    // the code is spent
    await expect(joinAsNewSupplier(codeOf(id), { ...NEW_SUPPLIER, email: "again@x.example", companyNumber: "NI000002" }, NOW)).rejects.toMatchObject({ init: { status: 404 } });
  });
});

describe("entering a code", () => {
  it("a wrong code is refused and throttled per user; the right one then still needs the wait", async () => {
    const id = await invite("CON-3", "acme.contact@acme.example");
    const address = "203.0.113.7";
    for (let i = 1; i <= 4; i++) expect(await enterCode(acmeAdmin, "ZZZZ-ZZZZ-ZZZ0", address, NOW)).toMatchObject({ ok: false, status: 400, message: expect.stringMatching(/^No invitation matches this code. Check it against the email/) });
    const locked = await enterCode(acmeAdmin, "ZZZZ-ZZZZ-ZZZ0", address, NOW);
    expect(locked).toMatchObject({ ok: false, status: 429 });
    expect(await enterCode(acmeAdmin, codeOf(id), address, NOW)).toMatchObject({ ok: false, status: 429 });
    expect((await invitation(id)).accepted_at).toBeNull();
    // after the wait, the right code works, typed loosely
    expect(await enterCode(acmeAdmin, codeOf(id).toLowerCase().replace(/-/g, " "), address, later(1))).toEqual({ ok: true, invitationId: id });
    expect(await invitation(id)).toMatchObject({ supplier_organisation_id: acmeAdmin.organisationId, accepted_by: acmeAdmin.id });
    expect((await t.db.selectFrom("contract").select("supplier_organisation_id").where("id", "=", contracts["CON-3"]!).executeTakeFirstOrThrow()).supplier_organisation_id).toBe(acmeAdmin.organisationId);
    // entering it again is harmless; another organisation is refused with a 409
    expect(await enterCode(acmeAdmin, codeOf(id), address, later(1))).toEqual({ ok: true, invitationId: id });
    expect(await enterCode(brightwearAdmin, codeOf(id), "198.51.100.1", later(1))).toMatchObject({ ok: false, status: 409, message: expect.stringMatching(/already been accepted by another organisation/) });
    expect((await invitation(id)).supplier_organisation_id).toBe(acmeAdmin.organisationId);
  });

  it("only a supplier administrator may accept", async () => {
    const id = (await t.db.selectFrom("supplier_invitation").select("id").where("contract_id", "=", contracts["CON-3"]!).executeTakeFirstOrThrow()).id;
    await expect(enterCode(acmeContributor, codeOf(id), "x", NOW)).rejects.toMatchObject({ init: { status: 403 } });
    await expect(enterCode(manager, codeOf(id), "x", NOW)).rejects.toMatchObject({ init: { status: 403 } });
    await expect(acceptByLink(acmeContributor, codeOf(id), NOW)).rejects.toMatchObject({ init: { status: 403 } });
  });

  it("lists the organisation's invitations waiting for an assessment", async () => {
    expect((await pendingInvitationsForSupplier(acmeAdmin)).map((p) => p.contractReference)).toEqual(["CON-3"]);
    expect(await pendingInvitationsForSupplier(brightwearAdmin)).toEqual([]);
  });
});

describe("choosing the assessment", () => {
  it("another organisation's invitation is a 404; a buyer's account a 403", async () => {
    const id = (await t.db.selectFrom("supplier_invitation").select("id").where("contract_id", "=", contracts["CON-3"]!).executeTakeFirstOrThrow()).id;
    await expect(invitationChoicePage(brightwearAdmin, id, NOW)).rejects.toMatchObject({ init: { status: 404 } });
    await expect(invitationChoicePage(brightwearAdmin, "nope", NOW)).rejects.toMatchObject({ init: { status: 404 } });
    await expect(invitationChoicePage(manager, id, NOW)).rejects.toMatchObject({ init: { status: 403 } });
    await expect(linkAssessment(brightwearAdmin, id, "new", NOW)).rejects.toMatchObject({ init: { status: 404 } });
  });

  it("refuses another organisation's assessment and an outdated submission, changing nothing", async () => {
    // Brightwear accepts an invitation; its only submission was made 330 days before the seed date
    const id = await invite("CON-4", "brightwear@brightwear.example");
    expect(await acceptByLink(brightwearAdmin, codeOf(id), NOW)).toEqual({ ok: true, invitationId: id });
    const page = await invitationChoicePage(brightwearAdmin, id, NOW);
    expect(page.current).toHaveLength(1);
    expect(page.draft).toBeNull();
    const submitted = page.current[0]!.id;
    const acmeDraft = await t.db.selectFrom("assessment").select("id").where("organisation_id", "=", acmeAdmin.organisationId).executeTakeFirst();
    const assessments = await count("assessment");
    const shares = await count("assessment_share");
    expect(await linkAssessment(brightwearAdmin, id, acmeDraft?.id ?? newId(), NOW)).toEqual({ ok: false, error: expect.stringMatching(/one of your organisation's assessments/) });
    expect(await linkAssessment(brightwearAdmin, id, "rubbish", NOW)).toMatchObject({ ok: false });
    const outdated = await linkAssessment(brightwearAdmin, id, submitted, later(60));
    expect(outdated).toEqual({ ok: false, error: expect.stringMatching(/more than 12 months ago/) });
    expect((await invitationChoicePage(brightwearAdmin, id, later(60))).current).toEqual([]);
    expect([await count("assessment"), await count("assessment_share")]).toEqual([assessments, shares]);
    expect((await invitation(id)).assessment_id).toBeNull();
  });

  it("a current submission is shared with the buyer, once", async () => {
    const id = (await t.db.selectFrom("supplier_invitation").select("id").where("contract_id", "=", contracts["CON-4"]!).executeTakeFirstOrThrow()).id;
    const submitted = (await invitationChoicePage(brightwearAdmin, id, NOW)).current[0]!.id;
    expect(await linkAssessment(brightwearAdmin, id, submitted, NOW)).toEqual({ ok: true, assessmentId: submitted, started: false, buyerName: "Department for Public Works" });
    expect(await invitation(id)).toMatchObject({ assessment_id: submitted, linked_at: NOW.toISOString() });
    const share = await t.db.selectFrom("assessment_share").selectAll().where("assessment_id", "=", submitted).executeTakeFirstOrThrow();
    expect(share).toMatchObject({ buyer_organisation_id: admin.organisationId, supplier_organisation_id: brightwearAdmin.organisationId, invitation_id: id, revoked_at: null });
    const page = await invitationChoicePage(brightwearAdmin, id, NOW);
    expect(page.linked?.id).toBe(submitted);
    expect(page.canChoose).toBe(false);
    await expect(linkAssessment(brightwearAdmin, id, "new", NOW)).rejects.toMatchObject({ init: { status: 409 } });
  });

  it("a new assessment is started (or the draft continued) and shared; contributors cannot choose", async () => {
    const id = (await t.db.selectFrom("supplier_invitation").select("id").where("contract_id", "=", contracts["CON-3"]!).executeTakeFirstOrThrow()).id;
    await expect(linkAssessment(acmeContributor, id, "new", NOW)).rejects.toMatchObject({ init: { status: 403 } });
    const outcome = await linkAssessment(acmeAdmin, id, "new", NOW);
    expect(outcome).toMatchObject({ ok: true, started: true });
    if (!outcome.ok) return;
    const assessment = await t.db.selectFrom("assessment").selectAll().where("id", "=", outcome.assessmentId).executeTakeFirstOrThrow();
    expect(assessment).toMatchObject({ organisation_id: acmeAdmin.organisationId, status: "draft" });
    expect(await t.db.selectFrom("assessment_share").select("invitation_id").where("assessment_id", "=", assessment.id).executeTakeFirstOrThrow()).toEqual({ invitation_id: id });
    expect(await pendingInvitationsForSupplier(acmeAdmin)).toEqual([]);
  });

  it("a draft that is not the organisation's current one is refused", async () => {
    const id = await invite("CON-2", "acme.again@acme.example");
    await acceptByLink(acmeAdmin, codeOf(id), NOW);
    const oldDraft = newId();
    await t.db
      .insertInto("assessment")
      .values({ id: oldDraft, organisation_id: acmeAdmin.organisationId, questionnaire_id: "msat", questionnaire_version: "1.0.0", status: "draft", previous_submission_id: null, created_by: acmeAdmin.id, created_at: "2020-01-01T00:00:00.000Z", updated_at: "2020-01-01T00:00:00.000Z" })
      .execute();
    expect(await linkAssessment(acmeAdmin, id, oldDraft, NOW)).toEqual({ ok: false, error: expect.stringMatching(/not the one your organisation is working on/) });
    expect((await invitation(id)).assessment_id).toBeNull();
    await t.db.deleteFrom("assessment").where("id", "=", oldDraft).execute();
  });
});

describe("the buyer's list, cancelling and reminding", () => {
  it("counts the funnel for the department and per contract manager", async () => {
    const list = await listSupplierInvitations(analyst, { page: 1 }, NOW);
    // CON-1 registered (Sparkle), CON-2 registered (Acme), CON-3 in progress (Acme), CON-4 completed (Brightwear), CON-5 cancelled
    expect(list.department).toEqual({ reached: { invited: 4, registered: 4, in_progress: 2, submitted: 1, completed: 1 }, expired: 0, cancelled: 1, total: 5 });
    expect(list.byManager.map((m) => [m.key, m.funnel.total])).toEqual([
      ["manager@dpw.example", 4],
      ["other.manager@dpw.example", 1],
    ]);
    expect(list.canManage).toBe(false);
    const filtered = await listSupplierInvitations(manager, { status: "registered", manager: "manager@dpw.example", page: 1 }, NOW);
    expect(filtered.invitations.map((i) => i.contractReference).sort()).toEqual(["CON-1", "CON-2"]);
    expect((await listSupplierInvitations(otherDepartment, { page: 1 }, NOW)).total).toBe(0);
    await expect(listSupplierInvitations(acmeAdmin, { page: 1 }, NOW)).rejects.toMatchObject({ init: { status: 403 } });
    const forContract = await invitationsForContract(manager, contracts["CON-5"]!, NOW);
    expect(forContract).toMatchObject({ canInvite: true, invitations: [{ status: "cancelled", cancelReason: "Sent to the wrong person" }] });
    expect((await invitationsForContract(manager, contracts["CON-1"]!, NOW)).canInvite).toBe(false);
    await expect(invitationsForContract(otherDepartment, contracts["CON-1"]!, NOW)).rejects.toMatchObject({ init: { status: 404 } });
  });

  it("reminds, but not twice within 7 days, nor about cancelled or completed invitations", async () => {
    const sparkle = (await t.db.selectFrom("supplier_invitation").select("id").where("contract_id", "=", contracts["CON-1"]!).executeTakeFirstOrThrow()).id;
    const before = await count("email_outbox");
    expect(await remindSupplier(manager, sparkle, ORIGIN, later(2))).toEqual({ ok: true, recipients: 1 });
    const mail = await t.db.selectFrom("email_outbox").selectAll().orderBy("created_at", "desc").executeTakeFirstOrThrow();
    expect(mail).toMatchObject({ recipient: "jo@sparkle.example", organisation_id: admin.organisationId });
    expect(mail.subject).toMatch(/finish your modern slavery assessment for Department for Public Works/);
    expect(await remindSupplier(admin, sparkle, ORIGIN, later(5))).toEqual({ ok: false, error: expect.stringMatching(/The next one can be sent from 11 June 2026/) });
    expect(await count("email_outbox")).toBe(before + 1);
    expect(await remindSupplier(admin, sparkle, ORIGIN, later(9))).toEqual({ ok: true, recipients: 1 });
    const cancelled = (await t.db.selectFrom("supplier_invitation").select("id").where("contract_id", "=", contracts["CON-5"]!).executeTakeFirstOrThrow()).id;
    expect(await remindSupplier(manager, cancelled, ORIGIN, NOW)).toEqual({ ok: false, error: expect.stringMatching(/cancelled/) });
    const completed = (await t.db.selectFrom("supplier_invitation").select("id").where("contract_id", "=", contracts["CON-4"]!).executeTakeFirstOrThrow()).id;
    expect(await remindSupplier(manager, completed, ORIGIN, NOW)).toEqual({ ok: false, error: expect.stringMatching(/completed/) });
    await expect(remindSupplier(otherDepartment, sparkle, ORIGIN, NOW)).rejects.toMatchObject({ init: { status: 404 } });
    await expect(remindSupplier(analyst, sparkle, ORIGIN, NOW)).rejects.toMatchObject({ init: { status: 403 } });
  });

  it("cancels with a reason, once, and only the department's own", async () => {
    const id = (await t.db.selectFrom("supplier_invitation").select("id").where("contract_id", "=", contracts["CON-2"]!).executeTakeFirstOrThrow()).id;
    await expect(cancelInvitation(otherDepartment, id, "no", NOW)).rejects.toMatchObject({ init: { status: 404 } });
    await expect(cancelInvitation(analyst, id, "no", NOW)).rejects.toMatchObject({ init: { status: 403 } });
    expect(await cancelInvitation(admin, id, "Contract ended early", NOW)).toMatchObject({ ok: true });
    expect(await invitation(id)).toMatchObject({ cancelled_by: admin.id, cancel_reason: "Contract ended early" });
    expect(await cancelInvitation(admin, id, "again", NOW)).toEqual({ ok: false, error: "This invitation has already been cancelled" });
    // the contract can be invited again
    await invite("CON-2", "new.contact@acme.example", admin);
  });
});

describe("the pages' loaders and actions", () => {
  const form = (path: string, cookie: string | undefined, fields: Array<[string, string]>) =>
    new Request(`http://localhost${path}`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", ...(cookie ? { Cookie: cookie } : {}) }, body: new URLSearchParams(fields) });
  const call = async (fn: unknown, request: Request, params: Record<string, string> = {}, context: Record<string, unknown> = {}) => {
    try {
      return await (fn as (args: unknown) => Promise<unknown>)({ request, params, context });
    } catch (thrown) {
      return thrown;
    }
  };
  const statusOf = (r: unknown) => (r instanceof Response ? r.status : (r as { init?: { status?: number } | null }).init?.status ?? 200);

  it("invite, join as a new organisation, choose a new assessment, then remind and cancel from the list", async () => {
    const { signedInCookie } = await import("../setup/requests");
    const invitePage = await import("../../app/routes/contract-invite");
    const joinRoute = await import("../../app/routes/join");
    const choose = await import("../../app/routes/supplier-invitation");
    const list = await import("../../app/routes/supplier-invitations");
    const managerCookie = await signedInCookie(t.db, "manager@dpw.example");
    const contractId = await addContract(admin.organisationId, "ROUTE-1", "OC300001");

    const invalid = await call(invitePage.action, form(`/contracts/${contractId}/invite`, managerCookie, [["contactName", "Ray"], ["email", "not an email"]]), { contractId });
    expect(statusOf(invalid)).toBe(400);
    const sent = (await call(invitePage.action, form(`/contracts/${contractId}/invite`, managerCookie, [["contactName", "Ray"], ["email", "ray@route.example"]]), { contractId })) as Response;
    expect(sent.status).toBe(302);
    expect(sent.headers.get("Location")).toBe(`/contracts/${contractId}?invited=ray%40route.example`);
    const again = await call(invitePage.action, form(`/contracts/${contractId}/invite`, managerCookie, [["email", "ray2@route.example"]]), { contractId });
    expect(statusOf(again)).toBe(409);
    const analystCookie = await signedInCookie(t.db, "analyst@dpw.example");
    expect(statusOf(await call(invitePage.loader, new Request(`http://localhost/contracts/${contractId}/invite`, { headers: { Cookie: analystCookie } }), { contractId }))).toBe(403);

    const id = (await t.db.selectFrom("supplier_invitation").select("id").where("contract_id", "=", contractId).executeTakeFirstOrThrow()).id;
    const code = codeOf(id);
    const shown = (await call(joinRoute.loader, new Request(`http://localhost/join/${code}`), { code })) as { invitation: { buyerName: string } };
    expect(shown.invitation.buyerName).toBe("Department for Public Works");
    const buyerView = await call(joinRoute.loader, new Request(`http://localhost/join/${code}`, { headers: { Cookie: managerCookie } }), { code });
    expect(statusOf(buyerView)).toBe(403);
    const missingNumber = await call(joinRoute.action, form(`/join/${code}`, undefined, [["intent", "create"], ["organisationName", "Route Ltd"], ["country", "GB"], ["companyNumber", ""], ["name", "Ray"], ["email", "ray@route.example"], ["password", "a-long-enough-password"]]), { code });
    expect(statusOf(missingNumber)).toBe(400);
    const joined = (await call(joinRoute.action, form(`/join/${code}`, undefined, [["intent", "create"], ["organisationName", "Route Ltd"], ["country", "GB"], ["companyNumber", "oc300001"], ["name", "Ray"], ["email", "ray@route.example"], ["password", "a-long-enough-password"]]), { code })) as Response;
    expect(joined.status).toBe(302);
    expect(joined.headers.get("Location")).toBe(`/supplier/invitations/${id}`);
    const supplierCookie = joined.headers.get("Set-Cookie")!.split(";")[0]!;
    // the link again, signed in: straight to the invitation
    const back = (await call(joinRoute.loader, new Request(`http://localhost/join/${code}`, { headers: { Cookie: supplierCookie } }), { code })) as Response;
    expect(back.headers.get("Location")).toBe(`/supplier/invitations/${id}`);

    const chosen = (await call(choose.action, form(`/supplier/invitations/${id}`, supplierCookie, [["assessment", "new"]]), { invitationId: id })) as Response;
    expect(chosen.status).toBe(302);
    expect(chosen.headers.get("Location")).toMatch(/^\/assessments\/[0-9a-f-]{36}$/);
    expect(statusOf(await call(choose.action, form(`/supplier/invitations/${id}`, supplierCookie, [["assessment", "new"]]), { invitationId: id }))).toBe(409);

    const reminded = (await call(list.action, form("/invitations", managerCookie, [["intent", "remind"], ["invitationId", id], ["status", "in_progress"]]))) as Response;
    expect(reminded.headers.get("Location")).toBe("/invitations?status=in_progress&reminded=ROUTE-1+%28ray%40route.example%29");
    const tooSoon = (await call(list.action, form("/invitations", managerCookie, [["intent", "remind"], ["invitationId", id]]))) as { data: { errors: Record<string, string> } };
    expect(statusOf(tooSoon)).toBe(400);
    expect(tooSoon.data.errors[`remind-${id}`]).toMatch(/The next one can be sent from/);
    expect(statusOf(await call(list.action, form("/invitations", managerCookie, [["intent", "cancel"], ["invitationId", id], ["reason", ""]])))).toBe(400);
    const nhsCookie = await signedInCookie(t.db, "manager@nhs.example");
    expect(statusOf(await call(list.action, form("/invitations", nhsCookie, [["intent", "cancel"], ["invitationId", id], ["reason", "mine now"]])))).toBe(404);
    expect(statusOf(await call(list.loader, new Request(`http://localhost/invitations?cancel=${id}`, { headers: { Cookie: nhsCookie } })))).toBe(404);
    const confirm = (await call(list.loader, new Request(`http://localhost/invitations?cancel=${id}`, { headers: { Cookie: managerCookie } }))) as { view: string };
    expect(confirm.view).toBe("cancel");
    const cancelled = (await call(list.action, form("/invitations", managerCookie, [["intent", "cancel"], ["invitationId", id], ["reason", "Contract re-let"]]))) as Response;
    expect(cancelled.headers.get("Location")).toMatch(/^\/invitations\?cancelled=/);
    expect((await invitation(id)).cancel_reason).toBe("Contract re-let");
  });

  it("a typed code: wrong ones answer 400, then 429 with Retry-After; contributors get a 403", async () => {
    const { signedInCookie } = await import("../setup/requests");
    const joinCode = await import("../../app/routes/supplier-join");
    const cookie = await signedInCookie(t.db, "admin@brightwear.example");
    const context = { clientAddress: "192.0.2.55" };
    const first = (await call(joinCode.action, form("/supplier/join", cookie, [["code", "0000-0000-0000"]]), {}, context)) as { data: { error: string } };
    expect(statusOf(first)).toBe(400);
    expect(first.data.error).toMatch(/^No invitation matches this code/);
    let last: unknown;
    for (let i = 0; i < 5; i++) last = await call(joinCode.action, form("/supplier/join", cookie, [["code", "0000-0000-0000"]]), {}, context);
    expect(statusOf(last)).toBe(429);
    expect(Number(new Headers((last as { init: ResponseInit }).init.headers).get("Retry-After"))).toBeGreaterThan(0);
    const contributor = await signedInCookie(t.db, "contributor@acme.example");
    const refused = (await call(joinCode.loader, new Request("http://localhost/supplier/join", { headers: { Cookie: contributor } }))) as { data: { message: string } };
    expect(statusOf(refused)).toBe(403);
    expect(refused.data.message).toMatch(/Ask one of your administrators/);
  });
});
