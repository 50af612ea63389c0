/**
 * The register knows what is live: each contract's status (its end date, or set by hand with a
 * reason), the status filter that defaults to live contracts, coverage of the live register only
 * (on the register and the buyer's overview), sorting by tier, risk, invitation and end date, the
 * "Result shared" invitation state, and the status in the export.
 */
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../db/ids";
import type { CurrentUser } from "../../app/services/auth.server";
import { buyerOverview } from "../../app/services/buyer-overview.server";
import { contractStatusForEditing, setContractStatus } from "../../app/services/contract-edit.server";
import { getContract } from "../../app/services/contract-view.server";
import { exportContracts } from "../../app/services/contracts-export.server";
import { type ContractQuery, listContracts, readContractQuery, registerSummary } from "../../app/services/contracts-register.server";
import { createTestDb, type TestDb } from "../setup/db";
import { userFor } from "../setup/requests";

// 23:30 on 31 May in UTC is already 1 June in the UK (BST): "today" is the UK's day.
const NOW = new Date("2026-05-31T23:30:00Z");
let t: TestDb;
let admin: CurrentUser;
let manager: CurrentUser;
let analyst: CurrentUser;
let nhs: CurrentUser;
let supplier: CurrentUser;
let shareSupplierId: string;
const ids = new Map<string, string>();

type Seed = { end: string; override?: ["live" | "ended", string]; annual?: number; risk?: number; tier?: "gold" | "silver" | "bronze"; supplierOrg?: string };

async function addContract(reference: string, c: Seed, organisationId = admin.organisationId) {
  const id = newId();
  ids.set(reference, id);
  await t.db
    .insertInto("contract")
    .values({
      id,
      organisation_id: organisationId,
      reference,
      title: `Contract ${reference}`,
      supplier_name: `Supplier of ${reference} Ltd`,
      supplier_company_number: null,
      supplier_country: "GB",
      supplier_organisation_id: c.supplierOrg ?? null,
      category: "Cleaning",
      annual_value_pence: (c.annual ?? 1_000) * 100,
      total_value_pence: (c.annual ?? 1_000) * 300,
      start_date: "2024-04-01",
      end_date: c.end,
      contract_manager_email: null,
      tier_override: c.tier ?? null,
      tier_override_reason: c.tier ? "Set for the test" : null,
      risk_indicators: c.risk === undefined ? null : "[]",
      risk_count: c.risk ?? null,
      risk_assessed_at: c.risk === undefined ? null : "2026-05-01T10:00:00.000Z",
      risk_assessed_by: c.risk === undefined ? null : admin.id,
      status_override: c.override?.[0] ?? null,
      status_override_reason: c.override?.[1] ?? null,
      created_at: NOW.toISOString(),
      updated_at: NOW.toISOString(),
    })
    .execute();
  return id;
}

async function supplierOrganisation(name: string) {
  const id = newId();
  await t.db.insertInto("organisation").values({ id, name, kind: "supplier", slug: `org-${id.slice(0, 8)}`, company_number: null, country: "GB", created_at: NOW.toISOString() }).execute();
  return id;
}

async function assessmentOf(organisationId: string, status: "draft" | "submitted" | "completed") {
  const id = newId();
  await t.db
    .insertInto("assessment")
    .values({ id, organisation_id: organisationId, questionnaire_id: "msat", questionnaire_version: "1.1.0", status, previous_submission_id: null, created_by: supplier.id, created_at: NOW.toISOString(), updated_at: NOW.toISOString() })
    .execute();
  return id;
}

async function share(assessmentId: string, supplierOrganisationId: string, buyerOrganisationId: string, revoked = false) {
  await t.db
    .insertInto("assessment_share")
    .values({ id: newId(), assessment_id: assessmentId, supplier_organisation_id: supplierOrganisationId, invitation_id: null, buyer_organisation_id: buyerOrganisationId, shared_by: supplier.id, shared_at: NOW.toISOString(), revoked_at: revoked ? NOW.toISOString() : null, revoked_by: revoked ? supplier.id : null })
    .execute();
}

async function invite(reference: string, v: { accepted?: boolean; cancelled?: boolean; expired?: boolean; assessment?: "draft" | "submitted" | "completed" }) {
  const assessmentId = v.assessment ? await assessmentOf(supplier.organisationId, v.assessment) : null;
  await t.db
    .insertInto("supplier_invitation")
    .values({
      id: newId(),
      organisation_id: admin.organisationId,
      contract_id: ids.get(reference)!,
      email: "supplier@example.com",
      contact_name: null,
      code_hash: newId(),
      invited_by: admin.id,
      created_at: "2026-05-01T10:00:00.000Z",
      expires_at: v.expired ? "2026-05-20T10:00:00.000Z" : "2026-07-01T10:00:00.000Z",
      supplier_organisation_id: v.accepted ? supplier.organisationId : null,
      accepted_by: null,
      accepted_at: v.accepted ? "2026-05-02T10:00:00.000Z" : null,
      assessment_id: assessmentId,
      linked_at: null,
      cancelled_at: v.cancelled ? "2026-05-03T10:00:00.000Z" : null,
      cancelled_by: null,
      cancel_reason: null,
    })
    .execute();
}

beforeAll(async () => {
  t = await createTestDb();
  admin = await userFor(t.db, "admin@dpw.example");
  manager = await userFor(t.db, "manager@dpw.example");
  analyst = await userFor(t.db, "analyst@dpw.example");
  nhs = await userFor(t.db, "manager@nhs.example");
  supplier = await userFor(t.db, "admin@acme.example");
  shareSupplierId = await supplierOrganisation("Sharing Supplier Ltd");
  const draftSupplier = await supplierOrganisation("Draft Only Ltd");
  const revokedSupplier = await supplierOrganisation("Stopped Sharing Ltd");
  const nhsOnlySupplier = await supplierOrganisation("Shares With Others Ltd");
  await share(await assessmentOf(shareSupplierId, "submitted"), shareSupplierId, admin.organisationId);
  await share(await assessmentOf(draftSupplier, "draft"), draftSupplier, admin.organisationId);
  await share(await assessmentOf(revokedSupplier, "completed"), revokedSupplier, admin.organisationId, true);
  await share(await assessmentOf(nhsOnlySupplier, "completed"), nhsOnlySupplier, nhs.organisationId);

  // ST-01..ST-05 live, ST-06..ST-08 ended (today is 2026-06-01 in the UK).
  await addContract("ST-01", { end: "2026-06-01", annual: 50_000_000, risk: 5 }); // ends today: still live
  await addContract("ST-02", { end: "2029-03-31", annual: 2_000_000, risk: 1, supplierOrg: shareSupplierId });
  await addContract("ST-03", { end: "2027-12-31", annual: 10_000_000, tier: "bronze", supplierOrg: draftSupplier });
  await addContract("ST-04", { end: "2025-03-31", annual: 300_000, override: ["live", "Extended while the variation is signed"], risk: 4, supplierOrg: revokedSupplier });
  await addContract("ST-05", { end: "2028-01-31", annual: 6_000_000, risk: 2, supplierOrg: nhsOnlySupplier });
  await addContract("ST-06", { end: "2026-05-31", annual: 70_000_000, risk: 6 }); // ended yesterday
  await addContract("ST-07", { end: "2029-03-31", annual: 800_000, override: ["ended", "Terminated early"], supplierOrg: shareSupplierId });
  await addContract("ST-08", { end: "2023-03-31", annual: 20_000_000 });
  // Another department's live contract.
  await addContract("NHS-01", { end: "2029-03-31", annual: 1_000_000 }, nhs.organisationId);
});
afterAll(async () => t?.close());

const page = (query: Partial<ContractQuery>, user = manager) => listContracts(user, { sort: "reference", direction: "asc", page: 1, ...query }, NOW);
const refs = async (query: Partial<ContractQuery>) => (await page(query)).contracts.map((c) => c.reference);

describe("the status filter", () => {
  it("defaults to live contracts: the end date today or later, or set live by hand", async () => {
    const query = readContractQuery(new URLSearchParams());
    expect(query.contractStatus).toBe("live");
    expect((await listContracts(manager, query, NOW)).contracts.map((c) => c.reference).sort()).toEqual(["ST-01", "ST-02", "ST-03", "ST-04", "ST-05"]);
    expect(await refs({ contractStatus: "live" })).toEqual(["ST-01", "ST-02", "ST-03", "ST-04", "ST-05"]);
  });

  it("shows ended contracts, or all, when asked; anything else in the query string reads as live", async () => {
    expect(await refs({ contractStatus: "ended" })).toEqual(["ST-06", "ST-07", "ST-08"]);
    expect(await refs({ contractStatus: "all" })).toEqual(["ST-01", "ST-02", "ST-03", "ST-04", "ST-05", "ST-06", "ST-07", "ST-08"]);
    expect(readContractQuery(new URLSearchParams("contract_status=ended")).contractStatus).toBe("ended");
    expect(readContractQuery(new URLSearchParams("contract_status=all")).contractStatus).toBe("all");
    expect(readContractQuery(new URLSearchParams("contract_status=constructor")).contractStatus).toBe("live");
    expect(readContractQuery(new URLSearchParams("contract_status=LIVE")).contractStatus).toBe("live");
  });

  it("shows each contract's status, saying when it was set by hand", async () => {
    const rows = (await page({ contractStatus: "all" })).contracts.map((c) => [c.reference, c.status, c.statusSetByHand]);
    expect(rows).toEqual([
      ["ST-01", "live", false],
      ["ST-02", "live", false],
      ["ST-03", "live", false],
      ["ST-04", "live", true],
      ["ST-05", "live", false],
      ["ST-06", "ended", false],
      ["ST-07", "ended", true],
      ["ST-08", "ended", false],
    ]);
  });

  it("combines with the other filters, and another department sees none of it", async () => {
    expect(await refs({ contractStatus: "ended", risk: "not_assessed" })).toEqual(["ST-07", "ST-08"]);
    expect(await refs({ contractStatus: "live", risk: "priority" })).toEqual(["ST-01", "ST-04"]);
    expect((await page({ contractStatus: "all" }, nhs)).contracts.map((c) => c.reference)).toEqual(["NHS-01"]);
  });
});

describe("coverage counts live contracts only", () => {
  it("on the register: risk-assessed by count and value, priority and over £1m of the live contracts, and how many ended", async () => {
    const summary = await registerSummary(manager, undefined, NOW);
    // Live: ST-01 (£50m, 5), ST-02 (£2m, 1), ST-03 (£10m, none), ST-04 (£300k, 4), ST-05 (£6m, 2).
    expect(summary.contracts).toEqual({ assessed: 4, total: 5, percent: 80 });
    expect(summary.value).toEqual({ assessedPence: 58_300_000_00, totalPence: 68_300_000_00, percent: 85 });
    expect(summary.priority).toBe(2);
    expect(summary.overThresholdNotAssessed).toBe(1);
    expect(summary.ended).toBe(3);
    // The page's summary is the same whatever it is filtered by.
    expect((await page({ contractStatus: "ended" })).summary).toEqual(summary);
  });

  it("on the buyer's overview", async () => {
    const overview = await buyerOverview(manager, NOW);
    expect(overview).toMatchObject({ contracts: 5, endedContracts: 3, riskAssessed: 4, riskAssessedPercent: 80, priority: 2 });
    expect(await buyerOverview(nhs, NOW)).toMatchObject({ contracts: 1, endedContracts: 0, riskAssessed: 0 });
  });
});

describe("sorting", () => {
  const sorted = async (sort: ContractQuery["sort"], direction: "asc" | "desc") => refs({ contractStatus: "all", sort, direction });

  it("by tier: Gold first (an override counts), each tier by value; the other way round too", async () => {
    // Gold over £40m: ST-06, ST-01; Silver £5m-£40m: ST-08, ST-05 (ST-03 is set to Bronze); Bronze: ST-03, ST-02, ST-07, ST-04.
    expect(await sorted("tier", "asc")).toEqual(["ST-06", "ST-01", "ST-08", "ST-05", "ST-03", "ST-02", "ST-07", "ST-04"]);
    expect(await sorted("tier", "desc")).toEqual(["ST-04", "ST-07", "ST-02", "ST-03", "ST-05", "ST-08", "ST-01", "ST-06"]);
  });

  it("by risk: the most indicators first, not yet assessed last whichever way", async () => {
    expect(await sorted("risk", "desc")).toEqual(["ST-06", "ST-01", "ST-04", "ST-05", "ST-02", "ST-08", "ST-03", "ST-07"]);
    expect(await sorted("risk", "asc")).toEqual(["ST-02", "ST-05", "ST-04", "ST-01", "ST-06", "ST-08", "ST-03", "ST-07"]);
  });

  it("by end date", async () => {
    expect(await sorted("end", "asc")).toEqual(["ST-08", "ST-04", "ST-06", "ST-01", "ST-03", "ST-05", "ST-02", "ST-07"]);
  });

  it("by invitation: not invited, result shared, then through the invitation's stages, expired and cancelled last", async () => {
    await invite("ST-01", { accepted: true, assessment: "completed" });
    await invite("ST-03", {});
    await invite("ST-05", { cancelled: true });
    await invite("ST-06", { accepted: true, assessment: "draft" });
    await invite("ST-08", { expired: true });
    // ST-04: no invitation and its supplier stopped sharing; ST-02 and ST-07: result shared.
    expect(await sorted("invitation", "asc")).toEqual(["ST-04", "ST-02", "ST-07", "ST-03", "ST-06", "ST-01", "ST-08", "ST-05"]);
    expect(await sorted("invitation", "desc")).toEqual(["ST-05", "ST-08", "ST-01", "ST-06", "ST-03", "ST-02", "ST-07", "ST-04"]);
  });

  it("the first click on a heading sorts the way that matters: value and risk high first, the rest ascending", () => {
    expect(readContractQuery(new URLSearchParams("sort=risk"))).toMatchObject({ sort: "risk", direction: "desc" });
    expect(readContractQuery(new URLSearchParams("sort=tier"))).toMatchObject({ sort: "tier", direction: "asc" });
    expect(readContractQuery(new URLSearchParams("sort=invitation&direction=desc"))).toMatchObject({ sort: "invitation", direction: "desc" });
    expect(readContractQuery(new URLSearchParams())).toMatchObject({ sort: "value", direction: "desc" });
  });
});

describe("Result shared", () => {
  it("a contract with no invitation whose supplier shares a submitted assessment with the department reads 'Result shared'", async () => {
    const rows = new Map((await page({ contractStatus: "all" })).contracts.map((c) => [c.reference, c.invitationStatus]));
    expect(rows.get("ST-02")).toBe("result_shared");
    expect(rows.get("ST-07")).toBe("result_shared");
    // An invitation wins over a shared result.
    expect(rows.get("ST-01")).toBe("completed");
    // Only a draft shared, a share stopped, a share with another department, or no supplier organisation: not invited.
    expect(rows.get("ST-04")).toBeNull();
    expect(rows.get("ST-08")).toBe("expired");
  });

  it("filters by it, and 'Not invited' leaves those contracts out", async () => {
    expect(await refs({ contractStatus: "all", status: "result_shared" })).toEqual(["ST-02", "ST-07"]);
    expect(await refs({ contractStatus: "all", status: "not_invited" })).toEqual(["ST-04"]);
    expect(await refs({ contractStatus: "live", status: "result_shared" })).toEqual(["ST-02"]);
  });
});

describe("setting the status by hand", () => {
  it("is for an administrator or a contract manager of the department: an analyst is refused, another department gets a 404", async () => {
    await expect(setContractStatus(analyst, ids.get("ST-03")!, "ended", "Terminated", NOW)).rejects.toMatchObject({ init: { status: 403 } });
    await expect(contractStatusForEditing(analyst, ids.get("ST-03")!, NOW)).rejects.toMatchObject({ init: { status: 403 } });
    await expect(setContractStatus(nhs, ids.get("ST-03")!, "ended", "Terminated", NOW)).rejects.toMatchObject({ init: { status: 404 } });
    await expect(setContractStatus(supplier, ids.get("ST-03")!, "ended", "Terminated", NOW)).rejects.toMatchObject({ init: { status: 403 } });
    await expect(setContractStatus(manager, "not-an-id", "ended", "Terminated", NOW)).rejects.toMatchObject({ init: { status: 404 } });
  });

  it("refuses a status by hand without a reason, an unknown choice and a reason a spreadsheet would run, changing nothing", async () => {
    const id = ids.get("ST-03")!;
    const before = await t.db.selectFrom("contract").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(await setContractStatus(manager, id, "ended", "   ", NOW)).toEqual({ ok: false, errors: { reason: expect.stringContaining("Enter why the contract is ended") } });
    expect(await setContractStatus(manager, id, "paused", "Because", NOW)).toEqual({ ok: false, errors: { status: expect.stringContaining("Select") } });
    expect(await setContractStatus(manager, id, "", "", NOW)).toMatchObject({ ok: false, errors: { status: expect.any(String) } });
    expect(await setContractStatus(manager, id, "live", "=HYPERLINK(\"x\")", NOW)).toMatchObject({ ok: false, errors: { reason: expect.stringContaining("formula") } });
    expect(await setContractStatus(manager, id, "live", "x".repeat(1001), NOW)).toMatchObject({ ok: false, errors: { reason: expect.stringContaining("1,000 characters or fewer") } });
    expect(await t.db.selectFrom("contract").selectAll().where("id", "=", id).executeTakeFirstOrThrow()).toEqual(before);
  });

  it("sets it with a reason, audited; following the end date again clears both, audited; the same again changes nothing", async () => {
    const id = ids.get("ST-03")!;
    expect(await contractStatusForEditing(manager, id, NOW)).toMatchObject({ status: "live", byDate: "live", choice: "follow", reason: "" });
    expect(await setContractStatus(manager, id, "ended", "  Terminated early on 30 April 2026 ", NOW)).toEqual({ ok: true, changed: 2 });
    expect(await contractStatusForEditing(manager, id, NOW)).toMatchObject({ status: "ended", byDate: "live", choice: "ended", reason: "Terminated early on 30 April 2026" });
    expect(await getContract(manager, id, NOW)).toMatchObject({ status: "ended", statusByDate: "live", statusOverrideReason: "Terminated early on 30 April 2026" });
    expect(await refs({ contractStatus: "ended" })).toContain("ST-03");
    expect(await setContractStatus(manager, id, "ended", "Terminated early on 30 April 2026", NOW)).toEqual({ ok: true, changed: 0 });
    // The reason typed with "follow" is not kept.
    expect(await setContractStatus(admin, id, "follow", "ignored", NOW)).toEqual({ ok: true, changed: 2 });
    expect(await getContract(manager, id, NOW)).toMatchObject({ status: "live", statusOverrideReason: null });
    const log = await t.db.selectFrom("audit_log").select(["user_id", "field", "old_value", "new_value"]).where("entity_id", "=", id).orderBy("id").execute();
    expect(log).toEqual([
      { user_id: manager.id, field: "status_override", old_value: null, new_value: "ended" },
      { user_id: manager.id, field: "status_override_reason", old_value: null, new_value: "Terminated early on 30 April 2026" },
      { user_id: admin.id, field: "status_override", old_value: "ended", new_value: null },
      { user_id: admin.id, field: "status_override_reason", old_value: "Terminated early on 30 April 2026", new_value: null },
    ]);
  });
});

describe("the export", () => {
  it("has a status column, live or ended on the day, and keeps the status filter", async () => {
    const rows = (body: Buffer) => parse(body.toString("utf8"), { bom: true }) as string[][];
    const [header, ...all] = rows((await exportContracts(admin, { contractStatus: "all" }, "csv", NOW)).body as Buffer);
    const status = header!.indexOf("status");
    expect(status).toBe(header!.indexOf("tier") + 1);
    expect(Object.fromEntries(all.map((r) => [r[0], r[status]]))).toEqual({
      "ST-01": "live",
      "ST-02": "live",
      "ST-03": "live",
      "ST-04": "live",
      "ST-05": "live",
      "ST-06": "ended",
      "ST-07": "ended",
      "ST-08": "ended",
    });
    const [, ...ended] = rows((await exportContracts(admin, readContractQuery(new URLSearchParams("contract_status=ended")), "csv", NOW)).body as Buffer);
    expect(ended.map((r) => r[0])).toEqual(["ST-06", "ST-07", "ST-08"]);
  });
});
