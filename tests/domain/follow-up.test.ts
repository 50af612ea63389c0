/** The one rule for what needs follow-up, on every combination of its facts. */
import { describe, expect, it } from "vitest";
import { callsForFollowUp, followUpFor, followUpSummary, orderByFollowUp, type FollowUpFacts } from "../../app/domain/follow-up";
import { ratingNote } from "../../app/domain/rating-note";

const BANDS = [
  { id: "high", label: "High risk", min: 0 },
  { id: "medium", label: "Medium risk", min: 40 },
  { id: "low", label: "Low risk", min: 70 },
];
const band = (id: string) => ({ id, label: BANDS.find((b) => b.id === id)!.label });
const TODAY = "2026-12-07";

function facts(over: Partial<FollowUpFacts>): FollowUpFacts {
  return { redFlags: [], band: band("low"), bands: BANDS, conversationFinished: false, nextReviewOn: null, current: true, today: TODAY, ...over };
}

describe("followUpFor", () => {
  const flag = [{ title: "Serious signs of forced labour" }];
  // Every combination: red flag (none, open, cleared), High or not, review due or not, with or without a finished conversation.
  const cases: Array<[string, Partial<FollowUpFacts>, string[]]> = [
    ["nothing to follow up", {}, []],
    ["a red flag, no conversation", { redFlags: flag }, ["red_flags"]],
    ["a red flag, cleared by a finished conversation", { redFlags: flag, conversationFinished: true }, []],
    ["a red flag cleared, review not yet due", { redFlags: flag, conversationFinished: true, nextReviewOn: "2026-12-08" }, []],
    ["a red flag cleared, review due today", { redFlags: flag, conversationFinished: true, nextReviewOn: TODAY }, ["review_due"]],
    ["rated High, no conversation", { band: band("high") }, ["high_risk"]],
    ["rated High, after a finished conversation: still High", { band: band("high"), conversationFinished: true, nextReviewOn: "2027-03-07" }, ["high_risk"]],
    ["rated High with an open red flag", { band: band("high"), redFlags: flag }, ["red_flags", "high_risk"]],
    ["rated High, red flag cleared, review overdue", { band: band("high"), redFlags: flag, conversationFinished: true, nextReviewOn: "2026-11-01" }, ["high_risk", "review_due"]],
    ["Medium, review overdue", { band: band("medium"), conversationFinished: true, nextReviewOn: "2026-01-01" }, ["review_due"]],
    ["a review date without a finished conversation is no review", { nextReviewOn: "2026-01-01" }, []],
  ];
  for (const [name, over, kinds] of cases) {
    it(name, () => {
      const f = followUpFor(facts(over));
      expect(f.reasons.map((r) => r.kind)).toEqual(kinds);
      expect(f.needed).toBe(kinds.length > 0);
      expect(f.redFlagRank).toBe(kinds.includes("red_flags") ? 0 : 1);
    });
  }

  it("a superseded result never needs follow-up: the supplier's current one does", () => {
    expect(followUpFor(facts({ redFlags: flag, band: band("high"), current: false }))).toMatchObject({ needed: false, reasons: [] });
  });

  it("counts only red flags still open, and names them", () => {
    const f = followUpFor(facts({ redFlags: [{ title: "A" }, { title: "B" }] }));
    expect(f.openRedFlags).toBe(2);
    expect(f.reasons[0]).toEqual({ kind: "red_flags", titles: ["A", "B"] });
  });

  it("the highest-risk band is the one with the lowest minimum, whatever its id", () => {
    const bands = [
      { id: "b", label: "Better", min: 50 },
      { id: "w", label: "Worse", min: 0 },
    ];
    expect(followUpFor(facts({ bands, band: { id: "w", label: "Worse" } })).reasons).toEqual([{ kind: "high_risk", band: "Worse" }]);
    expect(followUpFor(facts({ bands, band: { id: "b", label: "Better" } })).needed).toBe(false);
  });
});

describe("callsForFollowUp (what the statistics count)", () => {
  it("a red flag or the highest-risk band, nothing else", () => {
    expect(callsForFollowUp({ redFlags: [{}], band: { id: "low" } }, BANDS)).toBe(true);
    expect(callsForFollowUp({ redFlags: [], band: { id: "high" } }, BANDS)).toBe(true);
    expect(callsForFollowUp({ redFlags: [], band: { id: "medium" } }, BANDS)).toBe(false);
  });
});

describe("orderByFollowUp", () => {
  it("open red flags first, then tier (none last), then band, then the oldest submission", () => {
    const item = (assessmentId: string, redFlagRank: 0 | 1, tier: "gold" | "silver" | "bronze" | null, bandRank: number, submittedAt = "2026-01-01") => ({
      assessmentId,
      followUp: { redFlagRank },
      tier,
      bandRank,
      submittedAt,
    });
    const ordered = orderByFollowUp([
      item("no-flag-gold-high", 1, "gold", 0),
      item("flag-none", 0, null, 2),
      item("flag-bronze", 0, "bronze", 0),
      item("no-flag-gold-medium", 1, "gold", 1),
      item("no-flag-silver-high-new", 1, "silver", 0, "2026-06-01"),
      item("no-flag-silver-high-old", 1, "silver", 0, "2026-02-01"),
    ]);
    expect(ordered.map((i) => i.assessmentId)).toEqual(["flag-bronze", "flag-none", "no-flag-gold-high", "no-flag-gold-medium", "no-flag-silver-high-old", "no-flag-silver-high-new"]);
  });
});

describe("ratingNote", () => {
  const base = { overall: 97.1, band: band("high"), redFlags: [] as Array<{ id: string; title: string; description: string; triggeredBy: []; forcesBand?: false }>, rating: undefined, exposure: undefined };
  it("says nothing when the score's band is the rating", () => {
    expect(ratingNote({ ...base, band: band("low") }, BANDS)).toBeNull();
    expect(ratingNote({ ...base, overall: null }, BANDS)).toBeNull();
  });
  it("names the red flag that forced the band", () => {
    const redFlags = [
      { id: "f", title: "Serious signs of forced labour", description: "", triggeredBy: [] as [] },
      { id: "g", title: "Another", description: "", triggeredBy: [] as [] },
    ];
    expect(ratingNote({ ...base, redFlags }, BANDS)).toBe("High risk because of a red flag: Serious signs of forced labour and 1 more.");
  });
  it("names the cap, else the exposure", () => {
    const rating = { matrixBand: band("low"), nextBand: null, caps: [{ id: "c", atBest: "medium", atBestLabel: "Medium risk", reason: "No supply chain map.", triggeredBy: [] }], explanation: "" };
    expect(ratingNote({ ...base, band: band("medium"), rating, exposure: { level: "low", escalated: false, factors: [] } }, BANDS)).toBe("No better than Medium risk: No supply chain map.");
    const exposed = { ...rating, caps: [], nextBand: { id: "low", label: "Low risk", min: 80 } };
    expect(ratingNote({ ...base, overall: 75, band: band("medium"), rating: exposed, exposure: { level: "high", escalated: false, factors: [] } }, BANDS)).toBe(
      "Medium risk: exposure to modern slavery risk is high; Low risk needs 80% or more.",
    );
  });
});

describe("followUpSummary", () => {
  it("says why in one short line, in the rule's order", () => {
    const f = followUpFor(facts({ redFlags: [{ title: "A" }, { title: "B" }], band: band("high") }));
    expect(followUpSummary(f, (d) => d)).toBe("2 red flags not yet discussed; rated High risk");
    const due = followUpFor(facts({ conversationFinished: true, nextReviewOn: "2026-12-01" }));
    expect(followUpSummary(due, (d) => `on ${d}`)).toBe("review due on 2026-12-01");
  });
});
