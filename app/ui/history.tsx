/** The audit history of a record: who changed what and when, with the old and new values. */
import { formatDateTime } from "./page";

export type HistoryEntry = {
  id: number;
  at: string;
  userName: string;
  organisationName: string;
  entity: string;
  entityId: string;
  action: string;
  field: string | null;
  oldValue: string | null;
  newValue: string | null;
};

const FIELD_LABELS: Record<string, string> = {
  held_on: "Date held",
  buyer_attendees: "Attended from the buyer",
  supplier_attendees: "Attended from the supplier",
  notes: "Notes",
  recommendations_discussed: "Recommendations discussed",
  next_review_on: "Next review date",
  description: "Action",
  owner_side: "Owner's side",
  owner_name: "Owner",
  due_on: "Due date",
  recommendation_id: "Recommendation",
  status: "Status",
  cancel_reason: "Reason for cancelling",
};

const VALUE_LABELS: Record<string, string> = {
  self_declared: "Self-declared",
  evidence_seen: "Evidence seen",
  verified: "Verified",
  open: "Open",
  in_progress: "In progress",
  done: "Done",
  cancelled: "Cancelled",
  draft: "Draft",
  finished: "Finished",
  buyer: "Buyer",
  supplier: "Supplier",
};

const MAX_SHOWN = 300;

function shown(value: string | null): string {
  if (value === null || value === "") return "(empty)";
  if (value === "[]") return "(none)";
  const text = VALUE_LABELS[value] ?? value;
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

/** One entry in words. `questions` names the questions whose verification changed. */
export function describeEntry(e: HistoryEntry, questions: Record<string, string> = {}): string {
  const label = (e.field && FIELD_LABELS[e.field]) ?? e.field ?? "";
  switch (e.action) {
    case "created":
      return e.entity === "conversation" ? "Started the conversation" : "Added the action";
    case "finished":
      return "Finished the conversation";
    case "removed":
      return `Removed the action: ${shown(e.oldValue)}`;
    case "action_removed":
      return `Removed an action: ${shown(e.oldValue)}`;
    case "verification":
      return `Verification of “${(e.field && questions[e.field]) ?? e.field}”: ${shown(e.oldValue)} to ${shown(e.newValue)}`;
    case "update_posted":
      return e.newValue ? `Posted an update: ${shown(e.newValue)}` : "Posted an update";
    default:
      return `${label || "Changed"}: ${shown(e.oldValue)} to ${shown(e.newValue)}`;
  }
}

export function History({ entries, questions, heading = "History" }: { entries: HistoryEntry[]; questions?: Record<string, string>; heading?: string }) {
  return (
    <section aria-labelledby="history">
      <h2 className="govuk-heading-m" id="history">
        {heading}
      </h2>
      {entries.length === 0 ? (
        <p className="govuk-body">Nothing has been recorded yet.</p>
      ) : (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--s">Every change, oldest first</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">
                When
              </th>
              <th scope="col" className="govuk-table__header">
                Who
              </th>
              <th scope="col" className="govuk-table__header">
                What
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {entries.map((e) => (
              <tr className="govuk-table__row" key={e.id}>
                <td className="govuk-table__cell">{formatDateTime(e.at)}</td>
                <td className="govuk-table__cell">
                  {e.userName}, {e.organisationName}
                </td>
                <td className="govuk-table__cell">{describeEntry(e, questions)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
