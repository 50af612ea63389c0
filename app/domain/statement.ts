/**
 * The statement pack: a period's figures turned into the sentences a department publishes in its
 * modern slavery statement ("78% of our suppliers have taken steps to map their supply chains and
 * of those, 45% have mapped at least down to their second tier."), and into the rows of the
 * downloadable tables. The page and every download are built from these, so they cannot disagree.
 */
import type { KpiFigure } from "./kpis";
import type { ProgrammeKpi } from "./programme";
import { plural } from "./text";

export type StatementFigure = Pick<KpiFigure, "id" | "title" | "theme" | "statement" | "ofThose" | "numerator" | "denominator" | "percent" | "tooFew">;

export type StatementSentence = {
  text: string;
  /** The KPIs the sentence reports, in order. */
  kpis: string[];
};

export type ThemeStatement = {
  theme: string;
  /** The theme as a heading: "Supply chain mapping". */
  heading: string;
  sentences: StatementSentence[];
  /** Why figures were left out ("too few to report"). */
  notes: string[];
  /** Said instead of sentences when the theme has none. */
  none: string | null;
};

export const themeHeading = (theme: string) => theme.charAt(0).toUpperCase() + theme.slice(1);

/** A percentage as published: a whole number, however it reached us. */
const whole = (percent: number) => `${Math.round(percent)}%`;

/**
 * The verb phrase after "of those, N%". A statement derived from a title such as "Of those who
 * mapped, mapped at least to their second tier" already says "of those": it is not said twice.
 */
function narrowingPhrase(f: StatementFigure): string {
  return f.statement.replace(/^of those\b[^,]*,\s*/i, "");
}

type Reportable = StatementFigure & { percent: number };
/** "Of those who mapped" from a title such as "Of those who mapped, mapped at least to their second tier". */
function whomItCounts(f: StatementFigure): string {
  const prefix = /^(of those\b[^,]*),/i.exec(f.title)?.[1];
  return prefix ? prefix.charAt(0).toUpperCase() + prefix.slice(1) : "Of the suppliers this applies to";
}

const reportable = (f: StatementFigure): f is Reportable => f.percent !== null && f.denominator > 0;
/** A sentence being written: a figure over every supplier and the "of those" figures that narrow it. */
type Opened = { head: Reportable; narrower: Reportable[] };

/**
 * The sentences for each theme, in the order the figures come (themes in order of first
 * appearance). A KPI counted over a subset ("of those") joins the sentence of the KPI before it in
 * its theme, the one it narrows; figures too small to report are left out with a note.
 */
export function statementThemes(figures: readonly StatementFigure[]): ThemeStatement[] {
  const themes = new Map<string, StatementFigure[]>();
  for (const f of figures) themes.set(f.theme, [...(themes.get(f.theme) ?? []), f]);
  return [...themes].map(([theme, members]) => {
    // Each sentence opens with a figure over every supplier; "of those" figures join the one before.
    const sentences: Array<Opened | StatementSentence> = [];
    const notes: string[] = [];
    let open: Opened | null = null;
    for (const f of members) {
      if (!reportable(f)) {
        if (f.tooFew) notes.push(`“${f.title}” is left out: too few suppliers to report (${f.numerator} of ${f.denominator}).`);
        if (!f.ofThose) open = null;
      } else if (!f.ofThose) {
        open = { head: f, narrower: [] };
        sentences.push(open);
      } else if (open && f.denominator <= open.head.numerator) {
        open.narrower.push(f);
      } else {
        // Nothing before it that it can narrow (a narrower figure counts only suppliers in the
        // numerator of the one it narrows): it stands alone, saying whom it counts.
        sentences.push({ text: `${whomItCounts(f)}, ${whole(f.percent)} ${narrowingPhrase(f)}.`, kpis: [f.id] });
      }
    }
    const written = sentences.map((s): StatementSentence => {
      if ("text" in s) return s;
      const narrower = s.narrower.map((n, i) => `${i === 0 ? " and of those, " : " and "}${whole(n.percent)} ${narrowingPhrase(n)}`).join("");
      return { text: `${whole(s.head.percent)} of our suppliers ${s.head.statement}${narrower}.`, kpis: [s.head.id, ...s.narrower.map((n) => n.id)] };
    });
    return {
      theme,
      heading: themeHeading(theme),
      sentences: written,
      notes,
      none: written.length === 0 ? `No figures to report on ${theme.toLowerCase()} for this period.` : null,
    };
  });
}

/** The statement as a plain-text file: a title, what the figures cover, then each theme. */
export function statementDocument(input: { organisation: string; periodLabel: string; periodId: string; suppliers: number; scope: string[]; themes: ThemeStatement[] }): string {
  const lines = [
    `Modern slavery statement figures: ${input.organisation}, ${input.periodLabel} (${input.periodId})`,
    "",
    coverage(input.suppliers),
    ...input.scope,
  ];
  for (const t of input.themes) {
    lines.push("", t.heading, ...t.sentences.map((s) => s.text));
    if (t.none) lines.push(t.none);
    lines.push(...t.notes.map((n) => `Note: ${n}`));
  }
  return `${lines.join("\n")}\n`;
}

/** The line saying whose answers the figures come from. */
export function coverage(suppliers: number): string {
  return `These figures come from the latest self-assessment each supplier submitted in the period and shares with us: ${plural(suppliers, "supplier")}.`;
}

/**
 * Which suppliers the figures cover when the dashboard is filtered, and whether small numbers are
 * shown, in words for the page and the statement file.
 */
export function describeScope(scope: { tierLabel?: string; category?: string; priorityOnly?: boolean; smallNumbers: boolean; smallNumber: number }): string[] {
  const lines: string[] = [];
  if (scope.tierLabel || scope.category || scope.priorityOnly) {
    const contracts = `${scope.tierLabel ? `${scope.tierLabel} tier ` : ""}${scope.priorityOnly ? "priority " : ""}contracts${scope.category ? ` in the category “${scope.category}”` : ""}`;
    lines.push(`Only suppliers of our ${contracts} are counted.`);
  }
  lines.push(
    scope.smallNumbers
      ? `Figures about fewer than ${scope.smallNumber} suppliers are shown; treat them with care.`
      : `Figures about fewer than ${scope.smallNumber} suppliers are not reported.`,
  );
  return lines;
}

// ---- figures as the tables show them ----------------------------------------------------------

/** The change in percentage points between two figures; null when either has no percentage. */
export function pointsChange(current: number | null, previous: number | null): number | null {
  return current === null || previous === null ? null : current - previous;
}

/** "+5 points", "−3 points", "No change", or "–" when there is nothing to compare. */
export function describeChange(points: number | null): string {
  if (points === null) return "–";
  if (points === 0) return "No change";
  const size = Math.abs(points);
  return `${points > 0 ? "+" : "−"}${plural(size, "point")}`;
}

/** "+4.2 points across 12 suppliers", or why there is no average. */
export function describeScoreChange(change: { suppliers: number; averageChange: number | null }): string {
  if (change.averageChange === null) return "No supplier has an earlier submission to compare with";
  const sign = change.averageChange > 0 ? "+" : change.averageChange < 0 ? "−" : "";
  return `${sign}${Math.abs(change.averageChange).toFixed(1)} points across ${plural(change.suppliers, "supplier")}`;
}

// ---- the downloads' rows ----------------------------------------------------------------------

export const PACK_COLUMNS = [
  "table",
  "period",
  "id",
  "title",
  "theme",
  "numerator",
  "denominator",
  "percent",
  "too_few",
  "not_asked",
  "goal",
  "previous_numerator",
  "previous_denominator",
  "previous_percent",
  "change",
] as const;
export type PackColumn = (typeof PACK_COLUMNS)[number];
/** A cell: text, a plain number, or empty. */
export type PackValue = string | number | null;
export type PackRow = Record<PackColumn, PackValue>;

export type PackPeriod = {
  period: { id: string };
  figures: KpiFigure[];
  scoreChange: { suppliers: number; averageChange: number | null };
};

export type Pack = { findings: PackRow[]; programme: PackRow[]; scoreChange: PackRow[]; statement: PackRow[] };

const emptyRow = (table: string, period: string): PackRow => ({
  table,
  period,
  id: null,
  title: null,
  theme: null,
  numerator: null,
  denominator: null,
  percent: null,
  too_few: null,
  not_asked: null,
  goal: null,
  previous_numerator: null,
  previous_denominator: null,
  previous_percent: null,
  change: null,
});

/** Every table of the statistics page as rows, for CSV (one file) and XLSX (one sheet each). */
export function packRows(input: {
  findings: { current: PackPeriod; previous: PackPeriod };
  programme: { current: { period: { id: string }; kpis: ProgrammeKpi[] }; previous: { kpis: ProgrammeKpi[] } };
  themes: ThemeStatement[];
}): Pack {
  const { current, previous } = input.findings;
  const findings = current.figures.map((f): PackRow => {
    const before = previous.figures.find((p) => p.id === f.id);
    return {
      ...emptyRow("findings", current.period.id),
      id: f.id,
      title: f.title,
      theme: f.theme,
      numerator: f.numerator,
      denominator: f.denominator,
      percent: f.percent,
      too_few: f.tooFew ? "yes" : "no",
      not_asked: f.notAsked,
      previous_numerator: before?.numerator ?? null,
      previous_denominator: before?.denominator ?? null,
      previous_percent: before?.percent ?? null,
      change: pointsChange(f.percent, before?.percent ?? null),
    };
  });
  const programme = input.programme.current.kpis.map((k): PackRow => {
    const before = input.programme.previous.kpis.find((p) => p.id === k.id);
    return {
      ...emptyRow("programme", input.programme.current.period.id),
      id: k.id,
      title: k.title,
      numerator: k.numerator,
      denominator: k.denominator,
      percent: k.percent,
      goal: k.goal,
      previous_numerator: before?.numerator ?? null,
      previous_denominator: before?.denominator ?? null,
      previous_percent: before?.percent ?? null,
      change: pointsChange(k.percent, before?.percent ?? null),
    };
  });
  const scoreChange = [current, previous].map(
    (p): PackRow => ({
      ...emptyRow("score_change", p.period.id),
      id: "overall_score",
      title: "Average change in overall score against each supplier's previous submission",
      denominator: p.scoreChange.suppliers,
      change: p.scoreChange.averageChange,
    }),
  );
  const statement = input.themes.flatMap((t) => [
    ...t.sentences.map((s): PackRow => ({ ...emptyRow("statement", current.period.id), id: s.kpis.join(" "), title: s.text, theme: t.theme })),
    ...(t.none ? [{ ...emptyRow("statement", current.period.id), id: "none", title: t.none, theme: t.theme }] : []),
    ...t.notes.map((n): PackRow => ({ ...emptyRow("statement", current.period.id), id: "note", title: n, theme: t.theme })),
  ]);
  return { findings, programme, scoreChange, statement };
}
