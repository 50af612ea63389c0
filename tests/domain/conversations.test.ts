import { describe, expect, it } from "vitest";
import {
  type ActionInput,
  type ConversationContext,
  type ConversationInput,
  type QueueItem,
  actionInQueue,
  addMonths,
  bandsHighestRiskFirst,
  checkActionUpdate,
  checkConversation,
  daysBetween,
  defaultNextReview,
  highestTier,
  isHighestRiskBand,
  isOverdue,
  isoToday,
  itemOverdue,
  orderQueue,
  reviewInQueue,
} from "../../app/domain/conversations";
import { datePartsOf, parseDateParts } from "../../app/domain/dates";

const parts = (iso: string) => datePartsOf(iso);
const none = { day: "", month: "", year: "" };
const context: ConversationContext = {
  answeredQuestionIds: new Set(["q.a", "q.b"]),
  recommendationIds: new Set(["rec-1", "rec-2"]),
  actionIds: new Set(["a1"]),
  highestRisk: false,
};
const action = (over: Partial<ActionInput> = {}): ActionInput => ({ description: "Publish a statement", ownerSide: "supplier", ownerName: "Pat", dueOn: parts("2026-07-01"), recommendationId: "", ...over });
const input = (over: Partial<ConversationInput> = {}): ConversationInput => ({
  heldOn: parts("2026-06-10"),
  buyerAttendees: "Sam (contract manager)",
  supplierAttendees: "Pat (director)",
  notes: "Went through the report",
  recommendationsDiscussed: ["rec-1"],
  verifications: { "q.a": "verified", "q.b": "self_declared" },
  actions: [action()],
  nextReviewOn: none,
  ...over,
});
const errorsOf = (outcome: ReturnType<typeof checkConversation>) => (outcome.ok ? {} : outcome.errors);

describe("dates", () => {
  it("adds months, clipping to the end of a shorter month", () => {
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonths("2028-01-31", 1)).toBe("2028-02-29");
    expect(addMonths("2026-11-15", 3)).toBe("2027-02-15");
    expect(addMonths("2026-06-10", 12)).toBe("2027-06-10");
  });
  it("counts days and reads today from the clock", () => {
    expect(daysBetween("2026-06-01", "2026-06-15")).toBe(14);
    expect(daysBetween("2026-06-15", "2026-06-01")).toBe(-14);
    expect(isoToday(new Date("2026-06-01T23:59:00Z"))).toBe("2026-06-01");
  });
  it("reads a GOV.UK date input", () => {
    expect(parseDateParts({ day: "7", month: "3", year: "2026" }, "Date")).toEqual({ ok: true, value: "2026-03-07" });
    expect(parseDateParts(none, "Date")).toEqual({ ok: true, value: null });
    expect(parseDateParts({ day: "7", month: "", year: "2026" }, "Date")).toEqual({ ok: false, error: "Date must include a month" });
    expect(parseDateParts({ day: "31", month: "2", year: "2026" }, "Date")).toEqual({ ok: false, error: "Date must be a real date" });
    expect(parseDateParts({ day: "1", month: "2", year: "26" }, "Date")).toMatchObject({ ok: false });
    expect(parseDateParts({ day: "x", month: "2", year: "2026" }, "Date")).toMatchObject({ ok: false });
  });
});

describe("the next review", () => {
  const bands = [
    { id: "medium", min: 40 },
    { id: "high", min: 0 },
    { id: "low", min: 70 },
  ];
  it("knows the highest-risk band from the bands' minimum scores", () => {
    expect(bandsHighestRiskFirst(bands)).toEqual(["high", "medium", "low"]);
    expect(isHighestRiskBand(bands, "high")).toBe(true);
    expect(isHighestRiskBand(bands, "medium")).toBe(false);
  });
  it("is 12 months after the conversation, 3 for the highest-risk band", () => {
    expect(defaultNextReview("2026-06-10", false)).toBe("2027-06-10");
    expect(defaultNextReview("2026-06-10", true)).toBe("2026-09-10");
  });
  it("defaults when left empty, and must come after the conversation", () => {
    const saved = checkConversation(input(), context, false);
    expect(saved.ok && saved.value.nextReviewOn).toBe("2027-06-10");
    const risky = checkConversation(input(), { ...context, highestRisk: true }, false);
    expect(risky.ok && risky.value.nextReviewOn).toBe("2026-09-10");
    const chosen = checkConversation(input({ nextReviewOn: parts("2026-12-01") }), context, false);
    expect(chosen.ok && chosen.value.nextReviewOn).toBe("2026-12-01");
    expect(errorsOf(checkConversation(input({ nextReviewOn: parts("2026-06-10") }), context, false))).toEqual({ nextReviewOn: "Next review date must be after the date the conversation was held" });
  });
});

describe("checking a conversation", () => {
  it("accepts a complete conversation and keeps only levels above self-declared", () => {
    const outcome = checkConversation(input(), context, true);
    expect(outcome).toEqual({
      ok: true,
      value: {
        heldOn: "2026-06-10",
        buyerAttendees: "Sam (contract manager)",
        supplierAttendees: "Pat (director)",
        notes: "Went through the report",
        recommendationsDiscussed: ["rec-1"],
        verifications: { "q.a": "verified" },
        actions: [{ description: "Publish a statement", ownerSide: "supplier", ownerName: "Pat", dueOn: "2026-07-01", recommendationId: null }],
        removedActionIds: [],
        nextReviewOn: "2027-06-10",
      },
    });
  });

  it("refuses a due date before the conversation", () => {
    expect(errorsOf(checkConversation(input({ actions: [action({ dueOn: parts("2026-06-09") })] }), context, false))).toEqual({
      "action-0-dueOn": "Due date must be on or after the date the conversation was held",
    });
    expect(checkConversation(input({ actions: [action({ dueOn: parts("2026-06-10") })] }), context, false).ok).toBe(true);
  });

  it("refuses an action without an owner", () => {
    expect(errorsOf(checkConversation(input({ actions: [action({ ownerName: " " })] }), context, false))).toEqual({ "action-0-ownerName": "Enter the name of the person who owns this action" });
    expect(errorsOf(checkConversation(input({ actions: [action({ ownerSide: "" })] }), context, false))).toEqual({ "action-0-ownerSide": "Select whether your organisation or the supplier owns this action" });
  });

  it("refuses an action without a description or due date, or with a recommendation not in the report", () => {
    expect(errorsOf(checkConversation(input({ actions: [action({ description: "" }), action({ dueOn: none }), action({ recommendationId: "nope" })] }), context, false))).toEqual({
      "action-0-description": "Enter what was agreed",
      "action-1-dueOn": "Enter the date the action is due",
      "action-2-recommendationId": "Select a recommendation from this assessment's report, or none",
    });
  });

  it("ignores a blank new row, and removes a stored action whose row is cleared", () => {
    const blank = action({ description: "", ownerSide: "", ownerName: "", dueOn: none });
    const outcome = checkConversation(input({ actions: [{ ...blank, id: "a1" }, blank] }), context, false);
    expect(outcome.ok && outcome.value.actions).toEqual([]);
    expect(outcome.ok && outcome.value.removedActionIds).toEqual(["a1"]);
    expect(errorsOf(checkConversation(input({ actions: [action({ id: "other" })] }), context, false))).toHaveProperty("action-0-description");
  });

  it("refuses a verification for a question hidden or unanswered in the submission, and an unknown level", () => {
    expect(errorsOf(checkConversation(input({ verifications: { "q.hidden": "verified" } }), context, false))).toEqual({
      "verification-q.hidden": "This question was not answered in the submitted assessment, so its answer cannot be verified",
    });
    expect(errorsOf(checkConversation(input({ verifications: { "q.a": "certainly" } }), context, false))).toEqual({ "verification-q.a": "Select self-declared, evidence seen or verified" });
  });

  it("refuses recommendations not in the report", () => {
    expect(errorsOf(checkConversation(input({ recommendationsDiscussed: ["rec-9"] }), context, false))).toEqual({ recommendationsDiscussed: "Select only recommendations from this assessment's report" });
  });

  it("lets a draft leave out the date and attendees, but not a finished conversation", () => {
    const empty = input({ heldOn: none, buyerAttendees: "", supplierAttendees: " ", actions: [] });
    const draft = checkConversation(empty, context, false);
    expect(draft.ok && draft.value).toMatchObject({ heldOn: null, nextReviewOn: null });
    expect(errorsOf(checkConversation(empty, context, true))).toEqual({
      heldOn: "Enter the date the conversation was held",
      buyerAttendees: "Enter who attended from your organisation",
      supplierAttendees: "Enter who attended from the supplier",
    });
  });

  it("refuses control characters and overlong text", () => {
    expect(errorsOf(checkConversation(input({ notes: "a\u0000b" }), context, false))).toHaveProperty("notes");
    expect(errorsOf(checkConversation(input({ notes: "x".repeat(5001) }), context, false))).toEqual({ notes: "Notes must be 5000 characters or fewer" });
  });
});

describe("action updates", () => {
  it("needs a known status, and a reason to cancel", () => {
    expect(checkActionUpdate({ status: "done", note: "" })).toEqual({ ok: true, value: { status: "done", note: null } });
    expect(checkActionUpdate({ status: "in_progress", note: " Started " })).toEqual({ ok: true, value: { status: "in_progress", note: "Started" } });
    expect(checkActionUpdate({ status: "cancelled", note: "" })).toEqual({ ok: false, errors: { note: "Enter why the action is cancelled" } });
    expect(checkActionUpdate({ status: "cancelled", note: "No longer needed" })).toMatchObject({ ok: true });
    expect(checkActionUpdate({ status: "finished", note: "" })).toEqual({ ok: false, errors: { status: "Select the action's status" } });
  });
  it("is overdue only while open past its due date", () => {
    expect(isOverdue({ status: "open", dueOn: "2026-05-31" }, "2026-06-01")).toBe(true);
    expect(isOverdue({ status: "in_progress", dueOn: "2026-06-01" }, "2026-06-01")).toBe(false);
    expect(isOverdue({ status: "done", dueOn: "2026-05-01" }, "2026-06-01")).toBe(false);
    expect(isOverdue({ status: "cancelled", dueOn: "2026-05-01" }, "2026-06-01")).toBe(false);
  });
});

describe("the work queue", () => {
  const today = "2026-06-01";
  it("takes actions overdue or due within 14 days, and reviews past or within 30 days", () => {
    expect(actionInQueue({ status: "open", dueOn: "2026-06-15" }, today)).toBe(true);
    expect(actionInQueue({ status: "open", dueOn: "2026-06-16" }, today)).toBe(false);
    expect(actionInQueue({ status: "in_progress", dueOn: "2026-01-01" }, today)).toBe(true);
    expect(actionInQueue({ status: "done", dueOn: "2026-06-02" }, today)).toBe(false);
    expect(reviewInQueue("2026-07-01", today)).toBe(true);
    expect(reviewInQueue("2026-07-02", today)).toBe(false);
    expect(reviewInQueue("2025-01-01", today)).toBe(true);
    expect(reviewInQueue(null, today)).toBe(false);
  });
  it("marks items with a due date before today as overdue", () => {
    expect(itemOverdue({ dueOn: "2026-05-31" }, today)).toBe(true);
    expect(itemOverdue({ dueOn: today }, today)).toBe(false);
    expect(itemOverdue({ dueOn: null }, today)).toBe(false);
  });
  it("picks the highest tier", () => {
    expect(highestTier(["bronze", "gold", "silver"])).toBe("gold");
    expect(highestTier(["bronze", "silver"])).toBe("silver");
    expect(highestTier([])).toBeNull();
  });
  it("orders by tier, then band (highest risk first), then due date", () => {
    const item = (key: string, tier: QueueItem["tier"], bandRank: number, dueOn: string | null): QueueItem => ({ kind: "action", key, tier, bandRank, dueOn });
    const items = [
      item("none-high", null, 0, "2026-01-01"),
      item("bronze-high", "bronze", 0, "2026-06-01"),
      item("gold-low", "gold", 2, "2026-01-01"),
      item("gold-high-later", "gold", 0, "2026-07-01"),
      item("gold-high-now", "gold", 0, null),
      item("gold-high-soon", "gold", 0, "2026-06-05"),
      item("silver-medium", "silver", 1, "2026-06-01"),
    ];
    expect(orderQueue(items).map((i) => i.key)).toEqual(["gold-high-now", "gold-high-soon", "gold-high-later", "gold-low", "silver-medium", "bronze-high", "none-high"]);
  });
});
