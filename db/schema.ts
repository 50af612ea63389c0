/** Kysely table types. Ids are text, timestamps ISO-8601 strings, flags 0/1 integers, JSON as text. */
import type { Generated, Insertable, Selectable, Updateable } from "kysely";
import type { AssessmentStatus } from "../app/domain/progress";
import type { ResponseKind } from "../app/domain/report";

export type OrganisationKind = "buyer" | "supplier";
export type BuyerRole = "admin" | "contract_manager" | "analyst";
export type SupplierRole = "admin" | "contributor";
export type Role = BuyerRole | SupplierRole;

export interface OrganisationTable {
  id: string;
  name: string;
  kind: OrganisationKind;
  /** Stable, unique, URL-safe name, e.g. department-for-public-works. */
  slug: string;
  /** Suppliers: Companies House number (unique where present); none for overseas suppliers. */
  company_number: string | null;
  /** Suppliers: ISO 3166-1 alpha-2 country of registration. */
  country: string | null;
  created_at: string;
}

export interface UserTable {
  id: string;
  organisation_id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  /** 1 for the user an organisation's imported records are attributed to: it can never sign in. */
  system: Generated<number>;
  created_at: string;
}

export interface SessionTable {
  id: string;
  user_id: string;
  expires_at: string;
  created_at: string;
}

export interface InvitationTable {
  id: string;
  organisation_id: string;
  email: string;
  role: Role;
  token_hash: string;
  invited_by: string;
  expires_at: string;
  accepted_at: string | null;
  created_at: string;
}

export interface EmailOutboxTable {
  id: string;
  recipient: string;
  subject: string;
  body: string;
  created_at: string;
  /** When the mail server accepted it; null while waiting. */
  sent_at: string | null;
  /** Failed attempts so far. */
  attempts: Generated<number>;
  /** Not before this time (after a failure); null means as soon as possible. */
  next_attempt_at: string | null;
  last_error: string | null;
  /** The organisation the message was sent for (its administrators can read it); null for system mail. */
  organisation_id: string | null;
}

export interface AssessmentTable {
  id: string;
  organisation_id: string;
  questionnaire_id: string;
  questionnaire_version: string;
  status: AssessmentStatus;
  /** The submission this assessment was pre-filled from, if any. */
  previous_submission_id: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface AnswerTable {
  assessment_id: string;
  question_id: string;
  /** JSON text of the answer value. */
  value: string;
  /** Increments on every change; a save must name the revision it was based on. */
  revision: number;
  /** 1 while an answer carried over from the last submission awaits confirmation. */
  prefilled: number;
  /**
   * JSON of every row of a list answer when some miss a required field (the value holds the complete
   * ones); null otherwise. Never scored or submitted: submission waits until it is resolved.
   */
  draft: string | null;
  updated_by: string;
  updated_at: string;
  created_at: string;
}

export interface SubmissionTable {
  id: string;
  assessment_id: string;
  organisation_id: string;
  questionnaire_id: string;
  questionnaire_version: string;
  /** The exact questionnaire answered: the hash of its questionnaire_snapshot, so later edits to the file never change it. */
  questionnaire: string;
  /** JSON of the visible answers at submission. */
  answers: string;
  /** JSON of the AssessmentResult. */
  result: string;
  submitted_by: string;
  created_at: string;
  /** JSON of KPI id to 0 (outside the denominator), 1 (denominator only), 2 (numerator); null until filled. */
  kpis: string | null;
  /** Bit i set: in the numerator of the i-th KPI of its version (file order); null until filled. */
  kpi_numerator: number | string | null;
  /** Bit i set: in the denominator of the i-th KPI of its version; null until filled. */
  kpi_denominator: number | string | null;
  /** The overall percentage, as in the result; null when nothing was scored or until filled. */
  overall: number | null;
  /** "app" for a submission made in Lantern, "import" for one read from an exchange file. */
  source: Generated<"app" | "import">;
}

/**
 * Who counts in a department's statistics: per financial year ("2024-25") and supplier, the supplier's
 * latest submission in that year among those shared with the department now (db/statistics.ts).
 */
export interface StatisticsEntryTable {
  buyer_organisation_id: string;
  period: string;
  supplier_organisation_id: string;
  submission_id: string;
  assessment_id: string;
  /** The submission's questionnaire snapshot hash: its KPI list gives the masks' bit order. */
  questionnaire: string;
  kpi_numerator: number | string;
  kpi_denominator: number | string;
  overall: number | null;
  /** Overall score of the supplier's previous submission shared with the department, if any. */
  previous_overall: number | null;
  /** 1 when the assessment is completed (every recommendation answered). */
  completed: number;
  /** 1 when the department has finished a follow-up conversation about the assessment. */
  followed_up: number;
  /** 1 when the submission called for follow-up: a red flag, a demanded follow-up or the highest-risk rating. */
  called_for_follow_up: Generated<number>;
}

/** One distinct questionnaire text that submissions answered, named by its SHA-256. */
export interface QuestionnaireSnapshotTable {
  hash: string;
  questionnaire_id: string;
  questionnaire_version: string;
  body: string;
  created_at: string;
}

export interface RecommendationResponseTable {
  submission_id: string;
  recommendation_id: string;
  response: ResponseKind;
  target_date: string | null;
  reason: string | null;
  responded_by: string;
  created_at: string;
  updated_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  organisation_id: string;
  user_id: string;
  entity: string;
  entity_id: string;
  action: string;
  field: string | null;
  old_value: string | null;
  new_value: string | null;
  created_at: string;
}

/** Failures counted per key (a hash of what is throttled, e.g. an account at an address). */
export interface ThrottleTable {
  key: string;
  failures: number;
  last_failure_at: string;
  locked_until: string | null;
  created_at: string;
}

/** One row of the import-ban list (e.g. a US Withhold Release Order), as last imported. */
export interface ImportBanTable {
  id: string;
  source: string;
  effective_date: string;
  country: string | null;
  region: string | null;
  entity: string | null;
  /** JSON array of other names. */
  aliases: string;
  /** JSON array of names in Chinese script; null for rows imported before the column existed. */
  name_zh: string | null;
  /** 1 when the order covers the entity's subordinates or subsidiaries, 0 when not, null when the row does not say. */
  covers_group: number | null;
  products: string;
  applies_to: string;
  status: "active" | "inactive";
  status_changed: string | null;
  note: string | null;
  created_at: string;
}

/** A supplier's decision on one potential match of a named sub-supplier. */
export interface ScreeningDecisionTable {
  id: string;
  assessment_id: string;
  entity_key: string;
  ban_id: string;
  decision: "confirmed" | "dismissed";
  reason: string;
  decided_by: string;
  created_at: string;
  updated_at: string;
}

/** One contract in a buyer's register. Money in pence (bigint: PostgreSQL returns it as text). */
export interface ContractTable {
  id: string;
  organisation_id: string;
  reference: string;
  title: string;
  supplier_name: string;
  supplier_company_number: string | null;
  supplier_country: string;
  supplier_organisation_id: string | null;
  category: string;
  annual_value_pence: number | string;
  total_value_pence: number | string;
  start_date: string;
  end_date: string;
  contract_manager_email: string | null;
  tier_override: "gold" | "silver" | "bronze" | null;
  tier_override_reason: string | null;
  /** JSON array of IndicatorRecord (app/domain/prioritisation.ts); null until risk-assessed. */
  risk_indicators: string | null;
  /** How many indicators are present; null until risk-assessed. Priority is risk_count >= the department's threshold. */
  risk_count: number | null;
  risk_assessed_by: string | null;
  risk_assessed_at: string | null;
  /** Set by hand: "live" or "ended" whatever the end date; null follows the end date. */
  status_override: "live" | "ended" | null;
  status_override_reason: string | null;
  created_at: string;
  updated_at: string;
}

/** A contract manager's decision, taken once, on whether a contract's supplier is a supplier organisation matched by name. */
export interface SupplierMatchDecisionTable {
  contract_id: string;
  supplier_organisation_id: string;
  decision: "accepted" | "dismissed";
  decided_by: string;
  decided_at: string;
}

/** One event told to one person; gathered with the person's other pending events into one email. */
export interface NotificationTable {
  id: string;
  user_id: string;
  organisation_id: string;
  kind: string;
  /** Names the event; unique per person, so the same event is never told twice. */
  event_key: string;
  subject: string;
  body: string;
  created_at: string;
  /** The email it went out in; null while pending. */
  outbox_id: string | null;
  sent_at: string | null;
}

/** A kind of notification a person turned off. */
export interface NotificationOptoutTable {
  user_id: string;
  kind: string;
  created_at: string;
}

/** A department's own thresholds; defaults apply until it sets them. */
export interface DepartmentSettingsTable {
  organisation_id: string;
  gold_above_pence: number | string;
  bronze_below_pence: number | string;
  priority_threshold: number;
  /** JSON of programme KPI id to goal percentage; defaults apply to any not set. */
  kpi_goals: string | null;
  updated_at: string;
}

/**
 * A buyer's invitation to a contract's supplier: a code (stored hashed) sent by email with a link.
 * Its state follows from the columns: cancelled, expired (not accepted by expires_at), invited,
 * registered (accepted by a supplier organisation), then the linked assessment's own status.
 */
export interface SupplierInvitationTable {
  id: string;
  /** The buying organisation that invited. */
  organisation_id: string;
  contract_id: string;
  email: string;
  contact_name: string | null;
  code_hash: string;
  invited_by: string;
  created_at: string;
  expires_at: string;
  supplier_organisation_id: string | null;
  accepted_by: string | null;
  accepted_at: string | null;
  /** The assessment the supplier chose for this contract (new, or a current submitted one). */
  assessment_id: string | null;
  linked_at: string | null;
  cancelled_at: string | null;
  cancelled_by: string | null;
  cancel_reason: string | null;
}

/** An assessment a supplier shares with a buyer; revoking keeps the row with revoked_at set. */
export interface AssessmentShareTable {
  id: string;
  assessment_id: string;
  supplier_organisation_id: string;
  buyer_organisation_id: string;
  shared_by: string;
  shared_at: string;
  invitation_id: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
}

/** A buyer user's note on a shared assessment, seen by every buyer it is currently shared with. */
export interface AssessmentNoteTable {
  id: string;
  assessment_id: string;
  /** The writer's (buying) organisation. */
  organisation_id: string;
  user_id: string;
  body: string;
  created_at: string;
}

/** When a reminder about a subject (e.g. "invitation:ID") was last sent, and how many so far. */
export interface ReminderTable {
  subject: string;
  last_sent_at: string;
  count: number;
}

/** A buyer's follow-up conversation with a supplier about one submitted, shared assessment. */
export interface ConversationTable {
  id: string;
  assessment_id: string;
  submission_id: string;
  /** The buying organisation that held it. */
  organisation_id: string;
  status: "draft" | "finished";
  /** ISO date the conversation was held; null until entered. */
  held_on: string | null;
  buyer_attendees: string;
  supplier_attendees: string;
  notes: string;
  /** JSON array of the recommendation ids discussed. */
  recommendations_discussed: string;
  next_review_on: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

/** How far the buyer checked one answer in a conversation (no row: self-declared). */
export interface AnswerVerificationTable {
  conversation_id: string;
  question_id: string;
  level: "self_declared" | "evidence_seen" | "verified";
  note: string | null;
}

/** An action agreed in a conversation, owned by the buyer's or the supplier's side. */
export interface ConversationActionTable {
  id: string;
  conversation_id: string;
  assessment_id: string;
  /** The buying organisation that agreed it. */
  organisation_id: string;
  description: string;
  owner_side: "buyer" | "supplier";
  owner_name: string;
  due_on: string;
  recommendation_id: string | null;
  status: "open" | "in_progress" | "awaiting_confirmation" | "done" | "cancelled";
  cancel_reason: string | null;
  created_at: string;
  updated_at: string;
}

/** One update to an action from either side: its new status and a note. */
export interface ActionUpdateTable {
  id: string;
  action_id: string;
  /** The organisation of the person who posted it. */
  organisation_id: string;
  user_id: string;
  status: "open" | "in_progress" | "awaiting_confirmation" | "done" | "cancelled";
  note: string | null;
  created_at: string;
}

export interface Database {
  organisation: OrganisationTable;
  user: UserTable;
  session: SessionTable;
  invitation: InvitationTable;
  email_outbox: EmailOutboxTable;
  assessment: AssessmentTable;
  answer: AnswerTable;
  submission: SubmissionTable;
  recommendation_response: RecommendationResponseTable;
  audit_log: AuditLogTable;
  throttle: ThrottleTable;
  import_ban: ImportBanTable;
  screening_decision: ScreeningDecisionTable;
  contract: ContractTable;
  department_settings: DepartmentSettingsTable;
  supplier_invitation: SupplierInvitationTable;
  assessment_share: AssessmentShareTable;
  assessment_note: AssessmentNoteTable;
  reminder: ReminderTable;
  conversation: ConversationTable;
  answer_verification: AnswerVerificationTable;
  conversation_action: ConversationActionTable;
  action_update: ActionUpdateTable;
  questionnaire_snapshot: QuestionnaireSnapshotTable;
  statistics_entry: StatisticsEntryTable;
  supplier_match_decision: SupplierMatchDecisionTable;
  notification: NotificationTable;
  notification_optout: NotificationOptoutTable;
}

export type Organisation = Selectable<OrganisationTable>;
export type User = Selectable<UserTable>;
export type Assessment = Selectable<AssessmentTable>;
export type Answer = Selectable<AnswerTable>;
export type NewAnswer = Insertable<AnswerTable>;
export type AnswerUpdate = Updateable<AnswerTable>;
export type Submission = Selectable<SubmissionTable>;
export type RecommendationResponse = Selectable<RecommendationResponseTable>;
