import { describe, expect, it } from "vitest";
import { SIGN_IN_POLICIES, type ThrottleState, afterFailure, describeWait, lockedUntil } from "../../app/domain/throttle";

const policy = { limit: 10, windowMs: 15 * 60_000, baseWaitMs: 60_000, maxWaitMs: 15 * 60_000 };
const at = (minutes: number, seconds = 0) => new Date(Date.UTC(2026, 5, 1, 9, minutes, seconds));

function failMany(count: number, start: Date, gapMs = 1000, from?: ThrottleState) {
  let state = from;
  for (let i = 0; i < count; i++) state = afterFailure(state, policy, new Date(start.getTime() + i * gapMs));
  return state!;
}

describe("throttle", () => {
  it("nine failures lock nothing; the tenth locks for a minute", () => {
    const nine = failMany(9, at(0));
    expect(nine.failures).toBe(9);
    expect(lockedUntil(nine, at(0, 10))).toBeUndefined();
    const ten = afterFailure(nine, policy, at(0, 10));
    expect(ten.failures).toBe(10);
    expect(lockedUntil(ten, at(0, 10))).toEqual(at(1, 10));
    expect(lockedUntil(ten, at(1, 9))).toEqual(at(1, 10));
    expect(lockedUntil(ten, at(1, 10))).toBeUndefined(); // the wait is over at its end
  });

  it("each further failure doubles the wait, up to the cap", () => {
    let state = failMany(10, at(0));
    const waits: number[] = [];
    let now = at(0, 9);
    for (let i = 0; i < 8; i++) {
      waits.push((new Date(state.lockedUntil!).getTime() - now.getTime()) / 60_000);
      now = new Date(state.lockedUntil!); // the guesser waits out each lock, then fails again
      state = afterFailure(state, policy, now);
    }
    expect(waits).toEqual([1, 2, 4, 8, 15, 15, 15, 15]);
  });

  it("a quiet spell of the window after the last failure forgets them", () => {
    const nine = failMany(9, at(0));
    const lastAt = new Date(nine.lastFailureAt);
    expect(afterFailure(nine, policy, new Date(lastAt.getTime() + policy.windowMs)).failures).toBe(10);
    expect(afterFailure(nine, policy, new Date(lastAt.getTime() + policy.windowMs + 1)).failures).toBe(1);
  });

  it("failures spread just inside the window still add up", () => {
    const state = failMany(10, at(0), 14 * 60_000);
    expect(state.failures).toBe(10);
    expect(state.lockedUntil).not.toBeNull();
  });

  it("the account-wide lock, which a distributed attacker could hold, never exceeds five minutes", () => {
    let state: ThrottleState | undefined;
    let now = at(0);
    let longest = 0;
    for (let i = 0; i < 400; i++) {
      state = afterFailure(state, SIGN_IN_POLICIES.account, now);
      if (state.lockedUntil) longest = Math.max(longest, new Date(state.lockedUntil).getTime() - now.getTime());
      now = new Date(now.getTime() + 1000);
    }
    expect(longest).toBe(5 * 60_000);
    expect(SIGN_IN_POLICIES.accountAtAddress.limit).toBe(10);
    expect(SIGN_IN_POLICIES.accountAtAddress.windowMs).toBe(15 * 60_000);
  });

  it("describes the wait in whole minutes, rounded up", () => {
    expect(describeWait(at(1), at(0))).toBe("1 minute");
    expect(describeWait(at(0, 1), at(0))).toBe("1 minute");
    expect(describeWait(at(2, 1), at(0))).toBe("3 minutes");
  });
});
