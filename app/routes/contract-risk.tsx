import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { type IndicatorAnswer, MAX_INDICATOR_NOTE, RISK_CHARACTERISTICS } from "../domain/prioritisation";
import { requireRole } from "../services/auth.server";
import { field, readForm } from "../services/forms.server";
import { riskAssessmentForm, saveRiskAssessment } from "../services/prioritisation.server";
import { ErrorSummary } from "../ui/error-summary";
import { FieldError } from "../ui/fields";
import { BackLink } from "../ui/page";

export const meta: MetaFunction = () => [{ title: "Assess a contract's modern slavery risk – Lantern" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "buyer", ["admin", "contract_manager"]);
  return riskAssessmentForm(user, params.contractId!);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "buyer", ["admin", "contract_manager"]);
  const form = await readForm(request);
  const answers: Record<string, IndicatorAnswer> = Object.fromEntries(RISK_CHARACTERISTICS.map((c) => [c.id, { present: field(form, `${c.id}-present`), note: field(form, `${c.id}-note`) }]));
  const outcome = await saveRiskAssessment(user, params.contractId!, answers);
  if (!outcome.ok) return data({ errors: outcome.errors, answers }, { status: 400 });
  return redirect(`/contracts/${params.contractId}?saved=risk#risk`);
}

export default function ContractRisk() {
  const { contract, answers: saved, suggestions, priorityThreshold } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const answers = result?.answers ?? saved;
  const errors = result?.errors ?? {};
  const summary = RISK_CHARACTERISTICS.flatMap((c) => {
    const e = errors[c.id];
    return [
      ...(e?.present ? [{ href: `#${c.id}-present`, text: e.present }] : []),
      ...(e?.note ? [{ href: `#${c.id}-note`, text: e.note }] : []),
    ];
  });
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href={`/contracts/${contract.id}`}>Back to the contract</BackLink>
        <ErrorSummary errors={summary} />
        <span className="govuk-caption-l">
          {contract.reference}: {contract.title}
        </span>
        <h1 className="govuk-heading-l">Assess the contract's modern slavery risk</h1>
        <p className="govuk-body">
          For each risk characteristic in the Cabinet Office's guidance, say whether there is an indicator of modern slavery risk in this
          contract, and why. A contract with {priorityThreshold} or more indicators is a priority contract for your department.
        </p>
        {Object.keys(suggestions).length > 0 ? (
          <div className="govuk-inset-text">
            Lantern has suggested some indicators from the contract's category, its supplier's country and the goods it names. They are only
            suggestions: confirm or change each one.
          </div>
        ) : null}
        <Form method="post" noValidate>
          {RISK_CHARACTERISTICS.map((c) => {
            const answer = answers[c.id];
            const error = errors[c.id];
            const suggestion = suggestions[c.id];
            const describedBy = [`${c.id}-hint`, suggestion ? `${c.id}-suggestion` : "", error?.present ? `${c.id}-present-error` : ""].filter(Boolean).join(" ");
            return (
              <section key={c.id} className="govuk-!-margin-bottom-8" aria-labelledby={`${c.id}-heading`}>
                <h2 className="govuk-heading-m" id={`${c.id}-heading`}>
                  {c.label}
                </h2>
                <div className={`govuk-form-group${error?.present ? " govuk-form-group--error" : ""}`}>
                  <fieldset className="govuk-fieldset" aria-describedby={describedBy}>
                    <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">
                      Indicator present?<span className="govuk-visually-hidden"> {c.label}</span>
                    </legend>
                    <div className="govuk-hint" id={`${c.id}-hint`}>
                      {c.hint}
                    </div>
                    {suggestion ? (
                      <p className="govuk-body govuk-!-font-weight-bold" id={`${c.id}-suggestion`}>
                        Suggested by Lantern: {suggestion}
                      </p>
                    ) : null}
                    <FieldError id={`${c.id}-present`} message={error?.present} />
                    <div className="govuk-radios govuk-radios--inline">
                      {(["yes", "no"] as const).map((value) => {
                        const id = value === "yes" ? `${c.id}-present` : `${c.id}-present-no`;
                        return (
                          <div className="govuk-radios__item" key={value}>
                            <input className="govuk-radios__input" id={id} name={`${c.id}-present`} type="radio" value={value} defaultChecked={answer?.present === value} />
                            <label className="govuk-label govuk-radios__label" htmlFor={id}>
                              {value === "yes" ? "Yes" : "No"}
                            </label>
                          </div>
                        );
                      })}
                    </div>
                  </fieldset>
                </div>
                <div className={`govuk-form-group${error?.note ? " govuk-form-group--error" : ""}`}>
                  <label className="govuk-label" htmlFor={`${c.id}-note`}>
                    Note (optional)<span className="govuk-visually-hidden"> on {c.label}</span>
                  </label>
                  <div className="govuk-hint" id={`${c.id}-note-hint`}>
                    Why there is or is not an indicator, in {MAX_INDICATOR_NOTE} characters or fewer
                  </div>
                  <FieldError id={`${c.id}-note`} message={error?.note} />
                  <textarea
                    className={`govuk-textarea${error?.note ? " govuk-textarea--error" : ""}`}
                    id={`${c.id}-note`}
                    name={`${c.id}-note`}
                    rows={2}
                    defaultValue={answer?.note ?? ""}
                    aria-describedby={`${c.id}-note-hint${error?.note ? ` ${c.id}-note-error` : ""}`}
                  />
                </div>
              </section>
            );
          })}
          <button type="submit" className="govuk-button">
            Save the risk assessment
          </button>
        </Form>
      </div>
    </div>
  );
}
