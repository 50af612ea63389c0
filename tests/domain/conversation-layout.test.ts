import { describe, expect, it } from "vitest";
import { FLAGGED_SECTION_ID, FLAGGED_SECTION_TITLE, flaggedBecause, sectionSummary, verificationSections } from "../../app/domain/conversation-layout";

const questions = [
  { id: "q1", themeId: "gov", themeTitle: "Governance" },
  { id: "q2", themeId: "gov", themeTitle: "Governance" },
  { id: "q3", themeId: "risk", themeTitle: "Risk management" },
  { id: "q4", themeId: "risk", themeTitle: "Risk management" },
  { id: "q5", themeId: "training", themeTitle: "Training" },
];
const selfDeclared = () => "self_declared";

describe("the verification sections of the conversation form", () => {
  it("start with the answers behind red flags and discussed recommendations, in questionnaire order, each answer once", () => {
    const sections = verificationSections({
      questions,
      redFlags: [{ title: "Recruitment fees", questionIds: ["q3", "q1"] }],
      discussed: [{ title: "Train buyers", questionIds: ["q1", "q5"] }],
      levelOf: selfDeclared,
    });
    expect(sections.map((s) => [s.id, s.title, s.questionIds])).toEqual([
      [FLAGGED_SECTION_ID, FLAGGED_SECTION_TITLE, ["q1", "q3", "q5"]],
      ["theme-gov", "Governance", ["q2"]],
      ["theme-risk", "Risk management", ["q4"]],
    ]);
    expect(sections.flatMap((s) => s.questionIds).sort()).toEqual(["q1", "q2", "q3", "q4", "q5"]);
  });

  it("leave out the first section when nothing is flagged or discussed, and a theme left empty", () => {
    expect(verificationSections({ questions, redFlags: [], discussed: [], levelOf: selfDeclared }).map((s) => s.id)).toEqual(["theme-gov", "theme-risk", "theme-training"]);
    // A flag raised by an answer no longer in the list (not answered) adds nothing.
    expect(verificationSections({ questions: questions.slice(0, 2), redFlags: [{ title: "x", questionIds: ["q9"] }], discussed: [], levelOf: selfDeclared }).map((s) => s.id)).toEqual(["theme-gov"]);
  });

  it("count the answers checked and mark the sections that hold an error", () => {
    const levels: Record<string, string> = { q1: "verified", q2: "evidence_seen", q3: "self_declared", q4: "bogus" };
    const sections = verificationSections({ questions, redFlags: [], discussed: [], levelOf: (id) => levels[id] ?? "self_declared", errorIds: new Set(["q4"]) });
    expect(sections.map((s) => [s.id, s.checked, s.hasError])).toEqual([
      ["theme-gov", 2, false],
      ["theme-risk", 0, true],
      ["theme-training", 0, false],
    ]);
  });

  it("say what a section holds in words", () => {
    expect(sectionSummary({ questionIds: ["q1"], checked: 0 })).toBe("1 answer, 0 evidence seen or verified");
    expect(sectionSummary({ questionIds: ["q1", "q2", "q3"], checked: 2 })).toBe("3 answers, 2 evidence seen or verified");
  });

  it("say why each flagged answer is there", () => {
    const because = flaggedBecause({ redFlags: [{ title: "Recruitment fees", questionIds: ["q1", "q1"] }], discussed: [{ title: "Train buyers", questionIds: ["q1", "q2"] }] });
    expect(because.get("q1")).toEqual(["Red flag: Recruitment fees", "Recommendation discussed: Train buyers"]);
    expect(because.get("q2")).toEqual(["Recommendation discussed: Train buyers"]);
    expect(because.get("q3")).toBeUndefined();
  });
});
