import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { CONTRACT_FIELDS, type ContractErrors, type ContractInput } from "../domain/contracts";
import { requireRole } from "../services/auth.server";
import { readContractForm, saveContract } from "../services/contract-edit.server";
import { COUNTRIES } from "../services/countries.server";
import { readForm } from "../services/forms.server";
import { ContractForm, contractErrorList } from "../ui/contract-form";
import { ErrorSummary } from "../ui/error-summary";
import { BackLink } from "../ui/page";

export const meta: MetaFunction = () => [{ title: "Add a contract – Lantern" }];

const EMPTY = Object.fromEntries(CONTRACT_FIELDS.map((name) => [name, name === "supplier_country" ? "GB" : ""])) as ContractInput;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "buyer", ["admin"]);
  return { organisationName: user.organisationName, countries: COUNTRIES };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "buyer", ["admin"]);
  const form = await readForm(request);
  const { values, dates, dateErrors } = readContractForm(form);
  const outcome = await saveContract(user, null, values);
  if (!outcome.ok) return data({ errors: { ...outcome.errors, ...dateErrors }, values, dates }, { status: 400 });
  return redirect(`/contracts/${outcome.id}?saved=added`);
}

export default function NewContract() {
  const { organisationName, countries } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href="/contracts">Back to the contract register</BackLink>
        <ErrorSummary errors={contractErrorList((result?.errors ?? {}) as ContractErrors, result?.dates)} />
        <span className="govuk-caption-l">{organisationName}</span>
        <h1 className="govuk-heading-l">Add a contract</h1>
        <ContractForm values={result?.values ?? EMPTY} dates={result?.dates} errors={(result?.errors ?? {}) as ContractErrors} countries={countries} submitLabel="Add the contract" cancelHref="/contracts" />
      </div>
    </div>
  );
}
