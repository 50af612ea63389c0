import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { requireRole } from "../services/auth.server";

export const meta: MetaFunction = () => [{ title: "Overview – Lantern" }];

const ROLE_TEXT = {
  admin: {
    title: "Administrator",
    does: "You manage your department's users and its contract register, and can see everything your colleagues see.",
  },
  contract_manager: {
    title: "Contract manager",
    does: "You follow up with the suppliers of the contracts you manage: read their results and agree an action plan with them.",
  },
  analyst: {
    title: "Analyst",
    does: "You watch completion and follow-up across your department's suppliers and prepare the figures for the annual modern slavery statement.",
  },
} as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "buyer", ["admin", "contract_manager", "analyst"]);
  const role = ROLE_TEXT[user.role as keyof typeof ROLE_TEXT];
  return { name: user.name, organisationName: user.organisationName, role };
}

export default function BuyerHome() {
  const { name, organisationName, role } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <span className="govuk-caption-l">{organisationName}</span>
        <h1 className="govuk-heading-l">Welcome, {name}</h1>
        <p className="govuk-body">
          You are signed in as a <strong>{role.title.toLowerCase()}</strong>. {role.does}
        </p>
        <div className="govuk-inset-text">
          Suppliers' results appear here once a supplier shares a completed assessment with {organisationName}.
          No supplier has shared an assessment with you yet.
        </div>
      </div>
    </div>
  );
}
