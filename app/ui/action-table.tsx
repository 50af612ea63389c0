import { Link } from "@remix-run/react";
import { ACTION_STATUS_LABELS, type ActionStatus } from "../domain/conversations";
import { Tag, formatDate } from "./page";
import { Table } from "./table";

export type ActionRow = {
  id: string;
  description: string;
  /** Whether the action has a page yet (it has once its conversation is finished). */
  linked: boolean;
  /** The recommendation it answers, if any. */
  recommendation?: string;
  /** Who owns it, as the reader would say it: "Owen Hughes (your organisation)". */
  owner: string;
  dueOn: string;
  overdue: boolean;
  status: ActionStatus;
};

/** Agreed actions, as the buyer's conversation page and the supplier's list both show them. */
export function ActionTable({ caption, actions }: { caption: string; actions: ActionRow[] }) {
  return (
    <Table
      caption={caption}
      head={["Action", "Owner", "Due", "Status"]}
      rows={actions.map((a) => ({
        key: a.id,
        cells: [
          <>
            {a.linked ? (
              <Link className="govuk-link" to={`/actions/${a.id}`}>
                {a.description}
              </Link>
            ) : (
              a.description
            )}
            {a.recommendation ? <span className="govuk-body-s govuk-!-display-block">For: {a.recommendation}</span> : null}
          </>,
          a.owner,
          <>
            {formatDate(a.dueOn)} {a.overdue ? <Tag colour="red">Overdue</Tag> : null}
          </>,
          ACTION_STATUS_LABELS[a.status],
        ],
      }))}
    />
  );
}
