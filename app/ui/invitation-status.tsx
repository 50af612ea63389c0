/** A supplier invitation's status as a GOV.UK tag, and a contract's invitations as a table. */
import { Link } from "@remix-run/react";
import { INVITATION_STATUS_LABELS, type InvitationStatus } from "../domain/supplier-invitations";
import { Tag, formatDate } from "./page";
import { Table } from "./table";

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
        <Table
          caption="Invitations for this contract"
          captionSize="hidden"
          head={["Sent to", "Status", "Invited", "Last reminder", "Result"]}
          rows={invitations.map((i) => ({
            key: i.id,
            cells: [
              <>
                {i.contactName ? `${i.contactName}, ` : ""}
                {i.email}
                {i.supplierName ? <span className="govuk-body-s lantern-secondary"> (accepted by {i.supplierName})</span> : null}
              </>,
              <>
                <InvitationStatusTag status={i.status} />
                {i.status === "cancelled" && i.cancelReason ? <span className="govuk-body-s"> {i.cancelReason}</span> : null}
              </>,
              formatDate(i.createdAt),
              i.lastRemindedAt ? formatDate(i.lastRemindedAt) : "None",
              i.assessmentId && (i.status === "submitted" || i.status === "completed") ? (
                <Link className="govuk-link" to={`/results/${i.assessmentId}`}>
                  View the result<span className="govuk-visually-hidden"> of {i.supplierName ?? i.email}</span>
                </Link>
              ) : (
                "Not submitted yet"
              ),
            ],
          }))}
        />
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
