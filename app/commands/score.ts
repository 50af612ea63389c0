/**
 * `score FILE`: score a JSON object of answers (the value shapes the app stores) as a submission
 * would be, so a policy team can try a questionnaire change before publishing it. The answers are
 * checked as the app checks a submission (the same checks as an exchange import): every problem is
 * reported, one per line, and nothing is scored until there are none, except that with
 * `allowIncomplete` required questions left unanswered are warnings and the rest is scored.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Questionnaire } from "../../questionnaires/format";
import { isCountryCode } from "../../questionnaires/countries";
import { loadReferenceData, parseImportBans } from "../../questionnaires/reference";
import { type AnswerProblem, checkAnswerSet } from "../domain/answer-set";
import { riskContext } from "../domain/rating";
import { type AssessmentResult, scoreAnswers } from "../domain/scoring";
import { screen } from "../domain/screening";
import { plural } from "../domain/text";

export type ScoreOptions = {
  /** Score even when required questions are unanswered; each becomes a warning. */
  allowIncomplete?: boolean;
};

export type ScoreOutcome =
  | { ok: true; result: AssessmentResult; warnings: AnswerProblem[] }
  | {
      ok: false;
      problems: string[];
      /** Every problem is a required question left unanswered: `allowIncomplete` would score it. */
      onlyIncomplete: boolean;
    };

/** Check and score answers; `questionnairesDir` holds data/ with the reference data and import-ban list. */
export function scoreAnswersFile(text: string, file: string, qn: Questionnaire, questionnairesDir: string, options: ScoreOptions = {}): ScoreOutcome {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`${file}: not valid JSON: ${(error as Error).message}`], onlyIncomplete: false };
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { ok: false, problems: [`${file}: must be a JSON object of answers, like {"org.size": "large"}`], onlyIncomplete: false };
  }
  const { answers, problems } = checkAnswerSet(qn, raw as Record<string, unknown>, isCountryCode);
  const missing = problems.filter((p) => p.code === "required");
  if (problems.length > 0 && (!options.allowIncomplete || missing.length < problems.length)) {
    return { ok: false, problems: problems.map((p) => p.message), onlyIncomplete: missing.length === problems.length };
  }

  const dataDir = join(resolve(questionnairesDir), "data");
  const banFile = join(dataDir, "import-bans.csv");
  const bans = parseImportBans(readFileSync(banFile, "utf8"), banFile);
  if (bans.problems.length > 0) return { ok: false, problems: bans.problems, onlyIncomplete: false };
  // No decisions: from the command line every possible match is still undecided.
  const screening = screen(qn, answers, bans.bans, []);
  const context = qn.exposure ? riskContext(qn, loadReferenceData(dataDir), screening.summary) : {};
  const result = scoreAnswers(qn, answers, context);
  if (qn.exposure) result.screening = screening;
  return { ok: true, result, warnings: missing };
}

/** The warning printed when an incomplete set was scored anyway: the app would refuse to submit it. */
export function describeWarnings(warnings: AnswerProblem[]): string {
  return [
    `Warning: scored with ${plural(warnings.length, "required question")} unanswered; the app would not accept these answers as a submission:`,
    ...warnings.map((w) => `  ${w.message}`),
  ].join("\n");
}

const because = (ts: Array<{ question: string; answer: unknown }>) => ts.map((t) => `${t.question} = ${JSON.stringify(t.answer)}`).join("; ");

/** The result as a person reads it in a terminal. */
export function describeResult(result: AssessmentResult): string {
  const lines: string[] = [];
  lines.push(`Rating: ${result.band.label}`);
  if (result.rating) lines.push(`  ${result.rating.explanation}`);
  if (result.exposure) {
    lines.push(`Exposure: ${result.exposure.level}${result.exposure.escalated ? " (several medium factors together)" : ""}`);
    for (const f of result.exposure.factors) lines.push(`  ${f.level}: ${f.id} ${f.reason} [${because(f.triggeredBy)}]`);
  }
  lines.push(`Management score: ${result.overall === null ? "not scored" : `${result.overall}%`}`);
  for (const t of result.themes) lines.push(`  ${t.title}: ${t.percent === null ? "not scored" : `${t.percent}% (${t.earned} of ${t.possible})`}`);
  if (result.rating) {
    lines.push(`Matrix cell: ${result.rating.matrixBand.label}${result.rating.nextBand ? `; ${result.rating.nextBand.label} needs ${result.rating.nextBand.min}%` : ""}`);
    lines.push(`Caps applied: ${result.rating.caps.length === 0 ? "none" : ""}`);
    for (const c of result.rating.caps) lines.push(`  ${c.id}: no better than ${c.atBestLabel}. ${c.reason} [${because(c.triggeredBy)}]`);
  }
  lines.push(`Red flags: ${result.redFlags.length === 0 ? "none" : ""}`);
  for (const f of result.redFlags) lines.push(`  ${f.id}: ${f.title}. ${f.description} [${because(f.triggeredBy)}]`);
  if (result.screening) {
    lines.push(`Import-ban screening: ${plural(result.screening.screened, "name")} checked, ${plural(result.screening.matches.length, "possible match", "possible matches")}`);
    for (const m of result.screening.matches) lines.push(`  ${m.entity.name} may be ${m.ban.entity ?? m.matchedName} (${m.strength}; order ${m.ban.status})`);
  }
  lines.push(`Recommendations: ${result.recommendations.length === 0 ? "none" : ""}`);
  for (const r of result.recommendations) lines.push(`  [${r.priority}] ${r.id}: ${r.title} [${because(r.triggeredBy)}]`);
  return lines.join("\n");
}
