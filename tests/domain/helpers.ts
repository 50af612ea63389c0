/** Shared helpers for the domain tests: small inline questionnaires and question lookups. */
import { fileURLToPath } from "node:url";
import type { Condition, Question, Questionnaire } from "../../questionnaires/format";
import type { Answers } from "../../app/domain/answers";
import { evaluate } from "../../app/domain/conditions";
import { allQuestions } from "../../app/domain/questions";
import { maxPoints } from "../../app/domain/scoring";
import { applySkipLogic } from "../../app/domain/visibility";
import { parseQuestionnaire } from "../../questionnaires/format";
import { questionIndex } from "../../app/domain/questions";

/** The repository root, so file paths do not depend on the directory vitest was started from. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Absolute path of a file under tests/domain/fixtures. */
export const fixturePath = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** The header every inline fixture shares: three bands (red < 40 <= amber < 70 <= green), red flags force red. */
export const HEADER = `id: fixture
version: "1.0.0"
title: Fixture questionnaire
bands:
  - {id: red, label: Red, min: 0}
  - {id: amber, label: Amber, min: 40}
  - {id: green, label: Green, min: 70}
redFlagBand: red
`;

/** Parse an inline fixture (HEADER is prepended). */
export function fixture(body: string): Questionnaire {
  return parseQuestionnaire(HEADER + body, "fixture.yaml");
}

export function question(qn: Questionnaire, id: string): Question {
  const entry = questionIndex(qn).get(id);
  if (!entry) throw new Error(`no question '${id}' in ${qn.id}`);
  return entry.question;
}

/** The best answer to every visible scored question, in order, so follow-ups are reached; `base` answers are kept. */
export function bestAnswers(questionnaire: Questionnaire, base: Answers = {}): Answers {
  const answers: Answers = { ...base };
  for (const q of allQuestions(questionnaire)) {
    if (q.showIf && !evaluate(q.showIf, answers)) continue;
    if (q.id in base || maxPoints(q) === 0) continue;
    switch (q.type) {
      case "yesno":
        answers[q.id] = q.points.yes >= q.points.no ? "yes" : "no";
        break;
      case "single":
        answers[q.id] = q.options.filter((o) => !o.notApplicable).reduce((best, o) => (o.points > best.points ? o : best)).value;
        break;
      case "multi":
        // every option that earns points: one that earns none (such as "dismissed the workers") is not good practice
        answers[q.id] = q.options.filter((o) => !o.exclusive && !o.notApplicable && o.points > 0).map((o) => o.value);
        break;
      case "number":
      case "percent": {
        const band = (q.scoring ?? []).reduce((best, b) => (b.points > best.points ? b : best));
        answers[q.id] = band.min ?? band.max ?? 0;
        break;
      }
      default:
        break;
    }
  }
  return applySkipLogic(questionnaire, answers).answers;
}

export type Leaf = Exclude<Condition, { not: unknown } | { and: unknown } | { or: unknown }>;

/** Every leaf of a condition. */
export function leaves(cond: Condition): Leaf[] {
  if ("not" in cond) return leaves(cond.not);
  if ("and" in cond) return cond.and.flatMap(leaves);
  if ("or" in cond) return cond.or.flatMap(leaves);
  return [cond];
}
