/** Small facts about questions that browser code needs too (no zod, no file access here). */
import type { Question } from "./format";

export const MAX_POINTS = 10;
export const TEXT_MAX_LENGTH = 2000;
export const YES_NO_VALUES = ["yes", "no", "dont_know"] as const;

/** The values a choice question accepts, or undefined for questions without a fixed list. */
export function choiceValues(question: Question): string[] | undefined {
  switch (question.type) {
    case "yesno":
      return question.dontKnow ? [...YES_NO_VALUES] : ["yes", "no"];
    case "single":
    case "multi":
      return question.options.map((o) => o.value);
    default:
      return undefined;
  }
}
