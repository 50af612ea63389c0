/**
 * Programme KPIs: a department's own due diligence in a UK financial year and the one before, from
 * its records (contract register, invitations, shared submissions, conversations, agreed actions),
 * each against the department's goal. Every figure is added up in the database: one query per kind
 * of record, whatever the size of the register.
 *
 * Which records count:
 * - Contracts considered: the department's own contracts in force at some time in the period
 *   (starting before the first day after it and ending on or after its first day, the contract's
 *   dates compared with the period's UK dates) and matching the query's tier, category and priority
 *   filters (the priority filter, as on the register, by the contract's risk assessment as it stands).
 * - Risk-assessed by the period's end: risk_assessed_at before the end. Only a contract's latest
 *   risk assessment is kept, so a contract re-assessed after the period counts as not assessed by then.
 * - Priority (for the KPIs): risk-assessed by the period's end with at least the department's
 *   threshold of indicators.
 * - Conversation-based KPIs read the department's own conversations and the submissions shared with
 *   it; with a filter, only those of suppliers holding a matching contract (as on the statistics page).
 */
import { type ExpressionBuilder, PostgresAdapter, expressionBuilder, sql } from "kysely";
import { handedInAt } from "./action-times.server";
import type { Db } from "../../db/index";
import { DEFAULT_PRIORITY_THRESHOLD } from "../domain/prioritisation";
import { DEFAULT_TIER_THRESHOLDS } from "../domain/contracts";
import { type Period, previousPeriod } from "../domain/periods";
import {
  type Goals,
  type GoalsErrors,
  type GoalsInput,
  PROGRAMME_KPI_IDS,
  type ProgrammeFigures,
  type ProgrammeKpiId,
  checkGoals,
  doneOnTime,
  goalsFrom,
  periodDates,
  programmeKpi,
} from "../domain/programme";
import type { ConversationActionTable, Database, SubmissionTable } from "../../db/schema";
import { audit } from "./audit.server";
import type { CurrentUser } from "./auth.server";
import { requireBuyer } from "./contract-rows.server";
import { inTier } from "./contracts-filter.server";
import { type DepartmentSettings, tierThresholds } from "./department-settings.server";
import { getDb } from "./db.server";
import { type FollowUpTally, type StatisticsFilters, type StatisticsQuery, suppliersHolding } from "./statistics.server";

type Tally = Record<ProgrammeKpiId, { numerator: number; denominator: number }>;

/** A count or sum as the database returns it: PostgreSQL sends bigints and numerics as text, and null for an empty sum. */
const count = (value: number | string | bigint | null | undefined) => (value === null || value === undefined ? 0 : Number(value));

/** Pence summed by the database as whole pounds, rounded half up (exact: summed as a bigint). */
function wholePounds(value: number | string | null | undefined): number {
  if (value === null || value === undefined) return 0;
  const pence = BigInt(typeof value === "number" ? Math.round(value) : String(value).replace(/\.0*$/, ""));
  return Number((pence + 50n) / 100n);
}

const one = sql<number>`1`;

// ---- contracts ----------------------------------------------------------------------------------

/**
 * A submission (s) whose assessment is completed, and was completed before the instant: when its
 * last recommendation response was first recorded (responses are only ever added or changed), or on
 * submission when there was nothing to respond to.
 */
function completedBefore(end: string) {
  const eb = expressionBuilder<Database & { s: SubmissionTable }, "s">();
  const lastResponse = eb.selectFrom("recommendation_response as rr").select((r) => r.fn.max("rr.created_at").as("at")).whereRef("rr.submission_id", "=", "s.id");
  return eb.and([
    eb.exists(eb.selectFrom("assessment as a").select(one.as("one")).whereRef("a.id", "=", "s.assessment_id").where("a.status", "=", "completed")),
    eb(eb.fn.coalesce(lastResponse, eb.ref("s.created_at")), "<", end),
  ]);
}

/**
 * When a done action (ca) was done: when its work was handed in for the last time, that is the
 * first "awaiting confirmation" or "done" update after its last update with another status (so an
 * action the supplier marked done and the buyer confirmed later counts from the supplier's day);
 * its last change when it has no updates.
 */
function doneAt() {
  const eb = expressionBuilder<Database & { ca: ConversationActionTable }, "ca">();
  return eb.fn.coalesce(handedInAt(), eb.ref("ca.updated_at"));
}

/**
 * The contract-based KPIs of one period, in one pass over the contracts considered:
 *
 * - contracts_risk_assessed: risk-assessed by the period's end / contracts considered.
 * - contracts_risk_assessed_value: the same by annual value, in whole pounds.
 * - priority_contracts: priority contracts / contracts risk-assessed by the period's end.
 * - priority_suppliers_invited: priority contracts with an invitation from the department to the
 *   contract's supplier created before the period's end and not cancelled before it (an expired
 *   invitation still counts: the supplier was invited) / priority contracts.
 * - priority_suppliers_submitted: priority contracts with a submission made before the period's
 *   end, either of the assessment the supplier linked to one of the contract's invitations, or of
 *   any assessment of the contract's supplier organisation now shared with the department /
 *   priority contracts.
 * - priority_suppliers_completed: priority contracts with such a submission whose assessment is
 *   completed, and was completed before the period's end: when its last recommendation response
 *   was first recorded, or when it was submitted if it had no recommendations / priority contracts.
 */
async function contractFigures(db: Db, departmentId: string, period: Period, filters: StatisticsFilters, settings: DepartmentSettings) {
  const { first, afterLast } = periodDates(period);
  const end = period.end;

  // Not correlated, so the department's invitations are read once (and SQLite looks them up by contract).
  const invited = (eb: ExpressionBuilder<Database, "contract">) =>
    eb(
      "contract.id",
      "in",
      eb
        .selectFrom("supplier_invitation as si")
        .select("si.contract_id")
        .where("si.organisation_id", "=", departmentId)
        .where("si.created_at", "<", end)
        .where((w) => w.or([w("si.cancelled_at", "is", null), w("si.cancelled_at", ">=", end)])),
    );

  // The contract's submissions made before the end: by invitation, or shared by its supplier.
  const submitted = (eb: ExpressionBuilder<Database, "contract">, completed: boolean) => {
    const byInvitation = eb
      .selectFrom("supplier_invitation as si")
      .innerJoin("submission as s", "s.assessment_id", "si.assessment_id")
      .select(one.as("one"))
      .whereRef("si.contract_id", "=", "contract.id")
      .where("si.organisation_id", "=", departmentId)
      .where("s.created_at", "<", end);
    const bySupplier = eb
      .selectFrom("submission as s")
      .select(one.as("one"))
      .whereRef("s.organisation_id", "=", "contract.supplier_organisation_id")
      .where("s.created_at", "<", end)
      .where((w) =>
        w.exists(
          w
            .selectFrom("assessment_share as sh")
            .select(one.as("one"))
            .whereRef("sh.assessment_id", "=", "s.assessment_id")
            .where("sh.buyer_organisation_id", "=", departmentId)
            .where("sh.revoked_at", "is", null),
        ),
      );
    if (!completed) return eb.or([eb.exists(byInvitation), eb.exists(bySupplier)]);
    return eb.or([eb.exists(byInvitation.where(completedBefore(end))), eb.exists(bySupplier.where(completedBefore(end)))]);
  };

  let q = db
    .selectFrom("contract")
    .where("contract.organisation_id", "=", departmentId)
    .where("contract.start_date", "<", afterLast)
    .where("contract.end_date", ">=", first);
  if (filters.category) q = q.where("contract.category", "=", filters.category);
  if (filters.tier) q = q.where((eb) => inTier(eb, filters.tier!, settings));
  if (filters.priorityOnly) q = q.where("contract.risk_assessed_at", "is not", null).where("contract.risk_count", ">=", settings.priorityThreshold);

  const row = await q
    .select((eb) => {
      const assessed = eb("contract.risk_assessed_at", "<", end);
      const priority = eb.and([assessed, eb("contract.risk_count", ">=", settings.priorityThreshold)]);
      // Nested cases, so the look-ups run only for priority contracts.
      const ifPriority = (test: ReturnType<typeof eb.exists> | ReturnType<typeof eb.or>) =>
        eb.fn.sum<number | string | null>(eb.case().when(priority).then(eb.case().when(test).then(eb.lit(1)).else(eb.lit(0)).end()).else(eb.lit(0)).end());
      return [
        eb.fn.countAll<number | string>().as("contracts"),
        eb.fn.sum<number | string | null>(eb.case().when(assessed).then(eb.lit(1)).else(eb.lit(0)).end()).as("assessed"),
        eb.fn.sum<number | string | null>("contract.annual_value_pence").as("pence"),
        eb.fn.sum<number | string | null>(eb.case().when(assessed).then(eb.ref("contract.annual_value_pence")).else(eb.lit(0)).end()).as("assessed_pence"),
        eb.fn.sum<number | string | null>(eb.case().when(priority).then(eb.lit(1)).else(eb.lit(0)).end()).as("priority"),
        ifPriority(invited(eb)).as("invited"),
        ifPriority(submitted(eb, false)).as("submitted"),
        ifPriority(submitted(eb, true)).as("completed"),
      ];
    })
    .executeTakeFirstOrThrow();
  const assessed = count(row.assessed);
  const priority = count(row.priority);
  return {
    contracts_risk_assessed: { numerator: assessed, denominator: count(row.contracts) },
    contracts_risk_assessed_value: { numerator: wholePounds(row.assessed_pence), denominator: wholePounds(row.pence) },
    priority_contracts: { numerator: priority, denominator: assessed },
    priority_suppliers_invited: { numerator: count(row.invited), denominator: priority },
    priority_suppliers_submitted: { numerator: count(row.submitted), denominator: priority },
    priority_suppliers_completed: { numerator: count(row.completed), denominator: priority },
  };
}

// ---- follow-up ----------------------------------------------------------------------------------

/** The supplier organisations holding a matching contract: the same restriction as the findings'. */
const filteredSuppliers = suppliersHolding;

type Bucketed<T> = { current: T; previous: T };

/** 1 for an instant in the period, 0 for one in the period before (the only other rows fetched). */
const bucket = (column: string, period: Period) => sql<number>`case when ${sql.ref(column)} >= ${period.start} then 1 else 0 end`;

function byBucket<R extends { bucket: number | string }, T>(rows: R[], read: (row: R | undefined) => T): Bucketed<T> {
  return { current: read(rows.find((r) => Number(r.bucket) === 1)), previous: read(rows.find((r) => Number(r.bucket) === 0)) };
}

/**
 * follow_up_held: of the suppliers counted in the period's statistics (each by its latest
 * submission in the period among those shared with the department now) whose result called for
 * follow-up when submitted (a red flag or the highest-risk band: callsForFollowUp in
 * app/domain/follow-up.ts, the rule the queue reads), those the department has discussed in a
 * finished conversation (finished at any time: a period's figure rises as follow-ups are held) /
 * those suppliers. Kept with who counts
 * (statistics_entry), so the findings' query adds them up too and can hand them over.
 */
async function followUpFigures(db: Db, departmentId: string, period: Period, suppliers: ReturnType<typeof filteredSuppliers>): Promise<Bucketed<Pick<Tally, "follow_up_held">>> {
  const previous = previousPeriod(period);
  let query = db
    .selectFrom("statistics_entry as e")
    .select(["e.period", sql<number>`sum(e.called_for_follow_up)`.as("called"), sql<number>`sum(e.called_for_follow_up * e.followed_up)`.as("followed")])
    .where("e.buyer_organisation_id", "=", departmentId)
    .where("e.period", "in", [period.id, previous.id])
    .groupBy("e.period");
  if (suppliers) query = query.where("e.supplier_organisation_id", "in", suppliers);
  const rows = await query.execute();
  const of = (id: string): FollowUpTally => {
    const r = rows.find((row) => row.period === id);
    return { called: count(r?.called), followed: count(r?.followed) };
  };
  return followUpFromCounted({ current: of(period.id), previous: of(previous.id) });
}

const followUpFromCounted = (counted: Bucketed<FollowUpTally>): Bucketed<Pick<Tally, "follow_up_held">> => ({
  current: { follow_up_held: { numerator: counted.current.followed, denominator: counted.current.called } },
  previous: { follow_up_held: { numerator: counted.previous.followed, denominator: counted.previous.called } },
});

/** The department's conversations finished in the period or the one before, with their submissions. */
function finishedConversations(db: Db, departmentId: string, period: Period, suppliers: ReturnType<typeof filteredSuppliers>) {
  let q = db
    .selectFrom("conversation as cv")
    .innerJoin("submission as s", "s.id", "cv.submission_id")
    .where("cv.organisation_id", "=", departmentId)
    .where("cv.status", "=", "finished")
    .where("cv.finished_at", ">=", previousPeriod(period).start)
    .where("cv.finished_at", "<", period.end);
  if (suppliers) q = q.where("s.organisation_id", "in", suppliers);
  return q;
}

/**
 * Agreed actions, of the department's conversations finished in the period:
 * - actions_closed: actions done now (confirmed by the department; one awaiting its confirmation
 *   is not closed yet) / actions not cancelled.
 * - actions_closed_on_time: actions done on or before their due date / actions done. The day an
 *   action was done is the UK date its work was last handed in: the first "awaiting confirmation"
 *   or "done" update after its last update with another status, so a supplier that marked it done
 *   on time is on time however late the department confirms it (its last change when it has no
 *   updates).
 *
 * The UK date of an instant is the UTC date, or the day after it from 23:00 UTC in summer time, so
 * the database settles every action except those done between 23:00 and midnight UTC on their due
 * date; those few are decided here, by the UK clock.
 */
async function actionFigures(db: Db, departmentId: string, period: Period, suppliers: ReturnType<typeof filteredSuppliers>) {
  const actions = finishedConversations(db, departmentId, period, suppliers)
    .innerJoin("conversation_action as ca", "ca.conversation_id", "cv.id")
    .where("ca.organisation_id", "=", departmentId)
    .where("ca.status", "<>", "cancelled")
    .select((eb) => [bucket("cv.finished_at", period).as("bucket"), "ca.status", "ca.due_on", eb.case().when("ca.status", "=", "done").then(doneAt()).else(null).end().as("done_at")]);
  // 23:00 UTC on the due date: anything done before it was done on or before the due date in the UK.
  const lastSafeInstant = sql<string>`(${sql.ref("x.due_on")} || 'T23:00:00.000Z')`;
  const [totals, edge] = await Promise.all([
    db
      .selectFrom(actions.as("x"))
      .select((eb) => [
        "x.bucket",
        eb.fn.countAll<number | string>().as("agreed"),
        eb.fn.sum<number | string | null>(eb.case().when("x.status", "=", "done").then(eb.lit(1)).else(eb.lit(0)).end()).as("done"),
        eb.fn.sum<number | string | null>(eb.case().when(eb.and([eb("x.status", "=", "done"), eb("x.done_at", "<", lastSafeInstant)])).then(eb.lit(1)).else(eb.lit(0)).end()).as("on_time"),
      ])
      .groupBy("x.bucket")
      .execute(),
    db
      .selectFrom(actions.as("x"))
      .select(["x.bucket", "x.due_on", "x.done_at"])
      .where("x.status", "=", "done")
      .where("x.done_at", ">=", lastSafeInstant)
      .where((eb) => eb(eb.fn("substr", ["x.done_at", sql.lit(1), sql.lit(10)]), "=", eb.ref("x.due_on")))
      .execute(),
  ]);
  const edgeOnTime = (b: number) => edge.filter((r) => Number(r.bucket) === b && r.done_at !== null && doneOnTime(r.done_at, r.due_on)).length;
  const figures = byBucket(totals, (r) => ({
    actions_closed: { numerator: count(r?.done), denominator: count(r?.agreed) },
    actions_closed_on_time: { numerator: count(r?.on_time), denominator: count(r?.done) },
  }));
  figures.current.actions_closed_on_time.numerator += edgeOnTime(1);
  figures.previous.actions_closed_on_time.numerator += edgeOnTime(0);
  return figures;
}

/**
 * answers_verified: answers in the department's conversations finished in the period that it
 * recorded as evidence seen or verified / the answers of those conversations' submissions (every
 * answered question of each conversation, so an assessment discussed twice counts twice).
 */
async function answerFigures(db: Db, departmentId: string, period: Period, suppliers: ReturnType<typeof filteredSuppliers>) {
  // Counting a JSON object's keys is the one thing the two databases spell differently.
  const answered =
    db.getExecutor().adapter instanceof PostgresAdapter
      ? sql<number | string>`(select count(*) from json_object_keys(${sql.ref("s.answers")}::json))`
      : sql<number | string>`(select count(*) from json_each(${sql.ref("s.answers")}))`;
  const conversations = finishedConversations(db, departmentId, period, suppliers).select((eb) => [
    bucket("cv.finished_at", period).as("bucket"),
    answered.as("answered"),
    eb
      .selectFrom("answer_verification as av")
      .select((v) => v.fn.countAll<number | string>().as("n"))
      .whereRef("av.conversation_id", "=", "cv.id")
      .where("av.level", "in", ["evidence_seen", "verified"])
      .as("verified"),
  ]);
  const rows = await db
    .selectFrom(conversations.as("x"))
    .select((eb) => ["x.bucket", eb.fn.sum<number | string | null>("x.answered").as("answered"), eb.fn.sum<number | string | null>("x.verified").as("verified")])
    .groupBy("x.bucket")
    .execute();
  return byBucket(rows, (r) => ({ answers_verified: { numerator: count(r?.verified), denominator: count(r?.answered) } }));
}

// ---- the figures ----------------------------------------------------------------------------------

function figures(period: Period, tally: Tally, goals: Goals): ProgrammeFigures {
  return { period, kpis: PROGRAMME_KPI_IDS.map((id) => programmeKpi(id, tally[id].numerator, tally[id].denominator, goals)) };
}

/** The programme KPIs of the query's period and the one before it, each against the department's goal. */
export async function programmeKpis(
  db: Db,
  departmentId: string,
  q: StatisticsQuery,
  settings?: DepartmentSettings,
  /** The follow-up tallies of the findings for the same query, when already added up. */
  counted?: Bucketed<FollowUpTally>,
): Promise<{ current: ProgrammeFigures; previous: ProgrammeFigures }> {
  const s = settings ?? (await tierThresholds(departmentId));
  const previous = previousPeriod(q.period);
  const suppliers = filteredSuppliers(db, departmentId, q.filters, s);
  const [goals, contractsNow, contractsBefore, followUps, actions, answers] = await Promise.all([
    readGoals(db, departmentId),
    contractFigures(db, departmentId, q.period, q.filters, s),
    contractFigures(db, departmentId, previous, q.filters, s),
    counted ? followUpFromCounted(counted) : followUpFigures(db, departmentId, q.period, suppliers),
    actionFigures(db, departmentId, q.period, suppliers),
    answerFigures(db, departmentId, q.period, suppliers),
  ]);
  return {
    current: figures(q.period, { ...contractsNow, ...followUps.current, ...actions.current, ...answers.current }, goals),
    previous: figures(previous, { ...contractsBefore, ...followUps.previous, ...actions.previous, ...answers.previous }, goals),
  };
}

// ---- goals ----------------------------------------------------------------------------------------

/** The department's goals: its own where it saved them, else the defaults. */
export async function readGoals(db: Db, departmentId: string): Promise<Goals> {
  const row = await db.selectFrom("department_settings").select("kpi_goals").where("organisation_id", "=", departmentId).executeTakeFirst();
  return goalsFrom(row?.kpi_goals ?? null);
}

/** The goals page: the department's goals and whether the user may change them (administrators do; analysts read). */
export async function goalsPage(user: CurrentUser) {
  requireBuyer(user, ["admin", "analyst"], "Only an administrator or an analyst can see the department's goals.");
  const db = await getDb();
  const row = await db.selectFrom("department_settings").select("kpi_goals").where("organisation_id", "=", user.organisationId).executeTakeFirst();
  return { goals: goalsFrom(row?.kpi_goals ?? null), saved: (row?.kpi_goals ?? null) !== null, canEdit: user.role === "admin" };
}

/**
 * Save every goal (administrators only): blank for no goal, else a whole number from 0 to 100. All
 * are stored, so a goal left at its default stays as saved if the default changes. The settings row
 * is created with the default thresholds if the department has none; each goal that changes is audited.
 */
export async function saveGoals(user: CurrentUser, input: GoalsInput, now = new Date()): Promise<{ ok: true; goals: Goals } | { ok: false; errors: GoalsErrors }> {
  requireBuyer(user, ["admin"], "Only an administrator can change the department's goals.");
  const checked = checkGoals(input);
  if (!checked.ok) return checked;
  const json = JSON.stringify(checked.goals);
  const goals = goalsFrom(json);
  const at = now.toISOString();
  const db = await getDb();
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("department_settings").select("kpi_goals").where("organisation_id", "=", user.organisationId).executeTakeFirst();
    const old = goalsFrom(row?.kpi_goals ?? null);
    await trx
      .insertInto("department_settings")
      .values({
        organisation_id: user.organisationId,
        gold_above_pence: DEFAULT_TIER_THRESHOLDS.goldAbovePence,
        bronze_below_pence: DEFAULT_TIER_THRESHOLDS.bronzeBelowPence,
        priority_threshold: DEFAULT_PRIORITY_THRESHOLD,
        kpi_goals: json,
        updated_at: at,
      })
      .onConflict((oc) => oc.column("organisation_id").doUpdateSet({ kpi_goals: json, updated_at: at }))
      .execute();
    const text = (goal: number | undefined) => (goal === undefined ? null : String(goal));
    await audit(
      trx,
      PROGRAMME_KPI_IDS.filter((id) => old[id] !== goals[id]).map((id) => ({
        organisationId: user.organisationId,
        userId: user.id,
        entity: "department_settings",
        entityId: user.organisationId,
        action: "goal_changed",
        field: `kpi_goals.${id}`,
        oldValue: text(old[id]),
        newValue: text(goals[id]),
        at: now,
      })),
    );
  });
  return { ok: true, goals };
}
