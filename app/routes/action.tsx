import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { ACTION_STATUSES, ACTION_STATUS_LABELS } from "../domain/conversations";
import { actionHistory, getAction, postActionUpdate, requireAction } from "../services/actions.server";
import { requireUser } from "../services/auth.server";
import { httpError } from "../services/errors.server";
import { field, readForm } from "../services/forms.server";
import { ErrorSummary } from "../ui/error-summary";
import { FieldError, describedBy } from "../ui/fields";
import { History } from "../ui/history";
import { BackLink, Tag, formatDate, formatDateTime } from "../ui/page";
import { SuccessBanner } from "../ui/success-banner";

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
  const input = { status: field(form, "status"), note: field(form, "note") };
  const outcome = await postActionUpdate(user, params.actionId!, input);
  if (!outcome.ok) return data({ errors: outcome.errors, values: input }, { status: 400 });
  return redirect(`/actions/${params.actionId}?updated=1#updates`);
}

const STATUS_COLOUR = { open: "blue", in_progress: "light-blue", awaiting_confirmation: "yellow", done: "green", cancelled: "grey" } as const;

const lines = (text: string) =>
  text.split(/\r?\n/).map((line, i) => (
    <span key={i}>
      {i > 0 ? <br /> : null}
      {line}
    </span>
  ));

export default function AgreedAction() {
  const { action: a, buyerName, supplierName, updates, canUpdate, side, updated, history, recommendationTitles } = useLoaderData<typeof loader>();
  const posted = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors: Record<string, string> = posted?.errors ?? {};
  const status = posted?.values.status ?? a.status;
  const owner = a.ownerSide === "buyer" ? buyerName : supplierName;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {side === "buyer" ? <BackLink href={`/conversations/${a.conversationId}`}>Back to the conversation</BackLink> : <BackLink href="/supplier/actions">Back to agreed actions</BackLink>}
        <ErrorSummary errors={Object.entries(errors).map(([key, text]) => ({ href: key === "status" ? "#status-open" : `#${key}`, text }))} />
        {updated && !posted ? <SuccessBanner id="updated">Your update has been added</SuccessBanner> : null}
        <span className="govuk-caption-l">
          Agreed between {buyerName} and {supplierName}
        </span>
        <h1 className="govuk-heading-l">{a.description}</h1>
        <dl className="govuk-summary-list">
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Status</dt>
            <dd className="govuk-summary-list__value">
              <Tag colour={STATUS_COLOUR[a.status]}>{ACTION_STATUS_LABELS[a.status]}</Tag> {a.overdue ? <Tag colour="red">Overdue</Tag> : null}
              {a.status === "cancelled" && a.cancelReason ? <p className="govuk-body govuk-!-margin-top-2">Reason: {a.cancelReason}</p> : null}
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
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="update" />
            <h2 className="govuk-heading-m">Add an update</h2>
            <div className={`govuk-form-group${errors.status ? " govuk-form-group--error" : ""}`}>
              <fieldset className="govuk-fieldset" aria-describedby={errors.status ? "status-error" : undefined}>
                <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Status</legend>
                <FieldError id="status" message={errors.status} />
                <div className="govuk-radios govuk-radios--small">
                  {ACTION_STATUSES.map((s) => (
                    <div className="govuk-radios__item" key={s}>
                      <input className="govuk-radios__input" id={`status-${s}`} name="status" type="radio" value={s} defaultChecked={status === s} />
                      <label className="govuk-label govuk-radios__label" htmlFor={`status-${s}`}>
                        {ACTION_STATUS_LABELS[s]}
                      </label>
                    </div>
                  ))}
                </div>
              </fieldset>
            </div>
            <div className={`govuk-form-group${errors.note ? " govuk-form-group--error" : ""}`}>
              <label className="govuk-label govuk-label--s" htmlFor="note">
                Note
              </label>
              <div id="note-hint" className="govuk-hint">
                What has been done. If you cancel the action, say why.
              </div>
              <FieldError id="note" message={errors.note} />
              <textarea className={`govuk-textarea${errors.note ? " govuk-textarea--error" : ""}`} id="note" name="note" rows={4} defaultValue={posted?.values.note ?? ""} aria-describedby={describedBy("note", true, errors.note)} />
            </div>
            <button type="submit" className="govuk-button" data-module="govuk-button" disabled={navigation.state === "submitting"}>
              Add update
            </button>
          </Form>
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
        ) : null}
      </div>
    </div>
  );
}
