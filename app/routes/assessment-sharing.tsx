import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "../services/auth.server";
import { httpError } from "../services/errors.server";
import { field, readForm } from "../services/forms.server";
import { getSharing, requireSharingAdmin, shareAssessment, stopSharing } from "../services/shares.server";
import { ErrorSummary } from "../ui/error-summary";
import { FieldError } from "../ui/fields";
import { BackLink, formatDate } from "../ui/page";
import { SuccessBanner } from "../ui/success-banner";
import { TableScroll } from "../ui/table";

export const meta: MetaFunction = () => [{ title: "Share your assessment – Lantern" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "supplier");
  const sharing = await getSharing(user, params.assessmentId!);
  const url = new URL(request.url);
  // ?stop=ID asks to confirm stopping a current share; ?shared=ID / ?stopped=ID say what just happened.
  const stop = sharing.canChange ? (sharing.current.find((s) => s.buyerOrganisationId === url.searchParams.get("stop")) ?? null) : null;
  const named = (id: string | null) => [...sharing.current, ...sharing.revoked].find((s) => s.buyerOrganisationId === id)?.buyerName ?? null;
  return {
    organisationName: user.organisationName,
    ...sharing,
    stop,
    sharedWith: named(url.searchParams.get("shared")),
    stoppedWith: named(url.searchParams.get("stopped")),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "supplier");
  const form = await readForm(request);
  const assessmentId = params.assessmentId!;
  await requireSharingAdmin(user, assessmentId);
  const intent = field(form, "intent");
  const buyerOrganisationId = field(form, "buyerOrganisationId");
  if (intent === "share") {
    const outcome = await shareAssessment(user, assessmentId, buyerOrganisationId);
    if (!outcome.ok) return data({ intent, buyerOrganisationId, errors: outcome.errors }, { status: 400 });
    return redirect(`/assessments/${assessmentId}/sharing?shared=${encodeURIComponent(buyerOrganisationId)}`);
  }
  if (intent === "stop") {
    const outcome = await stopSharing(user, assessmentId, buyerOrganisationId, field(form, "confirm") === "yes");
    if (!outcome.ok) return data({ intent, buyerOrganisationId, errors: outcome.errors }, { status: 400 });
    return redirect(`/assessments/${assessmentId}/sharing?stopped=${encodeURIComponent(buyerOrganisationId)}`);
  }
  httpError(400, "The form did not say what to do. Go back to the page and try again.");
}

export default function Sharing() {
  const s = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  const base = `/assessments/${s.assessment.id}/sharing`;
  const joinLink = (
    <p className="govuk-body">
      <Link className="govuk-link" to="/supplier/join">
        Have an invitation code? Enter it
      </Link>
    </p>
  );

  if (s.stop) {
    const name = s.stop.buyerName;
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <BackLink href={base}>Back to sharing</BackLink>
          <ErrorSummary errors={errors.confirm ? [{ href: "#confirm", text: errors.confirm }] : []} />
          <span className="govuk-caption-l">{s.organisationName}</span>
          <h1 className="govuk-heading-l">Stop sharing with {name}?</h1>
          <p className="govuk-body">
            {name} will no longer see this assessment, its report or your answers. You can share it with them again later.
          </p>
          <Form method="post" action={`${base}?stop=${s.stop.buyerOrganisationId}`} noValidate>
            <input type="hidden" name="intent" value="stop" />
            <input type="hidden" name="buyerOrganisationId" value={s.stop.buyerOrganisationId} />
            <div className={`govuk-form-group${errors.confirm ? " govuk-form-group--error" : ""}`}>
              <FieldError id="confirm" message={errors.confirm} />
              <div className="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
                <div className="govuk-checkboxes__item">
                  <input className="govuk-checkboxes__input" id="confirm" name="confirm" type="checkbox" value="yes" aria-describedby={errors.confirm ? "confirm-error" : undefined} />
                  <label className="govuk-label govuk-checkboxes__label" htmlFor="confirm">
                    I understand {name} will no longer see this assessment
                  </label>
                </div>
              </div>
            </div>
            <div className="govuk-button-group">
              <button type="submit" className="govuk-button govuk-button--warning" data-module="govuk-button">
                Stop sharing
              </button>
              <Link className="govuk-link" to={base}>
                Cancel
              </Link>
            </div>
          </Form>
        </div>
      </div>
    );
  }

  const draft = s.assessment.status === "draft";
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href={draft ? `/assessments/${s.assessment.id}` : `/assessments/${s.assessment.id}/report`}>{draft ? "Back to your assessment" : "Back to your report"}</BackLink>
        <ErrorSummary errors={errors.buyerOrganisationId ? [{ href: "#buyerOrganisationId", text: errors.buyerOrganisationId }] : []} />
        {s.sharedWith ? <SuccessBanner id="shared">Your assessment is now shared with {s.sharedWith}</SuccessBanner> : null}
        {s.stoppedWith ? <SuccessBanner id="stopped">You have stopped sharing your assessment with {s.stoppedWith}</SuccessBanner> : null}
        <span className="govuk-caption-l">{s.organisationName}</span>
        <h1 className="govuk-heading-l">Who can see this assessment</h1>
        <p className="govuk-body">
          A buying organisation you share this assessment with sees its report, your answers and your responses to the
          recommendations, and can follow them up with you. You can stop sharing at any time.
        </p>

        {draft ? (
          <div className="govuk-inset-text">
            This assessment is still in progress. You can share it once you have submitted it.{" "}
            <Link className="govuk-link" to={`/assessments/${s.assessment.id}`}>
              Continue your assessment
            </Link>
          </div>
        ) : null}

        <h2 className="govuk-heading-m">Shared with</h2>
        {s.current.length === 0 ? (
          <p className="govuk-body">This assessment is not shared with any buying organisation.</p>
        ) : (
          <TableScroll label="Buying organisations that can see this assessment">
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-table__caption--s govuk-visually-hidden">Buying organisations that can see this assessment</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">
                  Organisation
                </th>
                <th scope="col" className="govuk-table__header">
                  Shared
                </th>
                {s.canChange ? (
                  <th scope="col" className="govuk-table__header">
                    <span className="govuk-visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {s.current.map((share) => (
                <tr className="govuk-table__row" key={share.buyerOrganisationId}>
                  <th scope="row" className="govuk-table__header">
                    {share.buyerName}
                  </th>
                  <td className="govuk-table__cell">
                    Since {formatDate(share.sharedAt)} by {share.sharedBy}
                    {share.contractReference ? `, through their invitation for contract ${share.contractReference}` : ""}
                  </td>
                  {s.canChange ? (
                    <td className="govuk-table__cell">
                      <Link className="govuk-link" to={`${base}?stop=${share.buyerOrganisationId}`}>
                        Stop sharing<span className="govuk-visually-hidden"> with {share.buyerName}</span>
                      </Link>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
          </TableScroll>
        )}

        {!draft && s.canChange ? (
          <>
            <h2 className="govuk-heading-m">Share with another buyer</h2>
            {s.buyers.length === 0 ? (
              <p className="govuk-body">This assessment is already shared with every buying organisation in Lantern.</p>
            ) : (
              <Form method="post" action={base} noValidate>
                <input type="hidden" name="intent" value="share" />
                <div className={`govuk-form-group${errors.buyerOrganisationId ? " govuk-form-group--error" : ""}`}>
                  <label className="govuk-label" htmlFor="buyerOrganisationId">
                    Buying organisation
                  </label>
                  <FieldError id="buyerOrganisationId" message={errors.buyerOrganisationId} />
                  <select
                    className={`govuk-select${errors.buyerOrganisationId ? " govuk-select--error" : ""}`}
                    id="buyerOrganisationId"
                    name="buyerOrganisationId"
                    defaultValue={result?.intent === "share" ? result.buyerOrganisationId : ""}
                    aria-describedby={errors.buyerOrganisationId ? "buyerOrganisationId-error" : undefined}
                  >
                    <option value="">Select an organisation</option>
                    {s.buyers.map((b) => (
                      <option key={b.id} value={b.id}>
                        {b.name}
                      </option>
                    ))}
                  </select>
                </div>
                <button type="submit" className="govuk-button" data-module="govuk-button">
                  Share assessment
                </button>
              </Form>
            )}
          </>
        ) : null}
        {!s.canChange ? <p className="govuk-body">Only your organisation's administrators can change who sees this assessment.</p> : null}
        {joinLink}

        {s.revoked.length > 0 ? (
          <>
            <h2 className="govuk-heading-m">No longer shared with</h2>
            <ul className="govuk-list govuk-list--bullet">
              {s.revoked.map((share) => (
                <li key={share.buyerOrganisationId}>
                  {share.buyerName}: shared {formatDate(share.sharedAt)}
                  {share.contractReference ? ` through their invitation for contract ${share.contractReference}` : ""}, stopped {formatDate(share.revokedAt!)}
                  {share.revokedBy ? ` by ${share.revokedBy}` : ""}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
    </div>
  );
}
