/**
 * Importing submitted assessments in the exchange format (docs/exchange-format.md); exporting them
 * is in exchange-export.server.ts.
 *
 * An import reads the file twice and holds little of it: the first pass checks every line and keeps
 * only what the checks across lines need (each supplier once, each supplier-and-time once, the
 * departments named); the second pass, inside one transaction, scores each line exactly as a
 * submission in the app is scored and writes it in multi-row batches. The file's SHA-256 is taken on
 * both passes, so a file changed in between is refused rather than half trusted.
 */
import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { type Insertable, PostgresAdapter, sql, type Transaction } from "kysely";
import { listImportBans } from "../../db/import-bans";
import { newId } from "../../db/ids";
import type { Db } from "../../db/index";
import { rebuildStatistics } from "../../db/statistics";
import type { AssessmentShareTable, AssessmentTable, Database, OrganisationTable, SubmissionTable, UserTable } from "../../db/schema";
import { ensureSnapshot, submissionRow } from "../../db/submissions";
import { isCountryCode } from "../../questionnaires/countries";
import type { Questionnaire } from "../../questionnaires/format";
import {
  describeSupplier,
  formatSubmittedAt,
  type ExchangeProblem,
  type ExchangeSupplier,
  type LineChecks,
  readLine,
  supplierKey,
} from "../domain/exchange";
import { slugify } from "../domain/organisations";
import { scoreAnswers } from "../domain/scoring";
import { screen } from "../domain/screening";
import { audit, type AuditEntry } from "./audit.server";
import { questionnaireVersion } from "./questionnaires.server";
import { contextFor } from "./risk.server";
import { linkContractsToSupplier } from "./supplier-links.server";

export type ImportOutcome =
  | { ok: true; imported: number; suppliersCreated: number; suppliersMatched: number; sharedWith: string[] }
  | { ok: false; problems: ExchangeProblem[] };

/** Rows per insert statement: well inside SQLite's and PostgreSQL's limits on bound values. */
const BATCH = 250;
/** Values per `in (...)` list when looking things up. */
const LOOKUP = 500;

/** The user imported records are attributed to: one per supplier organisation, never able to sign in. */
export const SYSTEM_USER_NAME = "Imported records";
export const systemUserEmail = (organisationId: string) => `imported@${organisationId}.invalid`;
/** Not a hash verifyPassword understands, so no password ever matches it. */
export const NO_PASSWORD = "!imported-records-cannot-sign-in";

type Line = { line: number; text: string | null };

/**
 * The file's lines, numbered from 1, read in chunks; `text` is null for a line that is not UTF-8.
 * A byte order mark at the start and a carriage return at the end of a line are dropped.
 */
async function* fileLines(path: string, hash: Hash): AsyncGenerator<Line> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const decode = (bytes: Buffer, line: number): Line => {
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === 0x0d) end--;
    try {
      const text = decoder.decode(bytes.subarray(0, end));
      return { line, text: line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
    } catch {
      return { line, text: null };
    }
  };
  let rest: Buffer = Buffer.alloc(0);
  let line = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    const buffer = rest.length > 0 ? Buffer.concat([rest, bytes]) : bytes;
    let start = 0;
    for (let end = buffer.indexOf(0x0a, start); end >= 0; end = buffer.indexOf(0x0a, start)) {
      yield decode(buffer.subarray(start, end), ++line);
      start = end + 1;
    }
    rest = Buffer.from(buffer.subarray(start));
  }
  if (rest.length > 0) yield decode(rest, ++line);
}

const notUtf8 = (line: number): ExchangeProblem => ({
  line,
  questionId: null,
  code: "bad_encoding",
  message: `line ${line}: is not valid UTF-8 text; save the file as UTF-8`,
});

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Problems listed at most: a file that is wrong throughout (every line on the wrong version, say)
 * would otherwise hold millions of them. The rest are counted.
 */
export const MAX_LISTED_PROBLEMS = 100_000;

/** What the first pass keeps: enough to check across lines, not the answers. */
type Survey = {
  problems: ExchangeProblem[];
  /** Problems found beyond MAX_LISTED_PROBLEMS. */
  unlisted: number;
  lines: number;
  /** Each supplier once, by supplierKey, with the first line that named it. */
  suppliers: Map<string, { supplier: ExchangeSupplier; line: number }>;
  /** `${supplierKey}|${submittedAt}` to the first line with it. */
  submissions: Map<string, number>;
  /** Department slug to the lines naming it. */
  departments: Map<string, number[]>;
  questionnaires: Set<Questionnaire>;
  hash: string;
};

function report(s: Survey, problem: ExchangeProblem): void {
  if (s.problems.length < MAX_LISTED_PROBLEMS) s.problems.push(problem);
  else s.unlisted++;
}

async function survey(path: string, checks: LineChecks): Promise<Survey> {
  const hash = createHash("sha256");
  const s: Survey = { problems: [], unlisted: 0, lines: 0, suppliers: new Map(), submissions: new Map(), departments: new Map(), questionnaires: new Set(), hash: "" };
  for await (const { line, text } of fileLines(path, hash)) {
    if (text === null) {
      s.lines++;
      report(s, notUtf8(line));
      continue;
    }
    if (text.trim() === "") continue;
    s.lines++;
    const reading = readLine(text, line, checks);
    for (const p of reading.problems) report(s, p);
    if (reading.qn) s.questionnaires.add(reading.qn);
    for (const slug of reading.sharedWith) {
      const lines = s.departments.get(slug);
      if (lines) lines.push(line);
      else s.departments.set(slug, [line]);
    }
    if (!reading.supplier) continue;
    const key = supplierKey(reading.supplier);
    if (!s.suppliers.has(key)) s.suppliers.set(key, { supplier: reading.supplier, line });
    if (!reading.submittedAt) continue;
    const at = `${key}|${reading.submittedAt}`;
    const first = s.submissions.get(at);
    if (first === undefined) s.submissions.set(at, line);
    else {
      report(s, {
        line,
        questionId: null,
        code: "duplicate",
        message: `line ${line}: the same submission as line ${first}: ${describeSupplier(reading.supplier)} submitted at ${formatSubmittedAt(reading.submittedAt)}`,
      });
    }
  }
  s.hash = hash.digest("hex");
  if (s.lines === 0) report(s, { line: null, questionId: null, code: "empty_file", message: "The file has no submissions: every line is blank" });
  return s;
}

/** The departments named, by slug; a problem for every line naming something that is not one. */
async function findDepartments(db: Db, s: Survey): Promise<Map<string, string>> {
  const found = new Map<string, { id: string; kind: string; name: string }>();
  for (const slugs of chunks([...s.departments.keys()], LOOKUP)) {
    const rows = await db.selectFrom("organisation").select(["id", "slug", "kind", "name"]).where("slug", "in", slugs).execute();
    for (const r of rows) found.set(r.slug, r);
  }
  const departments = new Map<string, string>();
  for (const [slug, lines] of s.departments) {
    const org = found.get(slug);
    if (org?.kind === "buyer") {
      departments.set(slug, org.id);
      continue;
    }
    const why = org
      ? `'${slug}' is ${org.name}, a supplier, not a department`
      : `'${slug}' is not a department in Lantern; check the slug (\`npm run cli -- org list\`) or add the department with \`npm run cli -- org add --kind buyer --slug ${slug} --name "..."\``;
    for (const line of lines) report(s, { line, questionId: null, code: "unknown_department", message: `line ${line}: sharedWith: ${why}` });
  }
  return departments;
}

/**
 * The supplier organisations already in Lantern, by supplierKey: the one with the company number,
 * or, for a supplier without one, the oldest supplier organisation with no company number and
 * exactly the same name and country (or, like it, no country).
 */
async function matchSuppliers(db: Db, s: Survey): Promise<Map<string, string>> {
  const matched = new Map<string, string>();
  const byNumber = new Map<string, string>();
  const byName = new Map<string, string>();
  for (const [key, { supplier }] of s.suppliers) {
    if (supplier.companyNumber) byNumber.set(supplier.companyNumber, key);
    else byName.set(supplier.name, key);
  }
  for (const numbers of chunks([...byNumber.keys()], LOOKUP)) {
    const rows = await db.selectFrom("organisation").select(["id", "kind", "name", "slug", "company_number"]).where("company_number", "in", numbers).execute();
    for (const r of rows) {
      const key = byNumber.get(r.company_number!)!;
      if (r.kind === "supplier") matched.set(key, r.id);
      else {
        const line = s.suppliers.get(key)!.line;
        report(s, { line, questionId: null, code: "bad_supplier", message: `line ${line}: company number ${r.company_number} belongs to ${r.name} (${r.slug}), which is not a supplier` });
      }
    }
  }
  for (const names of chunks([...byName.keys()], LOOKUP)) {
    const rows = await db
      .selectFrom("organisation")
      .select(["id", "name", "country"])
      .where("kind", "=", "supplier")
      .where("company_number", "is", null)
      .where("name", "in", names)
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    for (const r of rows) {
      const key = supplierKey({ name: r.name, companyNumber: null, country: r.country });
      if (s.suppliers.has(key) && !matched.has(key)) matched.set(key, r.id);
    }
  }
  return matched;
}

/** A problem for every line repeating a submission the matched supplier already has in Lantern. */
async function findKeptSubmissions(db: Db, s: Survey, matched: Map<string, string>): Promise<void> {
  const keyOf = new Map([...matched].map(([key, id]) => [id, key]));
  for (const ids of chunks([...keyOf.keys()], LOOKUP)) {
    const rows = await db.selectFrom("submission").select(["organisation_id", "created_at"]).where("organisation_id", "in", ids).execute();
    for (const r of rows) {
      const key = keyOf.get(r.organisation_id)!;
      const line = s.submissions.get(`${key}|${r.created_at}`);
      if (line === undefined) continue;
      const supplier = s.suppliers.get(key)!.supplier;
      report(s, { line, questionId: null, code: "duplicate", message: `line ${line}: Lantern already has this submission: ${describeSupplier(supplier)} submitted at ${formatSubmittedAt(r.created_at)}` });
    }
  }
}

function byLine(a: ExchangeProblem, b: ExchangeProblem): number {
  return (a.line ?? 0) - (b.line ?? 0);
}

/** A slug from the name not yet taken (a number added when it is). */
function uniqueSlug(name: string, taken: Set<string>, next: Map<string, number>): string {
  const base = slugify(name);
  let slug = base;
  let n = next.get(base) ?? 2;
  while (taken.has(slug)) {
    const suffix = `-${n++}`;
    slug = `${base.slice(0, 60 - suffix.length).replace(/-+$/, "")}${suffix}`;
  }
  next.set(base, n);
  taken.add(slug);
  return slug;
}

class FileChanged extends Error {
  constructor() {
    super("The file changed while it was being imported, so nothing was imported. Run the command again once nothing else is writing to it.");
  }
}

type Trx = Transaction<Database>;

/** Create the suppliers not in Lantern yet; every supplier gets its system user. Returns organisation id to user id. */
async function prepareSuppliers(trx: Trx, s: Survey, matched: Map<string, string>, orgIds: Map<string, string>, at: string): Promise<{ users: Map<string, string>; created: number }> {
  const taken = new Set((await trx.selectFrom("organisation").select("slug").execute()).map((r) => r.slug));
  const next = new Map<string, number>();
  const created: Array<Insertable<OrganisationTable>> = [];
  for (const [key, { supplier }] of s.suppliers) {
    const existing = matched.get(key);
    if (existing) {
      orgIds.set(key, existing);
      continue;
    }
    const id = newId();
    orgIds.set(key, id);
    created.push({ id, kind: "supplier", slug: uniqueSlug(supplier.name, taken, next), name: supplier.name, company_number: supplier.companyNumber, country: supplier.country, created_at: at });
  }
  for (const batch of chunks(created, BATCH)) await trx.insertInto("organisation").values(batch).execute();

  const users = new Map<string, string>();
  for (const ids of chunks([...matched.values()], LOOKUP)) {
    const rows = await trx.selectFrom("user").select(["id", "organisation_id"]).where("system", "=", 1).where("organisation_id", "in", ids).orderBy("created_at").execute();
    for (const r of rows) if (!users.has(r.organisation_id)) users.set(r.organisation_id, r.id);
  }
  const newUsers: Array<Insertable<UserTable>> = [];
  for (const organisationId of orgIds.values()) {
    if (users.has(organisationId)) continue;
    const id = newId();
    users.set(organisationId, id);
    newUsers.push({ id, organisation_id: organisationId, email: systemUserEmail(organisationId), name: SYSTEM_USER_NAME, role: "contributor", password_hash: NO_PASSWORD, system: 1, created_at: at });
  }
  for (const batch of chunks(newUsers, BATCH)) await trx.insertInto("user").values(batch).execute();

  // Contracts naming a new supplier's company number link to it, as when a supplier joins.
  const numbers = created.flatMap((o) => (o.company_number ? [o.company_number] : []));
  const waiting = new Set<string>();
  for (const list of chunks(numbers, LOOKUP)) {
    const rows = await trx.selectFrom("contract").select("supplier_company_number").distinct().where("supplier_company_number", "in", list).where("supplier_organisation_id", "is", null).execute();
    for (const r of rows) if (r.supplier_company_number) waiting.add(r.supplier_company_number);
  }
  for (const o of created) {
    if (o.company_number && waiting.has(o.company_number)) await linkContractsToSupplier(trx, { id: o.id, companyNumber: o.company_number });
  }
  return { users, created: created.length };
}

/**
 * Import an exchange file: every line checked first, all problems returned and nothing written if
 * there is any; otherwise every line written in one transaction.
 */
export async function importSubmissions(db: Db, filePath: string, now = new Date()): Promise<ImportOutcome> {
  const checks: LineChecks = { questionnaire: questionnaireVersion, isCountry: isCountryCode, now };
  const s = await survey(filePath, checks);
  const departments = await findDepartments(db, s);
  const matched = await matchSuppliers(db, s);
  await findKeptSubmissions(db, s, matched);
  if (s.problems.length > 0) {
    const problems = s.problems.sort(byLine);
    if (s.unlisted > 0) {
      problems.push({ line: null, questionId: null, code: "too_many_problems", message: `... and ${s.unlisted} more problems, not listed: fix these first (the file is probably wrong throughout)` });
    }
    return { ok: false, problems };
  }

  // Screening reads the import-ban list as it stands, with no supplier decisions: as at submission.
  const bans = await listImportBans(db);
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const orgIds = new Map<string, string>();
    const { users, created } = await prepareSuppliers(trx, s, matched, orgIds, at);
    for (const qn of s.questionnaires) await ensureSnapshot(trx, qn, at);

    let assessments: Array<Insertable<AssessmentTable>> = [];
    let submissions: Array<Insertable<SubmissionTable>> = [];
    let shares: Array<Insertable<AssessmentShareTable>> = [];
    let audits: AuditEntry[] = [];
    const flush = async () => {
      if (assessments.length > 0) await trx.insertInto("assessment").values(assessments).execute();
      if (submissions.length > 0) await trx.insertInto("submission").values(submissions).execute();
      for (const batch of chunks(shares, BATCH)) await trx.insertInto("assessment_share").values(batch).execute();
      await audit(trx, audits);
      assessments = [];
      submissions = [];
      shares = [];
      audits = [];
    };

    // The second reading trusts the first one's skip-logic checks: the file's hash is compared at the end.
    const again: LineChecks = { ...checks, again: true };
    const hash = createHash("sha256");
    let imported = 0;
    for await (const { line, text } of fileLines(filePath, hash)) {
      if (text === null) throw new FileChanged();
      if (text.trim() === "") continue;
      const record = readLine(text, line, again).record;
      const organisationId = record && orgIds.get(supplierKey(record.supplier));
      if (!record || !organisationId) throw new FileChanged();
      const userId = users.get(organisationId)!;
      const { qn, answers, submittedAt } = record;

      // Scored exactly as submitAssessment scores: screening frozen into the result, no decisions.
      const screening = screen(qn, answers, bans, []);
      const context = contextFor(qn, screening);
      const result = scoreAnswers(qn, answers, context);
      if (qn.exposure) result.screening = screening;

      const assessmentId = newId();
      assessments.push({
        id: assessmentId,
        organisation_id: organisationId,
        questionnaire_id: qn.id,
        questionnaire_version: qn.version,
        status: result.recommendations.length === 0 ? "completed" : "submitted",
        previous_submission_id: null,
        created_by: userId,
        created_at: submittedAt,
        updated_at: submittedAt,
      });
      submissions.push(
        submissionRow({ id: newId(), assessmentId, organisationId, qn, answers, result, context, submittedBy: userId, createdAt: submittedAt, source: "import" }),
      );
      for (const slug of record.sharedWith) {
        shares.push({
          id: newId(),
          assessment_id: assessmentId,
          supplier_organisation_id: organisationId,
          buyer_organisation_id: departments.get(slug)!,
          shared_by: userId,
          shared_at: submittedAt,
          invitation_id: null,
          revoked_at: null,
          revoked_by: null,
        });
      }
      audits.push({
        organisationId,
        userId,
        entity: "assessment",
        entityId: assessmentId,
        action: "imported",
        newValue: JSON.stringify({ submittedAt, overall: result.overall, band: result.band.id, sharedWith: record.sharedWith }),
        at: now,
      });
      imported++;
      if (assessments.length >= BATCH) await flush();
    }
    await flush();
    if (hash.digest("hex") !== s.hash) throw new FileChanged();
    // Who counts in each department's statistics, worked out again from everything shared with it.
    // PostgreSQL plans that join by the tables' statistics, which know nothing yet of the rows this
    // transaction wrote; without fresh ones it may pick a nested loop over 100,000 × 100,000 rows.
    if (trx.getExecutor().adapter instanceof PostgresAdapter) await sql`analyze submission, assessment_share`.execute(trx);
    await rebuildStatistics(trx, [...departments.values()]);
    return { ok: true as const, imported, suppliersCreated: created, suppliersMatched: matched.size, sharedWith: [...departments.keys()].sort() };
  });
}
