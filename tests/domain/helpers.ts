/** Shared helpers for the domain tests: small inline questionnaires and question lookups. */
import { fileURLToPath } from "node:url";
import type { Question, Questionnaire } from "../../questionnaires/format";
import { parseQuestionnaire } from "../../questionnaires/format";
import { questionIndex } from "../../app/domain/questions";

/** The repository root, so file paths do not depend on the directory vitest was started from. */
export const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Absolute path of a file under tests/domain/fixtures. */
export const fixturePath = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** The header every inline fixture shares: three bands (red < 40 <= amber < 70 <= green), red flags force red. */
export const HEADER = `id: fixture
version: "1.0.0"
title: Fixture questionnaire
bands:
  - {id: red, label: Red, min: 0}
  - {id: amber, label: Amber, min: 40}
  - {id: green, label: Green, min: 70}
redFlagBand: red
`;

/** Parse an inline fixture (HEADER is prepended). */
export function fixture(body: string): Questionnaire {
  return parseQuestionnaire(HEADER + body, "fixture.yaml");
}

export function question(qn: Questionnaire, id: string): Question {
  const entry = questionIndex(qn).get(id);
  if (!entry) throw new Error(`no question '${id}' in ${qn.id}`);
  return entry.question;
}
