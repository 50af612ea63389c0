/** How far an assessment has got: its status, each theme, and what is still missing before submission. */
import type { Questionnaire } from "../../questionnaires/format";
import type { Answers } from "./answers";
import { applySkipLogic } from "./visibility";

/** An assessment is a draft while answered, submitted with its report, completed once every recommendation has a response. */
export type AssessmentStatus = "draft" | "submitted" | "completed";

export type ThemeStatus = "not_started" | "in_progress" | "completed";
export type ThemeProgress = {
  themeId: string;
  title: string;
  status: ThemeStatus;
  answered: number;
  visible: number;
  missing: Array<{ questionId: string; text: string }>;
};

export function themeProgress(qn: Questionnaire, rawAnswers: Answers): ThemeProgress[] {
  const { visible, answers } = applySkipLogic(qn, rawAnswers);
  return qn.themes.map((theme) => {
    const shown = theme.questions.filter((q) => visible.has(q.id));
    const answered = shown.filter((q) => answers[q.id] !== undefined).length;
    const missing = shown.filter((q) => q.required && answers[q.id] === undefined).map((q) => ({ questionId: q.id, text: q.text }));
    const status: ThemeStatus = answered === 0 ? "not_started" : missing.length === 0 ? "completed" : "in_progress";
    return { themeId: theme.id, title: theme.title, status, answered, visible: shown.length, missing };
  });
}

/** Required visible questions with no answer, in questionnaire order. */
export function missingAnswers(qn: Questionnaire, answers: Answers) {
  return themeProgress(qn, answers).flatMap((t) => t.missing.map((m) => ({ ...m, themeId: t.themeId, themeTitle: t.title })));
}
