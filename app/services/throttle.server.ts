/** Stored throttles: failure counts shared by every app instance through the database. */
import { createHash } from "node:crypto";
import { PostgresAdapter } from "kysely";
import { type ThrottlePolicy, type ThrottleState, afterFailure, lockedUntil } from "../domain/throttle";
import { getDb } from "./db.server";

export type ThrottleKey = { key: string; policy: ThrottlePolicy };

/** Keys are stored hashed: the table need not hold who tried from where. */
const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");

/** The latest time any of these keys is locked until, if one is locked now. */
export async function throttledUntil(keys: ThrottleKey[], now: Date): Promise<Date | undefined> {
  const db = await getDb();
  const rows = await db
    .selectFrom("throttle")
    .select(["failures", "last_failure_at as lastFailureAt", "locked_until as lockedUntil"])
    .where("key", "in", keys.map((k) => hashKey(k.key)))
    .execute();
  let latest: Date | undefined;
  for (const row of rows) {
    const until = lockedUntil(row, now);
    if (until && (!latest || until > latest)) latest = until;
  }
  return latest;
}

/** Count a failure against each key, atomically per key (rows are locked on PostgreSQL). */
export async function recordFailure(keys: ThrottleKey[], now: Date): Promise<void> {
  const db = await getDb();
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.transaction().execute(async (trx) => {
    for (const { key, policy } of keys) {
      const id = hashKey(key);
      await trx
        .insertInto("throttle")
        .values({ key: id, failures: 0, last_failure_at: new Date(0).toISOString(), locked_until: null, created_at: now.toISOString() })
        .onConflict((oc) => oc.column("key").doNothing())
        .execute();
      const row = await trx
        .selectFrom("throttle")
        .select(["failures", "last_failure_at as lastFailureAt", "locked_until as lockedUntil"])
        .where("key", "=", id)
        .$if(postgres, (q) => q.forUpdate())
        .executeTakeFirstOrThrow();
      const next: ThrottleState = afterFailure(row.failures === 0 ? undefined : row, policy, now);
      await trx.updateTable("throttle").set({ failures: next.failures, last_failure_at: next.lastFailureAt, locked_until: next.lockedUntil }).where("key", "=", id).execute();
    }
  });
}

/** Forget the failures of these keys (after a success). */
export async function clearFailures(keys: ThrottleKey[]): Promise<void> {
  const db = await getDb();
  await db.deleteFrom("throttle").where("key", "in", keys.map((k) => hashKey(k.key))).execute();
}

/** Drop rows nobody has failed on for a day; called now and then so the table stays small. */
export async function pruneThrottles(now: Date): Promise<void> {
  const db = await getDb();
  const cutoff = new Date(now.getTime() - 24 * 60 * 60 * 1000).toISOString();
  await db.deleteFrom("throttle").where("last_failure_at", "<", cutoff).where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<", now.toISOString())])).execute();
}
