/**
 * Recording a follow-up conversation about a shared assessment: only the buying organisation that
 * holds it sees it, only its administrators and contract managers write it, invalid input changes
 * nothing, every change is audited, and a finished conversation is read-only and clears follow-ups.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../db/ids";
import { snapshotQuestionnaire } from "../../db/submissions";
import type { CurrentUser } from "../../app/services/auth.server";
import { conversationHistory, followUpCleared, getConversation, listConversations, startConversation } from "../../app/services/conversations.server";
import { currentQuestionnaire } from "../../app/services/questionnaires.server";
import { shareAssessment, stopSharing } from "../../app/services/shares.server";
import { addMonths, isHighestRiskBand } from "../../app/domain/conversations";
import { allQuestions } from "../../app/domain/questions";
import type { AssessmentResult } from "../../app/domain/scoring";
import { action as newAction, loader as newLoader } from "../../app/routes/conversation-new";
import { action as conversationAction, loader as conversationLoader } from "../../app/routes/conversation";
import { describeEntry } from "../../app/ui/history";
import { createTestDb, type TestDb } from "../setup/db";
import { formRequest, signedInCookie, userFor } from "../setup/requests";
import { submitPlausible } from "../setup/assessments";

const NOW = new Date("2026-06-01T09:00:00Z");
let t: TestDb;
let supplier: CurrentUser;
let dpwManager: CurrentUser;
let dpwAdmin: CurrentUser;
let dpwAnalyst: CurrentUser;
let nhsManager: CurrentUser;
let assessmentId: string;
let result: AssessmentResult;
let answered: string[];
let hidden: string;
let managerCookie: string;
let conversationId: string;

async function expectStatus(promise: Promise<unknown>, status: number) {
  await expect(promise).rejects.toMatchObject({ init: { status } });
}

/** A submitted assessment of the seeded supplier, as the supplier would make it. */
const submitOne = (t: TestDb, supplier: CurrentUser, strength: number, when: Date) => submitPlausible(t.db, supplier, strength, when);

const path = () => `/conversations/${conversationId}`;
type Invalid = { init: { status: number }; data: { errors: Record<string, string> } };

async function post(fields: Array<[string, string]>, cookie = managerCookie) {
  return conversationAction({ request: formRequest(path(), cookie, fields), params: { conversationId }, context: {} });
}

const complete = (): Array<[string, string]> => [
  ["heldOn-day", "10"],
  ["heldOn-month", "6"],
  ["heldOn-year", "2026"],
  ["buyerAttendees", "Tom Rivers, contract manager"],
  ["supplierAttendees", "Sam Carter, director"],
  ["notes", "Went through the red flags."],
  ...(result.recommendations[0] ? ([["recommendationsDiscussed", result.recommendations[0].id]] as Array<[string, string]>) : []),
  [`verification-${answered[0]}`, "evidence_seen"],
  [`verification-${answered[1]}`, "self_declared"],
  ["action-0-description", "Publish the audit plan"],
  ["action-0-ownerSide", "supplier"],
  ["action-0-ownerName", "Sam Carter"],
  ["action-0-dueOn-day", "1"],
  ["action-0-dueOn-month", "7"],
  ["action-0-dueOn-year", "2026"],
  ["action-0-recommendationId", ""],
  ["nextReviewOn-day", ""],
  ["nextReviewOn-month", ""],
  ["nextReviewOn-year", ""],
];

const newPath = () => `/results/${assessmentId}/conversations/new`;

async function postNew(fields: Array<[string, string]>, cookie = managerCookie) {
  return newAction({ request: formRequest(newPath(), cookie, fields), params: { assessmentId }, context: {} });
}

/** Every conversation, action, verification and audit entry: what a refused or invalid new form must not change. */
async function snapshot0() {
  return {
    conversations: await t.db.selectFrom("conversation").selectAll().orderBy("id").execute(),
    actions: (await t.db.selectFrom("conversation_action").select("id").execute()).length,
    verifications: (await t.db.selectFrom("answer_verification").select("question_id").execute()).length,
    audit: (await t.db.selectFrom("audit_log").select("id").execute()).length,
  };
}

async function snapshot() {
  return {
    conversation: await t.db.selectFrom("conversation").selectAll().where("id", "=", conversationId).executeTakeFirstOrThrow(),
    actions: await t.db.selectFrom("conversation_action").selectAll().where("conversation_id", "=", conversationId).execute(),
    verifications: await t.db.selectFrom("answer_verification").selectAll().where("conversation_id", "=", conversationId).execute(),
    audit: (await t.db.selectFrom("audit_log").select("id").execute()).length,
  };
}

beforeAll(async () => {
  t = await createTestDb(NOW);
  supplier = await userFor(t.db, "admin@acme.example");
  dpwManager = await userFor(t.db, "manager@dpw.example");
  dpwAdmin = await userFor(t.db, "admin@dpw.example");
  dpwAnalyst = await userFor(t.db, "analyst@dpw.example");
  nhsManager = await userFor(t.db, "manager@nhs.example");
  managerCookie = await signedInCookie(t.db, "manager@dpw.example");
  assessmentId = await submitOne(t, supplier, 0.2, NOW);
  const submission = await t.db.selectFrom("submission").selectAll().where("assessment_id", "=", assessmentId).executeTakeFirstOrThrow();
  result = JSON.parse(submission.result);
  const answers = JSON.parse(submission.answers) as Record<string, unknown>;
  answered = Object.keys(answers);
  hidden = allQuestions(await snapshotQuestionnaire(t.db, submission.questionnaire)).map((q) => q.id).find((id) => !(id in answers))!;
});
afterAll(async () => t.close());

describe("starting a conversation", () => {
  it("is refused before the supplier shares, to analysts and to suppliers", async () => {
    await expectStatus(startConversation(dpwManager, assessmentId, NOW), 404);
    await shareAssessment(supplier, assessmentId, dpwManager.organisationId, NOW);
    await expectStatus(startConversation(dpwAnalyst, assessmentId, NOW), 403);
    await expectStatus(startConversation(supplier, assessmentId, NOW), 403);
    await expectStatus(startConversation(nhsManager, assessmentId, NOW), 404);
    await expectStatus(startConversation(dpwManager, "not-an-id", NOW), 404);
  });

  it("opens an empty form that creates nothing until it is saved", async () => {
    const before = await snapshot0();
    // The result page's old button posts no form: it is sent to the form, and nothing is created.
    const plain = (await postNew([])) as Response;
    expect(plain.status).toBe(302);
    expect(plain.headers.get("Location")).toBe(newPath());
    const page = await newLoader({ request: new Request(`http://localhost${newPath()}`, { headers: { Cookie: managerCookie } }), params: { assessmentId }, context: {} });
    expect(page).toMatchObject({ draftId: null, assessmentId, supplierName: "Acme Facilities Ltd" });
    expect(page.questions).toHaveLength(answered.length);
    expect(page.recommendations.map((r) => r.id)).toEqual(result.recommendations.map((r) => r.id));
    expect(page.redFlags.map((f) => f.questionIds)).toEqual(result.redFlags.map((f) => f.triggeredBy.map((t) => t.questionId)));
    expect(await snapshot0()).toEqual(before);
  });

  it("refuses the new form to analysts, to suppliers and to another organisation", async () => {
    const get = (email: string) => signedInCookie(t.db, email).then((cookie) => newLoader({ request: new Request(`http://localhost${newPath()}`, { headers: { Cookie: cookie } }), params: { assessmentId }, context: {} }));
    await expect(get("analyst@dpw.example")).rejects.toMatchObject({ init: { status: 403 } });
    await expect(get("admin@acme.example")).rejects.toMatchObject({ init: { status: 403 } });
    await expectStatus(get("manager@nhs.example"), 404);
    const before = await snapshot0();
    await expectStatus(postNew([["notes", "x"], ["intent", "save"]], await signedInCookie(t.db, "manager@nhs.example")), 404);
    await expect(postNew([["notes", "x"], ["intent", "save"]], await signedInCookie(t.db, "analyst@dpw.example"))).rejects.toMatchObject({ init: { status: 403 } });
    expect(await snapshot0()).toEqual(before);
  });

  it("keeps what was typed and creates nothing when the new form is invalid", async () => {
    const before = await snapshot0();
    const fields = complete().filter(([k]) => !k.startsWith("heldOn"));
    const invalid = (await postNew([...fields, ["intent", "finish"]])) as unknown as Invalid & { data: { values: { notes: string; verifications: Record<string, string> } } };
    expect(invalid.init.status).toBe(400);
    expect(invalid.data.errors).toEqual({ heldOn: "Enter the date the conversation was held" });
    expect(invalid.data.values.notes).toBe("Went through the red flags.");
    expect(invalid.data.values.verifications[answered[0]!]).toBe("evidence_seen");
    // A row claiming to edit a stored action cannot, on a conversation that does not exist yet.
    const forged = (await postNew([["action-0-id", newId()], ["action-0-description", "x"], ["intent", "save"]])) as unknown as Invalid;
    expect(Object.keys(forged.data.errors)).toEqual(["action-0-description"]);
    await expectStatus(postNew([["intent", "delete"]]), 400);
    expect(await snapshot0()).toEqual(before);
  });

  it("creates the draft when the new form is saved; one draft per buyer and assessment", async () => {
    const response = (await postNew([["notes", "Call booked for Thursday."], ["intent", "save"]])) as Response;
    expect(response.status).toBe(302);
    const location = response.headers.get("Location")!;
    expect(location).toMatch(/^\/conversations\/[0-9a-f-]{36}\?saved=draft$/);
    conversationId = location.split("?")[0]!.split("/").pop()!;
    expect(await startConversation(dpwAdmin, assessmentId, NOW)).toBe(conversationId);
    const row = await t.db.selectFrom("conversation").selectAll().where("id", "=", conversationId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ assessment_id: assessmentId, organisation_id: dpwManager.organisationId, status: "draft", created_by: dpwManager.id, held_on: null, notes: "Call booked for Thursday." });
    const history = await conversationHistory(dpwManager, conversationId);
    expect(history.map((e) => [e.action, e.field])).toEqual([["created", null], ["updated", "notes"]]);
    // The draft is carried on: the new form sends the buyer to it, and a second new one is not created.
    await expect(newLoader({ request: new Request(`http://localhost${newPath()}`, { headers: { Cookie: managerCookie } }), params: { assessmentId }, context: {} })).rejects.toSatisfy(
      (r: Response) => r.status === 302 && r.headers.get("Location") === `/conversations/${conversationId}`,
    );
    expect(((await postNew([])) as Response).headers.get("Location")).toBe(`/conversations/${conversationId}`);
    const before = await snapshot0();
    const again = (await postNew([["notes", "Typed in another tab"], ["intent", "save"]])) as unknown as Invalid & { data: { draftId: string; values: { notes: string } } };
    expect(again.init.status).toBe(409);
    expect(again.data).toMatchObject({ draftId: conversationId, values: { notes: "Typed in another tab" } });
    expect(Object.keys(again.data.errors)).toEqual(["existingDraft"]);
    expect(await snapshot0()).toEqual(before);
    expect((await listConversations(dpwAnalyst, assessmentId)).map((c) => c.id)).toEqual([conversationId]);
  });

  it("shows the conversation to its organisation only; analysts read it", async () => {
    await expectStatus(getConversation(nhsManager, conversationId), 404);
    await expectStatus(getConversation(dpwManager, newId()), 404);
    await expectStatus(getConversation(dpwManager, "../x"), 404);
    await expectStatus(getConversation(supplier, conversationId), 403);
    expect((await getConversation(dpwAnalyst, conversationId)).canEdit).toBe(false);
    const page = await conversationLoader({ request: new Request(`http://localhost${path()}`, { headers: { Cookie: managerCookie } }), params: { conversationId }, context: {} });
    expect(page).toMatchObject({ canEdit: true, status: "draft", supplierName: "Acme Facilities Ltd" });
    expect(page.questions.map((q) => q.id)).toEqual(answered.filter((id) => page.questions.some((q) => q.id === id)));
    expect(page.questions).toHaveLength(answered.length);
    expect(page.recommendations.map((r) => r.id)).toEqual(result.recommendations.map((r) => r.id));
    const analystCookie = await signedInCookie(t.db, "analyst@dpw.example");
    await expectStatus(post(complete(), analystCookie), 403);
  });
});

describe("saving a conversation", () => {
  it("refuses a due date before the conversation, an action without an owner and a verification of an unanswered question, changing nothing", async () => {
    const before = await snapshot();
    const fields = complete().map(([k, v]): [string, string] => (k === "action-0-dueOn-month" ? [k, "5"] : k === "action-0-ownerName" ? [k, ""] : [k, v]));
    fields.push([`verification-${hidden}`, "verified"]);
    const invalid = (await post([...fields, ["intent", "save"]])) as unknown as Invalid;
    expect(invalid.init.status).toBe(400);
    expect(invalid.data.errors).toEqual({
      "action-0-dueOn": "Due date must be on or after the date the conversation was held",
      "action-0-ownerName": "Enter the name of the person who owns this action",
      [`verification-${hidden}`]: "This question was not answered in the submitted assessment, so its answer cannot be verified",
    });
    expect(await snapshot()).toEqual(before);
  });

  it("refuses to finish without a date or attendees, changing nothing", async () => {
    const before = await snapshot();
    const fields = complete().filter(([k]) => !k.startsWith("heldOn") && k !== "supplierAttendees");
    const invalid = (await post([...fields, ["intent", "finish"]])) as unknown as Invalid;
    expect(invalid.data.errors).toEqual({ heldOn: "Enter the date the conversation was held", supplierAttendees: "Enter who attended from the supplier" });
    expect(await snapshot()).toEqual(before);
    // The same without a date (and without the action) is a valid draft.
    const saved = (await post([...fields.filter(([k]) => !k.startsWith("action-")), ["intent", "save"]])) as Response;
    expect(saved.headers.get("Location")).toBe(`${path()}?saved=draft`);
    expect((await snapshot()).conversation).toMatchObject({ status: "draft", held_on: null, next_review_on: null, supplier_attendees: "" });
  });

  it("saves a draft, auditing every change with its old and new value", async () => {
    const saved = (await post([...complete(), ["intent", "save"]])) as Response;
    expect(saved.status).toBe(302);
    const after = await snapshot();
    const highest = isHighestRiskBand(currentQuestionnaire().bands, result.band.id);
    expect(after.conversation).toMatchObject({ status: "draft", held_on: "2026-06-10", supplier_attendees: "Sam Carter, director", next_review_on: addMonths("2026-06-10", highest ? 3 : 12) });
    expect(after.verifications).toEqual([{ conversation_id: conversationId, question_id: answered[0], level: "evidence_seen", note: null }]);
    expect(after.actions).toMatchObject([{ description: "Publish the audit plan", owner_side: "supplier", owner_name: "Sam Carter", due_on: "2026-07-01", status: "open", organisation_id: dpwManager.organisationId, assessment_id: assessmentId }]);
    const audit = await t.db.selectFrom("audit_log").selectAll().where("entity", "in", ["conversation", "conversation_action"]).orderBy("id").execute();
    expect(audit.find((a) => a.field === "held_on" && a.new_value === "2026-06-10")).toMatchObject({ old_value: null, user_id: dpwManager.id, organisation_id: dpwManager.organisationId });
    expect(audit.find((a) => a.field === "supplier_attendees" && a.new_value === "Sam Carter, director")).toMatchObject({ old_value: "" });
    expect(audit.find((a) => a.action === "verification")).toMatchObject({ field: answered[0], old_value: "self_declared", new_value: "evidence_seen" });
    expect(audit.find((a) => a.entity === "conversation_action" && a.action === "created")).toMatchObject({ entity_id: after.actions[0]!.id });

    // Saving the same again changes and audits nothing.
    const count = after.audit;
    const actionId = after.actions[0]!.id;
    const same = complete().map(([k, v]): [string, string] => [k, v]);
    same.push(["action-0-id", actionId], ["intent", "save"]);
    await post(same);
    expect((await snapshot()).audit).toBe(count);

    // Editing the action's due date is audited with old and new.
    await post(same.map(([k, v]): [string, string] => (k === "action-0-dueOn-day" ? [k, "15"] : [k, v])));
    const changed = await t.db.selectFrom("audit_log").selectAll().where("entity_id", "=", actionId).where("field", "=", "due_on").executeTakeFirstOrThrow();
    expect(changed).toMatchObject({ old_value: "2026-07-01", new_value: "2026-07-15" });
  });

  it("shows the saved values on the page", async () => {
    const page = await conversationLoader({ request: new Request(`http://localhost${path()}?saved=draft`, { headers: { Cookie: managerCookie } }), params: { conversationId }, context: {} });
    expect(page).toMatchObject({ saved: "draft", heldOn: "2026-06-10", verifications: { [answered[0]!]: "evidence_seen" } });
    expect(page.actions).toMatchObject([{ dueOn: "2026-07-15", ownerSide: "supplier" }]);
  });

  it("finishes: read-only afterwards, and the follow-up is cleared", async () => {
    expect(await followUpCleared(assessmentId, dpwManager.organisationId)).toBe(false);
    const actionId = (await snapshot()).actions[0]!.id;
    const fields = complete().map(([k, v]): [string, string] => (k === "action-0-dueOn-day" ? [k, "15"] : [k, v]));
    const finished = (await post([...fields, ["action-0-id", actionId], ["intent", "finish"]])) as Response;
    expect(finished.headers.get("Location")).toBe(`${path()}?saved=finished`);
    const after = await snapshot();
    expect(after.conversation.status).toBe("finished");
    expect(after.conversation.finished_at).not.toBeNull();
    expect(after.actions).toHaveLength(1);
    expect(await followUpCleared(assessmentId, dpwManager.organisationId)).toBe(true);
    expect(await followUpCleared(assessmentId, nhsManager.organisationId)).toBe(false);
    expect((await getConversation(dpwManager, conversationId)).canEdit).toBe(false);
    await expectStatus(post([...fields, ["intent", "save"]]), 409);
    expect((await snapshot()).audit).toBe(after.audit);
    // A new conversation about the same assessment starts a new draft.
    const next = await startConversation(dpwManager, assessmentId, NOW);
    expect(next).not.toBe(conversationId);
  });

  it("keeps a history of every change, in words, for the buyer's organisation only", async () => {
    const history = await conversationHistory(dpwAnalyst, conversationId);
    expect(history[0]).toMatchObject({ action: "created", userName: dpwManager.name, organisationName: "Department for Public Works" });
    expect(describeEntry(history[0]!)).toBe("Started the conversation");
    const heldOn = history.find((e) => e.field === "held_on" && e.newValue === "2026-06-10")!;
    expect(describeEntry(heldOn)).toBe("Date held: (empty) to 10 June 2026");
    const verification = history.find((e) => e.action === "verification")!;
    expect(describeEntry(verification, { [answered[0]!]: "The question" })).toBe("Verification of “The question”: Self-declared to Evidence seen");
    expect(history.some((e) => e.entity === "conversation_action" && e.field === "due_on")).toBe(true);
    expect(describeEntry(history[history.length - 1]!)).toBe("Finished the conversation");
    await expectStatus(conversationHistory(nhsManager, conversationId), 404);
    const page = await conversationLoader({ request: new Request(`http://localhost${path()}`, { headers: { Cookie: managerCookie } }), params: { conversationId }, context: {} });
    expect(page.history.length).toBe(history.length);
  });

  it("records a removed draft action on the conversation's history", async () => {
    const draft = await startConversation(dpwManager, assessmentId, NOW);
    const saved = complete().filter(([k]) => !k.startsWith("verification-"));
    const cookie = managerCookie;
    const add = (await conversationAction({ request: formRequest(`/conversations/${draft}`, cookie, [...saved, ["intent", "add-action"]]), params: { conversationId: draft }, context: {} })) as Response;
    expect(add.headers.get("Location")).toBe(`/conversations/${draft}#actions`);
    const actionId = (await t.db.selectFrom("conversation_action").select("id").where("conversation_id", "=", draft).executeTakeFirstOrThrow()).id;
    const cleared = saved.map(([k, v]): [string, string] => (k.startsWith("action-0-") ? [k, ""] : [k, v]));
    await conversationAction({ request: formRequest(`/conversations/${draft}`, cookie, [...cleared, ["action-0-id", actionId], ["intent", "save"]]), params: { conversationId: draft }, context: {} });
    expect(await t.db.selectFrom("conversation_action").select("id").where("conversation_id", "=", draft).execute()).toEqual([]);
    const history = await conversationHistory(dpwManager, draft);
    expect(describeEntry(history.find((e) => e.action === "action_removed")!)).toBe("Removed an action: Publish the audit plan");
  });

  it("is hidden again once the supplier stops sharing", async () => {
    await stopSharing(supplier, assessmentId, dpwManager.organisationId, true, NOW);
    await expectStatus(getConversation(dpwManager, conversationId), 404);
    await shareAssessment(supplier, assessmentId, dpwManager.organisationId, NOW);
    expect((await getConversation(dpwManager, conversationId)).conversation.status).toBe("finished");
  });

  it("records a finished conversation straight from the new form", async () => {
    // Finish the organisation's open draft first, so the new form is offered.
    const draft = (await listConversations(dpwManager, assessmentId)).find((c) => c.status === "draft")!;
    const done = (await conversationAction({ request: formRequest(`/conversations/${draft.id}`, managerCookie, [...complete(), ["intent", "finish"]]), params: { conversationId: draft.id }, context: {} })) as Response;
    expect(done.headers.get("Location")).toBe(`/conversations/${draft.id}?saved=finished`);
    const finished = (await postNew([...complete(), ["intent", "finish"]])) as Response;
    const id = finished.headers.get("Location")!.split("?")[0]!.split("/").pop()!;
    expect(finished.headers.get("Location")).toBe(`/conversations/${id}?saved=finished`);
    const row = await t.db.selectFrom("conversation").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "finished", held_on: "2026-06-10", created_by: dpwManager.id });
    expect(await t.db.selectFrom("conversation_action").select("description").where("conversation_id", "=", id).execute()).toEqual([{ description: "Publish the audit plan" }]);
    expect(await t.db.selectFrom("answer_verification").select(["question_id", "level"]).where("conversation_id", "=", id).execute()).toEqual([{ question_id: answered[0], level: "evidence_seen" }]);
    const history = await conversationHistory(dpwManager, id);
    expect(history[0]).toMatchObject({ action: "created" });
    expect(history[history.length - 1]).toMatchObject({ action: "finished" });
    // Adding an action on the new form saves it as a draft and returns to its actions.
    const added = (await postNew([["notes", "First call"], ["intent", "add-action"]])) as Response;
    expect(added.headers.get("Location")).toMatch(/^\/conversations\/[0-9a-f-]{36}#actions$/);
  });
});
