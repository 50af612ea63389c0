/** A supplier invitation's status as a GOV.UK tag, and a contract's invitations as a table. */
import { Link } from "@remix-run/react";
import { INVITATION_STATUS_LABELS, type InvitationStatus } from "../domain/supplier-invitations";
import { Tag, formatDate } from "./page";

const COLOUR = {
  invited: "blue",
  registered: "light-blue",
  in_progress: "purple",
  submitted: "yellow",
  completed: "green",
  expired: "grey",
  cancelled: "red",
} as const satisfies Record<InvitationStatus, Parameters<typeof Tag>[0]["colour"]>;

export function InvitationStatusTag({ status }: { status: InvitationStatus }) {
  return <Tag colour={COLOUR[status]}>{INVITATION_STATUS_LABELS[status]}</Tag>;
}

export type ContractInvitationRow = {
  id: string;
  /** The assessment the supplier answered with, once linked. */
  assessmentId: string | null;
  email: string;
  contactName: string | null;
  supplierName: string | null;
  status: InvitationStatus;
  createdAt: string;
  lastRemindedAt: string | null;
  cancelReason: string | null;
};

/** The invitations sent for one contract (from invitationsForContract), with a link to send one when none is open. */
export function ContractInvitations({ contractId, invitations, canInvite }: { contractId: string; invitations: ContractInvitationRow[]; canInvite: boolean }) {
  return (
    <section aria-labelledby="contract-invitations">
      <h2 className="govuk-heading-m" id="contract-invitations">
        Supplier invitations
      </h2>
      {invitations.length === 0 ? <p className="govuk-body">The supplier has not been invited to complete an assessment for this contract.</p> : null}
      {invitations.length > 0 ? (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-visually-hidden">Invitations for this contract</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">Sent to</th>
              <th scope="col" className="govuk-table__header">Status</th>
              <th scope="col" className="govuk-table__header">Invited</th>
              <th scope="col" className="govuk-table__header">Last reminder</th>
              <th scope="col" className="govuk-table__header">Result</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {invitations.map((i) => (
              <tr key={i.id} className="govuk-table__row">
                <td className="govuk-table__cell">
                  {i.contactName ? `${i.contactName}, ` : ""}
                  {i.email}
                  {i.supplierName ? <span className="govuk-body-s lantern-secondary"> (accepted by {i.supplierName})</span> : null}
                </td>
                <td className="govuk-table__cell">
                  <InvitationStatusTag status={i.status} />
                  {i.status === "cancelled" && i.cancelReason ? <span className="govuk-body-s"> {i.cancelReason}</span> : null}
                </td>
                <td className="govuk-table__cell">{formatDate(i.createdAt)}</td>
                <td className="govuk-table__cell">{i.lastRemindedAt ? formatDate(i.lastRemindedAt) : "None"}</td>
                <td className="govuk-table__cell">
                  {i.assessmentId && (i.status === "submitted" || i.status === "completed") ? (
                    <Link className="govuk-link" to={`/results/${i.assessmentId}`}>
                      View the result<span className="govuk-visually-hidden"> of {i.supplierName ?? i.email}</span>
                    </Link>
                  ) : (
                    "Not submitted yet"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {canInvite ? (
        <p className="govuk-body">
          <Link className="govuk-button govuk-button--secondary" to={`/contracts/${contractId}/invite`}>
            Invite the supplier
          </Link>
        </p>
      ) : null}
      {invitations.length > 0 ? (
        <p className="govuk-body">
          <Link className="govuk-link" to="/invitations">
            Send reminders and cancel invitations
          </Link>
        </p>
      ) : null}
    </section>
  );
}
