/** The contract page's section on its supplier in Lantern: the current result shared with the department, or name matches to decide on. */
import { Link } from "@remix-run/react";
import type { FollowUpReason } from "../domain/follow-up";
import { plural } from "../domain/text";
import { FollowUpReasons } from "./follow-up";
import { Tag, formatDate } from "./page";

const BAND_COLOUR: Record<string, "red" | "orange" | "green"> = { high: "red", medium: "orange", low: "green" };

export type ContractSupplierView = {
  contract: { id: string; reference: string };
  linked: { id: string; name: string; acceptedBy: string | null; acceptedAt: string | null } | null;
  current: {
    assessmentId: string;
    submittedAt: string;
    band: { id: string; label: string };
    overall: number | null;
    ratingNote: string | null;
    status: string;
    followUp: { needed: boolean; reasons: FollowUpReason[] };
  } | null;
  candidates: Array<{ organisationId: string }>;
  canLink: boolean;
};

export function ContractSupplierResult({ view }: { view: ContractSupplierView }) {
  const { linked, current } = view;
  return (
    <section aria-labelledby="supplier-result" className="govuk-!-margin-bottom-6">
      <h2 className="govuk-heading-m" id="supplier-result">
        The supplier's result
      </h2>
      {!linked ? (
        <>
          <p className="govuk-body">This contract is not linked to a supplier organisation in Lantern, so no result shows here.</p>
          {view.candidates.length > 0 ? (
            view.canLink ? (
              <p className="govuk-body">
                <Link className="govuk-link" to={`/contracts/${view.contract.id}/supplier`}>
                  Check {plural(view.candidates.length, "possible match", "possible matches")} among the suppliers that shared a result with you
                </Link>
              </p>
            ) : (
              <p className="govuk-body">{plural(view.candidates.length, "supplier has", "suppliers have")} a similar name: a contract manager can check and link one.</p>
            )
          ) : null}
        </>
      ) : !current ? (
        <p className="govuk-body">{linked.name} has not shared a result with you.</p>
      ) : (
        <>
          <p className="govuk-body">
            <Link className="govuk-link" to={`/results/${current.assessmentId}`}>
              {linked.name}'s current result
            </Link>
            , submitted {formatDate(current.submittedAt)}: <Tag colour={BAND_COLOUR[current.band.id]}>{current.band.label}</Tag>{" "}
            {current.overall === null ? "not scored" : `${current.overall}%`}, {current.status === "completed" ? "completed" : "awaiting the supplier's responses to recommendations"}.
          </p>
          {current.ratingNote ? <p className="govuk-body-s">{current.ratingNote}</p> : null}
          {current.followUp.needed ? (
            <div className="govuk-body">
              <Tag colour="red">Follow-up needed</Tag>
              <FollowUpReasons reasons={current.followUp.reasons} />
            </div>
          ) : (
            <p className="govuk-body">No follow-up needed now.</p>
          )}
        </>
      )}
      {linked?.acceptedBy ? (
        <p className="govuk-body-s">
          Linked to {linked.name} by name, accepted by {linked.acceptedBy} on {formatDate(linked.acceptedAt!)}.
        </p>
      ) : null}
    </section>
  );
}
