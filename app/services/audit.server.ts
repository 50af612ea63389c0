import type { Transaction } from "kysely";
import type { Database } from "../../db/schema";
import type { Db } from "../../db/index";

export type AuditEntry = {
  organisationId: string;
  userId: string;
  entity: string;
  entityId: string;
  action: string;
  field?: string | null;
  oldValue?: string | null;
  newValue?: string | null;
  at: Date;
};

/** Record who changed what, when, with the old and new value. */
export async function audit(db: Db | Transaction<Database>, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto("audit_log")
    .values(
      entries.map((e) => ({
        organisation_id: e.organisationId,
        user_id: e.userId,
        entity: e.entity,
        entity_id: e.entityId,
        action: e.action,
        field: e.field ?? null,
        old_value: e.oldValue ?? null,
        new_value: e.newValue ?? null,
        created_at: e.at.toISOString(),
      })),
    )
    .execute();
}
