/**
 * The buyer's side of shared assessments: the results shared with its organisation, one result
 * with its history and contracts, the notes buyers write on it, and the overview figures. A
 * buyer sees an assessment only while it is currently shared with its organisation; a revoked
 * share hides it, its notes and its place in the supplier's history again.
 */
import type { AssessmentStatus } from "../domain/progress";
import { newId } from "../../db/ids";
import type { FollowUp } from "../domain/follow-up";
import type { AssessmentResult } from "../domain/scoring";
import { controlCharsMessage, hasControlChars } from "../domain/text";
import { audit } from "./audit.server";
import type { CurrentUser } from "./auth.server";
import { getDb } from "./db.server";
import { httpError } from "./errors.server";
import { sharedResults } from "./follow-up.server";
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
  /** Why the rating differs from the band the score alone suggests; null when it does not. */
  ratingNote: string | null;
  status: Exclude<AssessmentStatus, "draft">;
  /** False when the supplier has a later submission shared with the department. */
  current: boolean;
  followUp: FollowUp;
  contracts: Array<{ id: string; reference: string }>;
  notes: number;
};

export type ResultsFilter = { band?: string; followUp?: boolean };

/**
 * The assessments currently shared with the buyer's organisation (never drafts), newest
 * submission first, optionally only one rating band or only those needing follow-up (the one
 * rule, app/domain/follow-up.ts). `bands` lists every band with its count across all the shared
 * results, for the filter; `needingFollowUp` counts the results that need it.
 */
export async function listResults(user: CurrentUser, filter: ResultsFilter = {}, now = new Date()) {
  requireBuyer(user);
  const db = await getDb();
  const shared = await sharedResults(user.organisationId, now);

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

  const all: ResultRow[] = shared.map((r) => ({
    assessmentId: r.assessmentId,
    supplierName: r.supplierName,
    submittedAt: r.submittedAt,
    questionnaireVersion: r.questionnaireVersion,
    band: r.band,
    overall: r.overall,
    ratingNote: r.ratingNote,
    status: r.status,
    current: r.current,
    followUp: r.followUp,
    contracts: r.contracts.map((c) => ({ id: c.id, reference: c.reference })),
    notes: notesOf.get(r.assessmentId) ?? 0,
  }));

  // The filter offers the current questionnaire's bands in its order, and any other band a result carries.
  const bands: Array<Band & { count: number }> = currentQuestionnaire().bands.map((b) => ({ id: b.id, label: b.label, count: 0 }));
  for (const row of all) {
    let band = bands.find((b) => b.id === row.band.id);
    if (!band) bands.push((band = { ...row.band, count: 0 }));
    band.count += 1;
  }
  const band = filter.band && bands.some((b) => b.id === filter.band) ? filter.band : undefined;
  const results = all.filter((r) => (!band || r.band.id === band) && (!filter.followUp || r.followUp.needed));
  return { results, total: all.length, bands, band: band ?? null, followUp: filter.followUp === true, needingFollowUp: all.filter((r) => r.followUp.needed).length };
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
export async function getResult(user: CurrentUser, assessmentId: string, now = new Date()) {
  requireBuyer(user);
  const report = await getSharedReport(user, assessmentId);
  const db = await getDb();
  const supplier = await db.selectFrom("organisation").select(["id", "name"]).where("id", "=", report.assessment.organisation_id).executeTakeFirstOrThrow();

  const mine = (await sharedResults(user.organisationId, now, { supplierOrganisationIds: [supplier.id] })).find((r) => r.assessmentId === report.assessment.id);
  const contracts = (mine?.contracts ?? []).map((c) => ({ id: c.id, reference: c.reference, title: c.title, live: c.live }));

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
    /** The one follow-up rule applied to this result, and whether it is the supplier's current one. */
    followUp: mine?.followUp ?? null,
    current: mine?.current ?? false,
    ratingNote: mine?.ratingNote ?? null,
    history,
    notes: await listNotes(user, assessmentId),
    canWriteNotes: canWriteNotes(user),
  };
}
