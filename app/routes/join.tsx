import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, isRouteErrorResponse, useActionData, useLoaderData, useRouteError } from "@remix-run/react";
import { z } from "zod";
import { normaliseCompanyNumber } from "../domain/organisations";
import { controlCharsMessage, hasControlChars } from "../domain/text";
import { getUser, startSession } from "../services/auth.server";
import { COUNTRIES, isCountryCode } from "../services/countries.server";
import { httpError } from "../services/errors.server";
import { field, readForm } from "../services/forms.server";
import { acceptByLink, joinAsNewSupplier, joinPage } from "../services/supplier-invitation-join.server";
import { GeneralErrorBoundary } from "../ui/error-boundary";
import { ErrorSummary } from "../ui/error-summary";
import { FieldError, TextInput, describedBy } from "../ui/fields";

export const meta: MetaFunction = () => [{ title: "Accept an invitation – Lantern" }];

const text = (label: string, max: number, empty: string) =>
  z.string().trim().min(1, empty).max(max, `${label} must be ${max} characters or fewer`).refine((s) => !hasControlChars(s), controlCharsMessage(label));

const schema = z.object({
  organisationName: text("Organisation name", 200, "Enter your organisation's name"),
  companyNumber: z.string().trim().max(20, "Enter a Companies House number of 8 characters, like 01234567"),
  country: z.string().refine(isCountryCode, "Choose the country where your organisation is registered"),
  name: text("Your name", 100, "Enter your full name"),
  email: z.string().trim().min(1, "Enter your email address").max(254, "Email address must be 254 characters or fewer").email("Enter an email address in the correct format, like name@example.com"),
  password: z.string().min(12, "Password must be 12 characters or more").max(200, "Password must be 200 characters or fewer").refine((s) => !hasControlChars(s), controlCharsMessage("Password")),
});

/** The Companies House number, normalised: required for an organisation registered in the UK. */
function companyNumberOf(text: string, country: string): { ok: true; value: string | null } | { ok: false; error: string } {
  const trimmed = text.trim();
  if (!trimmed) return country === "GB" ? { ok: false, error: "Enter your Companies House number, or if your organisation is registered outside the UK, choose its country" } : { ok: true, value: null };
  return normaliseCompanyNumber(trimmed);
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const page = await joinPage(params.code!, user);
  if (page.redirectTo) throw redirect(page.redirectTo);
  return {
    invitation: page.invitation!,
    signedIn: user ? { organisationName: user.organisationName, isAdmin: user.role === "admin" } : null,
    countries: user ? [] : COUNTRIES.map((c) => [c.code, c.name] as const),
  };
}

const FIELDS = ["organisationName", "country", "companyNumber", "name", "email", "password"] as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await getUser(request);
  const form = await readForm(request);
  const intent = field(form, "intent");
  if (user) {
    if (intent !== "accept") httpError(400, "You are signed in: accept the invitation for your organisation, or sign out to set up a new organisation.");
    const outcome = await acceptByLink(user, params.code!);
    if (!outcome.ok) httpError(outcome.status, outcome.message);
    return redirect(`/supplier/invitations/${outcome.invitationId}`);
  }
  if (intent !== "create") httpError(400, "Sign in to accept this invitation for your organisation, or fill in the form to set up a new one.");
  const values = Object.fromEntries(FIELDS.map((f) => [f, field(form, f)])) as Record<(typeof FIELDS)[number], string>;
  const echo = { ...values, password: "" };
  const parsed = schema.safeParse(values);
  const companyNumber = companyNumberOf(values.companyNumber, values.country);
  if (!parsed.success || !companyNumber.ok) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error?.issues ?? []) errors[String(issue.path[0])] ??= issue.message;
    if (!companyNumber.ok) errors.companyNumber ??= companyNumber.error;
    return data({ errors, values: echo }, { status: 400 });
  }
  const outcome = await joinAsNewSupplier(params.code!, { ...parsed.data, companyNumber: companyNumber.value });
  if (!outcome.ok) return data({ errors: outcome.errors, values: echo }, { status: 409 });
  return redirect(`/supplier/invitations/${outcome.invitationId}`, { headers: { "Set-Cookie": await startSession(outcome.userId) } });
}

export default function Join() {
  const { invitation, signedIn, countries } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  const values = result?.values;
  const ordered = FIELDS.filter((f) => errors[f]).map((f) => ({ href: `#${f}`, text: errors[f]! }));
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={ordered} />
        <span className="govuk-caption-l">Invitation from {invitation.buyerName}</span>
        <h1 className="govuk-heading-l">Complete a modern slavery assessment for {invitation.buyerName}</h1>
        <p className="govuk-body">
          {invitation.buyerName} asks your organisation to complete a modern slavery self-assessment for the contract <strong>{invitation.contractReference}: {invitation.contractTitle}</strong>.
        </p>
        {signedIn ? (
          signedIn.isAdmin ? (
            <Form method="post">
              <p className="govuk-body">Accept the invitation for {signedIn.organisationName}. You will then choose which assessment to share with {invitation.buyerName}.</p>
              <button type="submit" name="intent" value="accept" className="govuk-button" data-module="govuk-button">
                Accept for {signedIn.organisationName}
              </button>
            </Form>
          ) : (
            <div className="govuk-inset-text">Only an administrator of {signedIn.organisationName} can accept an invitation for it. Forward the invitation email to one of your administrators.</div>
          )
        ) : (
          <>
            <div className="govuk-inset-text">
              If your organisation already uses Lantern,{" "}
              <a className="govuk-link" href="/sign-in?redirectTo=%2Fsupplier%2Fjoin">
                sign in
              </a>{" "}
              and enter the code from the email instead: an organisation is set up only once.
            </div>
            <h2 className="govuk-heading-m">Set up your organisation</h2>
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="create" />
              <TextInput id="organisationName" name="organisationName" label="Organisation name" autoComplete="organization" defaultValue={values?.organisationName ?? ""} error={errors.organisationName} />
              <div className={`govuk-form-group${errors.country ? " govuk-form-group--error" : ""}`}>
                <label className="govuk-label" htmlFor="country">
                  Country where your organisation is registered
                </label>
                <FieldError id="country" message={errors.country} />
                <select className={`govuk-select${errors.country ? " govuk-select--error" : ""}`} id="country" name="country" defaultValue={values?.country || "GB"} aria-describedby={describedBy("country", undefined, errors.country)}>
                  {countries.map(([code, name]) => (
                    <option key={code} value={code}>
                      {name}
                    </option>
                  ))}
                </select>
              </div>
              <TextInput
                id="companyNumber"
                name="companyNumber"
                label="Companies House number"
                hint="8 characters, like 01234567 or SC123456. Leave it empty if your organisation is registered outside the UK."
                className="govuk-input--width-10"
                spellCheck={false}
                autoComplete="off"
                defaultValue={values?.companyNumber ?? ""}
                error={errors.companyNumber}
              />
              <h2 className="govuk-heading-m">Your account</h2>
              <p className="govuk-body">You will be your organisation's administrator on Lantern and can invite colleagues.</p>
              <TextInput id="name" name="name" label="Your full name" autoComplete="name" defaultValue={values?.name ?? invitation.contactName ?? ""} error={errors.name} />
              <TextInput id="email" name="email" label="Your email address" hint="You will sign in with this address." type="email" spellCheck={false} autoComplete="email" defaultValue={values?.email ?? invitation.email} error={errors.email} />
              <TextInput id="password" name="password" label="Create a password" hint="Use 12 characters or more." type="password" autoComplete="new-password" error={errors.password} />
              <button type="submit" className="govuk-button" data-module="govuk-button">
                Set up organisation and accept
              </button>
            </Form>
          </>
        )}
      </div>
    </div>
  );
}

/** Refusals here explain themselves: a code that cannot be used, or an account that cannot answer. */
export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && [403, 404, 409].includes(error.status)) {
    const message = typeof error.data === "object" && error.data && "message" in error.data ? String(error.data.message) : "This invitation cannot be used.";
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">{error.status === 403 ? "You cannot answer this invitation with this account" : "This invitation cannot be used"}</h1>
          <p className="govuk-body">{message}</p>
          <p className="govuk-body">
            <a className="govuk-link" href="/">
              Go to the Lantern start page
            </a>
          </p>
        </div>
      </div>
    );
  }
  return <GeneralErrorBoundary />;
}
