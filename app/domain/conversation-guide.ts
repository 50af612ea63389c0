/**
 * The conversation guide: the agenda a contract manager takes into the follow-up conversation
 * with a supplier about a submitted assessment. What must be cleared comes first (red flags,
 * then the caps that held the rating down), then what the supplier should improve (recommendations
 * by priority, the weakest themes first), then the weakest themes themselves. Each item carries
 * questions to ask, what good looks like and what the supplier has said it will do.
 */
import type { Priority, Questionnaire } from "../../questionnaires/format";
import type { AssessmentResult, TriggeringAnswer } from "./scoring";

export type GuideResponse = {
  response: "accepted" | "in_progress" | "not_applicable";
  targetDate: string | null;
  reason: string | null;
};

/** An answer that led to an item, in words. */
export type GuideAnswer = { question: string; answer: string };

export type RedFlagItem = {
  kind: "redFlag";
  id: string;
  title: string;
  description: string;
  followUp: boolean;
  probes: string[];
  triggeredBy: GuideAnswer[];
};

export type CapItem = {
  kind: "cap";
  id: string;
  /** The band the rating can be no better than, in words. */
  atBestLabel: string;
  reason: string;
  triggeredBy: GuideAnswer[];
};

export type RecommendationItem = {
  kind: "recommendation";
  id: string;
  title: string;
  priority: Priority;
  themeId: string;
  themeTitle: string;
  themePercent: number | null;
  why: string;
  good: string;
  probes: string[];
  /** The supplier's response, or null while it has not responded. */
  response: GuideResponse | null;
  triggeredBy: GuideAnswer[];
};

export type ThemeItem = {
  kind: "theme";
  id: string;
  title: string;
  percent: number;
  description: string | null;
  probes: string[];
  /** The recommendations raised in this theme, in agenda order. */
  recommendations: Array<{ id: string; title: string }>;
};

export type GuideSection =
  | { id: "red-flags"; title: string; items: RedFlagItem[] }
  | { id: "caps"; title: string; items: CapItem[] }
  | { id: "recommendations"; title: string; items: RecommendationItem[] }
  | { id: "themes"; title: string; items: ThemeItem[] };

export type ConversationGuide = {
  summary: {
    rating: { id: string; label: string };
    overall: number | null;
    exposure: "low" | "medium" | "high" | null;
    explanation: string | null;
    redFlags: number;
    recommendations: number;
    /** Recommendations the supplier has not responded to yet. */
    awaitingResponse: number;
  };
  sections: [
    Extract<GuideSection, { id: "red-flags" }>,
    Extract<GuideSection, { id: "caps" }>,
    Extract<GuideSection, { id: "recommendations" }>,
    Extract<GuideSection, { id: "themes" }>,
  ];
};

/** How many of the lowest-scoring themes the guide discusses. */
export const WEAKEST_THEMES = 3;

const PRIORITY_ORDER: Record<Priority, number> = { high: 0, medium: 1, low: 2 };

export type GuideOptions = {
  /** An answer in words; by default the stored value as text. */
  describe?: (answer: TriggeringAnswer) => string;
};

const defaultDescribe = (t: TriggeringAnswer) => (Array.isArray(t.answer) ? t.answer.join(", ") : String(t.answer));

/**
 * The guide for a result. `questionnaire` supplies the questions to ask (`probes`), the order of
 * recommendations and the themes' descriptions; `responses` are the supplier's responses to the
 * result's recommendations by recommendation id.
 */
export function conversationGuide(
  questionnaire: Questionnaire,
  result: AssessmentResult,
  responses: Record<string, GuideResponse | undefined>,
  options: GuideOptions = {},
): ConversationGuide {
  const describe = options.describe ?? defaultDescribe;
  const answers = (ts: TriggeringAnswer[]): GuideAnswer[] => ts.map((t) => ({ question: t.question, answer: describe(t) }));

  const flagDefs = new Map(questionnaire.redFlags.map((f) => [f.id, f]));
  const redFlags: RedFlagItem[] = result.redFlags
    .map((f, i) => ({ f, i, followUp: f.followUp ?? flagDefs.get(f.id)?.followUp ?? true }))
    .sort((a, b) => Number(b.followUp) - Number(a.followUp) || a.i - b.i)
    .map(({ f, followUp }) => ({
      kind: "redFlag",
      id: f.id,
      title: f.title,
      description: f.description,
      followUp,
      probes: flagDefs.get(f.id)?.probes ?? [],
      triggeredBy: answers(f.triggeredBy),
    }));

  const caps: CapItem[] = (result.rating?.caps ?? []).map((c) => ({
    kind: "cap",
    id: c.id,
    atBestLabel: c.atBestLabel,
    reason: c.reason,
    triggeredBy: answers(c.triggeredBy),
  }));

  const themeScores = new Map(result.themes.map((t) => [t.themeId, t]));
  const themeDefs = new Map(questionnaire.themes.map((t) => [t.id, t]));
  const recDefs = new Map(questionnaire.recommendations.map((r, i) => [r.id, { def: r, position: i }]));
  // An unscored theme sorts after every scored one: there is no evidence it is weak.
  const themeRank = (themeId: string) => themeScores.get(themeId)?.percent ?? Number.POSITIVE_INFINITY;
  const position = (id: string, fallback: number) => recDefs.get(id)?.position ?? questionnaire.recommendations.length + fallback;

  const recommendations: RecommendationItem[] = result.recommendations
    .map((r, i) => ({ r, i }))
    .sort(
      (a, b) =>
        PRIORITY_ORDER[a.r.priority] - PRIORITY_ORDER[b.r.priority] ||
        themeRank(a.r.themeId) - themeRank(b.r.themeId) ||
        position(a.r.id, a.i) - position(b.r.id, b.i),
    )
    .map(({ r }) => {
      const theme = themeScores.get(r.themeId);
      const response = responses[r.id];
      return {
        kind: "recommendation",
        id: r.id,
        title: r.title,
        priority: r.priority,
        themeId: r.themeId,
        themeTitle: theme?.title ?? themeDefs.get(r.themeId)?.title ?? r.themeId,
        themePercent: theme?.percent ?? null,
        why: r.why,
        good: r.good,
        probes: recDefs.get(r.id)?.def.probes ?? [],
        response: response ? { response: response.response, targetDate: response.targetDate, reason: response.reason } : null,
        triggeredBy: answers(r.triggeredBy),
      };
    });

  const themes: ThemeItem[] = result.themes
    .map((t, i) => ({ t, i }))
    .filter((x): x is { t: typeof x.t & { percent: number }; i: number } => x.t.percent !== null)
    .sort((a, b) => a.t.percent - b.t.percent || a.i - b.i)
    .slice(0, WEAKEST_THEMES)
    .map(({ t }) => ({
      kind: "theme",
      id: t.themeId,
      title: t.title,
      percent: t.percent,
      description: themeDefs.get(t.themeId)?.description ?? null,
      probes: [
        `What is holding back your work on ${lowerFirst(t.title)}?`,
        "What will you have in place by your next assessment, and who is responsible for it?",
      ],
      recommendations: recommendations.filter((r) => r.themeId === t.themeId).map((r) => ({ id: r.id, title: r.title })),
    }));

  return {
    summary: {
      rating: { id: result.band.id, label: result.band.label },
      overall: result.overall,
      exposure: result.exposure?.level ?? null,
      explanation: result.rating?.explanation ?? null,
      redFlags: redFlags.length,
      recommendations: recommendations.length,
      awaitingResponse: recommendations.filter((r) => r.response === null).length,
    },
    sections: [
      { id: "red-flags", title: "Red flags", items: redFlags },
      { id: "caps", title: "Limits on the rating", items: caps },
      { id: "recommendations", title: "Recommendations", items: recommendations },
      { id: "themes", title: "Weakest themes", items: themes },
    ],
  };
}

/** "Supply-chain mapping" reads as "supply-chain mapping" mid-sentence; "UK ..." and "ILO ..." stay. */
function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text[0]!.toLowerCase() + text.slice(1) : text;
}
