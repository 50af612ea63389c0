import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { CONTRACT_STATUS_FILTERS, CONTRACT_STATUS_FILTER_LABELS, CONTRACT_STATUS_LABELS, TIER_LABELS, TIERS, formatMoney } from "../domain/contracts";
import { INVITATION_STATUSES, INVITATION_STATUS_LABELS } from "../domain/supplier-invitations";
import { requireRole } from "../services/auth.server";
import { RISK_FILTERS, RISK_FILTER_LABELS } from "../domain/prioritisation";
import { type RegisterInvitationStatus, SORTS, type SortKey, contractQueryParams, listContracts, readContractQuery } from "../services/contracts-register.server";
import { Pagination, countText } from "../ui/pagination";
import { Tag, formatDate } from "../ui/page";
import { TierTag } from "../ui/tier";
import { plural } from "../domain/text";
import { TableScroll } from "../ui/table";
import { SelectFilter } from "../ui/select-filter";

export const meta: MetaFunction = () => [{ title: "Contract register – Lantern" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "buyer");
  const query = readContractQuery(new URL(request.url).searchParams);
  const register = await listContracts(user, query);
  const { sort: _sort, direction: _direction, page: _page, ...filters } = query;
  return {
    query,
    ...register,
    canImport: user.role === "admin",
    canAdd: user.role === "admin",
    exportQuery: contractQueryParams({ ...filters, sort: query.sort, direction: query.direction }).toString(),
    organisationName: user.organisationName,
    firstDirections: SORTS,
  };
}

const INVITATION_LABELS: Record<RegisterInvitationStatus | "not_invited", string> = { not_invited: "Not invited", result_shared: "Result shared", ...INVITATION_STATUS_LABELS };

const percent = (value: number | null) => (value === null ? "none" : `${value}%`);


export default function Contracts() {
  const { query, total, pages, contracts, categories, managers, canImport, canAdd, summary, exportQuery, organisationName, firstDirections } = useLoaderData<typeof loader>();
  const href = (change: Partial<Record<string, string | number | undefined>>) => {
    const next: Record<string, string> = {};
    const merged = { contract_status: query.contractStatus, sort: query.sort, direction: query.direction, tier: query.tier, category: query.category, manager: query.manager, q: query.search, risk: query.risk, status: query.status, page: query.page, ...change };
    for (const [k, v] of Object.entries(merged)) if (v !== undefined && v !== "") next[k] = String(v);
    return `/contracts?${new URLSearchParams(next)}`;
  };
  const sortHeader = (key: SortKey, label: string, numeric = false) => {
    const current = query.sort === key;
    // A first click sorts the way that matters most (the riskiest, the most valuable first); a second turns it round.
    const direction = current ? (query.direction === "asc" ? "desc" : "asc") : firstDirections[key];
    return (
      <th scope="col" className={`govuk-table__header${numeric ? " govuk-table__header--numeric" : ""}`} aria-sort={current ? (query.direction === "asc" ? "ascending" : "descending") : "none"}>
        <Link className="govuk-link" to={href({ sort: key, direction, page: 1 })}>
          {label}
          <span className="govuk-visually-hidden">, sort {direction === "asc" ? "ascending" : "descending"}</span>
        </Link>
      </th>
    );
  };
  return (
    <>
      <span className="govuk-caption-l">{organisationName}</span>
      <h1 className="govuk-heading-l">Contract register</h1>
      {canAdd || canImport ? (
        <div className="govuk-button-group">
          {canAdd ? (
            <Link className="govuk-button" to="/contracts/new">
              Add a contract
            </Link>
          ) : null}
          {canImport ? (
            <Link className="govuk-button govuk-button--secondary" to="/contracts/import">
              Import contracts from a spreadsheet
            </Link>
          ) : null}
        </div>
      ) : null}
      <h2 className="govuk-heading-m">Risk prioritisation across the live register</h2>
      <p className="govuk-body">
        These figures count live contracts only: ended contracts are history
        {summary.ended > 0 ? (
          <>
            {" "}
            (
            <Link className="govuk-link" to={href({ contract_status: "ended", page: 1 })}>
              {plural(summary.ended, "contract has", "contracts have")} ended
            </Link>
            )
          </>
        ) : null}
        .
      </p>
      <dl className="govuk-summary-list">
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Contracts risk-assessed</dt>
          <dd className="govuk-summary-list__value">
            {summary.contracts.assessed.toLocaleString("en-GB")} of {plural(summary.contracts.total, "live contract", "live contracts")} ({percent(summary.contracts.percent)})
          </dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Annual value risk-assessed</dt>
          <dd className="govuk-summary-list__value">
            {formatMoney(summary.value.assessedPence)} of {formatMoney(summary.value.totalPence)} a year in live contracts ({percent(summary.value.percent)})
          </dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Priority contracts</dt>
          <dd className="govuk-summary-list__value">
            {summary.priority > 0 ? (
              <Link className="govuk-link" to={href({ contract_status: "live", risk: "priority", page: 1 })}>
                {summary.priority.toLocaleString("en-GB")}
              </Link>
            ) : (
              "0"
            )}
          </dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Over £1m a year, not yet assessed</dt>
          <dd className="govuk-summary-list__value">
            {summary.overThresholdNotAssessed > 0 ? (
              <Link className="govuk-link" to={href({ contract_status: "live", risk: "over_1m_not_assessed", page: 1 })}>
                {summary.overThresholdNotAssessed.toLocaleString("en-GB")}
              </Link>
            ) : (
              "0"
            )}
          </dd>
        </div>
      </dl>
      <Form method="get" className="lantern-filters" aria-label="Filter contracts">
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-quarter">
            <div className="govuk-form-group">
              <label className="govuk-label" htmlFor="q">Search</label>
              <input className="govuk-input" id="q" name="q" type="search" defaultValue={query.search ?? ""} />
            </div>
          </div>
          <div className="govuk-grid-column-one-quarter">
            <div className="govuk-form-group">
              <label className="govuk-label" htmlFor="contract_status">
                Status
              </label>
              <select className="govuk-select" id="contract_status" name="contract_status" defaultValue={query.contractStatus}>
                {CONTRACT_STATUS_FILTERS.map((s) => (
                  <option key={s} value={s}>
                    {CONTRACT_STATUS_FILTER_LABELS[s]}
                  </option>
                ))}
              </select>
            </div>
          </div>
          <SelectFilter width="one-quarter" id="tier" label="Tier" all="All tiers" value={query.tier} options={TIERS.map((t) => [t, TIER_LABELS[t]])} />
          <SelectFilter width="one-quarter" id="category" label="Category" all="All categories" value={query.category} options={categories.map((c) => [c, c])} />
        </div>
        <div className="govuk-grid-row">
          <SelectFilter width="one-quarter" id="manager" label="Contract manager" all="Anyone" value={query.manager} options={managers.map((m) => [m, m])} />
          <SelectFilter width="one-quarter" id="risk" label="Risk" all="Any" value={query.risk} options={RISK_FILTERS.map((r) => [r, RISK_FILTER_LABELS[r]])} />
          <SelectFilter width="one-quarter" id="status" label="Invitation" all="Any" value={query.status} options={(["not_invited", "result_shared", ...INVITATION_STATUSES] as const).map((s): [string, string] => [s, INVITATION_LABELS[s]])} />
        </div>
        <input type="hidden" name="sort" value={query.sort} />
        <input type="hidden" name="direction" value={query.direction} />
        <button type="submit" className="govuk-button govuk-button--secondary">Apply filters</button>
      </Form>
      <p className="govuk-body">
        <a className="govuk-link" href={`/contracts/export?${new URLSearchParams([...new URLSearchParams(exportQuery), ["format", "csv"]])}`} download>
          Download as CSV<span className="govuk-visually-hidden"> (the contracts that match the filters)</span>
        </a>
        {" · "}
        <a className="govuk-link" href={`/contracts/export?${new URLSearchParams([...new URLSearchParams(exportQuery), ["format", "xlsx"]])}`} download>
          Download as XLSX<span className="govuk-visually-hidden"> (the contracts that match the filters)</span>
        </a>
      </p>
      <p className="govuk-body" role="status">
        {countText(total, ["contract", "contracts"], query.page, pages, "No contracts match.")}
      </p>
      {contracts.length > 0 ? (
        <TableScroll label="Contracts">
        <table className="govuk-table lantern-table--compact">
          <caption className="govuk-table__caption govuk-table__caption--m govuk-visually-hidden">Contracts</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              {sortHeader("reference", "Reference")}
              {sortHeader("title", "Title")}
              {sortHeader("supplier", "Supplier")}
              <th scope="col" className="govuk-table__header">Category</th>
              {sortHeader("value", "Annual value", true)}
              {sortHeader("end", "Ends")}
              <th scope="col" className="govuk-table__header">Status</th>
              {sortHeader("tier", "Tier")}
              {sortHeader("risk", "Risk")}
              {sortHeader("invitation", "Invitation")}
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {contracts.map((c) => (
              <tr key={c.id} className="govuk-table__row">
                <td className="govuk-table__cell">
                  <Link className="govuk-link" to={`/contracts/${c.id}`}>
                    {c.reference}
                  </Link>
                </td>
                <td className="govuk-table__cell">{c.title}</td>
                <td className="govuk-table__cell">
                  {c.supplierName}
                  {c.supplierCompanyNumber ? <span className="govuk-body-s lantern-secondary"> ({c.supplierCompanyNumber})</span> : null}
                </td>
                <td className="govuk-table__cell">{c.category}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{formatMoney(c.annualValuePence)}</td>
                <td className="govuk-table__cell">{formatDate(`${c.endDate}T00:00:00Z`)}</td>
                <td className="govuk-table__cell">
                  {CONTRACT_STATUS_LABELS[c.status]}
                  {c.statusSetByHand ? <span className="govuk-body-s"> (set by hand)</span> : null}
                </td>
                <td className="govuk-table__cell">
                  <TierTag tier={c.tier} />
                  {c.overridden ? <span className="govuk-body-s"> (set by hand)</span> : null}
                </td>
                <td className="govuk-table__cell">
                  {c.riskCount === null ? (
                    <span className="govuk-body-s">{c.needsAssessment ? "Not assessed (over £1m)" : "Not assessed"}</span>
                  ) : (
                    <>
                      {c.priority ? <Tag colour="red">Priority</Tag> : null}{" "}
                      <span className="govuk-body-s">
                        {plural(c.riskCount, "indicator")}
                      </span>
                    </>
                  )}
                </td>
                <td className="govuk-table__cell">{INVITATION_LABELS[c.invitationStatus ?? "not_invited"]}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </TableScroll>
      ) : null}
      <Pagination page={query.page} pages={pages} label="Pages of contracts" href={(page) => href({ page })} />
    </>
  );
}
