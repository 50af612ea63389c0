import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { endSession, getUser, homeFor, safeRedirect, signIn, startSession } from "../services/auth.server";
import { field, readForm } from "../services/forms.server";
import { ErrorSummary } from "../ui/error-summary";
import { TextInput } from "../ui/fields";
import { SuccessBanner } from "../ui/success-banner";
import { formatDateTime } from "../ui/page";

export const meta: MetaFunction = () => [{ title: "Sign in – Lantern" }];

const schema = z.object({
  email: z.string().trim().min(1, "Enter your email address").max(254, "Email address must be 254 characters or fewer").email("Enter an email address in the correct format, like name@example.com"),
  password: z.string().min(1, "Enter your password").max(200, "Password must be 200 characters or fewer"),
});

/** A throttled attempt says when to come back (Retry-After), as the page does in words. */
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  const headers = new Headers();
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (user) throw redirect(homeFor(user));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await readForm(request);
  const email = field(form, "email");
  const parsed = schema.safeParse({ email, password: field(form, "password") });
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
    return data({ errors, email }, { status: 400 });
  }
  const outcome = await signIn(parsed.data.email, parsed.data.password, context.clientAddress ?? "unknown");
  if (!outcome.ok && outcome.reason === "throttled") {
    const message = `Too many failed attempts to sign in. Wait ${outcome.wait} and try again (after ${formatDateTime(outcome.retryAt.toISOString())}).`;
    const retryAfter = String(Math.max(1, Math.ceil((outcome.retryAt.getTime() - Date.now()) / 1000)));
    return data({ errors: { email: message } as Record<string, string>, email }, { status: 429, headers: { "Retry-After": retryAfter } });
  }
  if (!outcome.ok) {
    return data({ errors: { email: "Enter a correct email address and password" } as Record<string, string>, email }, { status: 400 });
  }
  // A new session id at every sign-in; any session this browser had before ends here.
  await endSession(request);
  const cookie = await startSession(outcome.userId);
  // "/" sends each user on to the start page for their organisation and role
  return redirect(safeRedirect(form.get("redirectTo"), "/"), { headers: { "Set-Cookie": cookie } });
}

export default function SignIn() {
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors = result?.errors ?? {};
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={Object.entries(errors).map(([field, text]) => ({ href: `#${field}`, text }))} />
        {params.get("signedOut") === "everywhere" ? (
          <SuccessBanner id="signed-out">You have been signed out on every browser and device.</SuccessBanner>
        ) : null}
        <h1 className="govuk-heading-l">Sign in to Lantern</h1>
        <Form method="post" noValidate>
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? ""} />
          <TextInput id="email" name="email" label="Email address" type="email" autoComplete="email" spellCheck={false} defaultValue={result?.email ?? ""} error={errors.email} />
          <TextInput id="password" name="password" label="Password" type="password" autoComplete="current-password" error={errors.password} />
          <button type="submit" className="govuk-button" data-module="govuk-button">
            Sign in
          </button>
        </Form>
        <p className="govuk-body">If you have been invited by a colleague, use the link in your invitation email to create your account.</p>
      </div>
    </div>
  );
}
