import type { ReactNode } from "react";

export type TableRow = { key: string; cells: ReactNode[] };

/** A GOV.UK table with a caption, column headers and plain cells. */
export function Table({ caption, head, rows }: { caption: ReactNode; head: ReactNode[]; rows: TableRow[] }) {
  return (
    <table className="govuk-table">
      <caption className="govuk-table__caption govuk-table__caption--m">{caption}</caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          {head.map((h, i) => (
            <th key={i} scope="col" className="govuk-table__header">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {rows.map((row) => (
          <tr key={row.key} className="govuk-table__row">
            {row.cells.map((cell, i) => (
              <td key={i} className="govuk-table__cell">
                {cell}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
