import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { controlCharsMessage, hasControlChars } from "../domain/text";
import { INVITATION_VALID_DAYS } from "../domain/supplier-invitations";
import { requireRole } from "../services/auth.server";
import { field, readForm } from "../services/forms.server";
import { invitePage, inviteSupplier } from "../services/supplier-invitation-send.server";
import { ErrorSummary } from "../ui/error-summary";
import { TextInput } from "../ui/fields";
import { BackLink, formatDate } from "../ui/page";

export const meta: MetaFunction = () => [{ title: "Invite the supplier – Lantern" }];

const schema = z.object({
  contactName: z.string().trim().max(100, "Contact name must be 100 characters or fewer").refine((s) => !hasControlChars(s), controlCharsMessage("Contact name")),
  email: z.string().trim().min(1, "Enter the supplier contact's email address").max(254, "Email address must be 254 characters or fewer").email("Enter an email address in the correct format, like name@example.com"),
});

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "buyer", ["admin", "contract_manager"]);
  return invitePage(user, params.contractId!);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "buyer", ["admin", "contract_manager"]);
  const form = await readForm(request);
  await invitePage(user, params.contractId!); // another organisation's contract is a 404 before any input is checked
  const values = { contactName: field(form, "contactName"), email: field(form, "email") };
  const parsed = schema.safeParse(values);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
    return data({ errors, values }, { status: 400 });
  }
  const origin = new URL(request.url).origin;
  const outcome = await inviteSupplier(user, params.contractId!, { email: parsed.data.email, contactName: parsed.data.contactName || null }, origin);
  if (!outcome.ok) return data({ errors: outcome.errors, values }, { status: 409 });
  return redirect(`/contracts/${params.contractId}?${new URLSearchParams({ invited: outcome.email })}`);
}

export default function InviteSupplier() {
  const { contract, live } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  return (
    <>
      <BackLink href={`/contracts/${contract.id}`}>Back to the contract</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={Object.entries(errors).map(([f, text]) => ({ href: `#${f}`, text }))} />
          <span className="govuk-caption-l">
            {contract.reference}: {contract.title}
          </span>
          <h1 className="govuk-heading-l">Invite the supplier</h1>
          <p className="govuk-body">
            We will email {contract.supplier_name}'s contact a link to set up their organisation on Lantern and complete a modern slavery assessment for this contract, and a code
            to enter if their organisation already uses Lantern. The invitation can be accepted for {INVITATION_VALID_DAYS} days.
          </p>
          {live ? (
            <div className="govuk-inset-text">
              An invitation for this contract is still open: sent to {live.email} on {formatDate(live.created_at)}. To invite someone else, cancel it first, or{" "}
              <Link className="govuk-link" to="/invitations">
                send a reminder
              </Link>
              .
            </div>
          ) : null}
          <Form method="post" noValidate>
            <TextInput
              id="contactName"
              name="contactName"
              label="Contact's name (optional)"
              hint={`The person at ${contract.supplier_name} who will receive the invitation.`}
              autoComplete="off"
              defaultValue={result?.values.contactName ?? ""}
              error={errors.contactName}
            />
            <TextInput
              id="email"
              name="email"
              label="Contact's email address"
              type="email"
              spellCheck={false}
              autoComplete="off"
              defaultValue={result?.values.email ?? ""}
              error={errors.email}
            />
            <button type="submit" className="govuk-button" data-module="govuk-button">
              Send invitation
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}
