import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { plural } from "../domain/text";
import { requireRole } from "../services/auth.server";
import { countryName } from "../services/countries.server";
import { getReport } from "../services/reports.server";
import { BackLink, Tag, formatDate } from "../ui/page";
import { SuccessBanner } from "../ui/success-banner";
import { AnswersByTheme, Recommendations, RedFlags, ReportSummary, ThemeScores, reportView } from "../ui/report";

export const meta: MetaFunction = () => [{ title: "Your report – Lantern" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "supplier");
  const report = await getReport(user, params.assessmentId!);
  const view = reportView(report, countryName);
  const responded = new URL(request.url).searchParams.get("responded");
  return {
    id: report.assessment.id,
    organisationName: user.organisationName,
    ...view,
    // how many responses the form just saved, for the banner
    responded: responded !== null && /^\d{1,4}$/.test(responded) ? Number(responded) : null,
  };
}

export default function Report() {
  const r = useLoaderData<typeof loader>();
  const respondHref = `/assessments/${r.id}/responses`;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        <BackLink href="/supplier">Back to your assessments</BackLink>
        {r.responded !== null ? (
          <SuccessBanner id="responded">
            {r.responded === 0 ? "No responses changed." : `Saved ${plural(r.responded, "response")}.`}{" "}
            {r.unanswered === 0 ? "Every recommendation has a response: your assessment is complete." : `${plural(r.unanswered, "recommendation")} still ${r.unanswered === 1 ? "needs" : "need"} a response.`}
          </SuccessBanner>
        ) : null}
        <span className="govuk-caption-l">{r.organisationName}</span>
        <h1 className="govuk-heading-l">Your modern slavery assessment report</h1>
        <p className="govuk-body">
          Submitted {formatDate(r.submittedAt)}. {r.title}, version {r.version}.
        </p>
        {r.unanswered > 0 ? (
          <div className="govuk-inset-text lantern-no-print">
            <p className="govuk-body">
              Your assessment is complete once you have responded to each recommendation: {r.unanswered} of {r.recommendations.length} still{" "}
              {r.unanswered === 1 ? "needs" : "need"} a response.
            </p>
            <a className="govuk-button govuk-!-margin-bottom-0" data-module="govuk-button" href={respondHref}>
              Respond to the recommendations
            </a>
          </div>
        ) : null}
        <p className="govuk-body lantern-no-print">
          <Link className="govuk-link" to={`/assessments/${r.id}/sharing`}>
            Share this assessment with buyers
          </Link>{" "}
          or see who it is shared with.
        </p>
        <ReportSummary view={r} />
        <RedFlags flags={r.redFlags} />

        <ThemeScores view={r}>
          <div className="govuk-button-group lantern-no-print">
            <a className="govuk-button govuk-button--secondary" href={`/assessments/${r.id}/report.pdf`} download>
              Download as PDF
            </a>
          </div>
        </ThemeScores>

        <Recommendations
          view={r}
          after={(rec, response) =>
            response ? (
              <p className="govuk-body lantern-no-print">
                <Link className="govuk-link" to={`${respondHref}#rec-${rec.id}`}>
                  Change your response<span className="govuk-visually-hidden"> to “{rec.title}”</span>
                </Link>
              </p>
            ) : (
              <p className="govuk-body">
                <Tag colour="grey">No response yet</Tag>{" "}
                <Link className="govuk-link lantern-no-print" to={`${respondHref}#rec-${rec.id}`}>
                  Respond<span className="govuk-visually-hidden"> to “{rec.title}”</span>
                </Link>
              </p>
            )
          }
        />

        {r.answers.length > 0 ? <AnswersByTheme answers={r.answers} heading="Your answers" /> : null}
      </div>
    </div>
  );
}
