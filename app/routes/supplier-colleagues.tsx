import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { hasControlChars, controlCharsMessage } from "../domain/text";
import { requireRole } from "../services/auth.server";
import { readForm } from "../services/forms.server";
import { inviteColleague, listInvitations } from "../services/invitations.server";
import { ErrorSummary } from "../ui/error-summary";
import { TextInput } from "../ui/fields";
import { formatDate } from "../ui/page";
import { SuccessBanner } from "../ui/success-banner";
import { Table } from "../ui/table";

export const meta: MetaFunction = () => [{ title: "Colleagues – Lantern" }];

const schema = z.object({
  email: z.string().trim().min(1, "Enter your colleague's email address").max(254, "Email address must be 254 characters or fewer").refine((s) => !hasControlChars(s), controlCharsMessage("Email address")).email("Enter an email address in the correct format, like name@example.com"),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "supplier", ["admin"]);
  return { organisationName: user.organisationName, ...(await listInvitations(user)) };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "supplier", ["admin"]);
  const form = await readForm(request);
  const parsed = schema.safeParse({ email: form.get("email") ?? "" });
  const email = String(form.get("email") ?? "");
  if (!parsed.success) return data({ error: parsed.error.issues[0]!.message, email, sent: null }, { status: 400 });
  const outcome = await inviteColleague(user, parsed.data.email, new URL(request.url).origin);
  if (!outcome.ok) return data({ error: outcome.error, email, sent: null }, { status: 400 });
  return { error: null, email: "", sent: outcome.email };
}

const ROLE = { admin: "Administrator", contributor: "Contributor" } as Record<string, string>;

export default function Colleagues() {
  const { organisationName, invitations, colleagues } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={result?.error ? [{ href: "#email", text: result.error }] : []} />
        {result?.sent ? (
          <SuccessBanner id="sent">We have sent an invitation to {result.sent}</SuccessBanner>
        ) : null}
        <span className="govuk-caption-l">{organisationName}</span>
        <h1 className="govuk-heading-l">Colleagues</h1>
        <Table
          caption="People who can answer your assessments"
          head={["Name", "Email", "Role"]}
          rows={colleagues.map((c) => ({ key: c.id, cells: [c.name, c.email, ROLE[c.role] ?? c.role] }))}
        />
        <h2 className="govuk-heading-m">Invite a colleague</h2>
        <p className="govuk-body">They will get an email with a link to create their account. They can then answer and change any part of your assessments.</p>
        <Form method="post" noValidate>
          <TextInput id="email" name="email" label="Email address" type="email" autoComplete="off" spellCheck={false} defaultValue={result?.email ?? ""} error={result?.error ?? undefined} key={result?.sent ?? "form"} />
          <button type="submit" className="govuk-button">
            Send invitation
          </button>
        </Form>
        {invitations.length > 0 ? (
          <Table
            caption="Invitations"
            head={["Email", "Sent", "Status"]}
            rows={invitations.map((i) => ({
              key: i.id,
              cells: [i.email, formatDate(i.created_at), i.accepted_at ? "Accepted" : `Waiting (link expires ${formatDate(i.expires_at)})`],
            }))}
          />
        ) : null}
      </div>
    </div>
  );
}
