/** One potential import-ban match of a named sub-supplier, as the supplier and the report show it. */
import type { MatchReason } from "../domain/name-matching";
import type { PotentialMatch } from "../domain/screening";
import { Tag, formatDate } from "./page";

export const DECISION_TEXT = { confirmed: "Confirmed: this is the listed company", dismissed: "Dismissed: a different company" } as const;

export function matchTitle(m: PotentialMatch, countryName: (code: string) => string): string {
  return `${m.entity.name}${m.entity.country ? ` (${countryName(m.entity.country)})` : ""} may be ${m.ban.entity ?? m.matchedName}`;
}

/** Why a name was flagged, in words: the kind of name that matched, a part of a listed body, the countries. */
export function reasonText(reason: MatchReason, countryName: (code: string) => string): string {
  switch (reason.code) {
    case "alias":
      return `It matched ${reason.name}, another or former name of the listed entity.`;
    case "chinese_script":
      return `It matched ${reason.name}, the listed entity's name in Chinese script.`;
    case "near_spelling":
      return "A word is spelled a little differently, as in a typing mistake or another transliteration.";
    case "subordinate":
      return `It is ${reason.name} with words naming a part of it (a division, branch or subsidiary), and the order covers the entity's subordinates or subsidiaries.`;
    case "related_jurisdiction":
      return `It was named in ${countryName(reason.declared)} and is listed in ${countryName(reason.listed)}: firms from mainland China often trade through Hong Kong or Macau, so the country alone does not rule it out.`;
    case "no_country":
      return "No country was given for it, so a namesake elsewhere cannot be ruled out.";
    case "listed_without_country":
      return "The list gives no country for the entity.";
  }
}

/** `voice` says who reads it: the supplier ("you named") or a buyer it was shared with. */
export function MatchSummary({ match: m, countryName, voice = "supplier" }: { match: PotentialMatch; countryName: (code: string) => string; voice?: "supplier" | "buyer" }) {
  const supplier = voice === "supplier";
  const rows: Array<[string, React.ReactNode]> = [
    [supplier ? "You named" : "The supplier named", `${m.entity.name}${m.entity.country ? `, ${countryName(m.entity.country)}` : ""}`],
    ["Listed as", `${m.ban.entity ?? m.matchedName}${m.matchedName !== m.ban.entity ? ` (also known as ${m.matchedName})` : ""}${m.ban.country ? `, ${countryName(m.ban.country)}` : ""}`],
    ["Order", `${m.ban.source}, ${formatDate(`${m.ban.effectiveDate}T00:00:00Z`)}`],
    ["Goods covered", m.ban.products],
    [
      "Status of the order",
      m.ban.status === "active" ? (
        <Tag colour="red">Active</Tag>
      ) : (
        <>
          <Tag colour="grey">Lifted</Tag>
          {m.ban.statusChanged ? ` on ${formatDate(`${m.ban.statusChanged}T00:00:00Z`)}` : ""}
        </>
      ),
    ],
    [
      "Match",
      <>
        {m.strength === "strong" ? "Strong: the names are the same once legal forms and punctuation are set aside" : "Possible: a person must check whether it is the listed entity"}
        {m.reasons && m.reasons.length > 0 ? (
          <ul className="govuk-list govuk-list--bullet govuk-!-margin-top-2 govuk-!-margin-bottom-0">
            {m.reasons.map((reason) => (
              <li key={reason.code}>{reasonText(reason, countryName)}</li>
            ))}
          </ul>
        ) : null}
      </>,
    ],
    [
      supplier ? "Your decision" : "The supplier's decision",
      m.decision ? (
        <>
          <strong>{DECISION_TEXT[m.decision.decision]}</strong>. {m.decision.reason}
          {m.decision.decidedBy ? ` (${m.decision.decidedBy}${m.decision.decidedAt ? `, ${formatDate(m.decision.decidedAt)}` : ""})` : ""}
        </>
      ) : (
        <Tag colour="yellow">Not yet decided</Tag>
      ),
    ],
  ];
  return (
    <dl className="govuk-summary-list">
      {rows.map(([key, value]) => (
        <div className="govuk-summary-list__row" key={key}>
          <dt className="govuk-summary-list__key">{key}</dt>
          <dd className="govuk-summary-list__value">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
