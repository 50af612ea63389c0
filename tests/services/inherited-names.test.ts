/**
 * Names that came from outside (a query string, a form field, a supplier's name) looked up in an
 * object match only its own keys: never what every object inherits (__proto__, constructor,
 * toString, hasOwnProperty, valueOf).
 */
import { describe, expect, it } from "vitest";
import { validateAnswer } from "../../app/domain/answers";
import { formatAnswer } from "../../app/domain/format-answer";
import { normaliseCompanyName } from "../../app/domain/name-matching";
import { isOwnKey, ownValue } from "../../app/domain/own-keys";
import { fieldKey } from "../../app/domain/page-visibility";
import { readPostedAnswer } from "../../app/services/answer-form.server";
import { readContractQuery } from "../../app/services/contracts-register.server";
import { loadQuestionnaire } from "../../questionnaires/format";

/** A published version, read on its own: these checks do not depend on which version is current. */
const questionnaire = () => loadQuestionnaire("questionnaires/msat/msat-1.1.0.yaml");

const INHERITED = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf", "isPrototypeOf"];

describe("own keys only", () => {
  it("isOwnKey and ownValue see an object's own entries and nothing it inherits", () => {
    const labels = { gold: "Gold", silver: "Silver" };
    expect(isOwnKey(labels, "gold")).toBe(true);
    expect(ownValue(labels, "silver")).toBe("Silver");
    for (const name of [...INHERITED, "", null, undefined]) {
      expect(isOwnKey(labels, name)).toBe(false);
      expect(ownValue(labels, name)).toBeUndefined();
    }
  });

  it("the register's sort falls back to the default for an inherited name, in any column or filter", () => {
    const byDefault = readContractQuery(new URLSearchParams());
    for (const name of INHERITED) {
      for (const param of ["sort", "direction", "tier", "risk", "status", "page"]) {
        expect(readContractQuery(new URLSearchParams({ [param]: name }))).toEqual(byDefault);
      }
    }
    expect(readContractQuery(new URLSearchParams({ sort: "end" })).sort).toBe("end");
  });

  it("a supplier named like an inherited property is matched by its words, not by Object's", () => {
    expect(normaliseCompanyName("Constructor Toolmakers Ltd")).toBe("constructor toolmakers");
    expect(normaliseCompanyName("The Valueof & Constructor Co")).toBe("constructor valueof");
  });

  it("a yes/no answer is written out only for its own values", () => {
    const question = questionnaire().themes.flatMap((t) => t.questions).find((q) => q.type === "yesno")!;
    expect(formatAnswer(question, "dont_know", (c) => c)).toBe("I don't know");
    expect(formatAnswer(question, "constructor", (c) => c)).toBe("constructor");
  });

  it("a group row's field named __proto__ in a posted theme form is an unknown field, like any other", () => {
    const question = questionnaire().themes.flatMap((t) => t.questions).find((q) => q.id === "mapping.entities")!;
    expect(question.type).toBe("group");
    const key = fieldKey(question.id);
    for (const name of ["not_a_field", "__proto__", "constructor"]) {
      const form = new FormData();
      form.set(`${key}.0.name`, "Acme Mill");
      form.set(`${key}.0.${name}`, "x");
      const posted = readPostedAnswer(form, question);
      const checked = validateAnswer(question, posted.raw, () => true);
      expect(checked).toEqual({ ok: false, error: `supplier 1 has an unknown field '${name}'` });
    }
  });
});
