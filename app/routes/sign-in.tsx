import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { checkCredentials, getUser, homeFor, safeRedirect, startSession } from "../services/auth.server";
import { ErrorSummary } from "../ui/error-summary";
import { TextInput } from "../ui/fields";

export const meta: MetaFunction = () => [{ title: "Sign in – Lantern" }];

const schema = z.object({
  email: z.string().trim().min(1, "Enter your email address").max(254, "Email address must be 254 characters or fewer").email("Enter an email address in the correct format, like name@example.com"),
  password: z.string().min(1, "Enter your password").max(200, "Password must be 200 characters or fewer"),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (user) throw redirect(homeFor(user));
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const parsed = schema.safeParse({ email: form.get("email") ?? "", password: form.get("password") ?? "" });
  const email = typeof form.get("email") === "string" ? String(form.get("email")) : "";
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
    return data({ errors, email }, { status: 400 });
  }
  const user = await checkCredentials(parsed.data.email, parsed.data.password);
  if (!user) {
    return data({ errors: { email: "Enter a correct email address and password" } as Record<string, string>, email }, { status: 400 });
  }
  const cookie = await startSession(user.id);
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
