import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, isRouteErrorResponse, useActionData, useLoaderData, useRouteError } from "@remix-run/react";
import { hasControlChars } from "../domain/text";
import { requireRole } from "../services/auth.server";
import { httpError } from "../services/errors.server";
import { field, readForm } from "../services/forms.server";
import { pendingInvitationsForSupplier } from "../services/supplier-invitation-answer.server";
import { enterCode } from "../services/supplier-invitation-join.server";
import { GeneralErrorBoundary } from "../ui/error-boundary";
import { ErrorSummary } from "../ui/error-summary";
import { TextInput } from "../ui/fields";
import { formatDate } from "../ui/page";

export const meta: MetaFunction = () => [{ title: "Enter an invitation code – Lantern" }];

/** A throttled attempt says when to come back (Retry-After), as the page does in words. */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  const out = new Headers();
  if (retryAfter) out.set("Retry-After", retryAfter);
  return out;
};

async function requireSupplierAdmin(request: Request) {
  const user = await requireRole(request, "supplier");
  if (user.role !== "admin") httpError(403, `Only an administrator of ${user.organisationName} can accept a buyer's invitation for it. Ask one of your administrators to sign in and enter the code.`);
  return user;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireSupplierAdmin(request);
  return { organisationName: user.organisationName, pending: await pendingInvitationsForSupplier(user) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireSupplierAdmin(request);
  const form = await readForm(request);
  const code = field(form, "code").slice(0, 100);
  if (!code.trim()) return data({ error: "Enter the invitation code from the email", code }, { status: 400 });
  if (hasControlChars(code)) return data({ error: "No invitation matches this code. Check it against the email", code: "" }, { status: 400 });
  const clientAddress = typeof context.clientAddress === "string" ? context.clientAddress : "unknown";
  const outcome = await enterCode(user, code, clientAddress);
  if (outcome.ok) return redirect(`/supplier/invitations/${outcome.invitationId}`);
  if (outcome.status === 429 && "retryAt" in outcome) {
    const retryAfter = String(Math.max(1, Math.ceil((outcome.retryAt.getTime() - Date.now()) / 1000)));
    return data({ error: outcome.message, code }, { status: 429, headers: { "Retry-After": retryAfter } });
  }
  return data({ error: outcome.message, code }, { status: outcome.status });
}

export default function SupplierJoin() {
  const { organisationName, pending } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={result?.error ? [{ href: "#code", text: result.error }] : []} />
        <span className="govuk-caption-l">{organisationName}</span>
        <h1 className="govuk-heading-l">Enter an invitation code</h1>
        <p className="govuk-body">When a buyer invites your organisation to complete an assessment for a contract, their email gives a code. Enter it to accept the invitation for {organisationName}.</p>
        <Form method="post" noValidate>
          <TextInput
            id="code"
            name="code"
            label="Invitation code"
            hint="12 letters and numbers, like K7QM-2XPD-9WTR. Capitals, spaces and hyphens do not matter."
            className="govuk-input--width-20"
            spellCheck={false}
            autoComplete="off"
            autoCapitalize="characters"
            defaultValue={result?.code ?? ""}
            error={result?.error}
          />
          <button type="submit" className="govuk-button" data-module="govuk-button">
            Accept invitation
          </button>
        </Form>
        <h2 className="govuk-heading-m">Invitations waiting for an assessment</h2>
        {pending.length === 0 ? (
          <p className="govuk-body">Every invitation your organisation has accepted has been answered with an assessment.</p>
        ) : (
          <ul className="govuk-list govuk-list--bullet">
            {pending.map((p) => (
              <li key={p.id}>
                <Link className="govuk-link" to={`/supplier/invitations/${p.id}`}>
                  {p.buyerName}: {p.contractReference}, {p.contractTitle}
                </Link>{" "}
                (accepted {formatDate(p.acceptedAt!)})
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 403) {
    const message = typeof error.data === "object" && error.data && "message" in error.data ? String(error.data.message) : "You cannot accept invitations.";
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">You cannot accept invitations with this account</h1>
          <p className="govuk-body">{message}</p>
          <p className="govuk-body">
            <a className="govuk-link" href="/">Go to your start page</a>
          </p>
        </div>
      </div>
    );
  }
  return <GeneralErrorBoundary />;
}
