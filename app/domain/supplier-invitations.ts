/**
 * Where a buyer's invitation to a supplier stands. Pure: the state follows from the invitation's
 * own columns and the status of the assessment the supplier linked to it, at a given time.
 */
import type { AssessmentStatus } from "../../db/schema";

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
