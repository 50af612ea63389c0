/**
 * How the conversation form lays out the "how far was each answer checked" selects: first the
 * answers behind the result's red flags and the recommendations discussed (what the conversation
 * is really about), then one section per theme for the rest. Each answer appears once, in the
 * first section that needs it, and a section knows how many of its answers are already checked and
 * whether it holds an error (so the page opens it).
 */
import { plural } from "./text";

/** The section of answers behind red flags and discussed recommendations. */
export const FLAGGED_SECTION_ID = "flagged";
export const FLAGGED_SECTION_TITLE = "Answers behind red flags and discussed recommendations";

export type LayoutQuestion = { id: string; themeId: string; themeTitle: string };

/** Something in the result that answers led to: a red flag or a recommendation. */
export type LayoutTrigger = { title: string; questionIds: readonly string[] };

export type VerificationSection = {
  id: string;
  title: string;
  questionIds: string[];
  /** Answers marked evidence seen or verified. */
  checked: number;
  /** Whether one of its answers has an error (the page opens the section). */
  hasError: boolean;
};

export type LayoutInput = {
  /** The answered questions, in questionnaire order. */
  questions: readonly LayoutQuestion[];
  /** The result's red flags, each with the questions whose answers raised it. */
  redFlags: readonly LayoutTrigger[];
  /** The recommendations discussed, each with the questions whose answers triggered it. */
  discussed: readonly LayoutTrigger[];
  /** The level chosen for a question ("self_declared" when none). */
  levelOf: (questionId: string) => string;
  /** Questions whose select has an error. */
  errorIds?: ReadonlySet<string>;
};

const isChecked = (level: string) => level === "evidence_seen" || level === "verified";

/** The sections, in order; empty sections are left out. */
export function verificationSections(input: LayoutInput): VerificationSection[] {
  const answered = new Set(input.questions.map((q) => q.id));
  const wanted = new Set([...input.redFlags, ...input.discussed].flatMap((t) => t.questionIds).filter((id) => answered.has(id)));
  const section = (id: string, title: string, questionIds: string[]): VerificationSection => ({
    id,
    title,
    questionIds,
    checked: questionIds.filter((q) => isChecked(input.levelOf(q))).length,
    hasError: questionIds.some((q) => input.errorIds?.has(q) ?? false),
  });
  const sections: VerificationSection[] = [];
  const flagged = input.questions.filter((q) => wanted.has(q.id)).map((q) => q.id);
  if (flagged.length > 0) sections.push(section(FLAGGED_SECTION_ID, FLAGGED_SECTION_TITLE, flagged));
  const themes = new Map<string, { title: string; ids: string[] }>();
  for (const q of input.questions) {
    if (wanted.has(q.id)) continue;
    const theme = themes.get(q.themeId) ?? { title: q.themeTitle, ids: [] };
    theme.ids.push(q.id);
    themes.set(q.themeId, theme);
  }
  for (const [id, theme] of themes) sections.push(section(`theme-${id}`, theme.title, theme.ids));
  return sections;
}

/** What a section holds, in words: "12 answers, 3 evidence seen or verified". */
export function sectionSummary(section: Pick<VerificationSection, "questionIds" | "checked">): string {
  return `${plural(section.questionIds.length, "answer")}, ${section.checked} evidence seen or verified`;
}

/** Why each answer of the first section is there: the red flags and recommendations it led to, by question id. */
export function flaggedBecause(input: Pick<LayoutInput, "redFlags" | "discussed">): Map<string, string[]> {
  const reasons = new Map<string, string[]>();
  const add = (kind: string, t: LayoutTrigger) => {
    for (const id of new Set(t.questionIds)) reasons.set(id, [...(reasons.get(id) ?? []), `${kind}: ${t.title}`]);
  };
  for (const f of input.redFlags) add("Red flag", f);
  for (const r of input.discussed) add("Recommendation discussed", r);
  return reasons;
}
