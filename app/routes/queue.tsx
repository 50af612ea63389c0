import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ACTION_STATUS_LABELS } from "../domain/conversations";
import { type FollowUpEntry, type QueueEntry, getQueue } from "../services/queue.server";
import { FollowUpReasons } from "../ui/follow-up";
import { requireRole } from "../services/auth.server";
import { canRecordConversations } from "../services/conversations.server";
import { Tag, formatDate } from "../ui/page";
import { Table } from "../ui/table";
import { TierTag } from "../ui/tier";

export const meta: MetaFunction = () => [{ title: "Work queue – Lantern" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "buyer");
  return { organisationName: user.organisationName, canRecord: canRecordConversations(user), ...(await getQueue(user)) };
}

function Supplier({ e }: { e: Pick<QueueEntry, "assessmentId" | "supplierName"> }) {
  return (
    <Link className="govuk-link" to={`/results/${e.assessmentId}`}>
      {e.supplierName}
    </Link>
  );
}

function Priority({ e }: { e: Pick<QueueEntry, "tier" | "band"> }) {
  return (
    <>
      {e.tier ? <TierTag tier={e.tier} /> : <span className="govuk-body-s">No linked contract</span>} <span className="govuk-body-s govuk-!-display-block">{e.band.label}</span>
    </>
  );
}

function NextStep({ e, canRecord }: { e: FollowUpEntry; canRecord: boolean }) {
  const who = <span className="govuk-visually-hidden"> with {e.supplierName}</span>;
  if (e.draftId) {
    return (
      <Link className="govuk-link" to={`/conversations/${e.draftId}`}>
        Continue the draft conversation{who}
      </Link>
    );
  }
  const conversationNeeded = e.openRedFlags > 0 || !e.lastConversationId || e.reasons.some((r) => r.kind === "review_due");
  if (conversationNeeded) {
    return canRecord ? (
      <Link className="govuk-link" to={`/results/${e.assessmentId}/conversations/new`}>
        Record a conversation{who}
      </Link>
    ) : (
      <>A contract manager records a conversation</>
    );
  }
  return (
    <>
      Keep in view{e.nextReviewOn ? <>: next review {formatDate(e.nextReviewOn)}</> : null}{" "}
      <Link className="govuk-link govuk-!-display-block" to={`/conversations/${e.lastConversationId}`}>
        Last conversation{who}
      </Link>
    </>
  );
}

function Due({ e }: { e: Pick<QueueEntry, "dueOn" | "overdue"> }) {
  if (!e.dueOn) return <>Now</>;
  return (
    <>
      {formatDate(e.dueOn)} {e.overdue ? <Tag colour="red">Overdue</Tag> : null}
    </>
  );
}

export default function Queue() {
  const q = useLoaderData<typeof loader>();
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        <span className="govuk-caption-l">{q.organisationName}</span>
        <h1 className="govuk-heading-l">Work queue</h1>
        <p className="govuk-body">
          Every current result shared with {q.organisationName} that needs follow-up: it raised a red flag no finished conversation has discussed yet, it is rated in the highest-risk band, or the review agreed in the last conversation is due. The
          supplier's responses to its recommendations make no difference.
        </p>
        <p className="govuk-body">Most important first: open red flags, then gold contracts before silver and bronze, then the highest-risk rating.</p>

        <section aria-labelledby="follow-up">
          <h2 className="govuk-heading-m" id="follow-up">
            Results needing follow-up ({q.followUp.length} of {q.results})
          </h2>
          {q.followUp.length === 0 ? (
            <p className="govuk-body">No current result shared with you needs follow-up.</p>
          ) : (
            <Table
              caption="Current results that need follow-up"
              captionSize="hidden"
              head={["Supplier", "Why", "Contract tier and rating", "Next step"]}
              rows={q.followUp.map((e) => ({
                key: e.assessmentId,
                cells: [
                  <Supplier e={e} />,
                  <FollowUpReasons reasons={e.reasons} />,
                  <Priority e={e} />,
                  <NextStep e={e} canRecord={q.canRecord} />,
                ],
              }))}
            />
          )}
        </section>

        <section aria-labelledby="actions">
          <h2 className="govuk-heading-m" id="actions">
            Actions overdue, due within 14 days or awaiting your confirmation ({q.actions.length})
          </h2>
          <p className="govuk-body">
            <Link className="govuk-link" to="/actions">
              Every agreed action, with filters and downloads
            </Link>
          </p>
          {q.actions.length === 0 ? (
            <p className="govuk-body">No agreed action is overdue, due in the next 14 days or awaiting your confirmation.</p>
          ) : (
            <Table
              caption="Agreed actions overdue or due soon"
              captionSize="hidden"
              head={["Action", "Supplier", "Contract tier and rating", "Owner", "Due", "Status"]}
              rows={q.actions.map((e) => ({
                key: e.key,
                cells: [
                  <Link className="govuk-link" to={`/actions/${e.actionId}`}>
                    {e.description}
                  </Link>,
                  <Supplier e={e} />,
                  <Priority e={e} />,
                  <>
                    {e.ownerName} ({e.ownerSide === "buyer" ? "your organisation" : "supplier"})
                  </>,
                  <Due e={e} />,
                  e.status ? ACTION_STATUS_LABELS[e.status] : null,
                ],
              }))}
            />
          )}
        </section>

        <section aria-labelledby="reviews">
          <h2 className="govuk-heading-m" id="reviews">
            Reviews due within 30 days ({q.reviews.length})
          </h2>
          {q.reviews.length === 0 ? (
            <p className="govuk-body">No review is due in the next 30 days.</p>
          ) : (
            <Table
              caption="Reviews due or overdue"
              captionSize="hidden"
              head={["Supplier", "Contract tier and rating", "Review due", "Last conversation"]}
              rows={q.reviews.map((e) => ({
                key: e.key,
                cells: [
                  <Supplier e={e} />,
                  <Priority e={e} />,
                  <Due e={e} />,
                  <>
                    <Link className="govuk-link" to={`/conversations/${e.conversationId}`}>
                      View<span className="govuk-visually-hidden"> the last conversation with {e.supplierName}</span>
                    </Link>
                    {e.draftId ? (
                      <>
                        {" "}
                        <Link className="govuk-link" to={`/conversations/${e.draftId}`}>
                          Continue the draft<span className="govuk-visually-hidden"> conversation with {e.supplierName}</span>
                        </Link>
                      </>
                    ) : null}
                  </>,
                ],
              }))}
            />
          )}
        </section>
      </div>
    </div>
  );
}
