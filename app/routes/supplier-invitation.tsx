import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { assessmentExpiresAt } from "../domain/supplier-invitations";
import { requireRole } from "../services/auth.server";
import { field, readForm } from "../services/forms.server";
import { invitationChoicePage, linkAssessment } from "../services/supplier-invitation-answer.server";
import { ErrorSummary } from "../ui/error-summary";
import { FieldError } from "../ui/fields";
import { BackLink, formatDate } from "../ui/page";

export const meta: MetaFunction = () => [{ title: "Choose the assessment to share – Lantern" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "supplier");
  const page = await invitationChoicePage(user, params.invitationId!);
  return { ...page, organisationName: user.organisationName, isAdmin: user.role === "admin" };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "supplier");
  const form = await readForm(request);
  await invitationChoicePage(user, params.invitationId!); // another organisation's invitation is a 404 before any input is checked
  const choice = field(form, "assessment");
  if (!choice) return data({ error: "Choose the assessment to share, or start a new one" }, { status: 400 });
  const outcome = await linkAssessment(user, params.invitationId!, choice);
  if (!outcome.ok) return data({ error: outcome.error }, { status: 400 });
  if (outcome.started) return redirect(`/assessments/${outcome.assessmentId}`);
  return redirect(`/supplier?${new URLSearchParams({ shared: outcome.buyerName })}`);
}

const STATUS_TEXT = { draft: "in progress", submitted: "submitted", completed: "completed" } as const;

export default function ChooseAssessment() {
  const { invitation, current, draft, linked, canChoose, organisationName, isAdmin } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const error = result?.error;
  const firstId = current[0]?.id ?? "new";
  return (
    <>
      <BackLink href="/supplier">Back to your assessments</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={error ? [{ href: `#assessment-${firstId}`, text: error }] : []} />
          <span className="govuk-caption-l">Invitation from {invitation.buyerName}</span>
          <h1 className="govuk-heading-l">{linked ? "Assessment shared for this invitation" : current.length > 0 ? "Choose the assessment to share" : "Answer this invitation with a new assessment"}</h1>
          <dl className="govuk-summary-list">
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Buyer</dt>
              <dd className="govuk-summary-list__value">{invitation.buyerName}</dd>
            </div>
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Contract</dt>
              <dd className="govuk-summary-list__value">
                {invitation.contractReference}: {invitation.contractTitle}
              </dd>
            </div>
            {invitation.acceptedAt ? (
              <div className="govuk-summary-list__row">
                <dt className="govuk-summary-list__key">Accepted</dt>
                <dd className="govuk-summary-list__value">{formatDate(invitation.acceptedAt)}</dd>
              </div>
            ) : null}
          </dl>
          {invitation.cancelledAt ? (
            <div className="govuk-inset-text">
              {invitation.buyerName} cancelled this invitation on {formatDate(invitation.cancelledAt)}
              {invitation.cancelReason ? `: ${invitation.cancelReason}` : "."}
            </div>
          ) : null}
          {linked ? (
            <>
              <p className="govuk-body">
                {organisationName} answered this invitation on {formatDate(invitation.linkedAt!)} with{" "}
                {linked.submittedAt ? `the assessment submitted on ${formatDate(linked.submittedAt)}` : "the assessment now in progress"} ({STATUS_TEXT[linked.status]}). It is shared with{" "}
                {invitation.buyerName}, who sees it once it is submitted. The choice cannot be changed.
              </p>
              <p className="govuk-body">
                <Link className="govuk-link" to={linked.status === "draft" ? `/assessments/${linked.id}` : `/assessments/${linked.id}/report`}>
                  {linked.status === "draft" ? "Continue the assessment" : "View the report"}
                </Link>
              </p>
            </>
          ) : canChoose ? (
            <Form method="post" noValidate>
              <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
                <fieldset className="govuk-fieldset" aria-describedby={`assessment-hint${error ? " assessment-error" : ""}`}>
                  <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">Which assessment should {invitation.buyerName} see?</legend>
                  <div id="assessment-hint" className="govuk-hint">
                    An assessment stays current for 12 months after it is submitted. {invitation.buyerName} sees it once it is submitted, and you can stop sharing it later.
                  </div>
                  <FieldError id="assessment" message={error} />
                  <div className="govuk-radios" data-module="govuk-radios">
                    {current.map((a) => (
                      <div className="govuk-radios__item" key={a.id}>
                        <input className="govuk-radios__input" id={`assessment-${a.id}`} name="assessment" type="radio" value={a.id} defaultChecked={a.id === firstId} />
                        <label className="govuk-label govuk-radios__label" htmlFor={`assessment-${a.id}`}>
                          The assessment submitted on {formatDate(a.submittedAt)}
                        </label>
                        <div className="govuk-hint govuk-radios__hint">
                          {a.status === "completed" ? "Every recommendation responded to." : "Submitted; recommendations still to respond to."} Current until {formatDate(assessmentExpiresAt(a.submittedAt).toISOString())}.
                        </div>
                      </div>
                    ))}
                    <div className="govuk-radios__item">
                      <input className="govuk-radios__input" id="assessment-new" name="assessment" type="radio" value="new" defaultChecked={firstId === "new"} />
                      <label className="govuk-label govuk-radios__label" htmlFor="assessment-new">
                        {draft ? "Continue the assessment in progress" : "Start a new assessment"}
                      </label>
                      <div className="govuk-hint govuk-radios__hint">
                        {draft ? `Started ${formatDate(draft.createdAt)}. ${invitation.buyerName} sees it once you submit it.` : `${invitation.buyerName} sees it once you submit it.`}
                      </div>
                    </div>
                  </div>
                </fieldset>
              </div>
              <button type="submit" className="govuk-button" data-module="govuk-button">
                {/* Nothing is shared until there is a submitted assessment to choose. */}
                {current.length > 0 ? "Continue" : draft ? "Continue the assessment" : "Start the assessment"}
              </button>
            </Form>
          ) : !invitation.cancelledAt && !isAdmin ? (
            <div className="govuk-inset-text">An administrator of {organisationName} chooses which assessment answers this invitation.</div>
          ) : null}
        </div>
      </div>
    </>
  );
}
