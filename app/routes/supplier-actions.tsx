import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ACTION_STATUS_LABELS } from "../domain/conversations";
import { listSupplierActions } from "../services/actions.server";
import { requireRole } from "../services/auth.server";
import { BackLink, Tag, formatDate } from "../ui/page";

export const meta: MetaFunction = () => [{ title: "Agreed actions – Lantern" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "supplier");
  return { organisationName: user.organisationName, ...(await listSupplierActions(user)) };
}

export default function SupplierActions() {
  const { organisationName, buyers, total, overdue } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        <BackLink href="/supplier">Back to your assessments</BackLink>
        <span className="govuk-caption-l">{organisationName}</span>
        <h1 className="govuk-heading-l">Actions agreed with buyers</h1>
        {total === 0 ? (
          <p className="govuk-body">No actions have been agreed with your organisation yet. They appear here when a buyer records a conversation with you about an assessment.</p>
        ) : (
          <p className="govuk-body">
            {total} {total === 1 ? "action" : "actions"}
            {overdue > 0 ? `, ${overdue} overdue` : ""}. Open an action to post an update the buyer will see.
          </p>
        )}
        {buyers.map((b) => (
          <table className="govuk-table" key={b.id}>
            <caption className="govuk-table__caption govuk-table__caption--m">{b.name}</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">Action</th>
                <th scope="col" className="govuk-table__header">Owner</th>
                <th scope="col" className="govuk-table__header">Due</th>
                <th scope="col" className="govuk-table__header">Status</th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {b.actions.map((a) => (
                <tr className="govuk-table__row" key={a.id}>
                  <td className="govuk-table__cell">
                    <Link className="govuk-link" to={`/actions/${a.id}`}>
                      {a.description}
                    </Link>
                  </td>
                  <td className="govuk-table__cell">
                    {a.ownerName} ({a.ownerSide === "supplier" ? "your organisation" : b.name})
                  </td>
                  <td className="govuk-table__cell">
                    {formatDate(a.dueOn)} {a.overdue ? <Tag colour="red">Overdue</Tag> : null}
                  </td>
                  <td className="govuk-table__cell">{ACTION_STATUS_LABELS[a.status]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      </div>
    </div>
  );
}
