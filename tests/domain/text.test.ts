import { describe, expect, it } from "vitest";
import { indefiniteArticle, nounFor, plural } from "../../app/domain/text";

describe("plural", () => {
  it("agrees the noun with the count", () => {
    expect(plural(0, "match", "matches")).toBe("0 matches");
    expect(plural(1, "match", "matches")).toBe("1 match");
    expect(plural(2, "match", "matches")).toBe("2 matches");
    expect(plural(1, "possible match", "possible matches")).toBe("1 possible match");
  });

  it("adds an s when no plural is given", () => {
    expect(plural(1, "supplier")).toBe("1 supplier");
    expect(plural(3, "supplier")).toBe("3 suppliers");
  });

  it("writes counts with thousands separators", () => {
    expect(plural(12_345, "contract")).toBe("12,345 contracts");
  });

  it("treats only exactly one as singular", () => {
    expect(plural(-1, "point")).toBe("-1 points");
    expect(plural(1.5, "point")).toBe("1.5 points");
  });
});

describe("nounFor", () => {
  it("gives the noun alone, for a count written elsewhere", () => {
    expect(`3 of 1 ${nounFor(1, "question")}`).toBe("3 of 1 question");
    expect(`3 of 4 ${nounFor(4, "question")}`).toBe("3 of 4 questions");
    expect(nounFor(2, "person", "people")).toBe("people");
  });
});

describe("indefiniteArticle", () => {
  it("is an before a vowel and a before a consonant", () => {
    expect(indefiniteArticle("Administrator")).toBe("an");
    expect(indefiniteArticle("analyst")).toBe("an");
    expect(indefiniteArticle("contract manager")).toBe("a");
    expect(indefiniteArticle("Contributor")).toBe("a");
  });
});
