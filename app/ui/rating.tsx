/**
 * How a rating was worked out, for questionnaires with a risk model: exposure and why, the
 * management score, the matrix cell, caps and red flags, in a plain sentence and a table. Shared
 * by the supplier's report (addressed to the supplier) and the buyer's view of a result (about the
 * supplier).
 */
import { TableScroll } from "./table";
export type RatingView = {
  band: { id: string; label: string };
  overall: number | null;
  exposure: { level: string; escalated: boolean; factors: Array<{ id: string; level: string; reason: string; because: string }> };
  rating: {
    explanation: string;
    matrixBand: { id: string; label: string };
    caps: Array<{ id: string; atBestLabel: string; reason: string; because: string }>;
  };
  /** Rows: exposure level; cells: the score each band needs. */
  matrix: Array<{ exposure: string; cells: Array<{ band: string; label: string; /** null: not given by the score alone at this exposure */ min: number | null }> }>;
};

const LEVEL = { low: "Low", medium: "Medium", high: "High" } as Record<string, string>;

/** Who reads the report: the supplier about itself, or a buyer about the supplier. */
export type Voice = "supplier" | "buyer";

const WORDS = {
  supplier: {
    heading: "How your rating was worked out",
    combines:
      "The rating combines two things: how exposed you are to modern slavery, from where you and your suppliers work, what you handle and how you employ people; and how well you manage that exposure, your management score. The more exposed you are, the stronger the management score a better rating needs.",
    exposure: "Your exposure",
    noFactors: "None of the exposure factors applies to your answers.",
    because: "because you answered",
    escalated: "Several medium factors together make your exposure high.",
    yourExposure: "your exposure",
    score: "Your score",
    limits: "Limits on your rating",
  },
  buyer: {
    heading: "How the rating was worked out",
    combines:
      "The rating combines two things: how exposed the supplier is to modern slavery, from where it and its suppliers work, what it handles and how it employs people; and how well it manages that exposure, its management score. The more exposed a supplier is, the stronger the management score a better rating needs.",
    exposure: "The supplier's exposure",
    noFactors: "None of the exposure factors applies to the supplier's answers.",
    because: "because the supplier answered",
    escalated: "Several medium factors together make the supplier's exposure high.",
    yourExposure: "the supplier's exposure",
    score: "Supplier's score",
    limits: "Limits on the rating",
  },
} as const;

export function RatingPanel({ view }: { view: Pick<RatingView, "band" | "overall" | "exposure"> }) {
  return (
    <div className={`govuk-panel lantern-band--${view.band.id}`}>
      <h2 className="govuk-panel__title">{view.band.label}</h2>
      <div className="govuk-panel__body">
        Exposure {LEVEL[view.exposure.level]?.toLowerCase() ?? view.exposure.level}. Management score {view.overall === null ? "not scored" : `${view.overall}%`}
      </div>
    </div>
  );
}

export function RatingExplained({ view, voice = "supplier" }: { view: RatingView; voice?: Voice }) {
  const w = WORDS[voice];
  const cellText = (min: number | null) => (min === null ? "not from the score alone" : min === 0 ? "any score" : `${min}% or more`);
  return (
    <section aria-labelledby="how-rated">
      <h2 className="govuk-heading-m" id="how-rated">
        {w.heading}
      </h2>
      <p className="govuk-body-l">{view.rating.explanation}</p>
      <p className="govuk-body">{w.combines}</p>
      <h3 className="govuk-heading-s">
        {w.exposure}: {LEVEL[view.exposure.level] ?? view.exposure.level}
      </h3>
      {view.exposure.factors.length === 0 ? (
        <p className="govuk-body">{w.noFactors}</p>
      ) : (
        <ul className="govuk-list govuk-list--bullet">
          {view.exposure.factors.map((f) => (
            <li key={f.id}>
              <strong>{LEVEL[f.level]}:</strong> {f.reason}
              {f.because ? (
                <span className="govuk-body-s">
                  {" "}
                  ({w.because} {f.because})
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {view.exposure.escalated ? <p className="govuk-body">{w.escalated}</p> : null}
      <TableScroll label="The management score each rating needs, by exposure">
      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-table__caption--s">The management score each rating needs, by exposure</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">Exposure</th>
            {view.matrix[0]?.cells.map((c) => (
              <th scope="col" className="govuk-table__header" key={c.band}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {view.matrix.map((row) => (
            <tr className="govuk-table__row" key={row.exposure}>
              <th scope="row" className="govuk-table__header">
                {LEVEL[row.exposure]}
                {row.exposure === view.exposure.level ? <span className="govuk-visually-hidden"> ({w.yourExposure})</span> : null}
              </th>
              {row.cells.map((c) => {
                const yours = row.exposure === view.exposure.level && c.band === view.rating.matrixBand.id;
                return (
                  <td className={`govuk-table__cell${yours ? " lantern-matrix--yours" : ""}`} key={c.band}>
                    {cellText(c.min)}
                    {yours ? <strong className="govuk-tag govuk-tag--blue lantern-matrix__tag">{w.score}</strong> : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      </TableScroll>
      {view.rating.caps.length > 0 ? (
        <>
          <h3 className="govuk-heading-s">{w.limits}</h3>
          <ul className="govuk-list govuk-list--bullet">
            {view.rating.caps.map((c) => (
              <li key={c.id}>
                No better than {c.atBestLabel}: {c.reason}
                {c.because ? (
                  <span className="govuk-body-s">
                    {" "}
                    ({w.because} {c.because})
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
