/** Why a result needs follow-up, the same words wherever it is shown (queue, results, result and contract pages). */
import { type FollowUpReason, followUpSummary } from "../domain/follow-up";
import { capitalise } from "../domain/text";
import { formatDate } from "../domain/dates";
import { Tag } from "./page";

export function FollowUpReasons({ reasons }: { reasons: readonly FollowUpReason[] }) {
  if (reasons.length === 0) return null;
  return (
    <ul className="govuk-list govuk-body-s govuk-!-margin-bottom-0">
      {reasons.map((r) => (
        <li key={r.kind}>
          {r.kind === "red_flags" ? (
            <>
              <Tag colour="red">{r.titles.length === 1 ? "Red flag" : `${r.titles.length} red flags`}</Tag> {r.titles.join("; ")}
            </>
          ) : r.kind === "high_risk" ? (
            <>Rated {r.band}</>
          ) : (
            <>Review due {formatDate(r.dueOn)}</>
          )}
        </li>
      ))}
    </ul>
  );
}

/** "Follow-up needed" or nothing, with one short line of reasons below it (for lists). */
export function FollowUpStatus({ followUp }: { followUp: { needed: boolean; reasons: readonly FollowUpReason[] } }) {
  if (!followUp.needed) return null;
  return (
    <div className="govuk-!-margin-top-1">
      <Tag colour="red">Follow-up needed</Tag>
      <span className="govuk-body-s govuk-!-display-block govuk-!-margin-top-1 govuk-!-margin-bottom-0">{capitalise(followUpSummary(followUp, formatDate))}.</span>
    </div>
  );
}
