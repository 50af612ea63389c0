/** MSAT 1.1.0 and 1.2.0 give the buyer questions to ask about every recommendation and red flag; 1.0.0 still loads without them. */
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadQuestionnaire } from "../../questionnaires/format";
import { ROOT } from "./helpers";

const qn = loadQuestionnaire(resolve(ROOT, "questionnaires/msat/msat-1.1.0.yaml"));

describe("probes in MSAT 1.1.0", () => {
  const items = [...qn.recommendations, ...qn.redFlags];

  it("covers every recommendation and red flag with one to three questions", () => {
    expect(qn.recommendations.length).toBe(86);
    const missing = items.filter((i) => !i.probes || i.probes.length < 1 || i.probes.length > 3).map((i) => i.id);
    expect(missing).toEqual([]);
  });

  it("asks each as a question, without repeating one within an item", () => {
    for (const item of items) {
      for (const p of item.probes!) expect(p, item.id).toMatch(/^[A-Z].*\?$/);
      expect(new Set(item.probes).size, item.id).toBe(item.probes!.length);
    }
  });

  it("keeps MSAT 1.0.0, which has no probes, valid", () => {
    const v10 = loadQuestionnaire(resolve(ROOT, "questionnaires/msat/msat-1.0.0.yaml"));
    expect(v10.recommendations.every((r) => r.probes === undefined)).toBe(true);
  });
});

describe("probes in MSAT 1.2.0", () => {
  const v12 = loadQuestionnaire(resolve(ROOT, "questionnaires/msat/msat-1.2.0.yaml"));
  const items = [...v12.recommendations, ...v12.redFlags];

  it("covers every recommendation and red flag, the new ones included, with one to three questions", () => {
    const missing = items.filter((i) => !i.probes || i.probes.length < 1 || i.probes.length > 3).map((i) => i.id);
    expect(missing).toEqual([]);
    for (const item of items) {
      for (const p of item.probes!) expect(p, item.id).toMatch(/^[A-Z].*\?$/);
      expect(new Set(item.probes).size, item.id).toBe(item.probes!.length);
    }
  });
});
