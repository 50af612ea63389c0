import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { DEFAULT_GOALS, type GoalsErrors, type GoalsInput, PROGRAMME_KPI_DEFINITIONS, PROGRAMME_KPI_IDS, type ProgrammeKpiId, goalsInput } from "../domain/programme";
import { requireRole } from "../services/auth.server";
import { field, readForm } from "../services/forms.server";
import { goalsPage, saveGoals } from "../services/programme.server";
import { ErrorSummary } from "../ui/error-summary";
import { FieldError, Hint, describedBy } from "../ui/fields";
import { BackLink } from "../ui/page";
import { SuccessBanner } from "../ui/success-banner";

export const meta: MetaFunction = () => [{ title: "Programme goals – Lantern" }];

/** The KPIs in the page's sections, in PROGRAMME_KPI_IDS order. */
const SECTIONS: Array<{ heading: string; ids: ProgrammeKpiId[] }> = [
  { heading: "Risk assessment", ids: ["contracts_risk_assessed", "contracts_risk_assessed_value", "priority_contracts"] },
  { heading: "Priority suppliers", ids: ["priority_suppliers_invited", "priority_suppliers_submitted", "priority_suppliers_completed"] },
  { heading: "Follow-up", ids: ["follow_up_held", "actions_closed", "actions_closed_on_time", "answers_verified"] },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "buyer", ["admin", "analyst"]);
  const page = await goalsPage(user);
  return { organisationName: user.organisationName, values: goalsInput(page.goals), saved: page.saved, canEdit: page.canEdit };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "buyer", ["admin"]);
  const form = await readForm(request);
  const input: GoalsInput = Object.fromEntries(PROGRAMME_KPI_IDS.map((id) => [id, field(form, id)]));
  const outcome = await saveGoals(user, input);
  if (!outcome.ok) return data({ errors: outcome.errors as GoalsErrors, values: input, done: false }, { status: 400 });
  return { errors: {} as GoalsErrors, values: goalsInput(outcome.goals) as GoalsInput, done: true };
}

function hintFor(id: ProgrammeKpiId): string {
  const byDefault = DEFAULT_GOALS[id];
  return `${PROGRAMME_KPI_DEFINITIONS[id].description} ${byDefault === undefined ? "No goal by default." : `Lantern's default goal is ${byDefault}%.`}`;
}

function GoalInput({ id, value, error }: { id: ProgrammeKpiId; value: string; error?: string }) {
  const hint = hintFor(id);
  return (
    <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <label className="govuk-label govuk-label--s" htmlFor={id}>
        {PROGRAMME_KPI_DEFINITIONS[id].title}
      </label>
      <Hint id={id} text={hint} />
      <FieldError id={id} message={error} />
      <div className="govuk-input__wrapper">
        <input
          id={id}
          name={id}
          type="text"
          inputMode="numeric"
          spellCheck={false}
          autoComplete="off"
          className={`govuk-input govuk-input--width-3${error ? " govuk-input--error" : ""}`}
          aria-describedby={describedBy(id, hint, error)}
          defaultValue={value}
        />
        <div className="govuk-input__suffix" aria-hidden="true">
          %
        </div>
      </div>
    </div>
  );
}

export default function ProgrammeGoals() {
  const { organisationName, values: saved, saved: hasSaved, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: GoalsErrors = result?.errors ?? {};
  const values: GoalsInput = result?.values ?? saved;
  return (
    <>
      <BackLink href="/statistics">Back to statistics</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={PROGRAMME_KPI_IDS.flatMap((id) => (errors[id] ? [{ href: `#${id}`, text: errors[id]! }] : []))} />
          {result?.done ? (
            <SuccessBanner id="saved">
              Goals saved. The programme figures are measured against them now.{" "}
              <Link className="govuk-notification-banner__link" to="/statistics">
                View the statistics
              </Link>
            </SuccessBanner>
          ) : null}
          <span className="govuk-caption-l">{organisationName}</span>
          <h1 className="govuk-heading-l">Programme goals</h1>
          <p className="govuk-body">Each goal is the percentage the department aims to reach in a financial year. The statistics show whether each figure meets its goal.</p>
          {hasSaved ? null : <p className="govuk-body">Your department uses Lantern's default goals until an administrator saves its own.</p>}
          {canEdit ? (
            <Form method="post" noValidate key={result?.done ? JSON.stringify(result.values) : "form"}>
              <p className="govuk-body">Enter each goal as a whole number from 0 to 100, or leave it blank for no goal.</p>
              {SECTIONS.map((section) => (
                <fieldset key={section.heading} className="govuk-fieldset">
                  <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">
                    <h2 className="govuk-fieldset__heading">{section.heading}</h2>
                  </legend>
                  {section.ids.map((id) => (
                    <GoalInput key={id} id={id} value={values[id] ?? ""} error={errors[id]} />
                  ))}
                </fieldset>
              ))}
              <button type="submit" className="govuk-button" data-module="govuk-button">
                Save goals
              </button>
            </Form>
          ) : (
            <>
              {SECTIONS.map((section) => (
                <div key={section.heading}>
                  <h2 className="govuk-heading-m">{section.heading}</h2>
                  <dl className="govuk-summary-list">
                    {section.ids.map((id) => (
                      <div key={id} className="govuk-summary-list__row">
                        <dt className="govuk-summary-list__key">{PROGRAMME_KPI_DEFINITIONS[id].title}</dt>
                        <dd className="govuk-summary-list__value">{values[id] ? `${values[id]}%` : "No goal"}</dd>
                      </div>
                    ))}
                  </dl>
                </div>
              ))}
              <p className="govuk-body">Only an administrator can change the department's goals.</p>
            </>
          )}
        </div>
      </div>
    </>
  );
}
