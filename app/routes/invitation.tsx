import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { startSession } from "../services/auth.server";
import { hasControlChars, controlCharsMessage } from "../domain/text";
import { httpError } from "../services/errors.server";
import { readForm } from "../services/forms.server";
import { ALREADY_HAS_ACCOUNT, acceptInvitation, findInvitation } from "../services/invitations.server";
import { ErrorSummary } from "../ui/error-summary";
import { TextInput } from "../ui/fields";

export const meta: MetaFunction = () => [{ title: "Create your account – Lantern" }];

const schema = z.object({
  name: z.string().trim().min(1, "Enter your full name").max(100, "Name must be 100 characters or fewer").refine((s) => !hasControlChars(s), controlCharsMessage("Name")),
  password: z.string().min(12, "Password must be 12 characters or more").max(200, "Password must be 200 characters or fewer").refine((s) => !hasControlChars(s), controlCharsMessage("Password")),
});

export async function loader({ params }: LoaderFunctionArgs) {
  const invitation = await findInvitation(params.token!);
  if (!invitation) httpError(404, "This invitation link has expired or has already been used.");
  if (invitation.hasAccount) httpError(409, ALREADY_HAS_ACCOUNT);
  return { email: invitation.email, organisationName: invitation.organisationName };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const form = await readForm(request);
  const parsed = schema.safeParse({ name: form.get("name") ?? "", password: form.get("password") ?? "" });
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
    return data({ errors, name: String(form.get("name") ?? "") }, { status: 400 });
  }
  const userId = await acceptInvitation(params.token!, parsed.data.name, parsed.data.password);
  return redirect("/", { headers: { "Set-Cookie": await startSession(userId) } });
}

export default function AcceptInvitation() {
  const { email, organisationName } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result?.errors ?? {};
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={Object.entries(errors).map(([f, text]) => ({ href: `#${f}`, text }))} />
        <h1 className="govuk-heading-l">Create your account</h1>
        <p className="govuk-body">
          You have been invited to answer {organisationName}'s modern slavery assessment. You will sign in with {email}.
        </p>
        <Form method="post" noValidate>
          <TextInput id="name" name="name" label="Full name" autoComplete="name" defaultValue={result?.name ?? ""} error={errors.name} />
          <TextInput id="password" name="password" label="Create a password" hint="Use 12 characters or more." type="password" autoComplete="new-password" error={errors.password} />
          <button type="submit" className="govuk-button">
            Create account
          </button>
        </Form>
      </div>
    </div>
  );
}
