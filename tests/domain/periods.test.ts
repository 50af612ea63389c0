/**
 * Reporting periods: UK financial years written "2024-25", from midnight UK local time on 1 April
 * (always British Summer Time, so 23:00 UTC on 31 March) to the same instant a year later.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FIRST_YEAR, LAST_YEAR, inPeriod, parsePeriod, periodOf, periodStarting, previousPeriod, ukMidnight } from "../../app/domain/periods";

function parsed(text: string) {
  const result = parsePeriod(text);
  if (!result.ok) throw new Error(`expected ${text} to parse: ${result.error}`);
  return result.period;
}

function problem(text: string): string {
  const result = parsePeriod(text);
  if (result.ok) throw new Error(`expected ${text} to be refused`);
  return result.error;
}

describe("parsePeriod", () => {
  it("reads a financial year into its id, start and end in UTC, and label", () => {
    expect(parsed("2024-25")).toEqual({
      id: "2024-25",
      startYear: 2024,
      start: "2024-03-31T23:00:00.000Z",
      end: "2025-03-31T23:00:00.000Z",
      label: "April 2024 to March 2025",
    });
  });

  it("ignores surrounding spaces", () => {
    expect(parsed("  2024-25\n").id).toBe("2024-25");
  });

  it("accepts the first and last years offered, and the years either side of a century", () => {
    expect(parsed(`${FIRST_YEAR}-01`)).toMatchObject({ id: "2000-01", startYear: 2000, label: "April 2000 to March 2001" });
    expect(parsed(`${LAST_YEAR}-99`)).toMatchObject({ id: "2098-99", startYear: 2098, label: "April 2098 to March 2099" });
    expect(parsed("2009-10").id).toBe("2009-10");
  });

  it("refuses text that is not written like a financial year, saying how to write one", () => {
    for (const text of ["", "2024", "2024-2025", "24-25", "2024/25", "2024 - 25", "2024-5", "abcd-ef", "２０２４-２５", "2024-25x"]) {
      expect(problem(text)).toBe(`"${text}" is not a financial year: write it like 2020-21`);
    }
  });

  it("refuses a second year that does not follow the first, suggesting the one that does", () => {
    expect(problem("2024-24")).toBe(`"2024-24" is not a financial year: the second year must follow the first, as in 2024-25`);
    expect(problem("2024-26")).toBe(`"2024-26" is not a financial year: the second year must follow the first, as in 2024-25`);
    expect(problem("2009-01")).toBe(`"2009-01" is not a financial year: the second year must follow the first, as in 2009-10`);
    expect(problem("2099-99")).toBe(`"2099-99" is not a financial year: the second year must follow the first, as in 2099-00`);
  });

  it("refuses years outside the range offered, naming the range", () => {
    for (const text of ["1999-00", "1900-01", "2099-00", "9998-99"]) {
      expect(problem(text)).toBe("Choose a financial year from 2000-01 to 2098-99");
    }
  });

  it("reads back every period it writes, for every year offered", () => {
    for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
      const period = periodStarting(year);
      expect(parsed(period.id)).toEqual(period);
    }
  });
});

describe("period boundaries", () => {
  it("start at midnight British Summer Time on 1 April, 23:00 UTC on 31 March, every year", () => {
    for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
      const period = periodStarting(year);
      expect(period.start).toBe(`${year}-03-31T23:00:00.000Z`);
      expect(period.end).toBe(`${year + 1}-03-31T23:00:00.000Z`);
      expect(periodStarting(year + 1).start).toBe(period.end);
    }
  });

  it("ukMidnight follows the clocks: GMT in winter, BST in summer, and both change days", () => {
    expect(ukMidnight(2024, 4, 1).toISOString()).toBe("2024-03-31T23:00:00.000Z");
    expect(ukMidnight(2025, 1, 1).toISOString()).toBe("2025-01-01T00:00:00.000Z");
    expect(ukMidnight(2024, 7, 15).toISOString()).toBe("2024-07-14T23:00:00.000Z");
    // The clocks go forward at 01:00 UTC on 31 March 2024, after midnight: that midnight is still GMT.
    expect(ukMidnight(2024, 3, 31).toISOString()).toBe("2024-03-31T00:00:00.000Z");
    // They go back at 01:00 UTC on 27 October 2024: that midnight is still BST, the next is GMT.
    expect(ukMidnight(2024, 10, 27).toISOString()).toBe("2024-10-26T23:00:00.000Z");
    expect(ukMidnight(2024, 10, 28).toISOString()).toBe("2024-10-28T00:00:00.000Z");
  });

  it("inPeriod includes the first instant and excludes the first instant after", () => {
    const period = parsed("2024-25");
    expect(inPeriod(period, "2024-03-31T22:59:59.999Z")).toBe(false);
    expect(inPeriod(period, "2024-03-31T23:00:00.000Z")).toBe(true);
    expect(inPeriod(period, "2024-04-01T00:30:00+01:00")).toBe(true);
    expect(inPeriod(period, "2025-03-31T22:59:59.999Z")).toBe(true);
    expect(inPeriod(period, "2025-03-31T23:00:00.000Z")).toBe(false);
  });
});

describe("periodOf", () => {
  it("puts 00:00 BST on 1 April in the year it starts, and the millisecond before in the year before", () => {
    expect(periodOf(new Date("2024-03-31T23:00:00.000Z")).id).toBe("2024-25");
    expect(periodOf(new Date("2024-03-31T22:59:59.999Z")).id).toBe("2023-24");
    expect(periodOf(new Date("2025-03-31T22:59:59.999Z")).id).toBe("2024-25");
    expect(periodOf(new Date("2025-03-31T23:00:00.000Z")).id).toBe("2025-26");
  });

  it("goes by the UK date: January to March belong to the year that started the April before", () => {
    expect(periodOf(new Date("2025-01-01T00:00:00.000Z")).id).toBe("2024-25");
    expect(periodOf(new Date("2024-12-31T23:59:59.999Z")).id).toBe("2024-25");
    expect(periodOf(new Date("2024-04-01T12:00:00.000Z")).id).toBe("2024-25");
    expect(periodOf(new Date("2024-03-31T12:00:00.000Z")).id).toBe("2023-24");
  });

  it("returns the period that contains the instant, for any instant in the years offered", () => {
    const from = new Date(periodStarting(FIRST_YEAR).start).getTime();
    const to = new Date(periodStarting(LAST_YEAR).end).getTime() - 1;
    fc.assert(
      fc.property(fc.integer({ min: from, max: to }), (ms) => {
        const instant = new Date(ms);
        const period = periodOf(instant);
        expect(inPeriod(period, instant.toISOString())).toBe(true);
        expect(inPeriod(previousPeriod(period), instant.toISOString())).toBe(false);
        expect(inPeriod(periodStarting(period.startYear + 1), instant.toISOString())).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});

describe("previousPeriod", () => {
  it("is the year before, ending where this one starts", () => {
    const period = parsed("2024-25");
    const previous = previousPeriod(period);
    expect(previous).toEqual(parsed("2023-24"));
    expect(previous.end).toBe(period.start);
    expect(previous.label).toBe("April 2023 to March 2024");
  });

  it("crosses a decade and a century in its id", () => {
    expect(previousPeriod(parsed("2010-11")).id).toBe("2009-10");
    expect(previousPeriod(parsed("2000-01"))).toMatchObject({ id: "1999-00", startYear: 1999, label: "April 1999 to March 2000" });
  });
});
