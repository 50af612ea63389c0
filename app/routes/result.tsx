import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { requireRole } from "../services/auth.server";
import { countryName } from "../services/countries.server";
import { httpError } from "../services/errors.server";
import { field, readForm } from "../services/forms.server";
import { NOTE_MAX, addNote, getResult, requireNoteWriter } from "../services/results.server";
import { canRecordConversations, listConversations } from "../services/conversations.server";
import { FollowUpReasons } from "../ui/follow-up";
import { ErrorSummary } from "../ui/error-summary";
import { FieldError } from "../ui/fields";
import { BackLink, Tag, formatDate, formatDateTime } from "../ui/page";
import { AnswersByTheme, Recommendations, RedFlags, ReportSummary, ThemeScores, reportView } from "../ui/report";
import { SuccessBanner } from "../ui/success-banner";
import { plural } from "../domain/text";
import { TableScroll } from "../ui/table";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.supplierName ?? "Result"} – Results – Lantern` }];

const BUYER_ROLES = ["admin", "contract_manager", "analyst"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, "buyer", [...BUYER_ROLES]);
  const result = await getResult(user, params.assessmentId!);
  return {
    id: result.report.assessment.id,
    status: result.report.assessment.status,
    organisationName: user.organisationName,
    supplierName: result.supplier.name,
    ...reportView(result.report, countryName),
    contracts: result.contracts,
    history: result.history,
    notes: result.notes,
    canWriteNotes: result.canWriteNotes,
    noteMax: NOTE_MAX,
    conversations: await listConversations(user, params.assessmentId!),
    canRecordConversations: canRecordConversations(user),
    followUp: result.followUp,
    current: result.current,
    ratingNote: result.ratingNote,
    noteAdded: new URL(request.url).searchParams.get("note") === "added",
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, "buyer", [...BUYER_ROLES]);
  const form = await readForm(request);
  await requireNoteWriter(user, params.assessmentId!);
  if (field(form, "intent") !== "note") httpError(400, "The form did not say what to do. Go back to the page and try again.");
  const body = field(form, "body");
  const outcome = await addNote(user, params.assessmentId!, body);
  if (!outcome.ok) return data({ body, errors: outcome.errors }, { status: 400 });
  return redirect(`/results/${params.assessmentId}?note=added#notes`);
}

const changeText = (change: number | null) => (change === null ? "–" : change > 0 ? `up ${change} points` : change < 0 ? `down ${-change} points` : "no change");

export default function Result() {
  const r = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors: Record<string, string> = result?.errors ?? {};
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        <BackLink href="/results">Back to results</BackLink>
        <ErrorSummary errors={errors.body ? [{ href: "#body", text: errors.body }] : []} />
        {r.noteAdded && !result ? <SuccessBanner id="note-added">Your note has been added</SuccessBanner> : null}
        <span className="govuk-caption-l">{r.supplierName}</span>
        <h1 className="govuk-heading-l">Modern slavery assessment result</h1>
        <p className="govuk-body">
          Submitted {formatDate(r.submittedAt)}. {r.title}, version {r.version}.{" "}
          {r.status === "completed" ? (
            <Tag colour="green">Completed</Tag>
          ) : (
            <Tag colour="yellow">
              {r.unanswered} of {plural(r.recommendations.length, "recommendation")} awaiting the supplier's response
            </Tag>
          )}
        </p>
        <section aria-labelledby="follow-up" className="govuk-!-margin-bottom-6">
          <h2 className="govuk-heading-m" id="follow-up">
            Follow-up conversation
          </h2>
          <p className="govuk-body">
            <Link className="govuk-link" to={`/results/${r.id}/guide`}>
              Prepare for a follow-up conversation: the conversation guide
            </Link>
          </p>
          {!r.current ? (
            <p className="govuk-body">The supplier has shared a later submission with you: follow-up is about that one.</p>
          ) : r.followUp?.needed ? (
            <div className="govuk-body">
              <Tag colour="red">Follow-up needed</Tag>
              <FollowUpReasons reasons={r.followUp.reasons} />
              {r.followUp.openRedFlags > 0 ? <p className="govuk-body-s">A red flag is cleared once a conversation about it is recorded and finished.</p> : null}
            </div>
          ) : r.redFlags.length > 0 ? (
            <p className="govuk-body">
              <Tag colour="green">Red flags followed up</Tag> in a finished conversation.
            </p>
          ) : (
            <p className="govuk-body">No follow-up needed: no red flag, not rated in the highest-risk band, and no review due.</p>
          )}
          {r.conversations.length > 0 ? (
            <ul className="govuk-list">
              {r.conversations.map((c) => (
                <li key={c.id}>
                  <Link className="govuk-link" to={`/conversations/${c.id}`}>
                    {c.status === "finished" ? `Conversation held ${c.heldOn ? formatDate(`${c.heldOn}T00:00:00Z`) : ""}` : "Draft conversation, not finished"}
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            <p className="govuk-body">No follow-up conversation has been recorded yet.</p>
          )}
          {r.canRecordConversations ? (
            <Link className="govuk-button govuk-button--secondary" data-module="govuk-button" role="button" draggable={false} to={`/results/${r.id}/conversations/new`}>
              {r.conversations.some((c) => c.status === "draft") ? "Continue the draft conversation" : "Record a conversation"}
            </Link>
          ) : null}
        </section>

        <section aria-labelledby="contracts">
          <h2 className="govuk-heading-m" id="contracts">
            Your contracts with this supplier
          </h2>
          {r.contracts.length === 0 ? (
            <p className="govuk-body">
              None of your register's contracts names this supplier yet: no contract has its company number, no invitation for a contract was answered by it, and no
              name match was accepted. A contract manager can link a contract from the contract's page.
            </p>
          ) : (
            <ul className="govuk-list">
              {r.contracts.map((c) => (
                <li key={c.id}>
                  <Link className="govuk-link" to={`/contracts/${c.id}`}>
                    {c.reference}
                  </Link>{" "}
                  {c.title}
                  {c.live ? null : <span className="govuk-body-s"> (ended)</span>}
                </li>
              ))}
            </ul>
          )}
        </section>

        <ReportSummary view={r} voice="buyer" />
        <RedFlags flags={r.redFlags} voice="buyer" />
        <ThemeScores view={r} voice="buyer" />
        <Recommendations
          view={r}
          voice="buyer"
          after={(_rec, response) => (response ? null : <p className="govuk-body"><Tag colour="grey">No response yet</Tag></p>)}
        />
        <AnswersByTheme answers={r.answers} heading="The supplier's answers" collapsed />

        <section aria-labelledby="history">
          <h2 className="govuk-heading-m" id="history">
            The supplier's assessments shared with you
          </h2>
          <TableScroll label="The supplier's assessments shared with you">
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-table__caption--s">Newest first, with the change in overall score since the one before</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">
                  Submitted
                </th>
                <th scope="col" className="govuk-table__header">
                  Rating
                </th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                  Overall score
                </th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                  Change
                </th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {r.history.map((h) => (
                <tr className="govuk-table__row" key={h.assessmentId}>
                  <th scope="row" className="govuk-table__header">
                    {h.current ? (
                      <>
                        {formatDate(h.submittedAt)} <span className="govuk-body-s">(this assessment)</span>
                      </>
                    ) : (
                      <Link className="govuk-link" to={`/results/${h.assessmentId}`}>
                        {formatDate(h.submittedAt)}
                      </Link>
                    )}
                  </th>
                  <td className="govuk-table__cell">{h.band.label}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{h.overall === null ? "Not scored" : `${h.overall}%`}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{changeText(h.change)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </TableScroll>
        </section>

        <section aria-labelledby="notes">
          <h2 className="govuk-heading-m" id="notes">
            Notes
          </h2>
          <p className="govuk-body">
            Notes are for the buying organisations this assessment is shared with: each of them sees every note. The supplier
            does not see them.
          </p>
          {r.canWriteNotes ? (
            <Form method="post" noValidate key={r.notes.length}>
              <input type="hidden" name="intent" value="note" />
              <div className={`govuk-form-group${errors.body ? " govuk-form-group--error" : ""}`}>
                <label className="govuk-label govuk-label--s" htmlFor="body">
                  Add a note
                </label>
                <div id="body-hint" className="govuk-hint">
                  Up to {r.noteMax} characters. Say what you followed up and what was agreed.
                </div>
                <FieldError id="body" message={errors.body} />
                <textarea
                  className={`govuk-textarea${errors.body ? " govuk-textarea--error" : ""}`}
                  id="body"
                  name="body"
                  rows={4}
                  defaultValue={result?.body ?? ""}
                  aria-describedby={`body-hint${errors.body ? " body-error" : ""}`}
                />
              </div>
              <button type="submit" className="govuk-button" data-module="govuk-button" disabled={navigation.state === "submitting"}>
                Add note
              </button>
            </Form>
          ) : (
            <p className="govuk-body">As an analyst you can read the notes but not add them.</p>
          )}
          {r.notes.length === 0 ? (
            <p className="govuk-body">There are no notes on this assessment yet.</p>
          ) : (
            <ul className="govuk-list lantern-notes">
              {r.notes.map((n) => (
                <li key={n.id} className="lantern-recommendation">
                  <p className="govuk-body-s govuk-!-margin-bottom-1">
                    <strong>{n.writer}</strong>, {n.organisationName}, {formatDateTime(n.createdAt)}
                  </p>
                  <p className="govuk-body">
                    {n.body.split(/\r?\n/).map((line, i) => (
                      <span key={i}>
                        {i > 0 ? <br /> : null}
                        {line}
                      </span>
                    ))}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
    </div>
  );
}
