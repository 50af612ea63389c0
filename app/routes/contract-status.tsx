import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CONTRACT_STATUS_LABELS, MAX_OVERRIDE_REASON, type StatusChoice } from "../domain/contracts";
import { formatDate } from "../domain/dates";
import { requireRole } from "../services/auth.server";
import { STATUS_ROLES, contractStatusForEditing, setContractStatus } from "../services/contract-edit.server";
import { field, readForm } from "../services/forms.server";
import { ErrorSummary } from "../ui/error-summary";
import { FieldError } from "../ui/fields";
import { BackLink } from "../ui/page";

export const meta: MetaFunction = () => [{ title: "Set a contract's status – Lantern" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "buyer", STATUS_ROLES);
  return contractStatusForEditing(user, params.contractId!);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "buyer", STATUS_ROLES);
  const form = await readForm(request);
  const choice = field(form, "status");
  const reason = field(form, "reason");
  const outcome = await setContractStatus(user, params.contractId!, choice, reason);
  if (!outcome.ok) return data({ errors: outcome.errors, choice, reason }, { status: 400 });
  return redirect(`/contracts/${params.contractId}?saved=status`);
}

export default function ContractStatusPage() {
  const contract = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors ?? {};
  const choice = result?.choice ?? contract.choice;
  const reason = result?.reason ?? contract.reason;
  const ends = formatDate(contract.endDate);
  const byDate = contract.byDate === "live" ? `live until ${ends}, ended from the day after` : `ended: its end date, ${ends}, has passed`;
  const choices: Array<{ value: StatusChoice; label: string; hint: string }> = [
    { value: "follow", label: "Follow the end date", hint: `The contract is ${byDate}.` },
    { value: "live", label: CONTRACT_STATUS_LABELS.live, hint: "For example, extended while the paperwork catches up." },
    { value: "ended", label: CONTRACT_STATUS_LABELS.ended, hint: "For example, terminated early." },
  ];
  const summary = [...(errors.status ? [{ href: "#status", text: errors.status }] : []), ...(errors.reason ? [{ href: "#reason", text: errors.reason }] : [])];
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href={`/contracts/${contract.id}`}>Back to the contract</BackLink>
        <ErrorSummary errors={summary} />
        <Form method="post" noValidate>
          <div className={`govuk-form-group${errors.status ? " govuk-form-group--error" : ""}`}>
            <fieldset className="govuk-fieldset" aria-describedby={`status-hint${errors.status ? " status-error" : ""}`}>
              <legend className="govuk-fieldset__legend govuk-fieldset__legend--l">
                <span className="govuk-caption-l">
                  {contract.reference}: {contract.title}
                </span>
                <h1 className="govuk-fieldset__heading">Is the contract live or ended?</h1>
              </legend>
              <div className="govuk-hint" id="status-hint">
                Lantern counts a contract as live until its end date has passed. Set the status by hand only when that is not right. The register's
                coverage figures count live contracts only.
              </div>
              <FieldError id="status" message={errors.status} />
              <div className="govuk-radios" data-module="govuk-radios">
                {choices.map((c, i) => {
                  const id = i === 0 ? "status" : `status-${c.value}`;
                  return (
                    <div className="govuk-radios__item" key={c.value}>
                      <input className="govuk-radios__input" id={id} name="status" type="radio" value={c.value} defaultChecked={choice === c.value} aria-describedby={`${id}-item-hint`} />
                      <label className="govuk-label govuk-radios__label" htmlFor={id}>
                        {c.label}
                      </label>
                      <div id={`${id}-item-hint`} className="govuk-hint govuk-radios__hint">
                        {c.hint}
                      </div>
                    </div>
                  );
                })}
              </div>
            </fieldset>
          </div>
          <div className={`govuk-form-group${errors.reason ? " govuk-form-group--error" : ""}`}>
            <label className="govuk-label govuk-label--s" htmlFor="reason">
              Why is the status set by hand?
            </label>
            <div className="govuk-hint" id="reason-hint">
              Needed when you choose Live or Ended, in {MAX_OVERRIDE_REASON.toLocaleString("en-GB")} characters or fewer. Left out when the status follows the end date.
            </div>
            <FieldError id="reason" message={errors.reason} />
            <textarea
              className={`govuk-textarea${errors.reason ? " govuk-textarea--error" : ""}`}
              id="reason"
              name="reason"
              rows={3}
              defaultValue={reason}
              aria-describedby={`reason-hint${errors.reason ? " reason-error" : ""}`}
            />
          </div>
          <div className="govuk-button-group">
            <button type="submit" className="govuk-button">
              Save the status
            </button>
            <Link className="govuk-link" to={`/contracts/${contract.id}`}>
              Cancel
            </Link>
          </div>
        </Form>
      </div>
    </div>
  );
}
