/** An agreed action's status as a GOV.UK tag, the same colour wherever it is shown. */
import { ACTION_STATUS_LABELS, type ActionStatus } from "../domain/conversations";
import { Tag } from "./page";

const STATUS_COLOUR = { open: "blue", in_progress: "light-blue", awaiting_confirmation: "yellow", done: "green", cancelled: "grey" } as const satisfies Record<ActionStatus, string>;

export function ActionStatusTag({ status }: { status: ActionStatus }) {
  return <Tag colour={STATUS_COLOUR[status]}>{ACTION_STATUS_LABELS[status]}</Tag>;
}
