/**
 * One line for a list of results when the rating is not the band the score alone would suggest
 * (97.1% is in the Low risk range, yet the result is High risk): the red flag, the cap or the
 * exposure that made the difference. Null when the score's band is the rating.
 */
import type { Band } from "../../questionnaires/format";
import type { AssessmentResult } from "./scoring";

const pct = (n: number) => `${Math.round(n * 10) / 10}%`;

export function ratingNote(result: Pick<AssessmentResult, "overall" | "band" | "redFlags" | "rating" | "exposure">, bands: ReadonlyArray<Pick<Band, "id" | "label" | "min">>): string | null {
  if (result.overall === null) return null;
  const byScore = [...bands].sort((a, b) => b.min - a.min).find((b) => result.overall! >= b.min);
  if (!byScore || byScore.id === result.band.id) return null;
  const forcing = result.redFlags.filter((f) => f.forcesBand !== false);
  if (forcing.length > 0) {
    const more = forcing.length > 1 ? ` and ${forcing.length - 1} more` : "";
    return `${result.band.label} because of a red flag: ${forcing[0]!.title}${more}.`;
  }
  const cap = result.rating?.caps.find((c) => c.atBest === result.band.id);
  if (cap) return `No better than ${result.band.label}: ${cap.reason.replace(/\.$/, "")}.`;
  if (result.rating && result.exposure) {
    const next = result.rating.nextBand;
    const need = next ? `; ${next.label} needs ${pct(next.min)} or more` : "";
    return `${result.band.label}: exposure to modern slavery risk is ${result.exposure.level}${need}.`;
  }
  return null;
}
