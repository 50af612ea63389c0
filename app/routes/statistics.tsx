import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { TIER_LABELS, TIERS } from "../domain/contracts";
import { SMALL_NUMBER, describeFigure } from "../domain/kpis";
import { periodOf, periodStarting } from "../domain/periods";
import type { ProgrammeKpi } from "../domain/programme";
import { coverage, describeChange, describeScoreChange, pointsChange, statementThemes, themeHeading } from "../domain/statement";
import { requireRole } from "../services/auth.server";
import { statisticsFor } from "../services/department-statistics.server";
import { ErrorSummary } from "../ui/error-summary";
import { KpiChart } from "../ui/kpi-chart";
import { Tag } from "../ui/page";
import { Table } from "../ui/table";
import { nounFor, plural } from "../domain/text";

export const meta: MetaFunction = () => [{ title: "Statistics for your modern slavery statement – Lantern" }];

/** How many financial years before the current one the period list offers. */
const YEARS_BACK = 5;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, "buyer", ["admin", "analyst"]);
  const params = new URL(request.url).searchParams;
  const now = new Date();
  const { query, problems, categories, scope, findings: found, programme } = await statisticsFor(user, params, now);

  const current = periodOf(now);
  const years = new Set([...Array.from({ length: YEARS_BACK + 1 }, (_, i) => current.startYear - i), query.period.startYear]);
  const filterParams = new URLSearchParams({ period: query.period.id });
  if (query.filters.tier) filterParams.set("tier", query.filters.tier);
  if (query.filters.category) filterParams.set("category", query.filters.category);
  if (query.filters.priorityOnly) filterParams.set("priority", "1");
  if (query.smallNumbers) filterParams.set("small", "1");

  const body = {
    organisationName: user.organisationName,
    canChangeGoals: user.role === "admin",
    query,
    errors: problems,
    periods: [...years].sort((a, b) => b - a).map((y) => periodStarting(y)),
    categories,
    filterQuery: filterParams.toString(),
    findings: found,
    programme,
    themes: statementThemes(found.current.figures),
    scope,
  };
  return Object.keys(problems).length > 0 ? data(body, { status: 400 }) : body;
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type Figure = LoaderData["findings"]["current"]["figures"][number];

const pounds = (n: number) => `£${n.toLocaleString("en-GB")}`;

/** A programme KPI's figure: "73% (29 of 40 contracts)", with money (whole pounds) written as money. */
function describeProgramme(k: Pick<ProgrammeKpi, "percent" | "numerator" | "denominator" | "unit">): string {
  if (k.denominator === 0 || k.percent === null) return k.unit === "£" ? "No contract value to count" : `No ${k.unit} to count`;
  const counts = k.unit === "£" ? `${pounds(k.numerator)} of ${pounds(k.denominator)}` : `${k.numerator.toLocaleString("en-GB")} of ${k.denominator.toLocaleString("en-GB")} ${nounFor(k.denominator, k.unit.replace(/s$/, ""), k.unit)}`;
  return `${k.percent}% (${counts})`;
}

function GoalTag({ kpi }: { kpi: Pick<ProgrammeKpi, "goal" | "met" | "percent"> }) {
  if (kpi.goal === null) return <span className="govuk-body-s">No goal</span>;
  if (kpi.met === null) return <Tag colour="grey">No figure</Tag>;
  return kpi.met ? <Tag colour="green">Met</Tag> : <Tag colour="red">Not met</Tag>;
}

/** A finding as its cell reads: "73% (29 of 40)", with how many suppliers an earlier version did not ask. */
function FigureText({ figure }: { figure: Figure | undefined }) {
  if (!figure) return <>–</>;
  return (
    <>
      {describeFigure(figure)}
      {figure.notAsked > 0 ? (
        <>
          <br />
          <span className="govuk-body-s lantern-secondary">{plural(figure.notAsked, "supplier", "suppliers")} not asked (earlier version)</span>
        </>
      ) : null}
    </>
  );
}

function Filters({ d }: { d: LoaderData }) {
  const { query, errors, periods, categories } = d;
  const group = (field: "period" | "tier" | "category") => `govuk-form-group${errors[field] ? " govuk-form-group--error" : ""}`;
  const errorMessage = (field: "period" | "tier" | "category") =>
    errors[field] ? (
      <p id={`${field}-error`} className="govuk-error-message">
        <span className="govuk-visually-hidden">Error:</span> {errors[field]}
      </p>
    ) : null;
  const describedBy = (field: "period" | "tier" | "category") => (errors[field] ? `${field}-error` : undefined);
  return (
    <Form method="get" className="lantern-filters" aria-label="Filter the statistics">
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-third">
          <div className={group("period")}>
            <label className="govuk-label" htmlFor="period">
              Financial year (April to March)
            </label>
            {errorMessage("period")}
            <select className={`govuk-select govuk-!-width-full${errors.period ? " govuk-select--error" : ""}`} id="period" name="period" defaultValue={query.period.id} aria-describedby={describedBy("period")}>
              {periods.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.id}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="govuk-grid-column-one-third">
          <div className={group("tier")}>
            <label className="govuk-label" htmlFor="tier">
              Contract tier
            </label>
            {errorMessage("tier")}
            <select className={`govuk-select govuk-!-width-full${errors.tier ? " govuk-select--error" : ""}`} id="tier" name="tier" defaultValue={query.filters.tier ?? ""} aria-describedby={describedBy("tier")}>
              <option value="">Any tier</option>
              {TIERS.map((t) => (
                <option key={t} value={t}>
                  {TIER_LABELS[t]}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="govuk-grid-column-one-third">
          <div className={group("category")}>
            <label className="govuk-label" htmlFor="category">
              Contract category
            </label>
            {errorMessage("category")}
            <select
              className={`govuk-select govuk-!-width-full${errors.category ? " govuk-select--error" : ""}`}
              id="category"
              name="category"
              defaultValue={query.filters.category ?? ""}
              aria-describedby={describedBy("category")}
            >
              <option value="">All categories</option>
              {categories.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </div>
        </div>
      </div>
      <div className="govuk-form-group">
        <div className="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
          <div className="govuk-checkboxes__item">
            <input className="govuk-checkboxes__input" id="priority" name="priority" type="checkbox" value="1" defaultChecked={query.filters.priorityOnly} />
            <label className="govuk-label govuk-checkboxes__label" htmlFor="priority">
              Priority contracts only
            </label>
          </div>
          <div className="govuk-checkboxes__item">
            <input className="govuk-checkboxes__input" id="small" name="small" type="checkbox" value="1" defaultChecked={query.smallNumbers} aria-describedby="small-hint" />
            <label className="govuk-label govuk-checkboxes__label" htmlFor="small">
              Show figures about fewer than {SMALL_NUMBER} suppliers
            </label>
            <div id="small-hint" className="govuk-hint govuk-checkboxes__hint">
              Small numbers can identify a supplier; they are not published by default.
            </div>
          </div>
        </div>
      </div>
      <button type="submit" className="govuk-button govuk-button--secondary">
        Apply filters
      </button>
    </Form>
  );
}

export default function Statistics() {
  const d = useLoaderData<typeof loader>();
  const { findings: f, programme, themes, query, filterQuery, errors } = d;
  const { current, previous } = f;
  const thisYear = current.period.id;
  const lastYear = previous.period.id;
  const download = (format: string) => `/statistics/export?${new URLSearchParams([...new URLSearchParams(filterQuery), ["format", format]])}`;
  const byTheme = [...new Set(current.figures.map((x) => x.theme))].map((theme) => ({ theme, figures: current.figures.filter((x) => x.theme === theme) }));
  const previousFigure = (id: string) => previous.figures.find((x) => x.id === id);
  const previousProgramme = (id: string) => programme.previous.kpis.find((k) => k.id === id);
  const fieldErrors = (["period", "tier", "category"] as const).flatMap((k) => (errors[k] ? [{ href: `#${k}`, text: errors[k]! }] : []));

  return (
    <>
      <ErrorSummary errors={fieldErrors} />
      <span className="govuk-caption-l">{d.organisationName}</span>
      <h1 className="govuk-heading-l">Statistics for your modern slavery statement</h1>
      <p className="govuk-body-l">
        {current.period.label}, compared with {previous.period.label}.
      </p>

      <Filters d={d} />

      <h2 className="govuk-heading-m">Download these figures</h2>
      <ul className="govuk-list">
        <li>
          <a className="govuk-link" href={download("csv")} download>
            Download every table as CSV<span className="govuk-visually-hidden"> ({thisYear})</span>
          </a>
        </li>
        <li>
          <a className="govuk-link" href={download("xlsx")} download>
            Download every table as XLSX (one sheet per table)<span className="govuk-visually-hidden"> ({thisYear})</span>
          </a>
        </li>
        <li>
          <a className="govuk-link" href={download("txt")} download>
            Download the statement sentences as text<span className="govuk-visually-hidden"> ({thisYear})</span>
          </a>
        </li>
      </ul>

      <h2 className="govuk-heading-m" id="who-counts">
        Who is counted
      </h2>
      <Table
        id="suppliers-counted"
        caption="Suppliers counted in each financial year"
        captionSize="s"
        head={["Financial year", { heading: "Suppliers counted", numeric: true }, "Questionnaire versions answered"]}
        rows={[current, previous].map((p) => ({
          key: p.period.id,
          header: p.period.id,
          cells: [
            p.suppliers.toLocaleString("en-GB"),
            p.versions.length === 0 ? "None" : p.versions.map((v) => `${v.questionnaire.toUpperCase()} ${v.version} (${plural(v.suppliers, "supplier", "suppliers")})`).join(", "),
          ],
        }))}
      />
      <p className="govuk-body">
          Each supplier counts once in a financial year, by the latest assessment it submitted in that year among the assessments it shares with your department now. Drafts never count, and an
          assessment a supplier stops sharing leaves every year.
        </p>
        <p className="govuk-body">
          A figure a supplier's questionnaire version did not ask about leaves that supplier out of the figure's count: the table says how many were not asked. A figure that counts only some suppliers
          (&ldquo;of those who …&rdquo;) counts only the suppliers it applies to.
        </p>
        {d.scope.map((line) => (
          <p className="govuk-body" key={line}>
            {line}
          </p>
        ))}

      <h2 className="govuk-heading-m" id="findings">
        What suppliers told you
      </h2>
      <p className="govuk-body">
        The share of counted suppliers whose answers meet each measure, in {thisYear} and {lastYear}. Changes are in percentage points.
      </p>
      <div id="findings-tables">
        {byTheme.map(({ theme, figures }) => (
          <Table
            key={theme}
            className="lantern-table--compact lantern-findings"
            caption={themeHeading(theme)}
            captionSize="s"
            head={[
              { heading: "Measure", className: "lantern-findings__measure" },
              { heading: thisYear, numeric: true, className: "lantern-findings__figure" },
              { heading: lastYear, numeric: true, className: "lantern-findings__figure" },
              { heading: "Change", numeric: true, className: "lantern-findings__change" },
            ]}
            rows={figures.map((x) => {
              const before = previousFigure(x.id);
              return {
                key: x.id,
                data: { "data-kpi": x.id },
                header: x.title,
                cells: [<FigureText figure={x} />, <FigureText figure={before} />, describeChange(pointsChange(x.percent, before?.percent ?? null))],
              };
            })}
          />
        ))}
      </div>
      <KpiChart
        id="findings-chart"
        caption={`Chart: the share of suppliers meeting each measure, ${thisYear} and ${lastYear}.`}
        description={`Bar chart of the percentage of suppliers meeting each measure in ${thisYear} and ${lastYear}. The same figures are in the tables headed by theme.`}
        tableId="findings-tables"
        tableText="The same figures are in the tables above."
        labels={current.figures.map((x) => x.title)}
        series={[
          { label: thisYear, data: current.figures.map((x) => x.percent), colour: "#1d70b8" },
          { label: lastYear, data: current.figures.map((x) => previousFigure(x.id)?.percent ?? null), colour: "#505a5f" },
        ]}
      />

      <h2 className="govuk-heading-m" id="programme">
        Your due diligence against your goals
      </h2>
      {d.canChangeGoals ? (
        <p className="govuk-body">
          <Link className="govuk-link" to="/statistics/goals">
            Change goals
          </Link>
        </p>
      ) : null}
      <Table
        id="programme-table"
        className="lantern-table--compact lantern-programme"
        caption={`Programme measures, ${thisYear} against goals`}
        captionSize="s"
        head={["Measure", { heading: thisYear, numeric: true }, { heading: "Goal", numeric: true }, "Goal met", { heading: lastYear, numeric: true }, { heading: "Change", numeric: true }]}
        rows={programme.current.kpis.map((k) => {
          const before = previousProgramme(k.id);
          return {
            key: k.id,
            data: { "data-kpi": k.id },
            header: k.title,
            cells: [
              describeProgramme(k),
              k.goal === null ? "–" : `${k.goal}%`,
              <GoalTag kpi={k} />,
              before ? describeProgramme(before) : "–",
              describeChange(pointsChange(k.percent, before?.percent ?? null)),
            ],
          };
        })}
      />
      <KpiChart
        id="programme-chart"
        caption={`Chart: programme measures in ${thisYear} against their goals.`}
        description={`Bar chart of each programme measure in ${thisYear} beside its goal. The same figures are in the programme table.`}
        tableId="programme-table"
        tableText="The same figures are in the table above."
        labels={programme.current.kpis.map((k) => k.title)}
        series={[
          { label: thisYear, data: programme.current.kpis.map((k) => k.percent), colour: "#1d70b8" },
          { label: "Goal", data: programme.current.kpis.map((k) => k.goal), colour: "#505a5f" },
        ]}
      />

      <h3 className="govuk-heading-s" id="score-change">
        Change in suppliers' overall scores
      </h3>
      <dl className="govuk-summary-list" aria-labelledby="score-change">
        {[current, previous].map((p) => (
          <div key={p.period.id} className="govuk-summary-list__row" data-period={p.period.id}>
            <dt className="govuk-summary-list__key">{p.period.id}</dt>
            <dd className="govuk-summary-list__value">{describeScoreChange(p.scoreChange)}</dd>
          </div>
        ))}
      </dl>
      <p className="govuk-body-s">
        The average change in overall score between each counted supplier's latest submission in the year and its previous submission shared with you.
      </p>

      <h2 className="govuk-heading-m" id="statement">
        Sentences for your statement
      </h2>
      <p className="govuk-body">
        Ready to copy into your modern slavery statement for {thisYear}. {coverage(current.suppliers)}
      </p>
      <div id="statement-text">
        {themes.map((t) => (
          <section key={t.theme} aria-labelledby={`statement-${slug(t.theme)}`}>
            <h3 className="govuk-heading-s" id={`statement-${slug(t.theme)}`}>
              {t.heading}
            </h3>
            <div className="govuk-inset-text lantern-statement">
              {t.sentences.map((s) => (
                <p className="govuk-body" key={s.text} data-sentence>
                  {s.text}
                </p>
              ))}
              {t.none ? (
                <p className="govuk-body" data-sentence>
                  {t.none}
                </p>
              ) : null}
            </div>
            {t.notes.map((n) => (
              <p className="govuk-body-s" key={n} data-note>
                {n}
              </p>
            ))}
          </section>
        ))}
      </div>
      <p className="govuk-body">
        <a className="govuk-link" href={download("txt")} download>
          Download the statement sentences as text
        </a>
      </p>
      {query.smallNumbers ? null : <p className="govuk-body-s">Figures about fewer than {SMALL_NUMBER} suppliers are left out. Tick “Show figures about fewer than {SMALL_NUMBER} suppliers” to see them.</p>}
    </>
  );
}

const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
