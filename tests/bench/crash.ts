/**
 * Crash run: savers autosave back to back and some suppliers submit while the server is SIGKILLed
 * three times and restarted. A client whose request got no reply retries it (same value, same base
 * revision) until the server answers, as the page's autosave does. Afterwards every acknowledged
 * save and submission is checked in the database, each answer's revision against its audit-log
 * lines, and on SQLite `PRAGMA integrity_check` and `foreign_key_check`.
 */
import { performance } from "node:perf_hooks";
import type { Db } from "../../db/index";
import { plausibleAnswers } from "../../db/seed";
import { applySkipLogic } from "../../app/domain/visibility";
import { type Context, dbLabel } from "./lib/context";
import { createSuppliers, createTarget, type DbChoice, openDb, setupDatabase, sqliteChecks } from "./lib/database";
import { inParallel, Supplier } from "./lib/http";
import { AppServer, freePort, type ServerSpec } from "./lib/server";
import { countsText, increment, seededRandom, sleep } from "./lib/stats";
import { inertQuestion, questionnaire, saveableQuestions } from "./questions";
import { addChecks, type AnswerCheck, answerCheckText, type AuditCheck, checkAnswers, checkAudit, newLedger, recordAck, recordUncertain, sameValue, type SaveLedger } from "./verify";

export type CrashOptions = { clients: number; kills?: number; submissionsPerKill?: number };

type Kill = { atSeconds: number; savesInFlight: number; submissionsInFlight: number; restartSeconds: number };

type SubmissionOutcome = "accepted" | "accepted before the crash (409 on retry)" | "refused" | "never answered";

export type SubmissionCheck = {
  checked: number;
  intact: number;
  samples: string[];
  /** Answer changes written after the submission's own write (audit-log order). */
  savesAfterSubmission: number;
  /** Submitted assessments whose last acknowledged save of the raced answer is not what the submission froze. */
  acknowledgedNotSubmitted: number;
};

export type CrashResult = {
  db: DbChoice;
  clients: number;
  wallSeconds: number;
  kills: Kill[];
  saves: { sent: number; acknowledged: number; retries: number; byStatus: Map<string, number> };
  submissions: { attempted: number; outcomes: Map<string, number>; byStatus: Map<string, number>; refusals: string[] };
  answers: AnswerCheck;
  audit: AuditCheck;
  submissionCheck: SubmissionCheck;
  sqlite?: { integrity: string; foreignKeyViolations: number };
};

const RETRY_MS = 100;

export async function runCrash(ctx: Context, kind: DbChoice, options: CrashOptions): Promise<CrashResult> {
  const kills = options.kills ?? 3;
  const perKill = options.submissionsPerKill ?? 3;
  const submitters = kills * perKill;
  console.log(`\nCrash run on ${dbLabel(kind)}: ${options.clients} savers back to back, ${submitters} submissions, SIGKILL ${kills} times`);
  const target = await createTarget(kind, ctx.tempDir, "crash", ctx.postgresUrl);
  await setupDatabase(target, ctx.env);
  const { db, close } = openDb(target);
  const suppliers = await createSuppliers(db, options.clients + submitters, "crash");
  const spec: ServerSpec = { cwd: ctx.appDir, port: await freePort(), env: { ...ctx.env, ...target.env, ...ctx.serverEnv }, nodeArgs: ctx.nodeArgs, entry: ctx.entry };
  let server = await AppServer.start(spec);
  try {
    const sessions = await inParallel(suppliers, 8, async (s) => {
      const client = new Supplier(server.base, s.email);
      await client.signIn();
      return { client, assessmentId: await client.startAssessment(), userId: s.userId };
    });
    const savers = sessions.slice(0, options.clients);
    const submitting = sessions.slice(options.clients);
    const raced = inertQuestion();
    const complete = await fillAnswers(db, submitting, raced.question.id);
    console.log(`  ${sessions.length} suppliers signed in; ${submitting.length} assessments filled in completely, ready to submit`);

    const questions = saveableQuestions();
    const ledgers = savers.map((s) => newLedger(s.assessmentId));
    const raceLedgers = submitting.map((s) => newLedger(s.assessmentId));
    /** Every value of the raced answer the server acknowledged, per assessment (the ledger keeps only the last). */
    const racedHistory = submitting.map(() => new Set<string>());
    const byStatus = new Map<string, number>();
    const submitStatus = new Map<string, number>();
    const outcomes = new Map<string, SubmissionOutcome>();
    let sent = 0;
    let acknowledged = 0;
    let retries = 0;
    let savesInFlight = 0;
    let submissionsInFlight = 0;
    let stopping = false;
    const refusals: string[] = [];

    /** One autosave, retried until the server answers it; returns the final status. */
    const save = async (client: Supplier, ledger: SaveLedger, questionId: string, value: unknown, baseRevision: number) => {
      for (;;) {
        savesInFlight += 1;
        const reply = await client.saveAnswer(ledger.assessmentId, questionId, value, baseRevision, 10_000);
        savesInFlight -= 1;
        sent += 1;
        increment(byStatus, String(reply.status));
        if (reply.status === 200 && reply.revision !== undefined) {
          acknowledged += 1;
          recordAck(ledger, questionId, value, reply.revision);
          return reply;
        }
        if (reply.status === "network" || reply.status === "timeout" || reply.status >= 500) {
          recordUncertain(ledger, questionId, value, baseRevision);
          retries += 1;
          await sleep(RETRY_MS);
          continue;
        }
        return reply; // 4xx: a definite answer
      }
    };

    const saver = async (i: number) => {
      const { client } = savers[i]!;
      const ledger = ledgers[i]!;
      let k = i % questions.length;
      while (!stopping) {
        const { question, values } = questions[k++ % questions.length]!;
        const last = ledger.acked.get(question.id);
        await save(client, ledger, question.id, last && last.value === values[0] ? values[1] : values[0], last?.revision ?? 0);
      }
    };

    // Someone keeps changing one answer on each assessment that is about to be submitted.
    const racer = async (i: number) => {
      const { client } = submitting[i]!;
      const ledger = raceLedgers[i]!;
      recordAck(ledger, raced.question.id, complete.get(raced.question.id), 1);
      while (!stopping) {
        const last = ledger.acked.get(raced.question.id)!;
        const value = last.value === raced.values[0] ? raced.values[1] : raced.values[0];
        const reply = await save(client, ledger, raced.question.id, value, last.revision);
        if (reply.status === 200) racedHistory[i]!.add(JSON.stringify(value));
        if (reply.status === 409 && reply.conflictRevision === undefined) return; // submitted: saving is over
        await sleep(20);
      }
    };

    const submit = async (i: number) => {
      const { client, assessmentId } = submitting[i]!;
      let tried = false;
      for (;;) {
        submissionsInFlight += 1;
        const reply = await client.submit(assessmentId);
        submissionsInFlight -= 1;
        increment(submitStatus, String(reply.status));
        if (reply.status === 302 && reply.location?.endsWith("/report")) return outcomes.set(assessmentId, "accepted");
        if (reply.status === 409 && tried) return outcomes.set(assessmentId, "accepted before the crash (409 on retry)");
        if (typeof reply.status === "number" && reply.status < 500) {
          if (refusals.length < 3) refusals.push(`${reply.status}: ${reply.text.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").slice(0, 300)}`);
          return outcomes.set(assessmentId, "refused");
        }
        tried = true;
        if (stopping && performance.now() > hardStop) return outcomes.set(assessmentId, "never answered");
        await sleep(RETRY_MS);
      }
    };

    const random = seededRandom(7);
    const t0 = performance.now();
    let hardStop = Number.POSITIVE_INFINITY;
    const running = [...savers.map((_, i) => saver(i)), ...submitting.map((_, i) => racer(i))];
    const submits: Array<Promise<unknown>> = [];
    const killLog: Kill[] = [];
    for (let k = 0; k < kills; k++) {
      const windowMs = 1500 + random() * 1500;
      // one submission early in the burst; the others right before the kill, so they are in flight
      submits.push(sleep(random() * windowMs * 0.5).then(() => submit(k * perKill)));
      await sleep(windowMs);
      for (let j = 1; j < perKill; j++) submits.push(submit(k * perKill + j));
      await sleep(random() * 20);
      const inFlight = { savesInFlight, submissionsInFlight };
      await server.kill();
      const killedAt = (performance.now() - t0) / 1000;
      await sleep(300); // clients meet a closed port for a while
      const restart = performance.now();
      server = await AppServer.start(spec);
      const kill: Kill = { atSeconds: killedAt, ...inFlight, restartSeconds: (performance.now() - restart) / 1000 };
      killLog.push(kill);
      console.log(`  SIGKILL ${k + 1} at ${killedAt.toFixed(1)} s with ${kill.savesInFlight} saves and ${kill.submissionsInFlight} submissions in flight; back up in ${kill.restartSeconds.toFixed(1)} s`);
    }
    await sleep(2000);
    stopping = true;
    hardStop = performance.now() + 30_000;
    await Promise.all([...running, ...submits]);
    const wallSeconds = (performance.now() - t0) / 1000;
    await server.stop();

    const answers = addChecks(await checkAnswers(db, ledgers), await checkAnswers(db, raceLedgers, "ignore"));
    const audit = await checkAudit(db, savers.map((s) => s.assessmentId));
    const submissionCheck = await checkSubmissions(db, submitting.map((s) => s.assessmentId), outcomes, complete, raced.question.id, raceLedgers, racedHistory);
    const sqlite = kind === "sqlite" ? sqliteChecks(target.url) : undefined;

    const outcomeCounts = new Map<string, number>();
    for (const o of outcomes.values()) increment(outcomeCounts, o);
    const result: CrashResult = {
      db: kind,
      clients: options.clients,
      wallSeconds,
      kills: killLog,
      saves: { sent, acknowledged, retries, byStatus },
      submissions: { attempted: submitting.length, outcomes: outcomeCounts, byStatus: submitStatus, refusals },
      answers,
      audit,
      submissionCheck,
      sqlite,
    };
    printCrash(result);
    return result;
  } finally {
    await server.stop();
    await close();
    await target.drop();
  }
}

/** Put a complete, plausible set of answers into each assessment, straight into the database. */
async function fillAnswers(db: Db, sessions: Array<{ assessmentId: string; userId: string }>, racedId: string): Promise<Map<string, unknown>> {
  const qn = questionnaire();
  const answers = plausibleAnswers(qn, 0.6);
  if (!applySkipLogic(qn, answers).visible.has(racedId)) throw new Error(`${racedId} is not shown with the plausible answers`);
  const at = new Date().toISOString();
  for (const s of sessions) {
    await db
      .insertInto("answer")
      .values(
        Object.entries(answers).map(([questionId, value]) => ({
          assessment_id: s.assessmentId,
          question_id: questionId,
          value: JSON.stringify(value),
          revision: 1,
          prefilled: 0,
          updated_by: s.userId,
          updated_at: at,
          created_at: at,
        })),
      )
      .execute();
  }
  return new Map(Object.entries(answers));
}

/**
 * Each accepted submission: exactly one submission row, the assessment no longer a draft, the
 * frozen answers those filled in (the raced answer one of the values it had), a result that parses.
 * Also counts answer changes written after the submission (audit-log order).
 */
async function checkSubmissions(
  db: Db,
  assessmentIds: string[],
  outcomes: Map<string, SubmissionOutcome>,
  complete: Map<string, unknown>,
  racedId: string,
  raceLedgers: SaveLedger[],
  racedHistory: Array<Set<string>>,
): Promise<SubmissionCheck> {
  const check: SubmissionCheck = { checked: 0, intact: 0, samples: [], savesAfterSubmission: 0, acknowledgedNotSubmitted: 0 };
  const note = (text: string) => void (check.samples.length < 10 && check.samples.push(text));
  const submissions = await db.selectFrom("submission").select(["assessment_id", "answers", "result"]).where("assessment_id", "in", assessmentIds).execute();
  const assessments = await db.selectFrom("assessment").select(["id", "status"]).where("id", "in", assessmentIds).execute();
  const racedRows = await db.selectFrom("answer").select(["assessment_id", "value", "revision"]).where("assessment_id", "in", assessmentIds).where("question_id", "=", racedId).execute();
  const audit = await db.selectFrom("audit_log").select(["id", "entity_id", "action"]).where("entity", "=", "assessment").where("entity_id", "in", assessmentIds).orderBy("id").execute();
  for (const [i, id] of assessmentIds.entries()) {
    const outcome = outcomes.get(id);
    const rows = submissions.filter((s) => s.assessment_id === id);
    const status = assessments.find((a) => a.id === id)?.status;
    if (outcome !== "accepted" && outcome !== "accepted before the crash (409 on retry)") {
      if (rows.length > 0) note(`${id}: ${outcome ?? "not tried"} but ${rows.length} submission row(s)`);
      continue;
    }
    check.checked += 1;
    const problems: string[] = [];
    if (rows.length !== 1) problems.push(`${rows.length} submission rows`);
    if (status === "draft" || status === undefined) problems.push(`assessment status ${status ?? "missing"}`);
    const row = rows[0];
    if (row) {
      try {
        const frozen = JSON.parse(row.answers) as Record<string, unknown>;
        const result = JSON.parse(row.result) as { overall?: unknown };
        if (typeof result.overall !== "number") problems.push("result without an overall score");
        const racedValues = new Set([JSON.stringify(complete.get(racedId)), ...racedHistory[i]!]);
        // The answer still holds the last save answered 200 (no unanswered write came after it), yet the
        // submission froze something else: that save was acknowledged but is not in the submission.
        const lastAcked = raceLedgers[i]!.acked.get(racedId);
        const stored = racedRows.find((r) => r.assessment_id === id);
        if (lastAcked && stored && stored.revision === lastAcked.revision && sameValue(stored.value, lastAcked.value) && JSON.stringify(lastAcked.value) !== JSON.stringify(frozen[racedId])) {
          check.acknowledgedNotSubmitted += 1;
        }
        for (const [q, v] of complete) {
          if (q === racedId) {
            if (!racedValues.has(JSON.stringify(frozen[q]))) problems.push(`${q} frozen as ${JSON.stringify(frozen[q])}, a value it never had`);
          } else if (JSON.stringify(frozen[q]) !== JSON.stringify(v)) problems.push(`${q} frozen as ${JSON.stringify(frozen[q])}, filled in as ${JSON.stringify(v)}`);
        }
        if (Object.keys(frozen).length !== complete.size) problems.push(`${Object.keys(frozen).length} frozen answers, ${complete.size} filled in`);
      } catch (error) {
        problems.push(`unreadable submission: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const lines = audit.filter((a) => a.entity_id === id);
    const submittedAt = lines.findIndex((a) => a.action === "submitted");
    if (submittedAt < 0) problems.push("no 'submitted' audit line");
    else check.savesAfterSubmission += lines.slice(submittedAt + 1).filter((a) => a.action === "answer_changed").length;
    if (problems.length === 0) check.intact += 1;
    else note(`${id}: ${problems.join("; ")}`);
  }
  return check;
}

export function submissionCheckText(c: SubmissionCheck): string {
  return `${c.checked} accepted submissions: ${c.intact} intact (one submission row, assessment no longer a draft, frozen answers as filled in, result readable)`;
}

function printCrash(r: CrashResult) {
  console.log(`  saves: ${r.saves.sent} requests, ${r.saves.acknowledged} acknowledged, ${r.saves.retries} retried after no reply; status ${countsText(r.saves.byStatus)}`);
  console.log(`  submissions: ${countsText(r.submissions.outcomes)}; status ${countsText(r.submissions.byStatus)}`);
  for (const refusal of r.submissions.refusals) console.log(`    refused: ${refusal}`);
  console.log(`  check answers: ${answerCheckText(r.answers)}`);
  for (const s of r.answers.samples) console.log(`    ${s}`);
  console.log(`  check audit log: ${r.audit.consistent} of ${r.audit.answers} saved answers have one audit line per revision`);
  for (const s of r.audit.samples) console.log(`    ${s}`);
  console.log(`  check submissions: ${submissionCheckText(r.submissionCheck)}`);
  for (const s of r.submissionCheck.samples) console.log(`    ${s}`);
  if (r.submissionCheck.acknowledgedNotSubmitted > 0 || r.submissionCheck.savesAfterSubmission > 0) {
    console.log(`  FOUND: on ${r.submissionCheck.acknowledgedNotSubmitted} submitted assessments the last save answered 200 is not the value the submission froze; ${r.submissionCheck.savesAfterSubmission} answer changes were written after their assessment's submission (audit-log order)`);
  }
  if (r.sqlite) console.log(`  SQLite: integrity_check ${r.sqlite.integrity}; foreign_key_check ${r.sqlite.foreignKeyViolations} violations`);
}
