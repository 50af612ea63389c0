/**
 * A submitted assessment's report as the pages read it: the questionnaire it was answered on, the
 * answers and their scored result, the supplier's responses to its recommendations, and how each
 * theme changed since the previous submission. Services load it; the ui turns it into markup.
 */
import type { Questionnaire } from "../../questionnaires/format";
import type { Answers } from "./answers";
import type { AssessmentResult } from "./scoring";

/** How a supplier responds to a recommendation. */
export type ResponseKind = "accepted" | "in_progress" | "not_applicable";

export type RecommendationResponseView = {
  recommendationId: string;
  response: ResponseKind;
  targetDate: string | null;
  reason: string | null;
  respondedBy: string;
  updatedAt: string;
};

export type ThemeChange = { themeId: string; previous: number | null; current: number | null; change: number | null };

export type Report = {
  submission: { id: string; submittedAt: string; version: string };
  questionnaire: Questionnaire;
  answers: Answers;
  result: AssessmentResult;
  /** By recommendation id. */
  responses: Record<string, RecommendationResponseView>;
  /** Every recommendation has a response (the assessment is then completed). */
  allResponded: boolean;
  unanswered: number;
  /** Per theme against the previous submission the reader may see; null when there is none. */
  changes: ThemeChange[] | null;
  previousSubmittedAt: string | null;
};
