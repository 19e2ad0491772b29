// Online/offline as the drain loop sees it, with exponential backoff and jitter. Pure: the time and
// the random draw are passed in. Any call that did not get a usable answer from the centre (not
// delivered, unknown) counts as a failure; any proper answer, even a business rejection, means the
// centre is reachable.
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
  /** 0…1: the share of each delay that is randomised (spreads tills that come back together). */
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 60_000, jitter: 0.3 };

export interface Connectivity {
  readonly online: boolean;
  readonly failures: number;
  /** Epoch ms before which the loop should not call the centre again (0 = now). */
  readonly retryAt: number;
  readonly lastError: string;
  readonly since: number;
}

export function initialConnectivity(now: number): Connectivity {
  return { online: true, failures: 0, retryAt: 0, lastError: '', since: now };
}

/** The delay after `failures` consecutive failures (1 → base, doubling, capped), jittered by `random` in [0,1). */
export function backoffDelay(failures: number, policy: BackoffPolicy, random: number): number {
  if (failures <= 0) return 0;
  const raw = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(failures - 1, 30));
  const spread = raw * policy.jitter;
  return Math.round(raw - spread + spread * 2 * Math.min(Math.max(random, 0), 1));
}

export function onFailure(state: Connectivity, error: string, now: number, policy: BackoffPolicy, random: number): Connectivity {
  const failures = state.failures + 1;
  return { online: false, failures, retryAt: now + backoffDelay(failures, policy, random), lastError: error, since: state.online ? now : state.since };
}

export function onAnswer(state: Connectivity, now: number): Connectivity {
  return state.online && state.failures === 0 ? state : { online: true, failures: 0, retryAt: 0, lastError: '', since: now };
}

export function mayCall(state: Connectivity, now: number): boolean {
  return now >= state.retryAt;
}
