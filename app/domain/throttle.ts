/**
 * Throttling repeated failures (sign-in guesses): after `limit` failures close together, each
 * further failure locks the key for a wait that doubles, up to a cap, so a guesser slows to a
 * crawl while a locked-out person never waits longer than the cap. A quiet spell of `windowMs`
 * after the last failure forgets them.
 */
import { plural } from "./text";

export type ThrottlePolicy = { limit: number; windowMs: number; baseWaitMs: number; maxWaitMs: number };

export type ThrottleState = { failures: number; lastFailureAt: string; lockedUntil: string | null };

const MINUTE = 60_000;

/** Sign-in: per account and address, per address across accounts, per account across addresses. */
export const SIGN_IN_POLICIES = {
  /** One person (or one guesser) at one account: 10 failures in 15 minutes. */
  accountAtAddress: { limit: 10, windowMs: 15 * MINUTE, baseWaitMs: MINUTE, maxWaitMs: 15 * MINUTE },
  /** One address trying many accounts (password spraying). */
  address: { limit: 50, windowMs: 15 * MINUTE, baseWaitMs: MINUTE, maxWaitMs: 60 * MINUTE },
  /**
   * One account guessed from many addresses. Higher limit and a short cap: this is the lock a
   * distributed attacker could hold over the real user, so it never lasts more than 5 minutes.
   */
  account: { limit: 100, windowMs: 15 * MINUTE, baseWaitMs: MINUTE, maxWaitMs: 5 * MINUTE },
} satisfies Record<string, ThrottlePolicy>;

/** When the key may try again, if it is locked now. */
export function lockedUntil(state: ThrottleState | undefined, now: Date): Date | undefined {
  if (!state?.lockedUntil) return undefined;
  const until = new Date(state.lockedUntil);
  return until > now ? until : undefined;
}

export function afterFailure(state: ThrottleState | undefined, policy: ThrottlePolicy, now: Date): ThrottleState {
  const forgotten = !state || now.getTime() - new Date(state.lastFailureAt).getTime() > policy.windowMs;
  const failures = forgotten ? 1 : state.failures + 1;
  let until: string | null = null;
  if (failures >= policy.limit) {
    const doublings = Math.min(failures - policy.limit, 30);
    const wait = Math.min(policy.baseWaitMs * 2 ** doublings, policy.maxWaitMs);
    until = new Date(now.getTime() + wait).toISOString();
  }
  return { failures, lastFailureAt: now.toISOString(), lockedUntil: until };
}

/** "1 minute", "15 minutes": the wait, rounded up to whole minutes. */
export function describeWait(until: Date, now: Date): string {
  const minutes = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / MINUTE));
  return plural(minutes, "minute");
}
