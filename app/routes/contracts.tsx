import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { TIER_LABELS, TIERS, type Tier, formatMoney } from "../domain/contracts";
import { hasControlChars } from "../domain/text";
import { requireRole } from "../services/auth.server";
import { type ContractQuery, SORTS, listContracts } from "../services/contracts.server";
import { Tag, formatDate } from "../ui/page";

export const meta: MetaFunction = () => [{ title: "Contract register – Lantern" }];

const TIER_COLOUR = { gold: "yellow", silver: "grey", bronze: "orange" } as const;

/** The query string, checked: anything unknown falls back to the default, never an error. */
function readQuery(url: URL): ContractQuery {
  const p = url.searchParams;
  const sort = (p.get("sort") ?? "") in SORTS ? (p.get("sort") as keyof typeof SORTS) : "value";
  const direction = p.get("direction") === "asc" ? "asc" : p.get("direction") === "desc" ? "desc" : sort === "value" ? "desc" : "asc";
  const tier = TIERS.includes(p.get("tier") as Tier) ? (p.get("tier") as Tier) : undefined;
  const page = Math.min(Math.max(1, Number.parseInt(p.get("page") ?? "1", 10) || 1), 100_000);
  const text = (name: string) => {
    const value = (p.get(name) ?? "").trim().slice(0, 200);
    return value && !hasControlChars(value) ? value : undefined;
  };
  return { sort, direction, tier, category: text("category"), manager: text("manager"), search: text("q"), page };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "buyer");
  const query = readQuery(new URL(request.url));
  const register = await listContracts(user, query);
  return { query, ...register, canImport: user.role === "admin", organisationName: user.organisationName };
}

/** One filter of the register: a labelled select whose first option means no filter. */
function SelectFilter({ id, label, all, value, options }: { id: string; label: string; all: string; value: string | undefined; options: Array<[string, string]> }) {
  return (
    <div className="govuk-grid-column-one-quarter">
      <div className="govuk-form-group">
        <label className="govuk-label" htmlFor={id}>
          {label}
        </label>
        <select className="govuk-select" id={id} name={id} defaultValue={value ?? ""}>
          <option value="">{all}</option>
          {options.map(([v, text]) => (
            <option key={v} value={v}>
              {text}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

export default function Contracts() {
  const { query, total, pages, contracts, categories, managers, canImport, organisationName } = useLoaderData<typeof loader>();
  const href = (change: Partial<Record<string, string | number | undefined>>) => {
    const next: Record<string, string> = {};
    const merged = { sort: query.sort, direction: query.direction, tier: query.tier, category: query.category, manager: query.manager, q: query.search, page: query.page, ...change };
    for (const [k, v] of Object.entries(merged)) if (v !== undefined && v !== "") next[k] = String(v);
    return `/contracts?${new URLSearchParams(next)}`;
  };
  const sortHeader = (key: keyof typeof SORTS, label: string, numeric = false) => {
    const current = query.sort === key;
    const direction = current && query.direction === "asc" ? "desc" : "asc";
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
      {canImport ? (
        <p className="govuk-body">
          <Link className="govuk-button govuk-button--secondary" to="/contracts/import">
            Import contracts from a spreadsheet
          </Link>
        </p>
      ) : null}
      <Form method="get" className="lantern-filters" aria-label="Filter contracts">
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-quarter">
            <div className="govuk-form-group">
              <label className="govuk-label" htmlFor="q">Search</label>
              <input className="govuk-input" id="q" name="q" type="search" defaultValue={query.search ?? ""} />
            </div>
          </div>
          <SelectFilter id="tier" label="Tier" all="All tiers" value={query.tier} options={TIERS.map((t) => [t, TIER_LABELS[t]])} />
          <SelectFilter id="category" label="Category" all="All categories" value={query.category} options={categories.map((c) => [c, c])} />
          <SelectFilter id="manager" label="Contract manager" all="Anyone" value={query.manager} options={managers.map((m) => [m, m])} />
        </div>
        <input type="hidden" name="sort" value={query.sort} />
        <input type="hidden" name="direction" value={query.direction} />
        <button type="submit" className="govuk-button govuk-button--secondary">Apply filters</button>
      </Form>
      <p className="govuk-body" role="status">
        {total === 0 ? "No contracts match." : `${total.toLocaleString("en-GB")} ${total === 1 ? "contract" : "contracts"}${pages > 1 ? `, page ${query.page} of ${pages}` : ""}.`}
      </p>
      {contracts.length > 0 ? (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--m govuk-visually-hidden">Contracts</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              {sortHeader("reference", "Reference")}
              {sortHeader("title", "Title")}
              {sortHeader("supplier", "Supplier")}
              <th scope="col" className="govuk-table__header">Category</th>
              {sortHeader("value", "Annual value", true)}
              {sortHeader("end", "Ends")}
              <th scope="col" className="govuk-table__header">Tier</th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {contracts.map((c) => (
              <tr key={c.id} className="govuk-table__row">
                <td className="govuk-table__cell">{c.reference}</td>
                <td className="govuk-table__cell">{c.title}</td>
                <td className="govuk-table__cell">
                  {c.supplierName}
                  {c.supplierCompanyNumber ? <span className="govuk-body-s lantern-secondary"> ({c.supplierCompanyNumber})</span> : null}
                </td>
                <td className="govuk-table__cell">{c.category}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{formatMoney(c.annualValuePence)}</td>
                <td className="govuk-table__cell">{formatDate(`${c.endDate}T00:00:00Z`)}</td>
                <td className="govuk-table__cell">
                  <Tag colour={TIER_COLOUR[c.tier]}>{TIER_LABELS[c.tier]}</Tag>
                  {c.overridden ? <span className="govuk-body-s"> (set by hand)</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {pages > 1 ? (
        <nav className="govuk-pagination" aria-label="Pages of contracts">
          {query.page > 1 ? (
            <div className="govuk-pagination__prev">
              <Link className="govuk-link govuk-pagination__link" to={href({ page: query.page - 1 })} rel="prev">
                <span className="govuk-pagination__link-title">Previous<span className="govuk-visually-hidden"> page</span></span>
              </Link>
            </div>
          ) : null}
          {query.page < pages ? (
            <div className="govuk-pagination__next">
              <Link className="govuk-link govuk-pagination__link" to={href({ page: query.page + 1 })} rel="next">
                <span className="govuk-pagination__link-title">Next<span className="govuk-visually-hidden"> page</span></span>
              </Link>
            </div>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
