/**
 * A buyer's contract register: importing it from CSV or XLSX (all or nothing), adding and editing
 * one contract, reading it a page at a time (sorted and filtered, with a summary of how much of it
 * is risk-assessed), one contract in full, the department's thresholds, and exporting it. Every
 * function is scoped to the acting user's organisation.
 */
import writeExcelFile, { type Cell, type SheetData } from "write-excel-file/node";
import { type ExpressionBuilder, PostgresAdapter, sql } from "kysely";
import { newId } from "../../db/ids";
import type { Db } from "../../db/index";
import type { Database } from "../../db/schema";
import {
  type ContractFields,
  type ContractInput,
  type ContractErrors,
  type Tier,
  DEFAULT_TIER_THRESHOLDS,
  TIERS,
  type TierThresholds,
  checkContract,
  neutraliseForExport,
  parseMoney,
  poundsText,
  tierFor,
  ukDate,
  formatMoney,
} from "../domain/contracts";
import {
  ASSESSMENT_VALUE_THRESHOLD_PENCE,
  type Coverage,
  DEFAULT_PRIORITY_THRESHOLD,
  type IndicatorRecord,
  MAX_PRIORITY_THRESHOLD,
  MIN_PRIORITY_THRESHOLD,
  RISK_CHARACTERISTICS,
  RISK_FILTERS,
  type RiskFilter,
  coverageOf,
  needsAssessmentByValue,
} from "../domain/prioritisation";
import { MAX_REGISTER_BYTES, REGISTER_COLUMNS, type RegisterImport, parseRegisterCsv, parseRegisterXlsx } from "../domain/register-import";
import { INVITATION_STATUSES, type InvitationStatus, invitationStatus } from "../domain/supplier-invitations";
import { hasControlChars, isId } from "../domain/text";
import { audit } from "./audit.server";
import type { CurrentUser } from "./auth.server";
import { getDb } from "./db.server";
import { httpError } from "./errors.server";
import { isCountryCode } from "./countries.server";
import { linkRegisterToSuppliers } from "./supplier-links.server";

export function requireBuyer(user: CurrentUser, roles?: string[], refusal = "Only an administrator can change the contract register.") {
  if (user.organisationKind !== "buyer") httpError(403, "Only a buying organisation keeps a contract register.");
  if (roles && !roles.includes(user.role)) httpError(403, refusal);
}

export type DepartmentSettings = TierThresholds & { priorityThreshold: number };

export async function tierThresholds(organisationId: string): Promise<DepartmentSettings> {
  const db = await getDb();
  const row = await db.selectFrom("department_settings").selectAll().where("organisation_id", "=", organisationId).executeTakeFirst();
  if (!row) return { ...DEFAULT_TIER_THRESHOLDS, priorityThreshold: DEFAULT_PRIORITY_THRESHOLD };
  return { goldAbovePence: Number(row.gold_above_pence), bronzeBelowPence: Number(row.bronze_below_pence), priorityThreshold: row.priority_threshold };
}

/** Parse an uploaded register by its content: an XLSX workbook is a zip ("PK"), anything else is read as CSV. */
export async function parseRegisterFile(bytes: Buffer): Promise<RegisterImport> {
  if (bytes.length > MAX_REGISTER_BYTES) {
    return { ok: false, problems: [{ row: 0, column: "", message: `The file is larger than ${MAX_REGISTER_BYTES / 1024 / 1024} MB: split the register into smaller files` }] };
  }
  if (bytes.length >= 2 && bytes[0] === 0x50 && bytes[1] === 0x4b) return parseRegisterXlsx(bytes);
  const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
  return parseRegisterCsv(text);
}

/** A contract's columns from its checked fields (without the id, organisation and times). */
function contractValues(row: ContractFields) {
  return {
    reference: row.reference,
    title: row.title,
    supplier_name: row.supplierName,
    supplier_company_number: row.supplierCompanyNumber,
    supplier_country: row.supplierCountry,
    category: row.category,
    annual_value_pence: row.annualValuePence,
    total_value_pence: row.totalValuePence,
    start_date: row.startDate,
    end_date: row.endDate,
    contract_manager_email: row.contractManagerEmail,
    tier_override: row.tierOverride?.tier ?? null,
    tier_override_reason: row.tierOverride?.reason ?? null,
  };
}

/**
 * Import a register: rows whose reference is already in the register update it, the others are
 * added. One transaction: a problem anywhere and nothing changes. Contracts then link to the
 * supplier organisations in Lantern by company number; a contract whose company number changed
 * loses its old link first.
 */
export async function importRegister(user: CurrentUser, bytes: Buffer, now = new Date()) {
  requireBuyer(user, ["admin"]);
  const parsed = await parseRegisterFile(bytes);
  if (!parsed.ok) return parsed;
  const db = await getDb();
  const at = now.toISOString();
  let added = 0;
  let updated = 0;
  await db.transaction().execute(async (trx) => {
    const existing = new Map(
      (await trx.selectFrom("contract").select(["id", "reference", "supplier_company_number"]).where("organisation_id", "=", user.organisationId).execute()).map((r) => [r.reference.toLowerCase(), r]),
    );
    const inserts = [];
    for (const row of parsed.rows) {
      const { reference: _reference, ...values } = contractValues(row);
      const found = existing.get(row.reference.toLowerCase());
      if (found) {
        const relink = found.supplier_company_number !== row.supplierCompanyNumber ? { supplier_organisation_id: null } : {};
        await trx.updateTable("contract").set({ ...values, ...relink, updated_at: at }).where("id", "=", found.id).execute();
        updated++;
      } else {
        inserts.push({ id: newId(), organisation_id: user.organisationId, reference: row.reference, created_at: at, updated_at: at, ...values });
      }
    }
    for (let i = 0; i < inserts.length; i += 500) await trx.insertInto("contract").values(inserts.slice(i, i + 500)).execute();
    added = inserts.length;
    await linkRegisterToSuppliers(trx, user.organisationId);
    await audit(trx, [{ organisationId: user.organisationId, userId: user.id, entity: "contract_register", entityId: user.organisationId, action: "imported", newValue: JSON.stringify({ added, updated }), at: now }]);
  });
  // After a large load, refresh PostgreSQL's statistics now rather than when autovacuum gets to
  // it, so the register's queries are planned for the rows that are there (SQLite has no need).
  if (added + updated >= 1000 && db.getExecutor().adapter instanceof PostgresAdapter) await sql`analyze contract`.execute(db);
  return { ok: true as const, added, updated };
}

export const PAGE_SIZE = 50;

export const SORTS = { reference: "reference", title: "title", supplier: "supplier_name", value: "annual_value_pence", end: "end_date" } as const;

/** The state of a contract's latest supplier invitation, or none yet. */
export const STATUS_FILTERS = ["not_invited", ...INVITATION_STATUSES] as const;
export type StatusFilter = (typeof STATUS_FILTERS)[number];

export type ContractFilters = { tier?: Tier; category?: string; manager?: string; search?: string; risk?: RiskFilter; status?: StatusFilter };
export type ContractQuery = ContractFilters & { sort: keyof typeof SORTS; direction: "asc" | "desc"; page: number };

/** The register's query string, checked: anything unknown falls back to the default, never an error. */
export function readContractQuery(params: URLSearchParams): ContractQuery {
  const sort = (params.get("sort") ?? "") in SORTS ? (params.get("sort") as keyof typeof SORTS) : "value";
  const direction = params.get("direction") === "asc" ? "asc" : params.get("direction") === "desc" ? "desc" : sort === "value" ? "desc" : "asc";
  const oneOf = <T extends string>(name: string, values: ReadonlyArray<T>): T | undefined => (values.includes(params.get(name) as T) ? (params.get(name) as T) : undefined);
  const page = Math.min(Math.max(1, Number.parseInt(params.get("page") ?? "1", 10) || 1), 100_000);
  const text = (name: string) => {
    const value = (params.get(name) ?? "").trim().slice(0, 200);
    return value && !hasControlChars(value) ? value : undefined;
  };
  return {
    sort,
    direction,
    tier: oneOf("tier", TIERS),
    category: text("category"),
    manager: text("manager"),
    search: text("q"),
    risk: oneOf("risk", RISK_FILTERS),
    status: oneOf("status", STATUS_FILTERS),
    page,
  };
}

/** A query as URL parameters, leaving out what is not set: for links that keep the filters. */
export function contractQueryParams(query: Partial<ContractQuery>): URLSearchParams {
  const entries: Record<string, string | number | undefined> = {
    q: query.search,
    tier: query.tier,
    category: query.category,
    manager: query.manager,
    risk: query.risk,
    status: query.status,
    sort: query.sort,
    direction: query.direction,
    page: query.page,
  };
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(entries)) if (v !== undefined && v !== "") params.set(k, String(v));
  return params;
}

/**
 * The ids of the organisation's contracts whose latest invitation (latest by created_at, then id)
 * is in this state: invitationStatus() in SQL, so the register can filter and page on it. Driven
 * from the invitations, which are few beside the contracts.
 */
function contractsWhoseLatestInvitationIs(db: Db, organisationId: string, status: InvitationStatus, now: Date) {
  const at = now.toISOString();
  let latest = db
    .selectFrom("supplier_invitation as si")
    .leftJoin("assessment as a", "a.id", "si.assessment_id")
    .select("si.contract_id")
    .where("si.organisation_id", "=", organisationId)
    .where((e) =>
      e.not(
        e.exists(
          e
            .selectFrom("supplier_invitation as later")
            .select("later.id")
            .whereRef("later.contract_id", "=", "si.contract_id")
            .where((l) => l.or([l("later.created_at", ">", l.ref("si.created_at")), l.and([l("later.created_at", "=", l.ref("si.created_at")), l("later.id", ">", l.ref("si.id"))])])),
        ),
      ),
    );
  if (status === "cancelled") latest = latest.where("si.cancelled_at", "is not", null);
  else {
    latest = latest.where("si.cancelled_at", "is", null);
    if (status === "completed") latest = latest.where("a.status", "=", "completed");
    else if (status === "submitted") latest = latest.where("a.status", "=", "submitted");
    else if (status === "in_progress") latest = latest.where("a.status", "=", "draft");
    else {
      latest = latest.where("a.id", "is", null);
      if (status === "registered") latest = latest.where("si.accepted_at", "is not", null);
      else {
        latest = latest.where("si.accepted_at", "is", null);
        latest = status === "expired" ? latest.where("si.expires_at", "<=", at) : latest.where("si.expires_at", ">", at);
      }
    }
  }
  return latest;
}

/** A contract is in a tier: by its override where there is one, else by its value against the thresholds. */
export function inTier(eb: ExpressionBuilder<Database, "contract">, tier: Tier, settings: TierThresholds) {
  const { goldAbovePence: gold, bronzeBelowPence: bronze } = settings;
  return eb.or([
    eb("contract.tier_override", "=", tier),
    eb.and([
      eb("contract.tier_override", "is", null),
      tier === "gold"
        ? eb("contract.annual_value_pence", ">", gold)
        : tier === "bronze"
          ? eb("contract.annual_value_pence", "<", bronze)
          : eb.and([eb("contract.annual_value_pence", ">=", bronze), eb("contract.annual_value_pence", "<=", gold)]),
    ]),
  ]);
}

/** The register filtered: the query every list, count and export starts from. */
async function filteredContracts(user: CurrentUser, filters: ContractFilters, settings: DepartmentSettings, now: Date) {
  const db = await getDb();
  const status = filters.status;
  const all = db.selectFrom("contract");
  // Joined to the (few) contracts whose latest invitation is in the state, so the database looks
  // those up rather than testing every contract; the join adds no column that is read.
  const from =
    status && status !== "not_invited"
      ? (all.innerJoin(contractsWhoseLatestInvitationIs(db, user.organisationId, status, now).as("latest"), (join) => join.onRef("latest.contract_id", "=", "contract.id")) as unknown as typeof all)
      : all;
  let base = from.where("contract.organisation_id", "=", user.organisationId);
  if (filters.category) base = base.where("category", "=", filters.category);
  if (filters.manager) base = base.where("contract_manager_email", "=", filters.manager);
  if (filters.search) {
    const like = `%${filters.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    base = base.where((eb) => eb.or([eb("reference", "like", like), eb("title", "like", like), eb("supplier_name", "like", like)]));
  }
  if (filters.tier) base = base.where((eb) => inTier(eb, filters.tier!, settings));
  switch (filters.risk) {
    case "not_assessed":
      base = base.where("risk_assessed_at", "is", null);
      break;
    case "priority":
      base = base.where("risk_assessed_at", "is not", null).where("risk_count", ">=", settings.priorityThreshold);
      break;
    case "not_priority":
      base = base.where("risk_assessed_at", "is not", null).where("risk_count", "<", settings.priorityThreshold);
      break;
    case "over_1m_not_assessed":
      base = base.where("risk_assessed_at", "is", null).where("annual_value_pence", ">", ASSESSMENT_VALUE_THRESHOLD_PENCE);
      break;
  }
  if (status === "not_invited") {
    // contract_id is never null, so NOT IN is safe here.
    base = base.where("contract.id", "not in", (eb) => eb.selectFrom("supplier_invitation as si").select("si.contract_id").where("si.organisation_id", "=", user.organisationId));
  }
  return base;
}

/** The state of each contract's latest invitation; contracts never invited are left out. */
async function latestInvitationStatuses(contractIds: string[], now: Date): Promise<Map<string, InvitationStatus>> {
  const statuses = new Map<string, InvitationStatus>();
  if (contractIds.length === 0) return statuses;
  const db = await getDb();
  const rows = await db
    .selectFrom("supplier_invitation as si")
    .leftJoin("assessment as a", "a.id", "si.assessment_id")
    .select(["si.contract_id", "si.expires_at", "si.accepted_at", "si.cancelled_at", "a.status"])
    .where("si.contract_id", "in", contractIds)
    .orderBy("si.created_at")
    .orderBy("si.id")
    .execute();
  // In order, so the latest invitation of each contract is written last.
  for (const r of rows) statuses.set(r.contract_id, invitationStatus({ expires_at: r.expires_at, accepted_at: r.accepted_at, cancelled_at: r.cancelled_at, assessmentStatus: r.status ?? null }, now));
  return statuses;
}

export type RegisterSummary = Coverage & { priority: number; overThresholdNotAssessed: number };

/**
 * The register as a whole in one pass of the database: how much of it is risk-assessed, by count
 * and by annual value, how many are priority or over £1m and not assessed, and the contract
 * managers the filter offers. Grouped by contract manager, then added up here.
 */
async function registerOverview(user: CurrentUser, settings: DepartmentSettings) {
  const db = await getDb();
  const groups = await db
    .selectFrom("contract")
    .where("organisation_id", "=", user.organisationId)
    .select((eb) => [
      "contract_manager_email",
      eb.fn.countAll<number | string>().as("total"),
      eb.fn.count<number | string>("risk_assessed_at").as("assessed"),
      eb.fn.sum<number | string | null>("annual_value_pence").as("total_pence"),
      eb.fn.sum<number | string | null>(eb.case().when("risk_assessed_at", "is not", null).then(eb.ref("annual_value_pence")).else(eb.lit(0)).end()).as("assessed_pence"),
      eb.fn.count<number | string>(eb.case().when("risk_count", ">=", settings.priorityThreshold).then(eb.lit(1)).end()).as("priority"),
      eb.fn
        .count<number | string>(eb.case().when(eb.and([eb("risk_assessed_at", "is", null), eb("annual_value_pence", ">", ASSESSMENT_VALUE_THRESHOLD_PENCE)])).then(eb.lit(1)).end())
        .as("over_not_assessed"),
    ])
    .groupBy("contract_manager_email")
    .execute();
  // PostgreSQL sums bigints as numeric (text); SQLite as an integer.
  const whole = (v: number | string | null) => BigInt(v === null ? 0 : typeof v === "number" ? Math.round(v) : String(v).replace(/\.0*$/, ""));
  let total = 0;
  let assessed = 0;
  let totalPence = 0n;
  let assessedPence = 0n;
  let priority = 0;
  let overThresholdNotAssessed = 0;
  for (const g of groups) {
    total += Number(g.total);
    assessed += Number(g.assessed);
    totalPence += whole(g.total_pence);
    assessedPence += whole(g.assessed_pence);
    priority += Number(g.priority);
    overThresholdNotAssessed += Number(g.over_not_assessed);
  }
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const summary: RegisterSummary = { ...coverageOf({ assessed, total, assessedPence, totalPence }), priority, overThresholdNotAssessed };
  return {
    summary,
    managers: groups.flatMap((g) => (g.contract_manager_email === null ? [] : [g.contract_manager_email])).sort(byName),
  };
}

/** How much of the whole register is risk-assessed, by count and by annual value; added up in the database. */
export async function registerSummary(user: CurrentUser, settings?: DepartmentSettings): Promise<RegisterSummary> {
  requireBuyer(user);
  return (await registerOverview(user, settings ?? (await tierThresholds(user.organisationId)))).summary;
}

type ContractRowFromDb = {
  id: string;
  reference: string;
  title: string;
  supplier_name: string;
  supplier_company_number: string | null;
  category: string;
  annual_value_pence: number | string;
  total_value_pence: number | string;
  start_date: string;
  end_date: string;
  contract_manager_email: string | null;
  tier_override: Tier | null;
  tier_override_reason: string | null;
  risk_count: number | null;
  risk_assessed_at: string | null;
};

function tierOf(r: Pick<ContractRowFromDb, "annual_value_pence" | "tier_override" | "tier_override_reason">, settings: DepartmentSettings) {
  return tierFor(Number(r.annual_value_pence), settings, r.tier_override ? { tier: r.tier_override, reason: r.tier_override_reason ?? "" } : null);
}

/** One page of the register, with each contract's tier and priority under the department's settings. */
export async function listContracts(user: CurrentUser, query: ContractQuery, now = new Date()) {
  requireBuyer(user);
  const db = await getDb();
  const settings = await tierThresholds(user.organisationId);
  const base = await filteredContracts(user, query, settings, now);
  const [{ count }, rows, categories, overview] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as("count")).executeTakeFirstOrThrow(),
    base
      .selectAll("contract")
      .orderBy(SORTS[query.sort], query.direction)
      .orderBy("reference", "asc")
      .limit(PAGE_SIZE)
      .offset((query.page - 1) * PAGE_SIZE)
      .execute(),
    db.selectFrom("contract").select("category").distinct().where("organisation_id", "=", user.organisationId).orderBy("category").execute(),
    registerOverview(user, settings),
  ]);
  const statuses = await latestInvitationStatuses(
    rows.map((r) => r.id),
    now,
  );
  return {
    total: Number(count),
    pages: Math.max(1, Math.ceil(Number(count) / PAGE_SIZE)),
    categories: categories.map((c) => c.category),
    managers: overview.managers,
    summary: overview.summary,
    priorityThreshold: settings.priorityThreshold,
    contracts: rows.map((r) => {
      const annual = Number(r.annual_value_pence);
      return {
        id: r.id,
        reference: r.reference,
        title: r.title,
        supplierName: r.supplier_name,
        supplierCompanyNumber: r.supplier_company_number,
        category: r.category,
        annualValuePence: annual,
        totalValuePence: Number(r.total_value_pence),
        startDate: r.start_date,
        endDate: r.end_date,
        contractManager: r.contract_manager_email,
        tier: tierOf(r, settings).tier,
        overridden: r.tier_override !== null,
        riskAssessed: r.risk_assessed_at !== null,
        riskCount: r.risk_assessed_at !== null ? r.risk_count : null,
        priority: r.risk_assessed_at !== null && (r.risk_count ?? 0) >= settings.priorityThreshold,
        needsAssessment: r.risk_assessed_at === null && needsAssessmentByValue(annual),
        invitationStatus: statuses.get(r.id) ?? null,
      };
    }),
  };
}

// ---- one contract -----------------------------------------------------------------------------

/** A contract of the user's own organisation, or 404 (another organisation's looks the same as none). */
export async function ownContract(user: CurrentUser, contractId: string) {
  if (!isId(contractId)) httpError(404, "There is no such contract in your register.");
  const db = await getDb();
  const row = await db.selectFrom("contract").selectAll().where("id", "=", contractId).where("organisation_id", "=", user.organisationId).executeTakeFirst();
  if (!row) httpError(404, "There is no such contract in your register.");
  return row;
}

function fieldsOf(row: { reference: string; title: string; supplier_name: string; supplier_company_number: string | null; supplier_country: string; category: string; annual_value_pence: number | string; total_value_pence: number | string; start_date: string; end_date: string; contract_manager_email: string | null; tier_override: Tier | null; tier_override_reason: string | null }): ContractFields {
  return {
    reference: row.reference,
    title: row.title,
    supplierName: row.supplier_name,
    supplierCompanyNumber: row.supplier_company_number,
    supplierCountry: row.supplier_country,
    category: row.category,
    annualValuePence: Number(row.annual_value_pence),
    totalValuePence: Number(row.total_value_pence),
    startDate: row.start_date,
    endDate: row.end_date,
    contractManagerEmail: row.contract_manager_email,
    tierOverride: row.tier_override ? { tier: row.tier_override, reason: row.tier_override_reason ?? "" } : null,
  };
}

/** A contract's saved indicator records, in the guidance's order; an unreadable value counts as none. */
export function savedIndicators(json: string | null): IndicatorRecord[] | null {
  if (json === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (!Array.isArray(value)) return null;
  const records = value.filter((r): r is IndicatorRecord => typeof r === "object" && r !== null && typeof r.characteristic === "string" && typeof r.present === "boolean" && typeof r.note === "string");
  const order = RISK_CHARACTERISTICS.map((c) => c.id as string);
  return records.sort((a, b) => order.indexOf(a.characteristic) - order.indexOf(b.characteristic));
}

/** One contract of the user's organisation in full, with its tier and risk prioritisation. */
export async function getContract(user: CurrentUser, contractId: string) {
  requireBuyer(user);
  const row = await ownContract(user, contractId);
  const db = await getDb();
  const settings = await tierThresholds(user.organisationId);
  const [supplier, assessor] = await Promise.all([
    row.supplier_organisation_id ? db.selectFrom("organisation").select(["id", "name"]).where("id", "=", row.supplier_organisation_id).executeTakeFirst() : undefined,
    row.risk_assessed_by ? db.selectFrom("user").select("name").where("id", "=", row.risk_assessed_by).executeTakeFirst() : undefined,
  ]);
  const decision = tierOf(row, settings);
  const annual = Number(row.annual_value_pence);
  const records = row.risk_assessed_at ? savedIndicators(row.risk_indicators) : null;
  return {
    id: row.id,
    ...fieldsOf(row),
    supplierOrganisation: supplier ? { id: supplier.id, name: supplier.name } : null,
    tier: decision.tier,
    tierByValue: decision.byValue,
    tierOverrideReason: decision.overrideReason,
    overAssessmentThreshold: needsAssessmentByValue(annual),
    risk: records
      ? {
          records,
          count: row.risk_count ?? 0,
          priority: (row.risk_count ?? 0) >= settings.priorityThreshold,
          threshold: settings.priorityThreshold,
          assessedBy: assessor?.name ?? null,
          assessedAt: row.risk_assessed_at!,
        }
      : null,
    priorityThreshold: settings.priorityThreshold,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** A contract's fields as the edit form shows them (administrators only). */
export async function contractForEditing(user: CurrentUser, contractId: string): Promise<{ id: string; reference: string; fields: ContractFields }> {
  requireBuyer(user, ["admin"]);
  const row = await ownContract(user, contractId);
  return { id: row.id, reference: row.reference, fields: fieldsOf(row) };
}

export type SaveContractOutcome = { ok: true; id: string; changed: number } | { ok: false; errors: ContractErrors };

const isUniqueViolation = (error: unknown) => {
  const code = (error as { code?: string } | null)?.code;
  return code === "23505" || code === "SQLITE_CONSTRAINT_UNIQUE";
};

/**
 * Add a contract (contractId null) or change one, checked by the import's rules; the reference must
 * be unique in the register whatever its case. Every changed field is audited with its old and new
 * value. Afterwards the register links to supplier organisations by company number again.
 */
export async function saveContract(user: CurrentUser, contractId: string | null, input: ContractInput, now = new Date()): Promise<SaveContractOutcome> {
  requireBuyer(user, ["admin"]);
  const existing = contractId === null ? null : await ownContract(user, contractId);
  const checked = checkContract(input, { isCountryCode });
  if (!checked.ok) return checked;
  const values = contractValues(checked.value);
  const db = await getDb();
  const at = now.toISOString();
  const duplicate = () => ({ ok: false as const, errors: { reference: `The reference '${values.reference}' is already used by another contract in your register: give this contract its own reference` } });
  try {
    return await db.transaction().execute(async (trx) => {
      let clash = trx
        .selectFrom("contract")
        .select("id")
        .where("organisation_id", "=", user.organisationId)
        .where((eb) => eb(eb.fn("lower", ["reference"]), "=", values.reference.toLowerCase()));
      if (existing) clash = clash.where("id", "!=", existing.id);
      if (await clash.executeTakeFirst()) return duplicate();
      const base = { organisationId: user.organisationId, userId: user.id, entity: "contract", at: now };
      if (!existing) {
        const id = newId();
        await trx.insertInto("contract").values({ id, organisation_id: user.organisationId, created_at: at, updated_at: at, ...values }).execute();
        await audit(trx, [{ ...base, entityId: id, action: "created", newValue: JSON.stringify(values) }]);
        await linkRegisterToSuppliers(trx, user.organisationId);
        return { ok: true as const, id, changed: Object.keys(values).length };
      }
      const before: Record<string, unknown> = { ...existing, annual_value_pence: Number(existing.annual_value_pence), total_value_pence: Number(existing.total_value_pence) };
      const changes = (Object.keys(values) as Array<keyof typeof values>).filter((k) => (before[k] ?? null) !== (values[k] ?? null));
      if (changes.length === 0) return { ok: true as const, id: existing.id, changed: 0 };
      const relink = changes.includes("supplier_company_number") ? { supplier_organisation_id: null } : {};
      await trx
        .updateTable("contract")
        .set({ ...values, ...relink, updated_at: at })
        .where("id", "=", existing.id)
        .execute();
      const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
      await audit(
        trx,
        changes.map((k) => ({ ...base, entityId: existing.id, action: "updated", field: k, oldValue: text(before[k]), newValue: text(values[k]) })),
      );
      await linkRegisterToSuppliers(trx, user.organisationId);
      return { ok: true as const, id: existing.id, changed: changes.length };
    });
  } catch (error) {
    // Two administrators adding the same reference at once: the database's constraint decides.
    if (isUniqueViolation(error)) return duplicate();
    throw error;
  }
}

// ---- the department's settings ------------------------------------------------------------------

export type SettingsInput = { gold: string; bronze: string; priority: string };
export type SettingsErrors = Partial<Record<keyof SettingsInput, string>>;

/** The department's thresholds as the settings page shows them (administrators only). */
export async function readSettings(user: CurrentUser): Promise<DepartmentSettings & { saved: boolean }> {
  requireBuyer(user, ["admin"], "Only an administrator can change the department's settings.");
  const db = await getDb();
  const row = await db.selectFrom("department_settings").select("organisation_id").where("organisation_id", "=", user.organisationId).executeTakeFirst();
  return { ...(await tierThresholds(user.organisationId)), saved: row !== undefined };
}

/**
 * Save the department's tier thresholds and priority threshold. Money is read strictly; Bronze
 * must be below Gold; the priority threshold is a whole number of indicators from 1 to 7.
 */
export async function saveSettings(user: CurrentUser, input: SettingsInput, now = new Date()): Promise<{ ok: true; settings: DepartmentSettings } | { ok: false; errors: SettingsErrors }> {
  requireBuyer(user, ["admin"], "Only an administrator can change the department's settings.");
  const errors: SettingsErrors = {};
  const money = (key: "gold" | "bronze", label: string, example: string) => {
    if (input[key].trim() === "") {
      errors[key] = `Enter the ${label} threshold in pounds, like ${example}`;
      return null;
    }
    const parsed = parseMoney(input[key]);
    if (!parsed.ok) {
      errors[key] = `${label} threshold: ${parsed.error}`;
      return null;
    }
    return parsed.value;
  };
  const gold = money("gold", "Gold", "40,000,000");
  const bronze = money("bronze", "Bronze", "5,000,000");
  if (gold !== null && bronze !== null && bronze >= gold) {
    errors.bronze = `The Bronze threshold must be lower than the Gold threshold (${formatMoney(gold)}): lower it, or raise the Gold threshold`;
  }
  const priorityText = input.priority.trim();
  const priority = /^\d{1,2}$/.test(priorityText) ? Number(priorityText) : Number.NaN;
  if (priorityText === "") errors.priority = `Enter how many indicators make a contract a priority, from ${MIN_PRIORITY_THRESHOLD} to ${MAX_PRIORITY_THRESHOLD}`;
  else if (!(priority >= MIN_PRIORITY_THRESHOLD && priority <= MAX_PRIORITY_THRESHOLD)) {
    errors.priority = `The priority threshold must be a whole number of indicators from ${MIN_PRIORITY_THRESHOLD} to ${MAX_PRIORITY_THRESHOLD}`;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };

  const settings: DepartmentSettings = { goldAbovePence: gold!, bronzeBelowPence: bronze!, priorityThreshold: priority };
  const db = await getDb();
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("department_settings").selectAll().where("organisation_id", "=", user.organisationId).executeTakeFirst();
    const old = row
      ? { gold_above_pence: Number(row.gold_above_pence), bronze_below_pence: Number(row.bronze_below_pence), priority_threshold: row.priority_threshold }
      : { gold_above_pence: DEFAULT_TIER_THRESHOLDS.goldAbovePence, bronze_below_pence: DEFAULT_TIER_THRESHOLDS.bronzeBelowPence, priority_threshold: DEFAULT_PRIORITY_THRESHOLD };
    const values = { gold_above_pence: settings.goldAbovePence, bronze_below_pence: settings.bronzeBelowPence, priority_threshold: settings.priorityThreshold };
    await trx
      .insertInto("department_settings")
      .values({ organisation_id: user.organisationId, ...values, updated_at: now.toISOString() })
      .onConflict((oc) => oc.column("organisation_id").doUpdateSet({ ...values, updated_at: now.toISOString() }))
      .execute();
    const changed = (Object.keys(values) as Array<keyof typeof values>).filter((k) => !row || old[k] !== values[k]);
    await audit(
      trx,
      changed.map((k) => ({ organisationId: user.organisationId, userId: user.id, entity: "department_settings", entityId: user.organisationId, action: row ? "updated" : "created", field: k, oldValue: row ? String(old[k]) : null, newValue: String(values[k]), at: now })),
    );
  });
  return { ok: true, settings };
}

// ---- export -------------------------------------------------------------------------------------

export const EXPORT_FORMATS = ["csv", "xlsx"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The import's columns, so an export can be imported again, then what Lantern worked out. */
export const EXPORT_COLUMNS = [...REGISTER_COLUMNS.map((c) => c.name), "tier", "risk_indicator_count", "priority", "risk_assessed_at"] as const;

type ExportCell = { kind: "text"; value: string } | { kind: "money"; pence: number } | { kind: "date"; iso: string } | { kind: "count"; value: number } | { kind: "empty" };

function exportRow(r: ContractRowFromDb & { supplier_country: string }, settings: DepartmentSettings): ExportCell[] {
  const text = (value: string | null): ExportCell => (value === null || value === "" ? { kind: "empty" } : { kind: "text", value });
  const assessed = r.risk_assessed_at !== null;
  return [
    text(r.reference),
    text(r.title),
    text(r.supplier_name),
    text(r.supplier_company_number),
    text(r.supplier_country),
    text(r.category),
    { kind: "money", pence: Number(r.annual_value_pence) },
    { kind: "money", pence: Number(r.total_value_pence) },
    { kind: "date", iso: r.start_date },
    { kind: "date", iso: r.end_date },
    text(r.contract_manager_email),
    text(r.tier_override),
    text(r.tier_override_reason),
    text(tierOf(r, settings).tier),
    assessed ? { kind: "count", value: r.risk_count ?? 0 } : { kind: "empty" },
    assessed ? text((r.risk_count ?? 0) >= settings.priorityThreshold ? "yes" : "no") : { kind: "empty" },
    assessed ? { kind: "date", iso: r.risk_assessed_at!.slice(0, 10) } : { kind: "empty" },
  ];
}

/** A CSV field: quoted when it holds a quote, comma, line break or edge spaces. */
function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvCell(cell: ExportCell): string {
  switch (cell.kind) {
    case "text":
      return csvField(neutraliseForExport(cell.value));
    case "money":
      return poundsText(cell.pence);
    case "date":
      return ukDate(cell.iso);
    case "count":
      return String(cell.value);
    case "empty":
      return "";
  }
}

function xlsxCell(cell: ExportCell): Cell {
  switch (cell.kind) {
    case "text":
      return { type: String, value: neutraliseForExport(cell.value) };
    case "money":
      return { type: Number, value: cell.pence / 100, format: "#,##0.00" };
    case "date":
      return { type: Date, value: new Date(`${cell.iso}T00:00:00Z`), format: "dd/mm/yyyy" };
    case "count":
      return { type: Number, value: cell.value };
    case "empty":
      return null;
  }
}

/**
 * Every contract matching the filters (not a page), as CSV or an Excel workbook, in the import's
 * columns plus tier and risk. Every text cell is neutralised so no spreadsheet runs it as a formula.
 */
export async function exportContracts(user: CurrentUser, filters: ContractFilters, format: ExportFormat, now = new Date()) {
  requireBuyer(user);
  const settings = await tierThresholds(user.organisationId);
  const base = await filteredContracts(user, filters, settings, now);
  const rows = await base.selectAll("contract").orderBy("reference").execute();
  const cells = rows.map((r) => exportRow(r, settings));
  const date = now.toISOString().slice(0, 10);
  if (format === "csv") {
    const lines = [EXPORT_COLUMNS.join(","), ...cells.map((row) => row.map(csvCell).join(","))];
    // A byte order mark, so spreadsheets read the £ and accents as UTF-8.
    return { filename: `contracts-${date}.csv`, contentType: "text/csv; charset=utf-8", body: Buffer.from(`\uFEFF${lines.join("\r\n")}\r\n`, "utf8"), count: rows.length };
  }
  const header: Cell[] = EXPORT_COLUMNS.map((name) => ({ type: String, value: name, fontWeight: "bold" }));
  const sheet: SheetData = [header, ...cells.map((row) => row.map(xlsxCell))];
  const body = await writeExcelFile(sheet, { sheet: "Contracts", stickyRowsCount: 1 }).toBuffer();
  return { filename: `contracts-${date}.xlsx`, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body, count: rows.length };
}
