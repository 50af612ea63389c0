import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { TIER_LABELS } from "../domain/contracts";
import { ACTION_STATUSES, ACTION_STATUS_LABELS } from "../domain/conversations";
import { requireRole } from "../services/auth.server";
import { TIER_FILTERS, type TrackerSort, readTrackerQuery, trackerQueryParams } from "../domain/action-tracker";
import { listTrackedActions } from "../services/actions-tracker.server";
import { Pagination, countText } from "../ui/pagination";
import { Tag, formatDate } from "../ui/page";
import { TableScroll } from "../ui/table";
import { TierTag } from "../ui/tier";
import { SelectFilter } from "../ui/select-filter";
import { ActionStatusTag } from "../ui/action-status";

export const meta: MetaFunction = () => [{ title: "Agreed actions – Lantern" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "buyer");
  const query = readTrackerQuery(new URL(request.url).searchParams);
  const tracker = await listTrackedActions(user, query);
  const { page: _page, ...rest } = query;
  return { query: { ...query, page: tracker.page }, ...tracker, exportQuery: trackerQueryParams(rest).toString(), organisationName: user.organisationName };
}



export default function ActionsTracker() {
  const { query, total, pages, actions, suppliers, managers, exportQuery, organisationName } = useLoaderData<typeof loader>();
  const href = (change: Partial<typeof query>) => `/actions?${trackerQueryParams({ ...query, ...change })}`;
  const sortHeader = (key: TrackerSort, label: string) => {
    const current = query.sort === key;
    const direction = current && query.direction === "asc" ? "desc" : "asc";
    return (
      <th scope="col" className="govuk-table__header" aria-sort={current ? (query.direction === "asc" ? "ascending" : "descending") : "none"}>
        <Link className="govuk-link" to={href({ sort: key, direction, page: 1 })}>
          {label}
          <span className="govuk-visually-hidden">, sort {direction === "asc" ? "ascending" : "descending"}</span>
        </Link>
      </th>
    );
  };
  const download = (format: "csv" | "xlsx") => `/actions/export?${new URLSearchParams([...new URLSearchParams(exportQuery), ["format", format]])}`;
  return (
    <>
      <span className="govuk-caption-l">{organisationName}</span>
      <h1 className="govuk-heading-l">Agreed actions</h1>
      <p className="govuk-body">Every action agreed in your organisation's follow-up conversations with suppliers that still share their assessment with you.</p>
      <Form method="get" className="lantern-filters" aria-label="Filter actions">
        <div className="govuk-grid-row">
          <SelectFilter id="status" label="Status" all="Any status" value={query.status} options={ACTION_STATUSES.map((s) => [s, ACTION_STATUS_LABELS[s]])} />
          <SelectFilter id="owner" label="Owner" all="Either side" value={query.owner} options={[["buyer", "Your organisation"], ["supplier", "The supplier"]]} />
          <SelectFilter id="supplier" label="Supplier" all="All suppliers" value={query.supplier} options={suppliers.map((s) => [s.id, s.name])} />
        </div>
        <div className="govuk-grid-row">
          <SelectFilter id="manager" label="Contract manager" all="Anyone" value={query.manager} options={managers.map((m) => [m, m])} />
          <SelectFilter id="tier" label="Tier" all="All tiers" value={query.tier} options={TIER_FILTERS.map((t) => [t, t === "none" ? "No linked contract" : TIER_LABELS[t]])} />
          <div className="govuk-grid-column-one-third">
            <div className="govuk-form-group">
              <fieldset className="govuk-fieldset">
                <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Due date</legend>
                <div className="govuk-checkboxes govuk-checkboxes--small">
                  <div className="govuk-checkboxes__item">
                    <input className="govuk-checkboxes__input" id="overdue" name="overdue" type="checkbox" value="1" defaultChecked={query.overdue === true} />
                    <label className="govuk-label govuk-checkboxes__label" htmlFor="overdue">
                      Overdue only
                    </label>
                  </div>
                </div>
              </fieldset>
            </div>
          </div>
        </div>
        <input type="hidden" name="sort" value={query.sort} />
        <input type="hidden" name="direction" value={query.direction} />
        <div className="govuk-button-group">
          <button type="submit" className="govuk-button govuk-button--secondary">
            Apply filters
          </button>
          <Link className="govuk-link" to="/actions">
            Clear filters
          </Link>
        </div>
      </Form>
      <p className="govuk-body">
        <a className="govuk-link" href={download("csv")} download>
          Download as CSV<span className="govuk-visually-hidden"> (the actions that match the filters)</span>
        </a>
        {" · "}
        <a className="govuk-link" href={download("xlsx")} download>
          Download as XLSX<span className="govuk-visually-hidden"> (the actions that match the filters)</span>
        </a>
      </p>
      <p className="govuk-body" role="status">
        {countText(total, ["action", "actions"], query.page, pages, "No agreed actions match.")}
      </p>
      {actions.length > 0 ? (
        <TableScroll label="Agreed actions">
          <table className="govuk-table lantern-table--compact">
            <caption className="govuk-table__caption govuk-table__caption--m govuk-visually-hidden">Agreed actions</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">
                  Action
                </th>
                {sortHeader("supplier", "Supplier")}
                <th scope="col" className="govuk-table__header">
                  Owner
                </th>
                {sortHeader("due", "Due")}
                {sortHeader("status", "Status")}
                {sortHeader("tier", "Tier")}
                <th scope="col" className="govuk-table__header">
                  Contract manager
                </th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {actions.map((a) => (
                <tr key={a.id} className="govuk-table__row">
                  <td className="govuk-table__cell">
                    <Link className="govuk-link" to={`/actions/${a.id}`}>
                      {a.description}
                    </Link>
                  </td>
                  <td className="govuk-table__cell">{a.supplierName}</td>
                  <td className="govuk-table__cell">
                    {a.ownerName}
                    <span className="govuk-body-s govuk-!-display-block">{a.ownerSide === "buyer" ? "Your organisation" : "The supplier"}</span>
                  </td>
                  <td className="govuk-table__cell">
                    {formatDate(a.dueOn)} {a.overdue ? <Tag colour="red">Overdue</Tag> : null}
                  </td>
                  <td className="govuk-table__cell">
                    <ActionStatusTag status={a.status} />
                    {a.markedAt ? <span className="govuk-body-s govuk-!-display-block">Marked done {formatDate(a.markedAt.slice(0, 10))}</span> : null}
                  </td>
                  <td className="govuk-table__cell">{a.tier ? <TierTag tier={a.tier} /> : <span className="govuk-body-s">No linked contract</span>}</td>
                  <td className="govuk-table__cell">{a.managers.length > 0 ? a.managers.join(", ") : <span className="govuk-body-s">None</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
      <Pagination page={query.page} pages={pages} label="Pages of actions" href={(page) => href({ page })} />
    </>
  );
}
