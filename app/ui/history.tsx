/** The audit history of a record: who changed what and when, with the old and new values. */
import { formatDate, formatDateTime } from "./page";
import { TableScroll } from "./table";

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

/** Fields that hold an ISO date, shown as GOV.UK writes dates. */
const DATE_FIELDS = new Set(["held_on", "next_review_on", "due_on"]);
/** Fields that hold recommendation ids (one, or a JSON list), shown by the recommendation's title. */
const RECOMMENDATION_FIELDS = new Set(["recommendation_id", "recommendations_discussed"]);

const MAX_SHOWN = 300;

function shown(value: string | null): string {
  if (value === null || value === "") return "(empty)";
  if (value === "[]") return "(none)";
  const text = Object.hasOwn(VALUE_LABELS, value) ? VALUE_LABELS[value]! : value; // a typed "constructor" is shown as typed
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

/** A recorded value in words: dates written out, recommendations by title rather than id. */
function shownAs(field: string | null, value: string | null, recommendations: Record<string, string>): string {
  if (value === null || value === "" || value === "[]") return shown(value);
  if (field && DATE_FIELDS.has(field) && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value);
  if (field && RECOMMENDATION_FIELDS.has(field)) {
    let ids: unknown = value;
    try {
      if (value.startsWith("[")) ids = JSON.parse(value);
    } catch {
      // not a list: one id
    }
    const list = Array.isArray(ids) ? ids.map(String) : [value];
    return shown(list.map((id) => recommendations[id] ?? id).join("; "));
  }
  return shown(value);
}

/**
 * One entry in words. `questions` names the questions whose verification changed;
 * `recommendations` gives each recommendation's title by id.
 */
export function describeEntry(e: HistoryEntry, questions: Record<string, string> = {}, recommendations: Record<string, string> = {}): string {
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
      return `${label || "Changed"}: ${shownAs(e.field, e.oldValue, recommendations)} to ${shownAs(e.field, e.newValue, recommendations)}`;
  }
}

export function History({
  entries,
  questions,
  recommendations,
  heading = "History",
}: {
  entries: HistoryEntry[];
  questions?: Record<string, string>;
  recommendations?: Record<string, string>;
  heading?: string;
}) {
  return (
    <section aria-labelledby="history">
      <h2 className="govuk-heading-m" id="history">
        {heading}
      </h2>
      {entries.length === 0 ? (
        <p className="govuk-body">Nothing has been recorded yet.</p>
      ) : (
        <TableScroll label="Every change, oldest first">
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
                <td className="govuk-table__cell">{describeEntry(e, questions, recommendations)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </TableScroll>
      )}
    </section>
  );
}
