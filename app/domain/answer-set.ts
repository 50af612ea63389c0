/**
 * A whole set of answers checked as a submission is: every answer names a question of the
 * questionnaire, holds one of its options and a valid value, answers a question the other answers
 * show (skip logic), and every required question shown is answered. The exchange import checks each
 * line's answers with it, and `cli score` a file of answers, so both refuse what the app refuses.
 */
import type { Question, Questionnaire } from "../../questionnaires/format";
import { choiceValues } from "../../questionnaires/choices";
import { type Answers, type CountryCheck, validateAnswer } from "./answers";
import { referencedQuestions } from "./conditions";
import { missingAnswers } from "./progress";
import { allQuestions, questionIndex } from "./questions";
import { quote } from "./text";
import { applySkipLogic } from "./visibility";

export const ANSWER_PROBLEM_CODES = ["unknown_question", "not_an_option", "invalid", "hidden", "required"] as const;
export type AnswerProblemCode = (typeof ANSWER_PROBLEM_CODES)[number];

/** One thing wrong with a set of answers; the message starts with the question id. */
export type AnswerProblem = { questionId: string; code: AnswerProblemCode; message: string };

export type AnswerSetCheck = {
  /** The answers that checked out, normalised as the app stores them, none to a hidden question. */
  answers: Answers;
  /** In the order of the answers given, then answers to hidden questions, then missing answers. */
  problems: AnswerProblem[];
};

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/** A choice value that is not among the question's options: the problem, said with the options to choose from. */
function optionProblems(question: Question, raw: unknown): string[] {
  const described = (values: string[]) => `choose from ${values.join(", ")}`;
  switch (question.type) {
    case "yesno":
    case "single": {
      const allowed = choiceValues(question)!;
      return typeof raw === "string" && raw.trim() !== "" && !allowed.includes(raw) ? [`${quote(raw)} is not an option; ${described(allowed)}`] : [];
    }
    case "multi": {
      const allowed = choiceValues(question)!;
      const list = typeof raw === "string" ? [raw] : Array.isArray(raw) ? raw : [];
      const wrong = [...new Set(list.filter((v): v is string => typeof v === "string" && !allowed.includes(v)))];
      if (wrong.length === 0) return [];
      return [`${wrong.map(quote).join(", ")} ${wrong.length === 1 ? "is not an option" : "are not options"}; ${described(allowed)}`];
    }
    case "group": {
      if (!Array.isArray(raw)) return [];
      const problems: string[] = [];
      raw.forEach((row, i) => {
        if (!isPlainObject(row)) return;
        for (const field of question.fields) {
          const v = row[field.id];
          if (field.type !== "single" || typeof v !== "string" || v.trim() === "") continue;
          const allowed = (field.options ?? []).map((o) => o.value);
          if (!allowed.includes(v.trim())) problems.push(`${question.itemName} ${i + 1}, ${field.id}: ${quote(v)} is not an option; ${described(allowed)}`);
        }
      });
      return problems;
    }
    default:
      return [];
  }
}

const dependencies = new WeakMap<Questionnaire, Map<string, string[]>>();

/** The questions each question's visibility depends on, directly (worked out once per questionnaire). */
function dependsOn(qn: Questionnaire): Map<string, string[]> {
  let known = dependencies.get(qn);
  if (!known) {
    known = new Map(allQuestions(qn).map((q) => [q.id, q.showIf ? [...referencedQuestions(q.showIf)] : []]));
    dependencies.set(qn, known);
  }
  return known;
}

/**
 * Check a set of answers (question id to raw value) against a questionnaire, listing every problem.
 * `otherAnswers` is how a message about skip logic names the rest of the set ("this line's other
 * answers" in an exchange file).
 */
export function checkAnswerSet(qn: Questionnaire, raw: Record<string, unknown>, isCountry: CountryCheck, otherAnswers = "the other answers"): AnswerSetCheck {
  const index = questionIndex(qn);
  const problems: AnswerProblem[] = [];
  const problem = (code: AnswerProblemCode, questionId: string, message: string) => problems.push({ questionId, code, message: `${questionId}: ${message}` });
  const answers: Answers = {};
  const wrong = new Set<string>();
  for (const [id, value] of Object.entries(raw)) {
    const entry = index.get(id);
    if (!entry) {
      problem("unknown_question", id, `there is no such question in ${qn.id} ${qn.version}`);
      continue;
    }
    const notOptions = optionProblems(entry.question, value);
    if (notOptions.length > 0) {
      wrong.add(id);
      for (const message of notOptions) problem("not_an_option", id, message);
      continue;
    }
    const check = validateAnswer(entry.question, value, isCountry);
    if (!check.ok) {
      wrong.add(id);
      problem("invalid", id, `${check.error} (the answer given was ${quote(value)})`);
    } else if (check.value !== null) answers[id] = check.value;
  }

  // Skip logic is decided by the answers that checked out. A question whose visibility rests on an
  // answer that did not is left alone: whether it is hidden or required cannot be known yet.
  const depends = dependsOn(qn);
  const uncertain = new Set<string>();
  if (wrong.size > 0) {
    for (const [id, on] of depends) if (on.some((q) => wrong.has(q) || uncertain.has(q))) uncertain.add(id);
  }
  const { visible } = applySkipLogic(qn, answers);
  for (const id of Object.keys(answers)) {
    if (visible.has(id) || uncertain.has(id)) continue;
    const on = depends.get(id)!;
    const why = on.length > 0 ? ` (it depends on ${on.join(", ")}); remove the answer or change ${on.length === 1 ? "that one" : "those"}` : "; remove the answer";
    problem("hidden", id, `answers a question that does not apply given ${otherAnswers}${why}`);
    delete answers[id];
  }
  for (const m of missingAnswers(qn, answers)) {
    if (wrong.has(m.questionId) || uncertain.has(m.questionId)) continue;
    problem("required", m.questionId, `required, and not answered ("${m.text}")`);
  }
  return { answers, problems };
}
