/**
 * A search for answers that meet a condition of a questionnaire with a risk model, as
 * tests/domain/msat-1.1.test.ts does for 1.1, made reusable and able to reach conditions on the
 * supplier's exposure: candidate answers for the questions a condition mentions (and those their
 * skip logic depends on) are tried in a capped cartesian product, with the published reference data,
 * each screening state when the condition reads screening, and, when it reads exposure, on top of
 * base answers that give each exposure level. An `or` is searched one branch at a time.
 */
import type { Condition, Question, Questionnaire, ScreeningState } from "../../questionnaires/format";
import { SCREENING_STATES } from "../../questionnaires/format";
import { isCountryCode } from "../../questionnaires/countries";
import type { AnswerValue, Answers } from "../../app/domain/answers";
import { validateAnswer } from "../../app/domain/answers";
import { referencedQuestions } from "../../app/domain/conditions";
import { allQuestions, questionIndex } from "../../app/domain/questions";
import { applySkipLogic } from "../../app/domain/visibility";
import { leaves } from "./helpers";

/** Most combinations one alternative may need; a larger one is skipped. */
export const CAP = 20_000;

/** One country of each kind the risk model tells apart: high, medium, low but listed for goods, low, no data. */
export const COUNTRY_KINDS = ["PK", "IN", "CN", "GB", "IS"];

/** The condition as alternatives, any one of which makes it true (an `or` split into its branches). */
export function alternatives(cond: Condition): Condition[] {
  if ("or" in cond) return cond.or.flatMap(alternatives);
  if ("and" in cond) {
    return cond.and.map(alternatives).reduce<Condition[][]>((acc, alts) => acc.flatMap((prefix) => alts.map((a) => [...prefix, a])), [[]]).map((and) => ({ and }));
  }
  return [cond];
}

export type Witness = { answers: Answers; state: ScreeningState | undefined };
export type Search = { witness: Witness | undefined; largest: number };

/**
 * `bases`: answers that give each exposure level, tried under the candidates when a condition reads
 * exposure (the candidates' own answers win).
 */
export function searcher(qn: Questionnaire, bases: Answers[]) {
  const index = questionIndex(qn);
  const conditions: Condition[] = [
    ...allQuestions(qn).flatMap((q) => (q.showIf ? [q.showIf] : [])),
    ...qn.recommendations.flatMap((r) => [r.when, ...(r.priorityWhen ?? []).map((p) => p.when)]),
    ...qn.redFlags.map((f) => f.when),
    ...(qn.rating?.caps ?? []).map((c) => c.when),
    ...(qn.rating?.notes ?? []).map((n) => n.when),
    ...(qn.exposure?.rules ?? []).map((r) => r.when),
    ...qn.kpis.flatMap((k) => (k.denominator ? [k.numerator, k.denominator] : [k.numerator])),
  ];
  const mentioned = new Map<string, Array<string | number>>();
  for (const leaf of conditions.flatMap(leaves)) {
    if (!("q" in leaf)) continue;
    const values = "equals" in leaf ? [leaf.equals] : "oneOf" in leaf ? leaf.oneOf : "includes" in leaf ? [leaf.includes] : "allOf" in leaf ? leaf.allOf : "lessThan" in leaf ? [leaf.lessThan] : "atLeast" in leaf ? [leaf.atLeast] : [];
    mentioned.set(leaf.q, [...(mentioned.get(leaf.q) ?? []), ...values]);
  }

  function rawCandidates(q: Question): unknown[] {
    switch (q.type) {
      case "yesno":
        return ["yes", "no", "dont_know"];
      case "single":
        return q.options.map((o) => o.value);
      case "multi": {
        const others = q.options.filter((o) => !o.exclusive).map((o) => o.value);
        return [...q.options.map((o) => [o.value]), others, []];
      }
      case "number":
      case "percent": {
        const thresholds = new Set<number>([0, 100]);
        for (const v of mentioned.get(q.id) ?? []) if (typeof v === "number") thresholds.add(v);
        for (const b of q.scoring ?? []) for (const t of [b.min, b.max]) if (t !== undefined) thresholds.add(t);
        return [...thresholds].flatMap((t) => [t - 1, t, t + 1]);
      }
      case "country": {
        const codes = [...new Set([...(mentioned.get(q.id) ?? []).map(String), ...COUNTRY_KINDS])];
        return q.multiple ? codes.map((c) => [c]) : codes;
      }
      case "text":
        return ["An example answer"];
      case "group":
        return COUNTRY_KINDS.map((country) => [
          Object.fromEntries(q.fields.map((f) => [f.id, f.type === "country" ? country : f.type === "single" ? f.options![0]!.value : "Example"])),
        ]);
    }
  }

  function candidates(q: Question): Array<AnswerValue | undefined> {
    const out = new Map<string, AnswerValue | undefined>([["null", undefined]]);
    for (const raw of rawCandidates(q)) {
      const result = validateAnswer(q, raw, isCountryCode);
      if (result.ok) out.set(JSON.stringify(result.value ?? null), result.value ?? undefined);
    }
    return [...out.values()];
  }

  function dependencies(cond: Condition): string[] {
    const found = new Set<string>();
    const add = (c: Condition) => {
      for (const id of referencedQuestions(c)) {
        if (found.has(id)) continue;
        found.add(id);
        const showIf = index.get(id)?.question.showIf;
        if (showIf) add(showIf);
      }
    };
    add(cond);
    return [...found].sort((a, b) => index.get(a)!.index - index.get(b)!.index);
  }

  /** The first kept answers (and screening state) meeting `cond` for which `holds` is true. */
  function search(cond: Condition, holds: (answers: Answers, state: ScreeningState | undefined) => boolean): Search {
    let largest = 0;
    for (const alt of alternatives(cond)) {
      const questions = dependencies(alt);
      const altLeaves = leaves(alt);
      const states: Array<ScreeningState | undefined> = altLeaves.some((l) => "screening" in l) ? [undefined, ...SCREENING_STATES] : [undefined];
      const under: Answers[] = altLeaves.some((l) => "exposure" in l) ? bases : [{}];
      const lists = questions.map((id) => candidates(index.get(id)!.question));
      const combinations = lists.reduce((n, l) => n * l.length, states.length * under.length);
      largest = Math.max(largest, combinations);
      if (combinations > CAP) continue;
      for (const base of under) {
        const digits = lists.map(() => 0);
        for (let tried = 0; tried < combinations / states.length / under.length; tried++) {
          const raw: Answers = { ...base };
          questions.forEach((id, i) => {
            const value = lists[i]![digits[i]!];
            if (value !== undefined) raw[id] = value;
            else delete raw[id];
          });
          const { answers } = applySkipLogic(qn, raw);
          for (const state of states) if (holds(answers, state)) return { witness: { answers, state }, largest };
          for (let i = digits.length - 1; i >= 0; i--) {
            digits[i]! += 1;
            if (digits[i]! < lists[i]!.length) break;
            digits[i] = 0;
          }
        }
      }
    }
    return { witness: undefined, largest };
  }

  return { search, candidates, dependencies };
}
