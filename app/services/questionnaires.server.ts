/**
 * The questionnaires on disk, loaded and checked once. Assessments are pinned to an id and version;
 * submissions keep their own copy, so editing or removing a file never changes a past submission.
 */
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadQuestionnaire, type Questionnaire } from "../../questionnaires/format";
import { env } from "../env.server";

let loaded: Map<string, Questionnaire> | undefined;

const key = (id: string, version: string) => `${id}@${version}`;

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

function all(): Map<string, Questionnaire> {
  if (!loaded) {
    const next = new Map<string, Questionnaire>();
    for (const file of yamlFiles(resolve(env().QUESTIONNAIRES_DIR))) {
      const qn = loadQuestionnaire(file);
      if (next.has(key(qn.id, qn.version))) throw new Error(`${file}: ${qn.id} version ${qn.version} is defined twice`);
      next.set(key(qn.id, qn.version), qn);
    }
    loaded = next;
  }
  return loaded;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** The newest version of a questionnaire. */
export function currentQuestionnaire(id = "msat"): Questionnaire {
  const versions = [...all().values()].filter((q) => q.id === id).sort((a, b) => compareVersions(b.version, a.version));
  if (!versions[0]) throw new Error(`No questionnaire '${id}' in ${env().QUESTIONNAIRES_DIR}`);
  return versions[0];
}

export function questionnaireVersion(id: string, version: string): Questionnaire | undefined {
  return all().get(key(id, version));
}
