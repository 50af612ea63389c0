/**
 * The follow-up conversation a buyer holds with a supplier, and what follows from it: which
 * answers were checked, the actions agreed and their due dates, when to review again, and the
 * order of a buyer's work queue. Pure rules: dates are ISO yyyy-mm-dd strings and "today" is
 * always passed in.
 */
import type { Band } from "../../questionnaires/format";
import type { Tier } from "./contracts";
import { type DateParts, parseDateParts } from "./dates";
import { hasControlChars, controlCharsMessage } from "./text";

export const VERIFICATION_LEVELS = ["self_declared", "evidence_seen", "verified"] as const;
export type VerificationLevel = (typeof VERIFICATION_LEVELS)[number];
export const VERIFICATION_LABELS: Record<VerificationLevel, string> = { self_declared: "Self-declared", evidence_seen: "Evidence seen", verified: "Verified" };

/**
 * An action's life: open and in progress while someone works on it; awaiting confirmation once the
 * supplier says it is done (the buyer agreed it, so the buyer confirms); done or cancelled when
 * closed. Who may move it where is in action-moves.ts.
 */
export const ACTION_STATUSES = ["open", "in_progress", "awaiting_confirmation", "done", "cancelled"] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];
export const ACTION_STATUS_LABELS: Record<ActionStatus, string> = { open: "Open", in_progress: "In progress", awaiting_confirmation: "Awaiting confirmation", done: "Done", cancelled: "Cancelled" };
/** Statuses in which someone still has to work on the action (the supplier or the buyer's owner). */
export const WORKING_STATUSES = ["open", "in_progress"] as const satisfies ReadonlyArray<ActionStatus>;

export const OWNER_SIDES = ["buyer", "supplier"] as const;
export type OwnerSide = (typeof OWNER_SIDES)[number];

export const TEXT_MAX = 5000;
export const SHORT_MAX = 500;
/** Months to the next review: sooner when the supplier is in the highest-risk band. */
export const REVIEW_MONTHS = 12;
export const HIGH_RISK_REVIEW_MONTHS = 3;
/** Actions due within this many days appear in the work queue. */
export const ACTION_DUE_SOON_DAYS = 14;
/** Reviews due within this many days appear in the work queue. */
export const REVIEW_DUE_SOON_DAYS = 30;

// ---- dates ------------------------------------------------------------------------------------

/** Today's ISO date (UTC) from a clock reading. */
export const isoToday = (now: Date) => now.toISOString().slice(0, 10);

/** An ISO date moved by whole months; the day is clipped to the end of a shorter month (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

// ---- risk bands -------------------------------------------------------------------------------

/** Band ids from highest risk (lowest minimum score) to lowest risk. */
export function bandsHighestRiskFirst(bands: ReadonlyArray<Pick<Band, "id" | "min">>): string[] {
  return [...bands].sort((a, b) => a.min - b.min).map((b) => b.id);
}

/** Whether a band is the questionnaire's highest-risk band. */
export function isHighestRiskBand(bands: ReadonlyArray<Pick<Band, "id" | "min">>, bandId: string): boolean {
  return bandsHighestRiskFirst(bands)[0] === bandId;
}

/** The next review: 12 months after the conversation, or 3 months for a supplier in the highest-risk band. */
export function defaultNextReview(heldOn: string, highestRisk: boolean): string {
  return addMonths(heldOn, highestRisk ? HIGH_RISK_REVIEW_MONTHS : REVIEW_MONTHS);
}

// ---- the conversation form --------------------------------------------------------------------

export type ActionInput = {
  /** The stored action this row edits; absent for a new row. */
  id?: string;
  description: string;
  ownerSide: string;
  ownerName: string;
  dueOn: DateParts;
  recommendationId: string;
};

export type ConversationInput = {
  heldOn: DateParts;
  buyerAttendees: string;
  supplierAttendees: string;
  notes: string;
  recommendationsDiscussed: string[];
  /** Question id to level, for every select posted. */
  verifications: Record<string, string>;
  actions: ActionInput[];
  nextReviewOn: DateParts;
};

export type ConversationContext = {
  /** Questions visible and answered in the submission. */
  answeredQuestionIds: ReadonlySet<string>;
  recommendationIds: ReadonlySet<string>;
  /** The stored actions of this conversation (rows may only edit these). */
  actionIds: ReadonlySet<string>;
  highestRisk: boolean;
};

export type CheckedAction = {
  id?: string;
  description: string;
  ownerSide: OwnerSide;
  ownerName: string;
  dueOn: string;
  recommendationId: string | null;
};

export type CheckedConversation = {
  heldOn: string | null;
  buyerAttendees: string;
  supplierAttendees: string;
  notes: string;
  recommendationsDiscussed: string[];
  /** Only levels other than self-declared (the default, stored as no row). */
  verifications: Record<string, Exclude<VerificationLevel, "self_declared">>;
  actions: CheckedAction[];
  /** Stored actions whose rows were cleared: to be removed. */
  removedActionIds: string[];
  nextReviewOn: string | null;
};

export type FieldErrors = Record<string, string>;

/** Field names of an action row, shared by the form and the checks. */
export const actionField = (index: number, name: string) => `action-${index}-${name}`;

function text(value: string, label: string, max: number, key: string, errors: FieldErrors): string {
  const clean = value.trim();
  if (clean.length > max) errors[key] = `${label} must be ${max} characters or fewer`;
  else if (hasControlChars(clean)) errors[key] = controlCharsMessage(label);
  return clean;
}

const blankRow = (a: ActionInput) => !a.description.trim() && !a.ownerName.trim() && !a.dueOn.day.trim() && !a.dueOn.month.trim() && !a.dueOn.year.trim() && !a.recommendationId;

/**
 * Check a conversation as posted. Saving a draft needs only valid values; finishing also needs the
 * date and who attended. Errors are keyed by the id of the field to fix (`heldOn`, `action-0-dueOn`).
 */
export function checkConversation(input: ConversationInput, context: ConversationContext, finish: boolean): { ok: true; value: CheckedConversation } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const held = parseDateParts(input.heldOn, "Date the conversation was held");
  const heldOn = held.ok ? held.value : null;
  if (!held.ok) errors.heldOn = held.error;

  const buyerAttendees = text(input.buyerAttendees, "Who attended from your organisation", TEXT_MAX, "buyerAttendees", errors);
  const supplierAttendees = text(input.supplierAttendees, "Who attended from the supplier", TEXT_MAX, "supplierAttendees", errors);
  const notes = text(input.notes, "Notes", TEXT_MAX, "notes", errors);
  if (finish) {
    if (held.ok && heldOn === null) errors.heldOn = "Enter the date the conversation was held";
    if (!buyerAttendees && !errors.buyerAttendees) errors.buyerAttendees = "Enter who attended from your organisation";
    if (!supplierAttendees && !errors.supplierAttendees) errors.supplierAttendees = "Enter who attended from the supplier";
  }

  const recommendationsDiscussed = [...new Set(input.recommendationsDiscussed)];
  if (recommendationsDiscussed.some((id) => !context.recommendationIds.has(id))) {
    errors.recommendationsDiscussed = "Select only recommendations from this assessment's report";
  }

  const verifications: CheckedConversation["verifications"] = {};
  for (const [questionId, level] of Object.entries(input.verifications)) {
    const key = `verification-${questionId}`;
    if (!(VERIFICATION_LEVELS as readonly string[]).includes(level)) {
      errors[key] = "Select self-declared, evidence seen or verified";
      continue;
    }
    if (!context.answeredQuestionIds.has(questionId)) {
      errors[key] = "This question was not answered in the submitted assessment, so its answer cannot be verified";
      continue;
    }
    if (level !== "self_declared") verifications[questionId] = level as Exclude<VerificationLevel, "self_declared">;
  }

  const actions: CheckedAction[] = [];
  const removedActionIds: string[] = [];
  input.actions.forEach((row, i) => {
    if (row.id !== undefined && !context.actionIds.has(row.id)) {
      errors[actionField(i, "description")] = "This action is no longer part of the conversation: reload the page";
      return;
    }
    if (blankRow(row)) {
      if (row.id !== undefined) removedActionIds.push(row.id);
      return;
    }
    const description = text(row.description, "The action", TEXT_MAX, actionField(i, "description"), errors);
    if (!description && !errors[actionField(i, "description")]) errors[actionField(i, "description")] = "Enter what was agreed";
    const ownerKey = actionField(i, "ownerSide");
    if (!(OWNER_SIDES as readonly string[]).includes(row.ownerSide)) errors[ownerKey] = "Select whether your organisation or the supplier owns this action";
    const ownerName = text(row.ownerName, "The owner's name", SHORT_MAX, actionField(i, "ownerName"), errors);
    if (!ownerName && !errors[actionField(i, "ownerName")]) errors[actionField(i, "ownerName")] = "Enter the name of the person who owns this action";
    const dueKey = actionField(i, "dueOn");
    const due = parseDateParts(row.dueOn, "Due date", { required: "Enter the date the action is due" });
    let dueOn: string | null = null;
    if (!due.ok) errors[dueKey] = due.error;
    else if (due.value === null) errors[dueKey] = "Enter the date the action is due";
    else if (heldOn !== null && due.value < heldOn) errors[dueKey] = "Due date must be on or after the date the conversation was held";
    else dueOn = due.value;
    const recommendationId = row.recommendationId || null;
    if (recommendationId !== null && !context.recommendationIds.has(recommendationId)) errors[actionField(i, "recommendationId")] = "Select a recommendation from this assessment's report, or none";
    if (dueOn !== null && (OWNER_SIDES as readonly string[]).includes(row.ownerSide)) {
      actions.push({ ...(row.id !== undefined ? { id: row.id } : {}), description, ownerSide: row.ownerSide as OwnerSide, ownerName, dueOn, recommendationId });
    }
  });

  const review = parseDateParts(input.nextReviewOn, "Next review date");
  let nextReviewOn: string | null = null;
  if (!review.ok) errors.nextReviewOn = review.error;
  else if (review.value !== null && heldOn !== null && review.value <= heldOn) errors.nextReviewOn = "Next review date must be after the date the conversation was held";
  else nextReviewOn = review.value ?? (heldOn === null ? null : defaultNextReview(heldOn, context.highestRisk));

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { heldOn, buyerAttendees, supplierAttendees, notes, recommendationsDiscussed, verifications, actions, removedActionIds, nextReviewOn } };
}

// ---- action updates ---------------------------------------------------------------------------

export type CheckedUpdate = { status: ActionStatus; note: string | null };

/** An update to an action: a status, a note; cancelling needs a reason (the note). */
export function checkActionUpdate(input: { status: string; note: string }): { ok: true; value: CheckedUpdate } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (!(ACTION_STATUSES as readonly string[]).includes(input.status)) errors.status = "Select the action's status";
  const note = text(input.note, "The note", TEXT_MAX, "note", errors);
  if (input.status === "cancelled" && !note && !errors.note) errors.note = "Enter why the action is cancelled";
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { status: input.status as ActionStatus, note: note || null } };
}

/** Done or cancelled. An action awaiting confirmation is not closed: the buyer has still to confirm it. */
export const isClosed = (status: ActionStatus) => status === "done" || status === "cancelled";

/**
 * Overdue: an action still being worked on (open, in progress) past its due date. An action
 * awaiting confirmation counts as handed in on the day the supplier marked it done (`markedOn`, the
 * UTC date of the move that put it in its current awaiting state): overdue only when that was after
 * the due date, however long the buyer then takes to confirm it. Closed actions are never overdue.
 */
export function isOverdue(action: { status: ActionStatus; dueOn: string; markedOn?: string | null }, today: string): boolean {
  if (action.status === "awaiting_confirmation") return action.markedOn != null && action.markedOn > action.dueOn;
  return !isClosed(action.status) && action.dueOn < today;
}

// ---- the work queue ---------------------------------------------------------------------------

export type QueueKind = "conversation" | "action" | "review";

export type QueueItem = {
  kind: QueueKind;
  /** The highest tier of the buyer's contracts linked to the assessment; null when none is linked. */
  tier: Tier | null;
  /** 0 for the questionnaire's highest-risk band, rising as risk falls. */
  bandRank: number;
  /** The date the item falls due; null for a conversation not yet held (due now). */
  dueOn: string | null;
  key: string;
};

const TIER_RANK: Record<Tier, number> = { gold: 0, silver: 1, bronze: 2 };

/** The highest of some tiers (gold above silver above bronze); null for none. */
export function highestTier(tiers: Iterable<Tier>): Tier | null {
  let best: Tier | null = null;
  for (const t of tiers) if (best === null || TIER_RANK[t] < TIER_RANK[best]) best = t;
  return best;
}

/** Whether an action belongs in the queue: not closed, and overdue or due within 14 days. */
export const actionInQueue = (action: { status: ActionStatus; dueOn: string }, today: string) =>
  !isClosed(action.status) && daysBetween(today, action.dueOn) <= ACTION_DUE_SOON_DAYS;

/** Whether a review belongs in the queue: past, or due within 30 days. */
export const reviewInQueue = (nextReviewOn: string | null, today: string) => nextReviewOn !== null && daysBetween(today, nextReviewOn) <= REVIEW_DUE_SOON_DAYS;

/** Overdue: a due date before today. A conversation not yet held is not overdue. */
export const itemOverdue = (item: Pick<QueueItem, "dueOn">, today: string) => item.dueOn !== null && item.dueOn < today;

/**
 * The queue's order: by contract tier (gold, silver, bronze, then assessments linked to no
 * contract), then rating band (highest risk first), then the earliest due date, then a stable key.
 */
export function orderQueue<T extends QueueItem>(items: T[]): T[] {
  const tierRank = (t: Tier | null) => (t === null ? 3 : TIER_RANK[t]);
  return [...items].sort(
    (a, b) =>
      tierRank(a.tier) - tierRank(b.tier) ||
      a.bandRank - b.bandRank ||
      (a.dueOn ?? "").localeCompare(b.dueOn ?? "") ||
      a.key.localeCompare(b.key),
  );
}
