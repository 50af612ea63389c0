import { describe, it, expect } from "vitest";
import { join } from "node:path";
import { stringify } from "yaml";
import { QuestionnaireError, loadQuestionnaire, parseQuestionnaire } from "../../questionnaires/format";
import { fixturePath } from "./helpers";

/** A small valid questionnaire as a plain object; each test breaks one thing in a copy. */
type Doc = Record<string, any>;

function base(): Doc {
  return {
    id: "broken",
    version: "1.0.0",
    title: "Broken",
    bands: [
      { id: "high", label: "High risk", min: 0 },
      { id: "low", label: "Low risk", min: 50 },
    ],
    redFlagBand: "high",
    themes: [
      {
        id: "a",
        title: "A",
        questions: [
          { id: "a.one", type: "yesno", text: "One", points: { yes: 2, no: 0 } },
          {
            id: "a.two",
            type: "single",
            text: "Two",
            showIf: { q: "a.one", equals: "yes" },
            options: [
              { value: "x", label: "X", points: 1 },
              { value: "y", label: "Y", points: 2 },
            ],
          },
          {
            id: "a.three",
            type: "multi",
            text: "Three",
            options: [
              { value: "p", label: "P", points: 1 },
              { value: "q", label: "Q", points: 1 },
              { value: "none", label: "None", exclusive: true },
            ],
          },
          { id: "a.pct", type: "percent", text: "Percent", scoring: [{ min: 50, points: 1 }] },
        ],
      },
      { id: "b", title: "B", questions: [{ id: "b.one", type: "yesno", text: "B one", dontKnow: true }] },
    ],
    recommendations: [
      { id: "REC-1", theme: "a", title: "T", why: "W", good: "G", priority: "high", when: { q: "a.one", equals: "no" } },
    ],
    redFlags: [{ id: "RF-1", title: "T", description: "D", when: { q: "a.two", equals: "x" } }],
    kpis: [{ id: "k", title: "K", numerator: { q: "a.one", equals: "yes" }, denominator: { q: "b.one", answered: true } }],
  };
}

const FILE = "broken-1.0.0.yaml";

/** The error thrown for a copy of the base questionnaire changed by `change`. */
function errorFor(change: (doc: Doc) => void): QuestionnaireError {
  const doc = base();
  change(doc);
  return errorForText(stringify(doc));
}

function errorForText(text: string): QuestionnaireError {
  return thrown(() => parseQuestionnaire(text, FILE));
}

/** The QuestionnaireError `load` throws; fails the test when it throws nothing or something else. */
function thrown(load: () => unknown): QuestionnaireError {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(QuestionnaireError);
    return error as QuestionnaireError;
  }
  throw new Error("expected the questionnaire to be rejected");
}

/** Asserts the error names the file and has exactly this problem. */
function expectProblem(error: QuestionnaireError, problem: string) {
  expect(error.file).toBe(FILE);
  expect(error.problems).toEqual([problem]);
  expect(error.message).toBe(`${FILE}: ${problem}`);
  expect(error.name).toBe("QuestionnaireError");
}

const theme0 = (doc: Doc) => doc.themes[0];
const q = (doc: Doc, i: number) => doc.themes[0].questions[i];

describe("parseQuestionnaire: a valid file", () => {
  it("loads the base fixture and fills in defaults", () => {
    const qn = parseQuestionnaire(stringify(base()), FILE);
    expect(qn.themes.map((t) => [t.id, t.weight, t.questions.length])).toEqual([
      ["a", 1, 4],
      ["b", 1, 1],
    ]);
    const [one, two, three] = qn.themes[0]!.questions;
    expect(one).toMatchObject({ required: true, dontKnow: false, points: { yes: 2, no: 0 } });
    expect(two?.type === "single" && two.options.map((o) => o.points)).toEqual([1, 2]);
    expect(three?.type === "multi" && three.options[2]).toEqual({ value: "none", label: "None", exclusive: true, points: 0 });
  });

  it("loads a fixture file with loadQuestionnaire", () => {
    const qn = loadQuestionnaire(fixturePath("valid.yaml"));
    expect(qn.id).toBe("valid");
    expect(qn.themes.flatMap((t) => t.questions.map((x) => x.id))).toEqual(["basics.has_policy", "basics.policy_scope", "basics.notes"]);
  });
});

describe("parseQuestionnaire: unknown question ids", () => {
  it("in a showIf", () => {
    expectProblem(
      errorFor((d) => (q(d, 1).showIf = { q: "a.nope", equals: "yes" })),
      "themes[0].questions[1].showIf.q: unknown question id 'a.nope'",
    );
  });

  it("in a recommendation, nested in and/not", () => {
    expectProblem(
      errorFor((d) => (d.recommendations[0].when = { and: [{ q: "a.one", equals: "no" }, { not: { q: "a.nope", answered: true } }] })),
      "recommendations[0].when.and[1].not.q: unknown question id 'a.nope'",
    );
  });

  it("in a red flag, inside an or", () => {
    expectProblem(
      errorFor((d) => (d.redFlags[0].when = { or: [{ q: "a.two", equals: "x" }, { q: "z.z", equals: "yes" }] })),
      "redFlags[0].when.or[1].q: unknown question id 'z.z'",
    );
  });

  it("in a KPI numerator and denominator", () => {
    expectProblem(errorFor((d) => (d.kpis[0].numerator = { q: "a.nope", equals: "yes" })), "kpis[0].numerator.q: unknown question id 'a.nope'");
    expectProblem(errorFor((d) => (d.kpis[0].denominator = { q: "b.nope", answered: true })), "kpis[0].denominator.q: unknown question id 'b.nope'");
  });
});

describe("parseQuestionnaire: values that are not options", () => {
  it("yesno value in a showIf", () => {
    expectProblem(
      errorFor((d) => (q(d, 1).showIf = { q: "a.one", equals: "maybe" })),
      "themes[0].questions[1].showIf.equals: 'maybe' is not an option of 'a.one' (options: yes, no)",
    );
  });

  it("dont_know on a yesno question that does not offer it", () => {
    expectProblem(
      errorFor((d) => (d.recommendations[0].when = { q: "a.one", oneOf: ["no", "dont_know"] })),
      "recommendations[0].when.oneOf[1]: 'dont_know' is not an option of 'a.one' (options: yes, no)",
    );
  });

  it("single option value in a red flag", () => {
    expectProblem(
      errorFor((d) => (d.redFlags[0].when = { q: "a.two", equals: "z" })),
      "redFlags[0].when.equals: 'z' is not an option of 'a.two' (options: x, y)",
    );
  });

  it("multi option value in includes and allOf", () => {
    expectProblem(
      errorFor((d) => (d.recommendations[0].when = { q: "a.three", includes: "r" })),
      "recommendations[0].when.includes: 'r' is not an option of 'a.three' (options: p, q, none)",
    );
    expectProblem(
      errorFor((d) => (d.kpis[0].numerator = { q: "a.three", allOf: ["p", "r"] })),
      "kpis[0].numerator.allOf[1]: 'r' is not an option of 'a.three' (options: p, q, none)",
    );
  });

  it("operators that do not fit the question", () => {
    expectProblem(
      errorFor((d) => (d.recommendations[0].when = { q: "a.three", equals: "p" })),
      "recommendations[0].when.equals: 'a.three' holds a list; use includes or allOf",
    );
    expectProblem(
      errorFor((d) => (d.recommendations[0].when = { q: "a.two", includes: "x" })),
      "recommendations[0].when: 'a.two' holds one value; use equals or oneOf",
    );
    expectProblem(
      errorFor((d) => (d.recommendations[0].when = { q: "a.one", lessThan: 3 })),
      "recommendations[0].when: 'a.one' is a yesno question; lessThan and atLeast need a number or percent",
    );
    expectProblem(
      errorFor((d) => (d.recommendations[0].when = { q: "a.pct", equals: "50" })),
      "recommendations[0].when.equals: 'a.pct' is a percent question; compare it with a number",
    );
  });
});

describe("parseQuestionnaire: showIf order", () => {
  const later = (d: Doc) => (q(d, 0).showIf = { q: "a.two", equals: "x" });
  const self = (d: Doc) => (q(d, 1).showIf = { q: "a.two", equals: "x" });

  it("rejects a showIf on a later question, at the showIf's path", () => {
    const error = errorFor(later);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^themes\[0\]\.questions\[0\]\.showIf\.q: /);
  });

  it("says the question referred to is not earlier (a later question)", () => {
    expectProblem(errorFor(later), "themes[0].questions[0].showIf.q: showIf refers to 'a.two', which is not earlier in the questionnaire");
  });

  it("rejects a showIf on the question itself, at the showIf's path", () => {
    const error = errorFor(self);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^themes\[0\]\.questions\[1\]\.showIf\.q: /);
  });

  it("says the question referred to is not earlier (the question itself)", () => {
    expectProblem(errorFor(self), "themes[0].questions[1].showIf.q: showIf refers to 'a.two', which is not earlier in the questionnaire");
  });

  it("accepts a showIf on a question in an earlier theme", () => {
    const doc = base();
    doc.themes[1].questions[0].showIf = { q: "a.three", includes: "p" };
    expect(() => parseQuestionnaire(stringify(doc), FILE)).not.toThrow();
  });
});

describe("parseQuestionnaire: duplicates", () => {
  it("question id, across themes", () => {
    expectProblem(
      errorFor((d) => d.themes[1].questions.push({ id: "a.one", type: "text", text: "Again" })),
      "themes[1].questions[1].id: duplicate question id 'a.one'",
    );
  });

  it("option value", () => {
    expectProblem(
      errorFor((d) => (q(d, 1).options[1].value = "x")),
      "themes[0].questions[1].options[1].value: duplicate option value 'x'",
    );
  });

  it("theme id, recommendation id, red flag id, KPI id, band id", () => {
    expectProblem(errorFor((d) => (d.themes[1].id = "a")), "themes[1].id: duplicate theme id 'a'");
    expectProblem(
      errorFor((d) => d.recommendations.push({ ...d.recommendations[0] })),
      "recommendations[1].id: duplicate recommendation id 'REC-1'",
    );
    expectProblem(errorFor((d) => d.redFlags.push({ ...d.redFlags[0] })), "redFlags[1].id: duplicate red flag id 'RF-1'");
    expectProblem(errorFor((d) => d.kpis.push({ ...d.kpis[0] })), "kpis[1].id: duplicate KPI id 'k'");
    expectProblem(errorFor((d) => (d.bands[1].id = "high")), "bands[1].id: duplicate band id 'high'");
  });
});

describe("parseQuestionnaire: points", () => {
  it("11 points is out of range", () => {
    expectProblem(errorFor((d) => (q(d, 0).points.yes = 11)), "themes[0].questions[0].points.yes: points must be between 0 and 10, got 11");
  });

  it("-1 points is out of range", () => {
    expectProblem(
      errorFor((d) => (q(d, 1).options[0].points = -1)),
      "themes[0].questions[1].options[0].points: points must be between 0 and 10, got -1",
    );
  });

  it("0 and 10 are in range", () => {
    const doc = base();
    q(doc, 0).points = { yes: 10, no: 0 };
    expect(() => parseQuestionnaire(stringify(doc), FILE)).not.toThrow();
  });

  it("checks scoring bands and maxPoints too", () => {
    expectProblem(errorFor((d) => (q(d, 3).scoring[0].points = 11)), "themes[0].questions[3].scoring[0].points: points must be between 0 and 10, got 11");
    expectProblem(errorFor((d) => (q(d, 2).maxPoints = -1)), "themes[0].questions[2].maxPoints: points must be between 0 and 10, got -1");
  });

  it("an exclusive option must score 0, and only multiple-choice questions have one", () => {
    expectProblem(
      errorFor((d) => (q(d, 2).options[2].points = 1)),
      'themes[0].questions[2].options[2].points: an exclusive "none" option must score 0',
    );
    expectProblem(errorFor((d) => Object.assign(q(d, 1).options[0], { exclusive: true, points: 0 })), "themes[0].questions[1]: exclusive only applies to multiple-choice questions");
  });

  it("points must be whole numbers", () => {
    expectProblem(errorFor((d) => (q(d, 0).points.no = 1.5)), "themes[0].questions[0].points.no: must be a whole number");
  });
});

describe("parseQuestionnaire: shape of the file", () => {
  it("invalid YAML", () => {
    const error = errorForText("id: broken\nthemes: [ {\n");
    expect(error.file).toBe(FILE);
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^not valid YAML: .+ at line \d+, column \d+/);
    expect(error.message).toBe(`${FILE}: ${error.problems[0]}`);
  });

  it("a missing required field of a question", () => {
    expectProblem(
      errorFor((d) => delete q(d, 0).text),
      "themes[0].questions[0].text: Invalid input: expected string, received undefined",
    );
  });

  it("a missing required top-level field", () => {
    expectProblem(
      errorFor((d) => delete d.title),
      "title: Invalid input: expected string, received undefined",
    );
  });

  it("an unknown question type", () => {
    const error = errorFor((d) => (q(d, 0).type = "essay"));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(/^themes\[0\]\.questions\[0\]\.type: Invalid discriminator value/);
  });

  it("an unknown field", () => {
    const error = errorFor((d) => (q(d, 0).colour = "red"));
    expect(error.problems).toEqual([expect.stringMatching(/^themes\[0\]\.questions\[0\]: .*colour/)]);
  });

  it("the top level is not a mapping", () => {
    expect(errorForText("just a string\n").problems).toEqual([expect.stringMatching(/^\(top\): /)]);
  });

  it("a redFlagBand that is not a band", () => {
    expectProblem(errorFor((d) => (d.redFlagBand = "purple")), "redFlagBand: unknown band 'purple'");
  });

  it("no band starting at 0", () => {
    expectProblem(errorFor((d) => (d.bands[0].min = 10)), "bands: one band must start at min 0");
  });

  it("a recommendation for an unknown theme", () => {
    expectProblem(errorFor((d) => (d.recommendations[0].theme = "zz")), "recommendations[0].theme: unknown theme 'zz'");
  });

  it("lists every problem, joined by '; '", () => {
    const error = errorFor((d) => {
      d.redFlagBand = "purple";
      q(d, 0).points.yes = 11;
    });
    expect(error.problems).toEqual([
      "themes[0].questions[0].points.yes: points must be between 0 and 10, got 11",
      "redFlagBand: unknown band 'purple'",
    ]);
    expect(error.message).toBe(
      `${FILE}: themes[0].questions[0].points.yes: points must be between 0 and 10, got 11; redFlagBand: unknown band 'purple'`,
    );
  });
});

describe("loadQuestionnaire", () => {
  it("names a missing file by its base name", () => {
    const path = join(fixturePath(""), "does-not-exist-1.0.0.yaml");
    const error = thrown(() => loadQuestionnaire(path));
    expect(error.file).toBe("does-not-exist-1.0.0.yaml");
    expect(error.problems).toEqual([`cannot be read: ENOENT: no such file or directory, open '${path}'`]);
    expect(error.message).toBe(`does-not-exist-1.0.0.yaml: cannot be read: ENOENT: no such file or directory, open '${path}'`);
  });

  it("names a broken fixture file by its base name and the path inside it", () => {
    const error = thrown(() => loadQuestionnaire(fixturePath("unknown-question.yaml")));
    expect(error.file).toBe("unknown-question.yaml");
    expect(error.problems).toEqual(["themes[0].questions[1].showIf.q: unknown question id 'basics.has_polcy'"]);
    expect(error.message).toBe("unknown-question.yaml: themes[0].questions[1].showIf.q: unknown question id 'basics.has_polcy'");
  });

  it("reports invalid YAML in a fixture file", () => {
    const error = thrown(() => loadQuestionnaire(fixturePath("invalid-yaml.yaml")));
    expect(error.file).toBe("invalid-yaml.yaml");
    expect(error.message).toMatch(/^invalid-yaml\.yaml: not valid YAML: .+ at line \d+, column \d+/);
  });
});
