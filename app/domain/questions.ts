/** Lookups over a questionnaire's questions, built once per questionnaire object. */
import type { Question, Questionnaire, Theme } from "../../questionnaires/format";

export type QuestionEntry = { question: Question; theme: Theme; index: number };

const cache = new WeakMap<Questionnaire, Map<string, QuestionEntry>>();

export function questionIndex(qn: Questionnaire): Map<string, QuestionEntry> {
  let index = cache.get(qn);
  if (!index) {
    index = new Map();
    let i = 0;
    for (const theme of qn.themes) for (const question of theme.questions) index.set(question.id, { question, theme, index: i++ });
    cache.set(qn, index);
  }
  return index;
}

export function allQuestions(qn: Questionnaire): Question[] {
  return qn.themes.flatMap((t) => t.questions);
}
