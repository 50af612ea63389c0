import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FUNNEL_STAGES, INVITATION_STATUSES, INVITATION_STATUS_LABELS, type Funnel, type InvitationStatus, canRemind } from "../domain/supplier-invitations";
import { controlCharsMessage, hasControlChars } from "../domain/text";
import { requireRole } from "../services/auth.server";
import { getDb } from "../services/db.server";
import { httpError } from "../services/errors.server";
import { field, readForm } from "../services/forms.server";
import { remindSupplier } from "../services/reminders.server";
import { cancelInvitation } from "../services/supplier-invitation-send.server";
import { type InvitationQuery, listSupplierInvitations, ownInvitation } from "../services/supplier-invitations-list.server";
import { ErrorSummary } from "../ui/error-summary";
import { FieldError } from "../ui/fields";
import { InvitationStatusTag } from "../ui/invitation-status";
import { BackLink, formatDate } from "../ui/page";
import { Pagination, countText } from "../ui/pagination";
import { SuccessBanner } from "../ui/success-banner";
import { Table } from "../ui/table";

export const meta: MetaFunction = () => [{ title: "Supplier invitations – Lantern" }];

function readQuery(url: URL): InvitationQuery {
  const p = url.searchParams;
  const status = INVITATION_STATUSES.includes(p.get("status") as InvitationStatus) ? (p.get("status") as InvitationStatus) : undefined;
  const managerText = (p.get("manager") ?? "").trim().slice(0, 254);
  const manager = managerText && !hasControlChars(managerText) ? managerText : undefined;
  const page = Math.min(Math.max(1, Number.parseInt(p.get("page") ?? "1", 10) || 1), 100_000);
  return { status, manager, page };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "buyer");
  const url = new URL(request.url);
  const query = readQuery(url);
  const cancelId = url.searchParams.get("cancel");
  if (cancelId !== null) {
    // The confirmation step of cancelling: one thing on the page, with the reason to give.
    const row = await ownInvitation(await getDb(), user, cancelId, new Date());
    return { view: "cancel" as const, row, query };
  }
  const list = await listSupplierInvitations(user, query);
  const banner = url.searchParams.get("reminded") ? `Reminder sent about ${url.searchParams.get("reminded")}` : url.searchParams.get("cancelled") ? `Invitation to ${url.searchParams.get("cancelled")} cancelled` : null;
  return { view: "list" as const, ...list, query, banner, organisationName: user.organisationName };
}

type ActionData = { errors: Record<string, string>; reason?: string };

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, "buyer");
  const form = await readForm(request);
  const intent = field(form, "intent");
  const invitationId = field(form, "invitationId");
  const back = new URLSearchParams();
  for (const name of ["status", "manager", "page"]) if (field(form, name)) back.set(name, field(form, name));
  if (intent === "remind") {
    const outcome = await remindSupplier(user, invitationId, new URL(request.url).origin);
    if (!outcome.ok) return data<ActionData>({ errors: { [`remind-${invitationId}`]: outcome.error } }, { status: 400 });
    const row = await ownInvitation(await getDb(), user, invitationId, new Date());
    back.set("reminded", `${row.contractReference} (${row.email})`);
    return redirect(`/invitations?${back}`);
  }
  if (intent === "cancel") {
    const reason = field(form, "reason").trim();
    const problem = !reason ? "Enter why you are cancelling the invitation" : reason.length > 500 ? "The reason must be 500 characters or fewer" : hasControlChars(reason) ? controlCharsMessage("The reason") : undefined;
    if (problem) {
      await ownInvitation(await getDb(), user, invitationId, new Date()); // another organisation's invitation is a 404, whatever the reason says
      return data<ActionData>({ errors: { reason: problem }, reason }, { status: 400 });
    }
    const outcome = await cancelInvitation(user, invitationId, reason);
    if (!outcome.ok) return data<ActionData>({ errors: { reason: outcome.error }, reason }, { status: 409 });
    back.set("cancelled", `${outcome.row.contractReference} (${outcome.row.email})`);
    return redirect(`/invitations?${back}`);
  }
  httpError(400, "Choose an action: send a reminder or cancel an invitation.");
}

/** Funnels as a table: one row each, every stage reached, then those off the funnel. */
function FunnelTable({ caption, first, rows }: { caption: string; first: string; rows: Array<{ key: string; funnel: Funnel }> }) {
  return (
    <Table
      caption={caption}
      head={[first, ...FUNNEL_STAGES.map((s) => ({ heading: INVITATION_STATUS_LABELS[s], numeric: true })), { heading: "Expired", numeric: true }, { heading: "Cancelled", numeric: true }]}
      rows={rows.map(({ key, funnel }) => ({ key, header: key, cells: [...FUNNEL_STAGES.map((s) => funnel.reached[s]), funnel.expired, funnel.cancelled] }))}
    />
  );
}

function CancelView({ row, query }: { row: Extract<ReturnType<typeof useLoaderData<typeof loader>>, { view: "cancel" }>["row"]; query: InvitationQuery }) {
  const result = useActionData<typeof action>() as ActionData | undefined;
  const error = result?.errors.reason;
  return (
    <>
      <BackLink href="/invitations">Back to invitations</BackLink>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={error ? [{ href: "#reason", text: error }] : []} />
          <span className="govuk-caption-l">
            {row.contractReference}: {row.contractTitle}
          </span>
          <h1 className="govuk-heading-l">Cancel the invitation to {row.email}</h1>
          <p className="govuk-body">The code in the invitation email will stop working. If the supplier has already shared an assessment, it stays shared until they stop sharing it.</p>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="cancel" />
            <input type="hidden" name="invitationId" value={row.id} />
            {query.status ? <input type="hidden" name="status" value={query.status} /> : null}
            {query.manager ? <input type="hidden" name="manager" value={query.manager} /> : null}
            <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
              <label className="govuk-label govuk-label--s" htmlFor="reason">
                Why are you cancelling it?
              </label>
              <div id="reason-hint" className="govuk-hint">
                For example, the contract has ended, or the invitation went to the wrong person. Your colleagues see this reason.
              </div>
              <FieldError id="reason" message={error} />
              <textarea className={`govuk-textarea${error ? " govuk-textarea--error" : ""}`} id="reason" name="reason" rows={3} defaultValue={result?.reason ?? ""} aria-describedby={`reason-hint${error ? " reason-error" : ""}`} />
            </div>
            <div className="govuk-button-group">
              <button type="submit" className="govuk-button govuk-button--warning" data-module="govuk-button">
                Cancel invitation
              </button>
              <Link className="govuk-link" to="/invitations">
                Keep the invitation
              </Link>
            </div>
          </Form>
        </div>
      </div>
    </>
  );
}

export default function SupplierInvitations() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  if (loaded.view === "cancel") return <CancelView row={loaded.row} query={loaded.query} />;
  const { department, byManager, managers, invitations, total, page, pages, query, canManage, banner, organisationName } = loaded;
  const errors = Object.entries(result?.errors ?? {}).map(([id, text]) => ({ href: `#${id}`, text }));
  const href = (change: Record<string, string | number | undefined>) => {
    const next: Record<string, string> = {};
    for (const [k, v] of Object.entries({ status: query.status, manager: query.manager, page, ...change })) if (v !== undefined && v !== "") next[k] = String(v);
    return `/invitations?${new URLSearchParams(next)}`;
  };
  const hidden = (
    <>
      {query.status ? <input type="hidden" name="status" value={query.status} /> : null}
      {query.manager ? <input type="hidden" name="manager" value={query.manager} /> : null}
      {page > 1 ? <input type="hidden" name="page" value={page} /> : null}
    </>
  );
  return (
    <>
      <ErrorSummary errors={errors} />
      {banner ? <SuccessBanner id="invitations-done">{banner}</SuccessBanner> : null}
      <span className="govuk-caption-l">{organisationName}</span>
      <h1 className="govuk-heading-l">Supplier invitations</h1>
      <p className="govuk-body">
        Invite a supplier from its contract's page in the <Link className="govuk-link" to="/contracts">contract register</Link>. Each stage counts every supplier that has reached it: a supplier that
        has completed its assessment has passed every stage.
      </p>
      <FunnelTable caption={`Where the department's ${department.total} invitations stand`} first="Invitations" rows={[{ key: "All contract managers", funnel: department }]} />
      {byManager.length > 0 ? <FunnelTable caption="By contract manager" first="Contract manager" rows={byManager} /> : null}
      <h2 className="govuk-heading-m">Invitations</h2>
      <Form method="get" aria-label="Filter invitations">
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-third">
            <div className="govuk-form-group">
              <label className="govuk-label" htmlFor="status">Status</label>
              <select className="govuk-select" id="status" name="status" defaultValue={query.status ?? ""}>
                <option value="">Any status</option>
                {INVITATION_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {INVITATION_STATUS_LABELS[s]}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <div className="govuk-grid-column-one-third">
            <div className="govuk-form-group">
              <label className="govuk-label" htmlFor="manager">Contract manager</label>
              <select className="govuk-select" id="manager" name="manager" defaultValue={query.manager ?? ""}>
                <option value="">Anyone</option>
                {managers.map((m) => (
                  <option key={m} value={m}>
                    {m}
                  </option>
                ))}
              </select>
            </div>
          </div>
        </div>
        <button type="submit" className="govuk-button govuk-button--secondary">Apply filters</button>
      </Form>
      <p className="govuk-body" role="status">
        {countText(total, ["invitation", "invitations"], page, pages, "No invitations match.")}
      </p>
      {invitations.length > 0 ? (
        <Table
          caption="Invitations"
          captionSize="hidden"
          head={["Contract", "Supplier", "Status", "Invited", "Last reminder", ...(canManage ? [<span className="govuk-visually-hidden">Actions</span>] : [])]}
          rows={invitations.map((i) => {
            const what = `${i.contractReference} (${i.email})`;
            return {
              key: i.id,
              cells: [
                <>
                  <Link className="govuk-link" to={`/contracts/${i.contractId}`}>
                    {i.contractReference}
                  </Link>
                  <br />
                  <span className="govuk-body-s">{i.contractTitle}</span>
                </>,
                <>
                  {i.supplierName ? (
                    <>
                      {i.supplierName}
                      <br />
                    </>
                  ) : null}
                  <span className="govuk-body-s">{i.email}</span>
                </>,
                <InvitationStatusTag status={i.status} />,
                formatDate(i.createdAt),
                i.lastRemindedAt ? formatDate(i.lastRemindedAt) : "None",
                ...(canManage
                  ? [
                      <>
                        {canRemind(i.status) ? (
                          <Form method="post" className="lantern-inline-form">
                            <input type="hidden" name="intent" value="remind" />
                            <input type="hidden" name="invitationId" value={i.id} />
                            {hidden}
                            <button type="submit" id={`remind-${i.id}`} className="govuk-button govuk-button--secondary govuk-!-margin-bottom-1" data-module="govuk-button">
                              Send a reminder<span className="govuk-visually-hidden"> about {what}</span>
                            </button>
                          </Form>
                        ) : null}
                        {i.status !== "cancelled" && i.status !== "completed" ? (
                          <Link className="govuk-link" to={href({ cancel: i.id, page: undefined })}>
                            Cancel<span className="govuk-visually-hidden"> the invitation about {what}</span>
                          </Link>
                        ) : null}
                      </>,
                    ]
                  : []),
              ],
            };
          })}
        />
      ) : null}
      <Pagination page={page} pages={pages} label="Pages of invitations" href={(page) => href({ page })} />
    </>
  );
}
