/**
 * The department's view of every result shared with it, with the one follow-up rule applied
 * (app/domain/follow-up.ts) and the register contracts each is linked to (the supplier's identity:
 * app/services/supplier-links.server.ts). The queue, the results list and page and the contract
 * page all read their follow-up state here, so they can never disagree.
 */
import { snapshotQuestionnaire } from "../../db/submissions";
import type { Questionnaire } from "../../questionnaires/format";
import { type Tier, tierFor } from "../domain/contracts";
import { bandsHighestRiskFirst, highestTier, isoToday } from "../domain/conversations";
import { type FollowUp, followUpFor } from "../domain/follow-up";
import type { AssessmentStatus } from "../domain/progress";
import { ratingNote } from "../domain/rating-note";
import type { AssessmentResult } from "../domain/scoring";
import { getDb } from "./db.server";
import { tierThresholds } from "./department-settings.server";
import { contractsOfSupplier } from "./supplier-links.server";

export type LinkedContract = { id: string; reference: string; title: string; tier: Tier; live: boolean; contractManagerEmail: string | null };

export type SharedResult = {
  assessmentId: string;
  supplierOrganisationId: string;
  supplierName: string;
  submittedAt: string;
  questionnaireVersion: string;
  status: Exclude<AssessmentStatus, "draft">;
  band: { id: string; label: string };
  /** 0 for the questionnaire's highest-risk band, rising as risk falls. */
  bandRank: number;
  overall: number | null;
  /** Why the rating differs from the band the score alone suggests; null when it does not. */
  ratingNote: string | null;
  result: AssessmentResult;
  /** False when the supplier has a later submission shared with the department. */
  current: boolean;
  followUp: FollowUp;
  /** The department's last finished conversation about it, its draft, and the next review agreed. */
  lastConversationId: string | null;
  draftConversationId: string | null;
  nextReviewOn: string | null;
  /** The department's contracts whose supplier is this organisation, and the highest tier among the live ones (else all). */
  contracts: LinkedContract[];
  tier: Tier | null;
};

/** Whether a contract is live: set by hand, else until its end date. */
const isLive = (c: { status_override: string | null; end_date: string }, today: string) => (c.status_override ? c.status_override === "live" : c.end_date >= today);

/**
 * The results shared with a department now (never drafts), optionally only some suppliers'. Each
 * with the follow-up rule applied as of `now`. Newest submission first.
 */
export async function sharedResults(buyerOrganisationId: string, now = new Date(), only: { supplierOrganisationIds?: string[] } = {}): Promise<SharedResult[]> {
  const db = await getDb();
  const today = isoToday(now);
  let query = db
    .selectFrom("assessment_share")
    .innerJoin("assessment", "assessment.id", "assessment_share.assessment_id")
    .innerJoin("submission", "submission.assessment_id", "assessment.id")
    .innerJoin("organisation", "organisation.id", "assessment.organisation_id")
    .select([
      "assessment.id",
      "assessment.status",
      "assessment.organisation_id",
      "organisation.name",
      "submission.created_at",
      "submission.id as submissionId",
      "submission.questionnaire_version",
      "submission.questionnaire",
      "submission.result",
    ])
    .where("assessment_share.buyer_organisation_id", "=", buyerOrganisationId)
    .where("assessment_share.revoked_at", "is", null)
    .where("assessment.status", "!=", "draft");
  if (only.supplierOrganisationIds) {
    if (only.supplierOrganisationIds.length === 0) return [];
    query = query.where("assessment.organisation_id", "in", only.supplierOrganisationIds);
  }
  const rows = await query.orderBy("submission.created_at", "desc").orderBy("submission.id", "desc").execute();
  if (rows.length === 0) return [];

  // The supplier's current result: its latest submission shared with the department.
  const latest = new Map<string, string>();
  for (const r of rows) if (!latest.has(r.organisation_id)) latest.set(r.organisation_id, r.id);

  const ids = rows.map((r) => r.id);
  const conversations = [];
  for (let i = 0; i < ids.length; i += 500) {
    conversations.push(
      ...(await db
        .selectFrom("conversation")
        .select(["id", "assessment_id", "status", "next_review_on", "finished_at", "created_at"])
        .where("organisation_id", "=", buyerOrganisationId)
        .where("assessment_id", "in", ids.slice(i, i + 500))
        .execute()),
    );
  }
  const finished = new Map<string, (typeof conversations)[number]>();
  const drafts = new Map<string, string>();
  for (const c of conversations) {
    if (c.status === "finished") {
      const seen = finished.get(c.assessment_id);
      if (!seen || (c.finished_at ?? "") > (seen.finished_at ?? "")) finished.set(c.assessment_id, c);
    } else drafts.set(c.assessment_id, c.id);
  }

  const settings = await tierThresholds(buyerOrganisationId);
  const contractsOf = new Map<string, LinkedContract[]>();
  for (const c of await contractsOfSupplier(db, buyerOrganisationId, [...latest.keys()])) {
    const override = c.tier_override && c.tier_override_reason ? { tier: c.tier_override, reason: c.tier_override_reason } : null;
    const list = contractsOf.get(c.supplier_organisation_id!) ?? [];
    list.push({
      id: c.id,
      reference: c.reference,
      title: c.title,
      tier: tierFor(Number(c.annual_value_pence), settings, override).tier,
      live: isLive(c, today),
      contractManagerEmail: c.contract_manager_email,
    });
    contractsOf.set(c.supplier_organisation_id!, list);
  }

  const snapshots = new Map<string, Questionnaire>();
  for (const hash of new Set(rows.map((r) => r.questionnaire))) snapshots.set(hash, await snapshotQuestionnaire(db, hash));

  return rows.map((r): SharedResult => {
    const result = JSON.parse(r.result) as AssessmentResult;
    const bands = snapshots.get(r.questionnaire)!.bands;
    const rank = bandsHighestRiskFirst(bands).indexOf(result.band.id);
    const last = finished.get(r.id);
    const contracts = contractsOf.get(r.organisation_id) ?? [];
    const live = contracts.filter((c) => c.live);
    const current = latest.get(r.organisation_id) === r.id;
    return {
      assessmentId: r.id,
      supplierOrganisationId: r.organisation_id,
      supplierName: r.name,
      submittedAt: r.created_at,
      questionnaireVersion: r.questionnaire_version,
      status: r.status as SharedResult["status"],
      band: { id: result.band.id, label: result.band.label },
      bandRank: rank < 0 ? bands.length : rank,
      overall: result.overall,
      ratingNote: ratingNote(result, bands),
      result,
      current,
      followUp: followUpFor({
        redFlags: result.redFlags,
        band: result.band,
        bands,
        conversationFinished: last !== undefined,
        nextReviewOn: last?.next_review_on ?? null,
        current,
        today,
      }),
      lastConversationId: last?.id ?? null,
      draftConversationId: drafts.get(r.id) ?? null,
      nextReviewOn: last?.next_review_on ?? null,
      contracts,
      tier: highestTier((live.length > 0 ? live : contracts).map((c) => c.tier)),
    };
  });
}
