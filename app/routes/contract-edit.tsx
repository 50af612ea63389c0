import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { type ContractErrors, contractInput } from "../domain/contracts";
import { requireRole } from "../services/auth.server";
import { contractForEditing, readContractForm, saveContract } from "../services/contract-edit.server";
import { COUNTRIES } from "../services/countries.server";
import { readForm } from "../services/forms.server";
import { ContractForm, contractErrorList } from "../ui/contract-form";
import { ErrorSummary } from "../ui/error-summary";
import { BackLink } from "../ui/page";

export const meta: MetaFunction = () => [{ title: "Change a contract – Lantern" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "buyer", ["admin"]);
  const contract = await contractForEditing(user, params.contractId!);
  return { id: contract.id, reference: contract.reference, values: contractInput(contract.fields), countries: COUNTRIES };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "buyer", ["admin"]);
  const form = await readForm(request);
  const { values, dates, dateErrors } = readContractForm(form);
  const outcome = await saveContract(user, params.contractId!, values);
  if (!outcome.ok) return data({ errors: { ...outcome.errors, ...dateErrors }, values, dates }, { status: 400 });
  return redirect(`/contracts/${outcome.id}?saved=updated`);
}

export default function EditContract() {
  const { id, reference, values, countries } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink href={`/contracts/${id}`}>Back to the contract</BackLink>
        <ErrorSummary errors={contractErrorList((result?.errors ?? {}) as ContractErrors, result?.dates)} />
        <span className="govuk-caption-l">{reference}</span>
        <h1 className="govuk-heading-l">Change the contract</h1>
        <ContractForm values={result?.values ?? values} dates={result?.dates} errors={(result?.errors ?? {}) as ContractErrors} countries={countries} submitLabel="Save the contract" cancelHref={`/contracts/${id}`} />
      </div>
    </div>
  );
}
