import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { INVITATION_STATUSES, INVITATION_STATUS_LABELS } from "../domain/supplier-invitations";
import { requireRole } from "../services/auth.server";
import { indefiniteArticle, plural } from "../domain/text";
import { buyerOverview } from "../services/buyer-overview.server";
import { TableScroll } from "../ui/table";

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
  return { name: user.name, organisationName: user.organisationName, role, figures: await buyerOverview(user) };
}

export default function BuyerHome() {
  const { name, organisationName, role, figures: f } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <span className="govuk-caption-l">{organisationName}</span>
        <h1 className="govuk-heading-l">Welcome, {name}</h1>
        <p className="govuk-body">
          You are signed in as {indefiniteArticle(role.title)} <strong>{role.title.toLowerCase()}</strong>. {role.does}
        </p>

        <h2 className="govuk-heading-m">Contracts</h2>
        <p className="govuk-body">These figures count live contracts only: ended contracts are history.</p>
        <dl className="govuk-summary-list">
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Live contracts</dt>
            <dd className="govuk-summary-list__value">
              {f.contracts.toLocaleString("en-GB")}
              {f.endedContracts > 0 ? <span className="govuk-body-s"> (and {f.endedContracts.toLocaleString("en-GB")} ended)</span> : null}
            </dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Risk-assessed</dt>
            <dd className="govuk-summary-list__value">
              {f.riskAssessedPercent === null
                ? "No live contracts"
                : `${f.riskAssessed.toLocaleString("en-GB")} of ${plural(f.contracts, "live contract", "live contracts")} (${f.riskAssessedPercent}%)`}
            </dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Priority contracts</dt>
            <dd className="govuk-summary-list__value">
              {f.priority.toLocaleString("en-GB")} live
              <span className="govuk-body-s"> ({plural(f.priorityThreshold, "risk indicator", "risk indicators")} or more)</span>
            </dd>
          </div>
        </dl>
        <p className="govuk-body">
          <Link className="govuk-link" to="/contracts">
            See your contracts
          </Link>
        </p>

        <h2 className="govuk-heading-m">Supplier invitations</h2>
        {f.invitationsTotal === 0 ? (
          <p className="govuk-body">You have not invited any supplier yet. Invite a contract's supplier from the contract's page.</p>
        ) : (
          <TableScroll label="Invitations by where they stand">
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-table__caption--s">{plural(f.invitationsTotal, "invitation", "invitations")} by where they stand</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">
                  Status
                </th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                  Invitations
                </th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {INVITATION_STATUSES.map((s) => (
                <tr className="govuk-table__row" key={s}>
                  <th scope="row" className="govuk-table__header">
                    {INVITATION_STATUS_LABELS[s]}
                  </th>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{f.invitations[s]}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </TableScroll>
        )}
        <p className="govuk-body">
          <Link className="govuk-link" to="/invitations">
            See your invitations
          </Link>
        </p>

        <h2 className="govuk-heading-m">Results</h2>
        {f.results === 0 ? (
          <div className="govuk-inset-text">
            Suppliers' results appear here once a supplier shares a submitted assessment with {organisationName}. No supplier
            has shared an assessment with you yet.
          </div>
        ) : (
          <p className="govuk-body">
            {plural(f.results, "supplier assessment is", "supplier assessments are")} shared with {organisationName}.
          </p>
        )}
        <p className="govuk-body">
          <Link className="govuk-link" to="/results">
            See results shared with you
          </Link>
        </p>
      </div>
    </div>
  );
}
