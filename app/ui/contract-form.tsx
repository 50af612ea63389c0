/** The form to add or change one contract, with the register's columns as its fields. */
import { Form, Link } from "@remix-run/react";
import { CONTRACT_FIELDS, type ContractErrors, type ContractInput, MAX_OVERRIDE_REASON, TIERS, TIER_LABELS, parseUkDate } from "../domain/contracts";
import { type DateParts, dateErrorTarget, datePartsOf } from "../domain/dates";
import { DateInput, FieldError, Hint, TextInput, describedBy } from "./fields";

const DATES = new Set<string>(["start_date", "end_date"]);

/** The form's errors for the error summary, in the order of the fields (a date's link goes to its first field at fault). */
export function contractErrorList(errors: ContractErrors, dates?: Partial<Record<string, DateParts>>) {
  return CONTRACT_FIELDS.flatMap((name) => (errors[name] ? [{ href: DATES.has(name) ? dateErrorTarget(name, dates?.[name]) : `#${name}`, text: errors[name]! }] : []));
}

/** A stored or imported date (ISO or day first) as the date input's three fields. */
function partsOf(text: string): DateParts {
  const parsed = parseUkDate(text);
  return datePartsOf(parsed.ok ? parsed.value : null);
}

export function ContractForm({
  values,
  dates,
  errors,
  countries,
  submitLabel,
  cancelHref,
}: {
  values: ContractInput;
  /** The dates as last posted, when the form comes back with errors. */
  dates?: Record<"start_date" | "end_date", DateParts>;
  errors: ContractErrors;
  countries: ReadonlyArray<{ code: string; name: string }>;
  submitLabel: string;
  cancelHref: string;
}) {
  const input = (name: keyof ContractInput, label: string, hint?: string, extra: Record<string, unknown> = {}) => (
    <TextInput id={name} name={name} label={label} hint={hint} error={errors[name]} defaultValue={values[name]} spellCheck={false} {...extra} />
  );
  return (
    <>
      <Form method="post" noValidate>
        {input("reference", "Reference", "Your reference for the contract, up to 50 characters; no other contract in your register may have it", { className: "govuk-input--width-20" })}
        {input("title", "Title", "What the contract is for")}
        {input("category", "Category", "The category of goods or services, like Cleaning or IT hardware", { className: "govuk-input--width-20" })}
        <h2 className="govuk-heading-m">Supplier</h2>
        {input("supplier_name", "Supplier's legal name", undefined, { autoComplete: "organization" })}
        {input("supplier_company_number", "Companies House number (optional)", "8 characters: 8 digits, like 01234567, or 2 letters and 6 digits, like SC123456", { className: "govuk-input--width-10" })}
        <div className={`govuk-form-group${errors.supplier_country ? " govuk-form-group--error" : ""}`}>
          <label className="govuk-label" htmlFor="supplier_country">
            Country where the supplier is registered
          </label>
          <FieldError id="supplier_country" message={errors.supplier_country} />
          <select
            className={`govuk-select${errors.supplier_country ? " govuk-select--error" : ""}`}
            id="supplier_country"
            name="supplier_country"
            defaultValue={values.supplier_country || "GB"}
            aria-describedby={describedBy("supplier_country", undefined, errors.supplier_country)}
          >
            {countries.map((c) => (
              <option key={c.code} value={c.code}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <h2 className="govuk-heading-m">Value and dates</h2>
        {input("annual_value_gbp", "Annual value", "In pounds, like 6,500,000. It sets the tier", { className: "govuk-input--width-10", inputMode: "decimal", inputPrefix: "£" })}
        {input("total_value_gbp", "Total value over the whole contract", "In pounds, like 19,500,000", { className: "govuk-input--width-10", inputMode: "decimal", inputPrefix: "£" })}
        <DateInput id="start_date" legend="Start date" legendClass="" hint="For example, 1 4 2025" value={dates?.start_date ?? partsOf(values.start_date)} error={errors.start_date} />
        <DateInput id="end_date" legend="End date" legendClass="" hint="On or after the start date, for example 31 3 2028" value={dates?.end_date ?? partsOf(values.end_date)} error={errors.end_date} />
        {input("contract_manager_email", "Contract manager's email address (optional)", undefined, { type: "email", autoComplete: "off" })}
        <h2 className="govuk-heading-m">Tier</h2>
        <div className={`govuk-form-group${errors.tier_override ? " govuk-form-group--error" : ""}`}>
          <label className="govuk-label" htmlFor="tier_override">
            Tier
          </label>
          <Hint id="tier_override" text="Usually the annual value sets the tier. Choose a tier only to set it by hand, and say why." />
          <FieldError id="tier_override" message={errors.tier_override} />
          <select
            className={`govuk-select${errors.tier_override ? " govuk-select--error" : ""}`}
            id="tier_override"
            name="tier_override"
            defaultValue={values.tier_override}
            aria-describedby={describedBy("tier_override", true, errors.tier_override)}
          >
            <option value="">Set by the annual value</option>
            {TIERS.map((t) => (
              <option key={t} value={t}>
                {TIER_LABELS[t]}, set by hand
              </option>
            ))}
          </select>
        </div>
        <div className={`govuk-form-group${errors.tier_override_reason ? " govuk-form-group--error" : ""}`}>
          <label className="govuk-label" htmlFor="tier_override_reason">
            Reason for setting the tier by hand
          </label>
          <Hint id="tier_override_reason" text={`Needed when you choose a tier; up to ${MAX_OVERRIDE_REASON.toLocaleString("en-GB")} characters`} />
          <FieldError id="tier_override_reason" message={errors.tier_override_reason} />
          <textarea
            className={`govuk-textarea${errors.tier_override_reason ? " govuk-textarea--error" : ""}`}
            id="tier_override_reason"
            name="tier_override_reason"
            rows={3}
            defaultValue={values.tier_override_reason}
            aria-describedby={describedBy("tier_override_reason", true, errors.tier_override_reason)}
          />
        </div>
        <div className="govuk-button-group">
          <button type="submit" className="govuk-button">
            {submitLabel}
          </button>
          <Link className="govuk-link" to={cancelHref}>
            Cancel
          </Link>
        </div>
      </Form>
    </>
  );
}
