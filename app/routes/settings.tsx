import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { formatMoney, poundsInput } from "../domain/contracts";
import { MAX_PRIORITY_THRESHOLD, MIN_PRIORITY_THRESHOLD } from "../domain/prioritisation";
import { requireRole } from "../services/auth.server";
import { type SettingsErrors, type SettingsInput, readSettings, saveSettings } from "../services/department-settings.server";
import { field, readForm } from "../services/forms.server";
import { ErrorSummary } from "../ui/error-summary";
import { TextInput } from "../ui/fields";
import { SuccessBanner } from "../ui/success-banner";

export const meta: MetaFunction = () => [{ title: "Department settings – Lantern" }];

const valuesOf = (s: { goldAbovePence: number; bronzeBelowPence: number; priorityThreshold: number }): SettingsInput => ({
  gold: poundsInput(s.goldAbovePence),
  bronze: poundsInput(s.bronzeBelowPence),
  priority: String(s.priorityThreshold),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "buyer", ["admin"]);
  const settings = await readSettings(user);
  return { organisationName: user.organisationName, values: valuesOf(settings), saved: settings.saved };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "buyer", ["admin"]);
  const form = await readForm(request);
  const input: SettingsInput = { gold: field(form, "gold"), bronze: field(form, "bronze"), priority: field(form, "priority") };
  const outcome = await saveSettings(user, input);
  if (!outcome.ok) return data({ errors: outcome.errors as SettingsErrors, values: input, done: false }, { status: 400 });
  const s = outcome.settings;
  return { errors: {} as SettingsErrors, values: valuesOf(s), done: true, summary: `Gold above ${formatMoney(s.goldAbovePence)}, Bronze below ${formatMoney(s.bronzeBelowPence)}` };
}

const FIELDS = ["gold", "bronze", "priority"] as const;

export default function Settings() {
  const { organisationName, values: saved, saved: hasSaved } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors ?? {};
  const values = result?.values ?? saved;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={FIELDS.flatMap((f) => (errors[f] ? [{ href: `#${f}`, text: errors[f]! }] : []))} />
        {result?.done ? (
          <SuccessBanner id="saved">
            Settings saved{"summary" in result ? `: ${result.summary}` : ""}. The register's tiers and priority contracts follow them now. <Link className="govuk-notification-banner__link" to="/contracts">View the register</Link>
          </SuccessBanner>
        ) : null}
        <span className="govuk-caption-l">{organisationName}</span>
        <h1 className="govuk-heading-l">Department settings</h1>
        {hasSaved ? null : <p className="govuk-body">Your department uses Lantern's defaults until you save its own settings.</p>}
        <Form method="post" noValidate key={result?.done ? "saved" : "form"}>
          <h2 className="govuk-heading-m">Contract tiers</h2>
          <p className="govuk-body">A contract's annual value puts it in a tier, unless someone sets its tier by hand. A contract worth exactly a threshold is Silver.</p>
          <TextInput id="gold" name="gold" label="Gold: annual value above" hint="In pounds, like 40,000,000" inputPrefix="£" className="govuk-input--width-10" inputMode="decimal" spellCheck={false} defaultValue={values.gold} error={errors.gold} />
          <TextInput id="bronze" name="bronze" label="Bronze: annual value below" hint="In pounds, like 5,000,000; lower than the Gold threshold" inputPrefix="£" className="govuk-input--width-10" inputMode="decimal" spellCheck={false} defaultValue={values.bronze} error={errors.bronze} />
          <h2 className="govuk-heading-m">Priority contracts</h2>
          <TextInput
            id="priority"
            name="priority"
            label="Number of risk indicators that makes a contract a priority"
            hint={`A whole number from ${MIN_PRIORITY_THRESHOLD} to ${MAX_PRIORITY_THRESHOLD}. The Home Office suggests 4`}
            className="govuk-input--width-2"
            inputMode="numeric"
            spellCheck={false}
            defaultValue={values.priority}
            error={errors.priority}
          />
          <button type="submit" className="govuk-button">
            Save settings
          </button>
        </Form>
      </div>
    </div>
  );
}
