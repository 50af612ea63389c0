import { sql } from "kysely";
import { getDb } from "../services/db.server";

/** Liveness and database check for load balancers and monitoring. */
export async function loader() {
  try {
    const db = await getDb();
    await sql`select 1`.execute(db);
    return Response.json({ status: "ok", database: "ok" }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    console.error("healthz: database check failed", error);
    return Response.json({ status: "error", database: "unreachable" }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
