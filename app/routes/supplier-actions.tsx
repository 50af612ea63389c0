import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listSupplierActions } from "../services/actions.server";
import { requireRole } from "../services/auth.server";
import { ActionTable } from "../ui/action-table";
import { BackLink } from "../ui/page";
import { plural } from "../domain/text";

export const meta: MetaFunction = () => [{ title: "Agreed actions – Lantern" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "supplier");
  return { organisationName: user.organisationName, ...(await listSupplierActions(user)) };
}

export default function SupplierActions() {
  const { organisationName, buyers, total, overdue, awaiting } = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        <BackLink href="/supplier">Back to your assessments</BackLink>
        <span className="govuk-caption-l">{organisationName}</span>
        <h1 className="govuk-heading-l">Actions agreed with buyers</h1>
        {total === 0 ? (
          <p className="govuk-body">No actions have been agreed with your organisation yet. They appear here when a buyer records a conversation with you about an assessment.</p>
        ) : (
          <>
            <p className="govuk-body">
              {plural(total, "action")}
              {overdue > 0 ? `, ${overdue} overdue` : ""}
              {awaiting > 0 ? `, ${awaiting} awaiting the buyer's confirmation` : ""}.
            </p>
            <p className="govuk-body">Open an action to post an update the buyer will see. When the work is finished, mark it as done and say what was done: the buyer then confirms it, or reopens it with a reason.</p>
          </>
        )}
        {buyers.map((b) => (
          <ActionTable
            key={b.id}
            caption={b.name}
            actions={b.actions.map((a) => ({
              id: a.id,
              description: a.description,
              linked: true,
              owner: `${a.ownerName} (${a.ownerSide === "supplier" ? "your organisation" : b.name})`,
              dueOn: a.dueOn,
              overdue: a.overdue,
              status: a.status,
            }))}
          />
        ))}
      </div>
    </div>
  );
}
