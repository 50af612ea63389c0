import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getUser, homeFor } from "../services/auth.server";

export const meta: MetaFunction = () => [{ title: "Lantern: modern slavery due diligence for public sector supply chains" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  if (user) throw redirect(homeFor(user));
  return null;
}

export default function Home() {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-xl">Assess and act on modern slavery risks in your supply chain</h1>
        <p className="govuk-body-l">
          Public bodies use Lantern to ask their suppliers about the steps they take against modern slavery, and to follow up
          on what they find.
        </p>
        <p className="govuk-body">Use this service to:</p>
        <ul className="govuk-list govuk-list--bullet">
          <li>answer the modern slavery self-assessment for your company, with your colleagues</li>
          <li>get a report with a score for each theme and recommendations you can act on</li>
          <li>see the results of the suppliers your organisation works with</li>
        </ul>
        <p className="govuk-body">Your answers are saved as you go, so you can complete the assessment over several days.</p>
        <a href="/sign-in" role="button" draggable="false" className="govuk-button govuk-button--start" data-module="govuk-button">
          Sign in
          <svg className="govuk-button__start-icon" xmlns="http://www.w3.org/2000/svg" width="17.5" height="19" viewBox="0 0 33 40" aria-hidden="true" focusable="false">
            <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z" />
          </svg>
        </a>
        <h2 className="govuk-heading-m">Before you start</h2>
        <p className="govuk-body">
          You need an account. If a public body has asked you to complete an assessment, ask a colleague who already has an
          account to invite you.
        </p>
      </div>
    </div>
  );
}
