import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { requireRole } from "../services/auth.server";
import { listResults } from "../services/results.server";
import { Tag, formatDate } from "../ui/page";
import { Table } from "../ui/table";
import { plural } from "../domain/text";
import { FollowUpStatus } from "../ui/follow-up";

export const meta: MetaFunction = () => [{ title: "Results shared with you – Lantern" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "buyer", ["admin", "contract_manager", "analyst"]);
  const query = new URL(request.url).searchParams;
  const band = query.get("band") ?? undefined;
  const followUp = query.get("followUp") === "yes";
  return { organisationName: user.organisationName, ...(await listResults(user, { band, followUp })) };
}

const STATUS = {
  submitted: { text: "Submitted", colour: "yellow" },
  completed: { text: "Completed", colour: "green" },
} as const;

const BAND_COLOUR: Record<string, "red" | "orange" | "green"> = { high: "red", medium: "orange", low: "green" };

export default function Results() {
  const { organisationName, results, total, bands, band, followUp, needingFollowUp } = useLoaderData<typeof loader>();
  const bandLabel = bands.find((b) => b.id === band)?.label;
  const filtered = Boolean(bandLabel) || followUp;
  const what = [followUp ? "needing follow-up" : null, bandLabel ? `rated ${bandLabel}` : null].filter(Boolean).join(" and ");
  return (
    <>
      <span className="govuk-caption-l">{organisationName}</span>
      <h1 className="govuk-heading-l">Results shared with you</h1>
      <p className="govuk-body">
        Suppliers' modern slavery assessments that they have shared with {organisationName}. A result is completed once the
        supplier has responded to every recommendation. A result needs follow-up when it is the supplier's current result and it
        raised a red flag no finished conversation has discussed, it is rated in the highest-risk band, or a review is due,
        whatever the responses.
      </p>
      {total === 0 ? (
        <div className="govuk-inset-text">
          No supplier has shared an assessment with {organisationName} yet. Suppliers share a submitted assessment when they
          answer an <Link className="govuk-link" to="/invitations">invitation</Link> for one of your contracts, or from their own
          account.
        </div>
      ) : (
        <>
          <Form method="get" className="lantern-filters" aria-label="Filter results">
            <div className="govuk-form-group">
              <label className="govuk-label" htmlFor="band">
                Rating
              </label>
              <select className="govuk-select" id="band" name="band" defaultValue={band ?? ""}>
                <option value="">Any rating</option>
                {bands.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.label} ({b.count})
                  </option>
                ))}
              </select>
            </div>
            <div className="govuk-form-group">
              <fieldset className="govuk-fieldset">
                <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Follow-up</legend>
                <div className="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
                  <div className="govuk-checkboxes__item">
                    <input className="govuk-checkboxes__input" id="followUp" name="followUp" type="checkbox" value="yes" defaultChecked={followUp} />
                    <label className="govuk-label govuk-checkboxes__label" htmlFor="followUp">
                      Only results needing follow-up ({needingFollowUp})
                    </label>
                  </div>
                </div>
              </fieldset>
            </div>
            <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
              Filter
            </button>
          </Form>
          <p className="govuk-body" role="status">
            {filtered ? `${results.length} of ${plural(total, "result")} ${what}. ` : `${plural(total, "result")}, ${needingFollowUp} needing follow-up. `}
            {filtered ? (
              <Link className="govuk-link" to="/results">
                Show all results
              </Link>
            ) : null}
          </p>
          {results.length === 0 ? (
            <p className="govuk-body">No shared result matches these filters.</p>
          ) : (
            <Table
              caption="Shared results, newest first"
              head={["Supplier", "Submitted", "Questionnaire", "Rating", "Status", "Your contracts", { heading: "Notes", numeric: true }]}
              rows={results.map((r) => ({
                key: r.assessmentId,
                header: (
                  <Link className="govuk-link" to={`/results/${r.assessmentId}`}>
                    {r.supplierName}
                    <span className="govuk-visually-hidden">, submitted {formatDate(r.submittedAt)}</span>
                  </Link>
                ),
                cells: [
                  formatDate(r.submittedAt),
                  `Version ${r.questionnaireVersion}`,
                  <>
                    <Tag colour={BAND_COLOUR[r.band.id]}>{r.band.label}</Tag> {r.overall === null ? "not scored" : `${r.overall}%`}
                    {r.ratingNote ? <span className="govuk-body-s govuk-!-display-block govuk-!-margin-top-1 govuk-!-margin-bottom-0">{r.ratingNote}</span> : null}
                  </>,
                  <>
                    <Tag colour={STATUS[r.status].colour}>{STATUS[r.status].text}</Tag>
                    {r.current ? <FollowUpStatus followUp={r.followUp} /> : <span className="govuk-body-s govuk-!-display-block govuk-!-margin-top-1">Superseded by a later submission</span>}
                  </>,
                  r.contracts.length === 0
                    ? "None"
                    : r.contracts.map((c, i) => (
                        <span key={c.id}>
                          {i > 0 ? ", " : ""}
                          <Link className="govuk-link" to={`/contracts/${c.id}`}>
                            {c.reference}
                          </Link>
                        </span>
                      )),
                  r.notes,
                ],
              }))}
            />
          )}
        </>
      )}
    </>
  );
}
