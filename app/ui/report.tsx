/**
 * The read-only parts of a submitted assessment's report, shared by the supplier's report (which
 * adds its response forms) and a buyer's view of a shared result. `voice` says who reads it: the
 * supplier about itself ("you"), or a buyer about the supplier.
 */
import { useEffect, useRef, type ReactNode } from "react";
import type { Priority, Questionnaire } from "../../questionnaires/format";
import { questionIndex } from "../domain/questions";
import type { AssessmentResult } from "../domain/scoring";
import type { PotentialMatch } from "../domain/screening";
import type { Report, ResponseKind } from "../domain/report";
import { formatAnswer } from "../domain/format-answer";
import { Tag, formatDate } from "./page";
import { RatingExplained, RatingPanel, type RatingView, type Voice } from "./rating";
import { MatchSummary, matchTitle } from "./screening-match";
import { plural } from "../domain/text";
import { TableScroll } from "./table";

export type { Voice };

// ---- the view: what a page needs from a report, as plain serialisable data --------------------

/** A report turned into what the pages show: answers in words, titles resolved, the rating explained. */
export function reportView(report: Report, countryName: (code: string) => string) {
  const index = questionIndex(report.questionnaire);
  const describe = (id: string, value: unknown) => {
    const q = index.get(id)?.question;
    return q ? formatAnswer(q, value as never, countryName) : String(value);
  };
  return {
    submittedAt: report.submission.submittedAt,
    version: report.submission.version,
    title: report.questionnaire.title,
    overall: report.result.overall,
    band: report.result.band,
    themes: report.result.themes,
    redFlags: report.result.redFlags.map((f) => ({ ...f, triggeredBy: f.triggeredBy.map((t) => ({ question: t.question, answer: describe(t.questionId, t.answer) })) })),
    recommendations: report.result.recommendations.map((r) => ({
      ...r,
      themeTitle: report.questionnaire.themes.find((t) => t.id === r.themeId)?.title ?? r.themeId,
      triggeredBy: r.triggeredBy.map((t) => ({ question: t.question, answer: describe(t.questionId, t.answer) })),
    })),
    responses: report.responses,
    allResponded: report.allResponded,
    unanswered: report.unanswered,
    changes: report.changes,
    previousSubmittedAt: report.previousSubmittedAt,
    ratingView: ratingView(report.questionnaire, report.result, describe),
    screening: report.result.screening
      ? {
          screened: report.result.screening.screened,
          matches: report.result.screening.matches,
          countryNames: Object.fromEntries(
            report.result.screening.matches.flatMap((m) => [m.entity.country, m.ban.country]).filter((c): c is string => Boolean(c)).map((c) => [c, countryName(c)]),
          ),
        }
      : null,
    answers: report.questionnaire.themes.map((t) => ({
      title: t.title,
      rows: t.questions.filter((q) => q.id in report.answers).map((q) => ({ id: q.id, text: q.text, answer: describe(q.id, report.answers[q.id]) })),
    })),
  };
}

export type ReportView = ReturnType<typeof reportView>;

/** The rating explained, for results of questionnaires with a risk model (none for MSAT 1.0). */
function ratingView(qn: Questionnaire, result: AssessmentResult, describe: (id: string, value: unknown) => string): RatingView | null {
  if (!result.exposure || !result.rating || !qn.rating) return null;
  const because = (ts: Array<{ questionId: string; question: string; answer: unknown }>) => ts.map((t) => `“${t.question}”: ${describe(t.questionId, t.answer)}`).join("; ");
  return {
    band: result.band,
    overall: result.overall,
    exposure: { level: result.exposure.level, escalated: result.exposure.escalated, factors: result.exposure.factors.map((f) => ({ id: f.id, level: f.level, reason: f.reason, because: because(f.triggeredBy) })) },
    rating: {
      explanation: result.rating.explanation,
      matrixBand: result.rating.matrixBand,
      caps: result.rating.caps.map((c) => ({ id: c.id, atBestLabel: c.atBestLabel, reason: c.reason, because: because(c.triggeredBy) })),
    },
    // Every band in every row, best first: a band a row leaves out is not given by the score alone at that exposure.
    matrix: (["low", "medium", "high"] as const).map((level) => ({
      exposure: level,
      cells: [...qn.bands].sort((a, b) => b.min - a.min).map((b) => ({ band: b.id, label: b.label, min: qn.rating!.matrix[level].find((c) => c.band === b.id)?.min ?? null })),
    })),
  };
}

// ---- the components --------------------------------------------------------------------------

export const PRIORITY: Record<Priority, { label: string; colour: "red" | "orange" | "grey" }> = {
  high: { label: "High priority", colour: "red" },
  medium: { label: "Medium priority", colour: "orange" },
  low: { label: "Low priority", colour: "grey" },
};
export const RESPONSE_TEXT: Record<ResponseKind, string> = { accepted: "Accepted", in_progress: "Already in progress", not_applicable: "Not applicable" };

const WORDS = {
  supplier: {
    redFlagWarning: "Red flags put your assessment in the highest-risk band whatever your score, and your contract manager will follow each one up with you.",
    followUpWarning: "Your contract manager will follow each of these up with you. Those marked “Highest-risk band” put your assessment in the highest-risk band whatever your score; the others do not set your rating by themselves.",
    because: "Because you answered",
    noneNamed: "You did not name any suppliers or sites, so none could be checked.",
    noneMatched: (n: number) => `${n === 1 ? "The name you gave did not match" : `None of the ${plural(n, "name")} you gave matched`} the import-ban list when you submitted.`,
    chart: "Bar chart of your score in each theme; the same figures are in the table.",
    noRecommendations: "Your answers triggered no recommendations.",
    response: "Your response",
  },
  buyer: {
    redFlagWarning: "Red flags put an assessment in the highest-risk band whatever its score. Follow each one up with the supplier.",
    followUpWarning: "Follow each of these up with the supplier. Those marked “Highest-risk band” put the assessment in the highest-risk band whatever its score; the others do not set the rating by themselves.",
    because: "Because the supplier answered",
    noneNamed: "The supplier did not name any suppliers or sites, so none could be checked.",
    noneMatched: (n: number) => `${n === 1 ? "The name the supplier gave did not match" : `None of the ${plural(n, "name")} the supplier gave matched`} the import-ban list when it submitted.`,
    chart: "Bar chart of the supplier's score in each theme; the same figures are in the table.",
    noRecommendations: "The supplier's answers triggered no recommendations.",
    response: "Supplier's response",
  },
} as const;

/** The rating in a panel: with a risk model, exposure and management score; without, the overall score. */
export function ResultPanel({ view }: { view: Pick<ReportView, "ratingView" | "band" | "overall"> }) {
  if (view.ratingView) return <RatingPanel view={view.ratingView} />;
  return (
    <div className={`govuk-panel lantern-band--${view.band.id}`}>
      <h2 className="govuk-panel__title">{view.band.label}</h2>
      <div className="govuk-panel__body">Overall score {view.overall === null ? "not scored" : `${view.overall}%`}</div>
    </div>
  );
}

/** The panel, how the rating was worked out, and the import-ban screening: the top of every report. */
export function ReportSummary({ view, voice = "supplier" }: { view: Pick<ReportView, "ratingView" | "band" | "overall" | "screening">; voice?: Voice }) {
  return (
    <>
      <ResultPanel view={view} />
      {view.ratingView ? <RatingExplained view={view.ratingView} voice={voice} /> : null}
      {view.screening ? <ScreeningSection screening={view.screening} voice={voice} /> : null}
    </>
  );
}

export function ScreeningSection({ screening, voice = "supplier" }: { screening: { screened: number; matches: PotentialMatch[]; countryNames: Record<string, string> }; voice?: Voice }) {
  const w = WORDS[voice];
  const name = (code: string) => screening.countryNames[code] ?? code;
  return (
    <section aria-labelledby="screening">
      <h2 className="govuk-heading-m" id="screening">
        Named suppliers checked against import bans
      </h2>
      {screening.screened === 0 ? (
        <p className="govuk-body">{w.noneNamed}</p>
      ) : screening.matches.length === 0 ? (
        <p className="govuk-body">{w.noneMatched(screening.screened)}</p>
      ) : (
        screening.matches.map((m) => (
          <div className="govuk-summary-card" key={`${m.entity.key}#${m.ban.id}`}>
            <div className="govuk-summary-card__title-wrapper">
              <h3 className="govuk-summary-card__title">{matchTitle(m, name)}</h3>
            </div>
            <div className="govuk-summary-card__content">
              <MatchSummary match={m} countryName={name} voice={voice} />
            </div>
          </div>
        ))
      )}
    </section>
  );
}

export function RedFlags({ flags, voice = "supplier" }: { flags: ReportView["redFlags"]; voice?: Voice }) {
  const w = WORDS[voice];
  if (flags.length === 0) return null;
  // Some flags (MSAT 1.2 on) ask for a follow-up without forcing the band: say which do which.
  const mixed = flags.some((f) => f.forcesBand === false);
  return (
    <section aria-labelledby="red-flags">
      <h2 className="govuk-heading-m" id="red-flags">
        Red flags
      </h2>
      <div className="govuk-warning-text">
        <span className="govuk-warning-text__icon" aria-hidden="true">
          !
        </span>
        <strong className="govuk-warning-text__text">
          <span className="govuk-visually-hidden">Warning</span>
          {mixed ? w.followUpWarning : w.redFlagWarning}
        </strong>
      </div>
      {flags.map((f) => (
        <div key={f.id} className="lantern-flag">
          <h3 className="govuk-heading-s">
            {f.title}
            {mixed && f.forcesBand !== false ? (
              <>
                {" "}
                <Tag colour="red">Highest-risk band</Tag>
              </>
            ) : null}
          </h3>
          <p className="govuk-body">{f.description}</p>
          <p className="govuk-body-s">
            {w.because}: {f.triggeredBy.map((t) => `“${t.question}”: ${t.answer}`).join("; ")}
          </p>
        </div>
      ))}
    </section>
  );
}

function ThemeChart({ themes, label }: { themes: Array<{ title: string; percent: number | null }>; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Set from script, not a style attribute: the content security policy allows no inline styles.
    if (box.current) box.current.style.height = `${themes.length * 36 + 40}px`;
    let chart: { destroy(): void } | undefined;
    let cancelled = false;
    import("chart.js").then(({ Chart, BarController, BarElement, CategoryScale, LinearScale, Tooltip }) => {
      if (cancelled || !canvas.current) return;
      Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);
      chart = new Chart(canvas.current, {
        type: "bar",
        data: {
          labels: themes.map((t) => t.title),
          datasets: [{ label: "Score (%)", data: themes.map((t) => t.percent ?? 0), backgroundColor: "#1d70b8" }],
        },
        options: {
          indexAxis: "y",
          responsive: true,
          maintainAspectRatio: false,
          animation: false,
          scales: { x: { min: 0, max: 100, ticks: { callback: (v) => `${v}%` } } },
        },
      });
    });
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [themes]);
  return (
    <div className="lantern-chart" ref={box}>
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}

const changeText = (change: number | null) => (change === null ? "–" : change > 0 ? `up ${plural(change, "point")}` : change < 0 ? `down ${plural(-change, "point")}` : "no change");

/** Scores by theme: a chart beside a table with the same figures, and the change since the previous submission. */
export function ThemeScores({
  view,
  voice = "supplier",
  children,
}: {
  view: Pick<ReportView, "themes" | "changes" | "previousSubmittedAt">;
  voice?: Voice;
  children?: ReactNode;
}) {
  const { themes, changes, previousSubmittedAt } = view;
  return (
    <section aria-labelledby="themes">
      <h2 className="govuk-heading-m" id="themes">
        Scores by theme
      </h2>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-half">
          <ThemeChart themes={themes} label={WORDS[voice].chart} />
        </div>
        <div className="govuk-grid-column-one-half">
          <TableScroll label="Score in each theme">
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-table__caption--s">Score in each theme</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">
                  Theme
                </th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                  Score
                </th>
                {changes ? <th scope="col" className="govuk-table__header govuk-table__header--numeric">Change since {formatDate(previousSubmittedAt!)}</th> : null}
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {themes.map((t) => {
                const change = changes?.find((c) => c.themeId === t.themeId)?.change ?? null;
                return (
                  <tr key={t.themeId} className="govuk-table__row">
                    <th scope="row" className="govuk-table__header">
                      {t.title}
                    </th>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{t.percent === null ? "Not scored" : `${t.percent}%`}</td>
                    {changes ? <td className="govuk-table__cell govuk-table__cell--numeric">{changeText(change)}</td> : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
          </TableScroll>
        </div>
      </div>
      {children}
    </section>
  );
}

type Recommendation = ReportView["recommendations"][number];
type Response = ReportView["responses"][string];

/** The supplier's response to one recommendation, read-only. */
export function ResponseSummary({ response, voice = "supplier" }: { response: Response; voice?: Voice }) {
  return (
    <p className="govuk-body">
      <Tag colour="green">
        {WORDS[voice].response}: {RESPONSE_TEXT[response.response]}
      </Tag>{" "}
      {response.targetDate ? `by ${formatDate(response.targetDate)}` : ""}
      {response.reason ? ` – ${response.reason}` : ""}
    </p>
  );
}

/**
 * The recommendations by priority, each with why it matters, what good looks like, what triggered
 * it and the supplier's response. `after` adds something under each one (the supplier's response form).
 */
export function Recommendations({
  view,
  voice = "supplier",
  after,
}: {
  view: Pick<ReportView, "recommendations" | "responses">;
  voice?: Voice;
  after?: (rec: Recommendation, response: Response | undefined) => ReactNode;
}) {
  const w = WORDS[voice];
  const byPriority = (["high", "medium", "low"] as const).map((p) => ({ priority: p, items: view.recommendations.filter((x) => x.priority === p) }));
  return (
    <>
      <h2 className="govuk-heading-m">Recommendations</h2>
      {view.recommendations.length === 0 ? <p className="govuk-body">{w.noRecommendations}</p> : null}
      {byPriority
        .filter((g) => g.items.length > 0)
        .map((g) => (
          <section key={g.priority} aria-labelledby={`priority-${g.priority}`}>
            <h3 className="govuk-heading-s" id={`priority-${g.priority}`}>
              {PRIORITY[g.priority].label} ({g.items.length})
            </h3>
            {g.items.map((rec) => {
              const response = view.responses[rec.id];
              return (
                <div key={rec.id} id={`rec-${rec.id}`} className="lantern-recommendation">
                  <h4 className="govuk-heading-s">
                    {rec.title} <Tag colour={PRIORITY[rec.priority].colour}>{PRIORITY[rec.priority].label}</Tag>
                  </h4>
                  <p className="govuk-body-s">{rec.themeTitle}</p>
                  <h5 className="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">Why it matters</h5>
                  <p className="govuk-body">{rec.why}</p>
                  <h5 className="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">What good looks like</h5>
                  <p className="govuk-body">{rec.good}</p>
                  <h5 className="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">{w.because}</h5>
                  <ul className="govuk-list govuk-list--bullet">
                    {rec.triggeredBy.map((t) => (
                      <li key={t.question}>
                        {t.question} <strong>{t.answer}</strong>
                      </li>
                    ))}
                  </ul>
                  {response ? <ResponseSummary response={response} voice={voice} /> : null}
                  {after ? after(rec, response) : null}
                </div>
              );
            })}
          </section>
        ))}
    </>
  );
}

/**
 * The answers, theme by theme, as summary lists. `collapsed` puts each theme in a details element
 * (they open without JavaScript), for pages where the answers are not the main thing.
 */
export function AnswersByTheme({ answers, heading, collapsed = false }: { answers: ReportView["answers"]; heading: string; collapsed?: boolean }) {
  const list = (t: ReportView["answers"][number]) =>
    collapsed && t.rows.length === 0 ? (
      <p className="govuk-body">No questions in this theme were answered.</p>
    ) : (
      <dl className="govuk-summary-list">
        {t.rows.map((row) => (
          <div key={row.id} className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">{row.text}</dt>
            <dd className="govuk-summary-list__value">{row.answer}</dd>
          </div>
        ))}
      </dl>
    );
  return (
    <section aria-labelledby="answers">
      <h2 className="govuk-heading-m" id="answers">
        {heading}
      </h2>
      {answers.map((t) =>
        collapsed ? (
          <details className="govuk-details" key={t.title}>
            <summary className="govuk-details__summary">
              <span className="govuk-details__summary-text">{t.title}</span>
            </summary>
            <div className="govuk-details__text">{list(t)}</div>
          </details>
        ) : (
          <div key={t.title}>
            <h3 className="govuk-heading-s">{t.title}</h3>
            {list(t)}
          </div>
        ),
      )}
    </section>
  );
}
