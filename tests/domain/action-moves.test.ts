/**
 * The two-sided close of an agreed action: every side, from every status, to every status, allowed
 * or refused, with the note each move needs and the event it tells the other side.
 */
import { describe, expect, it } from "vitest";
import { type ActionEvent, allowedMoves, checkActionMove, eventOf, mayMove, moveLabel, noteNeeded } from "../../app/domain/action-moves";
import { ACTION_STATUSES, type ActionStatus, type OwnerSide, isClosed, isOverdue } from "../../app/domain/conversations";

type Expect = { note: "what_was_done" | "reason" | null; event: ActionEvent } | "refused";

/** The whole table: [side][from][to]. Staying put (a note alone) is listed too. */
const TABLE: Record<OwnerSide, Record<ActionStatus, Record<ActionStatus, Expect>>> = {
  supplier: {
    open: {
      open: { note: null, event: "updated" },
      in_progress: { note: null, event: "updated" },
      awaiting_confirmation: { note: "what_was_done", event: "awaiting_confirmation" },
      done: "refused",
      cancelled: "refused",
    },
    in_progress: {
      open: { note: null, event: "updated" },
      in_progress: { note: null, event: "updated" },
      awaiting_confirmation: { note: "what_was_done", event: "awaiting_confirmation" },
      done: "refused",
      cancelled: "refused",
    },
    awaiting_confirmation: { open: "refused", in_progress: "refused", awaiting_confirmation: { note: null, event: "updated" }, done: "refused", cancelled: "refused" },
    done: { open: "refused", in_progress: "refused", awaiting_confirmation: "refused", done: { note: null, event: "updated" }, cancelled: "refused" },
    cancelled: { open: "refused", in_progress: "refused", awaiting_confirmation: "refused", done: "refused", cancelled: { note: null, event: "updated" } },
  },
  buyer: {
    open: {
      open: { note: null, event: "updated" },
      in_progress: { note: null, event: "updated" },
      awaiting_confirmation: "refused",
      done: { note: null, event: "updated" },
      cancelled: { note: "reason", event: "updated" },
    },
    in_progress: {
      open: { note: null, event: "updated" },
      in_progress: { note: null, event: "updated" },
      awaiting_confirmation: "refused",
      done: { note: null, event: "updated" },
      cancelled: { note: "reason", event: "updated" },
    },
    awaiting_confirmation: {
      open: { note: "reason", event: "reopened" },
      in_progress: { note: "reason", event: "reopened" },
      awaiting_confirmation: { note: null, event: "updated" },
      done: { note: null, event: "confirmed" },
      cancelled: { note: "reason", event: "updated" },
    },
    done: {
      open: { note: "reason", event: "reopened" },
      in_progress: { note: "reason", event: "reopened" },
      awaiting_confirmation: "refused",
      done: { note: null, event: "updated" },
      cancelled: "refused",
    },
    cancelled: {
      open: { note: "reason", event: "reopened" },
      in_progress: { note: "reason", event: "reopened" },
      awaiting_confirmation: "refused",
      done: "refused",
      cancelled: { note: null, event: "updated" },
    },
  },
};

const CASES = (["supplier", "buyer"] as const).flatMap((side) => ACTION_STATUSES.flatMap((from) => ACTION_STATUSES.map((to) => ({ side, from, to, expected: TABLE[side][from][to] }))));

describe("the table covers every side, from and to", () => {
  it("has 50 cases", () => expect(CASES).toHaveLength(2 * 5 * 5));
});

describe.each(CASES)("$side: $from -> $to", ({ side, from, to, expected }) => {
  if (expected === "refused") {
    it("is refused with a message on the status, whatever the note", () => {
      expect(mayMove(side, from, to)).toBe(false);
      expect(allowedMoves(side, from)).not.toContain(to);
      const result = checkActionMove(side, from, { status: to, note: "Some words." });
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(Object.keys(result.errors)).toEqual(["status"]);
        expect(result.errors.status).toMatch(/^[A-Z].*[a-z]$/);
      }
    });
    return;
  }
  it(`is allowed${expected.note ? `, with a note (${expected.note})` : ""}, telling the other side "${expected.event}"`, () => {
    expect(mayMove(side, from, to)).toBe(true);
    if (from !== to) expect(allowedMoves(side, from)).toContain(to);
    expect(eventOf(from, to)).toBe(expected.event);
    expect(checkActionMove(side, from, { status: to, note: " Sent the plan. " })).toEqual({ ok: true, value: { status: to, note: "Sent the plan.", event: expected.event, changed: from !== to } });
    const bare = checkActionMove(side, from, { status: to, note: "  " });
    if (from === to) expect(bare).toMatchObject({ ok: false, errors: { note: expect.stringMatching(/^Enter a note/) } });
    else if (expected.note === null) expect(bare).toEqual({ ok: true, value: { status: to, note: null, event: expected.event, changed: true } });
    else {
      expect(noteNeeded(side, from, to)).toBe(expected.note);
      expect(bare).toEqual({
        ok: false,
        errors: { note: expected.note === "what_was_done" ? "Enter what was done" : to === "cancelled" ? "Enter why the action is cancelled" : "Enter why the action is reopened" },
      });
    }
    expect(moveLabel(side, from, to)).toMatch(/^[A-Z]/);
  });
});

describe("checking a move's fields", () => {
  it("refuses an unknown status before anything else", () => {
    expect(checkActionMove("buyer", "open", { status: "finished", note: "" })).toEqual({ ok: false, errors: { status: "Select the action's status" } });
    expect(checkActionMove("supplier", "open", { status: "", note: "x" })).toEqual({ ok: false, errors: { status: "Select the action's status" } });
  });
  it("refuses a note with control characters or too long, on allowed moves", () => {
    expect(checkActionMove("supplier", "open", { status: "awaiting_confirmation", note: "a\u0000b" })).toMatchObject({ ok: false, errors: { note: expect.any(String) } });
    expect(checkActionMove("buyer", "open", { status: "done", note: "x".repeat(5001) })).toEqual({ ok: false, errors: { note: "The note must be 5000 characters or fewer" } });
  });
  it("says what to do instead of a refused move", () => {
    const status = (side: OwnerSide, from: ActionStatus, to: ActionStatus) => {
      const r = checkActionMove(side, from, { status: to, note: "n" });
      return r.ok ? null : r.errors.status;
    };
    expect(status("supplier", "in_progress", "done")).toMatch(/Mark as done/);
    expect(status("supplier", "open", "cancelled")).toMatch(/Only the buyer can cancel/);
    expect(status("supplier", "awaiting_confirmation", "done")).toMatch(/waiting for the buyer to confirm/);
    expect(status("supplier", "done", "open")).toMatch(/Only the buyer can reopen/);
    expect(status("buyer", "open", "awaiting_confirmation")).toMatch(/Only the supplier marks/);
    expect(status("buyer", "done", "cancelled")).toMatch(/Reopen it first/);
    expect(status("buyer", "cancelled", "done")).toMatch(/Reopen it first/);
  });
  it("labels moves in the page's words", () => {
    expect(moveLabel("supplier", "open", "awaiting_confirmation")).toBe("Mark as done");
    expect(moveLabel("buyer", "awaiting_confirmation", "done")).toBe("Confirm it is done");
    expect(moveLabel("buyer", "awaiting_confirmation", "open")).toBe("Reopen it");
    expect(moveLabel("buyer", "in_progress", "done")).toBe("Done");
  });
});

describe("closed and overdue", () => {
  it("counts only done and cancelled as closed", () => {
    expect(ACTION_STATUSES.filter(isClosed)).toEqual(["done", "cancelled"]);
  });
  it("holds an action awaiting confirmation overdue only when it was marked done after its due date", () => {
    const today = "2026-07-01";
    expect(isOverdue({ status: "awaiting_confirmation", dueOn: "2026-06-10", markedOn: "2026-06-10" }, today)).toBe(false);
    expect(isOverdue({ status: "awaiting_confirmation", dueOn: "2026-06-10", markedOn: "2026-06-09" }, today)).toBe(false);
    expect(isOverdue({ status: "awaiting_confirmation", dueOn: "2026-06-10", markedOn: "2026-06-11" }, today)).toBe(true);
    expect(isOverdue({ status: "awaiting_confirmation", dueOn: "2026-06-10", markedOn: null }, today)).toBe(false);
    expect(isOverdue({ status: "in_progress", dueOn: "2026-06-10" }, today)).toBe(true);
    expect(isOverdue({ status: "done", dueOn: "2026-06-10", markedOn: "2026-06-20" }, today)).toBe(false);
  });
});
