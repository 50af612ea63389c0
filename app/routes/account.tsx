import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { NOTIFICATION_KIND_INFO } from "../domain/notifications";
import { countSessions, requireUser } from "../services/auth.server";
import { field, readForm } from "../services/forms.server";
import { notificationSettings, saveNotificationSettings } from "../services/notifications.server";
import { ErrorSummary } from "../ui/error-summary";
import { SuccessBanner } from "../ui/success-banner";

export const meta: MetaFunction = () => [{ title: "Your account – Lantern" }];

const ROLE: Record<string, string> = { admin: "Administrator", contributor: "Contributor", contract_manager: "Contract manager", analyst: "Analyst" };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return {
    name: user.name,
    email: user.email,
    organisationName: user.organisationName,
    role: ROLE[user.role] ?? user.role,
    sessions: await countSessions(user),
    notifications: (await notificationSettings(user)).map((n) => ({ kind: n.kind, on: n.on, label: NOTIFICATION_KIND_INFO[n.kind].label, description: NOTIFICATION_KIND_INFO[n.kind].description })),
  };
}

/** Saves the caller's own email choices: the kinds ticked stay on, the others are turned off. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await readForm(request);
  if (field(form, "intent") !== "notifications") {
    return data({ errors: { notifications: "Choose the emails you want, then select Save email choices" }, saved: false }, { status: 400 });
  }
  const ticked = form.getAll("notifications").map((v) => (typeof v === "string" ? v : ""));
  const outcome = await saveNotificationSettings(user, ticked);
  if (!outcome.ok) return data({ errors: outcome.errors, saved: false }, { status: 400 });
  return { errors: {} as Record<string, string>, saved: true };
}

export default function Account() {
  const account = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const error = result?.errors.notifications;
  const firstId = `notifications-${account.notifications[0]?.kind ?? "none"}`;
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={error ? [{ href: `#${firstId}`, text: error }] : []} />
        {result?.saved ? <SuccessBanner id="saved">Your email choices are saved.</SuccessBanner> : null}
        <h1 className="govuk-heading-l">Your account</h1>
        <dl className="govuk-summary-list">
          {[
            ["Name", account.name],
            ["Email address", account.email],
            ["Organisation", account.organisationName],
            ["Role", account.role],
          ].map(([key, value]) => (
            <div className="govuk-summary-list__row" key={key}>
              <dt className="govuk-summary-list__key">{key}</dt>
              <dd className="govuk-summary-list__value">{value}</dd>
            </div>
          ))}
        </dl>
        <h2 className="govuk-heading-m" id="email-notifications">
          Email notifications
        </h2>
        <p className="govuk-body">Lantern emails you at {account.email} when these happen. Several within 10 minutes come together in one email.</p>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="notifications" />
          <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
            <fieldset className="govuk-fieldset" aria-describedby={`notifications-hint${error ? " notifications-error" : ""}`}>
              <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Email me when</legend>
              <div id="notifications-hint" className="govuk-hint">
                Untick any you do not want.
              </div>
              {error ? (
                <p id="notifications-error" className="govuk-error-message">
                  <span className="govuk-visually-hidden">Error:</span> {error}
                </p>
              ) : null}
              <div className="govuk-checkboxes" data-module="govuk-checkboxes">
                {account.notifications.map((n) => {
                  const id = `notifications-${n.kind}`;
                  return (
                    <div className="govuk-checkboxes__item" key={n.kind}>
                      <input className="govuk-checkboxes__input" id={id} name="notifications" type="checkbox" value={n.kind} defaultChecked={n.on} aria-describedby={`${id}-hint`} />
                      <label className="govuk-label govuk-checkboxes__label" htmlFor={id}>
                        {n.label}
                      </label>
                      <div id={`${id}-hint`} className="govuk-hint govuk-checkboxes__hint">
                        {n.description}
                      </div>
                    </div>
                  );
                })}
              </div>
            </fieldset>
          </div>
          <button type="submit" className="govuk-button" data-module="govuk-button">
            Save email choices
          </button>
        </Form>
        <h2 className="govuk-heading-m">Where you are signed in</h2>
        <p className="govuk-body">
          {account.sessions === 1 ? "You are signed in only in this browser." : `You are signed in on ${account.sessions} browsers or devices, including this one.`}
        </p>
        <p className="govuk-body">If you signed in on a shared or lost device, or think someone else knows your password, sign out everywhere.</p>
        <Form method="post" action="/sign-out">
          <input type="hidden" name="scope" value="everywhere" />
          <button type="submit" className="govuk-button govuk-button--warning" data-module="govuk-button">
            Sign out everywhere
          </button>
        </Form>
      </div>
    </div>
  );
}
