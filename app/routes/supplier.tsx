import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { listAssessments, startAssessment } from "../services/assessments.server";
import { requireRole } from "../services/auth.server";
import { pendingInvitationsForSupplier } from "../services/supplier-invitation-answer.server";
import { SuccessBanner } from "../ui/success-banner";
import { readForm } from "../services/forms.server";
import { Tag, formatDate } from "../ui/page";
import { Table } from "../ui/table";

export const meta: MetaFunction = () => [{ title: "Your assessments – Lantern" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "supplier");
  const [assessments, invitations] = await Promise.all([listAssessments(user), pendingInvitationsForSupplier(user)]);
  const shared = new URL(request.url).searchParams.get("shared");
  return { organisationName: user.organisationName, assessments, invitations, isAdmin: user.role === "admin", shared: shared ? shared.slice(0, 200) : null };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "supplier");
  await readForm(request); // the form has no fields, but a body that is not a form is refused
  const id = await startAssessment(user);
  return redirect(`/assessments/${id}`);
}

const STATUS = {
  draft: { text: "In progress", colour: "light-blue" },
  submitted: { text: "Submitted – respond to recommendations", colour: "yellow" },
  completed: { text: "Completed", colour: "green" },
} as const;

export default function SupplierHome() {
  const { organisationName, assessments, invitations, isAdmin, shared } = useLoaderData<typeof loader>();
  const draft = assessments.find((a) => a.status === "draft");
  const submitted = assessments.some((a) => a.status !== "draft");
  return (
    <>
      <span className="govuk-caption-l">{organisationName}</span>
      {shared ? <SuccessBanner id="shared">Your assessment is shared with {shared}</SuccessBanner> : null}
      <h1 className="govuk-heading-l">Your modern slavery assessments</h1>
      {invitations.length > 0 ? (
        <div className="govuk-inset-text">
          <h2 className="govuk-heading-s">Buyers waiting for your assessment</h2>
          <ul className="govuk-list">
            {invitations.map((i) => (
              <li key={i.id}>
                <Link className="govuk-link" to={`/supplier/invitations/${i.id}`}>
                  {i.buyerName}: {i.contractReference} {i.contractTitle}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {draft ? (
        <p className="govuk-body">
          <Link className="govuk-button" to={`/assessments/${draft.id}`}>
            Continue your assessment
          </Link>
        </p>
      ) : (
        <Form method="post">
          <p className="govuk-body">
            {submitted
              ? "Start this year's assessment. Your answers from your last assessment will be filled in for you to confirm or change."
              : "The assessment asks about the steps your company takes to find and tackle modern slavery. It takes about an hour; your answers are saved as you go."}
          </p>
          <button type="submit" className="govuk-button" data-module="govuk-button">
            {submitted ? "Start a new assessment" : "Start your assessment"}
          </button>
        </Form>
      )}
      {isAdmin ? (
        <p className="govuk-body">
          <Link className="govuk-link" to="/supplier/join">
            Enter an invitation code from a buyer
          </Link>
        </p>
      ) : null}
      {assessments.length === 0 ? (
        <p className="govuk-body">You have not started an assessment yet.</p>
      ) : (
        <Table
          caption="All assessments"
          head={["Started", "Questionnaire", "Status", "Result", <span className="govuk-visually-hidden">Actions</span>]}
          rows={assessments.map((a) => ({
            key: a.id,
            cells: [
              formatDate(a.createdAt),
              `${a.questionnaireTitle} (version ${a.questionnaireVersion})`,
              <Tag colour={STATUS[a.status].colour}>{STATUS[a.status].text}</Tag>,
              a.overall !== null ? `${a.band}, ${a.overall}%` : "–",
              <Link className="govuk-link" to={a.status === "draft" ? `/assessments/${a.id}` : `/assessments/${a.id}/report`}>
                {a.status === "draft" ? "Continue" : "View report"}
                <span className="govuk-visually-hidden"> for the assessment started {formatDate(a.createdAt)}</span>
              </Link>,
            ],
          }))}
        />
      )}
    </>
  );
}
