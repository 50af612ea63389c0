import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { countSessions, requireUser } from "../services/auth.server";

export const meta: MetaFunction = () => [{ title: "Your account – Lantern" }];

const ROLE: Record<string, string> = { admin: "Administrator", contributor: "Contributor", contract_manager: "Contract manager", analyst: "Analyst" };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return {
    name: user.name,
    email: user.email,
    organisationName: user.organisationName,
    role: ROLE[user.role] ?? user.role,
    sessions: await countSessions(user),
  };
}

export default function Account() {
  const account = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Your account</h1>
        <dl className="govuk-summary-list">
          {[
            ["Name", account.name],
            ["Email address", account.email],
            ["Organisation", account.organisationName],
            ["Role", account.role],
          ].map(([key, value]) => (
            <div className="govuk-summary-list__row" key={key}>
              <dt className="govuk-summary-list__key">{key}</dt>
              <dd className="govuk-summary-list__value">{value}</dd>
            </div>
          ))}
        </dl>
        <h2 className="govuk-heading-m">Where you are signed in</h2>
        <p className="govuk-body">
          {account.sessions === 1 ? "You are signed in only in this browser." : `You are signed in on ${account.sessions} browsers or devices, including this one.`}
        </p>
        <p className="govuk-body">If you signed in on a shared or lost device, or think someone else knows your password, sign out everywhere.</p>
        <Form method="post" action="/sign-out">
          <input type="hidden" name="scope" value="everywhere" />
          <button type="submit" className="govuk-button govuk-button--warning" data-module="govuk-button">
            Sign out everywhere
          </button>
        </Form>
      </div>
    </div>
  );
}
