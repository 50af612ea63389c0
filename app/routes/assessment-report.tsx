import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { readForm } from "../services/forms.server";
import { useEffect, useRef } from "react";
import type { Priority } from "../../questionnaires/format";
import { questionIndex } from "../domain/questions";
import { requireRole } from "../services/auth.server";
import { countryName } from "../services/countries.server";
import { getReport, respondToRecommendation } from "../services/reports.server";
import { ErrorSummary } from "../ui/error-summary";
import { FieldError } from "../ui/fields";
import { formatAnswer } from "../ui/format-answer";
import { BackLink, Tag, formatDate } from "../ui/page";
import { RatingExplained, RatingPanel, type RatingView } from "../ui/rating";
import { MatchSummary, matchTitle } from "../ui/screening-match";
import type { Questionnaire } from "../../questionnaires/format";
import type { AssessmentResult } from "../domain/scoring";
import type { PotentialMatch } from "../domain/screening";

export const meta: MetaFunction = () => [{ title: "Your report – Lantern" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "supplier");
  const report = await getReport(user, params.assessmentId!);
  const index = questionIndex(report.questionnaire);
  const describe = (id: string, value: unknown) => {
    const q = index.get(id)?.question;
    return q ? formatAnswer(q, value as never, countryName) : String(value);
  };
  return {
    id: report.assessment.id,
    organisationName: user.organisationName,
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
    unlocked: report.unlocked,
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
    answers: report.unlocked
      ? report.questionnaire.themes.map((t) => ({
          title: t.title,
          rows: t.questions.filter((q) => q.id in report.answers).map((q) => ({ id: q.id, text: q.text, answer: describe(q.id, report.answers[q.id]) })),
        }))
      : [],
  };
}

/** The rating explained, for results of questionnaires with a risk model (none for MSAT 1.0). */
function ratingView(qn: Questionnaire, result: AssessmentResult, describe: (id: string, value: unknown) => string): RatingView | null {
  if (!result.exposure || !result.rating || !qn.rating) return null;
  const because = (ts: Array<{ questionId: string; question: string; answer: unknown }>) => ts.map((t) => `“${t.question}”: ${describe(t.questionId, t.answer)}`).join("; ");
  const label = (id: string) => qn.bands.find((b) => b.id === id)?.label ?? id;
  return {
    band: result.band,
    overall: result.overall,
    exposure: { level: result.exposure.level, escalated: result.exposure.escalated, factors: result.exposure.factors.map((f) => ({ id: f.id, level: f.level, reason: f.reason, because: because(f.triggeredBy) })) },
    rating: {
      explanation: result.rating.explanation,
      matrixBand: result.rating.matrixBand,
      caps: result.rating.caps.map((c) => ({ id: c.id, atBestLabel: c.atBestLabel, reason: c.reason, because: because(c.triggeredBy) })),
    },
    matrix: (["low", "medium", "high"] as const).map((level) => ({ exposure: level, cells: qn.rating!.matrix[level].map((c) => ({ band: c.band, label: label(c.band), min: c.min })) })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "supplier");
  const form = await readForm(request);
  const recommendationId = String(form.get("recommendationId") ?? "");
  const outcome = await respondToRecommendation(user, params.assessmentId!, recommendationId, {
    response: form.get("response"),
    targetDate: form.get("targetDate"),
    reason: form.get("reason"),
  });
  if (!outcome.ok) return data({ recommendationId, errors: outcome.errors }, { status: 400 });
  return redirect(`/assessments/${params.assessmentId}/report#rec-${recommendationId}`);
}

const PRIORITY: Record<Priority, { label: string; colour: "red" | "orange" | "grey" }> = {
  high: { label: "High priority", colour: "red" },
  medium: { label: "Medium priority", colour: "orange" },
  low: { label: "Low priority", colour: "grey" },
};
const RESPONSE_TEXT = { accepted: "Accepted", in_progress: "Already in progress", not_applicable: "Not applicable" } as const;

function ThemeChart({ themes }: { themes: Array<{ title: string; percent: number | null }> }) {
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
      <canvas ref={canvas} role="img" aria-label="Bar chart of your score in each theme; the same figures are in the table." />
    </div>
  );
}

export default function Report() {
  const r = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errorFor = (id: string) => (result && result.recommendationId === id ? (result.errors as Record<string, string>) : {});
  const errorItems = result ? Object.entries(result.errors as Record<string, string>).map(([field, text]) => ({ href: `#${result.recommendationId}-${field}`, text })) : [];
  const byPriority = (["high", "medium", "low"] as const).map((p) => ({ priority: p, items: r.recommendations.filter((x) => x.priority === p) }));
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        <BackLink href="/supplier">Back to your assessments</BackLink>
        <ErrorSummary errors={errorItems} />
        <span className="govuk-caption-l">{r.organisationName}</span>
        <h1 className="govuk-heading-l">Your modern slavery assessment report</h1>
        <p className="govuk-body">
          Submitted {formatDate(r.submittedAt)}. {r.title}, version {r.version}.
        </p>
        {r.ratingView ? (
          <RatingPanel view={r.ratingView} />
        ) : (
          <div className={`govuk-panel lantern-band--${r.band.id}`}>
            <h2 className="govuk-panel__title">{r.band.label}</h2>
            <div className="govuk-panel__body">Overall score {r.overall === null ? "not scored" : `${r.overall}%`}</div>
          </div>
        )}
        {r.ratingView ? <RatingExplained view={r.ratingView} /> : null}
        {r.screening ? <ScreeningSection screening={r.screening} /> : null}

        {r.redFlags.length > 0 ? (
          <section aria-labelledby="red-flags">
            <h2 className="govuk-heading-m" id="red-flags">
              Red flags
            </h2>
            <div className="govuk-warning-text">
              <span className="govuk-warning-text__icon" aria-hidden="true">!</span>
              <strong className="govuk-warning-text__text">
                <span className="govuk-visually-hidden">Warning</span>
                Red flags put your assessment in the highest-risk band whatever your score, and your contract manager will
                follow each one up with you.
              </strong>
            </div>
            {r.redFlags.map((f) => (
              <div key={f.id} className="lantern-flag">
                <h3 className="govuk-heading-s">{f.title}</h3>
                <p className="govuk-body">{f.description}</p>
                <p className="govuk-body-s">
                  Because you answered:{" "}
                  {f.triggeredBy.map((t) => `“${t.question}”: ${t.answer}`).join("; ")}
                </p>
              </div>
            ))}
          </section>
        ) : null}

        {!r.unlocked ? (
          <div className="govuk-inset-text">
            Respond to each recommendation to unlock your full report: your scores by theme, the changes since your last
            assessment and a printable copy. {r.unanswered} of {r.recommendations.length} still need a response.
          </div>
        ) : (
          <section aria-labelledby="themes">
            <h2 className="govuk-heading-m" id="themes">
              Scores by theme
            </h2>
            <div className="govuk-grid-row">
              <div className="govuk-grid-column-one-half">
                <ThemeChart themes={r.themes} />
              </div>
              <div className="govuk-grid-column-one-half">
                <table className="govuk-table">
                  <caption className="govuk-table__caption govuk-table__caption--s">Score in each theme</caption>
                  <thead className="govuk-table__head">
                    <tr className="govuk-table__row">
                      <th scope="col" className="govuk-table__header">Theme</th>
                      <th scope="col" className="govuk-table__header govuk-table__header--numeric">Score</th>
                      {r.changes ? <th scope="col" className="govuk-table__header govuk-table__header--numeric">Change since {formatDate(r.previousSubmittedAt!)}</th> : null}
                    </tr>
                  </thead>
                  <tbody className="govuk-table__body">
                    {r.themes.map((t) => {
                      const change = r.changes?.find((c) => c.themeId === t.themeId)?.change ?? null;
                      return (
                        <tr key={t.themeId} className="govuk-table__row">
                          <th scope="row" className="govuk-table__header">{t.title}</th>
                          <td className="govuk-table__cell govuk-table__cell--numeric">{t.percent === null ? "Not scored" : `${t.percent}%`}</td>
                          {r.changes ? (
                            <td className="govuk-table__cell govuk-table__cell--numeric">
                              {change === null ? "–" : change > 0 ? `up ${change} points` : change < 0 ? `down ${-change} points` : "no change"}
                            </td>
                          ) : null}
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </div>
            <div className="govuk-button-group lantern-no-print">
              <a className="govuk-button govuk-button--secondary" href={`/assessments/${r.id}/report.pdf`} download>
                Download as PDF
              </a>
            </div>
          </section>
        )}

        <h2 className="govuk-heading-m">Recommendations</h2>
        {r.recommendations.length === 0 ? <p className="govuk-body">Your answers triggered no recommendations.</p> : null}
        {byPriority
          .filter((g) => g.items.length > 0)
          .map((g) => (
            <section key={g.priority} aria-labelledby={`priority-${g.priority}`}>
              <h3 className="govuk-heading-s" id={`priority-${g.priority}`}>
                {PRIORITY[g.priority].label} ({g.items.length})
              </h3>
              {g.items.map((rec) => {
                const response = r.responses[rec.id];
                const errors = errorFor(rec.id);
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
                    <h5 className="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">Because you answered</h5>
                    <ul className="govuk-list govuk-list--bullet">
                      {rec.triggeredBy.map((t) => (
                        <li key={t.question}>
                          {t.question} <strong>{t.answer}</strong>
                        </li>
                      ))}
                    </ul>
                    {response ? (
                      <p className="govuk-body">
                        <Tag colour="green">Your response: {RESPONSE_TEXT[response.response]}</Tag>{" "}
                        {response.targetDate ? `by ${formatDate(response.targetDate)}` : ""}
                        {response.reason ? ` – ${response.reason}` : ""}
                      </p>
                    ) : null}
                    {!response || Object.keys(errors).length > 0 ? <ResponseForm recId={rec.id} title={rec.title} errors={errors} /> : null}
                  </div>
                );
              })}
            </section>
          ))}

        {r.unlocked && r.answers.length > 0 ? (
          <section aria-labelledby="answers">
            <h2 className="govuk-heading-m" id="answers">
              Your answers
            </h2>
            {r.answers.map((t) => (
              <div key={t.title}>
                <h3 className="govuk-heading-s">{t.title}</h3>
                <dl className="govuk-summary-list">
                  {t.rows.map((row) => (
                    <div key={row.id} className="govuk-summary-list__row">
                      <dt className="govuk-summary-list__key">{row.text}</dt>
                      <dd className="govuk-summary-list__value">{row.answer}</dd>
                    </div>
                  ))}
                </dl>
              </div>
            ))}
          </section>
        ) : null}
      </div>
    </div>
  );
}

function ScreeningSection({ screening }: { screening: { screened: number; matches: PotentialMatch[]; countryNames: Record<string, string> } }) {
  const name = (code: string) => screening.countryNames[code] ?? code;
  return (
    <section aria-labelledby="screening">
      <h2 className="govuk-heading-m" id="screening">
        Named suppliers checked against import bans
      </h2>
      {screening.screened === 0 ? (
        <p className="govuk-body">You did not name any suppliers or sites, so none could be checked.</p>
      ) : screening.matches.length === 0 ? (
        <p className="govuk-body">None of the {screening.screened === 1 ? "1 name" : `${screening.screened} names`} you gave matched the import-ban list when you submitted.</p>
      ) : (
        screening.matches.map((m) => (
          <div className="govuk-summary-card" key={`${m.entity.key}#${m.ban.id}`}>
            <div className="govuk-summary-card__title-wrapper">
              <h3 className="govuk-summary-card__title">{matchTitle(m, name)}</h3>
            </div>
            <div className="govuk-summary-card__content">
              <MatchSummary match={m} countryName={name} />
            </div>
          </div>
        ))
      )}
    </section>
  );
}

function ResponseForm({ recId, title, errors }: { recId: string; title: string; errors: Record<string, string> }) {
  const id = (field: string) => `${recId}-${field}`;
  return (
    <Form method="post" className="lantern-no-print" noValidate>
      <input type="hidden" name="recommendationId" value={recId} />
      <div className={`govuk-form-group${errors.response || errors.targetDate || errors.reason ? " govuk-form-group--error" : ""}`}>
        <fieldset className="govuk-fieldset">
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">
            How will you respond?<span className="govuk-visually-hidden"> to “{title}”</span>
          </legend>
          <FieldError id={id("response")} message={errors.response} />
          <div className="govuk-radios govuk-radios--small">
            <div className="govuk-radios__item">
              <input className="govuk-radios__input" id={id("response")} name="response" type="radio" value="accepted" />
              <label className="govuk-label govuk-radios__label" htmlFor={id("response")}>
                We accept it and will do it by a target date
              </label>
            </div>
            <div className="govuk-form-group govuk-!-margin-left-6">
              <label className="govuk-label" htmlFor={id("targetDate")}>
                Target date (if accepted)
              </label>
              <FieldError id={id("targetDate")} message={errors.targetDate} />
              <input className={`govuk-input govuk-input--width-10${errors.targetDate ? " govuk-input--error" : ""}`} id={id("targetDate")} name="targetDate" type="date" aria-describedby={errors.targetDate ? `${id("targetDate")}-error` : undefined} />
            </div>
            <div className="govuk-radios__item">
              <input className="govuk-radios__input" id={id("response-in_progress")} name="response" type="radio" value="in_progress" />
              <label className="govuk-label govuk-radios__label" htmlFor={id("response-in_progress")}>
                This is already in progress
              </label>
            </div>
            <div className="govuk-radios__item">
              <input className="govuk-radios__input" id={id("response-not_applicable")} name="response" type="radio" value="not_applicable" />
              <label className="govuk-label govuk-radios__label" htmlFor={id("response-not_applicable")}>
                It does not apply to us
              </label>
            </div>
            <div className="govuk-form-group govuk-!-margin-left-6">
              <label className="govuk-label" htmlFor={id("reason")}>
                Why it does not apply (if not applicable)
              </label>
              <FieldError id={id("reason")} message={errors.reason} />
              <textarea className={`govuk-textarea${errors.reason ? " govuk-textarea--error" : ""}`} id={id("reason")} name="reason" rows={2} maxLength={1000} aria-describedby={errors.reason ? `${id("reason")}-error` : undefined} />
            </div>
          </div>
        </fieldset>
      </div>
      <button type="submit" className="govuk-button govuk-button--secondary">
        Save response<span className="govuk-visually-hidden"> to “{title}”</span>
      </button>
    </Form>
  );
}
