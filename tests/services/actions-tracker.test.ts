/**
 * The department's actions tracker: every action it agreed with suppliers still sharing with it,
 * filtered, sorted and paged in the database, downloaded as CSV and XLSX; nobody else sees them.
 */
import { parse } from "csv-parse/sync";
import { readSheet } from "read-excel-file/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../db/ids";
import type { CurrentUser } from "../../app/services/auth.server";
import { postActionUpdate } from "../../app/services/actions.server";
import { type TrackerQuery, readTrackerQuery } from "../../app/domain/action-tracker";
import { allTrackedActions, listTrackedActions } from "../../app/services/actions-tracker.server";
import { ACTION_EXPORT_COLUMNS, exportTrackedActions } from "../../app/services/actions-tracker-export.server";
import { saveConversation, startConversation } from "../../app/services/conversations.server";
import { shareAssessment, stopSharing } from "../../app/services/shares.server";
import type { ConversationInput } from "../../app/domain/conversations";
import { loader as trackerLoader } from "../../app/routes/actions";
import { loader as exportLoader } from "../../app/routes/actions-export";
import { createTestDb, type TestDb } from "../setup/db";
import { signedInCookie, userFor } from "../setup/requests";
import { submitPlausible } from "../setup/assessments";

const NOW = new Date("2026-06-01T09:00:00Z");
/** The day the tracker is read: 20 June 2026. */
const LATER = new Date("2026-06-20T09:00:00Z");
let t: TestDb;
let acme: CurrentUser;
let brightwear: CurrentUser;
let dpwManager: CurrentUser;
let dpwAnalyst: CurrentUser;
let nhsManager: CurrentUser;
let acmeAssessment: string;
let brightwearAssessment: string;
/** Action ids by name. */
const ids: Record<string, string> = {};

async function expectStatus(promise: Promise<unknown>, status: number) {
  await expect(promise).rejects.toMatchObject({ init: { status } });
}

const submitOne = (supplier: CurrentUser) => submitPlausible(t.db, supplier, 0.4, NOW);

const date = (iso: string) => {
  const [year, month, day] = iso.split("-");
  return { day: day!, month: month!, year: year! };
};

type Agreed = { name: string; ownerSide: "buyer" | "supplier"; dueOn: string };

/** A finished conversation about the assessment with these actions; returns the conversation id. */
async function converse(assessmentId: string, actions: Agreed[]): Promise<string> {
  const id = await startConversation(dpwManager, assessmentId, NOW);
  const input: ConversationInput = {
    heldOn: date("2026-06-01"),
    buyerAttendees: "Tom Rivers",
    supplierAttendees: "Sam Carter",
    notes: "",
    recommendationsDiscussed: [],
    verifications: {},
    actions: actions.map((a) => ({ description: `Action ${a.name}`, ownerSide: a.ownerSide, ownerName: a.ownerSide === "buyer" ? "Tom Rivers" : "Sam Carter", dueOn: date(a.dueOn), recommendationId: "" })),
    nextReviewOn: { day: "", month: "", year: "" },
  };
  expect(await saveConversation(dpwManager, id, input, true, NOW)).toEqual({ ok: true, finished: true });
  const rows = await t.db.selectFrom("conversation_action").select(["id", "description"]).where("conversation_id", "=", id).execute();
  for (const r of rows) ids[r.description.replace("Action ", "")] = r.id;
  return id;
}

function contract(reference: string, supplierOrganisationId: string | null, annualPence: number, manager: string | null, override: "gold" | null = null) {
  const at = NOW.toISOString();
  return {
    id: newId(), organisation_id: dpwManager.organisationId, reference, title: `Contract ${reference}`, supplier_name: "Someone Ltd", supplier_company_number: null, supplier_country: "GB",
    supplier_organisation_id: supplierOrganisationId, category: "Cleaning", annual_value_pence: annualPence, total_value_pence: annualPence, start_date: "2026-01-01", end_date: "2028-01-01",
    contract_manager_email: manager, tier_override: override, tier_override_reason: override ? "Critical to services" : null, risk_indicators: null, risk_count: null, risk_assessed_by: null,
    risk_assessed_at: null, created_at: at, updated_at: at,
  };
}

const query = (q: Partial<TrackerQuery> = {}): TrackerQuery => ({ sort: "due", direction: "asc", page: 1, ...q });
const names = (actions: Array<{ id: string }>) => actions.map((a) => Object.entries(ids).find(([, id]) => id === a.id)?.[0] ?? a.id);

beforeAll(async () => {
  t = await createTestDb(NOW);
  acme = await userFor(t.db, "admin@acme.example");
  brightwear = await userFor(t.db, "admin@brightwear.example");
  dpwManager = await userFor(t.db, "manager@dpw.example");
  dpwAnalyst = await userFor(t.db, "analyst@dpw.example");
  nhsManager = await userFor(t.db, "manager@nhs.example");
  acmeAssessment = await submitOne(acme);
  await shareAssessment(acme, acmeAssessment, dpwManager.organisationId, NOW);
  await shareAssessment(acme, acmeAssessment, nhsManager.organisationId, NOW);
  brightwearAssessment = (await t.db.selectFrom("assessment").select("id").where("organisation_id", "=", brightwear.organisationId).where("status", "!=", "draft").executeTakeFirstOrThrow()).id;
  await shareAssessment(brightwear, brightwearAssessment, dpwManager.organisationId, NOW);
  await converse(acmeAssessment, [
    { name: "A1", ownerSide: "supplier", dueOn: "2026-06-10" },
    { name: "A2", ownerSide: "buyer", dueOn: "2026-07-01" },
    { name: "A3", ownerSide: "supplier", dueOn: "2026-06-05" },
    { name: "A4", ownerSide: "supplier", dueOn: "2026-06-15" },
  ]);
  await converse(brightwearAssessment, [
    { name: "B1", ownerSide: "supplier", dueOn: "2026-06-12" },
    { name: "B2", ownerSide: "buyer", dueOn: "2026-08-01" },
  ]);
  // A3 marked done on time (4 June) and waiting; A4 marked done late (18 June) and waiting; B2 done.
  expect(await postActionUpdate(acme, ids.A3!, { status: "awaiting_confirmation", note: "Sent." }, new Date("2026-06-04T10:00:00Z"))).toEqual({ ok: true });
  expect(await postActionUpdate(acme, ids.A4!, { status: "awaiting_confirmation", note: "Sent, late." }, new Date("2026-06-18T10:00:00Z"))).toEqual({ ok: true });
  expect(await postActionUpdate(dpwManager, ids.B2!, { status: "done", note: "" }, new Date("2026-06-02T10:00:00Z"))).toEqual({ ok: true });
  expect(await postActionUpdate(acme, ids.A1!, { status: "in_progress", note: "" }, new Date("2026-06-02T10:00:00Z"))).toEqual({ ok: true });
  // Acme: a silver contract (manager x) and a bronze one (manager y); Brightwear: gold by hand (manager y); one unlinked.
  await t.db
    .insertInto("contract")
    .values([
      contract("T-1", acme.organisationId, 1_000_000_000, "x.manager@dpw.example"),
      contract("T-2", acme.organisationId, 100_000, "y.manager@dpw.example"),
      contract("T-3", brightwear.organisationId, 100_000, "y.manager@dpw.example", "gold"),
      contract("T-4", null, 9_000_000_000, "z.manager@dpw.example"),
    ])
    .execute();
});
afterAll(async () => t.close());

describe("the tracker", () => {
  it("lists every agreed action of the department, by due date, with supplier, tier and contract managers", async () => {
    const page = await listTrackedActions(dpwAnalyst, query(), LATER);
    expect(page.total).toBe(6);
    expect(names(page.actions)).toEqual(["A3", "A1", "B1", "A4", "A2", "B2"]);
    const a1 = page.actions.find((a) => a.id === ids.A1)!;
    expect(a1).toMatchObject({ supplierName: "Acme Facilities Ltd", tier: "silver", managers: ["x.manager@dpw.example", "y.manager@dpw.example"], status: "in_progress", overdue: true, agreedOn: "2026-06-01" });
    expect(page.actions.find((a) => a.id === ids.B1)).toMatchObject({ tier: "gold", managers: ["y.manager@dpw.example"] });
    expect(page.actions.find((a) => a.id === ids.A3)).toMatchObject({ status: "awaiting_confirmation", overdue: false, markedAt: "2026-06-04T10:00:00.000Z" });
    expect(page.actions.find((a) => a.id === ids.A4)).toMatchObject({ status: "awaiting_confirmation", overdue: true });
    expect(page.suppliers.map((s) => s.name)).toEqual(["Acme Facilities Ltd", "Brightwear Textiles Ltd"]);
    expect(page.managers).toEqual(["x.manager@dpw.example", "y.manager@dpw.example"]);
  });

  it("filters by owner side, status, supplier, contract manager, tier and overdue", async () => {
    const list = async (q: Partial<TrackerQuery>) => names((await listTrackedActions(dpwManager, query(q), LATER)).actions);
    expect(await list({ owner: "buyer" })).toEqual(["A2", "B2"]);
    expect(await list({ status: "awaiting_confirmation" })).toEqual(["A3", "A4"]);
    expect(await list({ status: "done" })).toEqual(["B2"]);
    expect(await list({ supplier: brightwear.organisationId })).toEqual(["B1", "B2"]);
    expect(await list({ manager: "x.manager@dpw.example" })).toEqual(["A3", "A1", "A4", "A2"]);
    expect(await list({ manager: "y.manager@dpw.example" })).toEqual(["A3", "A1", "B1", "A4", "A2", "B2"]);
    expect(await list({ manager: "z.manager@dpw.example" })).toEqual([]);
    expect(await list({ tier: "gold" })).toEqual(["B1", "B2"]);
    expect(await list({ tier: "silver" })).toEqual(["A3", "A1", "A4", "A2"]);
    expect(await list({ tier: "bronze" })).toEqual([]);
    expect(await list({ tier: "none" })).toEqual([]);
    // A1 in progress past due; B1 open past due; A4 marked done after its due date. A3 was marked on time.
    expect(await list({ overdue: true })).toEqual(["A1", "B1", "A4"]);
    expect(await list({ overdue: true, owner: "supplier", supplier: acme.organisationId })).toEqual(["A1", "A4"]);
  });

  it("sorts by due date, supplier, status and tier, either way", async () => {
    const list = async (sort: TrackerQuery["sort"], direction: "asc" | "desc") => names((await listTrackedActions(dpwManager, query({ sort, direction }), LATER)).actions);
    expect(await list("due", "desc")).toEqual(["B2", "A2", "A4", "B1", "A1", "A3"]);
    expect(await list("supplier", "asc")).toEqual(["A3", "A1", "A4", "A2", "B1", "B2"]);
    expect(await list("supplier", "desc")).toEqual(["B1", "B2", "A3", "A1", "A4", "A2"]);
    // open, in progress, awaiting confirmation, done, cancelled
    expect(await list("status", "asc")).toEqual(["B1", "A2", "A1", "A3", "A4", "B2"]);
    expect(await list("tier", "asc")).toEqual(["B1", "B2", "A3", "A1", "A4", "A2"]);
    expect(await list("tier", "desc")).toEqual(["A3", "A1", "A4", "A2", "B1", "B2"]);
  });

  it("pages by 50, and a page past the end shows the last", async () => {
    const conversationId = (await t.db.selectFrom("conversation_action").select("conversation_id").where("id", "=", ids.A1!).executeTakeFirstOrThrow()).conversation_id;
    const at = NOW.toISOString();
    await t.db
      .insertInto("conversation_action")
      .values(
        Array.from({ length: 60 }, (_, i) => ({
          id: newId(), conversation_id: conversationId, assessment_id: acmeAssessment, organisation_id: dpwManager.organisationId, description: `Bulk ${i}`, owner_side: "supplier" as const,
          owner_name: "Sam Carter", due_on: `2027-01-${String((i % 28) + 1).padStart(2, "0")}`, recommendation_id: null, status: "open" as const, cancel_reason: null, created_at: at, updated_at: at,
        })),
      )
      .execute();
    const first = await listTrackedActions(dpwManager, query(), LATER);
    expect([first.total, first.pages, first.page, first.actions.length]).toEqual([66, 2, 1, 50]);
    const second = await listTrackedActions(dpwManager, query({ page: 2 }), LATER);
    expect([second.page, second.actions.length]).toEqual([2, 16]);
    expect(new Set([...first.actions, ...second.actions].map((a) => a.id)).size).toBe(66);
    expect((await listTrackedActions(dpwManager, query({ page: 99 }), LATER)).page).toBe(2);
    await t.db.deleteFrom("conversation_action").where("description", "like", "Bulk %").execute();
  });
});

describe("who sees the tracker", () => {
  it("another department sees none of them; a supplier is refused", async () => {
    expect((await listTrackedActions(nhsManager, query(), LATER)).total).toBe(0);
    expect((await listTrackedActions(nhsManager, query(), LATER)).suppliers).toEqual([]);
    await expectStatus(listTrackedActions(acme, query(), LATER), 403);
    await expectStatus(allTrackedActions(acme, query(), LATER), 403);
    const cookie = await signedInCookie(t.db, "admin@acme.example");
    await expect(trackerLoader({ request: new Request("http://localhost/actions", { headers: { Cookie: cookie } }), params: {}, context: {} })).rejects.toMatchObject({ init: { status: 403 } });
    const refused = (await exportLoader({ request: new Request("http://localhost/actions/export?format=csv", { headers: { Cookie: cookie } }), params: {}, context: {} })) as Response;
    expect(refused.status).toBe(403);
  });

  it("drops a supplier's actions once it stops sharing, and shows them again when it shares again", async () => {
    await stopSharing(brightwear, brightwearAssessment, dpwManager.organisationId, true, NOW);
    expect(names((await listTrackedActions(dpwManager, query(), LATER)).actions)).toEqual(["A3", "A1", "A4", "A2"]);
    await shareAssessment(brightwear, brightwearAssessment, dpwManager.organisationId, NOW);
    expect((await listTrackedActions(dpwManager, query(), LATER)).total).toBe(6);
  });
});

describe("the query string", () => {
  it("keeps what it knows and leaves out anything else", () => {
    expect(readTrackerQuery(new URLSearchParams("owner=buyer&status=awaiting_confirmation&overdue=1&tier=none&sort=tier&direction=desc&page=3&manager=x%40dpw.example"))).toEqual({
      owner: "buyer", status: "awaiting_confirmation", overdue: true, tier: "none", sort: "tier", direction: "desc", page: 3, manager: "x@dpw.example", supplier: undefined,
    });
    expect(readTrackerQuery(new URLSearchParams("owner=x&status=finished&overdue=yes&tier=platinum&sort=hack&direction=up&page=-4&manager=%00a&supplier=1%20or%201%3D1"))).toEqual({
      owner: undefined, status: undefined, overdue: undefined, tier: undefined, sort: "due", direction: "asc", page: 1, manager: undefined, supplier: undefined,
    });
    expect(readTrackerQuery(new URLSearchParams("page=abc")).page).toBe(1);
  });

  it("answers a page of bad values with the whole list, never an error", async () => {
    const cookie = await signedInCookie(t.db, "manager@dpw.example");
    const page = await trackerLoader({ request: new Request("http://localhost/actions?status=nope&sort=%27;drop&page=9999999999&supplier=abc", { headers: { Cookie: cookie } }), params: {}, context: {} });
    expect(page.total).toBe(6);
    expect(page.query.page).toBe(1);
  });
});

describe("downloads", () => {
  it("CSV: the filtered actions in the tracker's order, parsing back", async () => {
    const file = await exportTrackedActions(dpwManager, { sort: "due", direction: "asc", owner: "supplier" }, "csv", LATER);
    expect(file.filename).toBe("agreed-actions-2026-06-20.csv");
    const rows = parse(file.body.toString("utf8").replace(/^\uFEFF/, ""), { columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(rows[0]!)).toEqual([...ACTION_EXPORT_COLUMNS]);
    expect(rows.map((r) => r.action)).toEqual(["Action A3", "Action A1", "Action B1", "Action A4"]);
    expect(rows[0]).toMatchObject({ supplier: "Acme Facilities Ltd", owner_side: "Supplier", due_on: "05/06/2026", status: "Awaiting confirmation", overdue: "no", marked_done_on: "04/06/2026", tier: "Silver", agreed_on: "01/06/2026" });
    expect(rows[2]).toMatchObject({ tier: "Gold", contract_managers: "y.manager@dpw.example", overdue: "yes" });
  });

  it("XLSX through the route, with the page's filters", async () => {
    const cookie = await signedInCookie(t.db, "analyst@dpw.example");
    const res = (await exportLoader({ request: new Request("http://localhost/actions/export?format=xlsx&status=done", { headers: { Cookie: cookie } }), params: {}, context: {} })) as Response;
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Disposition")).toMatch(/attachment; filename="agreed-actions-\d{4}-\d{2}-\d{2}\.xlsx"/);
    const sheet = await readSheet(Buffer.from(await res.arrayBuffer()));
    expect(sheet[0]).toEqual([...ACTION_EXPORT_COLUMNS]);
    expect(sheet.slice(1).map((r) => r[1])).toEqual(["Action B2"]);
    const csv = (await exportLoader({ request: new Request("http://localhost/actions/export?format=pdf", { headers: { Cookie: cookie } }), params: {}, context: {} })) as Response;
    expect(csv.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
  });

  it("neutralises a cell a spreadsheet would run", async () => {
    await t.db.updateTable("conversation_action").set({ description: '=HYPERLINK("http://x","y")' }).where("id", "=", ids.B2!).execute();
    const file = await exportTrackedActions(dpwManager, { sort: "due", direction: "asc", status: "done" }, "csv", LATER);
    expect(file.body.toString("utf8")).toContain(`"'=HYPERLINK(""http://x"",""y"")"`);
    await t.db.updateTable("conversation_action").set({ description: "Action B2" }).where("id", "=", ids.B2!).execute();
  });
});
