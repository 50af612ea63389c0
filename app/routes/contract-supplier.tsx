import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { requireRole } from "../services/auth.server";
import { LINK_ROLES, contractSupplier, decideSupplierMatch } from "../services/contract-supplier.server";
import { field, readForm } from "../services/forms.server";
import { ErrorSummary } from "../ui/error-summary";
import { FieldError } from "../ui/fields";
import { BackLink } from "../ui/page";

export const meta: MetaFunction = () => [{ title: "Is this the contract's supplier? – Lantern" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "buyer", [...LINK_ROLES]);
  const view = await contractSupplier(user, params.contractId!);
  if (view.linked) throw redirect(`/contracts/${view.contract.id}`);
  return view;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "buyer", [...LINK_ROLES]);
  const form = await readForm(request);
  await contractSupplier(user, params.contractId!); // another organisation's contract is a 404 before any input is checked
  const choice = field(form, "choice");
  if (!choice) return data({ errors: { choice: "Select the supplier that holds this contract, or none of them" } }, { status: 400 });
  const outcome = await decideSupplierMatch(user, params.contractId!, choice);
  if (!outcome.ok) return data({ errors: outcome.errors }, { status: 409 });
  return redirect(`/contracts/${params.contractId}?saved=${outcome.decision === "accepted" ? "linked" : "dismissed"}`);
}

export default function ContractSupplier() {
  const { contract, candidates } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  return (
    <>
      <BackLink href={`/contracts/${contract.id}`}>Back to the contract</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={Object.entries(errors).map(([f, text]) => ({ href: `#${f}`, text }))} />
          {candidates.length === 0 ? (
            <>
              <span className="govuk-caption-l">
                {contract.reference}: {contract.title}
              </span>
              <h1 className="govuk-heading-l">No supplier in Lantern matches this contract</h1>
              <p className="govuk-body">
                None of the suppliers that shared a result with you has a name like “{contract.supplierName}”, or each was already ruled out. The contract links to its
                supplier when the supplier answers an invitation for it, or when a supplier with the contract's Companies House number joins.
              </p>
            </>
          ) : (
            <Form method="post" noValidate>
              <div className={`govuk-form-group${errors.choice ? " govuk-form-group--error" : ""}`}>
                <fieldset className="govuk-fieldset" aria-describedby={`choice-hint${errors.choice ? " choice-error" : ""}`}>
                  <legend className="govuk-fieldset__legend govuk-fieldset__legend--l">
                    <span className="govuk-caption-l">
                      {contract.reference}: {contract.title}
                    </span>
                    <h1 className="govuk-fieldset__heading">Is this the contract's supplier?</h1>
                  </legend>
                  <div className="govuk-hint" id="choice-hint">
                    Your register names the supplier “{contract.supplierName}”{contract.supplierCompanyNumber ? ` (company number ${contract.supplierCompanyNumber})` : ""}. These suppliers shared a
                    result with you under a similar name. Linking the contract shows the supplier's current result on it and counts the contract as theirs in the queue and the statistics. You decide once; the
                    decision is recorded.
                  </div>
                  <FieldError id="choice" message={errors.choice} />
                  <div className="govuk-radios" data-module="govuk-radios">
                    {candidates.map((c, i) => (
                      <div className="govuk-radios__item" key={c.organisationId}>
                        <input className="govuk-radios__input" id={i === 0 ? "choice" : `choice-${c.organisationId}`} name="choice" type="radio" value={c.organisationId} aria-describedby={`choice-${c.organisationId}-hint`} />
                        <label className="govuk-label govuk-radios__label" htmlFor={i === 0 ? "choice" : `choice-${c.organisationId}`}>
                          Yes, {c.name}
                        </label>
                        <div id={`choice-${c.organisationId}-hint`} className="govuk-hint govuk-radios__hint">
                          {c.strength === "strong" ? "A close match" : "A possible match: check it is the same company"}
                          {c.companyNumber ? `; company number ${c.companyNumber}` : "; no company number given"}
                        </div>
                      </div>
                    ))}
                    <div className="govuk-radios__divider">or</div>
                    <div className="govuk-radios__item">
                      <input className="govuk-radios__input" id="choice-none" name="choice" type="radio" value="none" />
                      <label className="govuk-label govuk-radios__label" htmlFor="choice-none">
                        No, none of these is the contract's supplier
                      </label>
                    </div>
                  </div>
                </fieldset>
              </div>
              <button type="submit" className="govuk-button" data-module="govuk-button">
                Save decision
              </button>
            </Form>
          )}
        </div>
      </div>
    </>
  );
}
