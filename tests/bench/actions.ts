/**
 * Actions run: the demo department gets 10,000 more contracts and 5,000 agreed actions (500
 * suppliers sharing a completed assessment, one finished conversation with each, ten actions per
 * conversation in every status, 2,000 of the contracts linked to those suppliers), written straight
 * into the database; then its actions tracker is read sequentially after a warm-up: the first page,
 * a filtered page and a sorted page. The figure is the server's own time from its access log.
 */
import { performance } from "node:perf_hooks";
import { sql } from "kysely";
import { newId } from "../../db/ids";
import type { Db } from "../../db/index";
import type { ActionUpdateTable } from "../../db/schema";
import { type Context, dbLabel } from "./lib/context";
import { createSuppliers, createTarget, type DbChoice, openDb, setupDatabase } from "./lib/database";
import { Supplier } from "./lib/http";
import { AppServer, freePort } from "./lib/server";
import { latencyText, ms, summarise, type Summary } from "./lib/stats";

export const ACTIONS_SUPPLIERS = 500;
export const ACTIONS_PER_SUPPLIER = 10;
export const ACTIONS_CONTRACTS = 10_000;
export const ACTIONS_TARGET_P50_MS = 100;
const WARMUP = 10;
const REQUESTS = 100;
const DEPARTMENT = "Department for Public Works";
const MANAGER = "manager@dpw.example";

export const ACTIONS_PAGES = [
  { label: "first page", query: "/actions" },
  { label: "filtered page", query: "/actions?status=open&owner=supplier&overdue=1&tier=silver&manager=manager3%40dpw.example" },
  { label: "sorted page", query: "/actions?sort=tier&direction=desc&page=20" },
] as const;

export type ActionsResult = { db: DbChoice; actions: number; contracts: number; seedMs: number; pages: Array<{ label: string; query: string; total: string; server: Summary; client: Summary }> };

const STATUSES = ["open", "in_progress", "awaiting_confirmation", "done", "cancelled", "open", "in_progress", "open", "done", "awaiting_confirmation"] as const;

async function inBatches<T>(db: Db, rows: T[], size: number, write: (trx: Db, batch: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) {
    const batch = rows.slice(i, i + size);
    await db.transaction().execute((trx) => write(trx as unknown as Db, batch));
  }
}

/** The department's actions and contracts, straight into the database. */
async function seedActions(db: Db): Promise<void> {
  const department = await db.selectFrom("organisation").select("id").where("name", "=", DEPARTMENT).executeTakeFirstOrThrow();
  const manager = await db.selectFrom("user").select("id").where("email", "=", MANAGER).executeTakeFirstOrThrow();
  const template = await db.selectFrom("submission").selectAll().orderBy("created_at").executeTakeFirstOrThrow();
  const suppliers = await createSuppliers(db, ACTIONS_SUPPLIERS, "actions");
  const at = "2026-06-01T09:00:00.000Z";
  const per = suppliers.map((s, i) => ({ ...s, i, assessmentId: newId(), submissionId: newId(), conversationId: newId() }));
  await inBatches(db, per, 100, async (trx, batch) => {
    await trx
      .insertInto("assessment")
      .values(batch.map((s) => ({ id: s.assessmentId, organisation_id: s.organisationId, questionnaire_id: template.questionnaire_id, questionnaire_version: template.questionnaire_version, status: "completed" as const, previous_submission_id: null, created_by: s.userId, created_at: at, updated_at: at })))
      .execute();
    await trx
      .insertInto("submission")
      .values(
        batch.map((s) => ({
          id: s.submissionId, assessment_id: s.assessmentId, organisation_id: s.organisationId, questionnaire_id: template.questionnaire_id, questionnaire_version: template.questionnaire_version,
          questionnaire: template.questionnaire, answers: template.answers, result: template.result, submitted_by: s.userId, created_at: at, kpis: template.kpis,
          kpi_numerator: template.kpi_numerator, kpi_denominator: template.kpi_denominator, overall: template.overall,
        })),
      )
      .execute();
    await trx
      .insertInto("assessment_share")
      .values(batch.map((s) => ({ id: newId(), assessment_id: s.assessmentId, supplier_organisation_id: s.organisationId, buyer_organisation_id: department.id, shared_by: s.userId, shared_at: at, invitation_id: null, revoked_at: null, revoked_by: null })))
      .execute();
    await trx
      .insertInto("conversation")
      .values(
        batch.map((s) => ({
          id: s.conversationId, assessment_id: s.assessmentId, submission_id: s.submissionId, organisation_id: department.id, status: "finished" as const, held_on: "2026-06-01", buyer_attendees: "Tom Rivers",
          supplier_attendees: `Bench User ${s.i + 1}`, notes: "", recommendations_discussed: "[]", next_review_on: "2027-06-01", created_by: manager.id, created_at: at, updated_at: at, finished_at: at,
        })),
      )
      .execute();
    const actions = batch.flatMap((s) =>
      Array.from({ length: ACTIONS_PER_SUPPLIER }, (_, k) => {
        const n = s.i * ACTIONS_PER_SUPPLIER + k;
        const due = new Date(Date.UTC(2026, 5, 5) + (n % 240) * 86_400_000).toISOString().slice(0, 10);
        return {
          id: newId(), conversation_id: s.conversationId, assessment_id: s.assessmentId, organisation_id: department.id, description: `Bench action ${n + 1}: send the evidence`,
          owner_side: k % 3 === 0 ? ("buyer" as const) : ("supplier" as const), owner_name: k % 3 === 0 ? "Tom Rivers" : `Bench User ${s.i + 1}`, due_on: due, recommendation_id: null,
          status: STATUSES[k]!, cancel_reason: STATUSES[k] === "cancelled" ? "No longer needed" : null, created_at: at, updated_at: at,
        };
      }),
    );
    await trx.insertInto("conversation_action").values(actions).execute();
    // Each action past open has the updates that moved it there, as the service writes them.
    const updates = actions
      .filter((a) => a.status !== "open")
      .flatMap((a, j): ActionUpdateTable[] => {
        const day = (d: number) => new Date(Date.parse(`${a.due_on}T10:00:00Z`) + d * 86_400_000).toISOString();
        const first: ActionUpdateTable = { id: newId(), action_id: a.id, organisation_id: department.id, user_id: manager.id, status: "in_progress", note: "Started.", created_at: day(-3) };
        if (a.status === "in_progress" || a.status === "cancelled") return [{ ...first, status: a.status }];
        const marked: ActionUpdateTable = { ...first, id: newId(), status: "awaiting_confirmation", note: "Done.", created_at: day(j % 2 === 0 ? -1 : 2) };
        return a.status === "awaiting_confirmation" ? [first, marked] : [first, marked, { ...first, id: newId(), status: "done", note: null, created_at: day(5) }];
      });
    await trx.insertInto("action_update").values(updates).execute();
  });
  // 10,000 contracts: four linked to each bench supplier, the rest to nobody in Lantern.
  const contracts = Array.from({ length: ACTIONS_CONTRACTS }, (_, i) => {
    const annual = ((i * 977_003) % 60_000_000) * 100;
    return {
      id: newId(), organisation_id: department.id, reference: `ACT-${String(i + 1).padStart(5, "0")}`, title: `Contract ${i + 1}`, supplier_name: `Supplier ${i % 700} Ltd`,
      supplier_company_number: null, supplier_country: "GB", supplier_organisation_id: i < ACTIONS_SUPPLIERS * 4 ? suppliers[i % ACTIONS_SUPPLIERS]!.organisationId : null, category: "Cleaning",
      annual_value_pence: annual, total_value_pence: annual * 3, start_date: "2025-04-01", end_date: "2028-03-31", contract_manager_email: `manager${i % 12}@dpw.example`,
      tier_override: null, tier_override_reason: null, risk_indicators: null, risk_count: null, risk_assessed_by: null, risk_assessed_at: null, created_at: at, updated_at: at,
    };
  });
  await inBatches(db, contracts, 500, (trx, batch) => trx.insertInto("contract").values(batch).execute());
}

export async function runActions(ctx: Context, kind: DbChoice): Promise<ActionsResult> {
  console.log(`\nActions run on ${dbLabel(kind)}`);
  const target = await createTarget(kind, ctx.tempDir, "actions", ctx.postgresUrl);
  await setupDatabase(target, ctx.env);
  const { db, close } = openDb(target);
  const start = performance.now();
  try {
    await seedActions(db);
    // PostgreSQL's autovacuum gathers statistics on tables this size within a minute of such a
    // load; the reads below start at once, so gather them now, as a running database has them.
    if (kind === "postgres") await sql`analyze`.execute(db);
  } finally {
    await close();
  }
  const seedMs = performance.now() - start;
  console.log(`  seeded ${(ACTIONS_SUPPLIERS * ACTIONS_PER_SUPPLIER).toLocaleString("en-GB")} agreed actions and ${ACTIONS_CONTRACTS.toLocaleString("en-GB")} contracts in ${ms(seedMs)} ms`);
  const server = await AppServer.start({ cwd: ctx.appDir, port: await freePort(), env: { ...ctx.env, ...target.env, ...ctx.serverEnv }, nodeArgs: ctx.nodeArgs, entry: ctx.entry });
  try {
    const manager = new Supplier(server.base, MANAGER);
    await manager.signIn();
    const pages: ActionsResult["pages"] = [];
    for (const { label, query } of ACTIONS_PAGES) {
      let total = "";
      for (let i = 0; i < WARMUP; i++) {
        const body = await (await fetch(`${server.base}${query}`, { headers: { Cookie: manager.cookie } })).text();
        total = /([\d,]+) actions?(, page \d+ of \d+)?\./.exec(body)?.[0] ?? "(no count on the page)";
      }
      const from = server.requestLog.length;
      const times: number[] = [];
      for (let i = 0; i < REQUESTS; i++) {
        const t0 = performance.now();
        const res = await fetch(`${server.base}${query}`, { headers: { Cookie: manager.cookie } });
        await res.text();
        if (res.status !== 200) throw new Error(`GET ${query} answered HTTP ${res.status}`);
        times.push(performance.now() - t0);
      }
      const path = query.split("?")[0]!;
      const logged = await server.loggedTimes(from, "GET", new RegExp(`^${path.replace(/\//g, "\\/")}(\\?|$)`), REQUESTS);
      const page = { label, query, total, server: summarise(logged.slice(-REQUESTS)), client: summarise(times) };
      pages.push(page);
      console.log(`  ${label} (${query}; ${total}): server ${latencyText(page.server)}; client ${latencyText(page.client)}`);
    }
    return { db: kind, actions: ACTIONS_SUPPLIERS * ACTIONS_PER_SUPPLIER, contracts: ACTIONS_CONTRACTS, seedMs, pages };
  } finally {
    await server.stop();
  }
}

/** The figures as lines to print: p50 and p95 of each page against the target. */
export function actionsBlock(results: ActionsResult[]): string[] {
  const lines = [`Actions tracker (${ACTIONS_SUPPLIERS * ACTIONS_PER_SUPPLIER} actions, ${ACTIONS_CONTRACTS} more contracts; ${REQUESTS} sequential reads each after ${WARMUP} warm-up; server time):`];
  for (const r of results) {
    for (const p of r.pages) {
      lines.push(`  ${dbLabel(r.db)} ${p.label}: p50 ${ms(p.server.p50)} ms, p95 ${ms(p.server.p95)} ms (target p50 < ${ACTIONS_TARGET_P50_MS} ms: ${p.server.p50 < ACTIONS_TARGET_P50_MS ? "met" : "NOT met"})`);
    }
  }
  return lines;
}
