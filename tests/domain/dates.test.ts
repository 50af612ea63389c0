import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatTime } from "../../app/domain/dates";

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
