import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { readForm } from "../services/forms.server";
import { requireRole } from "../services/auth.server";
import { countryName } from "../services/countries.server";
import { getReport, respondToRecommendation } from "../services/reports.server";
import { ErrorSummary } from "../ui/error-summary";
import { FieldError } from "../ui/fields";
import { BackLink, formatDate } from "../ui/page";
import { AnswersByTheme, Recommendations, RedFlags, ReportSummary, ThemeScores, reportView } from "../ui/report";

export const meta: MetaFunction = () => [{ title: "Your report – Lantern" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "supplier");
  const report = await getReport(user, params.assessmentId!);
  const view = reportView(report, countryName);
  return {
    id: report.assessment.id,
    organisationName: user.organisationName,
    ...view,
    // The answers are part of the full report, which unlocks once every recommendation has a response.
    answers: report.unlocked ? view.answers : [],
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

export default function Report() {
  const r = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errorFor = (id: string) => (result && result.recommendationId === id ? (result.errors as Record<string, string>) : {});
  const errorItems = result ? Object.entries(result.errors as Record<string, string>).map(([field, text]) => ({ href: `#${result.recommendationId}-${field}`, text })) : [];
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
        <p className="govuk-body lantern-no-print">
          <Link className="govuk-link" to={`/assessments/${r.id}/sharing`}>
            Share this assessment with buyers
          </Link>{" "}
          or see who it is shared with.
        </p>
        <ReportSummary view={r} />
        <RedFlags flags={r.redFlags} />

        {!r.unlocked ? (
          <div className="govuk-inset-text">
            Respond to each recommendation to unlock your full report: your scores by theme, the changes since your last
            assessment and a printable copy. {r.unanswered} of {r.recommendations.length} still need a response.
          </div>
        ) : (
          <ThemeScores view={r}>
            <div className="govuk-button-group lantern-no-print">
              <a className="govuk-button govuk-button--secondary" href={`/assessments/${r.id}/report.pdf`} download>
                Download as PDF
              </a>
            </div>
          </ThemeScores>
        )}

        <Recommendations
          view={r}
          after={(rec, response) => {
            const errors = errorFor(rec.id);
            return !response || Object.keys(errors).length > 0 ? <ResponseForm recId={rec.id} title={rec.title} errors={errors} /> : null;
          }}
        />

        {r.unlocked && r.answers.length > 0 ? <AnswersByTheme answers={r.answers} heading="Your answers" /> : null}
      </div>
    </div>
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
