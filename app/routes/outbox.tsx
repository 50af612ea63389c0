import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "../services/auth.server";
import { getDb } from "../services/db.server";
import { httpError } from "../services/errors.server";
import { listOrganisationMail } from "../services/outbox.server";
import { Pagination, countText } from "../ui/pagination";
import { Tag, formatDateTime } from "../ui/page";
import { Table } from "../ui/table";
import { plural } from "../domain/text";

export const meta: MetaFunction = () => [{ title: "Sent email – Lantern" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (user.role !== "admin") httpError(403, "Only an administrator can see the email sent for the organisation.");
  const page = Math.min(Math.max(1, Number.parseInt(new URL(request.url).searchParams.get("page") ?? "1", 10) || 1), 100_000);
  // Scoped to the administrator's own organisation: nothing in the request chooses whose mail.
  const mail = await listOrganisationMail(await getDb(), user.organisationId, page);
  return { ...mail, page, organisationName: user.organisationName };
}

export default function Outbox() {
  const { messages, total, page, pages, organisationName } = useLoaderData<typeof loader>();
  return (
    <>
      <span className="govuk-caption-l">{organisationName}</span>
      <h1 className="govuk-heading-l">Sent email</h1>
      <p className="govuk-body">
        Email Lantern has sent, or is sending, for {organisationName}: invitations and reminders. Newest first. A message the mail server did not accept is tried again later, with a wait that grows.
      </p>
      <p className="govuk-body" role="status">
        {countText(total, ["message", "messages"], page, pages, "No email has been sent yet.")}
      </p>
      {messages.length > 0 ? (
        <Table
          caption="Email messages"
          captionSize="hidden"
          head={["To", "Subject and message", "Created", "Status"]}
          rows={messages.map((m) => ({
            key: m.id,
            cells: [
              m.recipient,
              <details className="govuk-details govuk-!-margin-bottom-0">
                <summary className="govuk-details__summary">
                  <span className="govuk-details__summary-text">{m.subject}</span>
                </summary>
                <div className="govuk-details__text">
                  {m.body.split("\n").map((line, i) => (
                    <span key={i}>
                      {line}
                      <br />
                    </span>
                  ))}
                </div>
              </details>,
              formatDateTime(m.createdAt),
              m.status.state === "sent" ? (
                <>
                  <Tag colour="green">Sent</Tag>
                  <br />
                  <span className="govuk-body-s">{formatDateTime(m.status.sentAt)}</span>
                </>
              ) : m.status.state === "waiting" ? (
                <Tag colour="grey">Waiting</Tag>
              ) : (
                <>
                  <Tag colour="red">{`Failed ${plural(m.status.attempts, "time")}`}</Tag>
                  <br />
                  {m.status.nextAttemptAt ? <span className="govuk-body-s">Next attempt {formatDateTime(m.status.nextAttemptAt)}</span> : null}
                  {m.status.lastError ? (
                    <>
                      <br />
                      <span className="govuk-body-s">Last error: {m.status.lastError}</span>
                    </>
                  ) : null}
                </>
              ),
            ],
          }))}
        />
      ) : null}
      <Pagination page={page} pages={pages} label="Pages of email" href={(page) => `/outbox?page=${page}`} />
    </>
  );
}
