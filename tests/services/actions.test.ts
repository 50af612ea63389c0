/**
 * Following through on agreed actions: the buyer that agreed an action and the supplier whose
 * assessment it is both see it and post updates; nobody else does; cancelling needs a reason.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../db/ids";
import type { CurrentUser } from "../../app/services/auth.server";
import { actionHistory, getAction, listSupplierActions, postActionUpdate } from "../../app/services/actions.server";
import { programmeKpis } from "../../app/services/programme.server";
import { periodStarting } from "../../app/domain/periods";
import { saveConversation, startConversation } from "../../app/services/conversations.server";
import { shareAssessment, stopSharing } from "../../app/services/shares.server";
import type { ConversationInput } from "../../app/domain/conversations";
import { action as actionAction, loader as actionLoader } from "../../app/routes/action";
import { loader as supplierActionsLoader } from "../../app/routes/supplier-actions";
import { createTestDb, type TestDb } from "../setup/db";
import { formRequest, signedInCookie, userFor } from "../setup/requests";
import { submitPlausible } from "../setup/assessments";

const NOW = new Date("2026-06-01T09:00:00Z");
let t: TestDb;
let supplier: CurrentUser;
let contributor: CurrentUser;
let otherSupplier: CurrentUser;
let dpwManager: CurrentUser;
let dpwAnalyst: CurrentUser;
let nhsManager: CurrentUser;
let assessmentId: string;
let conversationId: string;
let actionIds: string[];

async function expectStatus(promise: Promise<unknown>, status: number) {
  await expect(promise).rejects.toMatchObject({ init: { status } });
}

/** A submitted assessment of the seeded supplier, as the supplier would make it. */
const submitOne = (t: TestDb, supplier: CurrentUser, strength: number, when: Date) => submitPlausible(t.db, supplier, strength, when);

const date = (iso: string) => {
  const [year, month, day] = iso.split("-");
  return { day: day!, month: month!, year: year! };
};

const conversation = (): ConversationInput => ({
  heldOn: date("2026-06-01"),
  buyerAttendees: "Tom Rivers",
  supplierAttendees: "Sam Carter",
  notes: "",
  recommendationsDiscussed: [],
  verifications: {},
  actions: [
    { description: "Send the audit plan", ownerSide: "supplier", ownerName: "Sam Carter", dueOn: date("2026-06-10"), recommendationId: "" },
    { description: "Share the department's guidance", ownerSide: "buyer", ownerName: "Tom Rivers", dueOn: date("2026-07-01"), recommendationId: "" },
  ],
  nextReviewOn: { day: "", month: "", year: "" },
});

beforeAll(async () => {
  t = await createTestDb(NOW);
  supplier = await userFor(t.db, "admin@acme.example");
  contributor = await userFor(t.db, "contributor@acme.example");
  otherSupplier = await userFor(t.db, "admin@brightwear.example");
  dpwManager = await userFor(t.db, "manager@dpw.example");
  dpwAnalyst = await userFor(t.db, "analyst@dpw.example");
  nhsManager = await userFor(t.db, "manager@nhs.example");
  assessmentId = await submitOne(t, supplier, 0.3, NOW);
  await shareAssessment(supplier, assessmentId, dpwManager.organisationId, NOW);
  await shareAssessment(supplier, assessmentId, nhsManager.organisationId, NOW);
  conversationId = await startConversation(dpwManager, assessmentId, NOW);
  expect(await saveConversation(dpwManager, conversationId, conversation(), false, NOW)).toEqual({ ok: true, finished: false });
  actionIds = (await t.db.selectFrom("conversation_action").select("id").where("conversation_id", "=", conversationId).orderBy("due_on").execute()).map((a) => a.id);
});
afterAll(async () => t.close());

describe("who sees an action", () => {
  it("nobody, while its conversation is a draft", async () => {
    await expectStatus(getAction(dpwManager, actionIds[0]!), 404);
    await expectStatus(getAction(supplier, actionIds[0]!), 404);
    expect((await listSupplierActions(supplier)).total).toBe(0);
  });

  it("the buyer that agreed it and the supplier, once the conversation is finished; nobody else", async () => {
    const input = conversation();
    input.actions = input.actions.map((a, i) => ({ ...a, id: actionIds[i]! }));
    expect(await saveConversation(dpwManager, conversationId, input, true, NOW)).toEqual({ ok: true, finished: true });
    for (const user of [dpwManager, dpwAnalyst, supplier, contributor]) expect((await getAction(user, actionIds[0]!)).action.description).toBe("Send the audit plan");
    await expectStatus(getAction(nhsManager, actionIds[0]!), 404);
    await expectStatus(getAction(otherSupplier, actionIds[0]!), 404);
    await expectStatus(getAction(dpwManager, newId()), 404);
    await expectStatus(getAction(dpwManager, "1 or 1=1"), 404);
    const view = await getAction(supplier, actionIds[0]!, new Date("2026-06-11T00:00:00Z"));
    expect(view).toMatchObject({ buyerName: "Department for Public Works", supplierName: "Acme Facilities Ltd", canUpdate: true, side: "supplier", action: { overdue: true, status: "open", ownerSide: "supplier" } });
    expect((await getAction(dpwAnalyst, actionIds[0]!)).canUpdate).toBe(false);
  });
});

describe("updates", () => {
  it("records an update from each side, with status change and audit", async () => {
    expect(await postActionUpdate(supplier, actionIds[0]!, { status: "in_progress", note: "Drafting it now." }, new Date("2026-06-02T10:00:00Z"))).toEqual({ ok: true });
    expect(await postActionUpdate(dpwManager, actionIds[0]!, { status: "in_progress", note: "Thanks, we will look." }, new Date("2026-06-03T10:00:00Z"))).toEqual({ ok: true });
    const view = await getAction(dpwManager, actionIds[0]!);
    expect(view.action.status).toBe("in_progress");
    expect(view.updates.map((u) => [u.organisationName, u.userName, u.status, u.note, u.side])).toEqual([
      ["Acme Facilities Ltd", supplier.name, "in_progress", "Drafting it now.", "supplier"],
      ["Department for Public Works", dpwManager.name, "in_progress", "Thanks, we will look.", "buyer"],
    ]);
    const audit = await t.db.selectFrom("audit_log").selectAll().where("entity", "=", "conversation_action").where("entity_id", "=", actionIds[0]!).where("action", "=", "status_changed").execute();
    expect(audit).toMatchObject([{ field: "status", old_value: "open", new_value: "in_progress", user_id: supplier.id, organisation_id: supplier.organisationId }]);
  });

  it("refuses analysts, a cancellation without a reason, and an update that says nothing", async () => {
    await expectStatus(postActionUpdate(dpwAnalyst, actionIds[0]!, { status: "done", note: "" }), 403);
    await expectStatus(postActionUpdate(nhsManager, actionIds[0]!, { status: "done", note: "" }), 404);
    const before = await t.db.selectFrom("action_update").selectAll().execute();
    expect(await postActionUpdate(dpwManager, actionIds[0]!, { status: "cancelled", note: " " })).toEqual({ ok: false, errors: { note: "Enter why the action is cancelled" } });
    expect(await postActionUpdate(supplier, actionIds[0]!, { status: "cancelled", note: "Not needed" })).toEqual({ ok: false, errors: { status: "Only the buyer can cancel an agreed action. Add a note to ask them" } });
    expect(await postActionUpdate(supplier, actionIds[0]!, { status: "in_progress", note: "" })).toEqual({ ok: false, errors: { note: "Enter a note, or select a change" } });
    expect(await postActionUpdate(supplier, actionIds[0]!, { status: "maybe", note: "" })).toEqual({ ok: false, errors: { status: "Select the action's status" } });
    expect(await t.db.selectFrom("action_update").selectAll().execute()).toEqual(before);
    expect((await getAction(supplier, actionIds[0]!)).action.status).toBe("in_progress");
  });

  it("cancels with a reason, through the page's form", async () => {
    const cookie = await signedInCookie(t.db, "manager@dpw.example");
    const path = `/actions/${actionIds[1]}`;
    const invalid = (await actionAction({ request: formRequest(path, cookie, [["intent", "update"], ["status", "cancelled"], ["note", ""]]), params: { actionId: actionIds[1]! }, context: {} })) as unknown as {
      init: { status: number };
      data: { errors: Record<string, string> };
    };
    expect(invalid.init.status).toBe(400);
    expect(invalid.data.errors).toEqual({ "note-cancelled": "Enter why the action is cancelled" });
    const done = (await actionAction({ request: formRequest(path, cookie, [["intent", "update"], ["status", "cancelled"], ["note-open", "Typed under another choice"], ["note-cancelled", "The guidance was withdrawn."]]), params: { actionId: actionIds[1]! }, context: {} })) as Response;
    expect(done.headers.get("Location")).toBe(`${path}?updated=1#updates`);
    const row = await t.db.selectFrom("conversation_action").selectAll().where("id", "=", actionIds[1]!).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "cancelled", cancel_reason: "The guidance was withdrawn." });
    const page = await actionLoader({ request: new Request(`http://localhost${path}?updated=1`, { headers: { Cookie: cookie } }), params: { actionId: actionIds[1]! }, context: {} });
    expect(page).toMatchObject({ updated: true, action: { status: "cancelled", cancelReason: "The guidance was withdrawn." } });
    // Reopening clears the reason.
    expect(await postActionUpdate(dpwManager, actionIds[1]!, { status: "open", note: "Reopened: new guidance is out." })).toEqual({ ok: true });
    expect((await t.db.selectFrom("conversation_action").select("cancel_reason").where("id", "=", actionIds[1]!).executeTakeFirstOrThrow()).cancel_reason).toBeNull();
  });
});

describe("an action's history", () => {
  it("shows its agreement and every update from both sides, to both organisations", async () => {
    const forSupplier = await actionHistory(supplier, actionIds[1]!);
    expect(await actionHistory(dpwManager, actionIds[1]!)).toEqual(forSupplier);
    expect(forSupplier.map((e) => [e.organisationName, e.action, e.field])).toEqual([
      ["Department for Public Works", "created", null],
      ["Department for Public Works", "status_changed", "status"],
      ["Department for Public Works", "status_changed", "cancel_reason"],
      ["Department for Public Works", "update_posted", expect.any(String)],
      ["Department for Public Works", "status_changed", "status"],
      ["Department for Public Works", "status_changed", "cancel_reason"],
      ["Department for Public Works", "update_posted", expect.any(String)],
    ]);
    await expectStatus(actionHistory(nhsManager, actionIds[1]!), 404);
  });
});

describe("the supplier's list", () => {
  it("lists the actions by buyer, marking overdue ones", async () => {
    const list = await listSupplierActions(contributor, new Date("2026-06-20T00:00:00Z"));
    expect(list.total).toBe(2);
    expect(list.overdue).toBe(1);
    expect(list.buyers).toMatchObject([
      {
        name: "Department for Public Works",
        actions: [
          { id: actionIds[0], status: "in_progress", dueOn: "2026-06-10", overdue: true },
          { id: actionIds[1], status: "open", dueOn: "2026-07-01", overdue: false },
        ],
      },
    ]);
    expect((await listSupplierActions(otherSupplier)).total).toBe(0);
    await expectStatus(listSupplierActions(dpwManager), 403);
    const cookie = await signedInCookie(t.db, "admin@acme.example");
    const page = await supplierActionsLoader({ request: new Request("http://localhost/supplier/actions", { headers: { Cookie: cookie } }), params: {}, context: {} });
    expect(page.total).toBe(2);
  });

  it("keeps showing the supplier its actions after it stops sharing; the buyer then sees nothing", async () => {
    await stopSharing(supplier, assessmentId, dpwManager.organisationId, true, NOW);
    await expectStatus(getAction(dpwManager, actionIds[0]!), 404);
    expect((await getAction(supplier, actionIds[0]!)).updates).toHaveLength(2);
    await shareAssessment(supplier, assessmentId, dpwManager.organisationId, NOW);
  });
});

describe("closing on both sides", () => {
  let id: string;
  const rows = async () => ({
    updates: await t.db.selectFrom("action_update").selectAll().where("action_id", "=", id).execute(),
    audit: await t.db.selectFrom("audit_log").selectAll().where("entity_id", "=", id).execute(),
    action: await t.db.selectFrom("conversation_action").selectAll().where("id", "=", id).executeTakeFirstOrThrow(),
  });
  const events = async () => (await t.db.selectFrom("notification").select(["event_key", "user_id"]).where("body", "like", `%/actions/${id}%`).execute()).map((n) => n.event_key.split(":")[2]);

  beforeAll(() => {
    id = actionIds[0]!;
  });

  it("the supplier marks it done with what was done; it may not close or cancel it itself", async () => {
    const before = await rows();
    expect(await postActionUpdate(supplier, id, { status: "awaiting_confirmation", note: "" })).toEqual({ ok: false, errors: { note: "Enter what was done" } });
    expect(await postActionUpdate(supplier, id, { status: "done", note: "Sent." })).toMatchObject({ ok: false, errors: { status: expect.stringMatching(/Mark as done/) } });
    expect(await rows()).toEqual(before);
    expect((await getAction(supplier, id)).moves).toEqual(["open", "awaiting_confirmation"]);
    expect(await postActionUpdate(contributor, id, { status: "awaiting_confirmation", note: "Sent the audit plan." }, new Date("2026-06-09T10:00:00Z"))).toEqual({ ok: true });
    const view = await getAction(dpwManager, id, new Date("2026-06-20T09:00:00Z"));
    expect(view.action).toMatchObject({ status: "awaiting_confirmation", markedAt: "2026-06-09T10:00:00.000Z", overdue: false });
    expect(view.moves).toEqual(["done", "open", "in_progress", "cancelled"]);
    expect((await getAction(supplier, id)).moves).toEqual([]);
    expect(await events()).toContain("awaiting_confirmation");
    const list = await listSupplierActions(supplier, new Date("2026-06-20T09:00:00Z"));
    expect(list.awaiting).toBe(1);
    expect(list.buyers[0]!.actions.find((a) => a.id === id)).toMatchObject({ status: "awaiting_confirmation", overdue: false });
  });

  it("while it waits, the supplier can only add a note", async () => {
    const before = await rows();
    for (const status of ["open", "in_progress", "done", "cancelled"]) {
      expect(await postActionUpdate(supplier, id, { status, note: "Changed my mind." })).toMatchObject({ ok: false, errors: { status: expect.stringMatching(/waiting for the buyer/) } });
    }
    expect(await rows()).toEqual(before);
    expect(await postActionUpdate(supplier, id, { status: "awaiting_confirmation", note: "The plan is attached to the email." }, new Date("2026-06-10T10:00:00Z"))).toEqual({ ok: true });
    expect((await rows()).action.status).toBe("awaiting_confirmation");
  });

  it("the buyer reopens it only with a reason, and may not mark it awaiting itself", async () => {
    const before = await rows();
    expect(await postActionUpdate(dpwManager, id, { status: "in_progress", note: " " })).toEqual({ ok: false, errors: { note: "Enter why the action is reopened" } });
    expect(await postActionUpdate(dpwManager, id, { status: "awaiting_confirmation", note: "We are reading it." }, new Date("2026-06-10T12:00:00Z"))).toEqual({ ok: true });
    // (a note alone while it waits is allowed to the buyer too)
    expect((await rows()).updates.length).toBe(before.updates.length + 1);
    expect(await postActionUpdate(dpwManager, id, { status: "in_progress", note: "The plan does not cover the second site." }, new Date("2026-06-11T10:00:00Z"))).toEqual({ ok: true });
    expect((await rows()).action.status).toBe("in_progress");
    expect(await events()).toContain("reopened");
    expect(await postActionUpdate(dpwManager, actionIds[0]!, { status: "awaiting_confirmation", note: "x" })).toMatchObject({ ok: false, errors: { status: expect.stringMatching(/Only the supplier marks/) } });
  });

  it("marked done again, late, then confirmed: done, counted from the supplier's day, history on both sides", async () => {
    expect(await postActionUpdate(supplier, id, { status: "awaiting_confirmation", note: "Second site added." }, new Date("2026-06-12T10:00:00Z"))).toEqual({ ok: true });
    // Due 10 June, handed in again on 12 June: overdue while it waits, however early the buyer looks.
    expect((await getAction(dpwManager, id, new Date("2026-06-12T11:00:00Z"))).action).toMatchObject({ overdue: true, markedAt: "2026-06-12T10:00:00.000Z" });
    expect(await postActionUpdate(dpwAnalyst, id, { status: "done", note: "" }).catch((e: { init: { status: number } }) => e.init.status)).toBe(403);
    expect(await postActionUpdate(dpwManager, id, { status: "done", note: "" }, new Date("2026-06-15T10:00:00Z"))).toEqual({ ok: true });
    const after = await rows();
    expect(after.action).toMatchObject({ status: "done", cancel_reason: null });
    expect(after.updates.map((u) => [u.status, u.organisation_id === supplier.organisationId ? "supplier" : "buyer"])).toEqual([
      ["in_progress", "supplier"],
      ["in_progress", "buyer"],
      ["awaiting_confirmation", "supplier"],
      ["awaiting_confirmation", "supplier"],
      ["awaiting_confirmation", "buyer"],
      ["in_progress", "buyer"],
      ["awaiting_confirmation", "supplier"],
      ["done", "buyer"],
    ]);
    expect(after.audit.filter((a) => a.field === "status").map((a) => [a.old_value, a.new_value])).toEqual([
      ["open", "in_progress"],
      ["in_progress", "awaiting_confirmation"],
      ["awaiting_confirmation", "in_progress"],
      ["in_progress", "awaiting_confirmation"],
      ["awaiting_confirmation", "done"],
    ]);
    expect(await events()).toContain("confirmed");
    const [forSupplier, forBuyer] = [await actionHistory(supplier, id), await actionHistory(dpwManager, id)];
    expect(forSupplier).toEqual(forBuyer);
    // Closed: the supplier can add a note, nothing else; the buyer can reopen it.
    expect((await getAction(supplier, id)).moves).toEqual([]);
    expect((await getAction(dpwManager, id)).moves).toEqual(["open", "in_progress"]);
    expect(await postActionUpdate(supplier, id, { status: "open", note: "x" })).toMatchObject({ ok: false, errors: { status: expect.stringMatching(/Only the buyer can reopen/) } });
    expect(await postActionUpdate(dpwManager, id, { status: "cancelled", note: "x" })).toMatchObject({ ok: false, errors: { status: expect.stringMatching(/Reopen it first/) } });
  });

  it("counts in the statistics only once confirmed, and on time by the day the supplier handed it in", async () => {
    const figures = async () => {
      const { current } = await programmeKpis(t.db, dpwManager.organisationId, { period: periodStarting(2026), filters: {}, smallNumbers: false });
      const of = (id: string) => current.kpis.find((k) => k.id === id)!;
      return { closed: [of("actions_closed").numerator, of("actions_closed").denominator], onTime: [of("actions_closed_on_time").numerator, of("actions_closed_on_time").denominator] };
    };
    // A third action agreed in the same conversation, due 1 July.
    const third = newId();
    const at = NOW.toISOString();
    await t.db
      .insertInto("conversation_action")
      .values({ id: third, conversation_id: conversationId, assessment_id: assessmentId, organisation_id: dpwManager.organisationId, description: "Train the site supervisors", owner_side: "supplier", owner_name: "Sam Carter", due_on: "2026-07-01", recommendation_id: null, status: "open", cancel_reason: null, created_at: at, updated_at: at })
      .execute();
    // The first action: handed in on 12 June (due 10 June), confirmed on 15 June: done, late.
    expect(await figures()).toEqual({ closed: [1, 3], onTime: [0, 1] });
    // The third: handed in on 30 June, confirmed on 5 July: on time, by the supplier's day; not closed until confirmed.
    expect(await postActionUpdate(supplier, third, { status: "awaiting_confirmation", note: "Supervisors trained." }, new Date("2026-06-30T10:00:00Z"))).toEqual({ ok: true });
    expect(await figures()).toEqual({ closed: [1, 3], onTime: [0, 1] });
    expect(await postActionUpdate(dpwManager, third, { status: "done", note: "" }, new Date("2026-07-05T10:00:00Z"))).toEqual({ ok: true });
    expect(await figures()).toEqual({ closed: [2, 3], onTime: [1, 2] });
  });

  it("answers a refused move through the page with 400 and the message, never a 500", async () => {
    const cookie = await signedInCookie(t.db, "admin@acme.example");
    const path = `/actions/${id}`;
    const refused = (await actionAction({ request: formRequest(path, cookie, [["intent", "update"], ["status", "open"], ["note-open", "Reopening it."]]), params: { actionId: id }, context: {} })) as unknown as {
      init: { status: number };
      data: { errors: Record<string, string> };
    };
    expect(refused.init.status).toBe(400);
    expect(refused.data.errors.status).toMatch(/Only the buyer can reopen/);
    const page = await actionLoader({ request: new Request(`http://localhost${path}`, { headers: { Cookie: cookie } }), params: { actionId: id }, context: {} });
    expect(page).toMatchObject({ side: "supplier", moves: [], action: { status: "done" } });
  });
});
