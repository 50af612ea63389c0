/**
 * When an agreed action's work was handed in, worked out in the database so lists can filter and
 * count on it: the first "awaiting confirmation" or "done" update after the action's last update
 * with any other status (handedInAt in app/domain/action-moves.ts, in SQL). Read for an action
 * aliased `ca`.
 */
import { expressionBuilder, sql } from "kysely";
import type { ConversationActionTable, Database } from "../../db/schema";
import { HANDED_IN_STATUSES } from "../domain/action-moves";

export function handedInAt() {
  const eb = expressionBuilder<Database & { ca: ConversationActionTable }, "ca">();
  const lastOtherUpdate = eb
    .selectFrom("action_update as other")
    .select((o) => o.fn.max("other.created_at").as("at"))
    .whereRef("other.action_id", "=", "ca.id")
    .where("other.status", "not in", [...HANDED_IN_STATUSES]);
  return eb
    .selectFrom("action_update as au")
    .select((u) => u.fn.min("au.created_at").as("at"))
    .whereRef("au.action_id", "=", "ca.id")
    .where("au.status", "in", [...HANDED_IN_STATUSES])
    .where((u) => u("au.created_at", ">", u.fn.coalesce(lastOtherUpdate, sql.lit(""))));
}
