import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { assessmentState } from "../services/assessments.server";
import { screenAnswers } from "../services/risk.server";
import { requireRole } from "../services/auth.server";
import { formatDate } from "../ui/page";
import { plural } from "../domain/text";

export const meta: MetaFunction = () => [{ title: "Your assessment – Lantern" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "supplier");
  const { assessment, qn, stored, answers, progress } = await assessmentState(user, params.assessmentId!);
  if (assessment.status !== "draft") throw redirect(`/assessments/${assessment.id}/report`);
  const screening = qn.exposure ? await screenAnswers(qn, answers, assessment.id) : null;
  const prefilled = [...stored.values()].filter((a) => a.prefilled).length;
  return {
    id: assessment.id,
    title: qn.title,
    version: qn.version,
    startedAt: assessment.created_at,
    organisationName: user.organisationName,
    prefilled,
    themes: progress.map((p) => ({ ...p, description: qn.themes.find((t) => t.id === p.themeId)?.description ?? "" })),
    screening: screening && { screened: screening.screened, matches: screening.matches.length, undecided: screening.matches.filter((m) => !m.decision).length },
  };
}

const STATUS_TEXT = { not_started: "Not started", in_progress: "In progress", completed: "Completed" } as const;

export default function AssessmentTasks() {
  const { id, title, version, startedAt, organisationName, prefilled, themes, screening } = useLoaderData<typeof loader>();
  const done = themes.filter((t) => t.status === "completed").length;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <span className="govuk-caption-l">{organisationName}</span>
        <h1 className="govuk-heading-l">{title}</h1>
        <p className="govuk-body">
          Started {formatDate(startedAt)}. Version {version}.
        </p>
        <p className="govuk-body">
          You have completed {done} of {plural(themes.length, "section")}. Your answers are saved as you go, and your colleagues can
          answer sections too.
        </p>
        {prefilled > 0 ? (
          <div className="govuk-inset-text">
            {plural(prefilled, "answer")} {prefilled === 1 ? "has" : "have"} been filled in from your last assessment. Check each one and confirm or change it
            before you submit.
          </div>
        ) : null}
        <ul className="govuk-task-list">
          {themes.map((t) => (
            <li key={t.themeId} className="govuk-task-list__item govuk-task-list__item--with-link">
              <div className="govuk-task-list__name-and-hint">
                <Link
                  className="govuk-link govuk-task-list__link"
                  to={`/assessments/${id}/themes/${t.themeId}`}
                  aria-describedby={`${t.themeId}-hint ${t.themeId}-status`}
                >
                  {t.title}
                </Link>
                <div id={`${t.themeId}-hint`} className="govuk-task-list__hint">
                  {t.answered} of {plural(t.visible, "question")} answered
                </div>
              </div>
              <div className="govuk-task-list__status" id={`${t.themeId}-status`}>
                {t.status === "completed" ? (
                  STATUS_TEXT.completed
                ) : (
                  <strong className={`govuk-tag ${t.status === "in_progress" ? "govuk-tag--light-blue" : "govuk-tag--blue"}`}>
                    {STATUS_TEXT[t.status]}
                  </strong>
                )}
              </div>
            </li>
          ))}
          {screening ? (
            <li className="govuk-task-list__item govuk-task-list__item--with-link">
              <div className="govuk-task-list__name-and-hint">
                <Link className="govuk-link govuk-task-list__link" to={`/assessments/${id}/screening`} aria-describedby="screening-hint screening-status">
                  Check named suppliers against import bans
                </Link>
                <div id="screening-hint" className="govuk-task-list__hint">
                  {screening.screened === 0 ? "Name suppliers and sites in supply-chain mapping" : `${plural(screening.screened, "name")} checked`}
                </div>
              </div>
              <div className="govuk-task-list__status" id="screening-status">
                {screening.undecided > 0 ? (
                  <strong className="govuk-tag govuk-tag--yellow">{plural(screening.undecided, "match", "matches")} to decide</strong>
                ) : screening.screened === 0 ? (
                  <span className="govuk-task-list__status--cannot-start-yet">No suppliers named yet</span>
                ) : screening.matches > 0 ? (
                  STATUS_TEXT.completed
                ) : (
                  "No matches"
                )}
              </div>
            </li>
          ) : null}
          <li className="govuk-task-list__item govuk-task-list__item--with-link">
            <div className="govuk-task-list__name-and-hint">
              <Link className="govuk-link govuk-task-list__link" to={`/assessments/${id}/check`} aria-describedby="check-status">
                Check your answers and submit
              </Link>
            </div>
            <div className="govuk-task-list__status" id="check-status">
              {done === themes.length ? (
                <strong className="govuk-tag govuk-tag--blue">Ready to submit</strong>
              ) : (
                <span className="govuk-task-list__status--cannot-start-yet">Cannot start yet</span>
              )}
            </div>
          </li>
        </ul>
      </div>
    </div>
  );
}
