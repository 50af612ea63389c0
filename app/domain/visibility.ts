/**
 * Skip logic. A showIf may only mention earlier questions (the loader checks), so one pass in
 * questionnaire order decides every question: a question hidden by an answer hides, in turn, the
 * questions that depend on it. Answers to hidden questions are dropped, never scored or counted.
 */
import type { Questionnaire } from "../../questionnaires/format";
import type { Answers } from "./answers";
import { evaluate } from "./conditions";
import { allQuestions } from "./questions";

export type Visibility = {
  /** Ids of the questions shown for these answers. */
  visible: Set<string>;
  /** The answers to visible questions only. */
  answers: Answers;
};

export function applySkipLogic(qn: Questionnaire, answers: Answers): Visibility {
  const visible = new Set<string>();
  const kept: Answers = {};
  for (const question of allQuestions(qn)) {
    if (question.showIf && !evaluate(question.showIf, kept)) continue;
    visible.add(question.id);
    const answer = answers[question.id];
    if (answer !== undefined && answer !== null) kept[question.id] = answer;
  }
  return { visible, answers: kept };
}
