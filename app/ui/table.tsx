import { type ReactNode, useId } from "react";

/** A column: its heading, and whether it holds figures (right-aligned, as GOV.UK numeric columns are). */
export type Column = { heading: ReactNode; numeric?: boolean; className?: string };

/** A row: its cells, and optionally a row header (the first column, as a `th`) and data attributes. */
export type TableRow = { key: string; header?: ReactNode; cells: ReactNode[]; data?: Record<`data-${string}`, string> };

const isColumn = (h: ReactNode | Column): h is Column => typeof h === "object" && h !== null && "heading" in h;

/**
 * A table's container, which scrolls sideways when the table is wider than the screen instead of
 * making the whole page wider. It is a named region that takes the keyboard focus, so keyboard
 * users can scroll it with the arrow keys. Name it with `label`, or `labelledBy` a caption's id.
 */
export function TableScroll({ label, labelledBy, children }: { label?: string; labelledBy?: string; children: ReactNode }) {
  return (
    <div className="lantern-table-scroll" role="region" aria-label={label} aria-labelledby={label ? undefined : labelledBy} tabIndex={0}>
      {children}
    </div>
  );
}

/**
 * A GOV.UK table with a caption, column headers and cells; columns may be numeric, rows may have a
 * header. A caption is always there for screen readers: "hidden" keeps it off the screen where a
 * heading above the table already says the same.
 */
export function Table({
  caption,
  captionSize = "m",
  head,
  rows,
  id,
  className,
}: {
  caption: ReactNode;
  captionSize?: "s" | "m" | "hidden";
  head: Array<ReactNode | Column>;
  rows: TableRow[];
  id?: string;
  className?: string;
}) {
  const captionId = `${useId()}-caption`;
  const columns: Column[] = head.map((h) => (isColumn(h) ? h : { heading: h }));
  const classes = (base: string, c: Column | undefined) => [base, c?.numeric ? `${base}--numeric` : "", c?.className ?? ""].filter(Boolean).join(" ");
  return (
    <TableScroll labelledBy={captionId}>
      <table className={["govuk-table", className].filter(Boolean).join(" ")} id={id}>
        <caption id={captionId} className={`govuk-table__caption ${captionSize === "hidden" ? "govuk-visually-hidden" : `govuk-table__caption--${captionSize}`}`}>{caption}</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            {columns.map((c, i) => (
              <th key={i} scope="col" className={classes("govuk-table__header", c)}>
                {c.heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {rows.map((row) => {
            const offset = row.header === undefined ? 0 : 1;
            return (
              <tr key={row.key} className="govuk-table__row" {...row.data}>
                {row.header === undefined ? null : (
                  <th scope="row" className="govuk-table__header">
                    {row.header}
                  </th>
                )}
                {row.cells.map((cell, i) => (
                  <td key={i} className={classes("govuk-table__cell", columns[i + offset])}>
                    {cell}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </TableScroll>
  );
}
