/** Which questions the benchmark's clients answer, and with what. */
import { join } from "node:path";
import type { Question, Questionnaire } from "../../questionnaires/format";
import { applySkipLogic } from "../../app/domain/visibility";
import { currentQuestionnaire } from "../../app/services/questionnaires.server";
import { ROOT } from "./lib/paths";

/** The questionnaire a new assessment answers: the newest version, found as the app finds it. */
export function questionnaire(): Questionnaire {
  process.env.QUESTIONNAIRES_DIR ??= join(ROOT, "questionnaires");
  return currentQuestionnaire();
}

export type Saveable = { question: Question; values: [unknown, unknown] };

/**
 * Yes/no, single-choice and number questions that show with no answers at all (no showIf), each
 * with two valid values to alternate between. Saving them never hides another of them.
 */
export function saveableQuestions(): Saveable[] {
  const qn = questionnaire();
  const visible = applySkipLogic(qn, {}).visible;
  const picked: Saveable[] = [];
  for (const theme of qn.themes) {
    for (const q of theme.questions) {
      if (q.showIf || !visible.has(q.id)) continue;
      if (q.type === "yesno") picked.push({ question: q, values: ["yes", "no"] });
      else if (q.type === "single") picked.push({ question: q, values: [q.options[0]!.value, q.options[1]!.value] });
      else if (q.type === "number") {
        const top = q.max ?? q.min + 100;
        picked.push({ question: q, values: [Math.min(top, q.min + 10), Math.min(top, q.min + 20)] });
      }
    }
  }
  if (picked.length === 0) throw new Error("no visible yes/no, single-choice or number questions to save");
  return picked;
}

/** A saveable question no condition refers to: changing it never changes what else is asked. */
export function inertQuestion(): Saveable {
  const qn = questionnaire();
  const conditions = JSON.stringify(qn.themes.flatMap((t) => [t, ...t.questions].map((x) => ("showIf" in x ? x.showIf : undefined))));
  const found = saveableQuestions().find((s) => !conditions.includes(`"${s.question.id}"`));
  if (!found) throw new Error("no saveable question that no condition refers to");
  return found;
}
