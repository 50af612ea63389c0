/**
 * Import-ban screening of the sub-suppliers a supplier names: the current matches of an
 * assessment, and the supplier's decision on each (confirmed or dismissed, with a reason).
 */
import { newId } from "../../db/ids";
import { controlCharsMessage, hasControlChars } from "../domain/text";
import { audit } from "./audit.server";
import { assessmentState } from "./assessments.server";
import type { CurrentUser } from "./auth.server";
import { getDb } from "./db.server";
import { httpError } from "./errors.server";
import { screenAnswers } from "./risk.server";

const REASON_MAX = 1000;

export async function assessmentScreening(user: CurrentUser, assessmentId: string) {
  const state = await assessmentState(user, assessmentId);
  return { ...state, screening: await screenAnswers(state.qn, state.answers, assessmentId) };
}

export type DecisionInput = { entityKey: unknown; banId: unknown; decision: unknown; reason: unknown };

/** Record the supplier's decision on one current match; field errors, or nothing changes. */
export async function decideMatch(user: CurrentUser, assessmentId: string, input: DecisionInput, now = new Date()) {
  const { assessment, screening } = await assessmentScreening(user, assessmentId);
  if (assessment.status !== "draft") httpError(409, "This assessment has been submitted, so its screening can no longer be changed.");
  const match = screening.matches.find((m) => m.entity.key === input.entityKey && m.ban.id === input.banId);
  if (!match) httpError(400, "This possible match is no longer found: the name may have been changed or removed. Reload the page.");
  const errors: Record<string, string> = {};
  if (input.decision !== "confirmed" && input.decision !== "dismissed") errors.decision = "Select whether this is the listed company";
  const reason = typeof input.reason === "string" ? input.reason.trim() : "";
  if (!reason) errors.reason = input.decision === "dismissed" ? "Enter how you know it is a different company" : "Enter what you know about this supplier and what you are doing about it";
  else if (reason.length > REASON_MAX) errors.reason = `Reason must be ${REASON_MAX} characters or fewer`;
  else if (hasControlChars(reason)) errors.reason = controlCharsMessage("Reason");
  if (Object.keys(errors).length > 0) return { ok: false as const, errors, match };

  const decision = input.decision as "confirmed" | "dismissed";
  const db = await getDb();
  const at = now.toISOString();
  await db.transaction().execute(async (trx) => {
    const old = await trx
      .selectFrom("screening_decision")
      .select(["id", "decision", "reason"])
      .where("assessment_id", "=", assessmentId)
      .where("entity_key", "=", match.entity.key)
      .where("ban_id", "=", match.ban.id)
      .executeTakeFirst();
    if (old) {
      await trx.updateTable("screening_decision").set({ decision, reason, decided_by: user.id, updated_at: at }).where("id", "=", old.id).execute();
    } else {
      await trx
        .insertInto("screening_decision")
        .values({ id: newId(), assessment_id: assessmentId, entity_key: match.entity.key, ban_id: match.ban.id, decision, reason, decided_by: user.id, created_at: at, updated_at: at })
        .execute();
    }
    await audit(trx, [
      {
        organisationId: user.organisationId,
        userId: user.id,
        entity: "screening",
        entityId: assessmentId,
        action: "match_decided",
        field: `${match.entity.name} ~ ${match.ban.entity ?? match.ban.id}`,
        oldValue: old ? JSON.stringify({ decision: old.decision, reason: old.reason }) : null,
        newValue: JSON.stringify({ decision, reason }),
        at: now,
      },
    ]);
  });
  return { ok: true as const };
}
