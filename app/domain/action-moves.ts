/**
 * Who may move an agreed action where. Every action is agreed by the buyer in its conversation with
 * the supplier, so closing one takes both sides: the supplier says what it did and marks the action
 * done ("awaiting confirmation"), and the buyer confirms it, or reopens it with a reason. The buyer
 * may also close an action itself (one it owns, or one it has seen done), cancel one with a reason,
 * and reopen a closed one with a reason. Analysts read only. A note without a status change is
 * always allowed to whoever may update the action.
 */
import { type ActionStatus, type FieldErrors, type OwnerSide, checkActionUpdate } from "./conversations";

/** What a move tells the other side: the events notifications are about. */
export type ActionEvent = "updated" | "awaiting_confirmation" | "confirmed" | "reopened";

/** Which note a move needs, if any: what was done, or why. */
export type NoteNeed = "what_was_done" | "reason" | null;

type Rule = { to: ActionStatus; note: NoteNeed };

const SUPPLIER: Record<ActionStatus, Rule[]> = {
  open: [
    { to: "in_progress", note: null },
    { to: "awaiting_confirmation", note: "what_was_done" },
  ],
  in_progress: [
    { to: "open", note: null },
    { to: "awaiting_confirmation", note: "what_was_done" },
  ],
  // Handed to the buyer: only the buyer confirms or reopens it.
  awaiting_confirmation: [],
  // Closed by the buyer: only the buyer reopens it.
  done: [],
  cancelled: [],
};

const BUYER: Record<ActionStatus, Rule[]> = {
  open: [
    { to: "in_progress", note: null },
    { to: "done", note: null },
    { to: "cancelled", note: "reason" },
  ],
  in_progress: [
    { to: "open", note: null },
    { to: "done", note: null },
    { to: "cancelled", note: "reason" },
  ],
  awaiting_confirmation: [
    { to: "done", note: null },
    { to: "open", note: "reason" },
    { to: "in_progress", note: "reason" },
    { to: "cancelled", note: "reason" },
  ],
  done: [
    { to: "open", note: "reason" },
    { to: "in_progress", note: "reason" },
  ],
  cancelled: [
    { to: "open", note: "reason" },
    { to: "in_progress", note: "reason" },
  ],
};

const RULES: Record<OwnerSide, Record<ActionStatus, Rule[]>> = { supplier: SUPPLIER, buyer: BUYER };

/** The statuses this side may move an action in `from` to (not counting staying where it is). */
export function allowedMoves(side: OwnerSide, from: ActionStatus): ActionStatus[] {
  return RULES[side][from].map((r) => r.to);
}

/** Whether this side may move an action from one status to another (staying put is a note, always allowed). */
export function mayMove(side: OwnerSide, from: ActionStatus, to: ActionStatus): boolean {
  return from === to || allowedMoves(side, from).includes(to);
}

/** The note a move needs: none, what was done, or a reason. Staying put needs a note of any kind. */
export function noteNeeded(side: OwnerSide, from: ActionStatus, to: ActionStatus): NoteNeed {
  return RULES[side][from].find((r) => r.to === to)?.note ?? null;
}

const reopening = (from: ActionStatus, to: ActionStatus) => (from === "awaiting_confirmation" || from === "done" || from === "cancelled") && (to === "open" || to === "in_progress");

/** What a move tells the other side. */
export function eventOf(from: ActionStatus, to: ActionStatus): ActionEvent {
  if (from !== to && to === "awaiting_confirmation") return "awaiting_confirmation";
  if (from === "awaiting_confirmation" && to === "done") return "confirmed";
  if (reopening(from, to)) return "reopened";
  return "updated";
}

/** Why this side may not make this move, in words that say what to do instead. */
export function refusal(side: OwnerSide, from: ActionStatus, to: ActionStatus): string {
  if (side === "supplier") {
    if (from === "awaiting_confirmation") return "The action is waiting for the buyer to confirm it is done. Add a note, or wait for the buyer to confirm or reopen it";
    if (from === "done" || from === "cancelled") return "The action is closed. Only the buyer can reopen it: add a note to ask them";
    if (to === "done") return "Select \u201cMark as done\u201d: the buyer agreed this action, so the buyer confirms it is done";
    if (to === "cancelled") return "Only the buyer can cancel an agreed action. Add a note to ask them";
  } else {
    if (to === "awaiting_confirmation") return "Only the supplier marks an action as done for you to confirm. Select \u201cDone\u201d to close it yourself";
    if (from === "done" && to === "cancelled") return "A done action cannot be cancelled. Reopen it first";
    if (from === "cancelled" && to === "done") return "A cancelled action cannot be marked done. Reopen it first";
  }
  return "Select one of the changes offered";
}

export type CheckedMove = { status: ActionStatus; note: string | null; event: ActionEvent; changed: boolean };

const NOTE_NEEDED: Record<Exclude<NoteNeed, null>, (to: ActionStatus) => string> = {
  what_was_done: () => "Enter what was done",
  reason: (to) => (to === "cancelled" ? "Enter why the action is cancelled" : "Enter why the action is reopened"),
};

/**
 * A move as posted by one side: the status it asks for (the current one for a note alone) and the
 * note. Checks the fields first (a known status, a note of sensible length without control
 * characters), then whether this side may make the move, then the note it needs. Errors are keyed
 * `status` or `note`.
 */
export function checkActionMove(side: OwnerSide, from: ActionStatus, input: { status: string; note: string }): { ok: true; value: CheckedMove } | { ok: false; errors: FieldErrors } {
  const fields = checkActionUpdate(input);
  // The cancel reason is this module's to ask for, with the other notes.
  const errors: FieldErrors = fields.ok ? {} : { ...fields.errors };
  if (errors.note === "Enter why the action is cancelled") delete errors.note;
  if (errors.status) return { ok: false, errors };
  const to = input.status as ActionStatus;
  if (!mayMove(side, from, to)) return { ok: false, errors: { status: refusal(side, from, to), ...errors } };
  if (errors.note) return { ok: false, errors };
  const note = input.note.trim() || null;
  if (to === from && note === null) return { ok: false, errors: { note: allowedMoves(side, from).length > 0 ? "Enter a note, or select a change" : "Enter a note" } };
  const need = noteNeeded(side, from, to);
  if (need && note === null) return { ok: false, errors: { note: NOTE_NEEDED[need](to) } };
  return { ok: true, value: { status: to, note, event: eventOf(from, to), changed: to !== from } };
}

/** The words each move goes by on the action page, for this side, from this status. */
export function moveLabel(side: OwnerSide, from: ActionStatus, to: ActionStatus): string {
  if (to === from) return "No change to the status, just add a note";
  if (to === "awaiting_confirmation") return "Mark as done";
  if (to === "done") return from === "awaiting_confirmation" ? "Confirm it is done" : "Done";
  if (to === "cancelled") return "Cancel the action";
  if (reopening(from, to)) return to === "open" ? "Reopen it" : "Reopen it as in progress";
  return to === "open" ? "Open" : "In progress";
}

/** The hint under the note for a move that needs one. */
export function noteHint(need: NoteNeed, to: ActionStatus): string | null {
  if (need === "what_was_done") return "Say what was done. The buyer will read it before confirming.";
  if (need === "reason") return to === "cancelled" ? "Say why the action is cancelled." : "Say why the action is reopened: what is still to do.";
  return null;
}

/** The statuses that say the work is done: handed in for confirmation, or confirmed. */
export const HANDED_IN_STATUSES = ["awaiting_confirmation", "done"] as const satisfies ReadonlyArray<ActionStatus>;
const handedIn = (status: ActionStatus) => (HANDED_IN_STATUSES as readonly ActionStatus[]).includes(status);

/**
 * When the action's work was handed in, for an action now awaiting confirmation or done: the first
 * update of the last unbroken run of "awaiting confirmation" and "done" updates (so a supplier's
 * "Mark as done" that the buyer later confirmed counts from the supplier's day, and a reopened
 * action counts from when it was handed in again). Null when the updates do not end in such a run.
 * Updates oldest first. The database works this out the same way (action-times.server.ts).
 */
export function handedInAt(updates: ReadonlyArray<{ status: ActionStatus; createdAt: string }>): string | null {
  let since: string | null = null;
  for (const u of updates) since = handedIn(u.status) ? (since ?? u.createdAt) : null;
  return since;
}
