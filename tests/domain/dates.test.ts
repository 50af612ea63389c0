import { describe, expect, it } from "vitest";
import { dateErrorTarget, datePartsAtFault, datePartsOf, formatDate, formatDateTime, formatTime, parseDateParts } from "../../app/domain/dates";

describe("dates as GOV.UK writes them", () => {
  it("writes a date as day, month in full and year", () => {
    expect(formatDate("2026-12-07")).toBe("7 December 2026");
    expect(formatDate("2026-01-01")).toBe("1 January 2026");
  });

  it("writes an instant's date on the UK clock: late evening UTC in summer is the next day", () => {
    expect(formatDate("2026-07-06T23:30:00Z")).toBe("7 July 2026");
    expect(formatDate("2026-12-06T23:30:00Z")).toBe("6 December 2026");
  });

  it("writes times on the 12-hour clock with am or pm, no zero minutes, midday and midnight", () => {
    expect(formatTime("2026-12-07T14:05:00Z")).toBe("2:05pm");
    expect(formatTime("2026-12-07T09:00:00Z")).toBe("9am");
    expect(formatTime("2026-12-07T12:00:00Z")).toBe("midday");
    expect(formatTime("2026-12-07T00:00:00Z")).toBe("midnight");
    expect(formatTime("2026-12-07T00:15:00Z")).toBe("12:15am");
    expect(formatTime("2026-12-07T12:45:00Z")).toBe("12:45pm");
    // British Summer Time: 13:05 UTC is 2:05pm in London
    expect(formatTime("2026-07-07T13:05:00Z")).toBe("2:05pm");
  });

  it("joins date and time with 'at'", () => {
    expect(formatDateTime("2026-12-07T14:05:00Z")).toBe("7 December 2026 at 2:05pm");
  });
});

const parts = (day: string, month: string, year: string) => ({ day, month, year });

describe("parseDateParts: a GOV.UK date input to an ISO date", () => {
  it("reads day, month and year, with or without leading zeros and spaces", () => {
    expect(parseDateParts(parts("7", "3", "2026"), "Due date")).toEqual({ ok: true, value: "2026-03-07" });
    expect(parseDateParts(parts(" 07 ", "03", "2026 "), "Due date")).toEqual({ ok: true, value: "2026-03-07" });
  });

  it("takes a month's name or its first three letters, as GOV.UK asks", () => {
    expect(parseDateParts(parts("7", "December", "2026"), "Due date")).toEqual({ ok: true, value: "2026-12-07" });
    expect(parseDateParts(parts("7", "dec", "2026"), "Due date")).toEqual({ ok: true, value: "2026-12-07" });
    expect(parseDateParts(parts("7", "Sept", "2026"), "Due date")).toEqual({ ok: true, value: "2026-09-07" });
    expect(parseDateParts(parts("7", "May", "2026"), "Due date")).toEqual({ ok: true, value: "2026-05-07" });
  });

  it("is no date when all three are empty, unless a date is required", () => {
    expect(parseDateParts(parts("", "", ""), "Due date")).toEqual({ ok: true, value: null });
    expect(parseDateParts(parts(" ", "", ""), "Start date", { required: "Enter the start date" })).toEqual({ ok: false, error: "Enter the start date" });
  });

  it("says which part is missing", () => {
    expect(parseDateParts(parts("7", "", "2026"), "Due date")).toEqual({ ok: false, error: "Due date must include a month" });
    expect(parseDateParts(parts("", "", "2026"), "Due date")).toEqual({ ok: false, error: "Due date must include a day and month" });
    expect(parseDateParts(parts("7", "3", ""), "Due date")).toEqual({ ok: false, error: "Due date must include a year" });
  });

  it("refuses dates that cannot be", () => {
    expect(parseDateParts(parts("31", "2", "2026"), "Due date")).toEqual({ ok: false, error: "Due date must be a real date" });
    expect(parseDateParts(parts("29", "2", "2027"), "Due date")).toEqual({ ok: false, error: "Due date must be a real date" });
    expect(parseDateParts(parts("1", "13", "2026"), "Due date")).toEqual({ ok: false, error: "Due date must be a real date" });
    expect(parseDateParts(parts("x", "2", "2026"), "Due date")).toEqual({ ok: false, error: "Due date must be a real date" });
    expect(parseDateParts(parts("1", "Smarch", "2026"), "Due date")).toEqual({ ok: false, error: "Due date must be a real date" });
    expect(parseDateParts(parts("1", "2", "26"), "Due date")).toEqual({ ok: false, error: "Due date must include a year with 4 numbers, like 2026" });
    expect(parseDateParts(parts("1", "2", "1066"), "Due date")).toEqual({ ok: false, error: "Due date must be in a year from 1900 to 2199" });
    expect(parseDateParts(parts("29", "2", "2028"), "Due date")).toEqual({ ok: true, value: "2028-02-29" });
  });

  it("round-trips with datePartsOf", () => {
    expect(datePartsOf("2026-03-07")).toEqual(parts("7", "3", "2026"));
    expect(parseDateParts(datePartsOf("2026-12-31"), "Date")).toEqual({ ok: true, value: "2026-12-31" });
    expect(datePartsOf(null)).toEqual(parts("", "", ""));
  });
});

describe("datePartsAtFault: which fields to mark", () => {
  it("marks the missing fields, else the ones that cannot be", () => {
    expect(datePartsAtFault(parts("7", "", "2026"))).toEqual(["month"]);
    expect(datePartsAtFault(parts("", "", "2026"))).toEqual(["day", "month"]);
    expect(datePartsAtFault(parts("x", "3", "2026"))).toEqual(["day"]);
    expect(datePartsAtFault(parts("7", "3", "26"))).toEqual(["year"]);
    expect(datePartsAtFault(parts("7", "13", "2026"))).toEqual(["month"]);
    expect(datePartsAtFault(parts("31", "2", "2026"))).toEqual(["day"]);
  });

  it("marks none of them alone when the date is real or empty (a rule about it marks all three)", () => {
    expect(datePartsAtFault(parts("7", "Dec", "2026"))).toEqual([]);
    expect(datePartsAtFault(parts("", "", ""))).toEqual([]);
  });
});

describe("dateErrorTarget: where the error summary links", () => {
  it("goes to the first field at fault, else to the day", () => {
    expect(dateErrorTarget("dueOn", parts("7", "", "2026"))).toBe("#dueOn-month");
    expect(dateErrorTarget("dueOn", parts("31", "2", "2026"))).toBe("#dueOn-day");
    expect(dateErrorTarget("dueOn", parts("1", "2", "26"))).toBe("#dueOn-year");
    expect(dateErrorTarget("dueOn", parts("1", "2", "2026"))).toBe("#dueOn-day");
    expect(dateErrorTarget("dueOn")).toBe("#dueOn-day");
  });
});
