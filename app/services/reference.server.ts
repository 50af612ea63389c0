/** The published reference data beside the questionnaires, loaded and checked once per process. */
import { join, resolve } from "node:path";
import { type ReferenceData, loadReferenceData } from "../../questionnaires/reference";
import { env } from "../env.server";

let cached: ReferenceData | undefined;

export function referenceData(): ReferenceData {
  cached ??= loadReferenceData(join(resolve(env().QUESTIONNAIRES_DIR), "data"));
  return cached;
}
