import { isRouteErrorResponse, useRouteError } from "@remix-run/react";

/** The one error page: not found, not allowed, or a problem with the service. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFound />;
  if (isRouteErrorResponse(error) && error.status === 403) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">You do not have permission to see this page</h1>
          <p className="govuk-body">You are signed in with an account that cannot see this page.</p>
          <p className="govuk-body">
            <a className="govuk-link" href="/">Go to your start page</a>
          </p>
        </div>
      </div>
    );
  }
  if (isRouteErrorResponse(error) && error.status >= 400 && error.status < 500) {
    const message = typeof error.data === "object" && error.data && "message" in error.data ? String(error.data.message) : "The request was not valid.";
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">There is a problem</h1>
          <p className="govuk-body">{message}</p>
          <p className="govuk-body">
            <a className="govuk-link" href="/">Go to your start page</a>
          </p>
        </div>
      </div>
    );
  }
  if (!isRouteErrorResponse(error)) console.error(error);
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Sorry, there is a problem with the service</h1>
        <p className="govuk-body">Try again later.</p>
        <p className="govuk-body">Your answers have been saved up to the last time you saw “Saved”.</p>
      </div>
    </div>
  );
}

export function NotFound() {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Page not found</h1>
        <p className="govuk-body">If you typed the web address, check it is correct.</p>
        <p className="govuk-body">If you pasted the web address, check you copied the entire address.</p>
        <p className="govuk-body">
          <a className="govuk-link" href="/">Go to the Lantern start page</a>
        </p>
      </div>
    </div>
  );
}
