/**
 * `remind` for follow-up: an agreed action due within 14 days or overdue goes to its owner (the
 * supplier's administrators), never twice in 7 days; a review due within 30 days goes to the buyer
 * who recorded the conversation, until a later conversation is recorded.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { plausibleAnswers } from "../../db/seed";
import { saveAnswers, startAssessment, submitAssessment } from "../../app/services/assessments.server";
import type { CurrentUser } from "../../app/services/auth.server";
import { saveConversation, startConversation } from "../../app/services/conversations.server";
import { currentQuestionnaire } from "../../app/services/questionnaires.server";
import { runReminders } from "../../app/services/reminders.server";
import { shareWithBuyer } from "../../app/services/shares.server";
import { createTestDb, type TestDb } from "../setup/db";
import { userFor } from "../setup/requests";

let t: TestDb;
let manager: CurrentUser;
const HELD = new Date("2026-06-01T10:00:00Z");
const DAY = 86_400_000;
const origin = "https://lantern.example.gov.uk";

const parts = (d: Date) => ({ day: String(d.getUTCDate()), month: String(d.getUTCMonth() + 1), year: String(d.getUTCFullYear()) });
const mailTo = (recipient: string) => t.db.selectFrom("email_outbox").select(["subject", "body"]).where("recipient", "=", recipient).orderBy("created_at").execute();

beforeAll(async () => {
  t = await createTestDb();
  manager = await userFor(t.db, "manager@dpw.example");
  const supplier = await userFor(t.db, "admin@acme.example");
  const assessmentId = await startAssessment(supplier, HELD);
  const answers = Object.entries(plausibleAnswers(currentQuestionnaire(), 0.4)).map(([questionId, value]) => ({ questionId, value, baseRevision: 0 }));
  expect(await saveAnswers(supplier, assessmentId, answers, HELD)).toMatchObject({ ok: true });
  expect(await submitAssessment(supplier, assessmentId, HELD)).toMatchObject({ ok: true });
  await t.db.transaction().execute((trx) => shareWithBuyer(trx, { assessmentId, supplierOrganisationId: supplier.organisationId, buyerOrganisationId: manager.organisationId, userId: supplier.id, at: HELD }));
  const conversationId = await startConversation(manager, assessmentId, HELD);
  const saved = await saveConversation(
    manager,
    conversationId,
    {
      heldOn: parts(HELD),
      buyerAttendees: "Tom Rivers",
      supplierAttendees: "Sam Carter",
      notes: "Agreed an audit of the labour providers.",
      recommendationsDiscussed: [],
      verifications: {},
      actions: [
        { description: "Audit the labour providers", ownerSide: "supplier", ownerName: "Sam Carter", dueOn: parts(new Date(HELD.getTime() + 20 * DAY)), recommendationId: "" },
        { description: "Send the code of conduct", ownerSide: "buyer", ownerName: "Tom Rivers", dueOn: parts(new Date(HELD.getTime() + 90 * DAY)), recommendationId: "" },
      ],
      nextReviewOn: { day: "", month: "", year: "" },
    },
    true,
    HELD,
  );
  expect(saved).toMatchObject({ ok: true });
});
afterAll(async () => t?.close());

describe("follow-up reminders", () => {
  it("remind the owner of an action due within 14 days, then not again for 7 days, then when it is overdue", async () => {
    expect(await runReminders(t.db, { origin, now: new Date(HELD.getTime() + 2 * DAY) })).toMatchObject({ actions: 0 });
    expect(await runReminders(t.db, { origin, now: new Date(HELD.getTime() + 10 * DAY) })).toMatchObject({ actions: 1, reviews: 0 });
    const first = await mailTo("admin@acme.example");
    expect(first.map((m) => m.subject)).toEqual([expect.stringMatching(/^Due on .*: Audit the labour providers$/)]);
    expect(first[0]!.body).toContain(`${origin}/actions/`);
    expect(await runReminders(t.db, { origin, now: new Date(HELD.getTime() + 12 * DAY) })).toMatchObject({ actions: 0 });
    expect(await runReminders(t.db, { origin, now: new Date(HELD.getTime() + 25 * DAY) })).toMatchObject({ actions: 1 });
    expect((await mailTo("admin@acme.example")).map((m) => m.subject)).toEqual([expect.stringMatching(/^Due on/), "Overdue: Audit the labour providers"]);
    // The buyer's own action is not due yet: nothing to the manager about it.
    expect((await mailTo("manager@dpw.example")).filter((m) => m.subject.includes("code of conduct"))).toEqual([]);
  });

  it("remind the buyer of a review due within 30 days", async () => {
    const dryRun = await runReminders(t.db, { origin, now: new Date(HELD.getTime() + 350 * DAY), dryRun: true });
    expect(dryRun.reviews).toBe(1);
    expect(await runReminders(t.db, { origin, now: new Date(HELD.getTime() + 350 * DAY) })).toMatchObject({ reviews: 1 });
    expect((await mailTo("manager@dpw.example")).map((m) => m.subject)).toContain("Review due: Acme Facilities Ltd");
  });
});
