import { describe, expect, it } from "vitest";
import { type HistoryEntry, describeEntry } from "../../app/ui/history";

const entry = (field: string, oldValue: string | null, newValue: string | null): HistoryEntry => ({
  id: 1,
  at: "2026-12-07T14:05:00Z",
  userName: "Tom Rivers",
  organisationName: "Department for Public Works",
  entity: "conversation",
  entityId: "c1",
  action: "updated",
  field,
  oldValue,
  newValue,
});

const recommendations = { "REC-GOV-01": "Give a senior leader responsibility for modern slavery", "REC-MAP-01": "Start mapping your supply chain" };

describe("a history entry in words", () => {
  it("writes dates as GOV.UK does, not as ISO dates", () => {
    expect(describeEntry(entry("held_on", null, "2026-12-07"))).toBe("Date held: (empty) to 7 December 2026");
    expect(describeEntry(entry("due_on", "2027-01-31", "2027-02-28"))).toBe("Due date: 31 January 2027 to 28 February 2027");
    expect(describeEntry(entry("next_review_on", "2027-12-07", null))).toBe("Next review date: 7 December 2027 to (empty)");
  });

  it("names recommendations by their title, once, not by id", () => {
    expect(describeEntry(entry("recommendation_id", null, "REC-GOV-01"), {}, recommendations)).toBe(
      "Recommendation: (empty) to Give a senior leader responsibility for modern slavery",
    );
    expect(describeEntry(entry("recommendations_discussed", "[]", '["REC-GOV-01","REC-MAP-01"]'), {}, recommendations)).toBe(
      "Recommendations discussed: (none) to Give a senior leader responsibility for modern slavery; Start mapping your supply chain",
    );
  });

  it("falls back to the id of a recommendation it cannot name", () => {
    expect(describeEntry(entry("recommendation_id", "REC-OLD-09", null), {}, recommendations)).toBe("Recommendation: REC-OLD-09 to (empty)");
  });
});
