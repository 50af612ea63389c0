/** The conversation guide of a result shared with the buyer, for the page and the PDF alike. */
import { conversationGuide } from "../domain/conversation-guide";
import { questionIndex } from "../domain/questions";
import { formatAnswer } from "../domain/format-answer";
import type { CurrentUser } from "./auth.server";
import { countryName } from "./countries.server";
import { questionnaireVersion } from "./questionnaires.server";
import { getResult } from "./results.server";

export async function sharedGuide(user: CurrentUser, assessmentId: string) {
  const { report, supplier } = await getResult(user, assessmentId);
  // Probes are guidance, not scoring: take them from the questionnaire file when it is still on
  // disk, so improved wording reaches earlier submissions; otherwise from the submission's copy.
  const questionnaire = questionnaireVersion(report.questionnaire.id, report.questionnaire.version) ?? report.questionnaire;
  const index = questionIndex(report.questionnaire);
  const guide = conversationGuide(questionnaire, report.result, report.responses, {
    describe: (t) => {
      const q = index.get(t.questionId)?.question;
      return q ? formatAnswer(q, t.answer, countryName) : String(t.answer);
    },
  });
  return { report, supplier, guide };
}
