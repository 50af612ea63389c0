/**
 * Skip logic for one page of questions, given the visible answers of the questions before it. The
 * browser uses it for instant show/hide; it agrees with applySkipLogic because a showIf can only
 * mention earlier questions.
 */
import type { Question } from "../../questionnaires/format";
import type { AnswerValue, Answers } from "./answers";
import { evaluate } from "./conditions";

export function visibleOnPage(
  questions: Question[],
  earlier: Answers,
  current: Record<string, AnswerValue | null | undefined>,
): Set<string> {
  const kept: Answers = { ...earlier };
  const visible = new Set<string>();
  for (const q of questions) {
    if (q.showIf && !evaluate(q.showIf, kept)) continue;
    visible.add(q.id);
    const value = current[q.id];
    if (value !== undefined && value !== null) kept[q.id] = value;
  }
  return visible;
}

/** Question ids hold dots; form field names use '-' so form libraries do not read them as paths. */
export const fieldKey = (questionId: string) => questionId.replaceAll(".", "-");
export const questionIdOf = (key: string) => key.replaceAll("-", ".");
