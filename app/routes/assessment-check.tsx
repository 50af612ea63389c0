import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { fieldKey } from "../domain/page-visibility";
import { applySkipLogic } from "../domain/visibility";
import { assessmentState, incompleteAnswers, submitAssessment } from "../services/assessments.server";
import { requireRole } from "../services/auth.server";
import { readForm } from "../services/forms.server";
import { countryName } from "../services/countries.server";
import { ErrorSummary } from "../ui/error-summary";
import { formatAnswer } from "../domain/format-answer";
import { BackLink } from "../ui/page";

export const meta: MetaFunction = () => [{ title: "Check your answers – Lantern" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "supplier");
  const { assessment, qn, stored, answers } = await assessmentState(user, params.assessmentId!);
  if (assessment.status !== "draft") throw redirect(`/assessments/${assessment.id}/report`);
  const { visible, answers: shown } = applySkipLogic(qn, answers);
  const incomplete = new Map(incompleteAnswers(qn, stored, visible).map((i) => [i.questionId, i.error]));
  return {
    id: assessment.id,
    themes: qn.themes.map((t) => ({
      id: t.id,
      title: t.title,
      rows: t.questions
        .filter((q) => visible.has(q.id))
        .map((q) => ({
          id: q.id,
          key: fieldKey(q.id),
          text: q.text,
          answer: formatAnswer(q, shown[q.id], countryName),
          answered: shown[q.id] !== undefined,
          required: q.required,
          prefilled: stored.get(q.id)?.prefilled ?? false,
          incomplete: incomplete.get(q.id) ?? null,
        })),
    })),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "supplier");
  await readForm(request); // the form has no fields, but a body that is not a form is refused
  const outcome = await submitAssessment(user, params.assessmentId!);
  if (outcome.ok) return redirect(`/assessments/${params.assessmentId}/report`);
  return data(
    {
      missing: outcome.missing.map((m) => ({ ...m, key: fieldKey(m.questionId) })),
      unconfirmed: outcome.unconfirmed.map((m) => ({ ...m, key: fieldKey(m.questionId) })),
      incomplete: outcome.incomplete.map((m) => ({ ...m, key: fieldKey(m.questionId) })),
    },
    { status: 400 },
  );
}

export default function CheckAnswers() {
  const { id, themes } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result
    ? [
        ...result.missing.map((m) => ({ href: `/assessments/${id}/themes/${m.themeId}#${m.key}-group`, text: `Answer “${m.text}” (${m.themeTitle})` })),
        ...result.incomplete.map((m) => ({ href: `/assessments/${id}/themes/${m.themeId}#${m.key}-group`, text: `${m.error}: complete or remove it in “${m.text}”` })),
        // one line per section rather than one per answer: there can be dozens
        ...themes
          .map((t) => ({ theme: t, count: result.unconfirmed.filter((m) => m.themeId === t.id).length }))
          .filter((x) => x.count > 0)
          .map(({ theme, count }) => ({
            href: `/assessments/${id}/themes/${theme.id}`,
            text: `Confirm or change ${count === 1 ? "the answer" : `the ${count} answers`} from your last assessment in “${theme.title}”`,
          })),
      ]
    : [];
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href={`/assessments/${id}`}>Back to your assessment</BackLink>
        <ErrorSummary errors={errors} title={result ? "You cannot submit yet" : undefined} />
        <h1 className="govuk-heading-l">Check your answers before submitting</h1>
        {themes.map((t) => (
          <section key={t.id} aria-labelledby={`theme-${t.id}`}>
            <h2 className="govuk-heading-m" id={`theme-${t.id}`}>
              {t.title}
            </h2>
            <dl className="govuk-summary-list govuk-!-margin-bottom-9">
              {t.rows.map((r) => (
                <div key={r.id} className="govuk-summary-list__row">
                  <dt className="govuk-summary-list__key">{r.text}</dt>
                  <dd className="govuk-summary-list__value">
                    {r.answered ? r.answer : r.required ? <strong className="govuk-tag govuk-tag--red">Not answered</strong> : "Not answered (optional)"}
                    {r.prefilled ? (
                      <>
                        {" "}
                        <strong className="govuk-tag govuk-tag--blue">From your last assessment – confirm or change</strong>
                      </>
                    ) : null}
                    {r.incomplete ? (
                      <p className="govuk-body govuk-!-margin-top-2 govuk-!-margin-bottom-0">
                        <strong className="govuk-tag govuk-tag--red">Not finished</strong> {r.incomplete}
                      </p>
                    ) : null}
                  </dd>
                  <dd className="govuk-summary-list__actions">
                    <Link className="govuk-link" to={`/assessments/${id}/themes/${t.id}#${r.key}-group`}>
                      Change<span className="govuk-visually-hidden"> {r.text}</span>
                    </Link>
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
        <h2 className="govuk-heading-m">Now submit your assessment</h2>
        <p className="govuk-body">
          By submitting you confirm that, to the best of your knowledge, the answers are correct. Once submitted, the answers
          cannot be changed; you will get your report straight away.
        </p>
        <Form method="post">
          <button type="submit" className="govuk-button" data-module="govuk-button">
            Submit assessment
          </button>
        </Form>
      </div>
    </div>
  );
}
