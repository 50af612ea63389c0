/**
 * Screening the sub-suppliers and sites a supplier names against the import-ban list. Matches are
 * worked out afresh from the answers and the current list; only the supplier's decision on each
 * (this is the listed company, or it is not, with a reason) is stored. The summary feeds the
 * questionnaire's conditions: an unresolved potential match against an active order is the red
 * flag, never the act of screening.
 */
import type { Questionnaire, ScreeningState } from "../../questionnaires/format";
import type { ImportBan } from "../../questionnaires/reference";
import type { Answers } from "./answers";
import type { ScreeningSummary } from "./conditions";
import { type MatchReason, type MatchStrength, normaliseCompanyName, screenEntity } from "./name-matching";

export type NamedSupplier = { questionId: string; row: number; name: string; country: string | null; key: string };
export type ScreeningDecision = { entityKey: string; banId: string; decision: "confirmed" | "dismissed"; reason: string; decidedBy?: string; decidedAt?: string };
export type PotentialMatch = {
  entity: NamedSupplier;
  ban: Pick<ImportBan, "id" | "source" | "effectiveDate" | "country" | "entity" | "products" | "status" | "statusChanged">;
  matchedName: string;
  strength: MatchStrength;
  score: number;
  /** Why it was flagged beyond alike names; absent from screenings stored before reasons existed. */
  reasons?: MatchReason[];
  decision: ScreeningDecision | null;
};
export type ScreeningOutcome = { screened: number; matches: PotentialMatch[]; summary: ScreeningSummary };

export const entityKey = (name: string, country: string | null) => `${normaliseCompanyName(name)}|${country ?? ""}`;

/** Every named supplier or site: the rows of group questions that have a name and a country field. */
export function namedSuppliers(qn: Questionnaire, answers: Answers): NamedSupplier[] {
  const named: NamedSupplier[] = [];
  for (const question of qn.themes.flatMap((t) => t.questions)) {
    if (question.type !== "group") continue;
    const nameField = question.fields.find((f) => f.id === "name" && f.type === "text");
    const countryField = question.fields.find((f) => f.type === "country");
    const rows = answers[question.id];
    if (!nameField || !Array.isArray(rows)) continue;
    rows.forEach((row, i) => {
      if (typeof row !== "object") return;
      const name = row[nameField.id]?.trim();
      if (!name) return;
      const country = countryField ? (row[countryField.id] ?? null) : null;
      named.push({ questionId: question.id, row: i, name, country, key: entityKey(name, country) });
    });
  }
  return named;
}

export function screen(qn: Questionnaire, answers: Answers, bans: ImportBan[], decisions: ScreeningDecision[]): ScreeningOutcome {
  const entities = namedSuppliers(qn, answers);
  const byBan = new Map(bans.map((b) => [b.id, b]));
  const decided = new Map(decisions.map((d) => [`${d.entityKey}#${d.banId}`, d]));
  const list = bans.map((b) => ({ id: b.id, entity: b.entity, aliases: b.aliases, namesZh: b.namesZh, coversGroup: b.coversGroup, country: b.country, region: b.region, status: b.status }));
  const seen = new Set<string>();
  const matches: PotentialMatch[] = [];
  for (const entity of entities) {
    for (const match of screenEntity({ name: entity.name, country: entity.country }, list)) {
      const id = `${entity.key}#${match.banId}`;
      if (seen.has(id)) continue; // the same company named twice is one decision
      seen.add(id);
      const ban = byBan.get(match.banId)!;
      matches.push({
        entity,
        ban: { id: ban.id, source: ban.source, effectiveDate: ban.effectiveDate, country: ban.country, entity: ban.entity, products: ban.products, status: ban.status, statusChanged: ban.statusChanged },
        matchedName: match.matchedName,
        strength: match.strength,
        score: match.score,
        reasons: match.reasons,
        decision: decided.get(id) ?? null,
      });
    }
  }
  const has = (test: (m: PotentialMatch) => boolean) => matches.some(test);
  const summary: Record<ScreeningState, boolean> = {
    unresolved_active: has((m) => m.decision === null && m.ban.status === "active"),
    confirmed_active: has((m) => m.decision?.decision === "confirmed" && m.ban.status === "active"),
    resolved_inactive: has((m) => m.decision?.decision === "confirmed" && m.ban.status === "inactive"),
    any_match: has((m) => m.decision?.decision !== "dismissed"),
  };
  return { screened: entities.length, matches, summary };
}
