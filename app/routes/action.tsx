import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Fragment, useEffect, useState } from "react";
import { moveLabel, noteHint, noteNeeded } from "../domain/action-moves";
import { ACTION_STATUSES, ACTION_STATUS_LABELS, type ActionStatus, type OwnerSide } from "../domain/conversations";
import { actionHistory, getAction, postActionUpdate, requireAction } from "../services/actions.server";
import { requireUser } from "../services/auth.server";
import { httpError } from "../services/errors.server";
import { field, readForm } from "../services/forms.server";
import { ErrorSummary } from "../ui/error-summary";
import { FieldError, describedBy } from "../ui/fields";
import { History } from "../ui/history";
import { BackLink, Tag, formatDate, formatDateTime } from "../ui/page";
import { SuccessBanner } from "../ui/success-banner";
import { ActionStatusTag } from "../ui/action-status";

export const meta: MetaFunction<typeof loader> = () => [{ title: "Agreed action – Lantern" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const a = await getAction(user, params.actionId!);
  return { ...a, history: await actionHistory(user, a.action.id), updated: new URL(request.url).searchParams.get("updated") === "1" };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  await requireAction(user, params.actionId!);
  if (field(form, "intent") !== "update") httpError(400, "The form did not say what to do. Go back to the page and try again.");
  const status = field(form, "status");
  // Each choice has its own note field (shown under it); a plain "note" field is read as well.
  const noteName = (ACTION_STATUSES as readonly string[]).includes(status) ? noteField(status) : null;
  const input = { status, note: (noteName ? field(form, noteName) : "") || field(form, "note") };
  const outcome = await postActionUpdate(user, params.actionId!, input);
  if (!outcome.ok) {
    const errors = Object.fromEntries(Object.entries(outcome.errors).map(([key, text]) => [key === "note" && noteName ? noteName : key, text]));
    return data({ errors, values: input }, { status: 400 });
  }
  return redirect(`/actions/${params.actionId}?updated=1#updates`);
}

const noteField = (status: string) => `note-${status}`;


const lines = (text: string) =>
  text.split(/\r?\n/).map((line, i) => (
    <span key={i}>
      {i > 0 ? <br /> : null}
      {line}
    </span>
  ));

export default function AgreedAction() {
  const { action: a, buyerName, supplierName, updates, canUpdate, side, moves, updated, history, recommendationTitles } = useLoaderData<typeof loader>();
  const posted = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors: Record<string, string> = posted?.errors ?? {};
  const owner = a.ownerSide === "buyer" ? buyerName : supplierName;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {side === "buyer" ? <BackLink href={`/conversations/${a.conversationId}`}>Back to the conversation</BackLink> : <BackLink href="/supplier/actions">Back to agreed actions</BackLink>}
        <ErrorSummary errors={Object.entries(errors).map(([key, text]) => ({ href: key === "status" ? `#status-${[...moves, a.status][0]}` : `#${key}`, text }))} />
        {updated && !posted ? <SuccessBanner id="updated">Your update has been added</SuccessBanner> : null}
        <span className="govuk-caption-l">
          Agreed between {buyerName} and {supplierName}
        </span>
        <h1 className="govuk-heading-l">{a.description}</h1>
        <dl className="govuk-summary-list">
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Status</dt>
            <dd className="govuk-summary-list__value">
              <ActionStatusTag status={a.status} /> {a.overdue ? <Tag colour="red">Overdue</Tag> : null}
              {a.status === "cancelled" && a.cancelReason ? <p className="govuk-body govuk-!-margin-top-2">Reason: {a.cancelReason}</p> : null}
              {a.status === "awaiting_confirmation" ? (
                <p className="govuk-body govuk-!-margin-top-2">
                  {supplierName} marked it as done{a.markedAt ? ` on ${formatDate(a.markedAt.slice(0, 10))}` : ""}. {side === "buyer" ? "Confirm it is done, or reopen it with a reason." : `${buyerName} will confirm it is done, or reopen it.`}
                </p>
              ) : null}
            </dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Owner</dt>
            <dd className="govuk-summary-list__value">
              {a.ownerName}, {owner}
            </dd>
          </div>
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Due</dt>
            <dd className="govuk-summary-list__value">{formatDate(a.dueOn)}</dd>
          </div>
          {a.heldOn ? (
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Agreed</dt>
              <dd className="govuk-summary-list__value">In the conversation of {formatDate(a.heldOn)}</dd>
            </div>
          ) : null}
          {a.recommendation ? (
            <div className="govuk-summary-list__row">
              <dt className="govuk-summary-list__key">Recommendation</dt>
              <dd className="govuk-summary-list__value">{a.recommendation}</dd>
            </div>
          ) : null}
        </dl>

        <h2 className="govuk-heading-m" id="updates">
          Updates
        </h2>
        {updates.length === 0 ? (
          <p className="govuk-body">No updates yet.</p>
        ) : (
          <ol className="govuk-list">
            {updates.map((u) => (
              <li key={u.id} className="lantern-recommendation">
                <p className="govuk-body-s govuk-!-margin-bottom-1">
                  <strong>{u.userName}</strong>, {u.organisationName}, {formatDateTime(u.createdAt)}: {ACTION_STATUS_LABELS[u.status]}
                </p>
                {u.note ? <p className="govuk-body">{lines(u.note)}</p> : null}
              </li>
            ))}
          </ol>
        )}

        {canUpdate ? (
          <UpdateForm side={side} current={a.status} moves={moves} errors={errors} values={posted?.values} submitting={navigation.state === "submitting"} />
        ) : (
          <p className="govuk-body">As an analyst you can read the updates but not add them.</p>
        )}
        <History entries={history} recommendations={recommendationTitles} />
        {side === "supplier" ? (
          <p className="govuk-body">
            <Link className="govuk-link" to="/supplier/actions">
              All actions agreed with your organisation
            </Link>
          </p>
        ) : (
          <p className="govuk-body">
            <Link className="govuk-link" to="/actions">
              All your organisation's agreed actions
            </Link>
          </p>
        )}
      </div>
    </div>
  );
}

/**
 * The changes this side may make from the current status, as GOV.UK radios, each with its own note
 * revealed under it (all shown without JavaScript), and "no change" for a note alone.
 */
function UpdateForm({
  side,
  current,
  moves,
  errors,
  values,
  submitting,
}: {
  side: OwnerSide;
  current: ActionStatus;
  moves: ActionStatus[];
  errors: Record<string, string>;
  values?: { status: string; note: string };
  submitting: boolean;
}) {
  const choices: ActionStatus[] = [...moves, current];
  const [choice, setChoice] = useState(values?.status ?? "");
  const [enhanced, setEnhanced] = useState(false);
  useEffect(() => setEnhanced(true), []);
  useEffect(() => setChoice(values?.status ?? ""), [values?.status]);
  const hidden = (s: ActionStatus) => (enhanced && choice !== s ? " govuk-radios__conditional--hidden" : "");
  const noteLabel = (s: ActionStatus) => {
    const need = s === current ? null : noteNeeded(side, current, s);
    if (need === "what_was_done") return "What was done";
    if (need === "reason") return s === "cancelled" ? "Why the action is cancelled" : "Why the action is reopened";
    return s === current ? "Note" : "Note (optional)";
  };
  return (
    <Form method="post" noValidate>
      <input type="hidden" name="intent" value="update" />
      <div className={`govuk-form-group${errors.status ? " govuk-form-group--error" : ""}`}>
        <fieldset className="govuk-fieldset" aria-describedby={describedBy("status", true, errors.status)}>
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">
            <h2 className="govuk-fieldset__heading">Add an update</h2>
          </legend>
          <div id="status-hint" className="govuk-hint">
            {side === "supplier"
              ? "When the work is finished, mark the action as done and say what was done: the buyer then confirms it."
              : "Confirm an action the supplier marked as done, or reopen it with a reason. You can close an action yourself when you have seen it done."}
          </div>
          <FieldError id="status" message={errors.status} />
          <div className="govuk-radios govuk-radios--conditional">
            {choices.map((s) => {
              const name = noteField(s);
              const hint = s === current ? null : noteHint(noteNeeded(side, current, s), s);
              return (
                <Fragment key={s}>
                  <div className="govuk-radios__item">
                    <input
                      className="govuk-radios__input"
                      id={`status-${s}`}
                      name="status"
                      type="radio"
                      value={s}
                      defaultChecked={values?.status === s}
                      onChange={() => setChoice(s)}
                      aria-controls={`conditional-${s}`}
                    />
                    <label className="govuk-label govuk-radios__label" htmlFor={`status-${s}`}>
                      {moveLabel(side, current, s)}
                    </label>
                  </div>
                  <div className={`govuk-radios__conditional${hidden(s)}`} id={`conditional-${s}`}>
                    <div className={`govuk-form-group${errors[name] ? " govuk-form-group--error" : ""}`}>
                      <label className="govuk-label" htmlFor={name}>
                        {noteLabel(s)}
                      </label>
                      {hint ? (
                        <div id={`${name}-hint`} className="govuk-hint">
                          {hint}
                        </div>
                      ) : null}
                      <FieldError id={name} message={errors[name]} />
                      <textarea
                        className={`govuk-textarea${errors[name] ? " govuk-textarea--error" : ""}`}
                        id={name}
                        name={name}
                        rows={3}
                        defaultValue={values?.status === s ? values.note : ""}
                        aria-describedby={describedBy(name, hint, errors[name])}
                      />
                    </div>
                  </div>
                </Fragment>
              );
            })}
          </div>
        </fieldset>
      </div>
      <button type="submit" className="govuk-button" data-module="govuk-button" disabled={submitting}>
        Add update
      </button>
    </Form>
  );
}
