/**
 * The one rule for what needs follow-up. A department follows up the supplier's current result
 * shared with it (its latest submission; an earlier one is superseded) when:
 * - it raised a red flag, or a red flag asking for a follow-up, and no conversation about it is
 *   finished yet (only a finished conversation clears a red flag);
 * - it is rated in the questionnaire's highest-risk band (High risk), whatever was discussed:
 *   a High rating stays on the list until a better result replaces it;
 * - the review agreed in the last finished conversation is due (on or before today).
 * Recommendation responses play no part: a "completed" assessment can still need follow-up.
 * The queue, the results list and page, the contract page and the statistics all read this.
 */
import type { Band } from "../../questionnaires/format";
import type { Tier } from "./contracts";
import { bandsHighestRiskFirst } from "./conversations";

export type FollowUpReason =
  | { kind: "red_flags"; titles: string[] }
  | { kind: "high_risk"; band: string }
  | { kind: "review_due"; dueOn: string };

export type FollowUpFacts = {
  /** The result's red flags (any kind: those forcing the band and those only asking for follow-up). */
  redFlags: ReadonlyArray<{ title: string }>;
  band: { id: string; label: string };
  /** The bands of the questionnaire the result was scored on. */
  bands: ReadonlyArray<Pick<Band, "id" | "min">>;
  /** Whether the department has finished a conversation about this assessment. */
  conversationFinished: boolean;
  /** The next review agreed in the department's last finished conversation, if any. */
  nextReviewOn: string | null;
  /** False when the supplier has a later submission shared with the department. */
  current: boolean;
  /** ISO date. */
  today: string;
};

export type FollowUp = {
  needed: boolean;
  reasons: FollowUpReason[];
  /** Red flags not yet cleared by a finished conversation. */
  openRedFlags: number;
  /** For ordering: 0 with open red flags, else 1. */
  redFlagRank: 0 | 1;
};

/** Whether a result calls for follow-up by itself (at submission): a red flag, or the highest-risk rating. */
export function callsForFollowUp(result: { redFlags: ReadonlyArray<unknown>; band: { id: string } }, bands: ReadonlyArray<Pick<Band, "id" | "min">>): boolean {
  return result.redFlags.length > 0 || bandsHighestRiskFirst(bands)[0] === result.band.id;
}

export function followUpFor(f: FollowUpFacts): FollowUp {
  if (!f.current) return { needed: false, reasons: [], openRedFlags: 0, redFlagRank: 1 };
  const reasons: FollowUpReason[] = [];
  const openRedFlags = f.conversationFinished ? 0 : f.redFlags.length;
  if (openRedFlags > 0) reasons.push({ kind: "red_flags", titles: f.redFlags.map((r) => r.title) });
  if (bandsHighestRiskFirst(f.bands)[0] === f.band.id) reasons.push({ kind: "high_risk", band: f.band.label });
  if (f.conversationFinished && f.nextReviewOn !== null && f.nextReviewOn <= f.today) reasons.push({ kind: "review_due", dueOn: f.nextReviewOn });
  return { needed: reasons.length > 0, reasons, openRedFlags, redFlagRank: openRedFlags > 0 ? 0 : 1 };
}

/** One short line saying why, for lists: "2 red flags not yet discussed; rated High risk". */
export function followUpSummary(f: { reasons: readonly FollowUpReason[] }, formatDate: (iso: string) => string): string {
  return f.reasons
    .map((r) =>
      r.kind === "red_flags"
        ? `${r.titles.length === 1 ? "1 red flag" : `${r.titles.length} red flags`} not yet discussed`
        : r.kind === "high_risk"
          ? `rated ${r.band}`
          : `review due ${formatDate(r.dueOn)}`,
    )
    .join("; ");
}

const TIER_RANK: Record<Tier, number> = { gold: 0, silver: 1, bronze: 2 };

/** The queue's order: open red flags first, then contract tier (none last), then rating band (highest risk first), then the oldest submission. */
export function orderByFollowUp<T extends { followUp: Pick<FollowUp, "redFlagRank">; tier: Tier | null; bandRank: number; submittedAt: string; assessmentId: string }>(items: T[]): T[] {
  const tierRank = (t: Tier | null) => (t === null ? 3 : TIER_RANK[t]);
  return [...items].sort(
    (a, b) =>
      a.followUp.redFlagRank - b.followUp.redFlagRank ||
      tierRank(a.tier) - tierRank(b.tier) ||
      a.bandRank - b.bandRank ||
      a.submittedAt.localeCompare(b.submittedAt) ||
      a.assessmentId.localeCompare(b.assessmentId),
  );
}
