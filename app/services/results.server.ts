/**
 * The buyer's side of shared assessments: the results shared with its organisation, one result
 * with its history and contracts, the notes buyers write on it, and the overview figures. A
 * buyer sees an assessment only while it is currently shared with its organisation; a revoked
 * share hides it, its notes and its place in the supplier's history again.
 */
import type { AssessmentStatus } from "../domain/progress";
import { newId } from "../../db/ids";
import { DEFAULT_PRIORITY_THRESHOLD } from "../domain/prioritisation";
import type { AssessmentResult } from "../domain/scoring";
import { INVITATION_STATUSES, type InvitationStatus, invitationStatus } from "../domain/supplier-invitations";
import { controlCharsMessage, hasControlChars } from "../domain/text";
import { audit } from "./audit.server";
import type { CurrentUser } from "./auth.server";
import { getDb } from "./db.server";
import { httpError } from "./errors.server";
import { currentQuestionnaire } from "./questionnaires.server";
import { getSharedReport } from "./reports.server";
import { requireSharedAssessment } from "./shares.server";

function requireBuyer(user: CurrentUser) {
  if (user.organisationKind !== "buyer") httpError(403, "Only a buying organisation sees the results shared with it.");
}

/** Buyer roles that may write notes; analysts read them. */
export const NOTE_WRITERS = ["admin", "contract_manager"] as const;
export const canWriteNotes = (user: Pick<CurrentUser, "organisationKind" | "role">) => user.organisationKind === "buyer" && (NOTE_WRITERS as readonly string[]).includes(user.role);

export const NOTE_MAX = 2000;

type Band = { id: string; label: string };

export type ResultRow = {
  assessmentId: string;
  supplierName: string;
  submittedAt: string;
  questionnaireVersion: string;
  band: Band;
  overall: number | null;
  status: Exclude<AssessmentStatus, "draft">;
  contracts: Array<{ id: string; reference: string }>;
  notes: number;
};

/**
 * The assessments currently shared with the buyer's organisation (never drafts), newest
 * submission first, optionally only one rating band. `bands` lists every band with its count
 * across all the shared results, for the filter.
 */
export async function listResults(user: CurrentUser, filter: { band?: string } = {}) {
  requireBuyer(user);
  const db = await getDb();
  const rows = await db
    .selectFrom("assessment_share")
    .innerJoin("assessment", "assessment.id", "assessment_share.assessment_id")
    .innerJoin("submission", "submission.assessment_id", "assessment.id")
    .innerJoin("organisation", "organisation.id", "assessment.organisation_id")
    .select(["assessment.id", "assessment.status", "organisation.name", "submission.created_at", "submission.questionnaire_version", "submission.result"])
    .where("assessment_share.buyer_organisation_id", "=", user.organisationId)
    .where("assessment_share.revoked_at", "is", null)
    .where("assessment.status", "!=", "draft")
    .orderBy("submission.created_at", "desc")
    .orderBy("organisation.name")
    .execute();

  const contracts = await db
    .selectFrom("supplier_invitation")
    .innerJoin("contract", "contract.id", "supplier_invitation.contract_id")
    .innerJoin("assessment_share", (j) =>
      j
        .onRef("assessment_share.assessment_id", "=", "supplier_invitation.assessment_id")
        .on("assessment_share.buyer_organisation_id", "=", user.organisationId)
        .on("assessment_share.revoked_at", "is", null),
    )
    .select(["supplier_invitation.assessment_id", "contract.id", "contract.reference"])
    .where("supplier_invitation.organisation_id", "=", user.organisationId)
    .where("contract.organisation_id", "=", user.organisationId)
    .where("supplier_invitation.cancelled_at", "is", null)
    .orderBy("contract.reference")
    .execute();
  const contractsOf = new Map<string, Array<{ id: string; reference: string }>>();
  for (const c of contracts) {
    const list = contractsOf.get(c.assessment_id!) ?? [];
    if (!list.some((x) => x.id === c.id)) list.push({ id: c.id, reference: c.reference });
    contractsOf.set(c.assessment_id!, list);
  }

  const noteCounts = await db
    .selectFrom("assessment_note")
    .innerJoin("assessment_share as mine", (j) =>
      j.onRef("mine.assessment_id", "=", "assessment_note.assessment_id").on("mine.buyer_organisation_id", "=", user.organisationId).on("mine.revoked_at", "is", null),
    )
    .innerJoin("assessment_share as writers", (j) =>
      j.onRef("writers.assessment_id", "=", "assessment_note.assessment_id").onRef("writers.buyer_organisation_id", "=", "assessment_note.organisation_id").on("writers.revoked_at", "is", null),
    )
    .select(["assessment_note.assessment_id", (eb) => eb.fn.countAll<string | number>().as("n")])
    .groupBy("assessment_note.assessment_id")
    .execute();
  const notesOf = new Map(noteCounts.map((n) => [n.assessment_id, Number(n.n)]));

  const all: ResultRow[] = rows.map((r) => {
    const result = JSON.parse(r.result) as AssessmentResult;
    return {
      assessmentId: r.id,
      supplierName: r.name,
      submittedAt: r.created_at,
      questionnaireVersion: r.questionnaire_version,
      band: { id: result.band.id, label: result.band.label },
      overall: result.overall,
      status: r.status as ResultRow["status"],
      contracts: contractsOf.get(r.id) ?? [],
      notes: notesOf.get(r.id) ?? 0,
    };
  });

  // The filter offers the current questionnaire's bands in its order, and any other band a result carries.
  const bands: Array<Band & { count: number }> = currentQuestionnaire().bands.map((b) => ({ id: b.id, label: b.label, count: 0 }));
  for (const row of all) {
    let band = bands.find((b) => b.id === row.band.id);
    if (!band) bands.push((band = { ...row.band, count: 0 }));
    band.count += 1;
  }
  const band = filter.band && bands.some((b) => b.id === filter.band) ? filter.band : undefined;
  return { results: band ? all.filter((r) => r.band.id === band) : all, total: all.length, bands, band: band ?? null };
}

export type NoteView = { id: string; body: string; createdAt: string; writer: string; organisationName: string; mine: boolean };

/**
 * The notes on an assessment the buyer can see, newest first: those written by any buying
 * organisation it is currently shared with (a buyer whose share was revoked drops out of the
 * conversation, and comes back if shared again).
 */
export async function listNotes(user: CurrentUser, assessmentId: string): Promise<NoteView[]> {
  const db = await getDb();
  const assessment = await requireSharedAssessment(user, assessmentId, db);
  const rows = await db
    .selectFrom("assessment_note")
    .innerJoin("user", "user.id", "assessment_note.user_id")
    .innerJoin("organisation", "organisation.id", "assessment_note.organisation_id")
    .innerJoin("assessment_share", (j) =>
      j
        .onRef("assessment_share.assessment_id", "=", "assessment_note.assessment_id")
        .onRef("assessment_share.buyer_organisation_id", "=", "assessment_note.organisation_id")
        .on("assessment_share.revoked_at", "is", null),
    )
    .select(["assessment_note.id", "assessment_note.body", "assessment_note.created_at", "assessment_note.organisation_id", "user.name", "organisation.name as organisationName"])
    .where("assessment_note.assessment_id", "=", assessment.id)
    .orderBy("assessment_note.created_at", "desc")
    .orderBy("assessment_note.id", "desc")
    .execute();
  return rows.map((r) => ({ id: r.id, body: r.body, createdAt: r.created_at, writer: r.name, organisationName: r.organisationName, mine: r.organisation_id === user.organisationId }));
}

/** Check a note's text: field errors, or the clean text. */
export function checkNote(body: unknown): { error: string } | { value: string } {
  const text = typeof body === "string" ? body.trim() : "";
  if (!text) return { error: "Enter your note" };
  if (text.length > NOTE_MAX) return { error: `Note must be ${NOTE_MAX} characters or fewer` };
  if (hasControlChars(text)) return { error: controlCharsMessage("Note") };
  return { value: text };
}

/** The assessment, if the user may write notes on it: shared with their organisation, and not an analyst. */
export async function requireNoteWriter(user: CurrentUser, assessmentId: string) {
  requireBuyer(user);
  const assessment = await requireSharedAssessment(user, assessmentId);
  if (!canWriteNotes(user)) httpError(403, "Analysts can read the notes on a result but not add them.");
  return assessment;
}

export type NoteOutcome = { ok: true; id: string } | { ok: false; errors: { body: string } };

/** Add a note to a shared assessment (administrators and contract managers). */
export async function addNote(user: CurrentUser, assessmentId: string, body: unknown, now = new Date()): Promise<NoteOutcome> {
  const assessment = await requireNoteWriter(user, assessmentId);
  const checked = checkNote(body);
  if ("error" in checked) return { ok: false, errors: { body: checked.error } };
  const id = newId();
  const db = await getDb();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("assessment_note")
      .values({ id, assessment_id: assessment.id, organisation_id: user.organisationId, user_id: user.id, body: checked.value, created_at: now.toISOString() })
      .execute();
    await audit(trx, [{ organisationId: user.organisationId, userId: user.id, entity: "assessment", entityId: assessment.id, action: "note_added", field: id, newValue: checked.value, at: now }]);
  });
  return { ok: true, id };
}

export type HistoryEntry = {
  assessmentId: string;
  submittedAt: string;
  questionnaireVersion: string;
  band: Band;
  overall: number | null;
  /** Points against the previous entry shown (the previous shared submission); null for the first or unscored. */
  change: number | null;
  current: boolean;
};

/**
 * One shared result for a buyer: the report, the supplier, this buyer's contracts it is linked
 * to, the supplier's submissions shared with this buyer (newest first) and the notes.
 */
export async function getResult(user: CurrentUser, assessmentId: string) {
  requireBuyer(user);
  const report = await getSharedReport(user, assessmentId);
  const db = await getDb();
  const supplier = await db.selectFrom("organisation").select(["id", "name"]).where("id", "=", report.assessment.organisation_id).executeTakeFirstOrThrow();

  const contracts = await db
    .selectFrom("supplier_invitation")
    .innerJoin("contract", "contract.id", "supplier_invitation.contract_id")
    .select(["contract.id", "contract.reference", "contract.title"])
    .distinct()
    .where("supplier_invitation.assessment_id", "=", report.assessment.id)
    .where("supplier_invitation.organisation_id", "=", user.organisationId)
    .where("contract.organisation_id", "=", user.organisationId)
    .where("supplier_invitation.cancelled_at", "is", null)
    .orderBy("contract.reference")
    .execute();

  const submissions = await db
    .selectFrom("submission")
    .innerJoin("assessment", "assessment.id", "submission.assessment_id")
    .innerJoin("assessment_share", "assessment_share.assessment_id", "assessment.id")
    .select(["submission.assessment_id", "submission.created_at", "submission.questionnaire_version", "submission.result"])
    .where("submission.organisation_id", "=", supplier.id)
    .where("assessment.organisation_id", "=", supplier.id)
    .where("assessment.status", "!=", "draft")
    .where("assessment_share.buyer_organisation_id", "=", user.organisationId)
    .where("assessment_share.revoked_at", "is", null)
    .orderBy("submission.created_at")
    .orderBy("submission.id")
    .execute();
  const history: HistoryEntry[] = [];
  let previous: number | null | undefined;
  for (const s of submissions) {
    const result = JSON.parse(s.result) as AssessmentResult;
    const change = previous === undefined || previous === null || result.overall === null ? null : Math.round((result.overall - previous) * 10) / 10;
    history.push({
      assessmentId: s.assessment_id,
      submittedAt: s.created_at,
      questionnaireVersion: s.questionnaire_version,
      band: { id: result.band.id, label: result.band.label },
      overall: result.overall,
      change,
      current: s.assessment_id === report.assessment.id,
    });
    previous = result.overall;
  }
  history.reverse();

  return {
    report,
    supplier,
    contracts,
    history,
    notes: await listNotes(user, assessmentId),
    canWriteNotes: canWriteNotes(user),
  };
}
