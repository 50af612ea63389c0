import { describe, expect, it } from "vitest";
import { checkStatusChoice, contractStatus, isContractStatus, statusByDate } from "../../app/domain/contracts";

describe("a contract's status by its end date", () => {
  it("is live through its end date and ended from the day after", () => {
    expect(statusByDate("2026-06-01", "2026-06-01")).toBe("live");
    expect(statusByDate("2026-06-02", "2026-06-01")).toBe("live");
    expect(statusByDate("2026-05-31", "2026-06-01")).toBe("ended");
    expect(statusByDate("2023-03-31", "2026-06-01")).toBe("ended");
  });

  it("is live before the contract starts: only the end date counts", () => {
    expect(contractStatus({ endDate: "2030-03-31", statusOverride: null }, "2026-06-01")).toEqual({ status: "live", byDate: "live", overrideReason: null });
  });

  it("crosses years and months as dates, not as numbers", () => {
    expect(statusByDate("2026-12-31", "2027-01-01")).toBe("ended");
    expect(statusByDate("2027-01-01", "2026-12-31")).toBe("live");
    expect(statusByDate("2026-10-01", "2026-09-30")).toBe("live");
  });
});

describe("a status set by hand", () => {
  it("wins over the end date either way, keeping what the end date gives and the reason", () => {
    expect(contractStatus({ endDate: "2029-03-31", statusOverride: "ended", statusOverrideReason: " Terminated early " }, "2026-06-01")).toEqual({
      status: "ended",
      byDate: "live",
      overrideReason: "Terminated early",
    });
    expect(contractStatus({ endDate: "2025-03-31", statusOverride: "live", statusOverrideReason: "Extended while the paperwork catches up" }, "2026-06-01")).toEqual({
      status: "live",
      byDate: "ended",
      overrideReason: "Extended while the paperwork catches up",
    });
    // Set by hand to what the date gives anyway: still set by hand, so it stays when the date passes.
    expect(contractStatus({ endDate: "2029-03-31", statusOverride: "live", statusOverrideReason: "Confirmed" }, "2030-01-01")).toMatchObject({ status: "live", byDate: "ended" });
  });
});

describe("the status form", () => {
  it("following the end date needs no reason, and drops one typed", () => {
    expect(checkStatusChoice("follow", "")).toEqual({ ok: true, value: null });
    expect(checkStatusChoice("follow", "left over")).toEqual({ ok: true, value: null });
  });

  it("live or ended by hand needs a reason, trimmed", () => {
    expect(checkStatusChoice("ended", "  Terminated early on 30 April 2026 ")).toEqual({ ok: true, value: { status: "ended", reason: "Terminated early on 30 April 2026" } });
    expect(checkStatusChoice("live", "Extended")).toEqual({ ok: true, value: { status: "live", reason: "Extended" } });
    const missing = checkStatusChoice("live", " \n ");
    expect(missing).toEqual({ ok: false, errors: { reason: 'Enter why the contract is live whatever its end date, like "terminated early on 30 September 2026"' } });
  });

  it("refuses an unknown choice, a reason too long, with control characters or that a spreadsheet would run", () => {
    for (const choice of ["", "Live", "paused", "constructor"]) expect(checkStatusChoice(choice, "x")).toEqual({ ok: false, errors: { status: "Select whether the status follows the end date, or is live or ended" } });
    expect(checkStatusChoice("ended", "x".repeat(1000)).ok).toBe(true);
    expect(checkStatusChoice("ended", "x".repeat(1001))).toEqual({ ok: false, errors: { reason: "The reason for the status must be 1,000 characters or fewer (it has 1,001)" } });
    expect(checkStatusChoice("ended", "Ended\u0000")).toMatchObject({ ok: false, errors: { reason: expect.stringContaining("control characters") } });
    expect(checkStatusChoice("ended", "=1+1")).toMatchObject({ ok: false, errors: { reason: expect.stringContaining("run as a formula") } });
  });

  it("knows the two statuses and nothing else", () => {
    expect(isContractStatus("live")).toBe(true);
    expect(isContractStatus("ended")).toBe(true);
    expect(isContractStatus("Live")).toBe(false);
    expect(isContractStatus("follow")).toBe(false);
  });
});
