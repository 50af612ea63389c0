/**
 * Where a buyer's invitation to a supplier stands. Pure: the state follows from the invitation's
 * own columns and the status of the assessment the supplier linked to it, at a given time.
 */
import type { AssessmentStatus } from "./progress";

/** In funnel order; expired and cancelled are off the funnel. */
export const INVITATION_STATUSES = ["invited", "registered", "in_progress", "submitted", "completed", "expired", "cancelled"] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

/** The stages a supplier moves through, in order. */
export const FUNNEL_STAGES = ["invited", "registered", "in_progress", "submitted", "completed"] as const satisfies ReadonlyArray<InvitationStatus>;

export const INVITATION_STATUS_LABELS: Record<InvitationStatus, string> = {
  invited: "Invited",
  registered: "Registered",
  in_progress: "In progress",
  submitted: "Submitted",
  completed: "Completed",
  expired: "Expired",
  cancelled: "Cancelled",
};

/** How long an invitation can be accepted for. Once accepted it no longer expires. */
export const INVITATION_VALID_DAYS = 30;

export type InvitationState = {
  expires_at: string;
  accepted_at: string | null;
  cancelled_at: string | null;
  /** The linked assessment's status, or null when none is linked yet. */
  assessmentStatus: AssessmentStatus | null;
};

export function invitationStatus(row: InvitationState, now: Date): InvitationStatus {
  if (row.cancelled_at !== null) return "cancelled";
  if (row.assessmentStatus === "completed") return "completed";
  if (row.assessmentStatus === "submitted") return "submitted";
  if (row.assessmentStatus === "draft") return "in_progress";
  if (row.accepted_at !== null) return "registered";
  return row.expires_at <= now.toISOString() ? "expired" : "invited";
}

// ---- codes ----------------------------------------------------------------------------------

/**
 * Invitation codes use Crockford's base32 alphabet: digits and capitals without I, L, O and U, so
 * nothing reads as something else. Typed codes forgive case, spaces, hyphens, and O, I or L for 0 and 1.
 */
export const CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const CODE_LENGTH = 12;

/** The first CODE_LENGTH base32 characters of these bytes (5 bits each; 12 characters use 60 bits). */
export function encodeCode(bytes: Uint8Array): string {
  if (bytes.length * 8 < CODE_LENGTH * 5) throw new Error(`A code needs at least ${Math.ceil((CODE_LENGTH * 5) / 8)} bytes`);
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5 && out.length < CODE_LENGTH) {
      out += CODE_ALPHABET[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
    if (out.length === CODE_LENGTH) break;
  }
  return out;
}

/** A typed or pasted code in its stored form, or undefined when it cannot be a code. */
export function normaliseCode(input: string): string | undefined {
  const compact = input
    .toUpperCase()
    .replace(/[\s\-–—_.]/g, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
  if (compact.length !== CODE_LENGTH) return undefined;
  for (const c of compact) if (!CODE_ALPHABET.includes(c)) return undefined;
  return compact;
}

/** A code as people read it: K7QM-2XPD-9WTR. */
export function formatCode(code: string): string {
  return code.match(/.{1,4}/g)?.join("-") ?? code;
}

// ---- the funnel -----------------------------------------------------------------------------

export type FunnelStage = (typeof FUNNEL_STAGES)[number];

export type Funnel = {
  /** How many reached each stage: a supplier at a later stage has passed every earlier one. */
  reached: Record<FunnelStage, number>;
  expired: number;
  cancelled: number;
  /** Every invitation sent, expired and cancelled ones included. */
  total: number;
};

export function emptyFunnel(): Funnel {
  return { reached: { invited: 0, registered: 0, in_progress: 0, submitted: 0, completed: 0 }, expired: 0, cancelled: 0, total: 0 };
}

/** Add one invitation's status to a funnel (in place), cumulatively. */
export function countInFunnel(funnel: Funnel, status: InvitationStatus): Funnel {
  funnel.total++;
  if (status === "expired") funnel.expired++;
  else if (status === "cancelled") funnel.cancelled++;
  else {
    const at = FUNNEL_STAGES.indexOf(status);
    for (let i = 0; i <= at; i++) funnel.reached[FUNNEL_STAGES[i]!]++;
  }
  return funnel;
}

export function funnelOf(statuses: Iterable<InvitationStatus>): Funnel {
  const funnel = emptyFunnel();
  for (const s of statuses) countInFunnel(funnel, s);
  return funnel;
}

/**
 * Funnels per group (e.g. contract manager), groups sorted by name. The invitation's manager is
 * the contract's manager, else whoever sent the invitation.
 */
export function funnelsBy<T>(rows: Iterable<T>, key: (row: T) => string, status: (row: T) => InvitationStatus): Array<{ key: string; funnel: Funnel }> {
  const groups = new Map<string, Funnel>();
  for (const row of rows) {
    const k = key(row);
    let f = groups.get(k);
    if (!f) groups.set(k, (f = emptyFunnel()));
    countInFunnel(f, status(row));
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, funnel]) => ({ key: k, funnel }));
}

// ---- time rules -----------------------------------------------------------------------------

const DAY = 86_400_000;

/** An invitation idle this long gets a reminder. */
export const REMINDER_IDLE_DAYS = 14;
/** The same subject is never reminded about twice within this many days. */
export const REMINDER_GAP_DAYS = 7;
/** A submitted assessment stays current this many months. */
export const ASSESSMENT_VALID_MONTHS = 12;
/** Suppliers are told to re-assess this many days before their assessment stops being current. */
export const EXPIRY_NOTICE_DAYS = 30;

export const daysAfter = (at: Date, days: number) => new Date(at.getTime() + days * DAY);

/** The same day and time some calendar months on (the 31st becomes the month's last day). */
export function monthsAfter(at: Date, months: number): Date {
  const d = new Date(at.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

export function invitationExpiresAt(createdAt: Date): Date {
  return daysAfter(createdAt, INVITATION_VALID_DAYS);
}

/** When a submitted assessment stops being current. */
export function assessmentExpiresAt(submittedAt: string): Date {
  return monthsAfter(new Date(submittedAt), ASSESSMENT_VALID_MONTHS);
}

/** A submission is current for 12 months: a buyer can be given it instead of a new assessment. */
export function isCurrentSubmission(submittedAt: string, now: Date): boolean {
  return assessmentExpiresAt(submittedAt) > now;
}

/** Whether a reminder about a subject may go now, else when it next may. */
export function reminderAllowed(lastSentAt: string | null | undefined, now: Date): { ok: true } | { ok: false; nextAt: Date } {
  if (!lastSentAt) return { ok: true };
  const nextAt = daysAfter(new Date(lastSentAt), REMINDER_GAP_DAYS);
  return nextAt <= now ? { ok: true } : { ok: false, nextAt };
}

/** Statuses a buyer can remind a supplier about; the others have nothing left to do or cannot be answered. */
export function canRemind(status: InvitationStatus): boolean {
  return status === "invited" || status === "registered" || status === "in_progress" || status === "submitted";
}

export type ReminderKind = "join" | "finish";

export type InvitationReminderFacts = {
  status: InvitationStatus;
  created_at: string;
  accepted_at: string | null;
  /** The linked assessment's last change, if one is linked. */
  assessmentUpdatedAt: string | null;
  lastRemindedAt: string | null;
};

/** The last sign of life of an invitation: sent, accepted, or its assessment worked on. */
export function lastActivity(row: Pick<InvitationReminderFacts, "created_at" | "accepted_at" | "assessmentUpdatedAt">): string {
  return [row.created_at, row.accepted_at, row.assessmentUpdatedAt].filter((x): x is string => x !== null).sort().at(-1)!;
}

/**
 * Which automatic reminder an invitation is due, if any: one still waiting to be accepted (to the
 * contact: join), or accepted but with no activity (to the supplier's administrators: finish),
 * after 14 idle days, and never within 7 days of the last reminder about it.
 */
export function invitationReminderDue(row: InvitationReminderFacts, now: Date): ReminderKind | null {
  const kind: ReminderKind | null = row.status === "invited" ? "join" : row.status === "registered" || row.status === "in_progress" ? "finish" : null;
  if (!kind) return null;
  if (daysAfter(new Date(lastActivity(row)), REMINDER_IDLE_DAYS) > now) return null;
  return reminderAllowed(row.lastRemindedAt, now).ok ? kind : null;
}

export type ExpiryFacts = {
  submittedAt: string;
  /** Whether the organisation has submitted again since. */
  newerSubmission: boolean;
  lastRemindedAt: string | null;
};

/**
 * A shared assessment about to stop being current (within 30 days) with no newer submission: its
 * supplier is reminded to assess again.
 */
export function expiryReminderDue(row: ExpiryFacts, now: Date): boolean {
  if (row.newerSubmission) return false;
  const expires = assessmentExpiresAt(row.submittedAt);
  if (expires <= now || daysAfter(now, EXPIRY_NOTICE_DAYS) < expires) return false;
  return reminderAllowed(row.lastRemindedAt, now).ok;
}

/** Reminders about an invitation share one subject, so the buyer's and the automatic ones keep 7 days apart. */
export const REMINDER_SUBJECT_PREFIX = "invitation:";
export const invitationSubject = (invitationId: string) => `${REMINDER_SUBJECT_PREFIX}${invitationId}`;
export const expirySubject = (assessmentId: string) => `assessment-expiry:${assessmentId}`;

const MINUTE = 60_000;

/** Typed invitation codes: guesses per user and per address, throttled like sign-in. */
export const CODE_ENTRY_POLICIES = {
  user: { limit: 5, windowMs: 15 * MINUTE, baseWaitMs: MINUTE, maxWaitMs: 15 * MINUTE },
  address: { limit: 20, windowMs: 15 * MINUTE, baseWaitMs: MINUTE, maxWaitMs: 60 * MINUTE },
} as const;
