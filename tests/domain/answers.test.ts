import { describe, it, expect } from "vitest";
import { sameAnswer, validateAnswer } from "../../app/domain/answers";
import { isCountryCode } from "../../questionnaires/countries";
import { fixture, question } from "./helpers";

const qn = fixture(`themes:
  - id: v
    title: Validation
    questions:
      - {id: v.yn, type: yesno, text: Y/N}
      - {id: v.ynd, type: yesno, text: Y/N/DK, dontKnow: true}
      - id: v.single
        type: single
        text: Single
        options:
          - {value: a, label: A}
          - {value: b, label: B}
      - id: v.multi
        type: multi
        text: Multi
        options:
          - {value: a, label: A}
          - {value: b, label: B}
          - {value: c, label: C}
          - {value: none, label: None of these, exclusive: true}
      - {id: v.count, type: number, text: Count}
      - {id: v.days, type: number, text: Days, min: 1, max: 365}
      - {id: v.pct, type: percent, text: Percent}
      - {id: v.text, type: text, text: Text}
      - {id: v.short, type: text, text: Short text, maxLength: 10}
      - {id: v.country, type: country, text: Country}
      - {id: v.countries, type: country, text: Countries, multiple: true}
      - id: v.entities
        type: group
        text: Suppliers
        itemName: supplier
        maxRows: 3
        fields:
          - {id: name, label: Supplier or site name, type: text}
          - {id: country, label: Country, type: country}
          - id: tier
            label: Tier
            type: single
            options:
              - {value: tier1, label: Tier 1}
              - {value: tier2, label: Tier 2}
          - {id: products, label: Goods or services supplied, type: text, required: false}
`);

const check = (id: string, raw: unknown) => validateAnswer(question(qn, id), raw, isCountryCode);
const ok = (value: unknown) => ({ ok: true, value });
const error = (message: string) => ({ ok: false, error: message });

describe("validateAnswer: blank answers", () => {
  it.each(["v.yn", "v.single", "v.multi", "v.count", "v.pct", "v.text", "v.country", "v.countries", "v.entities"])(
    "%s: undefined, null, whitespace and [] mean no answer",
    (id) => {
      for (const raw of [undefined, null, "", "   ", []]) expect(check(id, raw)).toEqual(ok(null));
    },
  );
});

describe("validateAnswer: yesno", () => {
  it("accepts yes and no", () => {
    expect(check("v.yn", "yes")).toEqual(ok("yes"));
    expect(check("v.yn", "no")).toEqual(ok("no"));
  });
  it("accepts dont_know only when the question offers it", () => {
    expect(check("v.ynd", "dont_know")).toEqual(ok("dont_know"));
    expect(check("v.yn", "dont_know")).toEqual(error("Select yes or no"));
  });
  it.each([["maybe"], ["Yes"], [true], [1], [["yes"]]])("rejects %j", (raw) => {
    expect(check("v.yn", raw)).toEqual(error("Select yes or no"));
  });
});

describe("validateAnswer: single", () => {
  it("accepts an option value", () => {
    expect(check("v.single", "b")).toEqual(ok("b"));
  });
  it.each([["z"], ["A"], [1], [["a"]]])("rejects %j", (raw) => {
    expect(check("v.single", raw)).toEqual(error("Select one of the options"));
  });
});

describe("validateAnswer: multi", () => {
  it("accepts a list, in the questionnaire's order and without repeats", () => {
    expect(check("v.multi", ["c", "a", "c"])).toEqual(ok(["a", "c"]));
  });
  it("accepts one value given as a string", () => {
    expect(check("v.multi", "b")).toEqual(ok(["b"]));
  });
  it("accepts the exclusive option on its own", () => {
    expect(check("v.multi", ["none"])).toEqual(ok(["none"]));
    expect(check("v.multi", ["none", "none"])).toEqual(ok(["none"]));
  });
  it("rejects the exclusive option combined with another", () => {
    expect(check("v.multi", ["a", "none"])).toEqual(error("Select 'None of these' on its own, or choose other options without it"));
  });
  it("rejects an unknown value", () => {
    expect(check("v.multi", ["a", "zzz"])).toEqual(error("'zzz' is not one of the options"));
  });
  it.each([[5], [[1, 2]], [{ a: true }]])("rejects %j", (raw) => {
    expect(check("v.multi", raw)).toEqual(error("Select one or more of the options"));
  });
});

describe("validateAnswer: number", () => {
  it.each([
    [12, 12],
    ["12", 12],
    [" 42 ", 42],
    ["1,000", 1000],
    ["7.0", 7],
    [0, 0],
  ])("accepts %j as %d", (raw, value) => {
    expect(check("v.count", raw)).toEqual(ok(value));
  });
  it.each([["abc"], ["1.5"], [1.5], ["1e3"], [Number.NaN], [Number.POSITIVE_INFINITY], [true]])("rejects %j as not a whole number", (raw) => {
    expect(check("v.count", raw)).toEqual(error("Enter a whole number, like 12"));
  });
  it("checks min (0 by default) and max", () => {
    expect(check("v.count", -1)).toEqual(error("Enter a number of 0 or more"));
    expect(check("v.days", 0)).toEqual(error("Enter a number of 1 or more"));
    expect(check("v.days", 1)).toEqual(ok(1));
    expect(check("v.days", 365)).toEqual(ok(365));
    expect(check("v.days", "366")).toEqual(error("Enter a number of 365 or less"));
  });
});

describe("validateAnswer: percent", () => {
  it.each([
    [75, 75],
    ["75", 75],
    ["75%", 75],
    [" 12.5 ", 12.5],
    [12.34, 12.3],
    [12.36, 12.4],
    [0, 0],
    [100, 100],
  ])("accepts %j as %d", (raw, value) => {
    expect(check("v.pct", raw)).toEqual(ok(value));
  });
  it.each([["lots"], ["%"], [[50]]])("rejects %j as not a number", (raw) => {
    expect(check("v.pct", raw)).toEqual(error("Enter a percentage as a number, like 75"));
  });
  it.each([[101], [-1], ["100.1"], [-0.01]])("rejects %j as out of range", (raw) => {
    expect(check("v.pct", raw)).toEqual(error("Enter a percentage between 0 and 100"));
  });
});

describe("validateAnswer: text", () => {
  it("trims the answer", () => {
    expect(check("v.text", "  hello  ")).toEqual(ok("hello"));
  });
  it("rejects text over maxLength, counting the trimmed text", () => {
    expect(check("v.short", "0123456789")).toEqual(ok("0123456789"));
    expect(check("v.short", "  0123456789  ")).toEqual(ok("0123456789"));
    expect(check("v.short", "01234567890")).toEqual(error("Answer must be 10 characters or fewer (you entered 11)"));
  });
  it("defaults maxLength to 2000", () => {
    expect(check("v.text", "x".repeat(2000))).toEqual(ok("x".repeat(2000)));
    expect(check("v.text", "x".repeat(2001))).toEqual(error("Answer must be 2000 characters or fewer (you entered 2001)"));
  });
  it("rejects a non-string", () => {
    expect(check("v.text", 12)).toEqual(error("Enter your answer as text"));
  });
});

describe("validateAnswer: country", () => {
  it("accepts a code, upper-casing and trimming it", () => {
    expect(check("v.country", "GB")).toEqual(ok("GB"));
    expect(check("v.country", " fr ")).toEqual(ok("FR"));
    expect(check("v.country", ["de", "DE"])).toEqual(ok("DE"));
  });
  it("accepts Kosovo's code XK", () => {
    expect(check("v.country", "XK")).toEqual(ok("XK"));
  });
  it("rejects a code that is not a country", () => {
    expect(check("v.country", "ZZ")).toEqual(error("'ZZ' is not a country in the list; select a country from the list"));
    expect(check("v.country", "United Kingdom")).toEqual(error("'UNITED KINGDOM' is not a country in the list; select a country from the list"));
  });
  it("rejects two countries for a single-country question", () => {
    expect(check("v.country", ["GB", "FR"])).toEqual(error("Select one country"));
  });
  it("rejects a non-string", () => {
    expect(check("v.country", 44)).toEqual(error("Select a country from the list"));
  });
  it("multiple: a list of codes, de-duplicated", () => {
    expect(check("v.countries", ["fr", "GB", "FR"])).toEqual(ok(["FR", "GB"]));
    expect(check("v.countries", "cn")).toEqual(ok(["CN"]));
    expect(check("v.countries", ["GB", "XX"])).toEqual(error("'XX' is not a country in the list; select a country from the list"));
  });
  it("uses the country check it is given", () => {
    expect(validateAnswer(question(qn, "v.country"), "GB", () => false)).toEqual(
      error("'GB' is not a country in the list; select a country from the list"),
    );
  });
});

describe("validateAnswer: group", () => {
  const row = { name: "Acme Ltd", country: "gb", tier: "tier1", products: "Uniforms" };

  it("accepts rows, trimming text and upper-casing countries", () => {
    expect(check("v.entities", [{ ...row, name: "  Acme Ltd " }])).toEqual(
      ok([{ name: "Acme Ltd", country: "GB", tier: "tier1", products: "Uniforms" }]),
    );
  });
  it("leaves out an optional field left blank", () => {
    expect(check("v.entities", [{ name: "Acme", country: "FR", tier: "tier2", products: " " }])).toEqual(
      ok([{ name: "Acme", country: "FR", tier: "tier2" }]),
    );
  });
  it("drops empty rows, and a list of empty rows is no answer", () => {
    expect(check("v.entities", [{}, { name: "", country: "  " }, row])).toEqual(
      ok([{ name: "Acme Ltd", country: "GB", tier: "tier1", products: "Uniforms" }]),
    );
    expect(check("v.entities", [{}, { name: " " }])).toEqual(ok(null));
  });
  it("rejects an unknown field", () => {
    expect(check("v.entities", [{ ...row, colour: "red" }])).toEqual(error("supplier 1 has an unknown field 'colour'"));
  });
  it("rejects a missing required field, numbering rows as entered, and keeps every row as a draft", () => {
    expect(check("v.entities", [{ name: "Acme", country: "GB" }])).toEqual({
      ...error("Supplier 1: tier is missing"),
      incomplete: { complete: null, rows: [{ name: "Acme", country: "GB" }] },
    });
    expect(check("v.entities", [row, {}, { name: "Beta", tier: "tier1" }])).toEqual({
      ...error("Supplier 3: country is missing"),
      incomplete: {
        complete: [{ name: "Acme Ltd", country: "GB", tier: "tier1", products: "Uniforms" }],
        rows: [{ name: "Acme Ltd", country: "GB", tier: "tier1", products: "Uniforms" }, { name: "Beta", tier: "tier1" }],
      },
    });
  });
  it("reports a bad value before keeping a draft: only missing fields make a row a draft", () => {
    expect(check("v.entities", [{ name: "Acme" }, { ...row, country: "ZZ" }])).toEqual(error("Supplier 2: country: select a country from the list"));
  });
  it("rejects a bad country or option in a row", () => {
    expect(check("v.entities", [{ ...row, country: "ZZ" }])).toEqual(error("Supplier 1: country: select a country from the list"));
    expect(check("v.entities", [{ ...row, tier: "tier9" }])).toEqual(error("Supplier 1: tier: select one of the options"));
  });
  it("rejects a field over 200 characters, or not text", () => {
    expect(check("v.entities", [{ ...row, name: "n".repeat(200) }])).toEqual(ok([{ ...row, name: "n".repeat(200), country: "GB" }]));
    expect(check("v.entities", [{ ...row, name: "n".repeat(201) }])).toEqual(error("Supplier 1: supplier or site name must be 200 characters or fewer"));
    expect(check("v.entities", [{ ...row, name: 5 }])).toEqual(error("Supplier 1: supplier or site name must be text"));
  });
  it("rejects something that is not a list of rows", () => {
    expect(check("v.entities", { name: "Acme" })).toEqual(error("Enter each supplier as a row"));
    expect(check("v.entities", ["Acme"])).toEqual(error("supplier 1 is not a row of fields"));
    expect(check("v.entities", [row, ["Acme"]])).toEqual(error("supplier 2 is not a row of fields"));
  });
  it("rejects more than maxRows rows", () => {
    expect(check("v.entities", [row, row, row])).toEqual(ok([1, 2, 3].map(() => ({ ...row, country: "GB" }))));
    expect(check("v.entities", [row, row, row, row])).toEqual(error("Enter 3 suppliers or fewer"));
  });
});

describe("sameAnswer", () => {
  it("compares answers by value, treating missing and null alike", () => {
    expect(sameAnswer(["a", "b"], ["a", "b"])).toBe(true);
    expect(sameAnswer(["a", "b"], ["b", "a"])).toBe(false);
    expect(sameAnswer(undefined, null)).toBe(true);
    expect(sameAnswer(5, "5")).toBe(false);
  });
});
